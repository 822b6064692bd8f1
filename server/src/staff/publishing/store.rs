//! Console warnings in the database: the `staff_warnings` rows, read into [`DraftRow`]s, and
//! every state move as a conditional UPDATE (two approvers cannot both release one warning).

use chrono::{DateTime, Utc};
use safejdz_app::domain::{cap::MsgType, compose::WarningForm};
use sqlx::{Row, any::AnyRow};

use super::{DraftRow, DraftState};
use crate::platform::store::{StorageError, Store};

fn millis(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis()
}

const COLUMNS: &str = "id, author_id, state, msg_type, updates_id, form, approver_id, reason, cap_identifier, \
     message_id, cancelled_by, cancel_message_id, updated_at";

fn draft(row: &AnyRow) -> Result<DraftRow, StorageError> {
    let state: String = row.try_get("state")?;
    let msg_type: String = row.try_get("msg_type")?;
    let form: String = row.try_get("form")?;
    let updated: i64 = row.try_get("updated_at")?;
    Ok(DraftRow {
        id: row.try_get("id")?,
        author_id: row.try_get("author_id")?,
        state: DraftState::from_name(&state)
            .ok_or_else(|| StorageError::Encoding(format!("state {state:?}")))?,
        msg_type: MsgType::from_cap(&msg_type)
            .ok_or_else(|| StorageError::Encoding(format!("msgType {msg_type:?}")))?,
        updates_id: row.try_get("updates_id")?,
        form: serde_json::from_str(&form).map_err(|e| StorageError::Encoding(format!("form: {e}")))?,
        approver_id: row.try_get("approver_id")?,
        reason: row.try_get("reason")?,
        cap_identifier: row.try_get("cap_identifier")?,
        message_id: row.try_get("message_id")?,
        cancelled_by: row.try_get("cancelled_by")?,
        cancel_message_id: row.try_get("cancel_message_id")?,
        updated_at: DateTime::from_timestamp_millis(updated).unwrap_or_default(),
    })
}

impl Store {
    pub(super) async fn insert_draft(
        &self,
        author_id: i64,
        msg_type: MsgType,
        updates_id: Option<i64>,
        form: &WarningForm,
        now: DateTime<Utc>,
    ) -> Result<i64, StorageError> {
        let form = serde_json::to_string(form).map_err(|e| StorageError::Encoding(e.to_string()))?;
        let row = sqlx::query(
            "INSERT INTO staff_warnings (author_id, state, cap_status, msg_type, updates_id, form, created_at, \
             updated_at) VALUES ($1, 'draft', 'Actual', $2, $3, $4, $5, $5) RETURNING id",
        )
        .bind(author_id)
        .bind(msg_type.as_str())
        .bind(updates_id)
        .bind(form)
        .bind(millis(now))
        .fetch_one(self.pool())
        .await?;
        Ok(row.try_get("id")?)
    }

    pub(super) async fn update_draft_form(
        &self,
        id: i64,
        form: &WarningForm,
        now: DateTime<Utc>,
    ) -> Result<bool, StorageError> {
        let text = serde_json::to_string(form).map_err(|e| StorageError::Encoding(e.to_string()))?;
        let done = sqlx::query(
            "UPDATE staff_warnings SET form = $1, cap_status = $2, updated_at = $3 WHERE id = $4 AND state = 'draft'",
        )
        .bind(text)
        .bind(&form.status)
        .bind(millis(now))
        .bind(id)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Moves a warning from state `from` to `to`, setting the other columns given; false when
    /// it was no longer in `from` (another approver was quicker).
    pub(super) async fn move_draft(
        &self,
        id: i64,
        from: DraftState,
        to: DraftState,
        approver_id: Option<i64>,
        reason: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<bool, StorageError> {
        let done = sqlx::query(
            "UPDATE staff_warnings SET state = $1, approver_id = COALESCE($2, approver_id), \
             reason = COALESCE($3, reason), updated_at = $4 WHERE id = $5 AND state = $6",
        )
        .bind(to.as_str())
        .bind(approver_id)
        .bind(reason)
        .bind(millis(now))
        .bind(id)
        .bind(from.as_str())
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    pub(super) async fn set_draft_message(
        &self,
        id: i64,
        identifier: &str,
        message_id: i64,
    ) -> Result<(), StorageError> {
        sqlx::query("UPDATE staff_warnings SET cap_identifier = $1, message_id = $2 WHERE id = $3")
            .bind(identifier)
            .bind(message_id)
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    pub(super) async fn set_draft_cancelled(
        &self,
        id: i64,
        by: i64,
        message_id: i64,
    ) -> Result<bool, StorageError> {
        let done = sqlx::query(
            "UPDATE staff_warnings SET cancelled_by = $1, cancel_message_id = $2 WHERE id = $3 \
             AND cancel_message_id IS NULL",
        )
        .bind(by)
        .bind(message_id)
        .bind(id)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn console_warning(&self, id: i64) -> Result<Option<DraftRow>, StorageError> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM staff_warnings WHERE id = $1"))
            .bind(id)
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(draft).transpose()
    }

    /// The console's warnings, most recently changed first.
    pub async fn console_warnings(&self, limit: i64) -> Result<Vec<DraftRow>, StorageError> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM staff_warnings ORDER BY updated_at DESC, id DESC LIMIT $1"
        ))
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(draft).collect()
    }
}
