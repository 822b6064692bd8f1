//! The settings page's side: subscribe, choose levels, follow the saved places, send a test,
//! unsubscribe. The app reaches it through its `PushBackend` trait.

use std::time::Duration;

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::Utc;
use safejdz_app::{
    alerts::{NewSubscription, PushBackend, PushPending, PushRefusal},
    domain::notifications::NotifyLevels,
};

use super::store::NewPushSubscription;
use super::{PushOutcome, WebPush, sending::receiver_keys};
use crate::platform::store::StorageError;

/// A browser may ask for a test notification once in this long.
pub const TEST_INTERVAL: Duration = Duration::from_secs(30);

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
            if receiver_keys(&new.p256dh, &new.auth).is_err() {
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
            match found {
                None => Ok(None),
                Some(s) => match NotifyLevels::parse(&s.levels) {
                    Some(levels) => Ok(Some(levels)),
                    None => {
                        tracing::error!(subscription = s.id, levels = %s.levels, "stored notification levels cannot be read");
                        Err(PushRefusal::Failed)
                    }
                },
            }
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
