//! Where the stylesheet and the WebAssembly bundles live, and the script that hydrates a page's
//! islands. Names carry a content hash (written by the site build into `asset-manifest.json`),
//! so browsers may cache them forever.
//!
//! Each feature's islands are a bundle of their own (`islands-<feature>` of the app crate,
//! compiled by `.ci/build-site`): a page names its feature's bundle with [`IslandsBundle`], and
//! downloads that one only; a page without islands downloads no JavaScript glue and no
//! WebAssembly at all.

use leptos::prelude::*;
use leptos_meta::Meta;
use serde::{Deserialize, Serialize};

/// The URLs of the built assets, as listed in `<site>/asset-manifest.json`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SiteAssets {
    pub css_href: String,
    /// One per feature with islands.
    pub bundles: Vec<BundleAssets>,
}

/// One feature's islands: the wasm-bindgen glue and the WebAssembly it loads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundleAssets {
    /// The feature's name, as pages name it in [`IslandsBundle`] (`warnings`, `notify`).
    pub name: String,
    pub js_href: String,
    pub wasm_href: String,
}

/// The `<meta>` that tells the loader which bundle hydrates this page's islands.
const BUNDLE_META: &str = "islands-bundle";

/// Names the bundle of the page's islands. A page with islands renders it once.
#[component]
pub fn IslandsBundle(name: &'static str) -> impl IntoView {
    view! { <Meta name=BUNDLE_META content=name/> }
}

/// Hydrates the islands of the page with the bundle the page names, and only when it names
/// one. The script is a module, so it runs once the HTML is parsed; it loads the glue and the
/// WebAssembly, hydrates every `<leptos-island>` in document order (islands are never nested
/// here), and marks `<html data-hydrated>` for tests.
#[component]
pub fn HydrationScript(assets: SiteAssets) -> impl IntoView {
    // Outside islands the server renders plain HTML, without hydration markers.
    #[cfg(feature = "ssr")]
    if let Some(context) = Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    // Names and URLs are our own (a feature name; paths built from a hex hash): Rust's quoting
    // of them is valid JavaScript.
    let bundles = assets
        .bundles
        .iter()
        .map(|b| format!("{:?}:[{:?},{:?}]", b.name, b.js_href, b.wasm_href))
        .collect::<Vec<_>>()
        .join(",");
    let script = format!(
        "const d=document,m=d.querySelector('meta[name={BUNDLE_META}]'),b=m&&{{{bundles}}}[m.content],\
         done=()=>d.documentElement.setAttribute('data-hydrated','');\
         b?import(b[0]).then(x=>x.default({{module_or_path:b[1]}}).then(()=>{{x.hydrate();\
         for(const e of d.querySelectorAll('leptos-island')){{const f=x[e.dataset.component];\
         f?f(e):console.warn('island not in bundle',m.content,e.dataset.component)}}done()}})):done()"
    );
    view! { <script type="module" nonce=leptos::nonce::use_nonce()>{script}</script> }
}
