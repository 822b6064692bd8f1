//! Demo mode: while the server runs with sample warnings, every page says so, in both
//! languages, above everything else.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::i18n::tr;

/// How the site runs, provided by the server as context.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SiteMode {
    /// Sample warnings are loaded: say so on every page.
    pub demo: bool,
}

impl SiteMode {
    /// The mode of this render, from the server's context.
    pub fn current() -> SiteMode {
        use_context::<SiteMode>().unwrap_or_default()
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
