//! Writing a warning in the staff console: the form a publisher fills in,
//! its checks (each problem names its field), and the CAP 1.2 message it becomes, with a
//! GB/T 35965.1 identifier. Pure: the server stores drafts, runs the two-person rule and hands
//! the message to the same ingest as the city feed.

use chrono::{DateTime, FixedOffset, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use super::divisions::jingdezhen;
pub use super::hazards::Hazard;
use super::{
    cap::{ColourLevel, Status},
    geo::DivisionCode,
};

/// What a publisher typed, as posted: every field a string, so a refused form comes back with
/// exactly what was typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WarningForm {
    /// Actual | Exercise | Test.
    pub status: String,
    pub hazard: String,
    /// red | orange | yellow | blue.
    pub level: String,
    /// 12-digit division codes (districts, townships, villages), ticked or typed.
    pub divisions: Vec<String>,
    /// `lat,lon lat,lon …` (CAP's polygon, first point repeated last), optional.
    pub polygon: String,
    /// `lat,lon radius_km` (CAP's circle), optional.
    pub circle: String,
    pub headline_zh: String,
    pub description_zh: String,
    pub instruction_zh: String,
    pub headline_en: String,
    pub description_en: String,
    pub instruction_en: String,
    /// `YYYY-MM-DDTHH:MM` in China time (the datetime-local input), optional: now.
    pub onset: String,
    /// `YYYY-MM-DDTHH:MM` in China time.
    pub expires: String,
}

/// A problem with one field of the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldProblem {
    pub field: String,
    /// A `compose-error-*` message.
    pub message_id: String,
}

/// A warning whose form passed every check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComposedWarning {
    pub status: Status,
    pub hazard: Hazard,
    pub level: ColourLevel,
    pub divisions: Vec<DivisionCode>,
    pub polygon: Option<String>,
    pub circle: Option<String>,
    pub zh: Texts,
    pub en: Option<Texts>,
    pub onset: DateTime<Utc>,
    pub expires: DateTime<Utc>,
}

/// The words of one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Texts {
    pub headline: String,
    pub description: String,
    pub instruction: String,
}

mod message;
#[cfg(feature = "ssr")]
pub use message::cap_xml;
pub use message::{CapHeader, cancel_xml, cap_time, gbt_identifier, is_unit_code};

/// The longest headline: what a phone's notification shows without cutting.
pub const MAX_HEADLINE_CHARS: usize = 120;
/// The longest description or instruction.
pub const MAX_TEXT_CHARS: usize = 4_000;
/// The longest a warning may be in force before it must be renewed by an Update.
pub const MAX_DURATION_DAYS: i64 = 14;

pub(super) fn china() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8")
}

/// A datetime-local value (`YYYY-MM-DDTHH:MM`, China time).
pub fn parse_local_time(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    let naive = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S"))
        .ok()?;
    naive.and_local_timezone(china()).single().map(|t| t.to_utc())
}

/// `at` as a datetime-local value.
pub fn local_time_value(at: DateTime<Utc>) -> String {
    at.with_timezone(&china()).format("%Y-%m-%dT%H:%M").to_string()
}

/// The word that confirms a live warning of `level` (typed by the publisher and the approver).
pub fn confirm_words(level: ColourLevel) -> [&'static str; 2] {
    match level {
        ColourLevel::Red => ["红色", "red"],
        ColourLevel::Orange => ["橙色", "orange"],
        ColourLevel::Yellow => ["黄色", "yellow"],
        ColourLevel::Blue => ["蓝色", "blue"],
    }
}

/// Whether `typed` confirms `level`: its Chinese colour (红色 or 红) or English name, any case.
pub fn confirms(level: ColourLevel, typed: &str) -> bool {
    let typed = typed.trim();
    let [zh, en] = confirm_words(level);
    typed == zh || typed == zh.trim_end_matches('色') || typed.eq_ignore_ascii_case(en)
}

#[cfg(feature = "ssr")]
fn text(value: &str, max: usize) -> Result<Option<String>, &'static str> {
    let value = value.trim();
    if value.is_empty() {
        Ok(None)
    } else if value.chars().count() > max {
        Err("compose-error-too-long")
    } else {
        Ok(Some(value.to_owned()))
    }
}

#[cfg(feature = "ssr")]
fn points(text: &str) -> Option<Vec<(f64, f64)>> {
    text.split_whitespace()
        .map(|pair| {
            let (lat, lon) = pair.split_once(',')?;
            let (lat, lon): (f64, f64) = (lat.trim().parse().ok()?, lon.trim().parse().ok()?);
            ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)).then_some((lat, lon))
        })
        .collect()
}

#[cfg(feature = "ssr")]
fn add(problems: &mut Vec<FieldProblem>, field: &'static str, message_id: &'static str) {
    problems.push(FieldProblem { field: field.to_owned(), message_id: message_id.to_owned() });
}

/// Checks the form at `now`: the warning, or every problem found (each once per field).
#[cfg(feature = "ssr")]
pub fn check(form: &WarningForm, now: DateTime<Utc>) -> Result<ComposedWarning, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let status = match form.status.as_str() {
        "Actual" => Some(Status::Actual),
        "Exercise" => Some(Status::Exercise),
        "Test" => Some(Status::Test),
        _ => None,
    };
    if status.is_none() {
        add(&mut problems, "status", "compose-error-status");
    }
    let hazard = Hazard::from_key(&form.hazard);
    if hazard.is_none() {
        add(&mut problems, "hazard", "compose-error-hazard");
    }
    let level = ColourLevel::ALL.into_iter().find(|level| level.as_str() == form.level);
    if level.is_none() {
        add(&mut problems, "level", "compose-error-level");
    }
    let mut divisions = Vec::new();
    for code in form.divisions.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
        match DivisionCode::parse(code).filter(|code| jingdezhen().get(code).is_some()) {
            Some(code) if !divisions.contains(&code) => divisions.push(code),
            Some(_) => {}
            None => {
                add(&mut problems, "divisions", "compose-error-division");
                break;
            }
        }
    }
    let polygon = match points(&form.polygon) {
        _ if form.polygon.trim().is_empty() => None,
        Some(points) if points.len() >= 4 && points.first() == points.last() => {
            Some(points.iter().map(|(lat, lon)| format!("{lat},{lon}")).collect::<Vec<_>>().join(" "))
        }
        _ => {
            add(&mut problems, "polygon", "compose-error-polygon");
            None
        }
    };
    let circle = match form.circle.split_whitespace().collect::<Vec<_>>().as_slice() {
        [] => None,
        [centre, radius] => match (points(centre), radius.parse::<f64>()) {
            (Some(centre), Ok(radius)) if centre.len() == 1 && radius > 0.0 && radius <= 200.0 => {
                Some(format!("{},{} {radius}", centre[0].0, centre[0].1))
            }
            _ => {
                add(&mut problems, "circle", "compose-error-circle");
                None
            }
        },
        _ => {
            add(&mut problems, "circle", "compose-error-circle");
            None
        }
    };
    let area_problem =
        problems.iter().any(|p| matches!(p.field.as_str(), "divisions" | "polygon" | "circle"));
    if divisions.is_empty() && polygon.is_none() && circle.is_none() && !area_problem {
        add(&mut problems, "divisions", "compose-error-no-area");
    }
    let texts = |problems: &mut Vec<FieldProblem>, fields: [(&'static str, &str); 3], required: bool| {
        let mut values = Vec::new();
        for (index, (field, value)) in fields.into_iter().enumerate() {
            let max = if index == 0 { MAX_HEADLINE_CHARS } else { MAX_TEXT_CHARS };
            match text(value, max) {
                Ok(Some(value)) => values.push(value),
                Ok(None) if required => add(problems, field, "compose-error-required"),
                Ok(None) => {}
                Err(message_id) => add(problems, field, message_id),
            }
        }
        values
    };
    let zh = texts(
        &mut problems,
        [
            ("headline_zh", &form.headline_zh),
            ("description_zh", &form.description_zh),
            ("instruction_zh", &form.instruction_zh),
        ],
        true,
    );
    let any_en =
        [&form.headline_en, &form.description_en, &form.instruction_en].iter().any(|v| !v.trim().is_empty());
    let en = texts(
        &mut problems,
        [
            ("headline_en", &form.headline_en),
            ("description_en", &form.description_en),
            ("instruction_en", &form.instruction_en),
        ],
        any_en,
    );
    let onset = if form.onset.trim().is_empty() { Some(now) } else { parse_local_time(&form.onset) };
    if onset.is_none() {
        add(&mut problems, "onset", "compose-error-time");
    }
    let expires = parse_local_time(&form.expires);
    match (onset, expires) {
        (_, None) => add(&mut problems, "expires", "compose-error-time"),
        (_, Some(expires)) if expires <= now => add(&mut problems, "expires", "compose-error-expired"),
        (Some(onset), Some(expires)) if expires <= onset => {
            add(&mut problems, "expires", "compose-error-before-onset")
        }
        (Some(onset), Some(expires)) if expires - onset > chrono::Duration::days(MAX_DURATION_DAYS) => {
            add(&mut problems, "expires", "compose-error-too-long-in-force")
        }
        _ => {}
    }
    match (status, hazard, level, onset, expires) {
        (Some(status), Some(hazard), Some(level), Some(onset), Some(expires)) if problems.is_empty() => {
            let [headline, description, instruction]: [String; 3] = zh.try_into().map_err(|_| Vec::new())?;
            let zh = Texts { headline, description, instruction };
            let en = <[String; 3]>::try_from(en).ok().map(|[headline, description, instruction]| Texts {
                headline,
                description,
                instruction,
            });
            Ok(ComposedWarning { status, hazard, level, divisions, polygon, circle, zh, en, onset, expires })
        }
        _ => Err(problems),
    }
}

#[cfg(all(test, feature = "ssr"))]
#[path = "compose_tests.rs"]
mod tests;
