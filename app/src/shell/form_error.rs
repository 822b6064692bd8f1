//! The error of a plain form post, shown on the page the form sent the resident back to.
//!
//! Forms post to server functions; when one refuses (an unknown place, too many places, a
//! notification setting that cannot be saved), the server sends the resident back with
//! `?error=<message id>` (server/src/http/pages.rs), and this notice says why in their
//! language. Only message ids of errors are shown, so a link cannot put other words here.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::i18n::{has_message, translate, use_preferences};

/// The query parameter that carries the message id.
pub const ERROR_PARAMETER: &str = "error";

/// Whether `id` names an error message of the locales (and so may be shown from a link).
pub fn is_error_message(id: &str) -> bool {
    let lang = use_preferences().get_untracked().lang;
    [
        "error-",
        "places-error-",
        "notify-error-",
        "warnings-error-",
        "staff-error-",
        "compose-error-",
        "monitor-error-",
        "join-error-",
        "class-error-",
        "staff-drills-error-",
    ]
    .iter()
    .any(|prefix| id.starts_with(prefix))
        && has_message(lang, id)
}

/// The notice, when the page was reached with `?error=` naming an error message.
#[component]
pub fn FormErrorNotice() -> impl IntoView {
    let lang = use_preferences().get_untracked().lang;
    let id = use_query_map().with_untracked(|query| query.get(ERROR_PARAMETER));
    id.filter(|id| is_error_message(id))
        .map(|id| view! { <p class="notice notice--error" role="alert">{translate(lang, &id)}</p> })
}
