//! Does a warning concern a place? The one rule, shared by the server (pages, API, push fan-out)
//! and the browser (places kept on the phone): a CAP polygon or circle contains the place, or a
//! geocode's division covers the place's division (or contains its point, where the division's
//! boundary is known). A warning with no usable area concerns the whole city, and says so.

use super::{
    cap::{Alert, Info, Point, is_division_code},
    geo::{DivisionCode, Shape, circle_contains, polygon_contains},
};

/// A place a resident cares about, in the coarse form it may travel in: a point (rounded on the
/// phone before it leaves it) and/or a division code.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Place {
    pub point: Option<Point>,
    pub division: Option<DivisionCode>,
}

/// Why a warning concerns a place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Coverage {
    /// A polygon of the warning contains the place.
    Polygon,
    /// A circle of the warning contains the place.
    Circle,
    /// A geocode of the warning covers the place's division (or contains its point).
    Geocode,
    /// The warning gives no usable area: shown city-wide, and the page says so.
    CityWide,
}

/// Boundaries of divisions, where known (the city's five CAP codes ship with the app).
pub trait DivisionShapes {
    fn shapes(&self, code: &DivisionCode) -> Option<&[Shape]>;
}

/// No boundaries: geocodes then match by division code only.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoShapes;

impl DivisionShapes for NoShapes {
    fn shapes(&self, _: &DivisionCode) -> Option<&[Shape]> {
        None
    }
}

/// Whether (and why) `info` concerns `place`.
pub fn coverage(info: &Info, place: &Place, boundaries: &impl DivisionShapes) -> Option<Coverage> {
    let mut usable_area = false;
    for area in &info.areas {
        usable_area |= !area.polygons.is_empty() || !area.circles.is_empty();
        if let Some(point) = place.point {
            if area.polygons.iter().any(|polygon| polygon_contains(polygon, point)) {
                return Some(Coverage::Polygon);
            }
            if area.circles.iter().any(|circle| circle_contains(circle, point)) {
                return Some(Coverage::Circle);
            }
        }
        for code in area
            .geocodes
            .iter()
            .map(|g| g.value.trim())
            .filter(|v| is_division_code(v))
            .filter_map(DivisionCode::parse)
        {
            usable_area = true;
            if place.division.is_some_and(|division| code.covers(&division)) {
                return Some(Coverage::Geocode);
            }
            if let (Some(point), Some(shapes)) = (place.point, boundaries.shapes(&code))
                && shapes.iter().any(|shape| shape.contains(point))
            {
                return Some(Coverage::Geocode);
            }
        }
    }
    (!usable_area).then_some(Coverage::CityWide)
}

/// Whether (and why) any info of `alert` concerns `place`. The infos are usually translations:
/// one without an area (a short English summary) does not widen another's area, so "city-wide"
/// holds only when no info has a usable area.
pub fn alert_coverage(alert: &Alert, place: &Place, boundaries: &impl DivisionShapes) -> Option<Coverage> {
    let mut no_info_has_an_area = true;
    for info in &alert.infos {
        match coverage(info, place, boundaries) {
            Some(Coverage::CityWide) => {}
            Some(specific) => return Some(specific),
            None => no_info_has_an_area = false,
        }
    }
    (no_info_has_an_area && !alert.infos.is_empty()).then_some(Coverage::CityWide)
}

/// The city whose feed this product serves (景德镇市): a warning without a usable area covers
/// only places in it.
pub const CITY_CODE: &str = "360200000000";

/// Whether the place lies in the city: its division is one of the city's, or its point is
/// inside the city's boundary.
pub fn in_city(place: &Place, boundaries: &impl DivisionShapes) -> bool {
    let Some(city) = DivisionCode::parse(CITY_CODE) else { return false };
    place.division.is_some_and(|d| city.covers(&d))
        || place.point.is_some_and(|p| {
            boundaries.shapes(&city).is_some_and(|shapes| shapes.iter().any(|s| s.contains(p)))
        })
}

/// Whether (and why) a warning of the city's feed concerns a resident's place: as
/// [`alert_coverage`], a warning without a usable area concerning only places in the city.
pub fn concerns(alert: &Alert, place: &Place, boundaries: &impl DivisionShapes) -> Option<Coverage> {
    match alert_coverage(alert, place, boundaries)? {
        Coverage::CityWide => in_city(place, boundaries).then_some(Coverage::CityWide),
        specific => Some(specific),
    }
}

/// Reads a point written `<lat>,<lon>` in decimal degrees (the `?at=` of pages and the API).
pub fn parse_point(text: &str) -> Option<Point> {
    let (lat, lon) = text.split_once(',')?;
    let lat: f64 = lat.trim().parse().ok()?;
    let lon: f64 = lon.trim().parse().ok()?;
    ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)).then_some(Point { lat, lon })
}

/// The point rounded to 0.01° (about 1.1 km north–south, 1 km east–west here): the coarse form
/// in which a resident's position may leave the phone.
pub fn coarse_point(point: Point) -> Point {
    let round = |v: f64| (v * 100.0).round() / 100.0;
    Point { lat: round(point.lat), lon: round(point.lon) }
}

#[cfg(test)]
#[path = "matching_tests.rs"]
mod tests;
