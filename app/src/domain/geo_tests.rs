//! Table tests of the geometry and code hierarchy used to match warnings to places.

use rstest::rstest;

use super::*;

fn p(lat: f64, lon: f64) -> Point {
    Point { lat, lon }
}

/// A concave "U" around 珠山区: the notch between the arms is outside.
fn u_shape() -> Vec<Point> {
    vec![
        p(29.0, 117.0),
        p(29.0, 117.3),
        p(29.3, 117.3),
        p(29.3, 117.2),
        p(29.1, 117.2),
        p(29.1, 117.1),
        p(29.3, 117.1),
        p(29.3, 117.0),
        p(29.0, 117.0),
    ]
}

#[rstest]
#[case::inside_the_base(p(29.05, 117.15), true)]
#[case::inside_the_left_arm(p(29.2, 117.05), true)]
#[case::in_the_notch_of_the_u(p(29.2, 117.15), false)]
#[case::outside(p(29.5, 117.15), false)]
#[case::on_an_edge(p(29.0, 117.15), true)]
#[case::on_a_vertex(p(29.3, 117.3), true)]
#[case::level_with_a_vertex_outside(p(29.3, 117.4), false)]
fn concave_polygons_contain_exactly_their_inside(#[case] point: Point, #[case] expected: bool) {
    assert_eq!(ring_contains(&u_shape(), point), expected);
}

#[test]
fn holes_are_outside_but_their_edges_are_inside() {
    let shape = Shape {
        outer: vec![p(29.0, 117.0), p(29.0, 118.0), p(30.0, 118.0), p(30.0, 117.0), p(29.0, 117.0)],
        holes: vec![vec![p(29.4, 117.4), p(29.4, 117.6), p(29.6, 117.6), p(29.6, 117.4), p(29.4, 117.4)]],
    };
    assert!(shape.contains(p(29.2, 117.2)));
    assert!(!shape.contains(p(29.5, 117.5)), "in the hole");
    assert!(shape.contains(p(29.4, 117.5)), "on the hole's edge");
    assert!(!shape.contains(p(31.0, 117.5)));
}

#[test]
fn circles_use_great_circle_distance() {
    // One degree of latitude on a 6371.0 km sphere is 6371.0 × π / 180 = 111.19 km.
    let one_degree = distance_km(p(29.0, 117.0), p(30.0, 117.0));
    assert!((one_degree - 111.19).abs() < 0.01, "{one_degree}");
    let circle = Circle { center: p(29.3, 117.2), radius_km: 5.0 };
    assert!(circle_contains(&circle, p(29.3, 117.2)));
    assert!(circle_contains(&circle, p(29.3 + 4.99 / 111.19, 117.2)));
    assert!(!circle_contains(&circle, p(29.3 + 5.01 / 111.19, 117.2)));
}

#[rstest]
#[case::city_covers_a_village("360200000000", "360202001001", true)]
#[case::city_covers_a_county("360200000000", "360281000000", true)]
#[case::county_covers_its_township("360202000000", "360202001000", true)]
#[case::county_covers_its_village("360202", "360202001001", true)]
#[case::county_does_not_cover_another_county("360202000000", "360203001001", false)]
#[case::township_covers_its_village("360202001", "360202001201", true)]
#[case::township_does_not_cover_a_sibling("360202001000", "360202002001", false)]
#[case::village_covers_itself("360202001001", "360202001001", true)]
#[case::village_does_not_cover_its_township("360202001001", "360202001000", false)]
#[case::county_does_not_cover_its_city("360202000000", "360200000000", false)]
#[case::another_city("360100000000", "360202000000", false)]
fn division_codes_cover_what_lies_below_them(
    #[case] code: &str,
    #[case] place: &str,
    #[case] expected: bool,
) {
    let code = DivisionCode::parse(code).expect("valid code");
    let place = DivisionCode::parse(place).expect("valid code");
    assert_eq!(code.covers(&place), expected);
}

#[rstest]
#[case("36020200000")]
#[case("3602020000001")]
#[case("36020200000X")]
#[case("")]
fn malformed_codes_are_not_codes(#[case] text: &str) {
    assert_eq!(DivisionCode::parse(text), None);
}
