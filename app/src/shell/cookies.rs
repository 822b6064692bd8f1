//! The cookies the app sets (preferences, saved places, the push subscription's token): one
//! place for their attributes. `HttpOnly` and `SameSite=Lax` always; `Secure` when the server
//! is reached over https (the server provides [`CookiePolicy`] from its `public_url`).

/// How cookies are set for this site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CookiePolicy {
    /// The site is served over https: cookies are sent over https only.
    pub secure: bool,
}

/// The `Set-Cookie` value for `name=value`, kept `max_age_seconds`.
pub fn cookie_header(policy: CookiePolicy, name: &str, value: &str, max_age_seconds: u32) -> String {
    let secure = if policy.secure { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; Max-Age={max_age_seconds}; SameSite=Lax; HttpOnly{secure}")
}

/// Sets the cookie on the response being rendered or answered.
#[cfg(feature = "ssr")]
pub fn set_cookie(name: &str, value: &str, max_age_seconds: u32) {
    use leptos::prelude::use_context;
    let policy = use_context::<CookiePolicy>().unwrap_or_default();
    let header = cookie_header(policy, name, value, max_age_seconds);
    if let (Some(response), Ok(header)) =
        (use_context::<leptos_axum::ResponseOptions>(), http::HeaderValue::from_str(&header))
    {
        response.append_header(http::header::SET_COOKIE, header);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_secure_only_over_https() {
        let plain = cookie_header(CookiePolicy { secure: false }, "a", "b", 60);
        assert_eq!(plain, "a=b; Path=/; Max-Age=60; SameSite=Lax; HttpOnly");
        let secure = cookie_header(CookiePolicy { secure: true }, "a", "b", 60);
        assert_eq!(secure, "a=b; Path=/; Max-Age=60; SameSite=Lax; HttpOnly; Secure");
    }
}
