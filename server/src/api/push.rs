//! `POST /api/v1/cap`: a sender pushes one CAP message, authenticated by its bearer token.

use axum::{
    Json,
    body::Bytes,
    extract::{State, rejection::BytesRejection},
    http::{HeaderMap, StatusCode, header},
};
use chrono::Utc;
use serde_json::{Value, json};

use super::ApiError;
use crate::{http::AppState, ingest::Verdict};

/// Source name of the push source configured by `push_token`.
pub const PUSH_SOURCE: &str = "push";

/// 201 with the new id, 200 for a duplicate, 422 with the reason for a refused message.
pub async fn receive_cap(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let source = authenticate(&state, &headers)?;
    let body = body.map_err(|rejection| {
        ApiError::new(
            rejection.status(),
            "body_rejected",
            format!("the request body was not accepted: {rejection}"),
        )
    })?;
    if body.is_empty() {
        return Err(ApiError::bad_request("the body must be a CAP XML document"));
    }
    match state.ingest.receive(source, &body, Utc::now()).await? {
        Verdict::Accepted { id } => Ok((StatusCode::CREATED, Json(receipt(id, "accepted")))),
        Verdict::Duplicate { id } => Ok((StatusCode::OK, Json(receipt(id, "duplicate")))),
        Verdict::Envelope { id, parts } => {
            let status = if parts.iter().any(Verdict::is_refused) {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                StatusCode::CREATED
            };
            let parts: Vec<Value> = parts.iter().map(part_receipt).collect();
            Ok((status, Json(json!({ "id": id, "status": "envelope", "parts": parts }))))
        }
        Verdict::Quarantined { id, reason } => {
            Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_cap", reason)
                .with_details(json!({ "quarantine_id": id })))
        }
    }
}

fn part_receipt(verdict: &Verdict) -> Value {
    match verdict {
        Verdict::Accepted { id } => receipt(*id, "accepted"),
        Verdict::Duplicate { id } => receipt(*id, "duplicate"),
        Verdict::Quarantined { id, reason } => json!({ "id": id, "status": "quarantined", "reason": reason }),
        Verdict::Envelope { id, .. } => json!({ "id": id, "status": "envelope" }),
    }
}

fn receipt(id: i64, status: &str) -> Value {
    json!({
        "id": id,
        "status": status,
        "links": { "alert": format!("/api/v1/alerts/{id}"), "cap": format!("/api/v1/alerts/{id}.cap") },
    })
}

/// The source whose token the request carries.
fn authenticate(state: &AppState, headers: &HeaderMap) -> Result<&'static str, ApiError> {
    let unauthorized = |message: &str| ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", message);
    let Some(expected) = state.config.push_token.as_deref().filter(|t| !t.is_empty()) else {
        return Err(unauthorized("push is not configured on this server"));
    };
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or_else(|| unauthorized("send Authorization: Bearer <token>"))?;
    if constant_time_eq(presented.trim().as_bytes(), expected.as_bytes()) {
        Ok(PUSH_SOURCE)
    } else {
        Err(unauthorized("the token is not valid"))
    }
}

/// Compares secrets without leaking, through timing, how much of them matched.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
