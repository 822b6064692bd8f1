//! The "Notifications" part of the settings page: turn notifications with the app closed on or
//! off, choose the levels that notify, send a test. The panel is rendered on the server; the
//! buttons that need the browser (permission, service worker, push subscription) are an island
//! that receives its texts translated. Without JavaScript the panel says why there is nothing
//! to tap; the levels form is a plain form post.

use leptos::{prelude::*, server_fn::ServerFn as _};
use serde::{Deserialize, Serialize};

use super::{PushState, SetNotificationLevels, notification_state};
use crate::{
    domain::{cap::ColourLevel, preferences::Lang},
    i18n::{tr, translate, use_preferences},
    shell::IslandsBundle,
};

/// The messages the island may show: outcomes of the browser's side and the errors the
/// server functions answer with (their fluent ids).
const OUTCOMES: [&str; 17] = [
    "notify-working",
    "notify-turned-on",
    "notify-turned-off",
    "notify-test-sent",
    "notify-error-denied",
    "notify-error-unsupported",
    "notify-error-push-service",
    "notify-error-failed",
    "notify-error-unavailable",
    "notify-error-levels",
    "notify-error-no-levels",
    "notify-error-no-places",
    "notify-error-service",
    "notify-error-keys",
    "notify-error-not-subscribed",
    "notify-error-too-soon",
    "notify-error-gone",
];

/// The island's words, translated on the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SwitchTexts {
    pub turn_on: String,
    pub turn_off: String,
    pub test: String,
    /// Shown when this browser cannot receive Web Push.
    pub unsupported: String,
    /// `(message id, text)` for every id of [`OUTCOMES`], and `error-request-failed`.
    pub outcomes: Vec<(String, String)>,
}

impl SwitchTexts {
    fn new(lang: Lang) -> SwitchTexts {
        let outcomes = OUTCOMES
            .into_iter()
            .chain(["error-request-failed"])
            .map(|id| (id.to_owned(), translate(lang, id)))
            .collect();
        SwitchTexts {
            turn_on: translate(lang, "notify-turn-on"),
            turn_off: translate(lang, "notify-turn-off"),
            test: translate(lang, "notify-test"),
            unsupported: translate(lang, "notify-needs-browser"),
            outcomes,
        }
    }

    /// The text of `id`; an id the server did not translate is a failure to the resident.
    fn outcome(&self, id: &str) -> String {
        let find =
            |id: &str| self.outcomes.iter().find(|(known, _)| known == id).map(|(_, text)| text.clone());
        find(id).or_else(|| find("notify-error-failed")).unwrap_or_default()
    }
}

/// What the browser is doing, for the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(not(feature = "hydrate"), expect(dead_code, reason = "set by the browser only"))]
enum Progress {
    Idle,
    Working,
    /// A message id, and whether it reports a failure.
    Done(String, bool),
}

/// The notifications section of `/settings`.
#[component]
pub fn NotificationsPanel() -> impl IntoView {
    let status = Resource::new(|| (), |()| notification_state());
    view! {
        <section class="notifications" aria-labelledby="notifications-heading">
            <h2 id="notifications-heading">{tr("notify-heading")}</h2>
            <p>{tr("notify-intro")}</p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match status.await {
                        Ok(status) => view! { <Controls status/> }.into_any(),
                        Err(_) => view! { <p role="alert">{tr("notify-error-failed")}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Controls(status: PushState) -> impl IntoView {
    let lang = use_preferences().get_untracked().lang;
    if !status.available {
        return view! { <p>{tr("notify-unavailable")}</p> }.into_any();
    }
    let PushState { public_key, subscribed, levels, has_places, .. } = status;
    let switch = if !subscribed && !has_places {
        view! { <p class="needs-js"><a href="/#mine-heading">{tr("notify-error-no-places")}</a></p> }
            .into_any()
    } else {
        view! {
            <IslandsBundle name=super::NOTIFY_BUNDLE/>
            <NotificationSwitch
                public_key=public_key.unwrap_or_default()
                levels=levels.join(",")
                subscribed
                texts=SwitchTexts::new(lang)
            />
        }
        .into_any()
    };
    view! {
        <p class="notify-state">
            {if subscribed { tr("notify-state-on")() } else { tr("notify-state-off")() }}
        </p>
        <p class="hint js-off-only">{tr("notify-needs-browser")}</p>
        {switch}
        {subscribed.then(|| view! { <LevelsForm chosen=levels/> })}
    }
    .into_any()
}

/// The levels that notify: a plain form post; the server answers with `/settings?levels-saved`.
#[component]
fn LevelsForm(chosen: Vec<String>) -> impl IntoView {
    let lang = use_preferences().get_untracked().lang;
    let saved = leptos_router::hooks::use_query_map().with_untracked(|q| q.get("levels-saved").is_some());
    let boxes = ColourLevel::ALL
        .iter()
        .map(|level| {
            let name = level.as_str();
            let on = chosen.iter().any(|c| c == name);
            view! {
                <label class="choice">
                    <input type="checkbox" name=name value="on" checked=on/>
                    <span class=format!("level-swatch level-{name}") aria-hidden="true"></span>
                    <span>{translate(lang, &format!("warnings-level-{name}"))}</span>
                </label>
            }
        })
        .collect_view();
    view! {
        <form action=SetNotificationLevels::url() method="post" class="settings-form">
            <fieldset>
                <legend>{tr("notify-levels")}</legend>
                {boxes}
            </fieldset>
            <button type="submit" class="button">{tr("notify-levels-save")}</button>
            <p class="form-status" role="status">{saved.then(|| tr("notify-levels-saved"))}</p>
        </form>
    }
}

/// The buttons that need the browser: turn on (permission, service worker, subscription),
/// send a test, turn off; and the outcome in words.
// An island in the server build and in the `islands-notify` bundle; elsewhere a plain component
// that nothing in the browser calls, so it leaves no code there.
#[cfg_attr(any(feature = "ssr", feature = "islands-notify"), island)]
#[cfg_attr(not(any(feature = "ssr", feature = "islands-notify")), component)]
fn NotificationSwitch(
    public_key: String,
    levels: String,
    subscribed: bool,
    texts: SwitchTexts,
) -> impl IntoView {
    let supported = RwSignal::new(true);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| supported.set(browser::supported()));
    let progress = RwSignal::new(Progress::Idle);
    let turn_on = move |_| {
        progress.set(Progress::Working);
        #[cfg(feature = "hydrate")]
        browser::turn_on(public_key.clone(), levels.clone(), progress);
        #[cfg(not(feature = "hydrate"))]
        let _ = (&public_key, &levels);
    };
    let turn_off = move |_| {
        progress.set(Progress::Working);
        #[cfg(feature = "hydrate")]
        browser::turn_off(progress);
    };
    let send_test = move |_| {
        progress.set(Progress::Working);
        #[cfg(feature = "hydrate")]
        browser::send_test(progress);
    };
    let texts = StoredValue::new(texts);
    let message = move || match progress.get() {
        Progress::Idle => None,
        Progress::Working => Some(("status", texts.with_value(|t| t.outcome("notify-working")))),
        Progress::Done(id, failed) => {
            Some((if failed { "alert" } else { "status" }, texts.with_value(|t| t.outcome(&id))))
        }
    };
    view! {
        <div class="notify-switch needs-js">
            {move || {
                if !supported.get() {
                    view! { <p class="hint">{texts.with_value(|t| t.unsupported.clone())}</p> }.into_any()
                } else if subscribed {
                    view! {
                        <div class="button-row">
                            <button type="button" class="button" on:click=send_test>{texts.with_value(|t| t.test.clone())}</button>
                            <button type="button" class="button" on:click=turn_off>{texts.with_value(|t| t.turn_off.clone())}</button>
                        </div>
                    }
                        .into_any()
                } else {
                    let turn_on = turn_on.clone();
                    view! {
                        <button type="button" class="button button--primary" on:click=turn_on>
                            {texts.with_value(|t| t.turn_on.clone())}
                        </button>
                    }
                        .into_any()
                }
            }}
            {move || message().map(|(role, text)| view! { <p class="form-status" role=role>{text}</p> })}
        </div>
    }
}

/// The browser's side: permission, the service worker, the push subscription.
#[cfg(feature = "hydrate")]
mod browser {
    use leptos::prelude::*;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{
        Notification, PushEncryptionKeyName, PushSubscription, PushSubscriptionOptionsInit,
        ServiceWorkerRegistration,
    };

    use super::Progress;
    use crate::alerts::{subscribe_notifications, unsubscribe_notifications};

    /// Shows the outcome; after a change that worked, loads the page again, so that the server
    /// shows the new state (and the levels form when notifications are on).
    fn finish(progress: RwSignal<Progress>, outcome: Progress) {
        let worked = matches!(&outcome, Progress::Done(_, false));
        progress.set(outcome);
        if worked && let Some(window) = web_sys::window() {
            let _ = window.location().reload();
        }
    }

    /// The service worker that shows notifications (served by the server, not hashed: its URL
    /// must stay the same across releases).
    const SERVICE_WORKER: &str = "/sw.js";

    /// Whether this browser can receive Web Push at all.
    pub fn supported() -> bool {
        let Some(window) = web_sys::window() else { return false };
        let has = |target: &JsValue, name: &str| {
            js_sys::Reflect::has(target, &JsValue::from_str(name)).unwrap_or(false)
        };
        has(&window.navigator(), "serviceWorker")
            && has(&window, "PushManager")
            && has(&window, "Notification")
    }

    pub fn turn_on(key: String, levels: String, progress: RwSignal<Progress>) {
        leptos::task::spawn_local(async move {
            let outcome = match subscribe(&key).await {
                Ok((endpoint, p256dh, auth)) => {
                    match subscribe_notifications(endpoint, p256dh, auth, levels).await {
                        Ok(()) => Progress::Done("notify-turned-on".into(), false),
                        Err(error) => Progress::Done(error.message_id, true),
                    }
                }
                Err(id) => Progress::Done(id.into(), true),
            };
            finish(progress, outcome);
        });
    }

    pub fn turn_off(progress: RwSignal<Progress>) {
        leptos::task::spawn_local(async move {
            // The browser's subscription first: without it no notification can arrive, even if
            // the server is unreachable now.
            if let Some(subscription) = current_subscription().await
                && let Ok(promise) = subscription.unsubscribe()
            {
                let _ = JsFuture::from(promise).await;
            }
            let outcome = match unsubscribe_notifications().await {
                Ok(()) => Progress::Done("notify-turned-off".into(), false),
                Err(error) => Progress::Done(error.message_id, true),
            };
            finish(progress, outcome);
        });
    }

    pub fn send_test(progress: RwSignal<Progress>) {
        leptos::task::spawn_local(async move {
            progress.set(match crate::alerts::test_notification().await {
                Ok(()) => Progress::Done("notify-test-sent".into(), false),
                Err(error) => Progress::Done(error.message_id, true),
            });
        });
    }

    async fn registration() -> Result<ServiceWorkerRegistration, &'static str> {
        let window = web_sys::window().ok_or("notify-error-unsupported")?;
        let container = window.navigator().service_worker();
        JsFuture::from(container.register(SERVICE_WORKER)).await.map_err(|_| "notify-error-unsupported")?;
        let ready = container.ready().map_err(|_| "notify-error-unsupported")?;
        Ok(JsFuture::from(ready).await.map_err(|_| "notify-error-unsupported")?.unchecked_into())
    }

    async fn current_subscription() -> Option<PushSubscription> {
        let manager = registration().await.ok()?.push_manager().ok()?;
        let found = JsFuture::from(manager.get_subscription().ok()?).await.ok()?;
        (!found.is_null() && !found.is_undefined()).then(|| found.unchecked_into())
    }

    /// Asks permission (only now, on the resident's tap) and subscribes: (endpoint, p256dh, auth).
    async fn subscribe(key: &str) -> Result<(String, String, String), &'static str> {
        let asked = Notification::request_permission().map_err(|_| "notify-error-unsupported")?;
        let answer = JsFuture::from(asked).await.map_err(|_| "notify-error-denied")?;
        if answer.as_string().as_deref() != Some("granted") {
            return Err("notify-error-denied");
        }
        let manager = registration().await?.push_manager().map_err(|_| "notify-error-unsupported")?;
        let key = base64url_decode(key).ok_or("notify-error-failed")?;
        let options = PushSubscriptionOptionsInit::new();
        options.set_user_visible_only(true);
        options.set_application_server_key(&js_sys::Uint8Array::from(key.as_slice()).into());
        let pending = manager.subscribe_with_options(&options).map_err(|_| "notify-error-push-service")?;
        let subscription: PushSubscription =
            JsFuture::from(pending).await.map_err(|_| "notify-error-push-service")?.unchecked_into();
        let key_of = |name| {
            subscription
                .get_key(name)
                .ok()
                .flatten()
                .map(|buffer| base64url_encode(&js_sys::Uint8Array::new(&buffer).to_vec()))
                .ok_or("notify-error-push-service")
        };
        Ok((
            subscription.endpoint(),
            key_of(PushEncryptionKeyName::P256dh)?,
            key_of(PushEncryptionKeyName::Auth)?,
        ))
    }

    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    /// Unpadded base64url, as the Push API's keys travel. A dozen lines instead of a crate in
    /// the WebAssembly bundle.
    fn base64url_encode(bytes: &[u8]) -> String {
        let mut out = String::with_capacity(bytes.len() * 4 / 3 + 2);
        for chunk in bytes.chunks(3) {
            let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
            for i in 0..=chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            }
        }
        out
    }

    fn base64url_decode(text: &str) -> Option<Vec<u8>> {
        let mut out = Vec::with_capacity(text.len() * 3 / 4);
        let (mut bits, mut count) = (0u32, 0);
        for c in text.trim_end_matches('=').bytes() {
            let value = ALPHABET.iter().position(|a| *a == c)? as u32;
            bits = bits << 6 | value;
            count += 6;
            if count >= 8 {
                count -= 8;
                out.push((bits >> count & 0xff) as u8);
            }
        }
        Some(out)
    }
}
