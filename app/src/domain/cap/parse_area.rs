//! Reading `info/area`: polygons, circles, geocodes. Malformed shapes seen in real feeds are
//! dropped with a warning rather than refusing the whole warning: the area description and the
//! other shapes still tell residents where it applies.

use super::{
    Area, Circle, Point, Polygon,
    parse::{CapError, Element, Reader, named_values, text_of},
};

impl Reader {
    pub(super) fn area(&mut self, e: &Element<'_, '_>) -> Result<Area, CapError> {
        let mut polygons = Vec::new();
        for (index, node) in e.children("polygon") {
            let path = format!("{}/polygon[{index}]", e.path);
            let text = text_of(node);
            if text.is_empty() {
                self.warnings.push(format!("{path}: empty polygon ignored"));
                continue;
            }
            match self.polygon(&path, &text) {
                Ok(polygon) => polygons.push(polygon),
                Err(error) => self.warnings.push(format!("{error}; polygon dropped")),
            }
        }
        let mut circles = Vec::new();
        for (index, node) in e.children("circle") {
            match circle(&format!("{}/circle[{index}]", e.path), &text_of(node)) {
                Ok(circle) => circles.push(circle),
                Err(error) => self.warnings.push(format!("{error}; circle dropped")),
            }
        }
        let number = |name: &'static str| {
            e.optional(name)
                .map(|t| t.parse::<f64>().map_err(|_| e.invalid(name, format!("{t:?} is not a number"))))
                .transpose()
        };
        Ok(Area {
            area_desc: e.required("areaDesc")?,
            polygons,
            circles,
            geocodes: named_values(e, "geocode")?,
            altitude: number("altitude")?,
            ceiling: number("ceiling")?,
        })
    }

    fn polygon(&mut self, path: &str, text: &str) -> Result<Polygon, CapError> {
        let mut points = points(path, text)?;
        if points.len() >= 3 && points.first() != points.last() {
            self.warnings.push(format!("{path}: ring was not closed; closed it"));
            points.push(points[0]);
        }
        if points.len() < 4 {
            return Err(CapError::Invalid {
                path: path.into(),
                reason: format!("a polygon needs at least 4 points (first = last); found {}", points.len()),
            });
        }
        Ok(Polygon { points })
    }
}

/// `lat,lon lat,lon …`, tolerating stray whitespace around commas and between pairs.
fn points(path: &str, text: &str) -> Result<Vec<Point>, CapError> {
    let normalised = text.split(',').map(str::trim).collect::<Vec<_>>().join(",");
    normalised.split_whitespace().map(|pair| point(path, pair)).collect()
}

/// How far past ±180° a longitude may stray and still be read (wrapped) as a rounding slip.
const LONGITUDE_SLACK: f64 = 1.0;

fn point(path: &str, pair: &str) -> Result<Point, CapError> {
    let invalid = |reason: String| CapError::Invalid { path: path.into(), reason };
    let (lat, lon) =
        pair.split_once(',').ok_or_else(|| invalid(format!("{pair:?} is not a lat,lon pair")))?;
    let lat: f64 = lat.parse().map_err(|_| invalid(format!("latitude {lat:?} is not a number")))?;
    let mut lon: f64 = lon.parse().map_err(|_| invalid(format!("longitude {lon:?} is not a number")))?;
    if lon.abs() > 180.0 && lon.abs() <= 180.0 + LONGITUDE_SLACK {
        lon -= 360.0 * lon.signum();
    }
    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
        return Err(invalid(format!("{pair:?} is outside -90..90, -180..180")));
    }
    Ok(Point { lat, lon })
}

fn circle(path: &str, text: &str) -> Result<Circle, CapError> {
    let normalised = text.split(',').map(str::trim).collect::<Vec<_>>().join(",");
    let mut parts = normalised.split_whitespace();
    let (Some(center), Some(radius), None) = (parts.next(), parts.next(), parts.next()) else {
        return Err(CapError::Invalid {
            path: path.into(),
            reason: format!("{text:?} is not \"lat,lon radius\""),
        });
    };
    let radius_km: f64 =
        radius.parse().ok().filter(|r: &f64| r.is_finite() && *r >= 0.0).ok_or_else(|| {
            CapError::Invalid {
                path: path.into(),
                reason: format!("radius {radius:?} is not a distance in km"),
            }
        })?;
    Ok(Circle { center: point(path, center)?, radius_km })
}
