//! Who is notified: places, levels, the per-place cache, and the warning a message belongs to.

use rstest::rstest;

use super::*;
use crate::domain::{
    boundaries,
    cap::{ParseOptions, parse_alert},
    matching::NoShapes,
};

/// A warning over `codes` with `colour` (Chinese level word in the event code) and `severity`.
fn alert(severity: &str, colour: Option<&str>, codes: &[&str], references: Option<&str>) -> Alert {
    let geocodes: String = codes
        .iter()
        .map(|c| format!("<geocode><valueName>CPEAS Geographic Code</valueName><value>{c}</value></geocode>"))
        .collect();
    let event = colour.map_or_else(|| "暴雨".to_owned(), |c| format!("暴雨{c}色预警"));
    let (msg_type, references) = match references {
        Some(r) => ("Update", format!("<references>{r}</references>")),
        None => ("Alert", String::new()),
    };
    let xml = format!(
        "<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\"><identifier>id-now</identifier>\
         <sender>s</sender><sent>2026-07-04T10:00:00+08:00</sent><status>Actual</status>\
         <msgType>{msg_type}</msgType><scope>Public</scope>{references}\
         <info><language>zh-CN</language><category>Met</category><event>{event}</event>\
         <urgency>Immediate</urgency><severity>{severity}</severity><certainty>Likely</certainty>\
         <headline>h</headline><area><areaDesc>a</areaDesc>{geocodes}</area></info></alert>"
    );
    parse_alert(xml.as_bytes(), &ParseOptions::default()).expect("test alert parses").alert
}

#[rstest]
#[case(None, Severity::Extreme, ColourLevel::Red)]
#[case(None, Severity::Severe, ColourLevel::Orange)]
#[case(None, Severity::Moderate, ColourLevel::Yellow)]
#[case(None, Severity::Minor, ColourLevel::Blue)]
#[case(None, Severity::Unknown, ColourLevel::Blue)]
#[case(Some(ColourLevel::Yellow), Severity::Extreme, ColourLevel::Yellow)]
fn the_colour_decides_else_the_severity(
    #[case] colour: Option<ColourLevel>,
    #[case] severity: Severity,
    #[case] expected: ColourLevel,
) {
    assert_eq!(notify_level(colour, severity), expected);
}

#[test]
fn levels_round_trip_and_unknown_names_are_refused() {
    let levels = NotifyLevels::NONE.with(ColourLevel::Blue).with(ColourLevel::Red);
    assert_eq!(levels.to_text(), "red,blue");
    assert_eq!(NotifyLevels::parse("red,blue"), Some(levels));
    assert_eq!(NotifyLevels::parse(" blue , red ,"), Some(levels));
    assert_eq!(NotifyLevels::parse(""), Some(NotifyLevels::NONE));
    assert_eq!(NotifyLevels::parse("red,purple"), None);
    assert_eq!(NotifyLevels::default().to_text(), "red,orange,yellow,blue");
}

#[rstest]
// County code covers the township and the village below it, not a sibling county.
#[case(&["360202000000"], "360202001", true)]
#[case(&["360202000000"], "360202001001", true)]
#[case(&["360202000000"], "360222101", false)]
// Any one of several places is enough; a point is matched by the county's boundary.
#[case(&["360202000000"], "360222101~360202001001", true)]
#[case(&["360281000000"], "p29.30_117.20", false)]
// A warning for the whole city reaches every place in it, and nothing outside.
#[case(&["360200000000"], "360222101", true)]
#[case(&["360200000000"], "p39.90_116.40", false)]
// No places, or unreadable ones: nothing to match.
#[case(&["360200000000"], "", false)]
#[case(&["360200000000"], "garbage", false)]
fn a_subscription_is_notified_when_the_warning_covers_one_of_its_places(
    #[case] codes: &[&str],
    #[case] places: &str,
    #[case] expected: bool,
) {
    let warning = alert("Severe", Some("橙"), codes, None);
    let mut targets = WarningTargets::new(&warning, boundaries::jingdezhen());
    assert_eq!(targets.concerns(places, NotifyLevels::ALL), expected);
    // The cached answer is the same answer.
    assert_eq!(targets.concerns(places, NotifyLevels::ALL), expected);
}

#[test]
fn a_point_inside_the_county_is_covered_by_its_code() {
    // 29.30, 117.20 lies in 珠山区 (360203), the city centre.
    let warning = alert("Severe", None, &["360203000000"], None);
    let mut targets = WarningTargets::new(&warning, boundaries::jingdezhen());
    assert!(targets.concerns("p29.30_117.20", NotifyLevels::ALL));
    let mut without_shapes = WarningTargets::new(&warning, &NoShapes);
    assert!(!without_shapes.concerns("p29.30_117.20", NotifyLevels::ALL));
}

#[test]
fn a_resident_who_chose_only_red_hears_only_red_warnings() {
    let red_only = NotifyLevels::NONE.with(ColourLevel::Red);
    let yellow = alert("Moderate", Some("黄"), &["360200000000"], None);
    let red = alert("Extreme", Some("红"), &["360200000000"], None);
    let uncoloured_extreme = alert("Extreme", None, &["360200000000"], None);
    assert!(!WarningTargets::new(&yellow, &NoShapes).concerns("360202001", red_only));
    assert!(WarningTargets::new(&red, &NoShapes).concerns("360202001", red_only));
    assert!(WarningTargets::new(&uncoloured_extreme, &NoShapes).concerns("360202001", red_only));
    assert!(!WarningTargets::new(&red, &NoShapes).concerns("360202001", NotifyLevels::NONE));
}

#[test]
fn an_update_belongs_to_the_oldest_warning_it_references() {
    let original = alert("Severe", None, &[], None);
    assert_eq!(warning_root(&original), ("s".to_owned(), "id-now".to_owned()));
    let update = alert(
        "Severe",
        None,
        &[],
        Some("s,id-second,2026-07-04T09:00:00+08:00 s,id-first,2026-07-04T08:00:00+08:00"),
    );
    assert_eq!(warning_root(&update), ("s".to_owned(), "id-first".to_owned()));
}
