use super::*;
use crate::domain::{
    cap::{ParseOptions, parse_alert},
    geo::DivisionCode,
    matching::NoShapes,
};

/// A warning with one zh-CN info (and an English one when `english`), for `codes`.
fn alert(identifier: &str, severity: &str, urgency: &str, codes: &[&str], english: bool) -> Alert {
    let geocodes: String = codes
        .iter()
        .map(|c| format!("<geocode><valueName>CPEAS Geographic Code</valueName><value>{c}</value></geocode>"))
        .collect();
    let english = if english {
        format!(
            "<info><language>en-US</language><category>Met</category><event>Rainstorm</event>\
             <urgency>{urgency}</urgency><severity>Severe</severity><certainty>Likely</certainty>\
             <headline>EN {identifier}</headline><area><areaDesc>Area</areaDesc></area></info>"
        )
    } else {
        String::new()
    };
    let xml = format!(
        "<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\"><identifier>{identifier}</identifier>\
         <sender>s</sender><sent>2026-07-04T10:00:00+08:00</sent><status>Actual</status>\
         <msgType>Alert</msgType><scope>Public</scope>\
         <info><language>zh-CN</language><category>Met</category><event>暴雨</event>\
         <urgency>{urgency}</urgency><severity>{severity}</severity><certainty>Likely</certainty>\
         <headline>{identifier}</headline><instruction>转移到安全地带</instruction>\
         <area><areaDesc>昌江区</areaDesc>{geocodes}</area></info>{english}</alert>"
    );
    parse_alert(xml.as_bytes(), &ParseOptions::default()).expect("test alert parses").alert
}

fn division(code: &str) -> Place {
    Place { point: None, division: DivisionCode::parse(code) }
}

fn headlines(cards: &[WarningCard]) -> Vec<&str> {
    cards.iter().map(|c| c.headline.as_deref().unwrap_or("")).collect()
}

#[test]
fn warnings_for_my_places_come_first_most_serious_then_most_urgent() {
    let alerts = vec![
        (1, alert("黄色-昌江", "黄色", "Expected", &["360202000000"], false)),
        (2, alert("红色-珠山", "红色", "Immediate", &["360203000000"], false)),
        (3, alert("橙色-全市-未来", "橙色", "Future", &["360200000000"], false)),
        (4, alert("橙色-昌江-立即", "橙色", "Immediate", &["360202000000"], false)),
    ];
    let arranged = arrange(&alerts, &[division("360202101001")], "zh-CN", &NoShapes);
    assert_eq!(headlines(&arranged.for_places), ["橙色-昌江-立即", "橙色-全市-未来", "黄色-昌江"]);
    assert_eq!(headlines(&arranged.elsewhere), ["红色-珠山"]);
    assert!(arranged.for_places.iter().all(|c| c.coverage == Some(Coverage::Geocode)));
    assert!(arranged.elsewhere.iter().all(|c| c.coverage.is_none()));
}

#[test]
fn without_places_everything_is_elsewhere_and_a_warning_without_area_is_city_wide() {
    let alerts = vec![(1, alert("无区域", "Severe", "Immediate", &[], false))];
    let arranged = arrange(&alerts, &[], "zh-CN", &NoShapes);
    assert!(arranged.for_places.is_empty());
    assert_eq!(arranged.elsewhere.len(), 1);
    let arranged = arrange(&alerts, &[division("360281")], "zh-CN", &NoShapes);
    assert_eq!(arranged.for_places[0].coverage, Some(Coverage::CityWide));
    // A place outside the city is not concerned by the city's area-less warnings.
    let arranged = arrange(&alerts, &[division("360100000000")], "zh-CN", &NoShapes);
    assert!(arranged.for_places.is_empty());
}

#[test]
fn the_card_is_in_the_residents_language_when_the_warning_has_it() {
    let alerts = vec![(7, alert("双语", "橙色", "Immediate", &["360202000000"], true))];
    let english = arrange(&alerts, &[], "en", &NoShapes).elsewhere.remove(0);
    assert_eq!(english.headline.as_deref(), Some("EN 双语"));
    assert!(english.in_residents_language);
    let only_chinese = vec![(8, alert("中文", "橙色", "Immediate", &["360202000000"], false))];
    let fallback = arrange(&only_chinese, &[], "en", &NoShapes).elsewhere.remove(0);
    assert_eq!(fallback.language, "zh-CN");
    assert!(!fallback.in_residents_language, "shown in the original, with a note");
    assert_eq!(fallback.colour, Some(ColourLevel::Orange));
    assert_eq!(fallback.instruction.as_deref(), Some("转移到安全地带"));
}

#[test]
fn in_language_picks_the_same_tag_then_the_same_language_then_the_first() {
    let headlines = [("zh-CN", "暴雨"), ("en-US", "Rainstorm"), ("en", "Rain")];
    let pick = |lang| in_language(&headlines, lang, |(language, _)| language).map(|(_, h)| *h);
    assert_eq!(pick("en"), Some("Rain"), "the same tag first");
    assert_eq!(pick("en-GB"), Some("Rainstorm"), "else the same language");
    assert_eq!(pick("zh-CN"), Some("暴雨"));
    assert_eq!(pick("fr"), Some("暴雨"), "else the first");
    assert_eq!(in_language(&[] as &[(&str, &str)], "en", |(language, _)| language), None);
}
