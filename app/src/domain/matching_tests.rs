//! Table tests: which warnings concern which places.

use rstest::rstest;

use super::*;
use crate::domain::cap::{Area, Category, Certainty, Circle, NamedValue, Polygon, Severity, Urgency};

fn p(lat: f64, lon: f64) -> Point {
    Point { lat, lon }
}

fn info(areas: Vec<Area>) -> Info {
    Info {
        language: "zh-CN".into(),
        categories: vec![Category::Met],
        event: "暴雨".into(),
        response_types: vec![],
        urgency: Urgency::Immediate,
        severity: Severity::Severe,
        certainty: Certainty::Likely,
        colour: None,
        audience: None,
        event_codes: vec![],
        effective: None,
        onset: None,
        expires: None,
        sender_name: None,
        headline: None,
        description: None,
        instruction: None,
        web: None,
        contact: None,
        parameters: vec![],
        resources: vec![],
        areas,
    }
}

fn area(polygons: Vec<Polygon>, circles: Vec<Circle>, codes: &[&str]) -> Area {
    Area {
        area_desc: "test".into(),
        polygons,
        circles,
        geocodes: codes
            .iter()
            .map(|c| NamedValue { value_name: "CPEAS Geographic Code".into(), value: (*c).into() })
            .collect(),
        altitude: None,
        ceiling: None,
    }
}

fn square() -> Polygon {
    Polygon { points: vec![p(29.2, 117.1), p(29.2, 117.3), p(29.4, 117.3), p(29.4, 117.1), p(29.2, 117.1)] }
}

fn place(point: Option<Point>, division: Option<&str>) -> Place {
    Place { point, division: division.and_then(DivisionCode::parse) }
}

#[rstest]
#[case::polygon_contains_the_point(area(vec![square()], vec![], &[]), place(Some(p(29.3, 117.2)), None), Some(Coverage::Polygon))]
#[case::polygon_misses_the_point(area(vec![square()], vec![], &[]), place(Some(p(29.6, 117.2)), None), None)]
#[case::circle_contains_the_point(area(vec![], vec![Circle { center: p(29.3, 117.2), radius_km: 3.0 }], &[]), place(Some(p(29.31, 117.2)), None), Some(Coverage::Circle))]
#[case::city_code_covers_a_village(area(vec![], vec![], &["360200000000"]), place(None, Some("360281100201")), Some(Coverage::Geocode))]
#[case::county_code_covers_its_township(area(vec![], vec![], &["360202000000"]), place(None, Some("360202001")), Some(Coverage::Geocode))]
#[case::county_code_misses_another_county(area(vec![], vec![], &["360202000000"]), place(None, Some("360203001001")), None)]
#[case::no_area_at_all_is_city_wide(area(vec![], vec![], &[]), place(None, Some("360203001001")), Some(Coverage::CityWide))]
#[case::foreign_geocodes_only_are_city_wide(Area { geocodes: vec![NamedValue { value_name: "SAME".into(), value: "006113".into() }], ..area(vec![], vec![], &[]) }, place(None, None), Some(Coverage::CityWide))]
#[case::a_place_without_point_or_code_matches_no_shaped_warning(area(vec![square()], vec![], &["360202000000"]), place(None, None), None)]
fn warnings_concern_the_places_their_areas_cover(
    #[case] area: Area,
    #[case] place: Place,
    #[case] expected: Option<Coverage>,
) {
    assert_eq!(coverage(&info(vec![area]), &place, &NoShapes), expected);
}

struct OneCounty(Vec<Shape>);

impl DivisionShapes for OneCounty {
    fn shapes(&self, code: &DivisionCode) -> Option<&[Shape]> {
        (code.as_str() == "360202000000").then_some(self.0.as_slice())
    }
}

#[test]
fn a_geocode_contains_a_point_where_the_division_boundary_is_known() {
    let boundary = OneCounty(vec![Shape { outer: square().points, holes: vec![] }]);
    let warning = info(vec![area(vec![], vec![], &["360202000000"])]);
    assert_eq!(coverage(&warning, &place(Some(p(29.3, 117.2)), None), &boundary), Some(Coverage::Geocode));
    assert_eq!(coverage(&warning, &place(Some(p(28.0, 117.2)), None), &boundary), None);
}

#[test]
fn points_are_read_as_lat_comma_lon_within_range() {
    assert_eq!(parse_point("29.30,117.20"), Some(Point { lat: 29.30, lon: 117.20 }));
    assert_eq!(parse_point(" 29.3 , 117.2 "), Some(Point { lat: 29.3, lon: 117.2 }));
    assert_eq!(parse_point("117.2,29.3"), None, "latitude first: 117.2 is no latitude");
    assert_eq!(parse_point("91,0"), None);
    assert_eq!(parse_point("0,181"), None);
    assert_eq!(parse_point("29.3"), None);
    assert_eq!(parse_point("north,east"), None);
}

#[test]
fn coarse_points_keep_about_a_kilometre() {
    let exact = Point { lat: 29.298_765, lon: 117.204_321 };
    let coarse = coarse_point(exact);
    assert_eq!(coarse, Point { lat: 29.30, lon: 117.20 });
    assert!(crate::domain::geo::distance_km(exact, coarse) < 1.0);
}

#[test]
fn a_place_is_in_the_city_by_its_division() {
    assert!(in_city(&place(None, Some("360281101000")), &NoShapes));
    assert!(in_city(&place(None, Some("360200")), &NoShapes));
    assert!(!in_city(&place(None, Some("360100000000")), &NoShapes), "南昌市 is not 景德镇市");
    assert!(
        !in_city(&place(Some(p(29.3, 117.2)), None), &NoShapes),
        "without the boundary a point is unknown"
    );
}
