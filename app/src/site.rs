//! The site: the HTML document and the router, the one place that names every feature's page.
//! Features and the shell never name it back (see docs/ARCHITECTURE.md, "Modules").

use leptos::prelude::*;
use leptos_meta::{Html, Meta, MetaTags, provide_meta_context};
use leptos_router::{
    SsrMode,
    components::{Route, Router, Routes},
    path,
};

use crate::{
    alerts::{WarningPage, WarningsPage},
    drills::{
        ClassPage, DrillPage, DrillsPage, JoinPage, TeacherDrillsPage, TeacherResultsPage, TeacherSessionPage,
    },
    i18n::{tr, translate, use_preferences},
    learn::{ArticlePage, ArticleQuizResultPage, LearnPage, TopicQuizPage, TopicQuizResultPage},
    settings::SettingsPage,
    shell::{
        DemoBanner, FormErrorNotice, HydrationScript, NotFoundPage, PagePolicy, SiteAssets, SiteHeader,
        SiteMode, request_preferences,
    },
    shelters::{ShelterPage, SheltersPage},
    staff::{
        StaffAuditPage, StaffCodePage, StaffComposePage, StaffEnrolPage, StaffHomePage, StaffLoginPage,
        StaffPasswordPage, StaffQuarantinedPage, StaffRecoveryCodesPage, StaffShelterImportPage,
        StaffSheltersPage, StaffSourcesPage, StaffUserPage, StaffUsersPage, StaffWarningPage,
        StaffWarningsPage,
    },
};

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
                // Without JavaScript, controls that need it take no space and the hints that
                // say so appear; with it, those controls are laid out from the first paint.
                // (A stylesheet, not inline CSS: the Content-Security-Policy allows no inline style,
                // and the live island parses whole pages whose inline parts would break it.)
                <noscript>
                    <link rel="stylesheet" href="/noscript.css"/>
                </noscript>
                <PagePolicy/>
                <HydrationScript assets=assets.clone()/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The application: preferences, `<html>` attributes, header and routed pages. Runs on the
/// server only (islands mode): the browser hydrates nothing but the islands inside it.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_context(RwSignal::new(request_preferences()));
    let prefs = use_preferences().get_untracked();
    let site_mode = SiteMode::current();
    provide_context(site_mode);

    view! {
        <Html {..} lang=prefs.lang.tag() class=prefs.html_class() data-demo=site_mode.demo.then_some("")/>
        <Meta name="description" content=translate(prefs.lang, "shell-description")/>
        <Router>
            <a class="skip-link" href="#main">{tr("shell-skip-to-content")}</a>
            <DemoBanner/>
            <SiteHeader/>
            <main id="main" tabindex="-1">
                <FormErrorNotice/>
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=WarningsPage ssr=SsrMode::Async/>
                    <Route path=path!("/alerts/:id") view=WarningPage ssr=SsrMode::Async/>
                    <Route path=path!("/shelters") view=SheltersPage ssr=SsrMode::Async/>
                    <Route path=path!("/shelters/:id") view=ShelterPage ssr=SsrMode::Async/>
                    <Route path=path!("/drills") view=DrillsPage ssr=SsrMode::Async/>
                    <Route path=path!("/drills/:id") view=DrillPage ssr=SsrMode::Async/>
                    <Route path=path!("/join") view=JoinPage ssr=SsrMode::Async/>
                    <Route path=path!("/class") view=ClassPage ssr=SsrMode::Async/>
                    <Route path=path!("/learn") view=LearnPage ssr=SsrMode::Async/>
                    <Route path=path!("/learn/quiz/:topic") view=TopicQuizPage ssr=SsrMode::Async/>
                    <Route path=path!("/learn/quiz/:topic/result") view=TopicQuizResultPage ssr=SsrMode::Async/>
                    <Route path=path!("/learn/:slug") view=ArticlePage ssr=SsrMode::Async/>
                    <Route path=path!("/learn/:slug/quiz") view=ArticleQuizResultPage ssr=SsrMode::Async/>
                    <Route path=path!("/settings") view=SettingsPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff") view=StaffHomePage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/login") view=StaffLoginPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/login/code") view=StaffCodePage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/enrol") view=StaffEnrolPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/recovery-codes") view=StaffRecoveryCodesPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/password") view=StaffPasswordPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/users") view=StaffUsersPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/users/:id") view=StaffUserPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/audit") view=StaffAuditPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/warnings") view=StaffWarningsPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/warnings/new") view=StaffComposePage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/warnings/:id") view=StaffWarningPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/sources") view=StaffSourcesPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/shelters") view=StaffSheltersPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/shelters/import") view=StaffShelterImportPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/drills") view=TeacherDrillsPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/drills/:id") view=TeacherSessionPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/drills/:id/results") view=TeacherResultsPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/sources/quarantine/:id") view=StaffQuarantinedPage ssr=SsrMode::Async/>
                </Routes>
            </main>
            <footer class="site-footer">
                <p>{tr("shell-footer-emergency")}</p>
            </footer>
        </Router>
    }
}
