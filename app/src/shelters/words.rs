//! A shelter's state and distance in words, in the resident's language: the state is always
//! said (never only a colour), with the places left when counted and how old the report is.

use super::api::ShelterListItem;
use crate::{
    domain::{preferences::Lang, shelters::ShelterState},
    i18n::{translate, translate_with},
};

/// "Open · about 60 places left · reported 2 h ago", or "Full", "Closed", "State unknown";
/// with a warning when the report is old.
pub fn state_words(lang: Lang, item: &ShelterListItem) -> String {
    let mut words = match (item.state, item.places_left) {
        (ShelterState::Open, Some(places)) if item.has_room => {
            translate_with(lang, "shelters-state-open-places", &[("places", places.into())])
        }
        (ShelterState::Open, _) if !item.has_room => translate(lang, "shelters-state-open-counted-full"),
        (ShelterState::Open, _) => translate(lang, "shelters-state-open"),
        (ShelterState::Full, _) => translate(lang, "shelters-state-full"),
        (ShelterState::Closed, _) => translate(lang, "shelters-state-closed"),
        (ShelterState::Unknown, _) => translate(lang, "shelters-state-unknown"),
    };
    if let Some(hours) = item.report_age_hours {
        let age = if hours == 0 {
            translate(lang, "shelters-reported-now")
        } else {
            translate_with(lang, "shelters-reported-hours-ago", &[("hours", hours.into())])
        };
        words.push_str(" · ");
        words.push_str(&age);
    }
    if item.stale && item.report_age_hours.is_some() {
        words.push_str(" · ");
        words.push_str(&translate(lang, "shelters-report-old"));
    }
    words
}

/// "1.2 km in a straight line · about 18 min on foot".
pub fn walking_words(lang: Lang, km: f64, minutes: u32) -> String {
    translate_with(
        lang,
        "shelters-distance",
        &[("km", format!("{km:.1}").into()), ("minutes", minutes.into())],
    )
}
