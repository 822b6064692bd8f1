//! The layers every response gets: security headers, compression, request tracing.

use axum::Router;
use http::{HeaderValue, header};
use tower_http::{compression::CompressionLayer, set_header::SetResponseHeaderLayer, trace::TraceLayer};

/// `router` with the headers every answer carries (unless a handler set its own), compressed
/// on the fly (pages and JSON; static files arrive precompressed and pass), and traced.
pub fn with_common_layers<S: Clone + Send + Sync + 'static>(mut router: Router<S>) -> Router<S> {
    let security_headers = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        // Same-origin keeps the full Referer that form posts are sent back to.
        (header::REFERRER_POLICY, "same-origin"),
        (header::X_FRAME_OPTIONS, "DENY"),
    ];
    for (name, value) in security_headers {
        router = router.layer(SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value)));
    }
    router.layer(CompressionLayer::new()).layer(TraceLayer::new_for_http())
}
