//! What a resident sees of the warnings in force: one card per warning in the resident's
//! language, those concerning their places first, most serious and most urgent first. Pure:
//! the server renders it, the browser will re-run it for places kept on the phone.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use super::{
    cap::{Alert, ColourLevel, Severity, Urgency},
    matching::{Coverage, DivisionShapes, Place, concerns},
};

/// One warning as the home page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WarningCard {
    /// The stored alert's id (`/alerts/{id}`).
    pub id: i64,
    pub colour: Option<ColourLevel>,
    pub severity: Severity,
    pub urgency: Urgency,
    pub event: String,
    pub headline: Option<String>,
    pub instruction: Option<String>,
    /// The areas' descriptions, joined.
    pub area: String,
    pub expires: Option<DateTime<FixedOffset>>,
    pub sent: DateTime<FixedOffset>,
    pub sender_name: Option<String>,
    /// The language of the text shown; differs from the resident's when the warning has no
    /// `info` in it.
    pub language: String,
    pub in_residents_language: bool,
    /// Why it concerns the resident's places (`None` in "elsewhere in the city").
    pub coverage: Option<Coverage>,
}

/// The warnings in force, split by the resident's places.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ArrangedWarnings {
    /// Concerning at least one of the places, most serious first.
    pub for_places: Vec<WarningCard>,
    /// All the others in force in the city.
    pub elsewhere: Vec<WarningCard>,
}

/// Builds the cards of `alerts` (id, alert) for a resident reading `lang` with `places`.
pub fn arrange(
    alerts: &[(i64, Alert)],
    places: &[Place],
    lang: &str,
    boundaries: &impl DivisionShapes,
) -> ArrangedWarnings {
    let mut arranged = ArrangedWarnings::default();
    for (id, alert) in alerts {
        let Some(card) = card(*id, alert, lang) else { continue };
        let coverage = places.iter().find_map(|place| concerns(alert, place, boundaries));
        match coverage {
            Some(coverage) => arranged.for_places.push(WarningCard { coverage: Some(coverage), ..card }),
            None => arranged.elsewhere.push(card),
        }
    }
    for list in [&mut arranged.for_places, &mut arranged.elsewhere] {
        list.sort_by(|a, b| {
            (level_rank(a), urgency_rank(a.urgency), std::cmp::Reverse(a.sent)).cmp(&(
                level_rank(b),
                urgency_rank(b.urgency),
                std::cmp::Reverse(b.sent),
            ))
        });
    }
    arranged
}

/// The card of one alert in `lang` (its `info` in that language, else its first).
pub fn card(id: i64, alert: &Alert, lang: &str) -> Option<WarningCard> {
    let info = alert.info_for(lang)?;
    let primary = lang.split('-').next().unwrap_or(lang);
    let area = info
        .areas
        .iter()
        .map(|a| a.area_desc.trim())
        .filter(|d| !d.is_empty())
        .collect::<Vec<_>>()
        .join("、");
    Some(WarningCard {
        id,
        colour: info.colour,
        severity: info.severity,
        urgency: info.urgency,
        event: info.event.clone(),
        headline: info.headline.clone(),
        instruction: info.instruction.clone(),
        area,
        expires: info.expires,
        sent: alert.sent,
        sender_name: info.sender_name.clone(),
        language: info.language.clone(),
        in_residents_language: info
            .language
            .split('-')
            .next()
            .is_some_and(|p| p.eq_ignore_ascii_case(primary)),
        coverage: None,
    })
}

/// The item of `items` in `lang`: the same tag, else the same primary language (`zh` for
/// `zh-CN`), else the first; as CAP readers choose among an alert's `info` blocks.
pub fn in_language<'a, T>(items: &'a [T], lang: &str, language_of: impl Fn(&T) -> &str) -> Option<&'a T> {
    let primary = lang.split('-').next().unwrap_or(lang);
    items
        .iter()
        .find(|item| language_of(item).eq_ignore_ascii_case(lang))
        .or_else(|| {
            items.iter().find(|item| {
                language_of(item).split('-').next().is_some_and(|p| p.eq_ignore_ascii_case(primary))
            })
        })
        .or_else(|| items.first())
}

/// 0 is the most serious: the colour level where there is one, else CAP severity.
fn level_rank(card: &WarningCard) -> u8 {
    match (card.colour, card.severity) {
        (Some(ColourLevel::Red), _) | (None, Severity::Extreme) => 0,
        (Some(ColourLevel::Orange), _) | (None, Severity::Severe) => 1,
        (Some(ColourLevel::Yellow), _) | (None, Severity::Moderate) => 2,
        (Some(ColourLevel::Blue), _) | (None, Severity::Minor) => 3,
        (None, Severity::Unknown) => 4,
    }
}

fn urgency_rank(urgency: Urgency) -> u8 {
    match urgency {
        Urgency::Immediate => 0,
        Urgency::Expected => 1,
        Urgency::Future => 2,
        Urgency::Unknown => 3,
        Urgency::Past => 4,
    }
}

#[cfg(test)]
#[path = "warnings_tests.rs"]
mod tests;
