//! The public, stable API under `/api/v1` (documented in docs/API.md): JSON with a stable
//! error envelope, and CAP in and out.

mod alerts;
mod error;
mod push;

use axum::{
    Router,
    extract::DefaultBodyLimit,
    routing::{get, post},
};

pub use error::ApiError;

use crate::http::AppState;

/// Largest CAP message accepted by push (real messages seen: up to 1.7 MB).
pub const MAX_CAP_BYTES: usize = 4 << 20;

/// Routes of `/api/v1`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/cap", post(push::receive_cap).layer(DefaultBodyLimit::max(MAX_CAP_BYTES)))
        .route("/api/v1/alerts", get(alerts::list_alerts))
        .route("/api/v1/alerts/{id}", get(alerts::get_alert))
}
