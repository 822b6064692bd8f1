//! `GET /api/v1/alerts.geojson`: the areas of the warnings in force as GeoJSON (RFC 7946:
//! `[lon, lat]`). Circles become 64-sided polygons with their radius kept as a property; areas
//! given only by geocodes have no geometry here (their codes are in the properties).

use axum::{
    extract::State,
    http::{HeaderMap, HeaderValue, header},
    response::Response,
};
use chrono::Utc;
use safejdz_app::domain::cap::{Area, Circle, Point};
use serde_json::{Value, json};

use super::{ApiError, cacheable};
use crate::warnings::{Warnings, alerts};

/// Kilometres per degree of latitude (mean Earth radius 6371.0 km).
const KM_PER_DEGREE: f64 = 6371.0 * std::f64::consts::PI / 180.0;

/// The GeoJSON FeatureCollection of active alerts' areas.
pub async fn alerts_geojson(State(state): State<Warnings>, headers: HeaderMap) -> Result<Response, ApiError> {
    let views = alerts::active(&state.recent, Utc::now(), state.settings.default_alert_lifetime).await?;
    let mut features = Vec::new();
    for view in &views {
        for info in &view.alert.infos {
            for area in &info.areas {
                features.push(json!({
                    "type": "Feature",
                    "geometry": geometry(area),
                    "properties": {
                        "alert_id": view.id,
                        "identifier": view.alert.identifier,
                        "language": info.language,
                        "event": info.event,
                        "headline": info.headline,
                        "severity": info.severity.as_str(),
                        "colour": info.colour.map(|c| c.as_str()),
                        "expires": info.expires,
                        "area_desc": area.area_desc,
                        "geocodes": area.geocodes.iter().map(|g| json!({"value_name": g.value_name, "value": g.value})).collect::<Vec<_>>(),
                        "circles_km": area.circles.iter().map(|c| c.radius_km).collect::<Vec<_>>(),
                        "links": { "alert": format!("/api/v1/alerts/{}", view.id) },
                    },
                }));
            }
        }
    }
    let body = json!({ "type": "FeatureCollection", "features": features });
    let mut response =
        cacheable(&headers, serde_json::to_vec(&body).expect(super::alerts::SERIALIZES), "no-cache");
    if response.status().is_success() {
        response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/geo+json"));
    }
    Ok(response)
}

/// One MultiPolygon of the area's polygons and circles; `null` when it has neither.
fn geometry(area: &Area) -> Value {
    let mut polygons: Vec<Value> = area.polygons.iter().map(|p| json!([ring(&p.points)])).collect();
    polygons.extend(area.circles.iter().map(|c| json!([ring(&circle_ring(c))])));
    if polygons.is_empty() { Value::Null } else { json!({ "type": "MultiPolygon", "coordinates": polygons }) }
}

fn ring(points: &[Point]) -> Vec<[f64; 2]> {
    points.iter().map(|p| [p.lon, p.lat]).collect()
}

/// A 64-sided closed ring around the circle (local flat-earth approximation: fine at city scale).
fn circle_ring(circle: &Circle) -> Vec<Point> {
    let lat_step = circle.radius_km / KM_PER_DEGREE;
    let lon_step = lat_step / circle.center.lat.to_radians().cos().max(1e-6);
    let mut points: Vec<Point> = (0..64)
        .map(|i| {
            let angle = f64::from(i) * std::f64::consts::TAU / 64.0;
            Point {
                lat: circle.center.lat + lat_step * angle.sin(),
                lon: circle.center.lon + lon_step * angle.cos(),
            }
        })
        .collect();
    points.push(points[0]);
    points
}
