//! Safe Jingdezhen (平安瓷都): the Leptos UI and the pure domain, shared by server and browser.
//!
//! Built twice: with `ssr` into the server (renders every page, runs server functions) and with
//! `hydrate` into the WebAssembly bundle, which in islands mode holds only the `#[island]`
//! components: the parts of a page that need the browser. `domain` never names Leptos; `site`
//! is the router, the one module that names every feature; `shell` is what features share.

// Leptos views are nested types; the warning page's is deep enough to need more than 128.
#![recursion_limit = "256"]

pub mod domain;
pub mod error;
pub mod i18n;
pub mod shell;
pub mod site;

pub mod alerts;
pub mod drills;
pub mod learn;
pub mod settings;
pub mod shelters;
pub mod staff;

pub use site::{App, shell};

/// Browser entry point: sets up the reactive runtime for islands; the page's loader script
/// (`shell::HydrationScript`) then hydrates each island.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
