//! Approximate centres of the city's towns and streets, for measuring distances from a saved
//! place that is a division rather than a point. 33 of the 59 townships and streets have one:
//! GeoNames points (WGS-84, CC BY 4.0, geonames.org; each row keeps its GeoNames id) matched
//! by Chinese name to the township codes (`township_seats.csv`; how, in server/data/README.md).
//! A village takes its township's point. The rest have none and their lists stay unordered.

use super::{cap::Point, geo::DivisionCode};

const SEATS: &str = include_str!("township_seats.csv");

/// The approximate centre of the township that `code` is or lies in, when one is known.
pub fn seat_of(code: &DivisionCode) -> Option<Point> {
    let township = code.as_str().get(..9)?;
    if township.ends_with("000") {
        return None; // a county or the city: too large for one point
    }
    SEATS.lines().skip(1).find_map(|line| {
        let mut cells = line.split(',');
        (cells.next()? == township).then_some(())?;
        let _name = cells.next()?;
        let lat = cells.next()?.parse().ok()?;
        let lon = cells.next()?.parse().ok()?;
        Some(Point { lat, lon })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seat(code: &str) -> Option<Point> {
        seat_of(&DivisionCode::parse(code).expect("a code"))
    }

    #[test]
    fn a_township_and_its_villages_have_its_point_and_a_county_has_none() {
        // 鹅湖镇 (GeoNames 1811744).
        let ehu = Point { lat: 29.47614, lon: 117.4484 };
        assert_eq!(seat("360222101"), Some(ehu));
        assert_eq!(seat("360222101201"), Some(ehu), "a village of 鹅湖镇");
        assert_eq!(seat("360222"), None, "浮梁县 is too large for one point");
        assert_eq!(seat("360202001"), None, "西郊街道 has no GeoNames point");
    }

    #[test]
    fn every_seat_lies_in_the_city() {
        let lines: Vec<&str> = SEATS.lines().skip(1).collect();
        assert_eq!(lines.len(), 33);
        for line in lines {
            let code = line.split(',').next().expect("a code");
            let point = seat(code).unwrap_or_else(|| panic!("{line} reads"));
            assert!((28.5..30.0).contains(&point.lat) && (116.8..117.8).contains(&point.lon), "{line}");
        }
    }
}
