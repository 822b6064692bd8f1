//! Delivery: telling residents' devices that the warnings in force changed. The [`AlertHub`]
//! learns of every newly accepted message (from this process's ingest at once, from other
//! replicas through the shared database within a second) and fans it out: `stream.rs` serves it
//! as Server-Sent Events, `gateways.rs` POSTs it to operator gateways, `webpush.rs` notifies subscribed browsers.

use std::{collections::BTreeSet, sync::Arc, time::Duration};

use safejdz_app::domain::{
    cap::{Alert, ColourLevel, MsgType, Severity, Status},
    lifecycle::MessageFacts,
};
use serde::Serialize;
use tokio::sync::{Notify, broadcast};

use super::{recent::AcceptedVersion, store::StoredAlert};
use crate::platform::store::{StorageError, Store};

/// What a message does to the warnings in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EventKind {
    /// A new warning (`msgType` Alert).
    New,
    /// A warning replaced by a newer version (`msgType` Update).
    Updated,
    /// A warning cancelled or lifted (`Cancel`, `AllClear`, 解除).
    Ended,
}

/// One change, as every channel tells it: enough for a banner or a notification; the full
/// warning is at `/api/v1/alerts/{id}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlertEvent {
    /// The stored id of the message that made the change (also the SSE event id).
    pub id: i64,
    pub kind: EventKind,
    pub headline: Option<String>,
    pub event: String,
    pub colour: Option<ColourLevel>,
    pub severity: Severity,
    /// Division codes the message names (its geocodes), for fan-out by area.
    pub division_codes: Vec<String>,
}

/// The event for an accepted message, if residents should hear of it: only status Actual
/// messages that are alerts, updates, cancels or lifts.
pub fn event_for(id: i64, alert: &Alert) -> Option<AlertEvent> {
    if alert.status != Status::Actual {
        return None;
    }
    let facts = MessageFacts::of(id, alert);
    let kind = match alert.msg_type {
        MsgType::Cancel => EventKind::Ended,
        _ if facts.lifts => EventKind::Ended,
        MsgType::Update => EventKind::Updated,
        MsgType::Alert => EventKind::New,
        MsgType::Ack | MsgType::Error => return None,
    };
    let info = alert.infos.first()?;
    let division_codes: BTreeSet<String> = alert
        .infos
        .iter()
        .flat_map(|i| &i.areas)
        .flat_map(|a| &a.geocodes)
        .map(|g| g.value.trim().to_owned())
        .filter(|v| safejdz_app::domain::cap::is_division_code(v))
        .collect();
    Some(AlertEvent {
        id,
        kind,
        headline: info.headline.clone(),
        event: info.event.clone(),
        colour: info.colour,
        severity: info.severity,
        division_codes: division_codes.into_iter().collect(),
    })
}

/// What a client that reconnects missed.
#[derive(Debug, Clone, PartialEq)]
pub struct Replay {
    pub events: Vec<AlertEvent>,
    /// False when there was more than one replay holds (or it could not be read): the client
    /// must fetch the warnings again (`resync`).
    pub complete: bool,
}

/// Fans out the events of newly accepted messages to every subscriber of this process.
#[derive(Clone, Debug)]
pub struct AlertHub {
    store: Store,
    /// Moved when the hub sees a newly accepted message (also another replica's).
    version: AcceptedVersion,
    sender: broadcast::Sender<Arc<AlertEvent>>,
    /// What was received before the hub existed is old news; what came after is not, even if
    /// it was accepted before its task first ran.
    created_at: chrono::DateTime<chrono::Utc>,
}

/// Subscribers that fall this many events behind get a "resync" instead.
const BACKLOG: usize = 256;

/// How often the hub looks for messages other replicas accepted.
pub const DATABASE_POLL: Duration = Duration::from_secs(1);

impl AlertHub {
    /// A hub over `store`; it announces nothing until [`AlertHub::run`] runs (`tasks` starts it).
    pub fn new(store: Store, version: AcceptedVersion) -> AlertHub {
        let (sender, _) = broadcast::channel(BACKLOG);
        AlertHub { store, version, sender, created_at: chrono::Utc::now() }
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<AlertEvent>> {
        self.sender.subscribe()
    }

    /// The events of messages accepted after `after` (a client's Last-Event-ID), oldest first,
    /// at most [`BACKLOG`] messages' worth.
    pub async fn replay_after(&self, after: i64) -> Replay {
        match self.store.accepted_alerts_after(after, BACKLOG as i64).await {
            Ok(page) => Replay {
                complete: page.rows < BACKLOG,
                events: page.alerts.iter().filter_map(|s| event_for(s.id, &s.alert)).collect(),
            },
            Err(error) => {
                tracing::warn!(%error, "replaying alert events failed");
                Replay { events: Vec::new(), complete: false }
            }
        }
    }

    /// The hub's task: it wakes when `accepted` is notified (this process's ingest) and every
    /// [`DATABASE_POLL`] (other replicas), and broadcasts what was accepted since.
    pub async fn run(self, accepted: Arc<Notify>) {
        let mut floor = self.store.judged_through_before(self.created_at).await.unwrap_or(0);
        let mut sent_above_floor = BTreeSet::new();
        loop {
            tokio::select! {
                () = accepted.notified() => {}
                () = tokio::time::sleep(DATABASE_POLL) => {}
            }
            match self.step(floor, &mut sent_above_floor).await {
                Ok(new_floor) => floor = new_floor,
                Err(error) => tracing::warn!(%error, "reading newly accepted alerts failed"),
            }
        }
    }

    /// Broadcasts accepted messages above `floor` not sent yet; returns the new floor (below
    /// which every message is judged, so nothing there can still turn up).
    async fn step(&self, floor: i64, sent: &mut BTreeSet<i64>) -> Result<i64, StorageError> {
        let judged_through = self.store.judged_through().await?;
        let mut after = floor;
        loop {
            let page = self.store.accepted_alerts_after(after, BACKLOG as i64).await?;
            let Some(last) = page.last_id else { break };
            for StoredAlert { id, alert, .. } in &page.alerts {
                if !sent.insert(*id) {
                    continue;
                }
                // Another replica's acceptance reaches this replica's cache here.
                self.version.bump();
                if let Some(event) = event_for(*id, alert) {
                    // No subscriber is not an error: nobody has the page open.
                    let _ = self.sender.send(Arc::new(event));
                }
            }
            after = last;
            if page.rows < BACKLOG {
                break;
            }
        }
        let new_floor = judged_through.max(floor);
        sent.retain(|id| *id > new_floor);
        Ok(new_floor)
    }
}
