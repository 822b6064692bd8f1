//! "Use my location", as an island: asks the browser for the position only when tapped, rounds
//! it to 0.01° (about 1 km) on the phone and opens its page (`/?at=`, `/shelters?at=`) with
//! that; the exact position never leaves the phone. Without JavaScript it takes no space (`needs-js`); with it, the button is
//! laid out from the first paint, so nothing moves when the island wakes.

use leptos::prelude::*;

/// The button, its privacy note and the outcome line; every text comes translated. `path` is
/// the page opened with `?at=`.
// An island in the server build and in the `islands-warnings` bundle; elsewhere a plain component
// that nothing in the browser calls, so it leaves no code there.
#[cfg_attr(any(feature = "ssr", feature = "islands-warnings"), island)]
#[cfg_attr(not(any(feature = "ssr", feature = "islands-warnings")), component)]
pub fn UseMyLocation(
    path: String,
    label: String,
    privacy: String,
    locating: String,
    failed: String,
) -> impl IntoView {
    let state = RwSignal::new(LocateState::Idle);
    let locate = move |_| {
        state.set(LocateState::Locating);
        #[cfg(feature = "hydrate")]
        browser::current_position(state, path.clone());
        #[cfg(not(feature = "hydrate"))]
        let _ = &path;
    };
    let message = move || match state.get() {
        LocateState::Idle => None,
        LocateState::Locating => Some(view! { <p role="status">{locating.clone()}</p> }),
        LocateState::Failed => Some(view! { <p role="alert">{failed.clone()}</p> }),
    };
    view! {
        <div class="use-location needs-js">
            <button type="button" class="button" on:click=locate>{label}</button>
            <p class="hint">{privacy}</p>
            {message}
        </div>
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(not(feature = "hydrate"), expect(dead_code, reason = "set by the browser only"))]
enum LocateState {
    Idle,
    Locating,
    Failed,
}

#[cfg(feature = "hydrate")]
mod browser {
    use leptos::prelude::*;
    use wasm_bindgen::{JsCast, JsValue, closure::Closure};

    use super::LocateState;
    use crate::domain::{cap::Point, matching::coarse_point};

    /// One position fix; on success opens the page for the coarse point.
    pub fn current_position(state: RwSignal<LocateState>, path: String) {
        let Some(geolocation) = web_sys::window().and_then(|w| w.navigator().geolocation().ok()) else {
            state.set(LocateState::Failed);
            return;
        };
        let on_position = Closure::once_into_js(move |position: JsValue| {
            let coords = position.unchecked_into::<web_sys::Position>().coords();
            // Rounded here, in the browser: only this coarse point goes into the link.
            let point = coarse_point(Point { lat: coords.latitude(), lon: coords.longitude() });
            let link = format!("{path}?at={:.2},{:.2}", point.lat, point.lon);
            if web_sys::window().and_then(|w| w.location().assign(&link).ok()).is_none() {
                state.set(LocateState::Failed);
            }
        });
        let on_error = Closure::once_into_js(move |_: JsValue| state.set(LocateState::Failed));
        let asked = geolocation.get_current_position_with_error_callback(
            on_position.unchecked_ref(),
            Some(on_error.unchecked_ref()),
        );
        if asked.is_err() {
            state.set(LocateState::Failed);
        }
    }
}
