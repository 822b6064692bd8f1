//! Server functions of the shelter pages: the list nearest a point (from `?at=`, else a saved
//! place that is a point), filtered, with the city map; and one shelter with everything about
//! it and the links that take a resident there. The register comes from the server's store
//! through [`SheltersBackend`], which the server provides as context.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{
    domain::{
        hazards::Hazard,
        map::MapDistrict,
        shelters::{Facility, Purpose, ShelterFilter, ShelterLevel, ShelterState, SpaceType, Stay},
    },
    error::AppError,
};

/// The list page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShelterListPage {
    /// The point distances are measured from, coarse (0.01°), when there is one.
    pub origin: Option<(f64, f64)>,
    pub filter: ShelterFilter,
    pub items: Vec<ShelterListItem>,
    /// Shelters in the register, before the filter.
    pub total: usize,
    /// Some shelter shown is sample data.
    pub has_sample: bool,
    pub map: ShelterMap,
    /// When the list was made, China time ("2026-12-02 14:05:00"): what a copy kept for
    /// offline use says about its age.
    pub as_of: String,
}

/// One shelter in a list, display-ready.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShelterListItem {
    pub id: String,
    pub name: String,
    pub sample: bool,
    pub address: String,
    pub state: ShelterState,
    pub has_room: bool,
    pub places_left: Option<u32>,
    pub capacity: u32,
    /// The last report is old (or there is none).
    pub stale: bool,
    /// Whole hours since the last report, when there is one.
    pub report_age_hours: Option<i64>,
    pub distance_km: Option<f64>,
    pub walking_minutes: Option<u32>,
    pub indoor: bool,
    pub accessible: bool,
    pub medical: bool,
}

/// The shelters on the city's base map, numbered as the list is.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ShelterMap {
    pub width: f64,
    pub height: f64,
    pub districts: Vec<MapDistrict>,
    /// x, y and the number of each shelter in the list (from 1).
    pub shelters: Vec<(f64, f64, usize)>,
    /// Where distances are measured from.
    pub origin: Option<(f64, f64)>,
}

/// One shelter's page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShelterSheet {
    pub item: ShelterListItem,
    pub level: ShelterLevel,
    pub space: SpaceType,
    pub purpose: Purpose,
    pub stay: Stay,
    pub area_m2: u32,
    pub facilities: Vec<Facility>,
    pub hazards: Vec<Hazard>,
    pub division: String,
    pub hours: String,
    pub contact: Option<String>,
    pub lat: f64,
    pub lon: f64,
    pub position_source: Option<String>,
    pub links: TakeMeThere,
    pub map: ShelterMap,
}

/// The map apps' links to a shelter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TakeMeThere {
    pub amap: String,
    pub baidu: String,
    pub apple: String,
    pub geo: String,
}

/// The shelters nearest `at` (else the first saved point), as `filter` admits them.
#[server]
pub async fn shelter_list(at: Option<String>, filter: ShelterFilter) -> Result<ShelterListPage, AppError> {
    ssr::shelter_list(at, filter).await
}

/// One shelter; `None` when the register has no such id. `at` measures the distance.
#[server]
pub async fn shelter_detail(id: String, at: Option<String>) -> Result<Option<ShelterSheet>, AppError> {
    ssr::shelter_detail(id, at).await
}

#[cfg(feature = "ssr")]
pub use crate::domain::shelters::{RegisterError, RegisterPending, SheltersBackend};

#[cfg(feature = "ssr")]
mod ssr {
    use std::sync::Arc;

    use chrono::Utc;
    use leptos::prelude::*;

    use super::{ShelterListItem, ShelterListPage, ShelterMap, ShelterSheet, TakeMeThere};
    use crate::{
        alerts::saved_places,
        domain::{
            cap::Point,
            datum::wgs84_to_gcj02,
            directions::map_links,
            divisions, map,
            matching::{coarse_point, parse_point},
            shelters::{
                Facility, Freshness, NearShelter, Shelter, ShelterFilter, ShelterId, ShelterStatus,
                SheltersBackend, SpaceType, availability, nearest, walking_minutes,
            },
            township_seats,
        },
        error::AppError,
        shell::request_preferences,
    };

    const MAP_WIDTH: f64 = 360.0;

    /// How many shelters the list shows at most.
    const LIST_LIMIT: usize = 20;

    /// The register, and now with the server's age for stale reports.
    async fn register() -> Result<(Vec<(Shelter, Option<ShelterStatus>)>, Freshness), AppError> {
        let backend = use_context::<Arc<dyn SheltersBackend>>()
            .ok_or_else(|| AppError::new("shelters-error-unavailable"))?;
        let register = backend.register().await.map_err(|error| {
            leptos::logging::error!("{error}");
            AppError::new("shelters-error-unavailable")
        })?;
        Ok((register, backend.freshness(Utc::now())))
    }

    /// The point of `at`, else the first saved place that is a point, else the approximate
    /// centre of the first saved town or village that has one; kept coarse (0.01°).
    fn origin(at: Option<String>) -> Option<Point> {
        let saved = || {
            let places = saved_places();
            places.iter().find_map(|p| p.point).or_else(|| {
                places.iter().filter_map(|p| p.division.as_ref()).find_map(township_seats::seat_of)
            })
        };
        at.as_deref().and_then(parse_point).or_else(saved).map(coarse_point)
    }

    fn item(
        shelter: &Shelter,
        status: Option<&ShelterStatus>,
        from: Option<Point>,
        english: bool,
        when: Freshness,
    ) -> ShelterListItem {
        let report_age_hours = status.map(|s| (when.now - s.updated_at).num_hours().max(0));
        let now = availability(shelter, status, when);
        let distance_km = from.map(|from| crate::domain::geo::distance_km(from, shelter.position));
        ShelterListItem {
            id: shelter.id.as_str().to_owned(),
            name: shelter.name(english).to_owned(),
            sample: shelter.sample,
            address: match (&shelter.address_en, english) {
                (Some(address), true) => address.clone(),
                _ => shelter.address_zh.clone(),
            },
            state: now.state,
            has_room: now.has_room,
            places_left: now.places_left,
            capacity: shelter.capacity,
            stale: now.stale,
            report_age_hours,
            distance_km,
            walking_minutes: distance_km.map(walking_minutes),
            indoor: shelter.space == SpaceType::Indoor,
            accessible: shelter.has(Facility::AccessibleEntrance),
            medical: shelter.has(Facility::MedicalPoint),
        }
    }

    /// The base map with `points` (WGS-84) drawn where the map's GCJ-02 outlines put them.
    fn city_map(points: &[Point], origin: Option<Point>) -> ShelterMap {
        let drawing = map::jingdezhen().drawing(MAP_WIDTH);
        let xy = |p: Point| drawing.projection.project(wgs84_to_gcj02(p));
        ShelterMap {
            width: drawing.projection.width,
            height: drawing.projection.height,
            districts: drawing.districts,
            shelters: points
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    let (x, y) = xy(*p);
                    (x, y, i + 1)
                })
                .collect(),
            origin: origin.map(xy),
        }
    }

    pub async fn shelter_list(
        at: Option<String>,
        filter: ShelterFilter,
    ) -> Result<ShelterListPage, AppError> {
        let (register, when) = register().await?;
        let english = request_preferences().lang.tag() == "en";
        let from = origin(at);
        let chosen: Vec<NearShelter<'_>> = match from {
            Some(from) => nearest(&register, from, &filter, when, LIST_LIMIT),
            // Without a point: every admitted shelter, by name, for the resident to choose.
            None => register
                .iter()
                .filter_map(|(shelter, status)| {
                    let availability = availability(shelter, status.as_ref(), when);
                    filter.admits(shelter, &availability).then_some(NearShelter {
                        shelter,
                        availability,
                        distance_km: f64::NAN,
                        walking_minutes: 0,
                    })
                })
                .take(LIST_LIMIT)
                .collect(),
        };
        let status_of =
            |id: &ShelterId| register.iter().find(|(s, _)| &s.id == id).and_then(|(_, st)| st.as_ref());
        let items: Vec<ShelterListItem> = chosen
            .iter()
            .map(|near| item(near.shelter, status_of(&near.shelter.id), from, english, when))
            .collect();
        let points: Vec<Point> = chosen.iter().map(|near| near.shelter.position).collect();
        Ok(ShelterListPage {
            origin: from.map(|p| (p.lat, p.lon)),
            filter,
            has_sample: chosen.iter().any(|near| near.shelter.sample),
            total: register.len(),
            map: city_map(&points, from),
            items,
            as_of: crate::domain::staff::china_time(when.now),
        })
    }

    pub async fn shelter_detail(id: String, at: Option<String>) -> Result<Option<ShelterSheet>, AppError> {
        let Some(id) = ShelterId::parse(&id) else { return Ok(None) };
        let (register, when) = register().await?;
        let Some((shelter, status)) = register.iter().find(|(s, _)| s.id == id) else { return Ok(None) };
        let english = request_preferences().lang.tag() == "en";
        let from = origin(at);
        let links = map_links(shelter.position, &shelter.name_zh);
        Ok(Some(ShelterSheet {
            item: item(shelter, status.as_ref(), from, english, when),
            level: shelter.level,
            space: shelter.space,
            purpose: shelter.purpose,
            stay: shelter.stay,
            area_m2: shelter.area_m2,
            facilities: shelter.facilities.clone(),
            hazards: shelter.hazards.clone(),
            division: divisions::jingdezhen()
                .full_name(&shelter.division)
                .unwrap_or_else(|| shelter.division.as_str().to_owned()),
            hours: shelter.hours.clone(),
            contact: shelter.contact.clone(),
            lat: shelter.position.lat,
            lon: shelter.position.lon,
            position_source: shelter.position_source.clone(),
            links: TakeMeThere { amap: links.amap, baidu: links.baidu, apple: links.apple, geo: links.geo },
            map: city_map(&[shelter.position], from),
        }))
    }
}
