//! The public, stable API under `/api/v1` (documented in docs/API.md): JSON with a stable
//! error envelope, and CAP in and out.

mod alerts;
mod error;
mod geojson;
mod push;

use axum::{
    Router,
    body::Body,
    extract::DefaultBodyLimit,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use sha2::{Digest, Sha256};

pub use error::ApiError;

use crate::http::AppState;

/// Source name of the push source configured by `push_token` alone.
pub const PUSH_SOURCE: &str = "push";

/// Largest CAP message accepted by push (real messages seen: up to 1.7 MB).
pub const MAX_CAP_BYTES: usize = 4 << 20;

/// Routes of `/api/v1`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/cap", post(push::receive_cap).layer(DefaultBodyLimit::max(MAX_CAP_BYTES)))
        .route("/api/v1/alerts", get(alerts::list_alerts))
        .route("/api/v1/alerts.geojson", get(geojson::alerts_geojson))
        .route("/api/v1/alerts/stream", get(crate::delivery::stream::alert_stream))
        .route("/feeds/alerts.atom", get(crate::feeds::alerts_atom))
        .route("/api/openapi.json", get(openapi))
        .route("/api/v1/alerts/{id}", get(alerts::get_alert))
}

/// The OpenAPI 3.1 description of this API. Written by hand next to the handlers and held
/// true by `server/tests/openapi.rs`, which checks every path against the router and real
/// responses against the schemas.
pub const OPENAPI: &str = include_str!("api/openapi.json");

async fn openapi(headers: HeaderMap) -> Response {
    let mut response = cacheable(&headers, OPENAPI.as_bytes().to_vec(), "public, max-age=3600");
    if response.status() == StatusCode::OK {
        response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    }
    response
}

/// A body that may be revalidated: an `ETag` from its content and `304 Not Modified` when the
/// client already has it (so polling clients on a bad signal download nothing new).
pub fn cacheable(request: &HeaderMap, body: Vec<u8>, cache_control: &'static str) -> Response {
    let digest = Sha256::digest(&body);
    let etag = format!("\"{}\"", digest.iter().take(12).map(|b| format!("{b:02x}")).collect::<String>());
    let matches = request
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|candidate| candidate.trim() == etag || candidate.trim() == "*"));
    let mut response =
        if matches { StatusCode::NOT_MODIFIED.into_response() } else { Response::new(Body::from(body)) };
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache_control));
    if let Ok(value) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, value);
    }
    response
}
