//! The outbox table every delivery channel claims its work in (the rule: `notify::outbox`).
//! A channel is a name (`webpush`, `gateway:<name>`); its own columns (progress, counts,
//! attempts) are written by its store beside these shared steps.

use chrono::{DateTime, Utc};
use sqlx::Row;

use super::store::{StorageError, Store};

impl Store {
    /// Claims `message_id` on `channel`; `false` when another worker (or replica) has it.
    pub async fn claim_outbox(
        &self,
        channel: &str,
        message_id: i64,
        now: DateTime<Utc>,
    ) -> Result<bool, StorageError> {
        let result = sqlx::query(
            "INSERT INTO outbox (channel, message_id, claimed_at, state) VALUES ($1, $2, $3, 'sending') \
             ON CONFLICT (channel, message_id) DO NOTHING",
        )
        .bind(channel)
        .bind(message_id)
        .bind(now.timestamp_millis())
        .execute(self.pool())
        .await?;
        Ok(result.rows_affected() == 1)
    }

    /// The claim's worker is still at it.
    pub async fn beat_outbox(
        &self,
        channel: &str,
        message_id: i64,
        now: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        sqlx::query(
            "UPDATE outbox SET claimed_at = $1 WHERE channel = $2 AND message_id = $3 AND finished_at IS NULL",
        )
        .bind(now.timestamp_millis())
        .bind(channel)
        .bind(message_id)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Takes over `channel`'s unfinished claims silent since before `silent_since` (their
    /// replica stopped); the message ids this caller won, oldest first.
    pub async fn take_over_outbox(
        &self,
        channel: &str,
        silent_since: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Vec<i64>, StorageError> {
        let rows = sqlx::query(
            "SELECT message_id FROM outbox WHERE channel = $1 AND finished_at IS NULL AND claimed_at < $2 \
             ORDER BY message_id",
        )
        .bind(channel)
        .bind(silent_since.timestamp_millis())
        .fetch_all(self.pool())
        .await?;
        let mut taken = Vec::new();
        for row in rows {
            let message_id: i64 = row.try_get("message_id")?;
            // Only one replica's update finds the claim still silent.
            let won = sqlx::query(
                "UPDATE outbox SET claimed_at = $1 \
                 WHERE channel = $2 AND message_id = $3 AND finished_at IS NULL AND claimed_at < $4",
            )
            .bind(now.timestamp_millis())
            .bind(channel)
            .bind(message_id)
            .bind(silent_since.timestamp_millis())
            .execute(self.pool())
            .await?;
            if won.rows_affected() == 1 {
                taken.push(message_id);
            }
        }
        Ok(taken)
    }

    /// Accepted messages received in `[from, until)` that `channel` never claimed, oldest first.
    pub async fn unclaimed_in_outbox(
        &self,
        channel: &str,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Vec<i64>, StorageError> {
        let rows = sqlx::query(
            "SELECT m.id AS id FROM cap_messages m WHERE m.state = 'accepted' \
             AND m.received_at >= $1 AND m.received_at < $2 \
             AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.channel = $3 AND o.message_id = m.id) ORDER BY m.id",
        )
        .bind(from.timestamp_millis())
        .bind(until.timestamp_millis())
        .bind(channel)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(|row| Ok(row.try_get("id")?)).collect()
    }
}
