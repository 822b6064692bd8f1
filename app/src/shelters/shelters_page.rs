//! `/shelters`: the section page.

use leptos::prelude::*;

use crate::shell::SectionIntro;

/// The section's landing page.
#[component]
pub fn SheltersPage() -> impl IntoView {
    view! { <SectionIntro title_key="shelters-title" heading_key="shelters-heading" lead_key="shelters-lead"/> }
}
