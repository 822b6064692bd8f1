//! `GET /healthz`: 200 when the database answers, 503 otherwise (for load balancers), with the
//! health of every source (last success, last error, failures in a row, next poll).

use axum::{Json, extract::State, http::StatusCode};
use serde_json::{Value, json};

use super::AppState;

/// Health of this replica: can it reach its database? Also how each source is doing: a failing
/// feed is reported, but does not make the replica unhealthy, since it can still serve.
pub async fn healthz(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let sources = state.sources_health.snapshot().await;
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, Json(json!({ "status": "ok", "database": "ok", "sources": sources }))),
        Err(error) => {
            tracing::warn!(%error, "health check: database does not answer");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({ "status": "unavailable", "database": "unavailable", "sources": sources })),
            )
        }
    }
}
