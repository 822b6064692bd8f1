//! "Take me there": links that open a shelter in the map apps residents use, each given the
//! coordinates in the datum it expects (`datum`): Amap (高德) GCJ-02, Baidu BD-09, Apple Maps
//! GCJ-02 inside mainland China (WGS-84 elsewhere), and a `geo:` URI in WGS-84 (RFC 5870) for
//! any other map app. Only the shelter's position is in a link, never the resident's: each
//! app starts from the phone's own location.

use super::{
    cap::Point,
    datum::{in_china, wgs84_to_bd09, wgs84_to_gcj02},
    url::percent_encode,
};

/// Who the links say they come from (Amap's and Baidu's `src`, Baidu's
/// `webapp.<company>.<app>` form).
pub const LINK_SOURCE: &str = "webapp.jdzyjglj.safejdz";

/// The four links to one place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapLinks {
    /// Amap's URI API, walking directions from where the phone is (lon,lat order).
    pub amap: String,
    /// Baidu's URI API marker page ("到这去" from there): its web directions need a start, and
    /// the resident's position is not ours to put in a link.
    pub baidu: String,
    /// Apple Maps walking directions (the Map Links form every iOS version reads).
    pub apple: String,
    /// RFC 5870 with Android's labelled-pin query.
    pub geo: String,
}

/// Links to `place` (WGS-84) named `name`.
pub fn map_links(place: Point, name: &str) -> MapLinks {
    let gcj = wgs84_to_gcj02(place);
    let bd = wgs84_to_bd09(place);
    let apple = if in_china(place) { gcj } else { place };
    let label = percent_encode(name);
    // Android reads the label up to the first ')': none may be in it.
    let geo_label = percent_encode(&name.replace(['(', ')'], " "));
    MapLinks {
        amap: format!(
            "https://uri.amap.com/navigation?to={:.6},{:.6},{label}&mode=walk&src={LINK_SOURCE}&callnative=1",
            gcj.lon, gcj.lat
        ),
        baidu: format!(
            "https://api.map.baidu.com/marker?location={:.6},{:.6}&title={label}&content={label}\
             &output=html&coord_type=bd09ll&src={LINK_SOURCE}",
            bd.lat, bd.lon
        ),
        apple: format!("https://maps.apple.com/?daddr={:.6},{:.6}&dirflg=w", apple.lat, apple.lon),
        geo: format!("geo:{0:.6},{1:.6}?q={0:.6},{1:.6}({geo_label})", place.lat, place.lon),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The query value of `key` in `link`.
    fn param<'a>(link: &'a str, key: &str) -> &'a str {
        link.split(['?', '&']).find_map(|pair| pair.strip_prefix(&format!("{key}="))).unwrap_or_default()
    }

    fn numbers(text: &str) -> Vec<f64> {
        text.split(',').filter_map(|n| n.parse().ok()).collect()
    }

    #[test]
    fn each_app_gets_the_datum_and_order_it_expects() {
        // hujiulong/gcoord's fixture point for 北京城区 (WGS84, GCJ02, BD09 as lon, lat).
        let beijing = Point { lat: 39.9028057, lon: 116.4011517 };
        let links = map_links(beijing, "测试(公园) A&B");
        let amap = numbers(param(&links.amap, "to"));
        assert!(
            (amap[0] - 116.4074002).abs() < 5e-5 && (amap[1] - 39.9042136).abs() < 5e-5,
            "{amap:?}: lon,lat GCJ-02"
        );
        let baidu = numbers(param(&links.baidu, "location"));
        assert!(
            (baidu[0] - 39.9105355).abs() < 5e-5 && (baidu[1] - 116.4137852).abs() < 5e-5,
            "{baidu:?}: lat,lng BD-09"
        );
        assert_eq!(param(&links.baidu, "coord_type"), "bd09ll");
        let apple = numbers(param(&links.apple, "daddr"));
        assert!(
            (apple[0] - 39.9042136).abs() < 5e-5 && (apple[1] - 116.4074002).abs() < 5e-5,
            "lat,lon GCJ-02 in China"
        );
        assert_eq!(
            links.geo,
            "geo:39.902806,116.401152?q=39.902806,116.401152(%E6%B5%8B%E8%AF%95%20%E5%85%AC%E5%9B%AD%20%20A%26B)"
        );
        assert!(links.amap.ends_with(&format!(
            ",%E6%B5%8B%E8%AF%95%28%E5%85%AC%E5%9B%AD%29%20A%26B&mode=walk&src={LINK_SOURCE}&callnative=1"
        )));
    }

    #[test]
    fn outside_china_apple_and_geo_get_wgs84_as_it_is() {
        let lisbon = Point { lat: 38.7223, lon: -9.1393 };
        let links = map_links(lisbon, "x");
        assert_eq!(param(&links.apple, "daddr"), "38.722300,-9.139300");
        assert!(links.geo.starts_with("geo:38.722300,-9.139300?"));
    }
}
