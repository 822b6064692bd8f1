//! Where the stylesheet and the WebAssembly bundle live. Their names carry a content hash
//! (written by the site build into `asset-manifest.json`), so browsers may cache them forever.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The URLs of the built assets, as listed in `<site>/asset-manifest.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteAssets {
    pub css_href: String,
    pub js_href: String,
    pub wasm_href: String,
}

impl Default for SiteAssets {
    /// Unhashed names: what a server without a built site (e.g. in tests) points at.
    fn default() -> Self {
        SiteAssets {
            css_href: "/pkg/safejdz.css".into(),
            js_href: "/pkg/safejdz.js".into(),
            wasm_href: "/pkg/safejdz_bg.wasm".into(),
        }
    }
}

/// Loads the JS glue and the WASM in parallel and hydrates once both are in.
#[component]
pub fn HydrationScript(assets: SiteAssets) -> impl IntoView {
    // Both URLs are our own, built from a hex hash: no escaping issue inside the script.
    let script = format!(
        "import({js:?}).then(m=>m.default({{module_or_path:{wasm:?}}}).then(()=>m.hydrate()))",
        js = assets.js_href,
        wasm = assets.wasm_href,
    );
    view! {
        <link rel="modulepreload" href=assets.js_href.clone()/>
        <link rel="preload" href=assets.wasm_href.clone() r#as="fetch" r#type="application/wasm" crossorigin=""/>
        <script type="module">{script}</script>
    }
}
