//! Safe Jingdezhen (平安瓷都): the Leptos UI and the pure domain, shared by server and browser.
//!
//! Built twice: with `ssr` into the server (renders HTML, runs server functions) and with
//! `hydrate` into the WebAssembly bundle (takes over the server-rendered page). `domain` never
//! names Leptos; everything else is UI organised by feature.

pub mod domain;
pub mod error;
pub mod i18n;
pub mod shell;

pub mod alerts;
pub mod drills;
pub mod learn;
pub mod settings;
pub mod shelters;

pub use shell::{App, shell};

/// Browser entry point: hydrates the server-rendered `<body>`.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
    // A marker for tests and for CSS that shows JavaScript-only controls.
    if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = root.set_attribute("data-hydrated", "");
    }
}
