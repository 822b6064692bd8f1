//! Does a warning concern a place? The one rule, shared by the server (pages, API, push fan-out)
//! and the browser (places kept on the phone): a CAP polygon or circle contains the place, or a
//! geocode's division covers the place's division (or contains its point, where the division's
//! boundary is known). A warning with no usable area concerns the whole city, and says so.

use super::{
    cap::{Info, Point, is_division_code},
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

#[cfg(test)]
#[path = "matching_tests.rs"]
mod tests;
