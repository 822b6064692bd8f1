//! The outbox rule every delivery channel follows (Web Push fan-outs, gateway deliveries):
//! a delivery is *claimed* in the database before it is sent (the replica whose claim wins
//! sends, so two replicas never send the same twice); the sender *beats* while it works; a
//! claim silent for [`STALLED_AFTER`] is *taken over* by another replica (its own died
//! mid-send) and finished; and every minute each replica *sweeps* for accepted messages of the
//! last [`MISSED_WINDOW`] that nobody claimed (a process that fell behind the hub, or stopped
//! between accepting and sending), leaving the youngest [`MISSED_AFTER`] to the live path.
//! Every channel claims in the one `outbox` table (`platform::outbox`: claim, beat, take-over,
//! the unclaimed messages; channel `webpush` or `gateway:<name>`) and implements [`Outbox`];
//! the timing and the sweep loop are this module's.

use std::{future::Future, time::Duration};

use chrono::{DateTime, Utc};

/// A claim silent this long belongs to a replica that stopped. Long enough that a page of
/// pushes to a struggling push service, or a gateway's retries, never looks stalled.
pub const STALLED_AFTER: Duration = Duration::from_secs(10 * 60);
/// An accepted message still unclaimed this long after it arrived was missed.
pub const MISSED_AFTER: Duration = Duration::from_secs(2 * 60);
/// How far back the sweep looks for missed messages.
pub const MISSED_WINDOW: Duration = Duration::from_secs(60 * 60);
/// How often each replica looks for stalled claims and missed messages.
pub const SWEEP_EVERY: Duration = Duration::from_secs(60);

/// A delivery channel's side of the rule.
pub trait Outbox: Clone + Send + Sync + 'static {
    /// Takes over the claims silent since before `now - STALLED_AFTER` and finishes them;
    /// how many it took.
    fn resume_stalled_at(&self, now: DateTime<Utc>) -> impl Future<Output = usize> + Send;
    /// Claims and sends what was accepted in the window and never claimed; how many.
    fn send_missed_at(&self, now: DateTime<Utc>) -> impl Future<Output = usize> + Send;
}

/// `now - duration`, for the windows above.
pub fn before(now: DateTime<Utc>, duration: Duration) -> DateTime<Utc> {
    now - chrono::Duration::from_std(duration).expect("the outbox's durations are minutes, well within range")
}

/// Sweeps `outbox` at start and then every [`SWEEP_EVERY`].
pub fn spawn_sweeps(outbox: impl Outbox) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(SWEEP_EVERY);
        loop {
            every.tick().await;
            outbox.resume_stalled_at(Utc::now()).await;
            outbox.send_missed_at(Utc::now()).await;
        }
    })
}
