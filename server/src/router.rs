//! The whole HTTP surface, assembled from each feature's routes, the pages and the platform's
//! layers; tests call [`router`] in-process.

use axum::{Json, Router, extract::State, handler::Handler, http::StatusCode, routing::get};
use http::header;
use serde_json::{Value, json};

use crate::{
    api, pages,
    platform::{assets, health, http::with_common_layers},
    staff,
    state::AppState,
};

/// The whole application router.
pub fn router(state: AppState) -> Router {
    let not_found = pages::render_not_found.with_state(state.clone());
    let https = state.https();
    let router = Router::new()
        .route("/healthz", get(healthz))
        .route("/sw.js", get(service_worker))
        .merge(api::routes())
        .merge(staff::routes())
        .merge(crate::drills::class_routes::routes())
        .merge(pages::routes(&state))
        .fallback_service(assets::static_files(&state.config.site_root, not_found))
        // Outermost but for the common layers: no staff route runs unguarded.
        .layer(axum::middleware::from_fn_with_state(state.staff.clone(), staff::guard::guard));
    with_common_layers(router, https).with_state(state)
}

/// `GET /healthz`: 200 when the database answers, 503 otherwise (for load balancers), with
/// the health of every source (last success, last error, failures in a row, next poll). A
/// failing feed is reported but does not make the replica unhealthy: it can still serve.
async fn healthz(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let sources = state.warnings.sources_health.snapshot().await;
    if health::database_answers(&state.store).await {
        (StatusCode::OK, Json(json!({ "status": "ok", "database": "ok", "sources": sources })))
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "status": "unavailable", "database": "unavailable", "sources": sources })),
        )
    }
}

/// The service worker that shows notifications. Served from the root (its scope is the whole
/// site) under a fixed name, and revalidated on every load so a release reaches phones at once.
async fn service_worker() -> impl axum::response::IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "no-cache")],
        include_str!("../../public/sw.js"),
    )
}
