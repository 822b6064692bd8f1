//! The cookies the app sets (preferences, saved places, the push subscription's token, the
//! staff session): one
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

/// The staff session cookie's name: with the `__Host-` prefix over https, which browsers keep
/// only when it is `Secure`, for this host alone and the whole path (no subdomain can set it).
pub fn session_cookie_name(policy: CookiePolicy) -> &'static str {
    if policy.secure { "__Host-sjdz_staff" } else { "sjdz_staff" }
}

/// The `Set-Cookie` value of a staff session: no `Max-Age`, so it ends with the browser as
/// well as on the server's timeouts; an empty token deletes it.
pub fn session_cookie_header(policy: CookiePolicy, token: &str) -> String {
    let name = session_cookie_name(policy);
    let secure = if policy.secure { "; Secure" } else { "" };
    let expiry = if token.is_empty() { "; Max-Age=0" } else { "" };
    format!("{name}={token}; Path=/; SameSite=Lax; HttpOnly{secure}{expiry}")
}

/// Sets (or, with an empty token, deletes) the staff session cookie on the response.
#[cfg(feature = "ssr")]
pub fn set_session_cookie(token: &str) {
    use leptos::prelude::use_context;
    let policy = use_context::<CookiePolicy>().unwrap_or_default();
    append_set_cookie(&session_cookie_header(policy, token));
}

#[cfg(feature = "ssr")]
fn append_set_cookie(header: &str) {
    use leptos::prelude::use_context;
    if let (Some(response), Ok(header)) =
        (use_context::<leptos_axum::ResponseOptions>(), http::HeaderValue::from_str(header))
    {
        response.append_header(http::header::SET_COOKIE, header);
    }
}

/// Sets the cookie on the response being rendered or answered.
#[cfg(feature = "ssr")]
pub fn set_cookie(name: &str, value: &str, max_age_seconds: u32) {
    use leptos::prelude::use_context;
    let policy = use_context::<CookiePolicy>().unwrap_or_default();
    append_set_cookie(&cookie_header(policy, name, value, max_age_seconds));
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

    #[test]
    fn the_staff_session_cookie_is_host_only_over_https_and_ends_with_the_browser() {
        let secure = session_cookie_header(CookiePolicy { secure: true }, "t");
        assert_eq!(secure, "__Host-sjdz_staff=t; Path=/; SameSite=Lax; HttpOnly; Secure");
        let gone = session_cookie_header(CookiePolicy { secure: false }, "");
        assert_eq!(gone, "sjdz_staff=; Path=/; SameSite=Lax; HttpOnly; Max-Age=0");
    }
}
