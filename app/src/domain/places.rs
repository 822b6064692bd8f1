//! A resident's saved places in the coarse form they may leave the phone in: division codes,
//! or points rounded to 0.01° (about 1 km). This is the whole of what the `sjdz_places` cookie
//! holds and what a "save" form sends; the exact position is never written anywhere.

use super::{
    geo::DivisionCode,
    matching::{Place, coarse_point, parse_point},
};

/// Home, school, work, parents' home, one more.
pub const MAX_PLACES: usize = 5;

/// The key of a place in forms and links: the 12-digit code, or `lat,lon` rounded to 0.01°.
pub fn place_key(place: &Place) -> Option<String> {
    match (place.division, place.point) {
        (Some(code), _) => Some(code.as_str().to_owned()),
        (None, Some(point)) => {
            let point = coarse_point(point);
            Some(format!("{:.2},{:.2}", point.lat, point.lon))
        }
        (None, None) => None,
    }
}

/// Reads a key written by [`place_key`] (or any division code / `lat,lon`), coarsened.
pub fn parse_place_key(text: &str) -> Option<Place> {
    if let Some(code) = DivisionCode::parse(text) {
        return Some(Place { point: None, division: Some(code) });
    }
    parse_point(text).map(|p| Place { point: Some(coarse_point(p)), division: None })
}

/// The cookie value: entries joined by `~`; a point is `p<lat>_<lon>` (cookie values allow no
/// comma).
pub fn encode_places(places: &[Place]) -> String {
    places
        .iter()
        .filter_map(|place| match (place.division, place.point) {
            (Some(code), _) => Some(code.as_str().to_owned()),
            (None, Some(point)) => {
                let point = coarse_point(point);
                Some(format!("p{:.2}_{:.2}", point.lat, point.lon))
            }
            (None, None) => None,
        })
        .collect::<Vec<_>>()
        .join("~")
}

/// Reads the cookie value; unreadable entries are dropped, duplicates kept once, at most
/// [`MAX_PLACES`]. Division codes joined by `.` (the first format) are read too.
pub fn decode_places(value: &str) -> Vec<Place> {
    let mut places: Vec<Place> = Vec::new();
    for entry in
        value.split('~').flat_map(|e| if e.starts_with('p') { vec![e] } else { e.split('.').collect() })
    {
        let place = match entry.strip_prefix('p') {
            Some(point) => point.split_once('_').and_then(|(lat, lon)| {
                parse_point(&format!("{lat},{lon}"))
                    .map(|p| Place { point: Some(coarse_point(p)), division: None })
            }),
            None => DivisionCode::parse(entry).map(|code| Place { point: None, division: Some(code) }),
        };
        if let Some(place) = place
            && !places.contains(&place)
            && places.len() < MAX_PLACES
        {
            places.push(place);
        }
    }
    places
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::cap::Point;

    #[test]
    fn places_round_trip_through_the_cookie_coarsely() {
        let places = vec![
            Place { point: None, division: DivisionCode::parse("360202101001") },
            Place { point: Some(Point { lat: 29.298_765, lon: 117.204_321 }), division: None },
        ];
        let value = encode_places(&places);
        assert_eq!(value, "360202101001~p29.30_117.20");
        assert!(!value.contains(',') && !value.contains(';') && !value.contains(' '), "a valid cookie value");
        let read = decode_places(&value);
        assert_eq!(read[0], places[0]);
        assert_eq!(
            read[1].point,
            Some(Point { lat: 29.30, lon: 117.20 }),
            "the exact point never comes back"
        );
    }

    #[test]
    fn the_first_format_bad_entries_duplicates_and_excess_are_handled() {
        let read = decode_places("360203000000.360202000000~junk~p99_1~360203000000");
        assert_eq!(read.len(), 2);
        let many = (1..=9).map(|i| format!("36020210100{i}")).collect::<Vec<_>>().join("~");
        assert_eq!(decode_places(&many).len(), MAX_PLACES);
    }

    #[test]
    fn keys_are_codes_or_coarse_points() {
        let point = parse_place_key("29.2987,117.2043").expect("a point");
        assert_eq!(place_key(&point).as_deref(), Some("29.30,117.20"));
        assert_eq!(place_key(&parse_place_key("360202").expect("a code")).as_deref(), Some("360202000000"));
        assert_eq!(parse_place_key("not a place"), None);
    }
}
