//! Server functions of notifications with the app closed (Web Push): whether they are on, turn
//! them on with the browser's subscription, choose the levels that notify, send a test, turn
//! them off. The browser's row is named by an HttpOnly cookie holding a random token; the
//! subscription carries the saved places in their coarse form and follows them when they
//! change. The server provides the sender as an `Arc<dyn PushBackend>` context.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// What the settings page shows of notifications.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushState {
    /// The server can send notifications (a VAPID key is configured).
    pub available: bool,
    /// The key the browser subscribes with (base64url), when available.
    pub public_key: Option<String>,
    /// This browser is subscribed.
    pub subscribed: bool,
    /// The levels that notify, most serious first (`red`, `orange`, `yellow`, `blue`).
    pub levels: Vec<String>,
    /// The resident has saved places (notifications are for them; without, there is nothing
    /// to be notified of).
    pub has_places: bool,
}

#[server]
pub async fn notification_state() -> Result<PushState, AppError> {
    ssr::status().await
}

/// Stores this browser's push subscription (from `PushManager.subscribe`) with the saved
/// places and the chosen levels (`red,orange,…`).
#[server]
pub async fn subscribe_notifications(
    endpoint: String,
    p256dh: String,
    auth: String,
    levels: String,
) -> Result<(), AppError> {
    ssr::subscribe(endpoint, p256dh, auth, levels).await
}

/// Changes the levels that notify (a plain form; checkboxes send `on` when ticked).
#[server]
pub async fn set_notification_levels(
    red: Option<String>,
    orange: Option<String>,
    yellow: Option<String>,
    blue: Option<String>,
) -> Result<Vec<String>, AppError> {
    let levels = ssr::set_levels([red.is_some(), orange.is_some(), yellow.is_some(), blue.is_some()]).await?;
    // The form is a plain post: back to the settings page, which then says "saved".
    leptos_axum::redirect("/settings?levels-saved#notifications-heading");
    Ok(levels)
}

/// Sends "this is a test" to this browser now (once in 30 seconds).
#[server]
pub async fn test_notification() -> Result<(), AppError> {
    ssr::send_test().await
}

/// Deletes this browser's subscription.
#[server]
pub async fn unsubscribe_notifications() -> Result<(), AppError> {
    ssr::unsubscribe().await
}

#[cfg(feature = "ssr")]
pub use ssr::{NewSubscription, PushBackend, PushPending, PushRefusal, follow_places};

#[cfg(feature = "ssr")]
mod ssr {
    use std::{future::Future, pin::Pin, sync::Arc};

    use http::header;
    use leptos::prelude::*;

    use super::PushState;
    use crate::{
        domain::{
            cap::ColourLevel, notifications::NotifyLevels, places::encode_places, preferences::cookie_value,
        },
        error::AppError,
        shell::request_preferences,
    };

    /// The cookie naming this browser's subscription row (a random token, nothing else).
    pub const PUSH_COOKIE: &str = "sjdz_push";

    /// Why the sender refused.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum PushRefusal {
        /// The endpoint is not one of the allowed push services.
        EndpointNotAllowed,
        /// The browser's keys are not usable.
        BadKeys,
        /// No subscription for this browser.
        NotSubscribed,
        /// A test was sent less than 30 seconds ago.
        TooSoon,
        /// The push service says this subscription no longer exists (it was deleted).
        Gone,
        /// The push service could not be reached or refused; or the database failed.
        Failed,
    }

    impl PushRefusal {
        fn message_id(self) -> &'static str {
            match self {
                PushRefusal::EndpointNotAllowed => "notify-error-service",
                PushRefusal::BadKeys => "notify-error-keys",
                PushRefusal::NotSubscribed => "notify-error-not-subscribed",
                PushRefusal::TooSoon => "notify-error-too-soon",
                PushRefusal::Gone => "notify-error-gone",
                PushRefusal::Failed => "notify-error-failed",
            }
        }
    }

    /// A browser's subscription as the settings page sends it, with the coarse places.
    #[derive(Debug, Clone)]
    pub struct NewSubscription {
        pub endpoint: String,
        pub p256dh: String,
        pub auth: String,
        pub places: String,
        pub levels: NotifyLevels,
        pub lang: String,
    }

    pub type PushPending<'a, T> = Pin<Box<dyn Future<Output = Result<T, PushRefusal>> + Send + 'a>>;

    /// The server's Web Push sender and subscription store.
    pub trait PushBackend: Send + Sync {
        fn public_key(&self) -> String;
        /// Stores (or refreshes) a subscription; returns the token that names it.
        fn subscribe(&self, new: NewSubscription) -> PushPending<'_, String>;
        /// The levels of the subscription `token` names, if it exists.
        fn levels(&self, token: String) -> PushPending<'_, Option<NotifyLevels>>;
        fn set_levels(&self, token: String, levels: NotifyLevels) -> PushPending<'_, ()>;
        fn set_places(&self, token: String, places: String) -> PushPending<'_, ()>;
        fn send_test(&self, token: String) -> PushPending<'_, ()>;
        fn unsubscribe(&self, token: String) -> PushPending<'_, ()>;
    }

    fn backend() -> Option<Arc<dyn PushBackend>> {
        use_context::<Option<Arc<dyn PushBackend>>>().flatten()
    }

    fn refused(refusal: PushRefusal) -> AppError {
        AppError::new(refusal.message_id())
    }

    fn token() -> Option<String> {
        let parts = use_context::<http::request::Parts>()?;
        let cookies = parts.headers.get(header::COOKIE)?.to_str().ok()?;
        cookie_value(cookies, PUSH_COOKIE).filter(|t| !t.is_empty()).map(str::to_owned)
    }

    fn set_cookie(value: &str, max_age: u32) {
        crate::shell::set_cookie(PUSH_COOKIE, value, max_age);
    }

    fn level_names(levels: NotifyLevels) -> Vec<String> {
        ColourLevel::ALL.iter().filter(|l| levels.contains(**l)).map(|l| l.as_str().to_owned()).collect()
    }

    pub async fn status() -> Result<PushState, AppError> {
        let backend = backend();
        let levels = match (&backend, token()) {
            (Some(backend), Some(token)) => backend.levels(token).await.map_err(refused)?,
            _ => None,
        };
        Ok(PushState {
            available: backend.is_some(),
            public_key: backend.map(|b| b.public_key()),
            subscribed: levels.is_some(),
            levels: level_names(levels.unwrap_or_default()),
            has_places: !crate::alerts::api::saved_places().is_empty(),
        })
    }

    pub async fn subscribe(
        endpoint: String,
        p256dh: String,
        auth: String,
        levels: String,
    ) -> Result<(), AppError> {
        let backend = backend().ok_or_else(|| AppError::new("notify-error-unavailable"))?;
        let levels = NotifyLevels::parse(&levels).ok_or_else(|| AppError::new("notify-error-levels"))?;
        let saved = crate::alerts::api::saved_places();
        if saved.is_empty() {
            // Notifications are for the resident's places: with none, nothing would ever come.
            return Err(AppError::new("notify-error-no-places"));
        }
        let places = encode_places(&saved);
        let lang = request_preferences().lang.tag().to_owned();
        let token = backend
            .subscribe(NewSubscription { endpoint, p256dh, auth, places, levels, lang })
            .await
            .map_err(refused)?;
        // Lasts as long as the places cookie: the subscription is one of the resident's choices.
        set_cookie(&token, 365 * 24 * 60 * 60);
        Ok(())
    }

    pub async fn set_levels(chosen: [bool; 4]) -> Result<Vec<String>, AppError> {
        let backend = backend().ok_or_else(|| AppError::new("notify-error-unavailable"))?;
        let token = token().ok_or_else(|| refused(PushRefusal::NotSubscribed))?;
        let levels = ColourLevel::ALL
            .iter()
            .zip(chosen)
            .filter(|(_, on)| *on)
            .fold(NotifyLevels::NONE, |levels, (level, _)| levels.with(*level));
        if levels.is_empty() {
            return Err(AppError::new("notify-error-no-levels"));
        }
        backend.set_levels(token, levels).await.map_err(refused)?;
        Ok(level_names(levels))
    }

    pub async fn send_test() -> Result<(), AppError> {
        let backend = backend().ok_or_else(|| AppError::new("notify-error-unavailable"))?;
        let token = token().ok_or_else(|| refused(PushRefusal::NotSubscribed))?;
        backend.send_test(token).await.map_err(refused)
    }

    pub async fn unsubscribe() -> Result<(), AppError> {
        let backend = backend().ok_or_else(|| AppError::new("notify-error-unavailable"))?;
        if let Some(token) = token() {
            match backend.unsubscribe(token).await {
                Ok(()) | Err(PushRefusal::NotSubscribed) => {}
                Err(refusal) => return Err(refused(refusal)),
            }
        }
        set_cookie("", 0);
        Ok(())
    }

    /// The saved places changed: the subscription of this browser (if any) follows them, so a
    /// resident who adds their parents' village is notified for it too.
    pub async fn follow_places(places: &[crate::domain::matching::Place]) {
        if let (Some(backend), Some(token)) = (backend(), token())
            && let Err(refusal) = backend.set_places(token, encode_places(places)).await
            && refusal != PushRefusal::NotSubscribed
        {
            leptos::logging::error!("the subscription could not follow the saved places: {refusal:?}");
        }
    }
}
