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
use crate::warnings::{Warnings, ingest::Verdict};

/// 201 with the new id, 200 for a duplicate, 422 with the reason for a refused message.
pub async fn receive_cap(
    State(state): State<Warnings>,
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
    let verdict = state.ingest.receive(&source, &body, Utc::now()).await?;
    state.sources_health.record(&source, Ok(()), Utc::now(), None).await;
    match verdict {
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
fn authenticate(state: &Warnings, headers: &HeaderMap) -> Result<String, ApiError> {
    let unauthorized = |message: &str| ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", message);
    if !state.settings.push_sources.any() {
        return Err(unauthorized("push is not configured on this server"));
    }
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or_else(|| unauthorized("send Authorization: Bearer <token>"))?;
    state
        .settings
        .push_sources
        .source_for(presented.trim())
        .ok_or_else(|| unauthorized("the token is not valid"))
}
