//! The preferences of the request being rendered, and the cookie that keeps them.

use crate::domain::preferences::Preferences;

/// The preferences the request came with (cookie, else Accept-Language). Pages render on the
/// server only, so there is no browser side to agree with.
pub fn request_preferences() -> Preferences {
    #[cfg(feature = "ssr")]
    {
        use http::header;
        let parts = leptos::prelude::use_context::<http::request::Parts>();
        let header = |name| parts.as_ref().and_then(|p| p.headers.get(name)).and_then(|v| v.to_str().ok());
        Preferences::from_headers(header(header::COOKIE), header(header::ACCEPT_LANGUAGE))
    }
    #[cfg(not(feature = "ssr"))]
    {
        Preferences::default()
    }
}

/// A year: preferences are a resident's lasting choice.
#[cfg(feature = "ssr")]
const COOKIE_MAX_AGE_SECONDS: u32 = 365 * 24 * 60 * 60;

/// Sets the preferences cookie on the response.
#[cfg(feature = "ssr")]
pub fn remember_preferences(prefs: Preferences) {
    use crate::domain::preferences::PREFERENCES_COOKIE;
    super::cookies::set_cookie(PREFERENCES_COOKIE, &prefs.to_cookie_value(), COOKIE_MAX_AGE_SECONDS);
}
