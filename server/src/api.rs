//! The public API as one: every feature's `/api/v1` and `/feeds` routes, and
//! `GET /api/openapi.json`, the one OpenAPI 3.1 description assembled from the platform's part
//! and each feature's (documented in docs/API.md).

use std::sync::LazyLock;

use axum::{
    Router,
    extract::FromRef,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::Response,
    routing::get,
};

use crate::{
    learn::{self, Learn},
    platform::{
        etag::cacheable,
        openapi::{Operation, PLATFORM_PART, assemble},
    },
    shelters::{self, Shelters},
    warnings::{self, Warnings},
};

/// Every public operation of every feature, and the platform's `/healthz`.
pub fn operations() -> Vec<Operation> {
    warnings::api::OPERATIONS
        .iter()
        .chain(shelters::api::OPERATIONS)
        .chain(learn::api::OPERATIONS)
        .copied()
        .chain([Operation { method: "get", path: "/healthz", route: "/healthz" }])
        .collect()
}

/// The assembled description, as served (JSON text).
pub static DESCRIPTION: LazyLock<String> = LazyLock::new(|| {
    let document = assemble(
        PLATFORM_PART,
        &[warnings::api::OPENAPI_PART, shelters::api::OPENAPI_PART, learn::api::OPENAPI_PART],
    )
    // The parts are files of this crate: every test that builds the router reads them.
    .unwrap_or_else(|error| panic!("the OpenAPI parts do not assemble: {error}"));
    serde_json::to_string_pretty(&document).expect("a JSON value serializes")
});

/// The features' public routes and the description.
pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Warnings: FromRef<S>,
    Shelters: FromRef<S>,
    Learn: FromRef<S>,
{
    Router::new()
        .route("/api/openapi.json", get(openapi))
        .merge(warnings::api::routes())
        .merge(shelters::api::routes())
        .merge(learn::api::routes())
}

async fn openapi(headers: HeaderMap) -> Response {
    let mut response = cacheable(&headers, DESCRIPTION.as_bytes().to_vec(), "public, max-age=3600");
    if response.status() == StatusCode::OK {
        response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    }
    response
}
