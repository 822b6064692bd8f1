use chrono::{DateTime, Utc};

use super::*;
use crate::domain::cap::{MsgType, ParseOptions, parse_alert};

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).expect("time").to_utc()
}

/// A red rainstorm warning for 鲇鱼山镇 (a township of 昌江区), typed as a publisher would.
fn form() -> WarningForm {
    WarningForm {
        status: "Actual".into(),
        hazard: "rainstorm".into(),
        level: "red".into(),
        divisions: vec!["360202101".into()],
        headline_zh: "景德镇市应急管理局发布暴雨红色预警".into(),
        description_zh: "预计未来3小时鲇鱼山镇降雨量将达100毫米以上。".into(),
        instruction_zh: "停止集会、停课、停业；远离低洼地带 & 河道。".into(),
        expires: "2026-12-02T06:00".into(),
        ..WarningForm::default()
    }
}

const NOW: &str = "2026-12-01T12:00:00Z";

#[test]
fn a_complete_form_is_a_warning_with_its_times_read_as_china_time() {
    let warning = check(&form(), at(NOW)).expect("valid");
    assert_eq!(
        (warning.status, warning.hazard, warning.level),
        (Status::Actual, Hazard::Rainstorm, ColourLevel::Red)
    );
    assert_eq!(warning.divisions[0].as_str(), "360202101000");
    assert_eq!(warning.onset, at(NOW), "no onset: now");
    assert_eq!(warning.expires, at("2026-12-01T22:00:00Z"), "06:00 in China is 22:00 UTC");
    assert!(warning.en.is_none());
}

#[test]
fn every_problem_names_its_field_and_the_form_keeps_what_was_typed() {
    let bad = WarningForm {
        status: "Live".into(),
        hazard: "meteor".into(),
        level: "purple".into(),
        divisions: vec!["110101000000".into()],
        headline_zh: "".into(),
        headline_en: "Only an English headline".into(),
        expires: "2026-12-01T10:00".into(),
        ..form()
    };
    let problems = check(&bad, at(NOW)).expect_err("refused");
    let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "status",
            "hazard",
            "level",
            "divisions",
            "headline_zh",
            "description_en",
            "instruction_en",
            "expires"
        ],
        "{problems:?}"
    );
    assert!(problems.iter().all(|p| p.message_id.starts_with("compose-error-")));
    let no_area = WarningForm { divisions: vec![], ..form() };
    assert_eq!(check(&no_area, at(NOW)).expect_err("refused")[0].message_id, "compose-error-no-area");
    let long = WarningForm { expires: "2026-12-20T06:00".into(), ..form() };
    assert_eq!(check(&long, at(NOW)).expect_err("refused")[0].message_id, "compose-error-too-long-in-force");
    let shapes = WarningForm {
        divisions: vec![],
        polygon: "29.3,117.2 29.4,117.2 29.4,117.3".into(),
        circle: "29.3,117.2 -1".into(),
        ..form()
    };
    let problems = check(&shapes, at(NOW)).expect_err("refused");
    let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
    assert_eq!(fields, ["polygon", "circle"], "a polygon must close; a radius must be positive");
    let drawn = WarningForm {
        divisions: vec![],
        polygon: "29.3,117.2 29.4,117.2 29.4,117.3 29.3,117.2".into(),
        circle: "29.3,117.2 5".into(),
        ..form()
    };
    assert!(check(&drawn, at(NOW)).is_ok());
}

#[test]
fn a_live_warning_is_confirmed_by_typing_its_colour() {
    assert!(
        confirms(ColourLevel::Red, "红色")
            && confirms(ColourLevel::Red, " 红 ")
            && confirms(ColourLevel::Red, "RED")
    );
    assert!(
        !confirms(ColourLevel::Red, "橙色")
            && !confirms(ColourLevel::Red, "")
            && !confirms(ColourLevel::Red, "yes")
    );
}

#[test]
fn the_identifier_follows_gbt_35965_1() {
    let identifier = gbt_identifier("36020000000000", at("2026-12-01T12:34:56Z"), 3);
    assert_eq!(identifier, "36020000000000_20261201203456_3");
    assert_eq!(identifier.len(), 31, "the standard's 31 characters");
    assert!(is_unit_code("36020000000000") && !is_unit_code("360200") && !is_unit_code("3602000000000x"));
}

fn header(msg_type: MsgType, references: Option<String>) -> CapHeader {
    CapHeader {
        identifier: "36020000000000_20261201200000_0".into(),
        sender: "yjglj.jdz.gov.cn".into(),
        sender_name: ("景德镇市应急管理局".into(), "Jingdezhen Emergency Management Bureau".into()),
        sent: at(NOW),
        msg_type,
        references,
    }
}

#[test]
fn the_message_is_valid_cap_that_reads_back_as_the_form_said() {
    let warning = check(
        &WarningForm {
            headline_en: "Red rainstorm warning".into(),
            description_en: "Over 100 mm in 3 hours.".into(),
            instruction_en: "Stay away from low ground <and> rivers.".into(),
            ..form()
        },
        at(NOW),
    )
    .expect("valid");
    let xml = cap_xml(&warning, &header(MsgType::Alert, None), "Extreme");
    let alert = parse_alert(xml.as_bytes(), &ParseOptions::default()).expect("valid CAP").alert;
    assert_eq!(alert.identifier, "36020000000000_20261201200000_0");
    assert_eq!((alert.status, alert.msg_type), (Status::Actual, MsgType::Alert));
    assert_eq!(alert.sent.to_rfc3339(), "2026-12-01T20:00:00+08:00");
    assert_eq!(alert.infos.len(), 2);
    let zh = &alert.infos[0];
    assert_eq!((zh.language.as_str(), zh.event.as_str()), ("zh-CN", "暴雨"));
    assert_eq!(zh.colour, Some(ColourLevel::Red));
    assert_eq!(
        zh.instruction.as_deref(),
        Some("停止集会、停课、停业；远离低洼地带 & 河道。"),
        "escaped and read back"
    );
    assert_eq!(zh.areas[0].division_codes().collect::<Vec<_>>(), ["360202101000"]);
    assert!(zh.areas[0].area_desc.contains("鲇鱼山镇"), "{}", zh.areas[0].area_desc);
    assert_eq!(alert.infos[1].instruction.as_deref(), Some("Stay away from low ground <and> rivers."));
}

#[test]
fn a_cancel_references_the_message_and_says_so_in_each_language() {
    let warning = check(&form(), at(NOW)).expect("valid");
    let original = parse_alert(
        cap_xml(&warning, &header(MsgType::Alert, None), "Extreme").as_bytes(),
        &ParseOptions::default(),
    )
    .expect("valid")
    .alert;
    let reference = format!("{},{},{}", original.sender, original.identifier, cap_time(at(NOW)));
    let cancel = cancel_xml(
        &original,
        &CapHeader {
            identifier: "36020000000000_20261201200100_0".into(),
            ..header(MsgType::Cancel, Some(reference))
        },
    );
    let parsed = parse_alert(cancel.as_bytes(), &ParseOptions::default()).expect("valid CAP").alert;
    assert_eq!(parsed.msg_type, MsgType::Cancel);
    assert_eq!(parsed.references[0].identifier, original.identifier);
    assert!(parsed.infos[0].headline.as_deref().is_some_and(|h| h.starts_with("【已取消】")));
}

#[test]
fn every_hazard_has_a_key_names_and_a_cap_category() {
    for hazard in Hazard::ALL {
        assert_eq!(Hazard::from_key(hazard.key()), Some(hazard));
        assert!(!hazard.event_zh().is_empty() && !hazard.event_en().is_empty());
        assert!(crate::domain::cap::Category::from_cap(hazard.category()).is_some(), "{}", hazard.category());
    }
}
