//! Settings: language, elderly mode and contrast, remembered in a cookie so that the server
//! renders every page with them.

mod api;
mod page;

#[cfg(feature = "ssr")]
pub use api::ssr::request_preferences;
pub use api::{SavePreferences, SetLanguage, save_preferences, set_language};
pub use page::SettingsPage;

use leptos::prelude::*;

use crate::{domain::preferences::Preferences, error::AppError, i18n::use_preferences};

/// Applies preferences saved by a server function to the page (the JavaScript path; without
/// JavaScript the form post redirects back and the server renders the new preferences).
pub fn use_saved_preferences(
    saved: impl Get<Value = Option<Result<Preferences, AppError>>> + Send + Sync + 'static,
) {
    let prefs = use_preferences();
    Effect::new(move |_| {
        if let Some(Ok(new)) = saved.get() {
            prefs.set(new);
        }
    });
}
