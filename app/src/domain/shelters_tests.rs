use chrono::TimeZone;
use rstest::rstest;

use super::*;

fn at(hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 7, 4, hour, 0, 0).single().expect("a time")
}

fn shelter(id: &str, lat: f64, lon: f64) -> Shelter {
    Shelter {
        id: ShelterId::parse(id).expect("an id"),
        name_zh: format!("{id} 避难场所"),
        name_en: None,
        level: ShelterLevel::Township,
        space: SpaceType::Outdoor,
        purpose: Purpose::Comprehensive,
        stay: Stay::Emergency,
        capacity: 100,
        area_m2: 2_000,
        facilities: vec![Facility::DrinkingWater, Facility::Toilets],
        hazards: vec![Hazard::Earthquake, Hazard::Flood],
        address_zh: "珠山区某路 1 号".into(),
        address_en: None,
        division: DivisionCode::parse("360203").expect("a code"),
        position: Point { lat, lon },
        contact: None,
        hours: "24 小时".into(),
        sample: true,
        position_source: None,
    }
}

fn report(state: ShelterState, occupancy: Option<u32>, hour: u32) -> ShelterStatus {
    ShelterStatus { state, occupancy, updated_at: at(hour), updated_by: "volunteer.li".into() }
}

#[rstest]
#[case::open_with_room(
    Some(report(ShelterState::Open, Some(40), 10)),
    ShelterState::Open,
    true,
    Some(60),
    false
)]
#[case::open_not_counted(Some(report(ShelterState::Open, None, 10)), ShelterState::Open, true, None, false)]
#[case::open_but_counted_full(
    Some(report(ShelterState::Open, Some(100), 10)),
    ShelterState::Open,
    false,
    Some(0),
    false
)]
#[case::over_capacity(
    Some(report(ShelterState::Open, Some(130), 10)),
    ShelterState::Open,
    false,
    Some(0),
    false
)]
#[case::reported_full(
    Some(report(ShelterState::Full, Some(90), 10)),
    ShelterState::Full,
    false,
    Some(10),
    false
)]
#[case::closed(Some(report(ShelterState::Closed, None, 10)), ShelterState::Closed, false, None, false)]
#[case::old_report(Some(report(ShelterState::Open, Some(10), 5)), ShelterState::Open, true, Some(90), true)]
#[case::never_reported(None, ShelterState::Unknown, false, None, true)]
fn availability_follows_the_last_report(
    #[case] status: Option<ShelterStatus>,
    #[case] state: ShelterState,
    #[case] has_room: bool,
    #[case] places_left: Option<u32>,
    #[case] stale: bool,
) {
    // Now is 12:00; a report from 05:00 is seven hours old, past STALE_AFTER (6 h).
    let got = availability(&shelter("a", 29.3, 117.2), status.as_ref(), Freshness::at(at(12)));
    assert_eq!(got, Availability { state, has_room, places_left, stale });
}

#[test]
fn nearest_first_filtered_and_limited() {
    let from = Point { lat: 29.30, lon: 117.20 };
    let mut indoor = shelter("gym", 29.31, 117.20); // about 1.1 km north
    indoor.space = SpaceType::Indoor;
    indoor.facilities.push(Facility::AccessibleEntrance);
    let near = shelter("park", 29.301, 117.201); // about 150 m
    let mut far = shelter("square", 29.40, 117.20); // about 11 km
    far.hazards = vec![Hazard::Earthquake];
    let register = vec![
        (far, Some(report(ShelterState::Open, Some(10), 11))),
        (indoor, Some(report(ShelterState::Open, None, 11))),
        (near, Some(report(ShelterState::Full, Some(100), 11))),
    ];
    let ids = |filter: &ShelterFilter, limit| {
        nearest(&register, from, filter, Freshness::at(at(12)), limit)
            .iter()
            .map(|n| n.shelter.id.as_str().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&ShelterFilter::default(), 10), ["park", "gym", "square"]);
    assert_eq!(ids(&ShelterFilter::default(), 2), ["park", "gym"]);
    assert_eq!(ids(&ShelterFilter { has_room: true, ..Default::default() }, 10), ["gym", "square"]);
    assert_eq!(ids(&ShelterFilter { open_now: true, ..Default::default() }, 10), ["gym", "square"]);
    assert_eq!(ids(&ShelterFilter { indoor: true, accessible: true, ..Default::default() }, 10), ["gym"]);
    assert_eq!(
        ids(&ShelterFilter { hazard: Some(Hazard::Flood), ..Default::default() }, 10),
        ["park", "gym"]
    );
    assert!(ids(&ShelterFilter { medical: true, ..Default::default() }, 10).is_empty());

    let first = &nearest(&register, from, &ShelterFilter::default(), Freshness::at(at(12)), 1)[0];
    assert!((first.distance_km - 0.144).abs() < 0.01, "{}", first.distance_km);
    assert_eq!(first.walking_minutes, 3, "144 m at 4 km/h is 2.2 min, rounded up");
}

#[rstest]
#[case(0.0, 1)]
#[case(0.05, 1)]
#[case(1.0, 15)]
#[case(2.5, 38)]
#[case(f64::INFINITY, u32::MAX)]
fn walking_time_is_rounded_up_at_four_km_an_hour(#[case] km: f64, #[case] minutes: u32) {
    assert_eq!(walking_minutes(km), minutes);
}

#[test]
fn a_shelter_with_bad_values_names_each_field() {
    let mut bad = shelter("a", 0.0, 0.0);
    bad.name_zh = " ".into();
    bad.capacity = 0;
    bad.area_m2 = 0;
    bad.contact = Some("1".repeat(201));
    let fields: Vec<&str> = bad.problems().iter().map(|p| p.field).collect();
    assert_eq!(fields, ["name_zh", "contact", "capacity", "area_m2", "position"]);
    assert!(shelter("ok", 29.3, 117.2).problems().is_empty());
    let mut nan = shelter("nan", f64::NAN, 117.2);
    assert_eq!(nan.problems()[0].field, "position");
    nan.position = Point { lat: 29.3, lon: 117.2 };
    assert!(nan.problems().is_empty());
}

#[test]
fn a_volunteers_report_is_checked() {
    let one = shelter("a", 29.3, 117.2);
    assert!(check_report(&one, ShelterState::Full, Some(120)).is_ok(), "a crowd over capacity is real");
    assert_eq!(check_report(&one, ShelterState::Open, Some(1_001)).map_err(|p| p.field), Err("occupancy"));
    assert_eq!(check_report(&one, ShelterState::Unknown, None).map_err(|p| p.field), Err("state"));
    assert!(check_report(&one, ShelterState::Closed, None).is_ok());
}

#[rstest]
#[case("jdz-0001", true)]
#[case("360203.park_2", true)]
#[case("", false)]
#[case("a/b", false)]
#[case("..", false)]
#[case("公园", false)]
fn shelter_ids_are_safe_in_a_path(#[case] text: &str, #[case] valid: bool) {
    assert_eq!(ShelterId::parse(text).is_some(), valid);
    assert!(ShelterId::parse(&"x".repeat(65)).is_none());
}

#[test]
fn every_key_reads_back() {
    for level in ShelterLevel::ALL {
        assert_eq!(ShelterLevel::from_key(level.key()), Some(*level));
    }
    for facility in Facility::ALL {
        assert_eq!(Facility::from_key(facility.key()), Some(*facility));
    }
    for state in ShelterState::ALL {
        assert_eq!(ShelterState::from_key(state.key()), Some(*state));
    }
    assert_eq!(Stay::from_key(" short-term "), Some(Stay::ShortTerm));
    assert_eq!(SpaceType::from_key("inside"), None);
}

#[test]
fn the_age_of_a_stale_report_is_configurable() {
    let status = report(ShelterState::Open, None, 5); // seven hours before 12:00
    let park = shelter("a", 29.3, 117.2);
    let strict = Freshness { now: at(12), stale_after: Duration::hours(2) };
    let lenient = Freshness { now: at(12), stale_after: Duration::hours(8) };
    assert!(availability(&park, Some(&status), strict).stale);
    assert!(!availability(&park, Some(&status), lenient).stale);
}

#[test]
fn the_nearest_few_of_many_are_those_a_full_sort_puts_first() {
    let from = Point { lat: 29.30, lon: 117.20 };
    // 500 shelters on a grid, so that many lie at the same distance (ties go by id).
    let register: Vec<(Shelter, Option<ShelterStatus>)> = (0..500)
        .map(|n| {
            (
                shelter(
                    &format!("s{n:03}"),
                    29.25 + 0.005 * f64::from(n % 20),
                    117.15 + 0.005 * f64::from(n / 20),
                ),
                None,
            )
        })
        .collect();
    let when = Freshness::at(at(12));
    let mut everything = nearest(&register, from, &ShelterFilter::default(), when, usize::MAX);
    assert_eq!(everything.len(), 500);
    everything.truncate(10);
    let few = nearest(&register, from, &ShelterFilter::default(), when, 10);
    let ids =
        |list: &[NearShelter<'_>]| list.iter().map(|n| n.shelter.id.as_str().to_owned()).collect::<Vec<_>>();
    assert_eq!(ids(&few), ids(&everything));
    assert!(few.iter().all(|n| n.walking_minutes >= 1));
    assert!(nearest(&register, from, &ShelterFilter::default(), when, 0).is_empty());
}
