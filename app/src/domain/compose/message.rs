//! The CAP 1.2 messages the console sends: the envelope, a warning's `info` per language, a
//! Cancel of a released one, and GB/T 35965.1 identifiers.

use chrono::{DateTime, Utc};

use super::china;
#[cfg(feature = "ssr")]
use super::{ComposedWarning, Texts, confirm_words, jingdezhen};
use crate::domain::cap::{MsgType, Status, escape_xml as escape};

/// The CAP envelope of a message the console sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CapHeader {
    pub identifier: String,
    pub sender: String,
    /// `senderName` in each language: (zh, en).
    pub sender_name: (String, String),
    pub sent: DateTime<Utc>,
    pub msg_type: MsgType,
    /// `sender,identifier,sent` of the message this one updates or cancels.
    pub references: Option<String>,
}

/// A GB/T 35965.1 identifier: `ZZZZZZDDDUUUXX_YYYYMMDDhhmmss_N` — the 14-character code of
/// the issuing unit, the time of entry in Beijing time, and a sequence digit for messages of
/// one unit in one second.
pub fn gbt_identifier(unit_code: &str, at: DateTime<Utc>, sequence: u8) -> String {
    format!("{unit_code}_{}_{}", at.with_timezone(&china()).format("%Y%m%d%H%M%S"), sequence % 10)
}

/// Whether `code` is a 14-digit issuing-unit code (6-digit division, 3-digit institution
/// code, 3-digit internal code, 2-digit extension).
pub fn is_unit_code(code: &str) -> bool {
    code.len() == 14 && code.bytes().all(|b| b.is_ascii_digit())
}

/// CAP's time form: `2026-12-01T08:30:00+08:00` (China time, no fractions).
pub fn cap_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&china()).format("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

/// The message: one `info` per language, the colour as the Chinese profile's `预警级别`
/// parameter and as its severity.
#[cfg(feature = "ssr")]
pub fn cap_xml(warning: &ComposedWarning, header: &CapHeader, severity: &str) -> String {
    let divisions = jingdezhen();
    let area_desc_zh = warning
        .divisions
        .iter()
        .filter_map(|code| divisions.full_name(code))
        .chain(warning.polygon.iter().chain(&warning.circle).map(|_| "地图所示范围".to_owned()))
        .collect::<Vec<_>>()
        .join("、");
    let area_desc_en = if warning.divisions.is_empty() {
        "The area shown on the map".to_owned()
    } else {
        format!("{} (see the list of places)", area_desc_zh)
    };
    let shapes = warning
        .polygon
        .iter()
        .map(|p| format!("<polygon>{p}</polygon>"))
        .chain(warning.circle.iter().map(|c| format!("<circle>{c}</circle>")))
        .chain(warning.divisions.iter().map(|code| {
            format!(
                "<geocode><valueName>CPEAS Geographic Code</valueName><value>{}</value></geocode>",
                code.as_str()
            )
        }))
        .collect::<String>();
    let [colour_zh, _] = confirm_words(warning.level);
    let urgency = "Expected";
    let info = |lang: &str, event: &str, sender_name: &str, texts: &Texts, area_desc: &str| {
        format!(
            "<info><language>{lang}</language><category>{category}</category><event>{event}</event>\
             <urgency>{urgency}</urgency><severity>{severity}</severity><certainty>Likely</certainty>\
             <onset>{onset}</onset><expires>{expires}</expires><senderName>{sender_name}</senderName>\
             <headline>{headline}</headline><description>{description}</description>\
             <instruction>{instruction}</instruction>\
             <parameter><valueName>预警级别</valueName><value>{colour_zh}</value></parameter>\
             <area><areaDesc>{area_desc}</areaDesc>{shapes}</area></info>",
            category = warning.hazard.category(),
            event = escape(event),
            onset = cap_time(warning.onset),
            expires = cap_time(warning.expires),
            sender_name = escape(sender_name),
            headline = escape(&texts.headline),
            description = escape(&texts.description),
            instruction = escape(&texts.instruction),
            area_desc = escape(area_desc),
        )
    };
    let mut infos =
        info("zh-CN", warning.hazard.event_zh(), &header.sender_name.0, &warning.zh, &area_desc_zh);
    if let Some(en) = &warning.en {
        infos.push_str(&info("en-US", warning.hazard.event_en(), &header.sender_name.1, en, &area_desc_en));
    }
    envelope(header, warning.status, &infos)
}

/// The `<alert>` around `infos`.
fn envelope(header: &CapHeader, status: Status, infos: &str) -> String {
    let references = header
        .references
        .as_ref()
        .map(|r| format!("<references>{}</references>", escape(r)))
        .unwrap_or_default();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\">\
         <identifier>{identifier}</identifier><sender>{sender}</sender><sent>{sent}</sent>\
         <status>{status}</status><msgType>{msg_type}</msgType><scope>Public</scope>{references}{infos}</alert>",
        identifier = escape(&header.identifier),
        sender = escape(&header.sender),
        sent = cap_time(header.sent),
        status = status.as_str(),
        msg_type = header.msg_type.as_str(),
    )
}

/// A Cancel of a released message: its `references` name it; one `info` per language says it
/// is cancelled, keeping the event and the area so that every channel can say which warning
/// ended.
pub fn cancel_xml(original: &crate::domain::cap::Alert, header: &CapHeader) -> String {
    let infos = original
        .infos
        .iter()
        .map(|info| {
            let zh = info.language.starts_with("zh");
            let headline = info.headline.clone().unwrap_or_else(|| info.event.clone());
            let (headline, description) = if zh {
                (format!("【已取消】{headline}"), "此预警已取消，请以最新发布为准。")
            } else {
                (format!("CANCELLED: {headline}"), "This warning has been cancelled.")
            };
            let area_desc = info.areas.iter().map(|a| a.area_desc.as_str()).collect::<Vec<_>>().join("、");
            format!(
                "<info><language>{lang}</language><category>{category}</category><event>{event}</event>\
                 <urgency>Past</urgency><severity>Minor</severity><certainty>Observed</certainty>\
                 <senderName>{sender_name}</senderName><headline>{headline}</headline>\
                 <description>{description}</description><area><areaDesc>{area_desc}</areaDesc></area></info>",
                lang = escape(&info.language),
                category = info.categories.first().map_or("Other", |c| c.as_str()),
                event = escape(&info.event),
                sender_name = escape(if zh { &header.sender_name.0 } else { &header.sender_name.1 }),
                headline = escape(&headline),
                description = escape(description),
                area_desc = escape(if area_desc.is_empty() { "-" } else { &area_desc }),
            )
        })
        .collect::<String>();
    envelope(header, original.status, &infos)
}
