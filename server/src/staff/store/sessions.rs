//! Session rows: one per staff session, keyed by the SHA-256 of the cookie's token.

use chrono::{DateTime, Utc};
use safejdz_app::domain::staff::Stage;
use sqlx::{Row, any::AnyRow};

use super::{millis, time};
use crate::platform::store::{StorageError, Store};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    pub token_hash: String,
    pub user_id: Option<i64>,
    pub stage: Stage,
    pub csrf_token: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub pending_secret: Option<String>,
    pub flash: Option<String>,
}

const SESSION_COLUMNS: &str =
    "token_hash, user_id, stage, csrf_token, created_at, last_seen_at, pending_secret, flash";

fn session(row: &AnyRow) -> Result<SessionRow, StorageError> {
    let stage: String = row.try_get("stage")?;
    Ok(SessionRow {
        token_hash: row.try_get("token_hash")?,
        user_id: row.try_get("user_id")?,
        stage: Stage::from_name(&stage).ok_or_else(|| StorageError::Encoding(format!("stage {stage:?}")))?,
        csrf_token: row.try_get("csrf_token")?,
        created_at: time(row, "created_at")?,
        last_seen_at: time(row, "last_seen_at")?,
        pending_secret: row.try_get("pending_secret")?,
        flash: row.try_get("flash")?,
    })
}

impl Store {
    pub async fn insert_session(&self, row: &SessionRow) -> Result<(), StorageError> {
        sqlx::query(
            "INSERT INTO staff_sessions (token_hash, user_id, stage, csrf_token, created_at, last_seen_at, \
             pending_secret, flash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&row.token_hash)
        .bind(row.user_id)
        .bind(row.stage.as_str())
        .bind(&row.csrf_token)
        .bind(millis(row.created_at))
        .bind(millis(row.last_seen_at))
        .bind(&row.pending_secret)
        .bind(&row.flash)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    pub async fn session(&self, token_hash: &str) -> Result<Option<SessionRow>, StorageError> {
        let row = sqlx::query(&format!("SELECT {SESSION_COLUMNS} FROM staff_sessions WHERE token_hash = $1"))
            .bind(token_hash)
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(session).transpose()
    }

    pub async fn touch_session(&self, token_hash: &str, now: DateTime<Utc>) -> Result<(), StorageError> {
        sqlx::query("UPDATE staff_sessions SET last_seen_at = $1 WHERE token_hash = $2")
            .bind(millis(now))
            .bind(token_hash)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    pub async fn set_session_pending_secret(
        &self,
        token_hash: &str,
        secret: Option<&str>,
    ) -> Result<(), StorageError> {
        sqlx::query("UPDATE staff_sessions SET pending_secret = $1 WHERE token_hash = $2")
            .bind(secret)
            .bind(token_hash)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    pub async fn set_session_flash(&self, token_hash: &str, flash: Option<&str>) -> Result<(), StorageError> {
        sqlx::query("UPDATE staff_sessions SET flash = $1 WHERE token_hash = $2")
            .bind(flash)
            .bind(token_hash)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<(), StorageError> {
        sqlx::query("DELETE FROM staff_sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Ends every session of an account (disabled, reset, or a new password).
    pub async fn delete_sessions_of(&self, user_id: i64) -> Result<u64, StorageError> {
        let done = sqlx::query("DELETE FROM staff_sessions WHERE user_id = $1")
            .bind(user_id)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected())
    }

    /// Deletes sessions begun before `created_before` or idle since before `seen_before`.
    pub async fn purge_sessions(
        &self,
        created_before: DateTime<Utc>,
        seen_before: DateTime<Utc>,
    ) -> Result<u64, StorageError> {
        let done = sqlx::query("DELETE FROM staff_sessions WHERE created_at < $1 OR last_seen_at < $2")
            .bind(millis(created_before))
            .bind(millis(seen_before))
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected())
    }
}
