//! Operator gateways (SMS, WeChat, broadcast): browser push does not reach every phone in
//! mainland China, so each new or changed warning is also POSTed as JSON to every configured
//! `[[gateways]]` URL, signed with HMAC-SHA256, retried with backoff. A delivery is claimed in
//! the database first, so with several replicas each warning goes to each gateway once.
//!
//! Request headers: `X-SafeJDZ-Delivery` (the message id, for idempotency),
//! `X-SafeJDZ-Timestamp` (Unix seconds) and `X-SafeJDZ-Signature: sha256=<hex>` of
//! HMAC-SHA256(secret, "<timestamp>.<body>"). See docs/API.md.

pub mod store;

use std::{sync::Arc, time::Duration};

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use serde::Deserialize;
use serde_json::json;
use sha2::Sha256;
use tokio::sync::broadcast::error::RecvError;

use self::store::DeliveryState;
use super::{
    outbox::{MISSED_AFTER, MISSED_WINDOW, Outbox, STALLED_AFTER, before, spawn_sweeps},
    retry::{RetryPolicy, retry_after},
};
use crate::{
    platform::{secret::Secret, store::Store},
    warnings::{
        api::views::{AreaView, ReferenceView},
        hub::{AlertEvent, AlertHub, event_for},
        store::StoredAlert,
    },
};

/// One `[[gateways]]` entry of the configuration file.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GatewayConfig {
    /// Unique name, recorded with every delivery.
    pub name: String,
    /// Where warnings are POSTed (`https://` in production).
    pub url: String,
    /// The shared HMAC key.
    pub secret: Secret,
}

impl GatewayConfig {
    /// What is wrong with this entry, if anything.
    pub fn problem(&self) -> Option<String> {
        if self.name.trim().is_empty() {
            return Some("a gateway has an empty name".into());
        }
        if reqwest::Url::parse(&self.url).is_err() {
            return Some(format!("gateway {:?}: url {:?} is not a URL", self.name, self.url));
        }
        if self.secret.expose().len() < 16 {
            return Some(format!("gateway {:?}: secret must be at least 16 characters", self.name));
        }
        None
    }
}

/// Starts a worker that delivers every event of `hub` to `gateway`, and its sweeps (taking
/// over deliveries a stopped replica left, sending missed ones).
pub fn spawn(
    gateway: GatewayConfig,
    hub: &AlertHub,
    store: Store,
    public_url: String,
    policy: RetryPolicy,
) -> Vec<tokio::task::JoinHandle<()>> {
    let mut events = hub.subscribe();
    let worker = GatewayWorker::new(gateway, store, public_url, policy);
    let sweeps = spawn_sweeps(worker.clone());
    let listener = tokio::spawn(async move {
        loop {
            match events.recv().await {
                Ok(event) => worker.deliver(&event).await,
                Err(RecvError::Lagged(missed)) => {
                    // The sweep sends them within minutes.
                    tracing::error!(gateway = %worker.gateway.name, missed, "gateway worker fell behind; the sweep will send what it skipped");
                }
                Err(RecvError::Closed) => break,
            }
        }
    });
    vec![sweeps, listener]
}

/// Delivers warnings to one gateway.
#[derive(Clone)]
pub struct GatewayWorker {
    gateway: Arc<GatewayConfig>,
    store: Store,
    public_url: String,
    policy: RetryPolicy,
    client: reqwest::Client,
}

impl GatewayWorker {
    pub fn new(
        gateway: GatewayConfig,
        store: Store,
        public_url: String,
        policy: RetryPolicy,
    ) -> GatewayWorker {
        let client = reqwest::Client::builder()
            .user_agent(concat!("safejdz/", env!("CARGO_PKG_VERSION")))
            // A gateway that hangs must not hold the next warning: each attempt ends, then retries.
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(15))
            .build()
            .expect("an HTTP client with rustls builds (no system configuration is read)");
        GatewayWorker { gateway: Arc::new(gateway), store, public_url, policy, client }
    }

    /// Claims the event's delivery and sends it; nothing when another replica has it.
    pub async fn deliver(&self, event: &AlertEvent) {
        let name = &self.gateway.name;
        match self.store.claim_delivery(name, event.id, Utc::now()).await {
            Ok(true) => self.send_claimed(event).await,
            Ok(false) => {} // Another replica has it.
            Err(error) => {
                tracing::error!(gateway = %name, id = event.id, %error, "claiming a gateway delivery failed");
            }
        }
    }

    /// Sends a delivery this worker holds the claim of, and records how it went.
    async fn send_claimed(&self, event: &AlertEvent) {
        let name = &self.gateway.name;
        let stored = match self.store.accepted_alert(event.id).await {
            Ok(Some(stored)) => stored,
            Ok(None) => {
                let _ = self
                    .store
                    .finish_delivery(name, event.id, DeliveryState::Failed, 0, Some("unreadable"))
                    .await;
                return;
            }
            Err(error) => {
                tracing::error!(gateway = %name, id = event.id, %error, "reading the alert to deliver failed");
                return;
            }
        };
        let body = payload(event, &stored, &self.public_url).to_string();
        let (state, attempts, error) = self.send_with_retries(event.id, &body).await;
        if let Some(error) = &error {
            tracing::error!(gateway = %name, id = event.id, attempts, %error, "gateway delivery failed");
        } else {
            tracing::info!(gateway = %name, id = event.id, attempts, "delivered to gateway");
        }
        if let Err(e) =
            self.store.finish_delivery(name, event.id, state, i64::from(attempts), error.as_deref()).await
        {
            tracing::error!(gateway = %name, id = event.id, error = %e, "recording a gateway delivery failed");
        }
    }

    /// The event of a stored message, as the live path would have had it.
    async fn event_of(&self, id: i64) -> Option<AlertEvent> {
        let stored = self.store.accepted_alert(id).await.ok()??;
        event_for(id, &stored.alert)
    }
}

impl Outbox for GatewayWorker {
    async fn resume_stalled_at(&self, now: DateTime<Utc>) -> usize {
        let name = &self.gateway.name;
        let taken = match self.store.take_over_stalled_deliveries(name, before(now, STALLED_AFTER), now).await
        {
            Ok(taken) => taken,
            Err(error) => {
                tracing::error!(gateway = %name, %error, "looking for stalled gateway deliveries failed");
                return 0;
            }
        };
        for id in &taken {
            tracing::warn!(gateway = %name, id, "resuming a gateway delivery another replica left unfinished");
            match self.event_of(*id).await {
                Some(event) => self.send_claimed(&event).await,
                None => {
                    let _ = self
                        .store
                        .finish_delivery(name, *id, DeliveryState::Failed, 0, Some("unreadable"))
                        .await;
                }
            }
        }
        taken.len()
    }

    async fn send_missed_at(&self, now: DateTime<Utc>) -> usize {
        let name = &self.gateway.name;
        let window = (before(now, MISSED_WINDOW), before(now, MISSED_AFTER));
        let ids = match self.store.accepted_without_delivery(name, window.0, window.1).await {
            Ok(ids) => ids,
            Err(error) => {
                tracing::error!(gateway = %name, %error, "looking for missed gateway deliveries failed");
                return 0;
            }
        };
        let mut sent = 0;
        for id in ids {
            // Test, Exercise and other messages residents never hear of have no event.
            let Some(event) = self.event_of(id).await else { continue };
            tracing::warn!(gateway = %name, id, "sending a gateway delivery that was missed");
            if let Ok(true) = self.store.claim_delivery(name, id, now).await {
                self.send_claimed(&event).await;
                sent += 1;
            }
        }
        sent
    }
}

impl GatewayWorker {
    async fn send_with_retries(&self, id: i64, body: &str) -> (DeliveryState, u32, Option<String>) {
        let mut delay = self.policy.first_delay;
        let mut last_error = String::new();
        for attempt in 1..=self.policy.attempts {
            let timestamp = Utc::now().timestamp().to_string();
            let sent = self
                .client
                .post(&self.gateway.url)
                .timeout(Duration::from_secs(10))
                .header("content-type", "application/json")
                .header("x-safejdz-delivery", id.to_string())
                .header("x-safejdz-timestamp", &timestamp)
                .header("x-safejdz-signature", signature(self.gateway.secret.expose(), &timestamp, body))
                .body(body.to_owned())
                .send()
                .await;
            let wait = match sent {
                Ok(response) if response.status().is_success() => {
                    return (DeliveryState::Delivered, attempt, None);
                }
                Ok(response) => {
                    let status = response.status();
                    last_error = format!("HTTP {status}");
                    let retryable =
                        status.is_server_error() || status.as_u16() == 429 || status.as_u16() == 408;
                    if !retryable {
                        return (DeliveryState::Failed, attempt, Some(last_error));
                    }
                    retry_after(&response).unwrap_or(delay)
                }
                Err(error) => {
                    last_error = error.to_string();
                    delay
                }
            };
            if attempt < self.policy.attempts {
                tokio::time::sleep(wait.min(self.policy.max_delay)).await;
                delay = (delay * 2).min(self.policy.max_delay);
                // Still at it: the claim must not look silent to the other replicas.
                if let Err(error) = self.store.beat_delivery(&self.gateway.name, id, Utc::now()).await {
                    tracing::warn!(gateway = %self.gateway.name, id, %error, "beating a gateway delivery failed");
                }
            }
        }
        (DeliveryState::Failed, self.policy.attempts, Some(last_error))
    }
}

/// `sha256=<hex>` of HMAC-SHA256(`secret`, "<timestamp>.<body>").
pub fn signature(secret: &str, timestamp: &str, body: &str) -> String {
    #[allow(clippy::expect_used)] // HMAC takes keys of any length.
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    let digest = mac.finalize().into_bytes();
    format!("sha256={}", digest.iter().map(|b| format!("{b:02x}")).collect::<String>())
}

/// The JSON a gateway receives: what changed, the warning's text in each language, and its
/// areas (descriptions, division codes, polygons and circles) for the gateway's own targeting.
pub fn payload(event: &AlertEvent, stored: &StoredAlert, public_url: &str) -> serde_json::Value {
    let alert = &stored.alert;
    let base = public_url.trim_end_matches('/');
    json!({
        "delivery": event.id,
        "kind": event.kind,
        "msg_type": alert.msg_type.as_str(),
        "identifier": alert.identifier,
        "sender": alert.sender,
        "sent": alert.sent,
        "references": alert.references.iter().map(ReferenceView::of).collect::<Vec<_>>(),
        "links": {
            "page": format!("{base}/alerts/{}", stored.id),
            "json": format!("{base}/api/v1/alerts/{}", stored.id),
            "cap": format!("{base}/api/v1/alerts/{}.cap", stored.id),
        },
        "colour": event.colour,
        "severity": event.severity,
        "division_codes": event.division_codes,
        "infos": alert.infos.iter().map(|info| json!({
            "language": info.language,
            "event": info.event,
            "urgency": info.urgency.as_str(),
            "severity": info.severity.as_str(),
            "colour": info.colour.map(|c| c.as_str()),
            "headline": info.headline,
            "instruction": info.instruction,
            "expires": info.expires,
            "areas": info.areas.iter().map(AreaView::of).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}
