//! The record of drills held: a row per class session that closed, for the bureau's statistics
//! (date, school, scenario, participants, mean score), and its CSV for admins. No names of
//! pupils are stored.

use chrono::{DateTime, Utc};
use sqlx::Row;

use super::class_sessions::HeldSession;
use crate::platform::store::{StorageError, Store};

/// One drill held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrillRecordRow {
    pub code: String,
    pub opened_at: DateTime<Utc>,
    pub closed_at: DateTime<Utc>,
    pub scenario: String,
    pub school: String,
    pub teacher: String,
    pub pacing: String,
    pub participants: i64,
    pub finished: i64,
    pub safe: i64,
    pub mean_percent: Option<i64>,
}

impl DrillRecordRow {
    /// The row of a closed session.
    pub fn of(held: &HeldSession, scenario: &safejdz_app::domain::drills::Scenario, closed_ms: i64) -> Self {
        let result = held.session.result(scenario);
        let at = |ms: i64| DateTime::from_timestamp_millis(ms).unwrap_or_default();
        DrillRecordRow {
            code: held.session.code.as_str().to_owned(),
            opened_at: at(held.session.opened_ms),
            closed_at: at(closed_ms.min(held.session.expires_ms)),
            scenario: held.session.scenario.clone(),
            school: held.school.clone(),
            teacher: held.teacher_name.clone(),
            pacing: held.session.pacing.key().to_owned(),
            participants: result.participants as i64,
            finished: result.finished as i64,
            safe: result.safe as i64,
            mean_percent: result.mean_percent.map(i64::from),
        }
    }
}

impl Store {
    /// Adds a drill to the record; a session recorded before (a retry) is left as it was.
    pub async fn record_drill(&self, row: &DrillRecordRow) -> Result<(), StorageError> {
        sqlx::query(
            "INSERT INTO drill_records (code, opened_at, closed_at, scenario, school, teacher, pacing, \
             participants, finished, safe, mean_percent) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
             ON CONFLICT (code, opened_at) DO NOTHING",
        )
        .bind(&row.code)
        .bind(row.opened_at.timestamp_millis())
        .bind(row.closed_at.timestamp_millis())
        .bind(&row.scenario)
        .bind(&row.school)
        .bind(&row.teacher)
        .bind(&row.pacing)
        .bind(row.participants)
        .bind(row.finished)
        .bind(row.safe)
        .bind(row.mean_percent)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Every drill held, newest first.
    pub async fn drill_records(&self) -> Result<Vec<DrillRecordRow>, StorageError> {
        let rows = sqlx::query(
            "SELECT code, opened_at, closed_at, scenario, school, teacher, pacing, participants, finished, \
             safe, mean_percent FROM drill_records ORDER BY opened_at DESC, code",
        )
        .fetch_all(self.pool())
        .await?;
        let at = |ms: i64| DateTime::from_timestamp_millis(ms).unwrap_or_default();
        rows.iter()
            .map(|row| {
                Ok(DrillRecordRow {
                    code: row.try_get("code")?,
                    opened_at: at(row.try_get("opened_at")?),
                    closed_at: at(row.try_get("closed_at")?),
                    scenario: row.try_get("scenario")?,
                    school: row.try_get("school")?,
                    teacher: row.try_get("teacher")?,
                    pacing: row.try_get("pacing")?,
                    participants: row.try_get("participants")?,
                    finished: row.try_get("finished")?,
                    safe: row.try_get("safe")?,
                    mean_percent: row.try_get("mean_percent")?,
                })
            })
            .collect()
    }
}
