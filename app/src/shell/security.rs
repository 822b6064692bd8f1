//! The browser-side security policy of every response, written once: the Content-Security-Policy
//! (pages get a per-response nonce for their inline bootstrap; everything else none at all) and
//! the Permissions-Policy. The server's HTTP layer sends [`content_security_policy`]`(None)` on
//! responses that are not pages; pages replace it with their nonce through [`PagePolicy`].

/// The Content-Security-Policy. With a `nonce` (a page), scripts run only when the server
/// rendered them with that nonce — the islands bootstrap and leptos' own inline scripts — or
/// when such a script loaded them (`'strict-dynamic'`: the bundle's glue and WebAssembly).
/// Without one (JSON, feeds, files, plain-text errors) no script runs at all.
pub fn content_security_policy(nonce: Option<&str>) -> String {
    let scripts = match nonce {
        // 'wasm-unsafe-eval' lets the islands' WebAssembly compile; it does not allow eval().
        Some(nonce) => format!("'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'"),
        None => "'none'".to_owned(),
    };
    // Styles only from the site's stylesheets: no inline style anywhere.
    format!(
        "default-src 'self'; script-src {scripts}; style-src 'self'; img-src 'self' data:; \
         connect-src 'self'; worker-src 'self'; manifest-src 'self'; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// Powerful features: the position only for the site itself (never for anything it embeds),
/// and nothing it does not use.
pub const PERMISSIONS_POLICY: &str = "geolocation=(self), camera=(), microphone=(), payment=(), usb=()";

/// Sets the page's Content-Security-Policy with the nonce leptos generated for this response
/// (every inline script it writes carries it, and so does [`super::HydrationScript`]).
#[leptos::component]
pub fn PagePolicy() -> impl leptos::IntoView {
    #[cfg(feature = "ssr")]
    if let (Some(nonce), Some(response)) =
        (leptos::nonce::use_nonce(), leptos::prelude::use_context::<leptos_axum::ResponseOptions>())
        && let Ok(value) = http::HeaderValue::from_str(&content_security_policy(Some(&nonce.to_string())))
    {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_allows_only_its_own_nonce_and_what_that_script_loads() {
        let page = content_security_policy(Some("abc123"));
        assert!(page.contains("script-src 'nonce-abc123' 'strict-dynamic' 'wasm-unsafe-eval';"), "{page}");
        assert!(!page.contains("unsafe-inline"), "{page}");
        assert!(page.contains("frame-ancestors 'none'"), "{page}");
        let other = content_security_policy(None);
        assert!(other.contains("script-src 'none';"), "{other}");
    }
}
