//! `/drills`: the section page.

use leptos::prelude::*;

use crate::shell::SectionIntro;

/// The section's landing page.
#[component]
pub fn DrillsPage() -> impl IntoView {
    view! { <SectionIntro title_key="drills-title" heading_key="drills-heading" lead_key="drills-lead"/> }
}
