//! The shelters' part of the public API under `/api/v1` (documented in docs/API.md and
//! `api/openapi.json` beside this file): the register nearest a point with each shelter's
//! state, one shelter, the register as GeoJSON and CSV, and a stream that says when any
//! shelter's state changed.

mod views;

use std::{convert::Infallible, time::Duration};

use axum::{
    Router,
    extract::{FromRef, Path, Query, State, rejection::QueryRejection},
    http::{HeaderMap, HeaderValue, header},
    response::{
        IntoResponse, Response,
        sse::{Event, KeepAlive, Sse},
    },
    routing::{MethodRouter, get},
};
use chrono::Utc;
use futures::stream::{self, Stream};
use safejdz_app::domain::{
    cap::Point,
    shelters::{Shelter, ShelterFilter, ShelterId, ShelterStatus, availability, nearest},
};
use serde::Deserialize;
use tokio::sync::broadcast::error::RecvError;

use super::{Shelters, export};
use crate::platform::{
    api_error::ApiError,
    etag::cacheable,
    openapi::{Operation, routes_of},
};
use views::{ApiShelter, ShelterList};

/// Every public operation of the shelters feature; its routes are built from this list alone.
pub const OPERATIONS: &[Operation] = &[
    Operation { method: "get", path: "/api/v1/shelters", route: "/api/v1/shelters" },
    Operation { method: "get", path: "/api/v1/shelters.geojson", route: "/api/v1/shelters.geojson" },
    Operation { method: "get", path: "/api/v1/shelters.csv", route: "/api/v1/shelters.csv" },
    Operation { method: "get", path: "/api/v1/shelters/stream", route: "/api/v1/shelters/stream" },
    Operation { method: "get", path: "/api/v1/shelters/{id}", route: "/api/v1/shelters/{id}" },
];

/// The shelters feature's part of the OpenAPI description.
pub const OPENAPI_PART: &str = include_str!("api/openapi.json");

/// Most shelters one list answers with.
pub const MAX_LIMIT: usize = 100;
/// Shelters listed when `limit` is not given.
pub const DEFAULT_LIMIT: usize = 20;

/// Routes of the shelters' public API, on any state the feature's state comes from.
pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Shelters: FromRef<S>,
{
    routes_of(OPERATIONS, handler)
}

fn handler<S>(route: &str) -> MethodRouter<S>
where
    S: Clone + Send + Sync + 'static,
    Shelters: FromRef<S>,
{
    match route {
        "/api/v1/shelters" => get(list_shelters),
        "/api/v1/shelters.geojson" => get(shelters_geojson),
        "/api/v1/shelters.csv" => get(shelters_csv),
        "/api/v1/shelters/stream" => get(shelter_stream),
        "/api/v1/shelters/{id}" => get(get_shelter),
        other => unreachable!("OPERATIONS lists the route {other}, which has no handler here"),
    }
}

/// Query of the shelter list.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// With `lon`: list nearest this point first (WGS-84 decimal degrees).
    lat: Option<String>,
    lon: Option<String>,
    /// 1 to 100 (default 20).
    limit: Option<String>,
    /// `true`: only shelters reported open.
    open: Option<String>,
    /// `true`: only shelters open and not reported full.
    has_room: Option<String>,
}

fn flag(name: &str, value: Option<&str>) -> Result<bool, ApiError> {
    match value {
        None | Some("false") => Ok(false),
        Some("true") => Ok(true),
        Some(other) => Err(ApiError::bad_request(format!("{name} {other:?} is not true or false"))),
    }
}

fn degrees(name: &str, text: &str, range: std::ops::RangeInclusive<f64>) -> Result<f64, ApiError> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|v| range.contains(v))
        .ok_or_else(|| ApiError::bad_request(format!("{name} {text:?} is not a number in {range:?}")))
}

/// `GET /api/v1/shelters`: nearest `lat,lon` first when given (else by id), filtered.
async fn list_shelters(
    State(state): State<Shelters>,
    headers: HeaderMap,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(query) = query.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let from = match (query.lat.as_deref(), query.lon.as_deref()) {
        (Some(lat), Some(lon)) => {
            Some(Point { lat: degrees("lat", lat, -90.0..=90.0)?, lon: degrees("lon", lon, -180.0..=180.0)? })
        }
        (None, None) => None,
        _ => return Err(ApiError::bad_request("lat and lon go together: give both or neither")),
    };
    let limit = match query.limit.as_deref() {
        None => DEFAULT_LIMIT,
        Some(text) => {
            text.trim().parse::<usize>().ok().filter(|n| (1..=MAX_LIMIT).contains(n)).ok_or_else(|| {
                ApiError::bad_request(format!("limit {text:?} is not a whole number from 1 to 100"))
            })?
        }
    };
    let filter = ShelterFilter {
        open_now: flag("open", query.open.as_deref())?,
        has_room: flag("has_room", query.has_room.as_deref())?,
        ..ShelterFilter::default()
    };
    let register = state.store.shelters().await?;
    let when = state.freshness(Utc::now());
    let shelters: Vec<ApiShelter> = match from {
        Some(from) => nearest(&register, from, &filter, when, limit)
            .into_iter()
            .map(|near| {
                ApiShelter::new(
                    near.shelter,
                    &near.availability,
                    register_status(&register, near.shelter),
                    Some(near.distance_km),
                )
            })
            .collect(),
        None => register
            .iter()
            .filter_map(|(shelter, status)| {
                let now = availability(shelter, status.as_ref(), when);
                filter.admits(shelter, &now).then(|| ApiShelter::new(shelter, &now, status.as_ref(), None))
            })
            .take(limit)
            .collect(),
    };
    let body = serde_json::to_vec(&ShelterList { shelters }).map_err(|e| ApiError::from_encoding(&e))?;
    Ok(json(cacheable(&headers, body, "public, max-age=10")))
}

/// The last report of `shelter` in `register`.
fn register_status<'a>(
    register: &'a [(Shelter, Option<ShelterStatus>)],
    shelter: &Shelter,
) -> Option<&'a ShelterStatus> {
    register.iter().find(|(s, _)| s.id == shelter.id).and_then(|(_, status)| status.as_ref())
}

/// `GET /api/v1/shelters/{id}`.
async fn get_shelter(
    State(state): State<Shelters>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = ShelterId::parse(&id).ok_or_else(|| ApiError::not_found("shelter"))?;
    let (shelter, status) = state.store.shelter(&id).await?.ok_or_else(|| ApiError::not_found("shelter"))?;
    let now = availability(&shelter, status.as_ref(), state.freshness(Utc::now()));
    let body = serde_json::to_vec(&ApiShelter::new(&shelter, &now, status.as_ref(), None))
        .map_err(|e| ApiError::from_encoding(&e))?;
    Ok(json(cacheable(&headers, body, "public, max-age=10")))
}

/// `GET /api/v1/shelters.geojson`: the register with each shelter's last report.
async fn shelters_geojson(State(state): State<Shelters>, headers: HeaderMap) -> Result<Response, ApiError> {
    let register = state.store.shelters().await?;
    let body = export::to_geojson(&register).to_string().into_bytes();
    let mut response = cacheable(&headers, body, "public, max-age=10");
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/geo+json"));
    Ok(response)
}

/// `GET /api/v1/shelters.csv`: the register in the import's columns (docs/SHELTERS.md).
async fn shelters_csv(State(state): State<Shelters>, headers: HeaderMap) -> Result<Response, ApiError> {
    let register = state.store.shelters().await?;
    let body = export::to_csv(&register).map_err(|e| ApiError::from_encoding(&e))?.into_bytes();
    let mut response = cacheable(&headers, body, "public, max-age=60");
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"shelters.csv\""),
    );
    Ok(response)
}

fn json(mut response: Response) -> Response {
    if response.status().is_success() {
        response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    }
    response
}

/// How long a browser waits before reconnecting after the stream drops.
const RETRY: Duration = Duration::from_secs(3);
/// A comment every so often keeps proxies and mobile networks from closing an idle stream.
const KEEP_ALIVE: Duration = Duration::from_secs(20);

/// `GET /api/v1/shelters/stream`: Server-Sent Events `changed` (data `{}`) whenever a shelter's
/// state or the register changed; fetch `/api/v1/shelters` (or the page) again.
async fn shelter_stream(State(state): State<Shelters>) -> Response {
    let receiver = state.changes.subscribe();
    let mut response =
        Sse::new(changes(receiver)).keep_alive(KeepAlive::new().interval(KEEP_ALIVE)).into_response();
    response.headers_mut().insert("x-accel-buffering", HeaderValue::from_static("no"));
    response
}

fn changes(receiver: tokio::sync::broadcast::Receiver<()>) -> impl Stream<Item = Result<Event, Infallible>> {
    stream::unfold((true, receiver), |(first, mut receiver)| async move {
        if first {
            return Some((Ok(Event::default().retry(RETRY).comment("safejdz shelters")), (false, receiver)));
        }
        match receiver.recv().await {
            // Lagging only means several changes: one `changed` says it.
            Ok(()) | Err(RecvError::Lagged(_)) => {
                Some((Ok(Event::default().event("changed").data("{}")), (false, receiver)))
            }
            Err(RecvError::Closed) => None,
        }
    })
}
