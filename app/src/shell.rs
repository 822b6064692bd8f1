//! The app shell: the HTML document, header, navigation and routes shared by every page.

mod assets;
mod demo_banner;
mod header;
mod icons;
mod language_switch;
mod not_found;
mod section_intro;

use leptos::prelude::*;
use leptos_meta::{Html, MetaTags, provide_meta_context};
use leptos_router::{
    SsrMode,
    components::{Route, Router, Routes},
    path,
};

pub use assets::SiteAssets;
pub use demo_banner::SiteMode;
pub use icons::{Icon, IconSvg};
pub use section_intro::SectionIntro;

use crate::{
    alerts::{WarningPage, WarningsPage},
    domain::preferences::Preferences,
    drills::DrillsPage,
    i18n::{tr, use_preferences},
    learn::LearnPage,
    settings::SettingsPage,
    shelters::SheltersPage,
};
use demo_banner::DemoBanner;
use header::SiteHeader;
use not_found::NotFoundPage;

/// The whole HTML document, rendered on the server for every page.
pub fn shell(assets: SiteAssets) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="theme-color" content="#9e1c1c"/>
                <link rel="stylesheet" href=assets.css_href.clone()/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <assets::HydrationScript assets=assets.clone()/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The application: preferences, `<html>` attributes, header and routed pages.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_context(RwSignal::new(initial_preferences()));
    let prefs = use_preferences();
    let site_mode = SiteMode::current();
    provide_context(site_mode);

    view! {
        <Html
            {..}
            lang=move || prefs.get().lang.tag()
            class=move || prefs.get().html_class()
            data-demo=site_mode.demo.then_some("")
        />
        <Router>
            <a class="skip-link" href="#main">{tr("shell-skip-to-content")}</a>
            <DemoBanner/>
            <SiteHeader/>
            <main id="main" tabindex="-1">
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=WarningsPage ssr=SsrMode::Async/>
                    <Route path=path!("/alerts/:id") view=WarningPage ssr=SsrMode::Async/>
                    <Route path=path!("/shelters") view=SheltersPage ssr=SsrMode::Async/>
                    <Route path=path!("/drills") view=DrillsPage/>
                    <Route path=path!("/learn") view=LearnPage ssr=SsrMode::Async/>
                    <Route path=path!("/settings") view=SettingsPage ssr=SsrMode::Async/>
                </Routes>
            </main>
            <footer class="site-footer">
                <p>{tr("shell-footer-emergency")}</p>
            </footer>
        </Router>
    }
}

/// The server decides from the request; the browser reads back what the server wrote on
/// `<html>`, so both render the same first frame (no hydration mismatch).
fn initial_preferences() -> Preferences {
    #[cfg(feature = "ssr")]
    {
        crate::settings::request_preferences()
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        let root = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element());
        root.map(|el| Preferences::from_html(&el.get_attribute("lang").unwrap_or_default(), &el.class_name()))
            .unwrap_or_default()
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        Preferences::default()
    }
}
