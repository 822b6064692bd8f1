//! Boundaries of the city's five CAP area codes (city, 昌江区, 珠山区, 浮梁县, 乐平市), read from
//! the GeoJSON of `app/data/cpeas`: a warning naming one of these codes covers a point inside.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{
    cap::Point,
    geo::{DivisionCode, Shape},
    matching::DivisionShapes,
};

/// Division boundaries by code.
#[derive(Debug, Clone, Default)]
pub struct Boundaries {
    by_code: BTreeMap<DivisionCode, Vec<Shape>>,
}

impl DivisionShapes for Boundaries {
    fn shapes(&self, code: &DivisionCode) -> Option<&[Shape]> {
        self.by_code.get(code).map(Vec::as_slice)
    }
}

#[derive(Deserialize)]
struct Feature {
    geometry: Geometry,
}

#[derive(Deserialize)]
#[serde(tag = "type", content = "coordinates")]
enum Geometry {
    Polygon(Vec<Vec<[f64; 2]>>),
    MultiPolygon(Vec<Vec<Vec<[f64; 2]>>>),
}

impl Boundaries {
    /// Adds the shapes of one GeoJSON Feature (Polygon or MultiPolygon, `[lon, lat]`) for `code`.
    pub fn add_geojson(&mut self, code: DivisionCode, geojson: &str) -> Result<(), String> {
        let feature: Feature =
            serde_json::from_str(geojson).map_err(|e| format!("{}: {e}", code.as_str()))?;
        let polygons = match feature.geometry {
            Geometry::Polygon(rings) => vec![rings],
            Geometry::MultiPolygon(polygons) => polygons,
        };
        let ring =
            |ring: Vec<[f64; 2]>| ring.into_iter().map(|[lon, lat]| Point { lat, lon }).collect::<Vec<_>>();
        let shapes = polygons
            .into_iter()
            .filter_map(|mut rings| {
                if rings.is_empty() {
                    return None;
                }
                let outer = ring(rings.remove(0));
                Some(Shape { outer, holes: rings.into_iter().map(ring).collect() })
            })
            .collect();
        self.by_code.insert(code, shapes);
        Ok(())
    }
}

/// The boundaries shipped for 景德镇市's five CAP codes, read once (server build and tests).
#[cfg(any(feature = "ssr", test))]
pub fn jingdezhen() -> &'static Boundaries {
    static BOUNDARIES: std::sync::OnceLock<Boundaries> = std::sync::OnceLock::new();
    BOUNDARIES.get_or_init(|| {
        let mut boundaries = Boundaries::default();
        for (code, geojson) in EMBEDDED {
            #[allow(clippy::expect_used)] // The embedded files are checked by a test.
            let code = DivisionCode::parse(code).expect("embedded code");
            #[allow(clippy::expect_used)]
            boundaries.add_geojson(code, geojson).expect("embedded boundary parses");
        }
        boundaries
    })
}

#[cfg(any(feature = "ssr", test))]
const EMBEDDED: [(&str, &str); 5] = [
    ("360200000000", include_str!("../../data/cpeas/360200000000.geojson")),
    ("360202000000", include_str!("../../data/cpeas/360202000000.geojson")),
    ("360203000000", include_str!("../../data/cpeas/360203000000.geojson")),
    ("360222000000", include_str!("../../data/cpeas/360222000000.geojson")),
    ("360281000000", include_str!("../../data/cpeas/360281000000.geojson")),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn embedded() -> Boundaries {
        let mut boundaries = Boundaries::default();
        for (code, geojson) in EMBEDDED {
            boundaries.add_geojson(DivisionCode::parse(code).expect("code"), geojson).expect("parses");
        }
        boundaries
    }

    fn inside(boundaries: &Boundaries, code: &str, lat: f64, lon: f64) -> bool {
        let shapes = boundaries.shapes(&DivisionCode::parse(code).expect("code")).expect("known");
        shapes.iter().any(|s| s.contains(Point { lat, lon }))
    }

    #[test]
    fn the_city_and_its_districts_contain_their_own_places_only() {
        let b = embedded();
        // The label points of shared/data/jingdezhen-districts.geojson (`cp`): central enough
        // that the ~500 m GCJ-02 offset of that file does not matter.
        let zhushan = (29.299938, 117.202919);
        let leping = (28.97844, 117.151796);
        assert!(inside(&b, "360200000000", zhushan.0, zhushan.1));
        assert!(inside(&b, "360203000000", zhushan.0, zhushan.1));
        assert!(!inside(&b, "360281000000", zhushan.0, zhushan.1));
        assert!(inside(&b, "360281000000", leping.0, leping.1));
        assert!(inside(&b, "360200000000", leping.0, leping.1));
        // Nanchang is outside the city.
        assert!(!inside(&b, "360200000000", 28.68, 115.86));
    }
}
