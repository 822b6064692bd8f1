//! The public, stable API under `/api/v1` (documented in docs/API.md): JSON with a stable
//! error envelope, and CAP in and out.

mod alerts;
mod geojson;
mod push;
pub mod views;

use axum::{
    Router,
    extract::{DefaultBodyLimit, FromRef},
    routing::{MethodRouter, get, post},
};

pub use crate::platform::{api_error::ApiError, etag::cacheable, openapi::Operation};

use super::Warnings;

/// Largest CAP message accepted by push (real messages seen: up to 1.7 MB).
pub const MAX_CAP_BYTES: usize = 4 << 20;

/// Every public operation of the warnings feature. Its routes are built from this list alone
/// (a route has no other way in), and `server/tests/integration/openapi.rs` compares every
/// feature's list with the assembled description, so neither can gain an operation the other
/// lacks.
pub const OPERATIONS: &[Operation] = &[
    Operation { method: "post", path: "/api/v1/cap", route: "/api/v1/cap" },
    Operation { method: "get", path: "/api/v1/alerts", route: "/api/v1/alerts" },
    Operation { method: "get", path: "/api/v1/alerts.geojson", route: "/api/v1/alerts.geojson" },
    Operation { method: "get", path: "/api/v1/alerts/stream", route: "/api/v1/alerts/stream" },
    Operation { method: "get", path: "/api/v1/alerts/{id}", route: "/api/v1/alerts/{id}" },
    Operation { method: "get", path: "/api/v1/alerts/{id}.cap", route: "/api/v1/alerts/{id}" },
    Operation { method: "get", path: "/feeds/alerts.atom", route: "/feeds/alerts.atom" },
];

/// Routes of `/api/v1` and `/feeds` for warnings, on any state the feature's state comes from.
pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Warnings: FromRef<S>,
{
    crate::platform::openapi::routes_of(OPERATIONS, handler)
}

/// The handler of `route`, one of [`OPERATIONS`]' routes.
fn handler<S>(route: &str) -> MethodRouter<S>
where
    S: Clone + Send + Sync + 'static,
    Warnings: FromRef<S>,
{
    match route {
        "/api/v1/cap" => post(push::receive_cap).layer(DefaultBodyLimit::max(MAX_CAP_BYTES)),
        "/api/v1/alerts" => get(alerts::list_alerts),
        "/api/v1/alerts.geojson" => get(geojson::alerts_geojson),
        "/api/v1/alerts/stream" => get(super::stream::alert_stream),
        "/api/v1/alerts/{id}" => get(alerts::get_alert),
        "/feeds/alerts.atom" => get(super::feeds::alerts_atom),
        // Every router test builds the router, so a listed route without a handler fails them all.
        other => unreachable!("OPERATIONS lists the route {other}, which has no handler here"),
    }
}

/// The warnings feature's part of the OpenAPI description (its paths and schemas), written
/// by hand next to the handlers; `server/src/api.rs` assembles the whole.
pub const OPENAPI_PART: &str = include_str!("api/openapi.json");
