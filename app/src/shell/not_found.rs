//! The app's own 404 page, sent with status 404.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::{title, tr};

/// Shown for any path no route matches.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text=title("not-found-title")/>
        <section class="page page--not-found" aria-labelledby="page-heading">
            <h1 id="page-heading">{tr("not-found-heading")}</h1>
            <p>{tr("not-found-body")}</p>
            <p><a class="button" href="/">{tr("not-found-home")}</a></p>
        </section>
    }
}
