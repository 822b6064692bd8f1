//! Audit rows (append-only: the database refuses changes) and failed sign-ins (throttling).

use chrono::{DateTime, Utc};
use sqlx::Row;

use super::{millis, time};
use crate::platform::store::{StorageError, Store};

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRow {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub action: String,
    pub object: String,
    pub address: String,
    pub detail: String,
}

/// A line to append to the audit log.
#[derive(Debug, Clone)]
pub struct NewAuditEntry<'a> {
    pub at: DateTime<Utc>,
    pub actor_id: Option<i64>,
    pub actor_name: &'a str,
    pub action: &'a str,
    pub object: &'a str,
    pub address: &'a str,
    pub detail: &'a str,
}

/// Which audit lines to read: every condition given must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub actor: Option<String>,
    /// An action or the start of one (`user.` for every account change).
    pub action: Option<String>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    /// The most lines read; 0: all.
    pub limit: i64,
}

impl Store {
    pub async fn record_login_failure(
        &self,
        scope: &str,
        key: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        sqlx::query("INSERT INTO staff_login_failures (scope, key, at) VALUES ($1, $2, $3)")
            .bind(scope)
            .bind(key)
            .bind(millis(at))
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// The failures of `key` since `since`, and the earliest of them.
    pub async fn login_failures_since(
        &self,
        scope: &str,
        key: &str,
        since: DateTime<Utc>,
    ) -> Result<(i64, Option<DateTime<Utc>>), StorageError> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n, MIN(at) AS first FROM staff_login_failures WHERE scope = $1 AND key = $2 AND at >= $3",
        )
        .bind(scope)
        .bind(key)
        .bind(millis(since))
        .fetch_one(self.pool())
        .await?;
        let first: Option<i64> = row.try_get("first")?;
        Ok((row.try_get("n")?, first.and_then(DateTime::from_timestamp_millis)))
    }

    pub async fn clear_login_failures(&self, scope: &str, key: &str) -> Result<(), StorageError> {
        sqlx::query("DELETE FROM staff_login_failures WHERE scope = $1 AND key = $2")
            .bind(scope)
            .bind(key)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    pub async fn purge_login_failures(&self, before: DateTime<Utc>) -> Result<(), StorageError> {
        sqlx::query("DELETE FROM staff_login_failures WHERE at < $1")
            .bind(millis(before))
            .execute(self.pool())
            .await?;
        Ok(())
    }

    pub async fn append_audit(&self, entry: &NewAuditEntry<'_>) -> Result<(), StorageError> {
        sqlx::query(
            "INSERT INTO staff_audit (at, actor_id, actor_name, action, object, address, detail) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(millis(entry.at))
        .bind(entry.actor_id)
        .bind(entry.actor_name)
        .bind(entry.action)
        .bind(entry.object)
        .bind(entry.address)
        .bind(entry.detail)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Audit lines matching `filter`, newest first.
    pub async fn audit(&self, filter: &AuditFilter) -> Result<Vec<AuditRow>, StorageError> {
        let rows = sqlx::query(
            "SELECT id, at, actor_id, actor_name, action, object, address, detail FROM staff_audit \
             WHERE ($1 = '' OR actor_name = $1) AND ($2 = '' OR action = $2 OR action LIKE $3) \
             AND at >= $4 AND at <= $5 ORDER BY id DESC LIMIT $6",
        )
        .bind(filter.actor.clone().unwrap_or_default())
        .bind(filter.action.clone().unwrap_or_default())
        .bind(
            filter
                .action
                .as_deref()
                .filter(|a| a.ends_with('.'))
                .map(|a| format!("{a}%"))
                .unwrap_or_default(),
        )
        .bind(filter.since.map_or(i64::MIN, millis))
        .bind(filter.until.map_or(i64::MAX, millis))
        .bind(if filter.limit > 0 { filter.limit } else { i64::MAX })
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(AuditRow {
                    id: row.try_get("id")?,
                    at: time(row, "at")?,
                    actor_id: row.try_get("actor_id")?,
                    actor_name: row.try_get("actor_name")?,
                    action: row.try_get("action")?,
                    object: row.try_get("object")?,
                    address: row.try_get("address")?,
                    detail: row.try_get("detail")?,
                })
            })
            .collect()
    }
}
