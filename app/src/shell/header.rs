//! The site header: the product name, the language switch and the four sections.

use leptos::prelude::*;
use leptos_router::components::A;

use super::{
    icons::{Icon, IconSvg},
    language_switch::LanguageSwitch,
};
use crate::i18n::tr;

/// Header with brand, language switch and main navigation (a bottom tab bar on phones).
#[component]
pub fn SiteHeader() -> impl IntoView {
    view! {
        <header class="site-header">
            <div class="site-header__bar">
                <a class="brand" href="/">
                    <span class="brand__mark" aria-hidden="true">"瓷"</span>
                    <span class="brand__name">
                        <span lang="zh-CN">"平安瓷都"</span>
                        <span class="brand__sep" aria-hidden="true">" · "</span>
                        <span lang="en">"Safe Jingdezhen"</span>
                    </span>
                </a>
                <div class="site-header__tools">
                    <LanguageSwitch/>
                    <A href="/settings" attr:class="tool-link">
                        <IconSvg icon=Icon::Settings/>
                        <span>{tr("nav-settings")}</span>
                    </A>
                </div>
            </div>
            <nav class="site-nav" aria-label=tr("nav-label")>
                <ul>
                    <NavItem href="/" icon=Icon::Warning label=tr("nav-warnings")/>
                    <NavItem href="/shelters" icon=Icon::Shelter label=tr("nav-shelters")/>
                    <NavItem href="/drills" icon=Icon::Drill label=tr("nav-drills")/>
                    <NavItem href="/learn" icon=Icon::Learn label=tr("nav-learn")/>
                </ul>
            </nav>
        </header>
    }
}

/// One section link; the router marks the current one with `aria-current="page"`.
#[component]
fn NavItem(
    href: &'static str,
    icon: Icon,
    label: impl Fn() -> String + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <li>
            <A href=href exact=true>
                <IconSvg icon=icon/>
                <span>{label}</span>
            </A>
        </li>
    }
}
