//! Sending one notification: encrypt it for the browser (RFC 8291), sign the request (VAPID),
//! POST it to the push service, and act on the answer (delivered, gone, retry, fail).

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use safejdz_app::{domain::preferences::Lang, i18n::translate};
use sha2::{Digest, Sha256};

use super::store::PushSubscription;
use super::{
    NotificationPayload, WebPush,
    encryption::{self, EncryptionError, ReceiverKeys},
};
use crate::notify::retry::{RetryPolicy, retry_after};

/// A test notification is worthless after a minute.
const TEST_TTL_SECONDS: i64 = 60;

/// How one push ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PushOutcome {
    Delivered,
    /// The push service says the subscription no longer exists; it was deleted.
    Gone,
    Failed(String),
}
impl WebPush {
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
        let keys = match receiver_keys(&subscription.p256dh, &subscription.auth) {
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

/// The browser's keys from a subscription's `p256dh` and `auth` (base64url, padding tolerated).
pub(super) fn receiver_keys(p256dh: &str, auth: &str) -> Result<ReceiverKeys, EncryptionError> {
    let p256dh =
        URL_SAFE_NO_PAD.decode(p256dh.trim_end_matches('=')).map_err(|_| EncryptionError::BadPublicKey)?;
    let auth =
        URL_SAFE_NO_PAD.decode(auth.trim_end_matches('=')).map_err(|_| EncryptionError::BadAuthSecret)?;
    ReceiverKeys::from_bytes(&p256dh, &auth)
}

fn topic(tag: &str) -> String {
    // A tag is already a topic except for the test notification's plain word.
    if tag.len() == 32 {
        tag.to_owned()
    } else {
        URL_SAFE_NO_PAD.encode(Sha256::digest(tag.as_bytes()))[..32].to_owned()
    }
}
