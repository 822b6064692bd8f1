//! A light offline map of the city for a warning: the four county-level divisions as SVG paths
//! (from `app/data/jingdezhen-districts.geojson`, simplified; GCJ-02, as Chinese web maps draw),
//! the warning's areas over them and the resident's saved points (WGS-84, converted to the
//! outlines' datum). No tile server: the page carries a few kilobytes of paths.

use serde::{Deserialize, Serialize};

use super::{
    cap::{Alert, Point},
    datum::wgs84_to_gcj02,
    geo::{DivisionCode, Shape},
    matching::DivisionShapes,
};

/// What the page draws, in SVG user units (`0 0 width height`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MapView {
    pub width: f64,
    pub height: f64,
    pub districts: Vec<MapDistrict>,
    /// `d` of each warning area (polygons and the boundaries of named divisions).
    pub areas: Vec<String>,
    /// Circles of the warning: centre x, y and radius.
    pub circles: Vec<(f64, f64, f64)>,
    /// The resident's saved points.
    pub places: Vec<(f64, f64)>,
    /// The warning names divisions below county level, which the map cannot draw.
    pub has_unmapped_divisions: bool,
}

/// One county-level division of the base map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MapDistrict {
    pub name: String,
    pub d: String,
    pub label: (f64, f64),
}

/// An equirectangular projection fitted to a bounding box: fine for a city 80 km across.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Projection {
    west: f64,
    north: f64,
    cos_lat: f64,
    scale: f64,
    pub width: f64,
    pub height: f64,
}

impl Projection {
    /// Fits (west, east, south, north) into `width` units, keeping the aspect.
    pub fn fit(west: f64, east: f64, south: f64, north: f64, width: f64) -> Projection {
        let cos_lat = ((south + north) / 2.0).to_radians().cos();
        let scale = width / ((east - west) * cos_lat);
        Projection { west, north, cos_lat, scale, width, height: (north - south) * scale }
    }

    pub fn project(&self, point: Point) -> (f64, f64) {
        ((point.lon - self.west) * self.cos_lat * self.scale, (self.north - point.lat) * self.scale)
    }

    /// The point drawn at (`x`, `y`): where a click on the map falls.
    pub fn unproject(&self, x: f64, y: f64) -> Point {
        Point { lat: self.north - y / self.scale, lon: self.west + x / (self.cos_lat * self.scale) }
    }

    /// Units per kilometre (a degree of latitude is 111.2 km).
    pub fn units_per_km(&self) -> f64 {
        self.scale / 111.2
    }

    /// `M x y L … Z` of a ring, to one decimal.
    pub fn ring_path(&self, ring: &[Point]) -> String {
        let mut d = String::new();
        for (i, point) in ring.iter().enumerate() {
            let (x, y) = self.project(*point);
            d.push_str(&format!("{}{x:.1} {y:.1} ", if i == 0 { "M" } else { "L" }));
        }
        d.push('Z');
        d
    }
}

/// Douglas–Peucker simplification: drops points closer than `tolerance` degrees to the line
/// through their neighbours (iterative, so long rings cannot overflow the stack).
pub fn simplify(points: &[Point], tolerance: f64) -> Vec<Point> {
    if points.len() < 4 {
        return points.to_vec();
    }
    let mut keep = vec![false; points.len()];
    keep[0] = true;
    keep[points.len() - 1] = true;
    let mut stack = vec![(0, points.len() - 1)];
    while let Some((first, last)) = stack.pop() {
        let (mut farthest, mut distance) = (first, 0.0);
        for i in first + 1..last {
            let d = segment_distance(points[i], points[first], points[last]);
            if d > distance {
                (farthest, distance) = (i, d);
            }
        }
        if distance > tolerance {
            keep[farthest] = true;
            stack.push((first, farthest));
            stack.push((farthest, last));
        }
    }
    points.iter().zip(keep).filter_map(|(p, k)| k.then_some(*p)).collect()
}

fn segment_distance(p: Point, a: Point, b: Point) -> f64 {
    let (dx, dy) = (b.lon - a.lon, b.lat - a.lat);
    let length2 = dx * dx + dy * dy;
    let t = if length2 == 0.0 {
        0.0
    } else {
        (((p.lon - a.lon) * dx + (p.lat - a.lat) * dy) / length2).clamp(0.0, 1.0)
    };
    let (x, y) = (a.lon + t * dx, a.lat + t * dy);
    ((p.lon - x).powi(2) + (p.lat - y).powi(2)).sqrt()
}

/// The base map: districts with their simplified rings and label points.
#[derive(Debug, Clone, Default)]
pub struct BaseMap {
    districts: Vec<(String, Vec<Vec<Point>>, Point)>,
    bounds: (f64, f64, f64, f64),
}

#[derive(Deserialize)]
struct Collection {
    features: Vec<Feature>,
}

#[derive(Deserialize)]
struct Feature {
    properties: Properties,
    geometry: Geometry,
}

#[derive(Deserialize)]
struct Properties {
    name: String,
    cp: [f64; 2],
}

#[derive(Deserialize)]
#[serde(tag = "type", content = "coordinates")]
enum Geometry {
    Polygon(Vec<Vec<[f64; 2]>>),
    MultiPolygon(Vec<Vec<Vec<[f64; 2]>>>),
}

/// Tolerance of the base map's simplification: about 200 m, invisible at phone size.
const TOLERANCE_DEGREES: f64 = 0.002;

impl BaseMap {
    /// Reads a FeatureCollection of districts (`name`, `cp` label point) and simplifies it.
    pub fn parse(geojson: &str) -> Result<BaseMap, String> {
        let collection: Collection = serde_json::from_str(geojson).map_err(|e| e.to_string())?;
        let (mut west, mut east, mut south, mut north) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        let mut districts = Vec::new();
        for feature in collection.features {
            let polygons = match feature.geometry {
                Geometry::Polygon(rings) => vec![rings],
                Geometry::MultiPolygon(polygons) => polygons,
            };
            let mut rings = Vec::new();
            for ring in polygons.into_iter().flatten() {
                let ring: Vec<Point> = ring.into_iter().map(|[lon, lat]| Point { lat, lon }).collect();
                for p in &ring {
                    (west, east, south, north) =
                        (west.min(p.lon), east.max(p.lon), south.min(p.lat), north.max(p.lat));
                }
                rings.push(simplify(&ring, TOLERANCE_DEGREES));
            }
            let [lon, lat] = feature.properties.cp;
            districts.push((feature.properties.name, rings, Point { lat, lon }));
        }
        Ok(BaseMap { districts, bounds: (west, east, south, north) })
    }

    /// The map of `alert` over the districts, with the resident's `points`.
    pub fn view(
        &self,
        alert: &Alert,
        points: &[Point],
        boundaries: &impl DivisionShapes,
        width: f64,
    ) -> MapView {
        let DrawingMap { projection, districts } = self.drawing(width);
        let mut view = MapView { width, height: projection.height, districts, ..MapView::default() };
        // Areas and places are WGS-84; the base map's outlines are GCJ-02 (Chinese web maps'
        // datum, ~500 m apart here): drawn in the outlines' datum, they sit where they are.
        let ring_path = |ring: &[Point]| {
            let ring: Vec<Point> =
                simplify(ring, TOLERANCE_DEGREES / 2.0).into_iter().map(wgs84_to_gcj02).collect();
            projection.ring_path(&ring)
        };
        let shape_path = |shape: &Shape| {
            std::iter::once(&shape.outer)
                .chain(&shape.holes)
                .map(|ring| ring_path(ring))
                .collect::<Vec<_>>()
                .join(" ")
        };
        for area in alert.infos.first().map(|i| i.areas.as_slice()).unwrap_or_default() {
            for polygon in &area.polygons {
                view.areas.push(ring_path(&polygon.points));
            }
            for circle in &area.circles {
                let (x, y) = projection.project(wgs84_to_gcj02(circle.center));
                view.circles.push((x, y, circle.radius_km * projection.units_per_km()));
            }
            for code in area.geocodes.iter().filter_map(|g| DivisionCode::parse(g.value.trim())) {
                match boundaries.shapes(&code) {
                    Some(shapes) => view.areas.extend(shapes.iter().map(shape_path)),
                    None => view.has_unmapped_divisions = true,
                }
            }
        }
        view.places = points.iter().map(|p| projection.project(wgs84_to_gcj02(*p))).collect();
        view
    }
}

impl BaseMap {
    /// The districts alone, `width` units wide, with the projection that drew them: what the
    /// console draws a warning's area on.
    pub fn drawing(&self, width: f64) -> DrawingMap {
        let (west, east, south, north) = self.bounds;
        let projection = Projection::fit(west, east, south, north, width);
        let districts = self
            .districts
            .iter()
            .map(|(name, rings, label)| MapDistrict {
                name: name.clone(),
                d: rings.iter().map(|r| projection.ring_path(r)).collect::<Vec<_>>().join(" "),
                label: projection.project(*label),
            })
            .collect();
        DrawingMap { projection, districts }
    }
}

/// The base map and its projection, for drawing on it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DrawingMap {
    pub projection: Projection,
    pub districts: Vec<MapDistrict>,
}

/// CAP's `<polygon>` of the points clicked, the first repeated last; empty below three points.
/// Four decimals: about 11 m, finer than a click on the city map.
pub fn polygon_text(points: &[Point]) -> String {
    if points.len() < 3 {
        return String::new();
    }
    points
        .iter()
        .chain(points.first())
        .map(|p| format!("{:.4},{:.4}", p.lat, p.lon))
        .collect::<Vec<_>>()
        .join(" ")
}

/// CAP's `<circle>` with its centre at `centre` through `edge`: radius in km, to 10 m.
pub fn circle_text(centre: Point, edge: Point) -> String {
    let radius = (super::geo::distance_km(centre, edge) * 100.0).round().max(1.0) / 100.0;
    format!("{:.4},{:.4} {radius}", centre.lat, centre.lon)
}

/// The points of a CAP `<polygon>` text without the closing repeat, or of a circle's centre:
/// what the console draws back from the form. `None` when the text is not `lat,lon` pairs.
pub fn points_of(text: &str) -> Option<Vec<Point>> {
    let mut points = text
        .split_whitespace()
        .map(|pair| {
            let (lat, lon) = pair.split_once(',')?;
            Some(Point { lat: lat.trim().parse().ok()?, lon: lon.trim().parse().ok()? })
        })
        .collect::<Option<Vec<Point>>>()?;
    if points.len() > 1 && points.first() == points.last() {
        points.pop();
    }
    Some(points)
}

/// A circle text's centre and radius in km, when it reads.
pub fn circle_of(text: &str) -> Option<(Point, f64)> {
    let (centre, radius) = text.trim().split_once(char::is_whitespace)?;
    let centre = points_of(centre)?.into_iter().next()?;
    let radius: f64 = radius.trim().parse().ok()?;
    (radius > 0.0).then_some((centre, radius))
}

/// The base map of 景德镇市, read and simplified once (server build).
#[cfg(feature = "ssr")]
pub fn jingdezhen() -> &'static BaseMap {
    static MAP: std::sync::OnceLock<BaseMap> = std::sync::OnceLock::new();
    MAP.get_or_init(|| {
        #[allow(clippy::expect_used)] // The embedded file is checked by a test.
        BaseMap::parse(include_str!("../../data/jingdezhen-districts.geojson"))
            .expect("embedded base map parses")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(lat: f64, lon: f64) -> Point {
        Point { lat, lon }
    }

    #[test]
    fn a_click_on_the_drawing_map_reads_back_as_the_point_drawn_there() {
        let map = BaseMap::parse(include_str!("../../data/jingdezhen-districts.geojson")).expect("parses");
        let drawing = map.drawing(600.0);
        for point in [p(29.2688, 117.1781), p(29.95, 117.35), p(28.95, 117.05)] {
            let (x, y) = drawing.projection.project(point);
            let back = drawing.projection.unproject(x, y);
            assert!((back.lat - point.lat).abs() < 1e-9 && (back.lon - point.lon).abs() < 1e-9, "{back:?}");
        }
        assert_eq!(drawing.districts.len(), 4);
    }

    #[test]
    fn drawn_areas_are_written_as_cap_and_read_back() {
        let clicks = [p(29.31234, 117.15), p(29.35, 117.25), p(29.25, 117.3)];
        assert_eq!(polygon_text(&clicks[..2]), "", "two points are not an area yet");
        let polygon = polygon_text(&clicks);
        assert_eq!(polygon, "29.3123,117.1500 29.3500,117.2500 29.2500,117.3000 29.3123,117.1500");
        let back = points_of(&polygon).expect("reads");
        assert_eq!(back.len(), 3, "the closing point is not a vertex");
        assert_eq!(points_of("29.3,117.2 x"), None);
        // 0.1° of latitude is 11.12 km on the 6,371 km sphere of geo::distance_km.
        let circle = circle_text(p(29.3, 117.2), p(29.4, 117.2));
        let (centre, radius) = circle_of(&circle).expect("reads");
        assert_eq!(centre, p(29.3, 117.2));
        assert!((radius - 11.12).abs() < 0.02, "{circle}");
        assert_eq!(circle_of("29.3,117.2 0"), None);
        assert_eq!(
            circle_text(p(29.3, 117.2), p(29.3, 117.2)),
            "29.3000,117.2000 0.01",
            "never a zero radius"
        );
    }

    #[test]
    fn simplification_keeps_corners_and_drops_points_on_a_line() {
        let square = [p(0.0, 0.0), p(0.0, 0.5), p(0.0, 1.0), p(1.0, 1.0), p(1.0, 0.0), p(0.0, 0.0)];
        let simple = simplify(&square, 0.01);
        assert_eq!(simple, [p(0.0, 0.0), p(0.0, 1.0), p(1.0, 1.0), p(1.0, 0.0), p(0.0, 0.0)]);
    }

    #[test]
    fn the_base_map_is_small_and_covers_the_four_districts() {
        let map = BaseMap::parse(include_str!("../../data/jingdezhen-districts.geojson")).expect("parses");
        let names: Vec<&str> = map.districts.iter().map(|(n, ..)| n.as_str()).collect();
        assert_eq!(names, ["珠山区", "昌江区", "浮梁县", "乐平市"]);
        let alert = crate::domain::cap::parse_alert(
            br#"<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>m</identifier><sender>s</sender>
            <sent>2026-07-04T10:00:00+08:00</sent><status>Actual</status><msgType>Alert</msgType><scope>Public</scope>
            <info><category>Met</category><event>e</event><urgency>Immediate</urgency><severity>Severe</severity>
            <certainty>Likely</certainty><area><areaDesc>a</areaDesc><circle>29.3,117.2 5</circle>
            <geocode><valueName>x</valueName><value>360202101001</value></geocode></area></info></alert>"#,
            &Default::default(),
        )
        .expect("parses")
        .alert;
        let view = map.view(&alert, &[p(29.3, 117.2)], &crate::domain::matching::NoShapes, 300.0);
        let bytes: usize = view.districts.iter().map(|d| d.d.len()).sum();
        assert!(bytes < 40_000, "base map paths are {bytes} bytes");
        assert!(view.height > 300.0 && view.height < 600.0, "the city is taller than wide: {}", view.height);
        let (x, y, r) = view.circles[0];
        assert!((0.0..300.0).contains(&x) && (0.0..view.height).contains(&y));
        assert!((r / view.width * 73.0 - 5.0).abs() < 1.0, "5 km on a map about 73 km wide: {r}");
        assert_eq!(view.places, [(x, y)], "the place is drawn where the circle's centre is");
        // Drawn in the outlines' datum (GCJ-02): about 500 m, two units here, from the raw point.
        let raw = map.drawing(300.0).projection.project(p(29.3, 117.2));
        let moved = ((raw.0 - x).powi(2) + (raw.1 - y).powi(2)).sqrt();
        assert!((1.0..4.0).contains(&moved), "moved {moved} units");
        assert!(view.has_unmapped_divisions, "a village code cannot be drawn");
    }
}
