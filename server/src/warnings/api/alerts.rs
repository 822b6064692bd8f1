//! `GET /api/v1/alerts`, `GET /api/v1/alerts/{id}` and `GET /api/v1/alerts/{id}.cap`.

use super::{ApiError, cacheable, views::AlertResource};
use crate::{
    warnings::Warnings,
    warnings::alerts::{self, AlertView},
};
use axum::{
    extract::{Path, Query, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::Response,
};
use chrono::{DateTime, Utc};
use safejdz_app::domain::{
    boundaries,
    cap::Status,
    divisions,
    geo::DivisionCode,
    matching::{Coverage, Place, concerns, parse_point},
};
use serde::Deserialize;

/// Why turning an API view into JSON cannot fail: views are plain structs, strings and numbers,
/// with string keys only.
pub(super) const SERIALIZES: &str = "API views serialize to JSON: plain data with string keys";

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
    /// Only the alerts covering this point, `<lat>,<lon>` (WGS-84 decimal degrees).
    at: Option<String>,
    /// Only the alerts covering this division of the city (6, 9 or 12-digit code).
    code: Option<String>,
}

/// The API resource of a stored alert with its lifecycle.
fn resource(view: &AlertView, coverage: Option<Coverage>) -> AlertResource<'_> {
    AlertResource::new(view.id, &view.alert, view.lifecycle, view.received_at, coverage)
}

/// The alerts in force.
pub async fn list_alerts(
    State(state): State<Warnings>,
    headers: HeaderMap,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(query) = query.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let now = Utc::now();
    let lifetime = state.settings.default_alert_lifetime;
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
        alerts::active(&state.recent, now, lifetime).await?
    } else {
        alerts::not_actual_in_force(&state.recent, status, now, lifetime).await?
    };
    if let Some(since) = since {
        views.retain(|v| v.alert.sent >= since);
    }
    let place = place_of(query.at.as_deref(), query.code.as_deref())?;
    let coverages: Vec<Option<Coverage>> = match &place {
        Some(place) => views.iter().map(|v| concerns(&v.alert, place, boundaries::jingdezhen())).collect(),
        None => vec![None; views.len()],
    };
    if let Some(lang) = query.lang.as_deref() {
        for view in &mut views {
            if let Some(info) = view.alert.info_for(lang).cloned() {
                view.alert.infos = vec![info];
            }
        }
    }
    let body = serde_json::json!({
        "generated_at": now,
        "alerts": views
            .iter()
            .zip(coverages)
            .filter(|(_, coverage)| place.is_none() || coverage.is_some())
            .map(|(view, coverage)| resource(view, coverage))
            .collect::<Vec<_>>(),
    });
    Ok(json_with_etag(&headers, &body))
}

/// The place of `?at=` or `?code=` (not both), checked.
fn place_of(at: Option<&str>, code: Option<&str>) -> Result<Option<Place>, ApiError> {
    match (at, code) {
        (None, None) => Ok(None),
        (Some(_), Some(_)) => Err(ApiError::bad_request("give at or code, not both")),
        (Some(at), None) => {
            let point = parse_point(at).ok_or_else(|| {
                ApiError::bad_request(format!("at {at:?} is not <lat>,<lon> in decimal degrees"))
            })?;
            Ok(Some(Place { point: Some(point), division: None }))
        }
        (None, Some(code)) => {
            let division = DivisionCode::parse(code)
                .filter(|c| divisions::jingdezhen().get(c).is_some())
                .ok_or_else(|| {
                    ApiError::bad_request(format!(
                        "code {code:?} is not a division of 景德镇市 (6, 9 or 12 digits, see the divisions list)"
                    ))
                })?;
            Ok(Some(Place { point: None, division: Some(division) }))
        }
    }
}

/// One alert (`/api/v1/alerts/12`) or its original CAP (`/api/v1/alerts/12.cap`).
pub async fn get_alert(
    State(state): State<Warnings>,
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
        // A stored message never changes: cacheable for a day.
        let mut response = cacheable(&headers, raw, "public, max-age=86400");
        if response.status() == StatusCode::OK {
            response
                .headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/cap+xml"));
        }
        return Ok(response);
    }
    let view = alerts::one(&state.recent, id, Utc::now(), state.settings.default_alert_lifetime)
        .await?
        .ok_or_else(|| ApiError::not_found("alert"))?;
    Ok(json_with_etag(&headers, &serde_json::to_value(resource(&view, None)).expect(SERIALIZES)))
}

/// JSON that may be revalidated: `ETag` from its content, `304` when the client has it.
fn json_with_etag(request: &HeaderMap, body: &serde_json::Value) -> Response {
    let mut response = cacheable(request, serde_json::to_vec(body).expect(SERIALIZES), "no-cache");
    if response.status() == StatusCode::OK {
        response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    }
    response
}
