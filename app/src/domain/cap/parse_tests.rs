//! Reading CAP: the Chinese profile, leniency where feeds deviate, errors that name the element.

use super::*;

fn chinese_alert(extra_alert: &str, info: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>36020041600000_20260704103516</identifier>
  <sender>36020041600000</sender>
  <sent>2026-07-04T10:35:16+08:00</sent>
  <status>Actual</status>
  <msgType>Alert</msgType>
  <scope>Public</scope>
  {extra_alert}
  <info>
    <language>zh-CN</language>
    <category>Met</category>
    <event>暴雨</event>
    <urgency>Immediate</urgency>
    <certainty>Likely</certainty>
    {info}
    <area>
      <areaDesc>昌江区、珠山区</areaDesc>
      <geocode><valueName>CPEAS Geographic Code</valueName><value>360202000000</value></geocode>
      <geocode><valueName>GB/T 2260</valueName><value> 360203000000 </value></geocode>
    </area>
  </info>
</alert>"#
    )
}

fn parse(text: &str) -> Result<ParsedAlert, CapError> {
    parse_alert(text.as_bytes(), &ParseOptions::default())
}

#[test]
fn a_chinese_warning_keeps_its_colour_beside_the_mapped_severity() {
    let parsed = parse(&chinese_alert(
        "",
        "<severity>橙色</severity><headline>景德镇市气象台发布暴雨橙色预警</headline>",
    ))
    .expect("valid");
    let info = &parsed.alert.infos[0];
    assert_eq!(info.severity, Severity::Severe);
    assert_eq!(info.colour, Some(ColourLevel::Orange));
    let codes: Vec<_> = info.areas[0].division_codes().collect();
    assert_eq!(codes, ["360202000000", "360203000000"]);
    assert_eq!(parsed.alert.version, CapVersion::V1_2);
}

#[test]
fn a_colour_in_a_parameter_wins_over_the_headline() {
    let info = "<severity>Moderate</severity><headline>暴雨黄色预警</headline>\
                <parameter><valueName>预警级别</valueName><value>蓝色</value></parameter>";
    let parsed = parse(&chinese_alert("", info)).expect("valid");
    assert_eq!(parsed.alert.infos[0].colour, Some(ColourLevel::Blue));
    assert_eq!(parsed.alert.infos[0].severity, Severity::Moderate);
}

#[test]
fn the_colour_mapping_is_configurable() {
    let options = ParseOptions {
        colours: ColourMapping { orange: Severity::Extreme, ..ColourMapping::default() },
        ..ParseOptions::default()
    };
    let text = chinese_alert("", "<severity>橙</severity>");
    let parsed = parse_alert(text.as_bytes(), &options).expect("valid");
    assert_eq!(parsed.alert.infos[0].severity, Severity::Extreme);
}

#[test]
fn a_missing_required_element_is_named_with_its_path() {
    let text = chinese_alert("", "<severity>Severe</severity>").replace("<scope>Public</scope>", "");
    assert_eq!(parse(&text).expect_err("refused"), CapError::Missing { path: "alert/scope".into() });
    let text = chinese_alert("", "");
    assert_eq!(
        parse(&text).expect_err("refused"),
        CapError::Missing { path: "alert/info[1]/severity".into() }
    );
}

#[test]
fn an_unknown_enumeration_value_is_refused_with_the_allowed_ones() {
    let error = parse(&chinese_alert("", "<severity>Catastrophic</severity>")).expect_err("refused");
    let CapError::Invalid { path, reason } = error else { panic!("expected Invalid, got {error:?}") };
    assert_eq!(path, "alert/info[1]/severity");
    assert!(reason.contains("Catastrophic") && reason.contains("Extreme"), "{reason}");
}

#[test]
fn empty_references_are_refused() {
    let error = parse(&chinese_alert("<references/>", "<severity>Severe</severity>")).expect_err("refused");
    assert!(matches!(error, CapError::Invalid { ref path, .. } if path == "alert/references"), "{error:?}");
}

#[test]
fn references_are_read_as_triples() {
    let refs =
        "<references>a@b,ID-1,2026-07-04T08:00:00+08:00 a@b,ID-2,2026-07-04T09:00:00+08:00</references>";
    let parsed = parse(&chinese_alert(refs, "<severity>Severe</severity>")).expect("valid");
    assert_eq!(parsed.alert.references.len(), 2);
    assert_eq!(parsed.alert.references[1].identifier, "ID-2");
}

#[test]
fn times_with_z_and_fractions_are_accepted_and_bad_times_named() {
    let text = chinese_alert("", "<severity>Severe</severity><expires>2026-07-04T12:00:00.5Z</expires>");
    let parsed = parse(&text).expect("valid");
    assert!(parsed.alert.infos[0].expires.is_some());
    let text = chinese_alert("", "<severity>Severe</severity><expires>2026-07-04 12:00</expires>");
    let error = parse(&text).expect_err("refused");
    assert!(
        matches!(error, CapError::Invalid { ref path, .. } if path == "alert/info[1]/expires"),
        "{error:?}"
    );
}

#[test]
fn polygons_tolerate_stray_whitespace_and_unclosed_rings() {
    let text = chinese_alert("", "<severity>Severe</severity>").replace(
        "<areaDesc>",
        "<polygon>\n 29.30, 117.20   29.35,117.25\t29.30,117.30 </polygon><circle>29.3,117.2 5</circle><areaDesc>",
    );
    let parsed = parse(&text).expect("valid");
    let area = &parsed.alert.infos[0].areas[0];
    assert_eq!(area.polygons[0].points.len(), 4);
    assert_eq!(area.polygons[0].points[0], area.polygons[0].points[3]);
    assert_eq!(area.circles[0].radius_km, 5.0);
    assert!(
        parsed.warnings.iter().any(|w| w.contains("polygon[1]") && w.contains("closed")),
        "{:?}",
        parsed.warnings
    );
}

#[test]
fn a_malformed_polygon_is_dropped_with_a_warning_naming_it() {
    let text = chinese_alert("", "<severity>Severe</severity>").replace(
        "<areaDesc>",
        "<polygon>29.3,117.2 95,117.3 29.4,117.2 29.3,117.2</polygon><polygon>29.3,117.2 29.4,117.3)</polygon><areaDesc>",
    );
    let parsed = parse(&text).expect("the warning itself is kept");
    assert!(parsed.alert.infos[0].areas[0].polygons.is_empty());
    assert!(
        parsed
            .warnings
            .iter()
            .any(|w| w.starts_with("alert/info[1]/area[1]/polygon[1]") && w.contains("outside"))
    );
    assert!(
        parsed
            .warnings
            .iter()
            .any(|w| w.starts_with("alert/info[1]/area[1]/polygon[2]") && w.contains("not a number"))
    );
}

#[test]
fn a_longitude_just_past_the_antimeridian_is_wrapped() {
    let text = chinese_alert("", "<severity>Severe</severity>").replace(
        "<areaDesc>",
        "<polygon>-21.3,-180.005 -21.4,179.9 -21.5,179.9 -21.3,-180.005</polygon><areaDesc>",
    );
    let parsed = parse(&text).expect("valid");
    let lon = parsed.alert.infos[0].areas[0].polygons[0].points[0].lon;
    assert!((lon - 179.995).abs() < 1e-9, "{lon}");
}

#[test]
fn a_missing_category_is_refused_like_every_required_element() {
    let text = chinese_alert("", "<severity>Severe</severity>").replace("<category>Met</category>", "");
    assert_eq!(
        parse(&text).expect_err("refused"),
        CapError::Missing { path: "alert/info[1]/category".into() }
    );
}

#[test]
fn cap_1_1_is_read_and_upgraded() {
    let text = chinese_alert("", "<severity>Severe</severity>")
        .replace("cap:1.2", "cap:1.1")
        .replace("<certainty>Likely</certainty>", "<certainty>Very Likely</certainty>");
    let parsed = parse(&text).expect("valid");
    assert_eq!(parsed.alert.version, CapVersion::V1_1);
    assert_eq!(parsed.alert.infos[0].certainty, Certainty::Likely);
}

#[test]
fn an_identifier_with_a_space_is_refused() {
    let text = chinese_alert("", "<severity>Severe</severity>")
        .replace("<identifier>36020041600000_20260704103516", "<identifier>3602 0041");
    let error = parse(&text).expect_err("refused");
    assert!(matches!(error, CapError::Invalid { ref path, .. } if path == "alert/identifier"), "{error:?}");
}

#[test]
fn something_else_than_an_alert_is_refused_by_name() {
    assert_eq!(parse("<feed/>").expect_err("refused"), CapError::NotCap("feed".into()));
}

#[test]
fn the_info_in_the_residents_language_is_found_by_prefix() {
    let mut alert = parse(&chinese_alert("", "<severity>Severe</severity>")).expect("valid").alert;
    let mut english = alert.infos[0].clone();
    english.language = "en-US".into();
    english.event = "Rainstorm".into();
    alert.infos.push(english);
    assert_eq!(alert.info_for("en").map(|i| i.event.as_str()), Some("Rainstorm"));
    assert_eq!(alert.info_for("zh-CN").map(|i| i.event.as_str()), Some("暴雨"));
    assert_eq!(alert.info_for("fr").map(|i| i.event.as_str()), Some("暴雨"));
}
