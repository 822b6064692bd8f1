//! A section page's heading and short description, shared by the sections whose own issue has
//! not landed yet.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::{title, tr};

/// Title, heading and lead paragraph of a section page.
#[component]
pub fn SectionIntro(
    title_key: &'static str,
    heading_key: &'static str,
    lead_key: &'static str,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    view! {
        <Title text=title(title_key)/>
        <section class="page" aria-labelledby="page-heading">
            <h1 id="page-heading">{tr(heading_key)}</h1>
            <p class="lead">{tr(lead_key)}</p>
            {children.map(|children| children())}
        </section>
    }
}
