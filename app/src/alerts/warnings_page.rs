//! `/`: the warnings that concern the resident's places.

use leptos::prelude::*;

use crate::shell::SectionIntro;

/// The home page.
#[component]
pub fn WarningsPage() -> impl IntoView {
    view! { <SectionIntro title_key="warnings-title" heading_key="warnings-heading" lead_key="warnings-lead"/> }
}
