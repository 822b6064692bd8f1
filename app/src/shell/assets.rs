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

/// Hydrates the islands of the page, and only when it has some: a page without an island
/// (most of them) loads no JavaScript glue and no WebAssembly at all. The script is a module,
/// so it runs once the HTML is parsed; it then loads the glue and the bundle, hydrates every
/// `<leptos-island>` in document order (islands are never nested here), and marks
/// `<html data-hydrated>` for tests.
#[component]
pub fn HydrationScript(assets: SiteAssets) -> impl IntoView {
    // Outside islands the server renders plain HTML, without hydration markers.
    #[cfg(feature = "ssr")]
    if let Some(context) = Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    // Both URLs are our own, built from a hex hash: no escaping issue inside the script.
    let script = format!(
        "const d=document,i=d.querySelectorAll('leptos-island'),done=()=>d.documentElement.setAttribute('data-hydrated','');\
         i.length?import({js:?}).then(m=>m.default({{module_or_path:{wasm:?}}}).then(()=>{{m.hydrate();\
         for(const e of i){{const f=m[e.dataset.component];f?f(e):console.warn('no island',e.dataset.component)}}done()}})):done()",
        js = assets.js_href,
        wasm = assets.wasm_href,
    );
    view! { <script type="module">{script}</script> }
}
