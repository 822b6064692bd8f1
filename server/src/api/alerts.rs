//! `GET /api/v1/alerts`, `GET /api/v1/alerts/{id}` and `GET /api/v1/alerts/{id}.cap`.

use axum::{
    Json,
    body::Body,
    extract::{Path, Query, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Utc};
use safejdz_app::domain::{cap::Status, lifecycle::Lifecycle};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::ApiError;
use crate::{
    alerts::{self, AlertView},
    http::AppState,
};

/// Query of the alert list.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// CAP status; `Actual` (default) lists the warnings in force for residents.
    status: Option<String>,
    /// Only alerts sent at or after this RFC 3339 time.
    since: Option<String>,
    /// Keep only the info in this language (falls back to the first).
    lang: Option<String>,
}

/// One alert as the API shows it.
#[derive(Debug, Serialize)]
struct AlertResource<'a> {
    id: i64,
    lifecycle: Lifecycle,
    received_at: DateTime<Utc>,
    links: Links,
    #[serde(flatten)]
    alert: &'a safejdz_app::domain::cap::Alert,
}

#[derive(Debug, Serialize)]
struct Links {
    #[serde(rename = "self")]
    this: String,
    cap: String,
}

fn resource(view: &AlertView) -> AlertResource<'_> {
    AlertResource {
        id: view.id,
        lifecycle: view.lifecycle,
        received_at: view.received_at,
        links: Links {
            this: format!("/api/v1/alerts/{}", view.id),
            cap: format!("/api/v1/alerts/{}.cap", view.id),
        },
        alert: &view.alert,
    }
}

/// The alerts in force.
pub async fn list_alerts(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(query) = query.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let now = Utc::now();
    let lifetime = state.config.default_alert_lifetime();
    let status = match query.status.as_deref() {
        None => Status::Actual,
        Some(text) => Status::from_cap(text).ok_or_else(|| {
            ApiError::bad_request(format!(
                "status {text:?} is not one of Actual, Exercise, System, Test, Draft"
            ))
        })?,
    };
    let since = query
        .since
        .as_deref()
        .map(|s| {
            DateTime::parse_from_rfc3339(s)
                .map_err(|_| ApiError::bad_request(format!("since {s:?} is not an RFC 3339 time")))
        })
        .transpose()?;
    let mut views = if status == Status::Actual {
        alerts::active(&state.store, now, lifetime).await?
    } else {
        alerts::not_actual_in_force(&state.store, status, now, lifetime).await?
    };
    if let Some(since) = since {
        views.retain(|v| v.alert.sent >= since);
    }
    if let Some(lang) = query.lang.as_deref() {
        for view in &mut views {
            if let Some(info) = view.alert.info_for(lang).cloned() {
                view.alert.infos = vec![info];
            }
        }
    }
    let body = serde_json::json!({
        "generated_at": now,
        "alerts": views.iter().map(resource).collect::<Vec<_>>(),
    });
    Ok(json_with_etag(&headers, &body))
}

/// One alert (`/api/v1/alerts/12`) or its original CAP (`/api/v1/alerts/12.cap`).
pub async fn get_alert(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(name): Path<String>,
) -> Result<Response, ApiError> {
    let (id_text, wants_cap) = match name.strip_suffix(".cap") {
        Some(id) => (id, true),
        None => (name.as_str(), false),
    };
    let id: i64 = id_text.parse().map_err(|_| ApiError::not_found("alert"))?;
    if wants_cap {
        if state.store.accepted_alert(id).await?.is_none() {
            return Err(ApiError::not_found("alert"));
        }
        let raw = state.store.raw_message(id).await?.ok_or_else(|| ApiError::not_found("alert"))?;
        let etag = etag_of(&raw);
        if not_modified(&headers, &etag) {
            return Ok(not_modified_response(&etag));
        }
        let mut response = Response::new(Body::from(raw));
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/cap+xml"));
        // A stored message never changes.
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=86400"));
        insert_etag(headers, &etag);
        return Ok(response);
    }
    let view = alerts::one(&state.store, id, Utc::now(), state.config.default_alert_lifetime())
        .await?
        .ok_or_else(|| ApiError::not_found("alert"))?;
    Ok(json_with_etag(&headers, &serde_json::to_value(resource(&view)).unwrap_or_default()))
}

/// JSON that may be revalidated: `ETag` from its content, `304` when the client has it.
fn json_with_etag(request: &HeaderMap, body: &serde_json::Value) -> Response {
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    let etag = etag_of(&bytes);
    if not_modified(request, &etag) {
        return not_modified_response(&etag);
    }
    let mut response = (StatusCode::OK, Json(body)).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    insert_etag(headers, &etag);
    response
}

fn etag_of(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    format!("\"{}\"", digest.iter().take(12).map(|b| format!("{b:02x}")).collect::<String>())
}

fn not_modified(request: &HeaderMap, etag: &str) -> bool {
    request
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|candidate| candidate.trim() == etag || candidate.trim() == "*"))
}

fn not_modified_response(etag: &str) -> Response {
    let mut response = StatusCode::NOT_MODIFIED.into_response();
    insert_etag(response.headers_mut(), etag);
    response
}

fn insert_etag(headers: &mut HeaderMap, etag: &str) {
    if let Ok(value) = HeaderValue::from_str(etag) {
        headers.insert(header::ETAG, value);
    }
}
