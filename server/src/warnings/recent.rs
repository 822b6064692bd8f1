//! The accepted messages of the lookback window, decoded once per change instead of on every
//! page, feed, API call and live refetch. Every acceptance (by this process's ingest, or seen
//! by the hub from another replica) moves a version; a read at an unchanged version is served
//! from memory. Lifecycles are not cached: they depend on `now` and are worked out per read.

use std::sync::{
    Arc,
    atomic::{AtomicU64, Ordering},
};

use chrono::{DateTime, Utc};
use tokio::sync::RwLock;

use super::store::StoredAlert;
use crate::platform::store::{StorageError, Store};

/// Moves on every acceptance; shared by the ingest, the hub and the cache.
#[derive(Clone, Debug, Default)]
pub struct AcceptedVersion(Arc<AtomicU64>);

impl AcceptedVersion {
    pub fn current(&self) -> u64 {
        self.0.load(Ordering::Acquire)
    }

    /// Something was accepted: cached reads are out of date.
    pub fn bump(&self) {
        self.0.fetch_add(1, Ordering::AcqRel);
    }
}

/// The cache of decoded accepted messages.
#[derive(Clone, Debug)]
pub struct RecentAlerts {
    store: Store,
    version: AcceptedVersion,
    cached: Arc<RwLock<Option<Cached>>>,
}

#[derive(Debug)]
struct Cached {
    version: u64,
    /// The rows were read for messages sent at or after this instant.
    since: DateTime<Utc>,
    alerts: Arc<Vec<StoredAlert>>,
}

impl RecentAlerts {
    pub fn new(store: Store, version: AcceptedVersion) -> RecentAlerts {
        RecentAlerts { store, version, cached: Arc::new(RwLock::new(None)) }
    }

    /// The store underneath (for reads the cache does not cover).
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Accepted messages sent at or after `since`, oldest first: from memory when nothing was
    /// accepted since they were read (and they were read for a window that covers `since`).
    pub async fn since(&self, since: DateTime<Utc>) -> Result<Vec<StoredAlert>, StorageError> {
        // Read the version before the rows: an acceptance in between makes the next read fresh.
        let version = self.version.current();
        if let Some(cached) = self.cached.read().await.as_ref()
            && cached.version == version
            && cached.since <= since
        {
            return Ok(cached.alerts.iter().filter(|s| s.alert.sent >= since).cloned().collect());
        }
        let alerts = self.store.accepted_alerts_since(since).await?;
        *self.cached.write().await = Some(Cached { version, since, alerts: Arc::new(alerts.clone()) });
        Ok(alerts)
    }
}
