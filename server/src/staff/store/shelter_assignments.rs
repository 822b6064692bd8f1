//! Assignment rows: which volunteer keeps which shelter current.

use chrono::{DateTime, Utc};
use safejdz_app::domain::shelters::ShelterId;
use sqlx::Row;

use super::millis;
use crate::platform::store::{StorageError, Store};

/// One assignment, as the console lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssignmentRow {
    pub shelter_id: String,
    pub user_id: i64,
    /// The volunteer's login name.
    pub user_name: String,
}

impl Store {
    /// Assigns a shelter to an account; `false` when it was assigned already. The caller has
    /// checked that both exist (the foreign keys refuse otherwise).
    pub async fn assign_shelter(
        &self,
        shelter: &ShelterId,
        user_id: i64,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StorageError> {
        let added = sqlx::query(
            "INSERT INTO shelter_assignments (shelter_id, user_id, assigned_at, assigned_by) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (shelter_id, user_id) DO NOTHING",
        )
        .bind(shelter.as_str())
        .bind(user_id)
        .bind(millis(now))
        .bind(by)
        .execute(self.pool())
        .await?
        .rows_affected();
        Ok(added > 0)
    }

    /// Ends an assignment; `false` when there was none.
    pub async fn unassign_shelter(&self, shelter: &ShelterId, user_id: i64) -> Result<bool, StorageError> {
        let removed = sqlx::query("DELETE FROM shelter_assignments WHERE shelter_id = $1 AND user_id = $2")
            .bind(shelter.as_str())
            .bind(user_id)
            .execute(self.pool())
            .await?
            .rows_affected();
        Ok(removed > 0)
    }

    /// Whether the account keeps this shelter.
    pub async fn is_assigned(&self, shelter: &ShelterId, user_id: i64) -> Result<bool, StorageError> {
        Ok(sqlx::query("SELECT 1 AS found FROM shelter_assignments WHERE shelter_id = $1 AND user_id = $2")
            .bind(shelter.as_str())
            .bind(user_id)
            .fetch_optional(self.pool())
            .await?
            .is_some())
    }

    /// Every assignment, by shelter and then login name.
    pub async fn shelter_assignments(&self) -> Result<Vec<AssignmentRow>, StorageError> {
        let rows = sqlx::query(
            "SELECT a.shelter_id, a.user_id, u.name FROM shelter_assignments a \
             JOIN staff_users u ON u.id = a.user_id ORDER BY a.shelter_id, u.name",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(AssignmentRow {
                    shelter_id: row.try_get("shelter_id")?,
                    user_id: row.try_get("user_id")?,
                    user_name: row.try_get("name")?,
                })
            })
            .collect()
    }
}
