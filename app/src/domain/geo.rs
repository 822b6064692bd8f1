//! Geometry for matching warnings to places: point in polygon (with holes), point in circle,
//! and the hierarchy of the 12-digit administrative codes (GB/T 2260 + township + village).
//! WGS-84 degrees throughout; distances on a sphere of radius 6371.0 km.

use super::cap::{Circle, Point, Polygon};

/// Mean Earth radius (IUGG), km.
pub const EARTH_RADIUS_KM: f64 = 6371.0;

/// Great-circle distance between two points, in km (haversine).
pub fn distance_km(a: Point, b: Point) -> f64 {
    let (lat1, lat2) = (a.lat.to_radians(), b.lat.to_radians());
    let d_lat = lat2 - lat1;
    let d_lon = (b.lon - a.lon).to_radians();
    let h = (d_lat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (d_lon / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}

/// Whether `point` lies within `circle` (on the edge counts as inside).
pub fn circle_contains(circle: &Circle, point: Point) -> bool {
    distance_km(circle.center, point) <= circle.radius_km
}

/// Whether `point` lies inside the ring (even-odd rule; on an edge counts as inside: a resident
/// on the boundary of a warning area is warned).
pub fn ring_contains(ring: &[Point], point: Point) -> bool {
    if ring.len() < 3 {
        return false;
    }
    let mut inside = false;
    let mut previous = ring[ring.len() - 1];
    for &current in ring {
        if on_segment(previous, current, point) {
            return true;
        }
        let crosses = (current.lat > point.lat) != (previous.lat > point.lat);
        if crosses {
            let lon_at = current.lon
                + (point.lat - current.lat) * (previous.lon - current.lon) / (previous.lat - current.lat);
            if point.lon < lon_at {
                inside = !inside;
            }
        }
        previous = current;
    }
    inside
}

fn on_segment(a: Point, b: Point, p: Point) -> bool {
    const EPSILON: f64 = 1e-12;
    let cross = (b.lon - a.lon) * (p.lat - a.lat) - (b.lat - a.lat) * (p.lon - a.lon);
    cross.abs() <= EPSILON
        && p.lon >= a.lon.min(b.lon) - EPSILON
        && p.lon <= a.lon.max(b.lon) + EPSILON
        && p.lat >= a.lat.min(b.lat) - EPSILON
        && p.lat <= a.lat.max(b.lat) + EPSILON
}

/// Whether a CAP polygon (one ring) contains `point`.
pub fn polygon_contains(polygon: &Polygon, point: Point) -> bool {
    ring_contains(&polygon.points, point)
}

/// A polygon with holes, as GeoJSON boundaries have: inside the outer ring and in no hole.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    pub outer: Vec<Point>,
    pub holes: Vec<Vec<Point>>,
}

impl Shape {
    /// Whether `point` is in the shape (a point on a hole's edge counts as inside).
    pub fn contains(&self, point: Point) -> bool {
        ring_contains(&self.outer, point)
            && self.holes.iter().all(|hole| !ring_contains(hole, point) || on_ring_edge(hole, point))
    }
}

fn on_ring_edge(ring: &[Point], point: Point) -> bool {
    ring.windows(2).any(|pair| on_segment(pair[0], pair[1], point))
}

/// A 12-digit administrative division code, e.g. `360202000000` (昌江区).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DivisionCode([u8; 12]);

impl DivisionCode {
    /// Reads a code of 6 (county level and up), 9 (township) or 12 digits (village);
    /// shorter forms are padded with zeros as CAP feeds write them.
    pub fn parse(text: &str) -> Option<DivisionCode> {
        let text = text.trim();
        if !matches!(text.len(), 6 | 9 | 12) || !text.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let mut digits = [b'0'; 12];
        digits[..text.len()].copy_from_slice(text.as_bytes());
        Some(DivisionCode(digits))
    }

    /// The digits that name this division: 2 province, 4 city, 6 county, 9 township, 12 village.
    fn significant(&self) -> &[u8] {
        let zeros_from = |start: usize| self.0[start..].iter().all(|&d| d == b'0');
        let length = if zeros_from(2) {
            2
        } else if zeros_from(4) {
            4
        } else if zeros_from(6) {
            6
        } else if zeros_from(9) {
            9
        } else {
            12
        };
        &self.0[..length]
    }

    /// Whether this division is `other` or contains it: `360200000000` covers every code of the
    /// city, `360202000000` every township and village of 昌江区, a village only itself.
    pub fn covers(&self, other: &DivisionCode) -> bool {
        other.0.starts_with(self.significant())
    }

    /// The code as 12 digits.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("000000000000")
    }
}

impl serde::Serialize for DivisionCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for DivisionCode {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        DivisionCode::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!("{text:?} is not a 6, 9 or 12-digit division code"))
        })
    }
}

#[cfg(test)]
#[path = "geo_tests.rs"]
mod tests;
