//! The register in the database: each shelter's stored form (its own versioned type, so the
//! domain model can change without rewriting rows), the columns lists query, and each
//! shelter's last reported state. An import replaces or adds shelters by id in one
//! transaction: a refused file leaves the register as it was.

use chrono::{DateTime, Utc};
use safejdz_app::domain::{
    cap::Point,
    geo::DivisionCode,
    hazards::Hazard,
    shelters::{
        Facility, Purpose, Shelter, ShelterId, ShelterLevel, ShelterState, ShelterStatus, SpaceType, Stay,
    },
};
use serde::{Deserialize, Serialize};
use sqlx::{Row, any::AnyRow};

use crate::platform::store::{StorageError, Store};

/// The version of [`StoredShelter`] this build writes.
const FORMAT: i64 = 1;

/// A shelter as stored (format 1): every enum as its key, so a renamed Rust variant does not
/// change what is on disk.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StoredShelter {
    name_zh: String,
    name_en: Option<String>,
    level: String,
    space: String,
    purpose: String,
    stay: String,
    capacity: u32,
    area_m2: u32,
    facilities: Vec<String>,
    hazards: Vec<String>,
    address_zh: String,
    address_en: Option<String>,
    division: String,
    lat: f64,
    lon: f64,
    contact: Option<String>,
    hours: String,
    sample: bool,
    position_source: Option<String>,
}

impl StoredShelter {
    fn of(shelter: &Shelter) -> StoredShelter {
        StoredShelter {
            name_zh: shelter.name_zh.clone(),
            name_en: shelter.name_en.clone(),
            level: shelter.level.key().into(),
            space: shelter.space.key().into(),
            purpose: shelter.purpose.key().into(),
            stay: shelter.stay.key().into(),
            capacity: shelter.capacity,
            area_m2: shelter.area_m2,
            facilities: shelter.facilities.iter().map(|f| f.key().into()).collect(),
            hazards: shelter.hazards.iter().map(|h| h.key().into()).collect(),
            address_zh: shelter.address_zh.clone(),
            address_en: shelter.address_en.clone(),
            division: shelter.division.as_str().into(),
            lat: shelter.position.lat,
            lon: shelter.position.lon,
            contact: shelter.contact.clone(),
            hours: shelter.hours.clone(),
            sample: shelter.sample,
            position_source: shelter.position_source.clone(),
        }
    }

    fn into_shelter(self, id: &str) -> Result<Shelter, String> {
        fn key<T>(value: &str, read: fn(&str) -> Option<T>, what: &str) -> Result<T, String> {
            read(value).ok_or_else(|| format!("{what} {value:?}"))
        }
        Ok(Shelter {
            id: ShelterId::parse(id).ok_or_else(|| format!("id {id:?}"))?,
            name_zh: self.name_zh,
            name_en: self.name_en,
            level: key(&self.level, ShelterLevel::from_key, "level")?,
            space: key(&self.space, SpaceType::from_key, "space")?,
            purpose: key(&self.purpose, Purpose::from_key, "purpose")?,
            stay: key(&self.stay, Stay::from_key, "stay")?,
            capacity: self.capacity,
            area_m2: self.area_m2,
            facilities: self
                .facilities
                .iter()
                .map(|f| key(f, Facility::from_key, "facility"))
                .collect::<Result<_, _>>()?,
            hazards: self
                .hazards
                .iter()
                .map(|h| key(h, Hazard::from_key, "hazard"))
                .collect::<Result<_, _>>()?,
            address_zh: self.address_zh,
            address_en: self.address_en,
            division: key(&self.division, DivisionCode::parse, "division")?,
            position: Point { lat: self.lat, lon: self.lon },
            contact: self.contact,
            hours: self.hours,
            sample: self.sample,
            position_source: self.position_source,
        })
    }
}

fn millis(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis()
}

fn shelter_of(row: &AnyRow) -> Result<Shelter, StorageError> {
    let id: String = row.try_get("id")?;
    let format: i64 = row.try_get("format")?;
    if format != FORMAT {
        return Err(StorageError::Encoding(format!(
            "shelter {id}: stored form {format} is newer than this build"
        )));
    }
    let record: String = row.try_get("record")?;
    let stored: StoredShelter =
        serde_json::from_str(&record).map_err(|e| StorageError::Encoding(format!("shelter {id}: {e}")))?;
    stored.into_shelter(&id).map_err(|e| StorageError::Encoding(format!("shelter {id}: {e}")))
}

fn status_of(row: &AnyRow) -> Result<Option<ShelterStatus>, StorageError> {
    let Some(state) = row.try_get::<Option<String>, _>("state")? else { return Ok(None) };
    let updated_at: i64 = row.try_get("updated_at")?;
    let occupancy: Option<i64> = row.try_get("occupancy")?;
    Ok(Some(ShelterStatus {
        state: ShelterState::from_key(&state)
            .ok_or_else(|| StorageError::Encoding(format!("shelter state {state:?}")))?,
        occupancy: occupancy.and_then(|o| u32::try_from(o).ok()),
        updated_at: DateTime::from_timestamp_millis(updated_at).unwrap_or_default(),
        updated_by: row.try_get("updated_by")?,
    }))
}

/// How an import changed the register.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ImportOutcome {
    pub added: usize,
    pub replaced: usize,
    /// Sample shelters removed because real ones came in.
    pub samples_removed: usize,
}

const SELECT: &str = "SELECT s.id, s.format, s.record, t.state, t.occupancy, t.updated_at, t.updated_by \
     FROM shelters s LEFT JOIN shelter_status t ON t.shelter_id = s.id";

impl Store {
    /// Adds or replaces `shelters` by id, all in one transaction; their reported states stay.
    /// A register of real shelters (any not marked sample) replaces the sample register: the
    /// sample rows go in the same transaction.
    pub async fn import_shelters(
        &self,
        shelters: &[Shelter],
        now: DateTime<Utc>,
    ) -> Result<ImportOutcome, StorageError> {
        let mut outcome = ImportOutcome::default();
        let mut tx = self.begin_write().await?;
        if shelters.iter().any(|shelter| !shelter.sample) {
            outcome.samples_removed =
                sqlx::query("DELETE FROM shelters WHERE sample = 1").execute(&mut *tx).await?.rows_affected()
                    as usize;
        }
        for shelter in shelters {
            let record = serde_json::to_string(&StoredShelter::of(shelter))
                .map_err(|e| StorageError::Encoding(format!("shelter {}: {e}", shelter.id.as_str())))?;
            let existed = sqlx::query("SELECT 1 AS found FROM shelters WHERE id = $1")
                .bind(shelter.id.as_str())
                .fetch_optional(&mut *tx)
                .await?
                .is_some();
            sqlx::query(
                "INSERT INTO shelters (id, format, record, name_zh, division, lat, lon, sample, imported_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
                 ON CONFLICT (id) DO UPDATE SET format = excluded.format, record = excluded.record, \
                 name_zh = excluded.name_zh, division = excluded.division, lat = excluded.lat, \
                 lon = excluded.lon, sample = excluded.sample, imported_at = excluded.imported_at",
            )
            .bind(shelter.id.as_str())
            .bind(FORMAT)
            .bind(record)
            .bind(&shelter.name_zh)
            .bind(shelter.division.as_str())
            .bind(shelter.position.lat)
            .bind(shelter.position.lon)
            .bind(i64::from(shelter.sample))
            .bind(millis(now))
            .execute(&mut *tx)
            .await?;
            if existed { outcome.replaced += 1 } else { outcome.added += 1 }
        }
        tx.commit().await?;
        Ok(outcome)
    }

    /// Every shelter with its last report, by id (a row that cannot be read is logged and left out).
    pub async fn shelters(&self) -> Result<Vec<(Shelter, Option<ShelterStatus>)>, StorageError> {
        let rows = sqlx::query(&format!("{SELECT} ORDER BY s.id")).fetch_all(self.pool()).await?;
        // One row that cannot be read hides that shelter, not the register: logged, left out.
        Ok(rows
            .iter()
            .filter_map(|row| match shelter_of(row).and_then(|s| Ok((s, status_of(row)?))) {
                Ok(entry) => Some(entry),
                Err(error) => {
                    tracing::error!(%error, "a stored shelter cannot be read; left out");
                    None
                }
            })
            .collect())
    }

    /// One shelter with its last report.
    pub async fn shelter(
        &self,
        id: &ShelterId,
    ) -> Result<Option<(Shelter, Option<ShelterStatus>)>, StorageError> {
        let row = sqlx::query(&format!("{SELECT} WHERE s.id = $1"))
            .bind(id.as_str())
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(|row| Ok((shelter_of(row)?, status_of(row)?))).transpose()
    }

    /// Records a shelter's state; `false` when there is no such shelter.
    pub async fn report_shelter_status(
        &self,
        id: &ShelterId,
        status: &ShelterStatus,
    ) -> Result<bool, StorageError> {
        let known = sqlx::query("SELECT 1 AS found FROM shelters WHERE id = $1")
            .bind(id.as_str())
            .fetch_optional(self.pool())
            .await?
            .is_some();
        if !known {
            return Ok(false);
        }
        sqlx::query(
            "INSERT INTO shelter_status (shelter_id, state, occupancy, updated_at, updated_by) \
             VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (shelter_id) DO UPDATE SET state = excluded.state, occupancy = excluded.occupancy, \
             updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        )
        .bind(id.as_str())
        .bind(status.state.key())
        .bind(status.occupancy.map(i64::from))
        .bind(millis(status.updated_at))
        .bind(&status.updated_by)
        .execute(self.pool())
        .await?;
        Ok(true)
    }
}

impl Store {
    /// What changes when any shelter's state or the register changes: the number of reports,
    /// the newest report, the number of shelters and the newest import.
    pub async fn shelters_version(&self) -> Result<(i64, i64, i64, i64), StorageError> {
        let row = sqlx::query(
            "SELECT (SELECT COUNT(*) FROM shelter_status) AS reports, \
             (SELECT COALESCE(MAX(updated_at), 0) FROM shelter_status) AS reported, \
             (SELECT COUNT(*) FROM shelters) AS shelters, \
             (SELECT COALESCE(MAX(imported_at), 0) FROM shelters) AS imported",
        )
        .fetch_one(self.pool())
        .await?;
        Ok((
            row.try_get("reports")?,
            row.try_get("reported")?,
            row.try_get("shelters")?,
            row.try_get("imported")?,
        ))
    }
}
