//! Emergency shelters (应急避难场所): the register's model after GB/T 44013-2024 《应急避难场所
//! 分级及分类》 (five levels; indoor or outdoor; comprehensive or single-purpose; emergency,
//! short-term or long-term stay), each shelter's facilities and the hazards it suits, its live
//! state as volunteers report it, and the rules the pages use: is it open, has it room, is the
//! report fresh, which are nearest. Pure: the server stores, imports and serves them.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::{cap::Point, geo::DivisionCode, hazards::Hazard};

/// Declares a closed set of words with the key each has in files and forms.
macro_rules! keyed {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $key:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The key in import files, the API and forms.
            pub fn key(self) -> &'static str {
                match self { $($name::$variant => $key),+ }
            }

            pub fn from_key(key: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.key() == key.trim())
            }
        }
    };
}

keyed! {
    /// GB/T 44013-2024's five levels.
    ShelterLevel {
        /// 省级
        Province = "province",
        /// 市级
        City = "city",
        /// 县级
        County = "county",
        /// 乡镇（街道）级
        Township = "township",
        /// 村（社区）级
        Village = "village",
    }
}

keyed! {
    /// 室内型 / 室外型.
    SpaceType { Indoor = "indoor", Outdoor = "outdoor" }
}

keyed! {
    /// 综合性 / 单一性（含特定）: for many hazards, or for one (or a special purpose).
    Purpose { Comprehensive = "comprehensive", Single = "single" }
}

keyed! {
    /// 紧急 / 短期 / 长期. The standard's day counts are not repeated here: its text was not at
    /// hand, and a wrong figure is worse than none.
    Stay { Emergency = "emergency", ShortTerm = "short-term", LongTerm = "long-term" }
}

keyed! {
    /// What a shelter offers.
    Facility {
        DrinkingWater = "drinking-water",
        Power = "power",
        Toilets = "toilets",
        MedicalPoint = "medical-point",
        Food = "food",
        AccessibleEntrance = "accessible-entrance",
        PetsAllowed = "pets-allowed",
        SleepingPlaces = "sleeping-places",
    }
}

keyed! {
    /// A shelter's state as last reported.
    ShelterState { Open = "open", Full = "full", Closed = "closed", Unknown = "unknown" }
}

/// A shelter's own id in the register: what makes an import idempotent. Letters, digits, `-`,
/// `_` and `.`, 1 to 64 of them (safe in a URL path as it is).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ShelterId(String);

impl ShelterId {
    pub fn parse(text: &str) -> Option<ShelterId> {
        let text = text.trim();
        let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
        (!text.is_empty() && text.len() <= 64 && text.chars().all(allowed) && !text.starts_with('.'))
            .then(|| ShelterId(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One shelter of the register.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Shelter {
    pub id: ShelterId,
    pub name_zh: String,
    pub name_en: Option<String>,
    pub level: ShelterLevel,
    pub space: SpaceType,
    pub purpose: Purpose,
    pub stay: Stay,
    /// Persons it can take.
    pub capacity: u32,
    /// Usable area, m².
    pub area_m2: u32,
    /// Sorted, each once.
    pub facilities: Vec<Facility>,
    /// The hazards it is suitable for (e.g. not floods when it lies low); sorted, each once.
    pub hazards: Vec<Hazard>,
    pub address_zh: String,
    pub address_en: Option<String>,
    /// The division it lies in (9 or 12 digits).
    pub division: DivisionCode,
    /// WGS-84.
    pub position: Point,
    /// A phone number or other contact.
    pub contact: Option<String>,
    /// Opening hours as the register words them ("24 小时", "汛期开放").
    pub hours: String,
    /// Sample data, not the bureau's register: shown as such wherever it appears.
    pub sample: bool,
    /// How the position was obtained (e.g. "approximate, from the place's published address").
    pub position_source: Option<String>,
}

/// A problem with one field of a shelter: the field's name and a message id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShelterProblem {
    pub field: &'static str,
    pub message_id: &'static str,
}

/// Names, addresses and contacts beyond this are not a register's words.
const MAX_TEXT: usize = 200;

impl Shelter {
    /// Every problem with the shelter's values; empty when it can be stored.
    pub fn problems(&self) -> Vec<ShelterProblem> {
        let mut problems = Vec::new();
        let mut add = |field, message_id| problems.push(ShelterProblem { field, message_id });
        let too_long = |text: &str| text.chars().count() > MAX_TEXT;
        if self.name_zh.trim().is_empty() {
            add("name_zh", "shelters-error-required");
        }
        if self.address_zh.trim().is_empty() {
            add("address_zh", "shelters-error-required");
        }
        for (field, text) in [
            ("name_zh", Some(&self.name_zh)),
            ("name_en", self.name_en.as_ref()),
            ("address_zh", Some(&self.address_zh)),
            ("address_en", self.address_en.as_ref()),
            ("contact", self.contact.as_ref()),
            ("hours", Some(&self.hours)),
            ("position_source", self.position_source.as_ref()),
        ] {
            if text.is_some_and(|t| too_long(t)) {
                add(field, "shelters-error-too-long");
            }
        }
        if self.capacity == 0 {
            add("capacity", "shelters-error-capacity");
        }
        if self.area_m2 == 0 {
            add("area_m2", "shelters-error-area");
        }
        let Point { lat, lon } = self.position;
        if !(lat.is_finite() && lon.is_finite() && super::datum::in_china(self.position)) {
            add("position", "shelters-error-position");
        }
        problems
    }

    pub fn has(&self, facility: Facility) -> bool {
        self.facilities.contains(&facility)
    }

    pub fn suits(&self, hazard: Hazard) -> bool {
        self.hazards.contains(&hazard)
    }

    /// The name in `english` or else Chinese.
    pub fn name(&self, english: bool) -> &str {
        match (&self.name_en, english) {
            (Some(name), true) if !name.trim().is_empty() => name,
            _ => &self.name_zh,
        }
    }
}

/// A shelter's state as last reported, by whom and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShelterStatus {
    pub state: ShelterState,
    /// Persons in it now, when counted.
    pub occupancy: Option<u32>,
    pub updated_at: DateTime<Utc>,
    /// The volunteer's login name, or where the state came from (`import`).
    pub updated_by: String,
}

/// A report older than this is shown as possibly out of date, unless the server is configured
/// otherwise (`shelter_stale_hours`): during a flood a shelter can fill in an afternoon. (A
/// product rule of this app, not a figure of the standard.)
pub const STALE_AFTER: Duration = Duration::hours(6);

/// When a list is made, and how old a report may be before it is shown as possibly out of
/// date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Freshness {
    pub now: DateTime<Utc>,
    pub stale_after: Duration,
}

impl Freshness {
    /// At `now`, with the default age [`STALE_AFTER`].
    pub fn at(now: DateTime<Utc>) -> Freshness {
        Freshness { now, stale_after: STALE_AFTER }
    }
}

/// What a resident can rely on now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Availability {
    pub state: ShelterState,
    /// Open and not reported full: counted below capacity, or not counted.
    pub has_room: bool,
    /// Places left, when counted.
    pub places_left: Option<u32>,
    /// The report is older than the configured age, by default [`STALE_AFTER`] (or there is
    /// none).
    pub stale: bool,
}

/// The shelter's availability at `when.now` from its last report (none: unknown).
pub fn availability(shelter: &Shelter, status: Option<&ShelterStatus>, when: Freshness) -> Availability {
    let Some(status) = status else {
        return Availability {
            state: ShelterState::Unknown,
            has_room: false,
            places_left: None,
            stale: true,
        };
    };
    let places_left = status.occupancy.map(|o| shelter.capacity.saturating_sub(o));
    Availability {
        state: status.state,
        has_room: status.state == ShelterState::Open && places_left != Some(0),
        places_left,
        stale: when.now - status.updated_at > when.stale_after,
    }
}

/// A volunteer's report, checked: occupancy cannot be negative (a `u32`), and a count far
/// beyond the capacity is a typing slip, not a crowd (ten times the capacity).
pub fn check_report(
    shelter: &Shelter,
    state: ShelterState,
    occupancy: Option<u32>,
) -> Result<(), ShelterProblem> {
    match occupancy {
        Some(count) if u64::from(count) > u64::from(shelter.capacity) * 10 => {
            Err(ShelterProblem { field: "occupancy", message_id: "shelters-error-occupancy" })
        }
        _ if state == ShelterState::Unknown => {
            Err(ShelterProblem { field: "state", message_id: "shelters-error-state" })
        }
        _ => Ok(()),
    }
}

/// What a resident asks of the list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShelterFilter {
    pub open_now: bool,
    pub has_room: bool,
    pub accessible: bool,
    pub medical: bool,
    pub indoor: bool,
    /// Suitable for this hazard (e.g. the hazard of a warning in force).
    pub hazard: Option<Hazard>,
}

impl ShelterFilter {
    pub fn admits(&self, shelter: &Shelter, now: &Availability) -> bool {
        (!self.open_now || now.state == ShelterState::Open)
            && (!self.has_room || now.has_room)
            && (!self.accessible || shelter.has(Facility::AccessibleEntrance))
            && (!self.medical || shelter.has(Facility::MedicalPoint))
            && (!self.indoor || shelter.space == SpaceType::Indoor)
            && self.hazard.is_none_or(|hazard| shelter.suits(hazard))
    }
}

/// Walking speed for the time estimate: 4 km/h, slow enough for an elderly walker (a
/// product assumption, stated on the page; the map app gives the real route and time).
pub const WALKING_KM_PER_HOUR: f64 = 4.0;

/// One shelter in a resident's list.
#[derive(Debug, Clone, PartialEq)]
pub struct NearShelter<'a> {
    pub shelter: &'a Shelter,
    pub availability: Availability,
    /// Straight-line distance.
    pub distance_km: f64,
    /// At [`WALKING_KM_PER_HOUR`] along the straight line: a lower bound, rounded up.
    pub walking_minutes: u32,
}

/// The shelters the filter admits, nearest first (ties by id), at most `limit`.
pub fn nearest<'a>(
    register: &'a [(Shelter, Option<ShelterStatus>)],
    from: Point,
    filter: &ShelterFilter,
    when: Freshness,
    limit: usize,
) -> Vec<NearShelter<'a>> {
    let mut near: Vec<NearShelter<'a>> = register
        .iter()
        .filter_map(|(shelter, status)| {
            let availability = availability(shelter, status.as_ref(), when);
            filter.admits(shelter, &availability).then(|| NearShelter {
                shelter,
                availability,
                distance_km: super::geo::distance_km(from, shelter.position),
                walking_minutes: 0,
            })
        })
        .collect();
    let by_distance = |a: &NearShelter<'_>, b: &NearShelter<'_>| {
        a.distance_km.total_cmp(&b.distance_km).then_with(|| a.shelter.id.cmp(&b.shelter.id))
    };
    // The nearest `limit` first (linear), then only those sorted: a list of 10 from a register
    // of thousands sorts 10, not thousands.
    if limit == 0 {
        return Vec::new();
    }
    if near.len() > limit {
        near.select_nth_unstable_by(limit - 1, by_distance);
        near.truncate(limit);
    }
    near.sort_by(by_distance);
    for one in &mut near {
        one.walking_minutes = walking_minutes(one.distance_km);
    }
    near
}

/// Minutes to walk `distance_km` at [`WALKING_KM_PER_HOUR`], rounded up (at least 1).
pub fn walking_minutes(distance_km: f64) -> u32 {
    let minutes = (distance_km / WALKING_KM_PER_HOUR * 60.0).ceil();
    if minutes.is_finite() { minutes.clamp(1.0, f64::from(u32::MAX)) as u32 } else { u32::MAX }
}

/// A boxed future, as trait objects return them.
#[cfg(feature = "ssr")]
pub type RegisterPending<'a, T> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<T, RegisterError>> + Send + 'a>>;

/// Why the register could not be read; pages say shelters are unavailable.
#[cfg(feature = "ssr")]
#[derive(Debug, thiserror::Error)]
#[error("the shelter register could not be read: {0}")]
pub struct RegisterError(#[source] pub Box<dyn std::error::Error + Send + Sync>);

/// Where the register comes from: the server provides an `Arc<dyn SheltersBackend>`, which the
/// shelter pages and the warning page (its nearest shelters) read.
#[cfg(feature = "ssr")]
pub trait SheltersBackend: Send + Sync {
    /// Every shelter with its last report.
    fn register(&self) -> RegisterPending<'_, Vec<(Shelter, Option<ShelterStatus>)>>;
    /// The moment `now` with the server's age for stale reports.
    fn freshness(&self, now: DateTime<Utc>) -> Freshness {
        Freshness::at(now)
    }
}

#[cfg(test)]
#[path = "shelters_tests.rs"]
mod tests;
