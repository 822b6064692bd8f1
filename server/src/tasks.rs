//! Every background task of a running server, started in one place and stopped on shutdown:
//! the alert hub, Web Push's fan-out and sweeps, a worker per operator gateway, a poller per
//! polled source, the periodic judging of messages a stopped replica left unjudged, and the
//! purge of timed-out staff sessions, and the class sessions' clock (time-outs, the record
//! of drills held).

use std::time::Duration;

use tokio::{sync::watch, task::JoinHandle};

use crate::{
    notify::{gateways, retry::RetryPolicy},
    state::AppState,
    warnings::{
        ingest::Ingest,
        sources::{PUSH_SOURCE, SourceKind, poll},
    },
};

/// The running tasks. Dropping it stops them all.
pub struct Tasks {
    /// Tells pollers to finish the poll in hand and stop.
    stop: watch::Sender<bool>,
    /// Pollers: they stop by themselves when told.
    pollers: Vec<JoinHandle<()>>,
    /// Everything else: loops that end only when stopped from outside.
    handles: Vec<JoinHandle<()>>,
}

impl Tasks {
    /// Starts every task `state` and its configuration call for. Source health is registered
    /// first, so `/healthz` lists every source from the start.
    pub async fn start(state: &AppState) -> Tasks {
        let config = &state.config;
        let warnings = &state.warnings;
        let (stop, stopped) = watch::channel(false);
        let mut handles = vec![tokio::spawn(warnings.hub.clone().run(warnings.ingest.accepted_signal()))];
        let mut pollers = Vec::new();
        match &state.web_push {
            Some(web_push) => {
                tracing::info!(public_key = %web_push.public_key(), "web push on");
                handles.extend(web_push.spawn(&warnings.hub));
            }
            None => tracing::info!("web push off (no vapid_private_key)"),
        }
        for gateway in &config.gateways {
            tracing::info!(gateway = %gateway.name, url = %gateway.url, "delivering warnings to gateway");
            handles.extend(gateways::spawn(
                gateway.clone(),
                &warnings.hub,
                state.store.clone(),
                config.public_url.clone(),
                RetryPolicy::default(),
            ));
        }
        if config.push_token.as_ref().is_some_and(|t| !t.is_empty()) {
            warnings.sources_health.register(PUSH_SOURCE, SourceKind::Push).await;
        }
        for source in &config.sources {
            warnings.sources_health.register(&source.name, source.kind).await;
            if source.kind == SourceKind::Poll {
                tracing::info!(source = %source.name, url = ?source.url, "polling");
                pollers.push(tokio::spawn(poll::run(
                    source.clone(),
                    warnings.ingest.clone(),
                    warnings.sources_health.clone(),
                    stopped.clone(),
                )));
            }
        }
        handles.push(tokio::spawn(recover_periodically(warnings.ingest.clone())));
        handles.push(tokio::spawn(purge_staff_sessions(state.staff.clone())));
        handles.push(tokio::spawn(state.shelters.changes.clone().run(state.store.clone())));
        handles.push(tokio::spawn(tick_class_sessions(state.drills.clone(), state.staff.clone())));
        Tasks { stop, pollers, handles }
    }

    /// Stops every task: pollers get up to `grace` to finish the poll in hand, the rest end
    /// at once.
    pub async fn stop(mut self, grace: Duration) {
        let _ = self.stop.send(true);
        for handle in &self.handles {
            handle.abort();
        }
        let pollers = std::mem::take(&mut self.pollers);
        if tokio::time::timeout(grace, futures::future::join_all(pollers)).await.is_err() {
            tracing::warn!("pollers did not stop within the grace period");
        }
    }
}

impl Drop for Tasks {
    fn drop(&mut self) {
        for handle in self.handles.iter().chain(&self.pollers) {
            handle.abort();
        }
    }
}

/// Judges, every minute, messages a crashed replica stored but did not judge.
async fn recover_periodically(ingest: Ingest) {
    let mut every_minute = tokio::time::interval(Duration::from_secs(60));
    every_minute.tick().await;
    loop {
        every_minute.tick().await;
        if let Err(error) = ingest.recover().await {
            tracing::error!(%error, "recovering unjudged messages failed");
        }
    }
}

/// Deletes timed-out staff sessions every ten minutes (a timed-out session is refused anyway;
/// this keeps the table small).
async fn purge_staff_sessions(staff: crate::staff::Staff) {
    let mut every_ten_minutes = tokio::time::interval(Duration::from_secs(600));
    loop {
        every_ten_minutes.tick().await;
        if let Err(error) = staff.purge_sessions(chrono::Utc::now()).await {
            tracing::error!(%error, "purging staff sessions failed");
        }
    }
}

/// Once a second: class sessions move on pupils whose time ran out, and closed sessions go into
/// the record of drills held.
async fn tick_class_sessions(drills: crate::drills::Drills, staff: crate::staff::Staff) {
    let mut ticks = tokio::time::interval(Duration::from_secs(1));
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        crate::drills::class_routes::record_closed(&drills, &staff).await;
    }
}
