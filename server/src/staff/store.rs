//! Staff rows: accounts and recovery codes here; sessions, audit lines with failed sign-ins,
//! and volunteers' shelter assignments beside it. Rows stay in these modules; they leave as
//! the types below.

mod audit_rows;
mod sessions;
mod shelter_assignments;

pub use audit_rows::{AuditFilter, AuditRow, NewAuditEntry};
pub use sessions::SessionRow;
pub use shelter_assignments::AssignmentRow;

use chrono::{DateTime, Utc};
use safejdz_app::domain::staff::Roles;
use sqlx::{Row, any::AnyRow};

use crate::platform::store::{StorageError, Store};

/// An account as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffUser {
    pub id: i64,
    pub name: String,
    pub display_name: String,
    pub roles: Roles,
    pub password_hash: String,
    pub must_change_password: bool,
    /// base32; `None` until a second factor is set up.
    pub totp_secret: Option<String>,
    pub totp_last_step: Option<i64>,
    pub disabled: bool,
    pub created_at: DateTime<Utc>,
}

/// A session as stored (the cookie's token is never stored, only its hash).
/// Adding an account failed.
#[derive(Debug, thiserror::Error)]
pub enum AddUserError {
    #[error("an account with this name exists")]
    NameTaken,
    #[error(transparent)]
    Storage(#[from] StorageError),
}

pub(super) fn millis(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis()
}

pub(super) fn time(row: &AnyRow, column: &str) -> Result<DateTime<Utc>, StorageError> {
    let millis: i64 = row.try_get(column)?;
    DateTime::from_timestamp_millis(millis)
        .ok_or_else(|| StorageError::Encoding(format!("{column} {millis}")))
}

const USER_COLUMNS: &str = "id, name, display_name, roles, password_hash, must_change_password, totp_secret, \
     totp_last_step, disabled, created_at";

fn user(row: &AnyRow) -> Result<StaffUser, StorageError> {
    let roles: String = row.try_get("roles")?;
    Ok(StaffUser {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        display_name: row.try_get("display_name")?,
        roles: Roles::parse(&roles).ok_or_else(|| StorageError::Encoding(format!("roles {roles:?}")))?,
        password_hash: row.try_get("password_hash")?,
        must_change_password: row.try_get::<i64, _>("must_change_password")? != 0,
        totp_secret: row.try_get("totp_secret")?,
        totp_last_step: row.try_get("totp_last_step")?,
        disabled: row.try_get::<i64, _>("disabled")? != 0,
        created_at: time(row, "created_at")?,
    })
}

impl Store {
    /// Adds an account that must choose its own password at first sign-in.
    pub async fn add_staff_user(
        &self,
        name: &str,
        display_name: &str,
        roles: &Roles,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<i64, AddUserError> {
        if self.staff_user_by_name(name).await?.is_some() {
            return Err(AddUserError::NameTaken);
        }
        let inserted = sqlx::query(
            "INSERT INTO staff_users (name, display_name, roles, password_hash, must_change_password, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, 1, $5, $5) RETURNING id",
        )
        .bind(name)
        .bind(display_name)
        .bind(roles.to_stored())
        .bind(password_hash)
        .bind(millis(now))
        .fetch_one(self.pool())
        .await;
        match inserted {
            Ok(row) => Ok(row.try_get("id").map_err(StorageError::from)?),
            // Two admins adding the same name at once: the unique index decides.
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(AddUserError::NameTaken),
            Err(e) => Err(StorageError::from(e).into()),
        }
    }

    pub async fn staff_user_by_name(&self, name: &str) -> Result<Option<StaffUser>, StorageError> {
        let row = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM staff_users WHERE name = $1"))
            .bind(name)
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(user).transpose()
    }

    pub async fn staff_user(&self, id: i64) -> Result<Option<StaffUser>, StorageError> {
        let row = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM staff_users WHERE id = $1"))
            .bind(id)
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(user).transpose()
    }

    /// Every account, by name.
    pub async fn staff_users(&self) -> Result<Vec<StaffUser>, StorageError> {
        let rows = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM staff_users ORDER BY name"))
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(user).collect()
    }

    pub async fn count_staff_users(&self) -> Result<i64, StorageError> {
        Ok(sqlx::query("SELECT COUNT(*) AS n FROM staff_users").fetch_one(self.pool()).await?.try_get("n")?)
    }

    pub async fn set_staff_roles(
        &self,
        id: i64,
        roles: &Roles,
        now: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        sqlx::query("UPDATE staff_users SET roles = $1, updated_at = $2 WHERE id = $3")
            .bind(roles.to_stored())
            .bind(millis(now))
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    pub async fn set_staff_display_name(
        &self,
        id: i64,
        display_name: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        sqlx::query("UPDATE staff_users SET display_name = $1, updated_at = $2 WHERE id = $3")
            .bind(display_name)
            .bind(millis(now))
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Disables (or enables) an account; disabling ends its sessions.
    pub async fn set_staff_disabled(
        &self,
        id: i64,
        disabled: bool,
        now: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        sqlx::query("UPDATE staff_users SET disabled = $1, updated_at = $2 WHERE id = $3")
            .bind(i64::from(disabled))
            .bind(millis(now))
            .bind(id)
            .execute(self.pool())
            .await?;
        if disabled {
            self.delete_sessions_of(id).await?;
        }
        Ok(())
    }

    pub async fn set_staff_password(
        &self,
        id: i64,
        password_hash: &str,
        must_change: bool,
        now: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        sqlx::query(
            "UPDATE staff_users SET password_hash = $1, must_change_password = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(password_hash)
        .bind(i64::from(must_change))
        .bind(millis(now))
        .bind(id)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Sets (or, with `None`, removes) the second factor; either way its recovery codes go.
    pub async fn set_staff_totp(
        &self,
        id: i64,
        secret: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "UPDATE staff_users SET totp_secret = $1, totp_last_step = NULL, updated_at = $2 WHERE id = $3",
        )
        .bind(secret)
        .bind(millis(now))
        .bind(id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM staff_recovery_codes WHERE user_id = $1").bind(id).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records that a code of `step` was used, unless one of that step or a later one already
    /// was: false then (a replay). One statement, so two replicas cannot both accept a code.
    pub async fn use_totp_step(&self, id: i64, step: i64) -> Result<bool, StorageError> {
        let done = sqlx::query(
            "UPDATE staff_users SET totp_last_step = $1 WHERE id = $2 \
             AND (totp_last_step IS NULL OR totp_last_step < $1)",
        )
        .bind(step)
        .bind(id)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Replaces the account's recovery codes by these (SHA-256, hex).
    pub async fn replace_recovery_codes(&self, id: i64, code_hashes: &[String]) -> Result<(), StorageError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM staff_recovery_codes WHERE user_id = $1").bind(id).execute(&mut *tx).await?;
        for hash in code_hashes {
            sqlx::query("INSERT INTO staff_recovery_codes (user_id, code_hash) VALUES ($1, $2)")
                .bind(id)
                .bind(hash)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Uses a recovery code: true when it existed and had not been used.
    pub async fn use_recovery_code(
        &self,
        id: i64,
        code_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StorageError> {
        let done = sqlx::query(
            "UPDATE staff_recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL",
        )
        .bind(millis(now))
        .bind(id)
        .bind(code_hash)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn recovery_codes_left(&self, id: i64) -> Result<i64, StorageError> {
        Ok(sqlx::query(
            "SELECT COUNT(*) AS n FROM staff_recovery_codes WHERE user_id = $1 AND used_at IS NULL",
        )
        .bind(id)
        .fetch_one(self.pool())
        .await?
        .try_get("n")?)
    }
}
