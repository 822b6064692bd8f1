//! Server functions that save preferences into the preferences cookie.

use leptos::prelude::*;

use crate::{domain::preferences::Preferences, error::AppError};

/// Saves all display preferences from the settings form. Checkboxes send `on` when ticked and
/// nothing otherwise.
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
    ssr::remember(prefs);
    Ok(prefs)
}

/// Changes the language only, keeping the other preferences.
#[server]
pub async fn set_language(lang: String) -> Result<Preferences, AppError> {
    let lang = crate::domain::preferences::Lang::from_tag(&lang)
        .ok_or_else(|| AppError::new("error-unknown-language"))?;
    let prefs = Preferences { lang, ..ssr::request_preferences() };
    ssr::remember(prefs);
    Ok(prefs)
}

#[cfg(feature = "ssr")]
pub(super) mod ssr {
    use http::{HeaderValue, header};
    use leptos::prelude::*;

    use crate::domain::preferences::{PREFERENCES_COOKIE, Preferences};

    /// A year: preferences are a resident's lasting choice.
    const COOKIE_MAX_AGE_SECONDS: u32 = 365 * 24 * 60 * 60;

    /// The preferences the request being served came with (cookie, else Accept-Language).
    pub fn request_preferences() -> Preferences {
        let parts = use_context::<http::request::Parts>();
        let header = |name| parts.as_ref().and_then(|p| p.headers.get(name)).and_then(|v| v.to_str().ok());
        Preferences::from_headers(header(header::COOKIE), header(header::ACCEPT_LANGUAGE))
    }

    /// Sets the preferences cookie on the response.
    pub fn remember(prefs: Preferences) {
        let cookie = format!(
            "{PREFERENCES_COOKIE}={}; Path=/; Max-Age={COOKIE_MAX_AGE_SECONDS}; SameSite=Lax; HttpOnly",
            prefs.to_cookie_value()
        );
        if let (Some(response), Ok(value)) =
            (use_context::<leptos_axum::ResponseOptions>(), HeaderValue::from_str(&cookie))
        {
            response.append_header(header::SET_COOKIE, value);
        }
    }
}
