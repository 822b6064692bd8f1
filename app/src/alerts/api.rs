//! Server functions of the warnings pages: the home page's data for a place (from `?code=`,
//! `?at=` or the saved-places cookie), and saving or forgetting a place. The warnings themselves
//! come from the server's alert store through [`WarningsBackend`], which the server provides as
//! context (the app never depends on the server crate).

use chrono::{DateTime, FixedOffset, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{
    domain::{
        cap::{Alert, MsgType},
        lifecycle::Lifecycle,
        warnings::ArrangedWarnings,
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
    /// The division code (12 digits), or `None` for a point.
    pub code: Option<String>,
    /// The division's full name, or the point as `29.27, 117.18`.
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

/// One warning with where it stands and its history (Update/Cancel chain), for `/alerts/{id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WarningDetail {
    pub id: i64,
    pub alert: Alert,
    pub lifecycle: Lifecycle,
    /// Every message of the same chain, oldest first (this one included).
    pub history: Vec<HistoryEntry>,
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

/// Adds a division to the saved places (at most five).
#[server]
pub async fn save_place(code: String) -> Result<(), AppError> {
    ssr::save_place(&code)
}

/// Removes a division from the saved places.
#[server]
pub async fn forget_place(code: String) -> Result<(), AppError> {
    ssr::forget_place(&code)
}

/// Home, school, work, parents' home, one more.
#[cfg(feature = "ssr")]
pub const MAX_PLACES: usize = 5;

/// The cookie holding the saved places' division codes: coarse by construction.
#[cfg(feature = "ssr")]
pub const PLACES_COOKIE: &str = "sjdz_places";

#[cfg(feature = "ssr")]
pub use ssr::{Pending, WarningsBackend, WarningsInForce};

#[cfg(feature = "ssr")]
mod ssr {
    use std::{future::Future, pin::Pin, sync::Arc};

    use chrono::{DateTime, Utc};
    use http::{HeaderValue, header};
    use leptos::prelude::*;

    use super::{FeedStatus, HomePage, MAX_PLACES, PLACES_COOKIE, PickerGroup, PlaceName, WarningDetail};
    use crate::{
        domain::{
            boundaries,
            cap::Alert,
            divisions::{self, Divisions},
            geo::DivisionCode,
            matching::{CITY_CODE, Place, parse_point},
            preferences::cookie_value,
            warnings::arrange,
        },
        error::AppError,
        settings::request_preferences,
    };

    /// The warnings in force and how current they are, as the server's store has them.
    pub struct WarningsInForce {
        /// Active warnings for residents (status Actual), with their stored ids.
        pub alerts: Vec<(i64, Alert)>,
        pub last_update: Option<DateTime<Utc>>,
        pub stale: bool,
    }

    /// A boxed future, as trait objects return them.
    pub type Pending<'a, T> = Pin<Box<dyn Future<Output = Result<T, String>> + Send + 'a>>;

    /// Where the warnings come from; the server provides an `Arc<dyn WarningsBackend>`.
    pub trait WarningsBackend: Send + Sync {
        fn warnings_in_force(&self) -> Pending<'_, WarningsInForce>;
        /// One stored message with its lifecycle and history; `None` when it is unknown or
        /// not for residents (Test, Exercise, System, Draft).
        fn warning_detail(&self, id: i64) -> Pending<'_, Option<WarningDetail>>;
    }

    pub async fn warning_detail(id: i64) -> Result<Option<WarningDetail>, AppError> {
        let backend = use_context::<Arc<dyn WarningsBackend>>()
            .ok_or_else(|| AppError::new("warnings-error-unavailable"))?;
        backend.warning_detail(id).await.map_err(|error| {
            leptos::logging::error!("warning {id} could not be read: {error}");
            AppError::new("warnings-error-unavailable")
        })
    }

    pub async fn home_warnings(code: Option<String>, at: Option<String>) -> Result<HomePage, AppError> {
        let backend = use_context::<Arc<dyn WarningsBackend>>()
            .ok_or_else(|| AppError::new("warnings-error-unavailable"))?;
        let register = divisions::jingdezhen();
        let saved = saved_codes();
        let code = code.filter(|c| !c.trim().is_empty());
        let at = at.filter(|a| !a.trim().is_empty());
        let from_link = code.is_some() || at.is_some();
        let linked = match (&code, &at) {
            (Some(code), _) => DivisionCode::parse(code)
                .filter(|c| register.get(c).is_some())
                .map(|c| Place { point: None, division: Some(c) }),
            (None, Some(at)) => parse_point(at).map(|p| Place { point: Some(p), division: None }),
            (None, None) => None,
        };
        let unknown_place = from_link && linked.is_none();
        let places: Vec<Place> = match linked {
            Some(place) => vec![place],
            None if from_link => Vec::new(),
            None => saved.iter().map(|c| Place { point: None, division: Some(*c) }).collect(),
        };
        let names = places.iter().map(|place| place_name(place, register, &saved)).collect();

        let in_force = backend.warnings_in_force().await.map_err(|error| {
            leptos::logging::error!("warnings could not be read: {error}");
            AppError::new("warnings-error-unavailable")
        })?;
        let lang = request_preferences().lang.tag();
        let warnings = arrange(&in_force.alerts, &places, lang, boundaries::jingdezhen());
        Ok(HomePage {
            warnings,
            places: names,
            from_link,
            unknown_place,
            feed: FeedStatus { last_update: in_force.last_update, stale: in_force.stale },
            picker: picker(register),
        })
    }

    fn place_name(place: &Place, register: &Divisions, saved: &[DivisionCode]) -> PlaceName {
        match (place.division, place.point) {
            (Some(code), _) => PlaceName {
                code: Some(code.as_str().to_owned()),
                name: register.full_name(&code).unwrap_or_else(|| code.as_str().to_owned()),
                saved: saved.contains(&code),
            },
            (None, Some(point)) => {
                PlaceName { code: None, name: format!("{:.4}, {:.4}", point.lat, point.lon), saved: false }
            }
            (None, None) => PlaceName { code: None, name: String::new(), saved: false },
        }
    }

    fn picker(register: &Divisions) -> Vec<PickerGroup> {
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

    /// The saved places of this request's cookie (unknown codes dropped).
    fn saved_codes() -> Vec<DivisionCode> {
        let parts = use_context::<http::request::Parts>();
        let cookie = parts
            .as_ref()
            .and_then(|p| p.headers.get(header::COOKIE))
            .and_then(|v| v.to_str().ok())
            .and_then(|c| cookie_value(c, PLACES_COOKIE));
        let register = divisions::jingdezhen();
        let mut codes: Vec<DivisionCode> = cookie
            .unwrap_or_default()
            .split('.')
            .filter_map(DivisionCode::parse)
            .filter(|c| register.get(c).is_some())
            .collect();
        codes.dedup();
        codes.truncate(MAX_PLACES);
        codes
    }

    pub fn save_place(code: &str) -> Result<(), AppError> {
        let code = DivisionCode::parse(code)
            .filter(|c| divisions::jingdezhen().get(c).is_some())
            .ok_or_else(|| AppError::new("places-error-unknown"))?;
        let mut codes = saved_codes();
        if !codes.contains(&code) {
            if codes.len() >= MAX_PLACES {
                return Err(AppError::new("places-error-too-many"));
            }
            codes.push(code);
        }
        remember(&codes);
        Ok(())
    }

    pub fn forget_place(code: &str) -> Result<(), AppError> {
        let code = DivisionCode::parse(code).ok_or_else(|| AppError::new("places-error-unknown"))?;
        let codes: Vec<DivisionCode> = saved_codes().into_iter().filter(|c| *c != code).collect();
        remember(&codes);
        Ok(())
    }

    /// A year, like the preferences: places are a resident's lasting choice.
    const COOKIE_MAX_AGE_SECONDS: u32 = 365 * 24 * 60 * 60;

    fn remember(codes: &[DivisionCode]) {
        let value = codes.iter().map(DivisionCode::as_str).collect::<Vec<_>>().join(".");
        let cookie = format!(
            "{PLACES_COOKIE}={value}; Path=/; Max-Age={COOKIE_MAX_AGE_SECONDS}; SameSite=Lax; HttpOnly"
        );
        if let (Some(response), Ok(value)) =
            (use_context::<leptos_axum::ResponseOptions>(), HeaderValue::from_str(&cookie))
        {
            response.append_header(header::SET_COOKIE, value);
        }
    }
}
