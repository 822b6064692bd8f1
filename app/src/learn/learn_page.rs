//! `/learn`: the section page.

use leptos::prelude::*;

use crate::shell::SectionIntro;

/// The section's landing page.
#[component]
pub fn LearnPage() -> impl IntoView {
    view! { <SectionIntro title_key="learn-title" heading_key="learn-heading" lead_key="learn-lead"/> }
}
