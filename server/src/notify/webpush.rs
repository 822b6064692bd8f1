//! Web Push: notifications that reach a resident's phone with the app closed. For every new,
//! updated or ended warning the [`WebPush`] fan-out reads every subscription (coarse places,
//! chosen levels), keeps those the warning concerns (`domain::notifications::WarningTargets`), and
//! sends each one
//! notification, encrypted for that browser (RFC 8291) and signed with our VAPID key (RFC 8292).
//!
//! - One notification per warning per device: the fan-out of a message is claimed in
//!   the outbox (channel `webpush`), so with several replicas one sends it (and records its progress, so that
//!   another finishes it if that replica dies); its `tag`/`Topic` is the warning's
//!   (the oldest message it references), so an Update replaces the earlier notification on the
//!   phone and at the push service, and a Cancel or lift replaces it with "ended".
//! - Failures: 404/410 mean the browser unsubscribed (the row is deleted); 429 and 5xx are
//!   retried with doubling waits, honouring `Retry-After`; other 4xx are not retried.
//! - Endpoints must belong to a known push service (`push_services`): a subscription is a URL
//!   the client chose, and this server must not POST to arbitrary addresses for anyone.
//!
//! Here: the sender and its task. `fanout.rs`: one warning to every subscription it concerns,
//! and the sweeps for stalled or missed fan-outs. `sending.rs`: one notification to one
//! browser. `payload.rs`: what a notification says. `subscriptions.rs`: the settings page's
//! side. `encryption.rs` (RFC 8291) and `vapid.rs` (RFC 8292): the two standards.

mod fanout;
mod payload;
mod sending;
mod subscriptions;

pub mod encryption;
pub mod kept_key;
pub mod store;
pub mod vapid;

use std::{sync::Arc, time::Duration};

use tokio::sync::broadcast::error::RecvError;

use self::vapid::Vapid;
pub use self::{
    payload::{NotificationPayload, left_area_payload, warning_payload, warning_tag},
    sending::PushOutcome,
    subscriptions::TEST_INTERVAL,
};
use super::retry::RetryPolicy;
use crate::{platform::store::Store, warnings::hub::AlertHub};

/// Push services browsers subscribe through (FCM for Chrome and most Android browsers,
/// Mozilla's autopush, Apple's, Microsoft's): an endpoint's origin must match one. A leading
/// `*.` matches any subdomain.
pub const DEFAULT_PUSH_SERVICES: &[&str] = &[
    "https://fcm.googleapis.com",
    "https://updates.push.services.mozilla.com",
    "https://*.push.services.mozilla.com",
    "https://web.push.apple.com",
    "https://*.push.apple.com",
    "https://*.notify.windows.com",
];

/// Pushes in flight at once: enough to fill the link to a push service, few enough that a
/// slow one does not hold thousands of sockets.
const IN_FLIGHT: usize = 256;

/// The allowed push services, as configured.
#[derive(Debug, Clone)]
pub struct PushServices(Vec<String>);

impl PushServices {
    pub fn new(patterns: &[String]) -> PushServices {
        PushServices(patterns.iter().map(|p| p.trim().trim_end_matches('/').to_owned()).collect())
    }

    /// Whether `endpoint` is an https URL of an allowed push service (or exactly an allowed
    /// origin, which may be http: for a local test receiver).
    pub fn allows(&self, endpoint: &str) -> bool {
        let Ok(url) = reqwest::Url::parse(endpoint) else { return false };
        let origin = url.origin().ascii_serialization();
        let Some(host) = url.host_str() else { return false };
        self.0.iter().any(|pattern| {
            if *pattern == origin {
                return true;
            }
            match pattern.strip_prefix("https://*.") {
                Some(suffix) => {
                    url.scheme() == "https"
                        && url.port().is_none()
                        && host.len() > suffix.len()
                        && host.ends_with(suffix)
                        && host[..host.len() - suffix.len()].ends_with('.')
                }
                None => false,
            }
        })
    }
}
/// The Web Push sender of this process.
#[derive(Debug, Clone)]
pub struct WebPush {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    vapid: Vapid,
    services: PushServices,
    store: Store,
    client: reqwest::Client,
    policy: RetryPolicy,
}

impl WebPush {
    pub fn new(vapid: Vapid, services: PushServices, store: Store, policy: RetryPolicy) -> WebPush {
        let client = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(15))
            .pool_max_idle_per_host(IN_FLIGHT)
            .build()
            // A default client would have no timeout: a hung push service would hold a send.
            .expect("an HTTP client with rustls builds (no system configuration is read)");
        WebPush { inner: Arc::new(Inner { vapid, services, store, client, policy }) }
    }

    /// The key browsers subscribe with (`applicationServerKey`).
    pub fn public_key(&self) -> &str {
        self.inner.vapid.public_key()
    }

    /// Starts the fan-out of every event of `hub`, and a watch (at start, then every minute)
    /// for fan-outs a stopped replica left unfinished.
    pub fn spawn(&self, hub: &AlertHub) -> Vec<tokio::task::JoinHandle<()>> {
        let sweeps = super::outbox::spawn_sweeps(self.clone());
        let mut events = hub.subscribe();
        let sender = self.clone();
        let listener = tokio::spawn(async move {
            let mut running = std::collections::HashMap::new();
            loop {
                match events.recv().await {
                    Ok(event) => {
                        // Each warning's fan-out on its own task, so one warning never waits for
                        // the hundred thousand notifications of another; but messages of the
                        // same warning go out in order (an Update after its Alert), or a phone
                        // could be left showing the older one.
                        let tag = match sender.inner.store.accepted_alert(event.id).await {
                            Ok(Some(stored)) => warning_tag(&stored.alert),
                            _ => String::new(),
                        };
                        running.retain(|_, task: &mut tokio::task::JoinHandle<()>| !task.is_finished());
                        let before = running.remove(&tag);
                        let sender = sender.clone();
                        let task = tokio::spawn(async move {
                            if let Some(before) = before {
                                let _ = before.await;
                            }
                            sender.fan_out(&event).await;
                        });
                        running.insert(tag, task);
                    }
                    Err(RecvError::Lagged(missed)) => {
                        tracing::error!(missed, "web push fell behind; events skipped");
                    }
                    Err(RecvError::Closed) => break,
                }
            }
        });
        vec![sweeps, listener]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_must_belong_to_an_allowed_push_service() {
        let services = PushServices::new(
            &DEFAULT_PUSH_SERVICES
                .iter()
                .map(|s| (*s).to_owned())
                .chain(["http://127.0.0.1:4000".to_owned()])
                .collect::<Vec<_>>(),
        );
        assert!(services.allows("https://fcm.googleapis.com/fcm/send/abc"));
        assert!(services.allows("https://updates.push.services.mozilla.com/wpush/v2/x"));
        assert!(services.allows("https://db5p.notify.windows.com/w/?token=x"));
        assert!(services.allows("http://127.0.0.1:4000/push/1"));
        assert!(!services.allows("http://fcm.googleapis.com/fcm/send/abc"), "plain http");
        assert!(!services.allows("https://fcm.googleapis.com.evil.example/x"));
        assert!(!services.allows("https://evilnotify.windows.com/x"), "suffix without a dot");
        assert!(!services.allows("https://notify.windows.com:8443/x"), "other port");
        assert!(!services.allows("http://127.0.0.1:4001/push/1"));
        assert!(!services.allows("http://169.254.169.254/latest/meta-data"));
        assert!(!services.allows("not a url"));
    }
}
