//! Live shelter states: a watcher reads the register's version (how many reports, the newest
//! report and the newest import) every second and, when it moved, tells every open stream
//! `changed`. A report made on this replica, on another one, or an import from the command
//! line all reach open pages within about a second, and no replica has to tell another.

use std::time::Duration;

use tokio::sync::broadcast;

use crate::platform::store::Store;

/// How often the watcher reads the register's version: one small query a second per replica.
const WATCH_EVERY: Duration = Duration::from_secs(1);

/// The shelters' change signal, shared by the watcher and every stream.
#[derive(Clone)]
pub struct ShelterChanges {
    sender: broadcast::Sender<()>,
}

impl Default for ShelterChanges {
    fn default() -> Self {
        // A listener that lags only needs to know something changed: one slot is enough.
        ShelterChanges { sender: broadcast::channel(1).0 }
    }
}

impl ShelterChanges {
    pub fn subscribe(&self) -> broadcast::Receiver<()> {
        self.sender.subscribe()
    }

    /// Watches the register until the process ends. A failed read is logged and tried again.
    pub async fn run(self, store: Store) {
        let mut known = None;
        let mut ticks = tokio::time::interval(WATCH_EVERY);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match store.shelters_version().await {
                Ok(version) => {
                    if known.is_some_and(|known| known != version) {
                        // No receiver is fine: nobody has a shelter page open.
                        let _ = self.sender.send(());
                    }
                    known = Some(version);
                }
                Err(error) => tracing::warn!(%error, "reading the shelters' version failed"),
            }
        }
    }
}
