//! Who is notified of a warning: a subscription is notified when the warning concerns one of
//! its places (the same rule as the pages, [`concerns`]) and the warning's level is one the
//! resident chose. Pure, so the fan-out, its benchmark and the settings page agree.

use std::collections::HashMap;

use chrono::DateTime;

use super::{
    cap::{Alert, ColourLevel, Severity},
    matching::{DivisionShapes, concerns},
    places::decode_places,
};

/// The level of a warning for notifying: its colour, else its CAP severity read as a colour
/// (Extreme → red, Severe → orange, Moderate → yellow, else blue) so that no warning escapes a
/// resident's choice by having no colour.
pub fn notify_level(colour: Option<ColourLevel>, severity: Severity) -> ColourLevel {
    colour.unwrap_or(match severity {
        Severity::Extreme => ColourLevel::Red,
        Severity::Severe => ColourLevel::Orange,
        Severity::Moderate => ColourLevel::Yellow,
        Severity::Minor | Severity::Unknown => ColourLevel::Blue,
    })
}

/// The levels a resident wants to be notified of (Settings). All four unless they chose less.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NotifyLevels(u8);

impl Default for NotifyLevels {
    fn default() -> Self {
        NotifyLevels::ALL
    }
}

impl NotifyLevels {
    pub const ALL: NotifyLevels = NotifyLevels(0b1111);
    pub const NONE: NotifyLevels = NotifyLevels(0);

    fn bit(level: ColourLevel) -> u8 {
        match level {
            ColourLevel::Red => 1,
            ColourLevel::Orange => 2,
            ColourLevel::Yellow => 4,
            ColourLevel::Blue => 8,
        }
    }

    pub fn contains(self, level: ColourLevel) -> bool {
        self.0 & NotifyLevels::bit(level) != 0
    }

    pub fn with(self, level: ColourLevel) -> NotifyLevels {
        NotifyLevels(self.0 | NotifyLevels::bit(level))
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// `red,orange,yellow,blue` (most serious first), as stored and as the form sends it.
    pub fn to_text(self) -> String {
        ColourLevel::ALL
            .iter()
            .filter(|l| self.contains(**l))
            .map(|l| l.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }

    /// Reads [`NotifyLevels::to_text`]; unknown names are an error (`None`), blanks are skipped.
    pub fn parse(text: &str) -> Option<NotifyLevels> {
        text.split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .try_fold(NotifyLevels::NONE, |levels, name| {
                ColourLevel::ALL.iter().find(|l| l.as_str() == name).map(|l| levels.with(*l))
            })
    }
}

/// Decides, for one warning, which stored subscriptions it concerns. Subscriptions keep their
/// places in the saved-places cookie's form (`~`-separated), and a city has few distinct places
/// (782 divisions, some thousands of ~1 km cells), so each distinct place is judged once per
/// warning: a million subscriptions cost a hash lookup or two each.
pub struct WarningTargets<'a, B: DivisionShapes> {
    alert: &'a Alert,
    level: Option<ColourLevel>,
    boundaries: &'a B,
    judged: HashMap<String, bool>,
}

impl<'a, B: DivisionShapes> WarningTargets<'a, B> {
    pub fn new(alert: &'a Alert, boundaries: &'a B) -> Self {
        let level = alert.infos.first().map(|info| notify_level(info.colour, info.severity));
        WarningTargets { alert, level, boundaries, judged: HashMap::new() }
    }

    /// Whether a subscription with these places (cookie form) and levels is to be notified.
    pub fn concerns(&mut self, places: &str, levels: NotifyLevels) -> bool {
        if !self.level.is_some_and(|level| levels.contains(level)) {
            return false;
        }
        places.split('~').filter(|entry| !entry.is_empty()).any(|entry| self.concerns_entry(entry))
    }

    /// One entry of a place list (a division code or a cell), judged once per warning.
    fn concerns_entry(&mut self, entry: &str) -> bool {
        if let Some(known) = self.judged.get(entry) {
            return *known;
        }
        let decided =
            decode_places(entry).iter().any(|place| concerns(self.alert, place, self.boundaries).is_some());
        self.judged.insert(entry.to_owned(), decided);
        decided
    }
}

/// The warning a message belongs to, as `(sender, identifier)`: the oldest message it
/// references (an Update or Cancel names the original), else itself. Notifications of one
/// warning share a tag derived from it, so an Update replaces the first notification.
pub fn warning_root(alert: &Alert) -> (String, String) {
    let dated =
        alert.references.iter().filter_map(|r| Some((DateTime::parse_from_rfc3339(r.sent.trim()).ok()?, r)));
    dated.min_by_key(|(sent, _)| *sent).map(|(_, r)| r).or(alert.references.first()).map_or_else(
        || (alert.sender.clone(), alert.identifier.clone()),
        |r| (r.sender.clone(), r.identifier.clone()),
    )
}

#[cfg(test)]
#[path = "notifications_tests.rs"]
mod tests;
