//! The layers every response gets: security headers, compression, request tracing.

use axum::Router;
use http::{HeaderValue, header};
use safejdz_app::shell::{PERMISSIONS_POLICY, content_security_policy};
use tower_http::{compression::CompressionLayer, set_header::SetResponseHeaderLayer, trace::TraceLayer};

/// HSTS for a site served over https: a year, subdomains too (the bureau's host is https-only).
pub const STRICT_TRANSPORT_SECURITY: &str = "max-age=31536000; includeSubDomains";

/// `router` with the headers every answer carries (unless a handler set its own: pages set a
/// Content-Security-Policy with their nonce), compressed on the fly (pages and JSON; static
/// files arrive precompressed and pass), and traced. `https`: the site's public address is
/// https, so browsers are told to use nothing else (HSTS).
pub fn with_common_layers<S: Clone + Send + Sync + 'static>(mut router: Router<S>, https: bool) -> Router<S> {
    let mut security_headers = vec![
        (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        // Same-origin keeps the full Referer that form posts are sent back to.
        (header::REFERRER_POLICY, HeaderValue::from_static("same-origin")),
        // For browsers older than CSP's frame-ancestors.
        (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
        (header::HeaderName::from_static("permissions-policy"), HeaderValue::from_static(PERMISSIONS_POLICY)),
    ];
    if let Ok(policy) = HeaderValue::from_str(&content_security_policy(None)) {
        security_headers.push((header::CONTENT_SECURITY_POLICY, policy));
    }
    if https {
        security_headers
            .push((header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static(STRICT_TRANSPORT_SECURITY)));
    }
    for (name, value) in security_headers {
        router = router.layer(SetResponseHeaderLayer::if_not_present(name, value));
    }
    router.layer(CompressionLayer::new()).layer(TraceLayer::new_for_http())
}
