//! The server function that saves preferences into the preferences cookie.

use leptos::prelude::*;

use crate::{domain::preferences::Preferences, error::AppError};

/// Saves all display preferences from the settings form (a plain form post). Checkboxes send
/// `on` when ticked and nothing otherwise.
#[server]
pub async fn save_preferences(
    lang: String,
    elderly: Option<String>,
    high_contrast: Option<String>,
    alert_sound: Option<String>,
    alert_vibrate: Option<String>,
) -> Result<Preferences, AppError> {
    let signals = crate::domain::preferences::AlertSignals {
        sound: alert_sound.is_some(),
        vibrate: alert_vibrate.is_some(),
    };
    let prefs = Preferences::from_form(&lang, elderly.is_some(), high_contrast.is_some(), signals)
        .ok_or_else(|| AppError::new("error-unknown-language"))?;
    crate::shell::remember_preferences(prefs);
    // Back to the settings page, which then says "saved".
    leptos_axum::redirect("/settings?saved");
    Ok(prefs)
}
