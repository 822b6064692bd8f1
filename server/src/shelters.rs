//! Shelters: the city's register of emergency shelters (应急避难场所) and each one's state as
//! volunteers report it. `store` keeps them (SQLite and PostgreSQL), `import` reads a register
//! file (CSV or GeoJSON, every problem named by line or feature and field; all or nothing),
//! `export` writes it back out, `pages` serves the resident pages, `api` the public API, and
//! `live` tells open pages when a state changed. The volunteers' reports and the console's
//! import (in `staff`) build on these.

pub mod api;
pub mod demo;
pub mod export;
pub mod import;
pub mod live;
pub mod pages;
pub mod store;

use chrono::{DateTime, Duration, Utc};
use safejdz_app::domain::shelters::Freshness;

use crate::platform::store::Store;

/// What the shelters feature's handlers reach.
#[derive(Clone)]
pub struct Shelters {
    pub store: Store,
    /// Rung when any shelter's state or the register changed (`live` watches the store).
    pub changes: live::ShelterChanges,
    /// A report older than this is shown as possibly out of date (`shelter_stale_hours`).
    pub stale_after: Duration,
}

impl Shelters {
    pub fn freshness(&self, now: DateTime<Utc>) -> Freshness {
        Freshness { now, stale_after: self.stale_after }
    }
}
