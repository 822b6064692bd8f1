//! The alerts service: the stored messages with their lifecycle at a given time. The API,
//! the feeds and the pages all ask this one place what is in force.

use chrono::{DateTime, Duration, Utc};
use safejdz_app::domain::{
    cap::{Alert, Status},
    lifecycle::{Lifecycle, MessageFacts, resolve},
};

use std::collections::BTreeMap;

use safejdz_app::alerts::{
    BackendError, Pending, StoredHistoryEntry, StoredWarning, WarningsBackend, WarningsInForce,
};

use super::{
    recent::RecentAlerts,
    sources::{SourceConfig, SourceKind, SourcesHealth},
    store::StoredAlert,
};
use crate::platform::store::StorageError;

/// How far back messages are read to work out what is in force: covers any realistic chain of
/// updates; a warning lasting longer than this is re-issued by its sender in practice.
const LOOKBACK_DAYS: i64 = 30;

/// A stored alert and where it stands.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertView {
    pub id: i64,
    pub source: String,
    pub received_at: DateTime<Utc>,
    pub lifecycle: Lifecycle,
    pub alert: Alert,
}

/// Every accepted message of the lookback window with its lifecycle at `now`, oldest first.
pub async fn all_with_lifecycle(
    recent: &RecentAlerts,
    now: DateTime<Utc>,
    default_lifetime: Duration,
) -> Result<Vec<AlertView>, StorageError> {
    let stored = recent.since(now - Duration::days(LOOKBACK_DAYS)).await?;
    let facts: Vec<MessageFacts> = stored.iter().map(|s| MessageFacts::of(s.id, &s.alert)).collect();
    let states = resolve(&facts, now.fixed_offset(), default_lifetime);
    Ok(stored
        .into_iter()
        .map(|StoredAlert { id, source, received_at, alert }| AlertView {
            lifecycle: states.get(&id).copied().unwrap_or(Lifecycle::Expired),
            id,
            source,
            received_at,
            alert,
        })
        .collect())
}

/// The warnings in force at `now` for residents (status Actual), most serious first.
pub async fn active(
    recent: &RecentAlerts,
    now: DateTime<Utc>,
    default_lifetime: Duration,
) -> Result<Vec<AlertView>, StorageError> {
    let mut views: Vec<_> = all_with_lifecycle(recent, now, default_lifetime)
        .await?
        .into_iter()
        .filter(|v| v.lifecycle.is_active())
        .collect();
    views.sort_by_key(|v| std::cmp::Reverse(v.alert.sent));
    Ok(views)
}

/// Messages of a non-Actual `status` (Test, Exercise…) that have not expired: for integrators
/// checking their feed, never for residents.
pub async fn not_actual_in_force(
    recent: &RecentAlerts,
    status: Status,
    now: DateTime<Utc>,
    default_lifetime: Duration,
) -> Result<Vec<AlertView>, StorageError> {
    let views = all_with_lifecycle(recent, now, default_lifetime).await?;
    Ok(views
        .into_iter()
        .filter(|v| v.alert.status == status)
        .filter(|v| {
            let expires = v.alert.infos.iter().filter_map(|i| i.expires).max();
            expires.map_or(v.alert.sent + default_lifetime, |e| e) > now.fixed_offset()
        })
        .collect())
}

/// One accepted message with its lifecycle at `now`.
pub async fn one(
    recent: &RecentAlerts,
    id: i64,
    now: DateTime<Utc>,
    default_lifetime: Duration,
) -> Result<Option<AlertView>, StorageError> {
    let Some(StoredAlert { id, source, received_at, alert }) = recent.store().accepted_alert(id).await?
    else {
        return Ok(None);
    };
    let views = all_with_lifecycle(recent, now, default_lifetime).await?;
    Ok(Some(views.into_iter().find(|v| v.id == id).unwrap_or_else(|| AlertView {
        id,
        source,
        received_at,
        // Older than the lookback window: long over.
        lifecycle: if alert.status == Status::Actual { Lifecycle::Expired } else { Lifecycle::NotActual },
        alert,
    })))
}

/// The warnings pages' view of the store (provided to the app as its `WarningsBackend`): the
/// warnings in force, and how current the feeds are.
pub struct PageWarnings {
    pub recent: RecentAlerts,
    pub default_lifetime: Duration,
    pub sources_health: SourcesHealth,
    /// Each polled source's interval, to judge staleness.
    pub poll_intervals: BTreeMap<String, u64>,
    /// When this server started: a feed not yet polled is not stale before its time.
    pub started_at: DateTime<Utc>,
}

/// A polled feed is stale when it has not answered for three of its intervals (at least ten
/// minutes): one failed poll is not news, three are.
fn stale_after(interval_seconds: u64) -> Duration {
    Duration::seconds((interval_seconds.saturating_mul(3)).max(600) as i64)
}

impl PageWarnings {
    async fn read(&self) -> Result<WarningsInForce, StorageError> {
        let now = Utc::now();
        let views = all_with_lifecycle(&self.recent, now, self.default_lifetime).await?;
        let newest_message = views.iter().map(|v| v.received_at).max();
        let health = self.sources_health.snapshot().await;
        let polled: Vec<_> = health.iter().filter(|h| h.kind == SourceKind::Poll).collect();
        let (last_update, stale) = if polled.is_empty() {
            // Push and CLI only: the last message received is the best "last update" there is.
            (newest_message, false)
        } else {
            let last = polled.iter().filter_map(|h| h.last_success).max();
            let stale = polled.iter().any(|h| {
                let interval = self
                    .poll_intervals
                    .get(&h.name)
                    .copied()
                    .unwrap_or(SourceConfig::DEFAULT_INTERVAL_SECONDS);
                now - h.last_success.unwrap_or(self.started_at) > stale_after(interval)
            });
            (last.or(newest_message), stale)
        };
        let mut active: Vec<_> = views.into_iter().filter(|v| v.lifecycle.is_active()).collect();
        active.sort_by_key(|v| std::cmp::Reverse(v.alert.sent));
        Ok(WarningsInForce {
            alerts: active.into_iter().map(|v| (v.id, v.alert)).collect(),
            last_update,
            stale,
        })
    }
}

impl PageWarnings {
    async fn detail(&self, id: i64) -> Result<Option<StoredWarning>, StorageError> {
        // One read of the window serves both the warning and its history; `one` only for a
        // message older than the window.
        let now = Utc::now();
        let all = all_with_lifecycle(&self.recent, now, self.default_lifetime).await?;
        let view = match all.iter().find(|v| v.id == id) {
            Some(view) => view.clone(),
            None => match one(&self.recent, id, now, self.default_lifetime).await? {
                Some(view) => view,
                None => return Ok(None),
            },
        };
        if view.alert.status != Status::Actual {
            return Ok(None);
        }
        let history = chain(&all, id);
        Ok(Some(StoredWarning { id, alert: view.alert, lifecycle: view.lifecycle, history }))
    }
}

/// The messages linked to `id` by updates, cancels and lifts (either way), oldest first.
fn chain(all: &[AlertView], id: i64) -> Vec<StoredHistoryEntry> {
    let ended_by = |view: &AlertView| match view.lifecycle {
        Lifecycle::Superseded { by } | Lifecycle::Cancelled { by } | Lifecycle::Lifted { by } => Some(by),
        _ => None,
    };
    let mut members = std::collections::BTreeSet::from([id]);
    // Links run from a message to the one that ended it; walk them both ways until stable.
    loop {
        let before = members.len();
        for view in all {
            if let Some(by) = ended_by(view)
                && (members.contains(&view.id) || members.contains(&by))
            {
                members.insert(view.id);
                members.insert(by);
            }
        }
        if members.len() == before {
            break;
        }
    }
    let mut entries: Vec<StoredHistoryEntry> = all
        .iter()
        .filter(|v| members.contains(&v.id))
        .map(|v| StoredHistoryEntry {
            id: v.id,
            sent: v.alert.sent,
            msg_type: v.alert.msg_type,
            headlines: v
                .alert
                .infos
                .iter()
                .filter_map(|info| Some((info.language.clone(), info.headline.clone()?)))
                .collect(),
            lifecycle: v.lifecycle,
        })
        .collect();
    entries.sort_by_key(|e| (e.sent, e.id));
    entries
}

impl WarningsBackend for PageWarnings {
    fn warnings_in_force(&self) -> Pending<'_, WarningsInForce> {
        Box::pin(async move { self.read().await.map_err(|e| BackendError::Store(Box::new(e))) })
    }

    fn warning_detail(&self, id: i64) -> Pending<'_, Option<StoredWarning>> {
        Box::pin(async move { self.detail(id).await.map_err(|e| BackendError::Store(Box::new(e))) })
    }
}
