//! Demo mode: while the server runs with sample warnings, every page says so, in both
//! languages, above everything else.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::i18n::tr;

/// How the site runs. The server provides it; the browser reads it back from `<html data-demo>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SiteMode {
    /// Sample warnings are loaded: say so on every page.
    pub demo: bool,
}

impl SiteMode {
    /// The mode of this render: from the server's context, or from the page in the browser.
    pub fn current() -> SiteMode {
        #[cfg(feature = "ssr")]
        {
            use_context::<SiteMode>().unwrap_or_default()
        }
        #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
        {
            let root = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element());
            SiteMode { demo: root.is_some_and(|el| el.has_attribute("data-demo")) }
        }
        #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
        {
            SiteMode::default()
        }
    }
}

/// The 演示 / DEMO banner, only in demo mode.
#[component]
pub fn DemoBanner() -> impl IntoView {
    let mode = expect_context::<SiteMode>();
    mode.demo.then(|| {
        view! {
            <p class="demo-banner" role="note">
                <strong><span lang="zh-CN">"演示"</span>" / "<span lang="en">"DEMO"</span></strong>
                " "
                <span>{tr("demo-banner-text")}</span>
            </p>
        }
    })
}
