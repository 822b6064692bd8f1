//! Live updates while the page is open: an `EventSource` on `/api/v1/alerts/stream` bumps a
//! counter on every `new`, `updated`, `ended` or `resync` event and on every (re)connection,
//! and the page refetches what it shows. Where `EventSource` is missing, a poll every minute.
//! Browser only; on the server (and with JavaScript off) nothing happens. Also here: the tone
//! and vibration that announce a new warning, when the resident turned them on.

use leptos::prelude::*;

/// The stream's path (the public API's).
#[cfg(feature = "hydrate")]
const STREAM_PATH: &str = "/api/v1/alerts/stream";

/// How often to refetch when the browser has no `EventSource`.
#[cfg(feature = "hydrate")]
const POLL_MILLISECONDS: i32 = 60_000;

/// Starts listening once the page is hydrated; `changed` is bumped on every change.
pub fn listen(changed: RwSignal<u32>) {
    #[cfg(feature = "hydrate")]
    Effect::new(move |started: Option<()>| {
        if started.is_none() {
            browser::connect(changed);
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = changed;
}

#[cfg(feature = "hydrate")]
mod browser {
    use leptos::prelude::*;
    use send_wrapper::SendWrapper;
    use wasm_bindgen::{JsCast, closure::Closure};

    use super::{POLL_MILLISECONDS, STREAM_PATH};

    pub fn connect(changed: RwSignal<u32>) {
        let bump = move || changed.update(|n| *n = n.wrapping_add(1));
        match web_sys::EventSource::new(STREAM_PATH) {
            Ok(source) => {
                let on_event = Closure::<dyn Fn(web_sys::Event)>::new(move |_: web_sys::Event| bump());
                for name in ["new", "updated", "ended", "resync", "open"] {
                    let _ = source.add_event_listener_with_callback(name, on_event.as_ref().unchecked_ref());
                }
                let kept = SendWrapper::new((source, on_event));
                on_cleanup(move || kept.0.close());
            }
            Err(_) => {
                let on_tick = Closure::<dyn Fn()>::new(bump);
                let window = web_sys::window();
                let timer = window.as_ref().and_then(|w| {
                    w.set_interval_with_callback_and_timeout_and_arguments_0(
                        on_tick.as_ref().unchecked_ref(),
                        POLL_MILLISECONDS,
                    )
                    .ok()
                });
                let kept = SendWrapper::new((window, on_tick));
                on_cleanup(move || {
                    if let (Some(window), Some(timer)) = (&kept.0, timer) {
                        window.clear_interval_with_handle(timer);
                    }
                });
            }
        }
    }
}

/// Sounds a tone and/or vibrates for a new warning, as the resident chose in Settings. Browsers
/// may refuse sound until the page has been touched once; the banner is shown regardless.
#[cfg(feature = "hydrate")]
pub fn signal_new_warning(prefs: crate::domain::preferences::Preferences) {
    if prefs.alert_vibrate
        && let Some(window) = web_sys::window()
    {
        // Long–short–long: felt in a pocket, unlike a single buzz.
        let pattern = js_sys::Array::of3(&400.into(), &150.into(), &400.into());
        let _ = window.navigator().vibrate_with_pattern(&pattern);
    }
    if prefs.alert_sound {
        let _ = tone::play();
    }
}

#[cfg(feature = "hydrate")]
mod tone {
    use wasm_bindgen::JsValue;

    thread_local! {
        /// One audio context for the page: browsers allow only a few, and a long-open page may
        /// announce many warnings.
        static CONTEXT: std::cell::OnceCell<web_sys::AudioContext> = const { std::cell::OnceCell::new() };
    }

    /// Two short beeps (880 Hz, 0.25 s each) through Web Audio: no sound file to download.
    pub fn play() -> Result<(), JsValue> {
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
