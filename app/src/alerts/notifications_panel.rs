//! The "Notifications" part of the settings page: turn notifications with the app closed on or
//! off, choose the levels that notify, send a test. Turning on needs the browser (permission,
//! service worker, push subscription), so without JavaScript the panel says so; the levels form
//! is a plain form.

use leptos::{form::ActionForm, prelude::*};

use super::{PushState, SetNotificationLevels, TestNotification, notification_state};
use crate::{
    domain::cap::ColourLevel,
    i18n::{tr, translate, use_preferences},
};

/// What the browser is doing, for the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))] // Set by the browser only.
enum Progress {
    Idle,
    Working,
    /// A message id of the locales, and whether it reports a failure.
    Done(String, bool),
}

/// The notifications section of `/settings`.
#[component]
pub fn NotificationsPanel() -> impl IntoView {
    let status = Resource::new(|| (), |()| notification_state());
    let changed = Callback::new(move |()| status.refetch());
    // Kept here, above the part the refetch re-renders, so the outcome stays on screen.
    let progress = RwSignal::new(Progress::Idle);
    view! {
        <section class="notifications" aria-labelledby="notifications-heading">
            <h2 id="notifications-heading">{tr("notify-heading")}</h2>
            <p>{tr("notify-intro")}</p>
            <Suspense fallback=|| ()>
                {move || status.get().map(|result| match result {
                    Ok(status) => view! { <Controls status=status changed=changed progress=progress/> }.into_any(),
                    Err(_) => view! { <p role="alert">{tr("notify-error-failed")}</p> }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Controls(status: PushState, changed: Callback<()>, progress: RwSignal<Progress>) -> impl IntoView {
    let prefs = use_preferences();
    if !status.available {
        return view! { <p>{tr("notify-unavailable")}</p> }.into_any();
    }
    let supported = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| supported.set(browser::supported()));
    let test = ServerAction::<TestNotification>::new();
    let save_levels = ServerAction::<SetNotificationLevels>::new();
    Effect::new(move |_| match test.value().get() {
        Some(Ok(())) => progress.set(Progress::Done("notify-test-sent".into(), false)),
        Some(Err(error)) => progress.set(Progress::Done(error.message_id, true)),
        None => {}
    });
    let key = status.public_key.clone().unwrap_or_default();
    let levels = status.levels.join(",");
    let turn_on = move |_| {
        progress.set(Progress::Working);
        #[cfg(feature = "hydrate")]
        browser::turn_on(key.clone(), levels.clone(), progress, changed);
        #[cfg(not(feature = "hydrate"))]
        let _ = (&key, &levels, changed);
    };
    let turn_off = move |_| {
        progress.set(Progress::Working);
        #[cfg(feature = "hydrate")]
        browser::turn_off(progress, changed);
    };
    let message = move || match progress.get() {
        Progress::Idle => None,
        Progress::Working => Some(("status", translate(prefs.get().lang, "notify-working"))),
        Progress::Done(id, failed) => {
            Some((if failed { "alert" } else { "status" }, translate(prefs.get().lang, &id)))
        }
    };
    let subscribed = status.subscribed;
    let has_places = status.has_places;
    let chosen = status.levels.clone();
    let levels_status = move || match save_levels.value().get() {
        Some(Ok(_)) => translate(prefs.get().lang, "notify-levels-saved"),
        Some(Err(error)) => translate(prefs.get().lang, &error.message_id),
        None => String::new(),
    };
    view! {
        <p class="notify-state">
            {if subscribed { tr("notify-state-on")() } else { tr("notify-state-off")() }}
        </p>
        <p class="hint" hidden=move || supported.get()>{tr("notify-needs-browser")}</p>
        {move || supported.get().then(|| {
            let (turn_on, turn_off) = (turn_on.clone(), turn_off);
            if subscribed {
                view! {
                    <div class="button-row">
                        <button type="button" class="button" on:click=move |_| { test.dispatch(TestNotification {}); }>
                            {tr("notify-test")}
                        </button>
                        <button type="button" class="button" on:click=turn_off>{tr("notify-turn-off")}</button>
                    </div>
                }.into_any()
            } else if !has_places {
                view! { <p><a href="/#mine-heading">{tr("notify-error-no-places")}</a></p> }.into_any()
            } else {
                view! {
                    <button type="button" class="button button--primary" on:click=turn_on>{tr("notify-turn-on")}</button>
                }.into_any()
            }
        })}
        {move || message().map(|(role, text)| view! { <p class="form-status" role=role>{text}</p> })}
        {subscribed.then(|| view! {
            <ActionForm action=save_levels attr:class="settings-form">
                <fieldset>
                    <legend>{tr("notify-levels")}</legend>
                    {ColourLevel::ALL.iter().map(|level| {
                        let name = level.as_str();
                        let on = chosen.iter().any(|c| c == name);
                        view! {
                            <label class="choice">
                                <input type="checkbox" name=name value="on" checked=on/>
                                <span class=format!("level-swatch level-{name}") aria-hidden="true"></span>
                                <span>{move || translate(prefs.get().lang, &format!("warnings-level-{name}"))}</span>
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
                <button type="submit" class="button">{tr("notify-levels-save")}</button>
                <p class="form-status" role="status">{levels_status}</p>
            </ActionForm>
        })}
    }
    .into_any()
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

    pub fn turn_on(key: String, levels: String, progress: RwSignal<Progress>, changed: Callback<()>) {
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
            progress.set(outcome);
            changed.run(());
        });
    }

    pub fn turn_off(progress: RwSignal<Progress>, changed: Callback<()>) {
        leptos::task::spawn_local(async move {
            // The browser's subscription first: without it no notification can arrive, even if
            // the server is unreachable now.
            if let Some(subscription) = current_subscription().await
                && let Ok(promise) = subscription.unsubscribe()
            {
                let _ = JsFuture::from(promise).await;
            }
            progress.set(match unsubscribe_notifications().await {
                Ok(()) => Progress::Done("notify-turned-off".into(), false),
                Err(error) => Progress::Done(error.message_id, true),
            });
            changed.run(());
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
