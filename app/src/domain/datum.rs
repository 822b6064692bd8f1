//! China's map datums, for handing a WGS-84 position to a map app: GCJ-02 (the offset datum
//! that Amap, Tencent and Apple Maps inside mainland China use) and BD-09 (Baidu's, an offset
//! of GCJ-02). Stored data and CAP stay WGS-84; these conversions happen only at the edge,
//! when a link is made. The formulas are the published ones every open implementation uses
//! (Krasovsky 1940 ellipsoid; as in wandergis/coordtransform and hujiulong/gcoord); the tests
//! hold them to those libraries' own test vectors.

use std::f64::consts::PI;

use super::cap::Point;

/// Krasovsky 1940: semi-major axis (m) and first eccentricity squared.
const A: f64 = 6_378_245.0;
const EE: f64 = 0.006_693_421_622_965_943;
/// Baidu's constant: π·3000/180.
const X_PI: f64 = PI * 3000.0 / 180.0;

/// Whether GCJ-02's offset applies: the box the open implementations use (gcoord, eviltransform).
/// It is a box, so it also takes in neighbours' border areas; Jingdezhen is far inside.
pub fn in_china(point: Point) -> bool {
    (72.004..=137.8347).contains(&point.lon) && (0.8293..=55.8271).contains(&point.lat)
}

/// WGS-84 → GCJ-02; unchanged outside China.
pub fn wgs84_to_gcj02(point: Point) -> Point {
    if !in_china(point) {
        return point;
    }
    let (d_lat, d_lon) = offset(point);
    Point { lat: point.lat + d_lat, lon: point.lon + d_lon }
}

/// GCJ-02 → WGS-84: the WGS-84 point whose GCJ-02 is `point`, found by fixed-point iteration
/// (each step moves by what is still off) to within 1e-9° (0.1 mm), at most 30 steps.
pub fn gcj02_to_wgs84(point: Point) -> Point {
    if !in_china(point) {
        return point;
    }
    let mut wgs = point;
    for _ in 0..30 {
        let there = wgs84_to_gcj02(wgs);
        let (d_lat, d_lon) = (there.lat - point.lat, there.lon - point.lon);
        wgs = Point { lat: wgs.lat - d_lat, lon: wgs.lon - d_lon };
        if d_lat.abs() < 1e-9 && d_lon.abs() < 1e-9 {
            break;
        }
    }
    wgs
}

/// GCJ-02 → BD-09.
pub fn gcj02_to_bd09(point: Point) -> Point {
    let (x, y) = (point.lon, point.lat);
    let z = (x * x + y * y).sqrt() + 0.00002 * (y * X_PI).sin();
    let theta = y.atan2(x) + 0.000003 * (x * X_PI).cos();
    Point { lat: z * theta.sin() + 0.006, lon: z * theta.cos() + 0.0065 }
}

/// BD-09 → GCJ-02 (the published inverse; within 1e-5° of the exact one).
pub fn bd09_to_gcj02(point: Point) -> Point {
    let (x, y) = (point.lon - 0.0065, point.lat - 0.006);
    let z = (x * x + y * y).sqrt() - 0.00002 * (y * X_PI).sin();
    let theta = y.atan2(x) - 0.000003 * (x * X_PI).cos();
    Point { lat: z * theta.sin(), lon: z * theta.cos() }
}

/// WGS-84 → BD-09 (through GCJ-02); unchanged outside China.
pub fn wgs84_to_bd09(point: Point) -> Point {
    if !in_china(point) {
        return point;
    }
    gcj02_to_bd09(wgs84_to_gcj02(point))
}

/// GCJ-02's offset (degrees of latitude and longitude) at a WGS-84 point.
fn offset(point: Point) -> (f64, f64) {
    let (x, y) = (point.lon - 105.0, point.lat - 35.0);
    let mut d_lat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * x.abs().sqrt();
    d_lat += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    d_lat += (20.0 * (y * PI).sin() + 40.0 * (y / 3.0 * PI).sin()) * 2.0 / 3.0;
    d_lat += (160.0 * (y / 12.0 * PI).sin() + 320.0 * (y * PI / 30.0).sin()) * 2.0 / 3.0;
    let mut d_lon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * x.abs().sqrt();
    d_lon += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    d_lon += (20.0 * (x * PI).sin() + 40.0 * (x / 3.0 * PI).sin()) * 2.0 / 3.0;
    d_lon += (150.0 * (x / 12.0 * PI).sin() + 300.0 * (x / 30.0 * PI).sin()) * 2.0 / 3.0;
    let radians = point.lat / 180.0 * PI;
    let magic = 1.0 - EE * radians.sin() * radians.sin();
    let sqrt_magic = magic.sqrt();
    (
        (d_lat * 180.0) / ((A * (1.0 - EE)) / (magic * sqrt_magic) * PI),
        (d_lon * 180.0) / (A / sqrt_magic * radians.cos() * PI),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(lat: f64, lon: f64) -> Point {
        Point { lat, lon }
    }

    fn close(a: Point, b: Point, within: f64) -> bool {
        (a.lat - b.lat).abs() < within && (a.lon - b.lon).abs() < within
    }

    /// googollee/eviltransform go/transform_test.go (03ba58d), as wgsLat, wgsLng, gcjLat, gcjLng;
    /// its tests compare to 5 decimals.
    const EVILTRANSFORM: [(f64, f64, f64, f64); 3] = [
        (31.1774276, 121.5272106, 31.17530398364597, 121.531541859215),
        (22.543847, 113.912316, 22.540796131694766, 113.9171764808363),
        (39.911954, 116.377817, 39.91334545536069, 116.38404722455657),
    ];

    /// hujiulong/gcoord test/fixtures/china-cities.json (fa43556): WGS84, GCJ02, BD09 as
    /// [lon, lat], 7 decimals. Its tests hold WGS→GCJ to 4 decimals and GCJ→BD to 6.
    const GCOORD: [([f64; 2], [f64; 2], [f64; 2]); 4] = [
        ([121.4691633, 31.2323443], [121.4737061, 31.2304194], [121.4802435, 31.2363541]),
        ([116.4011517, 39.9028057], [116.4074002, 39.9042136], [116.4137852, 39.9105355]),
        ([113.2590543, 23.131788], [113.2643859, 23.1291146], [113.2708188, 23.135343]),
        ([114.0527534, 22.5458236], [114.0578659, 22.5431014], [114.064418, 22.5487584]),
    ];

    #[test]
    fn wgs84_to_gcj02_matches_the_published_vectors() {
        for (lat, lon, gcj_lat, gcj_lon) in EVILTRANSFORM {
            let got = wgs84_to_gcj02(p(lat, lon));
            assert!(close(got, p(gcj_lat, gcj_lon), 5e-6), "{got:?} for {lat},{lon}");
        }
        for ([lon, lat], [gcj_lon, gcj_lat], _) in GCOORD {
            let got = wgs84_to_gcj02(p(lat, lon));
            assert!(close(got, p(gcj_lat, gcj_lon), 5e-5), "{got:?} for {lat},{lon}");
        }
    }

    #[test]
    fn gcj02_to_bd09_and_back_match_the_published_vectors() {
        for (_, [gcj_lon, gcj_lat], [bd_lon, bd_lat]) in GCOORD {
            let got = gcj02_to_bd09(p(gcj_lat, gcj_lon));
            assert!(close(got, p(bd_lat, bd_lon), 5e-7), "{got:?}");
            let back = bd09_to_gcj02(p(bd_lat, bd_lon));
            assert!(close(back, p(gcj_lat, gcj_lon), 5e-6), "{back:?}");
        }
        for ([lon, lat], _, [bd_lon, bd_lat]) in GCOORD {
            assert!(close(wgs84_to_bd09(p(lat, lon)), p(bd_lat, bd_lon), 5e-5));
        }
    }

    #[test]
    fn gcj02_to_wgs84_undoes_the_offset_and_the_offset_is_hundreds_of_metres_here() {
        // 景德镇 (the city's label point on the base map, about 29.27 N 117.18 E).
        let jingdezhen = p(29.2688, 117.1781);
        let gcj = wgs84_to_gcj02(jingdezhen);
        let metres = super::super::geo::distance_km(jingdezhen, gcj) * 1000.0;
        assert!((100.0..1000.0).contains(&metres), "offset {metres} m");
        assert!(close(gcj02_to_wgs84(gcj), jingdezhen, 1e-8));
        for (lat, lon, gcj_lat, gcj_lon) in EVILTRANSFORM {
            assert!(close(gcj02_to_wgs84(p(gcj_lat, gcj_lon)), p(lat, lon), 1e-6));
        }
    }

    #[test]
    fn outside_china_nothing_moves() {
        let lisbon = p(38.7223, -9.1393);
        assert_eq!(wgs84_to_gcj02(lisbon), lisbon);
        assert_eq!(gcj02_to_wgs84(lisbon), lisbon);
        assert_eq!(wgs84_to_bd09(lisbon), lisbon);
        // gcoord's own check: [183, 45] is returned as it is.
        assert_eq!(wgs84_to_gcj02(p(45.0, 183.0)), p(45.0, 183.0));
    }
}
