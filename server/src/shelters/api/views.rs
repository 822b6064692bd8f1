//! The API's contract for a shelter: its own types, so the stored form and the pages can
//! change without changing what other systems read.

use chrono::{DateTime, SecondsFormat, Utc};
use safejdz_app::domain::shelters::{Availability, Shelter, ShelterStatus, walking_minutes};
use serde::Serialize;

/// `GET /api/v1/shelters`.
#[derive(Debug, Serialize)]
pub struct ShelterList {
    pub shelters: Vec<ApiShelter>,
}

/// A position, WGS-84 decimal degrees.
#[derive(Debug, Serialize)]
pub struct ApiPoint {
    pub lat: f64,
    pub lon: f64,
}

/// One shelter with what can be relied on now.
#[derive(Debug, Serialize)]
pub struct ApiShelter {
    pub id: String,
    pub name_zh: String,
    pub name_en: Option<String>,
    pub level: &'static str,
    pub space: &'static str,
    pub purpose: &'static str,
    pub stay: &'static str,
    pub capacity: u32,
    pub area_m2: u32,
    pub facilities: Vec<&'static str>,
    pub hazards: Vec<&'static str>,
    pub address_zh: String,
    pub address_en: Option<String>,
    pub division: String,
    pub position: ApiPoint,
    pub position_source: Option<String>,
    pub contact: Option<String>,
    pub hours: String,
    /// Sample data, not the bureau's register: say so wherever it is shown.
    pub sample: bool,
    /// open | full | closed | unknown (never reported).
    pub state: &'static str,
    pub occupancy: Option<u32>,
    pub places_left: Option<u32>,
    pub has_room: bool,
    /// The last report is older than six hours, or there is none.
    pub stale: bool,
    pub status_updated_at: Option<String>,
    /// From the asked point, in metres along the sphere.
    pub distance_m: Option<u64>,
    /// At 4 km/h along the straight line, rounded up: a lower bound.
    pub walking_minutes: Option<u32>,
}

fn time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl ApiShelter {
    pub fn new(
        shelter: &Shelter,
        now: &Availability,
        status: Option<&ShelterStatus>,
        distance_km: Option<f64>,
    ) -> ApiShelter {
        ApiShelter {
            id: shelter.id.as_str().to_owned(),
            name_zh: shelter.name_zh.clone(),
            name_en: shelter.name_en.clone(),
            level: shelter.level.key(),
            space: shelter.space.key(),
            purpose: shelter.purpose.key(),
            stay: shelter.stay.key(),
            capacity: shelter.capacity,
            area_m2: shelter.area_m2,
            facilities: shelter.facilities.iter().map(|f| f.key()).collect(),
            hazards: shelter.hazards.iter().map(|h| h.key()).collect(),
            address_zh: shelter.address_zh.clone(),
            address_en: shelter.address_en.clone(),
            division: shelter.division.as_str().to_owned(),
            position: ApiPoint { lat: shelter.position.lat, lon: shelter.position.lon },
            position_source: shelter.position_source.clone(),
            contact: shelter.contact.clone(),
            hours: shelter.hours.clone(),
            sample: shelter.sample,
            state: now.state.key(),
            occupancy: status.and_then(|s| s.occupancy),
            places_left: now.places_left,
            has_room: now.has_room,
            stale: now.stale,
            status_updated_at: status.map(|s| time(s.updated_at)),
            distance_m: distance_km.map(|km| (km * 1000.0).round() as u64),
            walking_minutes: distance_km.map(walking_minutes),
        }
    }
}
