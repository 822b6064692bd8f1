//! Facts about this installation kept in the database itself: which schema it has, when it was
//! created. Replicas sharing one PostgreSQL see the same values.

use super::{StorageError, Store};

impl Store {
    /// The value stored under `key`, if any.
    pub async fn instance_value(&self, key: &str) -> Result<Option<String>, StorageError> {
        let value = sqlx::query_scalar::<_, String>("SELECT value FROM instance_facts WHERE key = $1")
            .bind(key)
            .fetch_optional(self.pool())
            .await?;
        Ok(value)
    }

    /// Stores `value` under `key`, replacing an earlier value.
    pub async fn set_instance_value(&self, key: &str, value: &str) -> Result<(), StorageError> {
        sqlx::query(
            "INSERT INTO instance_facts (key, value) VALUES ($1, $2) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(key)
        .bind(value)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Version numbers of the migrations applied, oldest first.
    pub async fn applied_migrations(&self) -> Result<Vec<i64>, StorageError> {
        let versions = sqlx::query_scalar::<_, i64>("SELECT version FROM _sqlx_migrations ORDER BY version")
            .fetch_all(self.pool())
            .await?;
        Ok(versions)
    }
}
