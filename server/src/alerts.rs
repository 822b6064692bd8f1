//! The alerts service: the stored messages with their lifecycle at a given time. The API,
//! the feeds and the pages all ask this one place what is in force.

use chrono::{DateTime, Duration, Utc};
use safejdz_app::domain::{
    cap::{Alert, Status},
    lifecycle::{Lifecycle, MessageFacts, resolve},
};

use crate::storage::{StorageError, Store, cap_messages::StoredAlert};

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
    store: &Store,
    now: DateTime<Utc>,
    default_lifetime: Duration,
) -> Result<Vec<AlertView>, StorageError> {
    let stored = store.accepted_alerts_since(now - Duration::days(LOOKBACK_DAYS)).await?;
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
    store: &Store,
    now: DateTime<Utc>,
    default_lifetime: Duration,
) -> Result<Vec<AlertView>, StorageError> {
    let mut views: Vec<_> = all_with_lifecycle(store, now, default_lifetime)
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
    store: &Store,
    status: Status,
    now: DateTime<Utc>,
    default_lifetime: Duration,
) -> Result<Vec<AlertView>, StorageError> {
    let views = all_with_lifecycle(store, now, default_lifetime).await?;
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
    store: &Store,
    id: i64,
    now: DateTime<Utc>,
    default_lifetime: Duration,
) -> Result<Option<AlertView>, StorageError> {
    let Some(StoredAlert { id, source, received_at, alert }) = store.accepted_alert(id).await? else {
        return Ok(None);
    };
    let views = all_with_lifecycle(store, now, default_lifetime).await?;
    Ok(Some(views.into_iter().find(|v| v.id == id).unwrap_or_else(|| AlertView {
        id,
        source,
        received_at,
        // Older than the lookback window: long over.
        lifecycle: if alert.status == Status::Actual { Lifecycle::Expired } else { Lifecycle::NotActual },
        alert,
    })))
}
