//! The public, stable API under `/api/v1` (documented in docs/API.md): JSON with a stable
//! error envelope, and CAP in and out.

mod alerts;
mod geojson;
mod push;
pub mod views;

use axum::{
    Router,
    extract::{DefaultBodyLimit, FromRef},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::Response,
    routing::{get, post},
};

pub use crate::platform::{api_error::ApiError, etag::cacheable};

use super::Warnings;

/// Largest CAP message accepted by push (real messages seen: up to 1.7 MB).
pub const MAX_CAP_BYTES: usize = 4 << 20;

/// Routes of `/api/v1` and `/feeds` for warnings, on any state the feature's state comes from.
pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Warnings: FromRef<S>,
{
    Router::new()
        .route("/api/v1/cap", post(push::receive_cap).layer(DefaultBodyLimit::max(MAX_CAP_BYTES)))
        .route("/api/v1/alerts", get(alerts::list_alerts))
        .route("/api/v1/alerts.geojson", get(geojson::alerts_geojson))
        .route("/api/v1/alerts/stream", get(crate::warnings::stream::alert_stream))
        .route("/feeds/alerts.atom", get(crate::warnings::feeds::alerts_atom))
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
