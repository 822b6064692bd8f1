//! Live updates while a warnings or shelters page is open, as an island: it listens to the
//! page's stream (`/api/v1/alerts/stream` or `/api/v1/shelters/stream`) and, on every `new`,
//! `updated`, `ended`, `resync` or `changed` event and on every (re)connection, fetches the
//! same page again and swaps in its `[data-live]` regions.
//! The server renders those regions (cards, status, history) in the resident's language, so no
//! translation and no card layout is in the WebAssembly: the island only moves HTML. An item
//! marked `data-announce` that was not on the page before (a new warning for the resident's
//! places, a changed status) raises the banner, with the tone and vibration the resident chose
//! in Settings. Where `EventSource` is missing or gives up, a poll every minute.
//!
//! Regions must hold no island: they are replaced as plain HTML.

use leptos::prelude::*;

use crate::shell::{Icon, IconSvg};

/// The warnings' stream (the public API's).
pub const ALERT_STREAM: &str = "/api/v1/alerts/stream";
/// The shelters' stream (the public API's): `changed` when any shelter's state changed.
pub const SHELTER_STREAM: &str = "/api/v1/shelters/stream";

/// How often to refetch when the browser has no working `EventSource`.
#[cfg(feature = "hydrate")]
const POLL_MILLISECONDS: u32 = 60_000;

/// The live listener and the "new warning" banner. `stream` is the page's event stream (one of
/// [`ALERT_STREAM`], [`SHELTER_STREAM`]); `banner_prefix` comes translated from the server
/// ("新预警，与您的地点有关" / "This warning has changed:"); `sound` and `vibrate` are the
/// resident's choices.
// An island in the server build and in the `islands-warnings` bundle; elsewhere a plain component
// that nothing in the browser calls, so it leaves no code there.
#[cfg_attr(any(feature = "ssr", feature = "islands-warnings"), island)]
#[cfg_attr(not(any(feature = "ssr", feature = "islands-warnings")), component)]
pub fn LiveUpdates(stream: String, banner_prefix: String, sound: bool, vibrate: bool) -> impl IntoView {
    let announced = RwSignal::new(None::<String>);
    #[cfg(feature = "hydrate")]
    Effect::new(move |started: Option<()>| {
        if started.is_none() {
            browser::start(stream.clone(), announced, sound, vibrate);
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (stream, sound, vibrate);
    view! {
        <div class="live-banner" aria-live="assertive">
            {move || announced.get().map(|text| view! {
                <p class="notice notice--new" role="alert">
                    <IconSvg icon=Icon::Warning/>
                    " "{banner_prefix.clone()}" "<strong>{text}</strong>
                </p>
            })}
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use std::collections::HashSet;

    use futures::{StreamExt, stream::select_all};
    use gloo_net::eventsource::futures::EventSource;
    use leptos::{prelude::*, task::spawn_local};
    use wasm_bindgen::JsCast;
    use web_sys::{Document, DomParser, Element, SupportedType};

    use super::{POLL_MILLISECONDS, signal};

    /// Listens to the stream (or polls), refreshing the page's live regions on each change.
    pub fn start(stream: String, announced: RwSignal<Option<String>>, sound: bool, vibrate: bool) {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
        let seen: HashSet<String> = announcements(&document).into_iter().map(|(key, _)| key).collect();
        let seen = StoredValue::new_local(seen);
        // One refresh at a time, so that an older page never overwrites a newer one; changes
        // that arrive meanwhile ask for one more.
        let (busy, again) = (StoredValue::new(false), StoredValue::new(false));
        let refresh = move || {
            if busy.get_value() {
                again.set_value(true);
                return;
            }
            busy.set_value(true);
            spawn_local(async move {
                loop {
                    again.set_value(false);
                    if let Some(fresh) = refresh_regions().await {
                        let new = seen.with_value(|before| {
                            fresh.iter().find(|(key, _)| !before.contains(key)).map(|(_, text)| text.clone())
                        });
                        if let Some(text) = new {
                            announced.set(Some(text));
                            signal::new_warning(sound, vibrate);
                        }
                        seen.set_value(fresh.into_iter().map(|(key, _)| key).collect());
                    }
                    if !again.get_value() {
                        break;
                    }
                }
                busy.set_value(false);
            })
        };
        spawn_local(async move {
            if let Ok(mut source) = EventSource::new(&stream) {
                let subscriptions: Vec<_> = ["open", "new", "updated", "ended", "resync", "changed"]
                    .into_iter()
                    .filter_map(|name| source.subscribe(name).ok())
                    .collect();
                let mut events = select_all(subscriptions);
                // Each item is an event, or an error once the browser has given up reconnecting.
                while let Some(Ok(_)) = events.next().await {
                    refresh();
                }
                source.close();
            }
            // No EventSource, or it stopped for good: poll.
            gloo_timers::callback::Interval::new(POLL_MILLISECONDS, refresh).forget();
        });
    }

    /// Fetches the page again and replaces every `[data-live]` region by its new version;
    /// returns the announcements on the refreshed page.
    async fn refresh_regions() -> Option<Vec<(String, String)>> {
        let document = web_sys::window()?.document()?;
        let href = document.location()?.href().ok()?;
        let response = gloo_net::http::Request::get(&href).header("Accept", "text/html").send().await.ok()?;
        if !response.ok() {
            return None;
        }
        let html = response.text().await.ok()?;
        let fresh = DomParser::new().ok()?.parse_from_string(&html, SupportedType::TextHtml).ok()?;
        let regions = document.query_selector_all("[data-live]").ok()?;
        for index in 0..regions.length() {
            let Some(region) = regions.item(index).and_then(|node| node.dyn_into::<Element>().ok()) else {
                continue;
            };
            if let Some(replacement) = fresh.get_element_by_id(&region.id()) {
                let replacement = document.adopt_node(&replacement).ok()?;
                let _ = region.replace_with_with_node_1(&replacement);
            }
        }
        Some(announcements(&document))
    }

    /// `(key, text)` of every `[data-announce]` item on the page.
    fn announcements(document: &Document) -> Vec<(String, String)> {
        let Ok(items) = document.query_selector_all("[data-announce]") else { return Vec::new() };
        (0..items.length())
            .filter_map(|index| items.item(index)?.dyn_into::<Element>().ok())
            .filter_map(|item| {
                Some((item.get_attribute("data-announce")?, item.get_attribute("data-announce-text")?))
            })
            .collect()
    }
}

/// The tone and vibration that announce a new warning.
#[cfg(feature = "hydrate")]
mod signal {
    use wasm_bindgen::JsValue;

    /// Sounds a tone and/or vibrates, as the resident chose in Settings. Browsers may refuse
    /// sound until the page has been touched once; the banner is shown regardless.
    pub fn new_warning(sound: bool, vibrate: bool) {
        if vibrate && let Some(window) = web_sys::window() {
            // Long–short–long: felt in a pocket, unlike a single buzz.
            let pattern = js_sys::Array::of3(&400.into(), &150.into(), &400.into());
            let _ = window.navigator().vibrate_with_pattern(&pattern);
        }
        if sound {
            let _ = play_tone();
        }
    }

    thread_local! {
        /// One audio context for the page: browsers allow only a few, and a long-open page may
        /// announce many warnings.
        static CONTEXT: std::cell::OnceCell<web_sys::AudioContext> = const { std::cell::OnceCell::new() };
    }

    /// Two short beeps (880 Hz, 0.25 s each) through Web Audio: no sound file to download.
    fn play_tone() -> Result<(), JsValue> {
        CONTEXT.with(|cell| {
            let context = match cell.get() {
                Some(context) => context,
                None => {
                    let _ = cell.set(web_sys::AudioContext::new()?);
                    cell.get().ok_or(JsValue::NULL)?
                }
            };
            beep_twice(context)
        })
    }

    fn beep_twice(context: &web_sys::AudioContext) -> Result<(), JsValue> {
        // A context made before the resident touched the page starts suspended; ask again each
        // time (it plays once the browser allows it).
        let _ = context.resume();
        let now = context.current_time();
        for start in [0.0, 0.4] {
            let oscillator = context.create_oscillator()?;
            oscillator.frequency().set_value(880.0);
            let gain = context.create_gain()?;
            gain.gain().set_value(0.3);
            oscillator.connect_with_audio_node(&gain)?;
            gain.connect_with_audio_node(&context.destination())?;
            oscillator.start_with_when(now + start)?;
            oscillator.stop_with_when(now + start + 0.25)?;
        }
        Ok(())
    }
}
