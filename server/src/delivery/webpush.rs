//! Web Push: notifications that reach a resident's phone with the app closed. For every new,
//! updated or ended warning the [`WebPush`] fan-out reads every subscription (coarse places,
//! chosen levels), keeps those the warning concerns ([`WarningTargets`]), and sends each one
//! notification, encrypted for that browser (RFC 8291) and signed with our VAPID key (RFC 8292).
//!
//! - One notification per warning per device: the fan-out of a message is claimed in
//!   `push_fanouts`, so with several replicas one sends it (and records its progress, so that
//!   another finishes it if that replica dies); its `tag`/`Topic` is the warning's
//!   (the oldest message it references), so an Update replaces the earlier notification on the
//!   phone and at the push service, and a Cancel or lift replaces it with "ended".
//! - Failures: 404/410 mean the browser unsubscribed (the row is deleted); 429 and 5xx are
//!   retried with doubling waits, honouring `Retry-After`; other 4xx are not retried.
//! - Endpoints must belong to a known push service (`push_services`): a subscription is a URL
//!   the client chose, and this server must not POST to arbitrary addresses for anyone.

pub mod encryption;
pub mod vapid;

use std::{sync::Arc, time::Duration};

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::Utc;
use safejdz_app::{
    alerts::{NewSubscription, PushBackend, PushPending, PushRefusal},
    domain::{
        boundaries,
        cap::{Alert, ColourLevel},
        notifications::{NotifyLevels, WarningTargets, notify_level, warning_root},
        preferences::Lang,
    },
    i18n::{translate, translate_with},
};
use serde::Serialize;
use sha2::{Digest, Sha256};
use tokio::sync::broadcast::error::RecvError;

use self::{encryption::ReceiverKeys, vapid::Vapid};
use super::{AlertEvent, AlertHub, EventKind, RetryPolicy, retry_after};
use crate::storage::{
    StorageError, Store,
    push_subscriptions::{FanoutCounts, NewPushSubscription, PushSubscription},
};

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

/// Subscriptions read per database round trip during a fan-out.
const PAGE: i64 = 5_000;
/// Pushes in flight at once: enough to fill the link to a push service, few enough that a
/// slow one does not hold thousands of sockets.
const IN_FLIGHT: usize = 256;
/// How long a push service keeps a notification for a phone that is off, at most.
const MAX_TTL_SECONDS: i64 = 24 * 60 * 60;
/// A test notification is worthless after a minute.
const TEST_TTL_SECONDS: i64 = 60;
/// A fan-out whose replica has not beaten for this long is taken over by another. Long enough
/// that a page of pushes to a struggling push service (retries, timeouts) never looks stalled.
pub const STALLED_AFTER: Duration = Duration::from_secs(10 * 60);
/// An accepted message still without a fan-out this long after it arrived was missed.
pub const MISSED_AFTER: Duration = Duration::from_secs(2 * 60);
/// How far back the earlier versions of an updated or cancelled warning are looked for (the
/// pages' lookback window).
const EARLIER_WITHIN_DAYS: i64 = 30;
/// What a subscriber is told of a message: the warning itself (new, updated, ended), or that
/// an Update moved it away from their places. Indexes the payloads built per language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Notice {
    Warning = 0,
    LeftArea = 1,
}
/// A browser may ask for a test notification once in this long.
pub const TEST_INTERVAL: Duration = Duration::from_secs(30);

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

/// What the service worker receives (decrypted) and shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct NotificationPayload {
    /// `new`, `updated`, `ended` or `test`.
    pub kind: String,
    /// The notification's tag (and the push Topic): one per warning.
    pub tag: String,
    pub title: String,
    pub body: String,
    /// The page the notification opens.
    pub url: String,
    /// `red`, `orange`, `yellow` or `blue`; absent for a test.
    pub level: Option<String>,
    pub lang: String,
    /// Red and orange warnings stay on screen until the resident acts.
    pub require_interaction: bool,
}

/// How one push ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PushOutcome {
    Delivered,
    /// The push service says the subscription no longer exists; it was deleted.
    Gone,
    Failed(String),
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
            .timeout(Duration::from_secs(15))
            .pool_max_idle_per_host(IN_FLIGHT)
            .build()
            .unwrap_or_default();
        WebPush { inner: Arc::new(Inner { vapid, services, store, client, policy }) }
    }

    /// The key browsers subscribe with (`applicationServerKey`).
    pub fn public_key(&self) -> &str {
        self.inner.vapid.public_key()
    }

    pub fn services(&self) -> &PushServices {
        &self.inner.services
    }

    /// Starts the fan-out of every event of `hub`, and a watch (at start, then every minute)
    /// for fan-outs a stopped replica left unfinished.
    pub fn spawn(&self, hub: &AlertHub) {
        let watcher = self.clone();
        tokio::spawn(async move {
            let mut every_minute = tokio::time::interval(Duration::from_secs(60));
            loop {
                every_minute.tick().await;
                watcher.resume_stalled().await;
                watcher.send_missed().await;
            }
        });
        let mut events = hub.subscribe();
        let sender = self.clone();
        tokio::spawn(async move {
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
    }

    /// Notifies every subscription the event's warning concerns; `None` when another replica
    /// has this message or it cannot be read.
    pub async fn fan_out(&self, event: &AlertEvent) -> Option<FanoutCounts> {
        match self.inner.store.claim_push_fanout(event.id, Utc::now()).await {
            Ok(true) => self.run_fan_out(event, 0, FanoutCounts::default()).await,
            Ok(false) => None, // Another replica has it.
            Err(error) => {
                tracing::error!(id = event.id, %error, "claiming a push fan-out failed");
                None
            }
        }
    }

    /// Takes over the fan-outs of replicas that stopped (no beat for [`STALLED_AFTER`]) and
    /// finishes them from where they got to. Returns how many it took over.
    pub async fn resume_stalled(&self) -> usize {
        let now = Utc::now();
        let silent_since = now - chrono::Duration::from_std(STALLED_AFTER).unwrap_or_default();
        let taken = match self.inner.store.take_over_stalled_push_fanouts(silent_since, now).await {
            Ok(taken) => taken,
            Err(error) => {
                tracing::error!(%error, "looking for stalled push fan-outs failed");
                return 0;
            }
        };
        for (id, done_through, counts) in &taken {
            tracing::warn!(id, done_through, "resuming a push fan-out another replica left unfinished");
            let event = match self.inner.store.accepted_alert(*id).await {
                Ok(Some(stored)) => super::event_for(*id, &stored.alert),
                _ => None,
            };
            match event {
                Some(event) => {
                    self.run_fan_out(&event, *done_through, *counts).await;
                }
                None => {
                    let _ = self.inner.store.finish_push_fanout(*id, *counts, Utc::now()).await;
                }
            }
        }
        taken.len()
    }

    /// Fans out accepted messages of the last hour that no replica fanned out (this process
    /// fell more than the hub's backlog behind, or was stopped between accepting and sending).
    /// Messages younger than [`MISSED_AFTER`] are left to the live path. Returns how many.
    pub async fn send_missed(&self) -> usize {
        let now = Utc::now();
        let until = now - chrono::Duration::from_std(MISSED_AFTER).unwrap_or_default();
        let ids =
            match self.inner.store.accepted_without_fanout(now - chrono::Duration::hours(1), until).await {
                Ok(ids) => ids,
                Err(error) => {
                    tracing::error!(%error, "looking for missed push fan-outs failed");
                    return 0;
                }
            };
        let mut sent = 0;
        for id in ids {
            let Ok(Some(stored)) = self.inner.store.accepted_alert(id).await else { continue };
            // Test, Exercise and other non-resident messages have no event: nothing to send.
            if let Some(event) = super::event_for(id, &stored.alert) {
                tracing::warn!(id, "sending a push fan-out that was missed");
                if self.fan_out(&event).await.is_some() {
                    sent += 1;
                }
            }
        }
        sent
    }

    /// Runs a claimed fan-out from the subscription after `after`, adding to `counts`.
    async fn run_fan_out(
        &self,
        event: &AlertEvent,
        after: i64,
        counts: FanoutCounts,
    ) -> Option<FanoutCounts> {
        let store = &self.inner.store;
        let alert = match store.accepted_alert(event.id).await {
            Ok(Some(stored)) => stored.alert,
            Ok(None) => return None,
            Err(error) => {
                tracing::error!(id = event.id, %error, "reading the alert to push failed");
                return None;
            }
        };
        let counts = match self.notify_concerned(event, &alert, after, counts).await {
            Ok(counts) => counts,
            Err(error) => {
                // Left unfinished: another replica (or this one) resumes it once it looks stalled.
                tracing::error!(id = event.id, %error, "reading subscriptions failed");
                return None;
            }
        };
        tracing::info!(id = event.id, ?counts, "web push fan-out finished");
        if let Err(error) = store.finish_push_fanout(event.id, counts, Utc::now()).await {
            tracing::error!(id = event.id, %error, "recording a push fan-out failed");
        }
        Some(counts)
    }

    async fn notify_concerned(
        &self,
        event: &AlertEvent,
        alert: &Alert,
        mut after: i64,
        mut counts: FanoutCounts,
    ) -> Result<FanoutCounts, StorageError> {
        let mut targets = WarningTargets::new(alert, boundaries::jingdezhen());
        // Who heard of this warning before: an Update or a Cancel must reach them even if its
        // own area or level would not (a cancel often names no area; an update may narrow it).
        let earlier = self.earlier_messages(alert).await?;
        let mut earlier_targets: Vec<WarningTargets<'_, _>> =
            earlier.iter().map(|a| WarningTargets::new(a, boundaries::jingdezhen())).collect();
        let payloads = Arc::new(
            [Lang::ZhCn, Lang::En]
                .map(|lang| [warning_payload(event, alert, lang), left_area_payload(event, alert, lang)]),
        );
        let in_flight = Arc::new(tokio::sync::Semaphore::new(IN_FLIGHT));
        let level = alert.infos.first().map(|i| notify_level(i.colour, i.severity));
        let ttl = alert.infos.first().and_then(|i| i.expires).map_or(MAX_TTL_SECONDS, |expires| {
            (expires.timestamp() - Utc::now().timestamp()).clamp(60, MAX_TTL_SECONDS)
        });
        let urgency = match level {
            Some(ColourLevel::Red | ColourLevel::Orange) => "high",
            _ => "normal",
        };
        loop {
            let page = self.inner.store.push_subscriptions_after(after, PAGE).await?;
            let Some(last) = page.last().map(|s| s.id) else { break };
            let page_len = page.len();
            let concerned: Vec<(PushSubscription, Notice)> = page
                .into_iter()
                .filter_map(|s| {
                    let levels = NotifyLevels::parse(&s.levels).unwrap_or_default();
                    let heard_before = earlier_targets.iter_mut().any(|t| t.concerns(&s.places, levels));
                    let notice = match event.kind {
                        EventKind::New => targets.concerns(&s.places, levels).then_some(Notice::Warning),
                        EventKind::Updated if targets.concerns(&s.places, levels) => Some(Notice::Warning),
                        // Heard the earlier level: hears this one too, even below their choice.
                        EventKind::Updated
                            if heard_before && targets.concerns(&s.places, NotifyLevels::ALL) =>
                        {
                            Some(Notice::Warning)
                        }
                        EventKind::Updated => heard_before.then_some(Notice::LeftArea),
                        // The end goes to those who heard of the warning; judged by the cancel's
                        // own area only when the earlier messages are not known here.
                        EventKind::Ended if earlier.is_empty() => {
                            targets.concerns(&s.places, levels).then_some(Notice::Warning)
                        }
                        EventKind::Ended => heard_before.then_some(Notice::Warning),
                    };
                    notice.map(|notice| (s, notice))
                })
                .collect();
            counts.matched += concerned.len() as i64;
            // Each push on its own task: encryption is two elliptic-curve multiplications, and
            // spawned tasks spread them over every core (a stream polled in this task would not).
            let mut sending = tokio::task::JoinSet::new();
            for (subscription, notice) in concerned {
                let Ok(permit) = in_flight.clone().acquire_owned().await else { break };
                let (sender, payloads) = (self.clone(), payloads.clone());
                sending.spawn(async move {
                    let english = Lang::from_tag(&subscription.lang) == Some(Lang::En);
                    let payload = &payloads[usize::from(english)][notice as usize];
                    let outcome = sender.send(&subscription, payload, ttl, urgency).await;
                    drop(permit);
                    outcome
                });
            }
            while let Some(joined) = sending.join_next().await {
                match joined {
                    Ok(PushOutcome::Delivered) => counts.delivered += 1,
                    Ok(PushOutcome::Gone) => counts.removed += 1,
                    Ok(PushOutcome::Failed(_)) | Err(_) => counts.failed += 1,
                }
            }
            // The whole page is handled: a replica that takes over starts after it.
            after = last;
            self.inner.store.beat_push_fanout(event.id, after, counts, Utc::now()).await?;
            if (page_len as i64) < PAGE {
                break;
            }
        }
        Ok(counts)
    }

    /// The earlier versions of `alert`'s warning: the accepted messages it references, and
    /// those they reference in turn (an Update may name only the version just before it).
    async fn earlier_messages(&self, alert: &Alert) -> Result<Vec<Alert>, StorageError> {
        if alert.references.is_empty() {
            return Ok(Vec::new());
        }
        let since = alert.sent.with_timezone(&Utc) - chrono::Duration::days(EARLIER_WITHIN_DAYS);
        let mut recent: Vec<Alert> =
            self.inner.store.accepted_alerts_since(since).await?.into_iter().map(|s| s.alert).collect();
        let mut wanted: Vec<(String, String)> =
            alert.references.iter().map(|r| (r.sender.clone(), r.identifier.clone())).collect();
        let mut earlier = Vec::new();
        while let Some(position) =
            recent.iter().position(|a| wanted.iter().any(|(s, i)| *s == a.sender && *i == a.identifier))
        {
            let found = recent.swap_remove(position);
            wanted.extend(found.references.iter().map(|r| (r.sender.clone(), r.identifier.clone())));
            earlier.push(found);
        }
        Ok(earlier)
    }

    /// Sends "this is a test" to one subscription at once.
    pub async fn send_test_to(&self, subscription: &PushSubscription) -> PushOutcome {
        let lang = Lang::from_tag(&subscription.lang).unwrap_or_default();
        let payload = NotificationPayload {
            kind: "test".into(),
            tag: "test".into(),
            title: translate(lang, "push-test-title"),
            body: translate(lang, "push-test-body"),
            url: "/settings".into(),
            level: None,
            lang: lang.tag().into(),
            require_interaction: false,
        };
        // One attempt: the resident is waiting on the page, and can press the button again.
        let once = RetryPolicy { attempts: 1, ..self.inner.policy };
        self.send_with(subscription, &payload, TEST_TTL_SECONDS, "normal", once).await
    }

    /// Encrypts `payload` for one subscription and delivers it, retrying as the policy says.
    pub async fn send(
        &self,
        subscription: &PushSubscription,
        payload: &NotificationPayload,
        ttl_seconds: i64,
        urgency: &str,
    ) -> PushOutcome {
        self.send_with(subscription, payload, ttl_seconds, urgency, self.inner.policy).await
    }

    async fn send_with(
        &self,
        subscription: &PushSubscription,
        payload: &NotificationPayload,
        ttl_seconds: i64,
        urgency: &str,
        policy: RetryPolicy,
    ) -> PushOutcome {
        let inner = &self.inner;
        // Re-checked at send time: the allow-list may have been narrowed since it subscribed.
        let endpoint = match reqwest::Url::parse(&subscription.endpoint) {
            Ok(url) if inner.services.allows(&subscription.endpoint) => url,
            _ => return PushOutcome::Failed("endpoint is not an allowed push service".into()),
        };
        let keys = match subscription_keys(subscription) {
            Ok(keys) => keys,
            Err(error) => return PushOutcome::Failed(error.to_string()),
        };
        let plaintext = match serde_json::to_vec(payload) {
            Ok(json) => json,
            Err(error) => return PushOutcome::Failed(error.to_string()),
        };
        let body = match encryption::encrypt(&plaintext, &keys) {
            Ok(body) => body,
            Err(error) => return PushOutcome::Failed(error.to_string()),
        };
        let mut delay = policy.first_delay;
        let mut last_error = String::new();
        for attempt in 1..=policy.attempts {
            let sent = inner
                .client
                .post(endpoint.clone())
                .header("authorization", inner.vapid.authorization(&endpoint))
                .header("content-encoding", "aes128gcm")
                .header("content-type", "application/octet-stream")
                .header("ttl", ttl_seconds.to_string())
                .header("urgency", urgency)
                .header("topic", topic(&payload.tag))
                .body(body.clone())
                .send()
                .await;
            let wait = match sent {
                Ok(response) if response.status().is_success() => return PushOutcome::Delivered,
                Ok(response) => {
                    let status = response.status().as_u16();
                    last_error = format!("HTTP {status}");
                    match status {
                        404 | 410 => {
                            if let Err(error) = inner.store.delete_push_subscription(subscription.id).await {
                                tracing::error!(%error, "deleting a gone subscription failed");
                            }
                            return PushOutcome::Gone;
                        }
                        429 | 500..=599 => retry_after(&response).unwrap_or(delay),
                        _ => return PushOutcome::Failed(last_error),
                    }
                }
                Err(error) => {
                    last_error = error.to_string();
                    delay
                }
            };
            if attempt < policy.attempts {
                tokio::time::sleep(wait.min(policy.max_delay)).await;
                delay = (delay * 2).min(policy.max_delay);
            }
        }
        PushOutcome::Failed(last_error)
    }
}

/// The settings page's server functions reach the sender and the subscriptions through this.
impl PushBackend for WebPush {
    fn public_key(&self) -> String {
        self.inner.vapid.public_key().to_owned()
    }

    fn subscribe(&self, new: NewSubscription) -> PushPending<'_, String> {
        Box::pin(async move {
            if !self.inner.services.allows(&new.endpoint) {
                return Err(PushRefusal::EndpointNotAllowed);
            }
            if !keys_are_valid(&new.p256dh, &new.auth) {
                return Err(PushRefusal::BadKeys);
            }
            let mut random = [0u8; 16];
            rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut random);
            let token = URL_SAFE_NO_PAD.encode(random);
            let levels = new.levels.to_text();
            let record = NewPushSubscription {
                token: &token,
                endpoint: &new.endpoint,
                p256dh: &new.p256dh,
                auth: &new.auth,
                places: &new.places,
                levels: &levels,
                lang: &new.lang,
            };
            self.inner.store.save_push_subscription(&record, Utc::now()).await.map_err(failed)
        })
    }

    fn levels(&self, token: String) -> PushPending<'_, Option<NotifyLevels>> {
        Box::pin(async move {
            let found = self.inner.store.push_subscription_by_token(&token).await.map_err(failed)?;
            Ok(found.map(|s| NotifyLevels::parse(&s.levels).unwrap_or_default()))
        })
    }

    fn set_levels(&self, token: String, levels: NotifyLevels) -> PushPending<'_, ()> {
        Box::pin(async move {
            let updated = self
                .inner
                .store
                .update_push_levels(&token, &levels.to_text(), Utc::now())
                .await
                .map_err(failed)?;
            if updated { Ok(()) } else { Err(PushRefusal::NotSubscribed) }
        })
    }

    fn set_places(&self, token: String, places: String) -> PushPending<'_, ()> {
        Box::pin(async move {
            let updated =
                self.inner.store.update_push_places(&token, &places, Utc::now()).await.map_err(failed)?;
            if updated { Ok(()) } else { Err(PushRefusal::NotSubscribed) }
        })
    }

    fn send_test(&self, token: String) -> PushPending<'_, ()> {
        Box::pin(async move {
            let store = &self.inner.store;
            let subscription = store
                .push_subscription_by_token(&token)
                .await
                .map_err(failed)?
                .ok_or(PushRefusal::NotSubscribed)?;
            let now = Utc::now();
            let since = now - chrono::Duration::from_std(TEST_INTERVAL).unwrap_or_default();
            if !store.claim_test_notification(&token, now, since).await.map_err(failed)? {
                return Err(PushRefusal::TooSoon);
            }
            match self.send_test_to(&subscription).await {
                PushOutcome::Delivered => Ok(()),
                PushOutcome::Gone => Err(PushRefusal::Gone),
                PushOutcome::Failed(error) => {
                    tracing::warn!(%error, "a test notification failed");
                    Err(PushRefusal::Failed)
                }
            }
        })
    }

    fn unsubscribe(&self, token: String) -> PushPending<'_, ()> {
        Box::pin(async move {
            let deleted = self.inner.store.delete_push_subscription_by_token(&token).await.map_err(failed)?;
            if deleted { Ok(()) } else { Err(PushRefusal::NotSubscribed) }
        })
    }
}

fn failed(error: StorageError) -> PushRefusal {
    tracing::error!(%error, "web push storage failed");
    PushRefusal::Failed
}

fn subscription_keys(subscription: &PushSubscription) -> Result<ReceiverKeys, encryption::EncryptionError> {
    let p256dh = URL_SAFE_NO_PAD
        .decode(subscription.p256dh.trim_end_matches('='))
        .map_err(|_| encryption::EncryptionError::BadPublicKey)?;
    let auth = URL_SAFE_NO_PAD
        .decode(subscription.auth.trim_end_matches('='))
        .map_err(|_| encryption::EncryptionError::BadAuthSecret)?;
    ReceiverKeys::from_bytes(&p256dh, &auth)
}

/// Whether a browser's `p256dh` and `auth` (base64url) are usable keys.
pub fn keys_are_valid(p256dh: &str, auth: &str) -> bool {
    let probe = PushSubscription {
        id: 0,
        token: String::new(),
        endpoint: String::new(),
        p256dh: p256dh.to_owned(),
        auth: auth.to_owned(),
        places: String::new(),
        levels: String::new(),
        lang: String::new(),
    };
    subscription_keys(&probe).is_ok()
}

/// The notification's tag for the warning `alert` belongs to: its root message, hashed, 32
/// base64url characters (RFC 8030 limits a Topic to that alphabet and length).
pub fn warning_tag(alert: &Alert) -> String {
    let (sender, identifier) = warning_root(alert);
    let digest = Sha256::digest(format!("{sender}\n{identifier}").as_bytes());
    URL_SAFE_NO_PAD.encode(&digest[..24])
}

fn topic(tag: &str) -> String {
    // A tag is already a topic except for the test notification's plain word.
    if tag.len() == 32 {
        tag.to_owned()
    } else {
        URL_SAFE_NO_PAD.encode(Sha256::digest(tag.as_bytes()))[..32].to_owned()
    }
}

/// The notification of `event` in `lang`: level and event as the title ("已解除" for an ended
/// warning), headline and area as the body, kept within a push message.
pub fn warning_payload(event: &AlertEvent, alert: &Alert, lang: Lang) -> NotificationPayload {
    let info = alert.info_for(lang.tag());
    let level = info.map(|i| notify_level(i.colour, i.severity));
    let level_words =
        level.map_or_else(String::new, |l| translate(lang, &format!("warnings-level-{}", l.as_str())));
    let event_name = info.map_or_else(|| event.event.clone(), |i| i.event.clone());
    let title_key = match event.kind {
        EventKind::New => "push-title-new",
        EventKind::Updated => "push-title-updated",
        EventKind::Ended => "push-title-ended",
    };
    let title = translate_with(
        lang,
        title_key,
        &[("level", level_words.into()), ("event", event_name.clone().into())],
    );
    let headline = info.and_then(|i| i.headline.clone()).unwrap_or(event_name);
    let area = info
        .map(|i| {
            i.areas
                .iter()
                .map(|a| a.area_desc.trim())
                .filter(|d| !d.is_empty())
                .collect::<Vec<_>>()
                .join("、")
        })
        .unwrap_or_default();
    let body = if area.is_empty() { headline } else { format!("{headline}\n{area}") };
    NotificationPayload {
        kind: match event.kind {
            EventKind::New => "new",
            EventKind::Updated => "updated",
            EventKind::Ended => "ended",
        }
        .into(),
        tag: warning_tag(alert),
        title: truncate(title, 200),
        // Leaves room for the rest of the JSON inside the 3,993 bytes a push message holds.
        body: truncate(body, 2_400),
        url: format!("/alerts/{}", event.id),
        level: level.map(|l| l.as_str().to_owned()),
        lang: lang.tag().into(),
        require_interaction: matches!(level, Some(ColourLevel::Red | ColourLevel::Orange))
            && event.kind != EventKind::Ended,
    }
}

/// The notification for a subscriber whose places an Update no longer covers: the warning
/// ends for them (same tag, so it replaces the earlier one), and the body says where it still is.
pub fn left_area_payload(event: &AlertEvent, alert: &Alert, lang: Lang) -> NotificationPayload {
    let warning = warning_payload(event, alert, lang);
    let event_name = alert.info_for(lang.tag()).map_or_else(|| event.event.clone(), |i| i.event.clone());
    NotificationPayload {
        kind: "ended".into(),
        title: truncate(translate_with(lang, "push-title-left-area", &[("event", event_name.into())]), 200),
        body: truncate(format!("{}\n{}", translate(lang, "push-body-left-area"), warning.body), 2_400),
        require_interaction: false,
        ..warning
    }
}

/// At most `max_bytes` of `text`, cut at a character boundary with "…".
fn truncate(text: String, max_bytes: usize) -> String {
    if text.len() <= max_bytes {
        return text;
    }
    let mut end = max_bytes - '…'.len_utf8();
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
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

    #[test]
    fn long_text_is_cut_at_a_character_boundary() {
        let text = "暴".repeat(100);
        let cut = truncate(text, 10);
        assert_eq!(cut, "暴暴…");
        assert!(cut.len() <= 10);
        assert_eq!(truncate("short".into(), 10), "short");
    }
}
