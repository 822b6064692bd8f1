//! Server functions of the warnings pages: the home page's data for a place (from `?code=`,
//! `?at=` or the saved-places cookie), and saving or forgetting a place. The warnings themselves
//! come from the server's alert store through [`WarningsBackend`], which the server provides as
//! context (the app never depends on the server crate).

use chrono::{DateTime, FixedOffset, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{
    domain::{
        cap::{Certainty, MsgType},
        lifecycle::Lifecycle,
        map::MapView,
        warnings::{ArrangedWarnings, WarningCard},
    },
    error::AppError,
};

/// Everything the home page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HomePage {
    pub warnings: ArrangedWarnings,
    /// The places the page is for, as names ("昌江区 · 鲇鱼山镇"), in order.
    pub places: Vec<PlaceName>,
    /// Whether the places came from the link (`?code=`/`?at=`) rather than the saved ones.
    pub from_link: bool,
    /// The link named a place this city does not have (the page then shows the whole city).
    pub unknown_place: bool,
    pub feed: FeedStatus,
    /// Counties with their townships and streets, for the place picker.
    pub picker: Vec<PickerGroup>,
}

/// A place the page is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaceName {
    /// The place's key for the save/remove forms: the 12-digit division code, or `lat,lon`
    /// rounded to 0.01°.
    pub key: Option<String>,
    /// The division's full name, or "near 珠山区 (29.30, 117.20)" for a point.
    pub name: String,
    /// Whether it is among the saved places.
    pub saved: bool,
}

/// How current the warnings are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedStatus {
    /// When the warning feed last answered (or, with no polled feed, the last message arrived).
    pub last_update: Option<DateTime<Utc>>,
    /// The feed has not answered for longer than it should: warnings may be missing.
    pub stale: bool,
}

/// A county with its townships and streets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PickerGroup {
    pub code: String,
    pub name: String,
    pub townships: Vec<(String, String)>,
}

/// The home page for the place of the link, else the saved places, else none.
#[server]
pub async fn home_warnings(code: Option<String>, at: Option<String>) -> Result<HomePage, AppError> {
    ssr::home_warnings(code, at).await
}

/// One warning with where it stands and its history (Update/Cancel chain), for `/alerts/{id}`:
/// display-ready, in the resident's language where the message has it. The browser receives
/// this, not the CAP model, so the WebAssembly carries no CAP deserializer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WarningDetail {
    pub id: i64,
    /// Level, event, headline, what to do, where, until when, language.
    pub card: WarningCard,
    pub description: Option<String>,
    /// When it takes effect (`effective`, else `sent`).
    pub effective: DateTime<FixedOffset>,
    pub onset: Option<DateTime<FixedOffset>>,
    pub certainty: Certainty,
    /// The sender's name, else its address.
    pub sender: String,
    pub web: Option<String>,
    pub contact: Option<String>,
    pub lifecycle: Lifecycle,
    /// Every message of the same chain, oldest first (this one included).
    pub history: Vec<HistoryEntry>,
    /// The warning's areas on the city's base map (filled in by the page's server function).
    pub map: MapView,
    /// The nearest shelters with room (filled in by the page's server function).
    pub shelters: NearbyShelters,
    /// The library's articles on the warning's hazard (filled in by the page's server function).
    pub reading: Vec<ReadingLink>,
}

/// An article of the safety library on a warning's hazard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadingLink {
    /// The article's address: `/learn/{slug}`.
    pub slug: String,
    pub title: String,
}

/// The shelters nearest a warning's area, or the resident's saved place inside it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NearbyShelters {
    /// Measured from the resident's saved place (else from the warning's area).
    pub from_saved_place: bool,
    /// Open with room and suited to the warning's hazard, nearest first, at most three; empty
    /// when there is no point to measure from or none qualifies.
    pub items: Vec<NearbyShelter>,
    /// The shelter list for this point and hazard, for more.
    pub more: String,
}

/// One shelter near a warning.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NearbyShelter {
    pub id: String,
    pub name: String,
    pub sample: bool,
    pub distance_km: f64,
    pub walking_minutes: u32,
    /// The last report is old (possibly out of date).
    pub stale: bool,
}

/// One message of a warning's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub id: i64,
    pub sent: DateTime<FixedOffset>,
    pub msg_type: MsgType,
    pub headline: Option<String>,
    pub lifecycle: Lifecycle,
}

/// The warning `id`; `None` when there is no such warning for residents.
#[server]
pub async fn load_warning(id: i64) -> Result<Option<WarningDetail>, AppError> {
    ssr::warning_detail(id).await
}

/// Adds a place (a division code, or a point kept to 0.01°) to the saved places (at most five).
#[server]
pub async fn save_place(code: String) -> Result<(), AppError> {
    ssr::save_place(&code).await
}

/// Removes a place from the saved places.
#[server]
pub async fn forget_place(code: String) -> Result<(), AppError> {
    ssr::forget_place(&code).await
}

/// The cookie holding the saved places' division codes: coarse by construction.
#[cfg(feature = "ssr")]
pub const PLACES_COOKIE: &str = "sjdz_places";

#[cfg(feature = "ssr")]
pub(crate) use ssr::saved_places;
#[cfg(feature = "ssr")]
pub use ssr::{
    BackendError, Pending, ReadingBackend, StoredHistoryEntry, StoredWarning, WarningsBackend,
    WarningsInForce, picker,
};

#[cfg(feature = "ssr")]
mod ssr {
    use std::{future::Future, pin::Pin, sync::Arc};

    use chrono::{DateTime, FixedOffset, Utc};
    use http::header;
    use leptos::prelude::*;

    use super::{
        FeedStatus, HistoryEntry, HomePage, NearbyShelter, NearbyShelters, PLACES_COOKIE, PickerGroup,
        PlaceName, ReadingLink, WarningDetail,
    };
    use crate::{
        domain::{
            boundaries,
            cap::{Alert, MsgType, Point},
            divisions::{self, Divisions},
            geo::DivisionCode,
            hazards::Hazard,
            lifecycle::Lifecycle,
            map,
            matching::{CITY_CODE, DivisionShapes, Place, coarse_point, concerns, parse_point},
            places::{MAX_PLACES, decode_places, encode_places, parse_place_key, place_key},
            preferences::cookie_value,
            shelters::{ShelterFilter, SheltersBackend, nearest},
            township_seats,
            warnings::{arrange, card, in_language},
        },
        error::AppError,
        i18n::{translate, translate_with},
        shell::request_preferences,
    };

    /// The warnings in force and how current they are, as the server's store has them.
    pub struct WarningsInForce {
        /// Active warnings for residents (status Actual), with their stored ids.
        pub alerts: Vec<(i64, Alert)>,
        pub last_update: Option<DateTime<Utc>>,
        pub stale: bool,
    }

    /// A boxed future, as trait objects return them.
    pub type Pending<'a, T> = Pin<Box<dyn Future<Output = Result<T, BackendError>> + Send + 'a>>;

    /// Why the server's store could not answer. The page says the warnings are unavailable
    /// (in the resident's language); the cause is logged with its source chain.
    #[derive(Debug, thiserror::Error)]
    pub enum BackendError {
        /// The store (database) failed.
        #[error("the warnings store failed: {0}")]
        Store(#[source] Box<dyn std::error::Error + Send + Sync>),
    }

    /// One stored message with where it stands and its history, as the store has it.
    pub struct StoredWarning {
        pub id: i64,
        pub alert: Alert,
        pub lifecycle: Lifecycle,
        /// Every message of the same chain, oldest first (this one included).
        pub history: Vec<StoredHistoryEntry>,
    }

    /// One message of a warning's history, as the store has it: its headline in every
    /// language it came in, so that the page can pick the resident's.
    pub struct StoredHistoryEntry {
        pub id: i64,
        pub sent: DateTime<FixedOffset>,
        pub msg_type: MsgType,
        /// `(language, headline)` of each `info` that has a headline, in message order.
        pub headlines: Vec<(String, String)>,
        pub lifecycle: Lifecycle,
    }

    impl StoredHistoryEntry {
        /// The entry as the page shows it to a reader of `lang`.
        fn for_reader(self, lang: &str) -> HistoryEntry {
            let headline =
                in_language(&self.headlines, lang, |(language, _)| language).map(|(_, h)| h.clone());
            HistoryEntry {
                id: self.id,
                sent: self.sent,
                msg_type: self.msg_type,
                headline,
                lifecycle: self.lifecycle,
            }
        }
    }

    /// Where the warnings come from; the server provides an `Arc<dyn WarningsBackend>`.
    pub trait WarningsBackend: Send + Sync {
        fn warnings_in_force(&self) -> Pending<'_, WarningsInForce>;
        /// One stored message with its lifecycle and history; `None` when it is unknown or
        /// not for residents (Test, Exercise, System, Draft).
        fn warning_detail(&self, id: i64) -> Pending<'_, Option<StoredWarning>>;
    }

    /// The library's articles on a hazard; the server provides an `Arc<dyn ReadingBackend>`.
    /// (The learn feature reads the warnings, so the warnings take the articles through this
    /// port rather than from it.)
    pub trait ReadingBackend: Send + Sync {
        fn reading_for(&self, hazard: Hazard, lang: crate::domain::preferences::Lang) -> Vec<ReadingLink>;
    }

    pub async fn warning_detail(id: i64) -> Result<Option<WarningDetail>, AppError> {
        let backend = use_context::<Arc<dyn WarningsBackend>>()
            .ok_or_else(|| AppError::new("warnings-error-unavailable"))?;
        let detail = backend.warning_detail(id).await.map_err(|error| {
            leptos::logging::error!("warning {id} could not be read: {error}");
            AppError::new("warnings-error-unavailable")
        })?;
        let Some(StoredWarning { id, alert, lifecycle, history }) = detail else { return Ok(None) };
        let lang = request_preferences().lang;
        let (Some(card), Some(info)) = (card(id, &alert, lang.tag()), alert.info_for(lang.tag())) else {
            return Ok(None);
        };
        let points: Vec<Point> = saved_places().iter().filter_map(|p| p.point).collect();
        let shelters = nearby_shelters(&alert, lang.tag() == "en").await;
        let reading = alert
            .infos
            .iter()
            .find_map(|info| Hazard::of_event(&info.event))
            .zip(use_context::<Arc<dyn ReadingBackend>>())
            .map(|(hazard, library)| library.reading_for(hazard, lang))
            .unwrap_or_default();
        Ok(Some(WarningDetail {
            shelters,
            reading,
            id,
            description: info.description.clone(),
            effective: info.effective.unwrap_or(alert.sent),
            onset: info.onset,
            certainty: info.certainty,
            sender: info.sender_name.clone().unwrap_or_else(|| alert.sender.clone()),
            web: info.web.clone(),
            contact: info.contact.clone(),
            lifecycle,
            history: history.into_iter().map(|entry| entry.for_reader(lang.tag())).collect(),
            map: map::jingdezhen().view(&alert, &points, boundaries::jingdezhen(), MAP_WIDTH),
            card,
        }))
    }

    /// A point that stands for the warning's area: a circle's centre, else a polygon's mean
    /// vertex, else the centre of a town its geocodes name.
    fn area_point(alert: &Alert) -> Option<Point> {
        let areas = || alert.infos.iter().flat_map(|info| &info.areas);
        areas()
            .find_map(|area| area.circles.first().map(|circle| circle.center))
            .or_else(|| {
                areas().find_map(|area| {
                    let ring = &area.polygons.first()?.points;
                    let n = ring.len().max(1) as f64;
                    let (lat, lon) = ring.iter().fold((0.0, 0.0), |(a, b), p| (a + p.lat, b + p.lon));
                    (!ring.is_empty()).then_some(Point { lat: lat / n, lon: lon / n })
                })
            })
            .or_else(|| {
                areas()
                    .flat_map(|area| &area.geocodes)
                    .filter_map(|code| DivisionCode::parse(&code.value))
                    .find_map(|code| township_seats::seat_of(&code))
            })
    }

    /// The three nearest shelters with room that suit the warning's hazard, from the resident's
    /// saved place inside the warning's area when there is one, else from the area. No
    /// register: none.
    async fn nearby_shelters(alert: &Alert, english: bool) -> NearbyShelters {
        let saved_inside = saved_places()
            .into_iter()
            .filter(|place| concerns(alert, place, boundaries::jingdezhen()).is_some())
            .find_map(|place| {
                place.point.or_else(|| place.division.as_ref().and_then(township_seats::seat_of))
            });
        let hazard = alert.infos.first().and_then(|info| Hazard::of_event(&info.event));
        let origin = saved_inside.or_else(|| area_point(alert)).map(coarse_point);
        let mut more = String::from("/shelters?has_room=1");
        if let Some(point) = origin {
            more.push_str(&format!("&at={:.2},{:.2}", point.lat, point.lon));
        }
        if let Some(hazard) = hazard {
            more.push_str(&format!("&hazard={}", hazard.key()));
        }
        let mut nearby = NearbyShelters { from_saved_place: saved_inside.is_some(), items: Vec::new(), more };
        let (Some(origin), Some(backend)) = (origin, use_context::<Arc<dyn SheltersBackend>>()) else {
            return nearby;
        };
        let register = match backend.register().await {
            Ok(register) => register,
            Err(error) => {
                leptos::logging::error!("{error}");
                return nearby;
            }
        };
        // A shelter not suited to the hazard (a low-lying one in a flood) is no help: only those
        // the register says suit it.
        let filter = ShelterFilter { has_room: true, hazard, ..ShelterFilter::default() };
        nearby.items = nearest(&register, origin, &filter, backend.freshness(Utc::now()), 3)
            .into_iter()
            .map(|near| NearbyShelter {
                id: near.shelter.id.as_str().to_owned(),
                name: near.shelter.name(english).to_owned(),
                sample: near.shelter.sample,
                distance_km: near.distance_km,
                walking_minutes: near.walking_minutes,
                stale: near.availability.stale,
            })
            .collect();
        nearby
    }

    pub async fn home_warnings(code: Option<String>, at: Option<String>) -> Result<HomePage, AppError> {
        let backend = use_context::<Arc<dyn WarningsBackend>>()
            .ok_or_else(|| AppError::new("warnings-error-unavailable"))?;
        let register = divisions::jingdezhen();
        let saved = saved_places();
        let code = code.filter(|c| !c.trim().is_empty());
        let at = at.filter(|a| !a.trim().is_empty());
        let from_link = code.is_some() || at.is_some();
        let linked = match (&code, &at) {
            (Some(code), _) => DivisionCode::parse(code)
                .filter(|c| register.get(c).is_some())
                .map(|c| Place { point: None, division: Some(c) }),
            // A shared link may carry any point: it is the sender's choice, and used for this
            // answer only. Saving it keeps the coarse form.
            (None, Some(at)) => parse_point(at).map(|p| Place { point: Some(p), division: None }),
            (None, None) => None,
        };
        let unknown_place = from_link && linked.is_none();
        let places: Vec<Place> = match linked {
            Some(place) => vec![place],
            None if from_link => Vec::new(),
            None => saved.clone(),
        };
        let names = places.iter().map(|place| place_name(place, register, &saved)).collect();

        let in_force = backend.warnings_in_force().await.map_err(|error| {
            leptos::logging::error!("warnings could not be read: {error}");
            AppError::new("warnings-error-unavailable")
        })?;
        let lang = request_preferences().lang;
        let warnings = arrange(&in_force.alerts, &places, lang.tag(), boundaries::jingdezhen());
        Ok(HomePage {
            warnings,
            places: names,
            from_link,
            unknown_place,
            feed: FeedStatus { last_update: in_force.last_update, stale: in_force.stale },
            picker: picker(register),
        })
    }

    fn place_name(place: &Place, register: &Divisions, saved: &[Place]) -> PlaceName {
        let key = place_key(place);
        let is_saved = saved.iter().any(|s| place_key(s) == key);
        let name = match (place.division, place.point) {
            (Some(code), _) => register.full_name(&code).unwrap_or_else(|| code.as_str().to_owned()),
            (None, Some(point)) => {
                let lang = request_preferences().lang;
                let coarse = coarse_point(point);
                let near = county_of(point, register).map_or_else(
                    || translate(lang, "places-near-point"),
                    |county| translate_with(lang, "places-near-county", &[("county", county.into())]),
                );
                format!("{near} ({:.2}, {:.2})", coarse.lat, coarse.lon)
            }
            (None, None) => String::new(),
        };
        PlaceName { key, name, saved: is_saved }
    }

    /// The county-level division whose boundary contains the point, by name.
    fn county_of(point: Point, register: &Divisions) -> Option<String> {
        let city = DivisionCode::parse(CITY_CODE)?;
        register.children(&city).find_map(|county| {
            let shapes = boundaries::jingdezhen().shapes(&county.code)?;
            shapes.iter().any(|s| s.contains(point)).then(|| county.name.clone())
        })
    }

    /// Counties with their townships and streets, for a place picker.
    pub fn picker(register: &Divisions) -> Vec<PickerGroup> {
        let Some(city) = DivisionCode::parse(CITY_CODE) else { return Vec::new() };
        register
            .children(&city)
            .map(|county| PickerGroup {
                code: county.code.as_str().to_owned(),
                name: county.name.clone(),
                townships: register
                    .children(&county.code)
                    .map(|t| (t.code.as_str().to_owned(), t.name.clone()))
                    .collect(),
            })
            .collect()
    }

    /// The saved places of this request's cookie (divisions the city does not have dropped).
    pub(crate) fn saved_places() -> Vec<Place> {
        let parts = use_context::<http::request::Parts>();
        let cookie = parts
            .as_ref()
            .and_then(|p| p.headers.get(header::COOKIE))
            .and_then(|v| v.to_str().ok())
            .and_then(|c| cookie_value(c, PLACES_COOKIE));
        let register = divisions::jingdezhen();
        decode_places(cookie.unwrap_or_default())
            .into_iter()
            .filter(|p| p.division.is_none_or(|c| register.get(&c).is_some()))
            .collect()
    }

    /// Reads a place key from a form: a division of the city, or a point (kept coarse).
    fn place_from_form(key: &str) -> Result<Place, AppError> {
        parse_place_key(key)
            .filter(|p| p.division.is_none_or(|c| divisions::jingdezhen().get(&c).is_some()))
            .ok_or_else(|| AppError::new("places-error-unknown"))
    }

    pub async fn save_place(key: &str) -> Result<(), AppError> {
        let place = place_from_form(key)?;
        let mut places = saved_places();
        if !places.iter().any(|p| place_key(p) == place_key(&place)) {
            if places.len() >= MAX_PLACES {
                return Err(AppError::new("places-error-too-many"));
            }
            places.push(place);
        }
        remember(&places);
        crate::alerts::notifications_api::follow_places(&places).await;
        Ok(())
    }

    pub async fn forget_place(key: &str) -> Result<(), AppError> {
        let place = parse_place_key(key).ok_or_else(|| AppError::new("places-error-unknown"))?;
        let places: Vec<Place> =
            saved_places().into_iter().filter(|p| place_key(p) != place_key(&place)).collect();
        remember(&places);
        crate::alerts::notifications_api::follow_places(&places).await;
        Ok(())
    }

    /// SVG units across the map: the path numbers stay short.
    const MAP_WIDTH: f64 = 320.0;

    /// A year, like the preferences: places are a resident's lasting choice.
    const COOKIE_MAX_AGE_SECONDS: u32 = 365 * 24 * 60 * 60;

    fn remember(places: &[Place]) {
        crate::shell::set_cookie(PLACES_COOKIE, &encode_places(places), COOKIE_MAX_AGE_SECONDS);
    }
}
