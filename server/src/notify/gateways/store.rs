//! Deliveries to operator gateways, by the outbox rule (`notify::outbox`): claimed once per
//! gateway and message (the replica whose insert wins delivers), beaten while it is retried
//! (`claimed_at`), taken over when silent, then marked delivered or failed with the last error.

use chrono::{DateTime, Utc};
use sqlx::Row;

use crate::platform::store::{StorageError, Store};

/// How a delivery ended (or that it is under way).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryState {
    Sending,
    Delivered,
    Failed,
}

impl DeliveryState {
    fn as_str(self) -> &'static str {
        match self {
            DeliveryState::Sending => "sending",
            DeliveryState::Delivered => "delivered",
            DeliveryState::Failed => "failed",
        }
    }

    fn parse(text: &str) -> Option<DeliveryState> {
        Some(match text {
            "sending" => DeliveryState::Sending,
            "delivered" => DeliveryState::Delivered,
            "failed" => DeliveryState::Failed,
            _ => return None,
        })
    }
}

/// One delivery's record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub state: DeliveryState,
    pub attempts: i64,
    pub last_error: Option<String>,
}

impl Store {
    /// Claims the delivery of `message_id` to `gateway`; `false` when another worker (or
    /// replica) already has it.
    pub async fn claim_delivery(
        &self,
        gateway: &str,
        message_id: i64,
        now: DateTime<Utc>,
    ) -> Result<bool, StorageError> {
        let result = sqlx::query(
            "INSERT INTO gateway_deliveries (gateway, message_id, claimed_at, state) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (gateway, message_id) DO NOTHING",
        )
        .bind(gateway)
        .bind(message_id)
        .bind(now.timestamp_millis())
        .bind(DeliveryState::Sending.as_str())
        .execute(self.pool())
        .await?;
        Ok(result.rows_affected() == 1)
    }

    /// The sender is still at it (between attempts): the claim is not silent.
    pub async fn beat_delivery(
        &self,
        gateway: &str,
        message_id: i64,
        now: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        sqlx::query(
            "UPDATE gateway_deliveries SET claimed_at = $1 WHERE gateway = $2 AND message_id = $3 AND state = $4",
        )
        .bind(now.timestamp_millis())
        .bind(gateway)
        .bind(message_id)
        .bind(DeliveryState::Sending.as_str())
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Takes over `gateway`'s deliveries still sending and silent since `silent_since` (their
    /// replica stopped mid-send); the message ids this replica won, oldest first.
    pub async fn take_over_stalled_deliveries(
        &self,
        gateway: &str,
        silent_since: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Vec<i64>, StorageError> {
        let rows = sqlx::query(
            "SELECT message_id FROM gateway_deliveries WHERE gateway = $1 AND state = $2 AND claimed_at < $3 \
             ORDER BY message_id",
        )
        .bind(gateway)
        .bind(DeliveryState::Sending.as_str())
        .bind(silent_since.timestamp_millis())
        .fetch_all(self.pool())
        .await?;
        let mut taken = Vec::new();
        for row in rows {
            let message_id: i64 = row.try_get("message_id")?;
            // Only one replica's update finds the claim still silent.
            let won = sqlx::query(
                "UPDATE gateway_deliveries SET claimed_at = $1 \
                 WHERE gateway = $2 AND message_id = $3 AND state = $4 AND claimed_at < $5",
            )
            .bind(now.timestamp_millis())
            .bind(gateway)
            .bind(message_id)
            .bind(DeliveryState::Sending.as_str())
            .bind(silent_since.timestamp_millis())
            .execute(self.pool())
            .await?;
            if won.rows_affected() == 1 {
                taken.push(message_id);
            }
        }
        Ok(taken)
    }

    /// Accepted messages received in `[from, until)` with no delivery to `gateway` (missed),
    /// oldest first.
    pub async fn accepted_without_delivery(
        &self,
        gateway: &str,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Vec<i64>, StorageError> {
        let rows = sqlx::query(
            "SELECT m.id AS id FROM cap_messages m WHERE m.state = 'accepted' \
             AND m.received_at >= $1 AND m.received_at < $2 \
             AND NOT EXISTS (SELECT 1 FROM gateway_deliveries d WHERE d.gateway = $3 AND d.message_id = m.id) \
             ORDER BY m.id",
        )
        .bind(from.timestamp_millis())
        .bind(until.timestamp_millis())
        .bind(gateway)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(|row| Ok(row.try_get("id")?)).collect()
    }

    /// Records how a claimed delivery went.
    pub async fn finish_delivery(
        &self,
        gateway: &str,
        message_id: i64,
        state: DeliveryState,
        attempts: i64,
        last_error: Option<&str>,
    ) -> Result<(), StorageError> {
        sqlx::query(
            "UPDATE gateway_deliveries SET state = $1, attempts = $2, last_error = $3 \
             WHERE gateway = $4 AND message_id = $5",
        )
        .bind(state.as_str())
        .bind(attempts)
        .bind(last_error)
        .bind(gateway)
        .bind(message_id)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The record of one delivery, if it was claimed.
    pub async fn delivery(&self, gateway: &str, message_id: i64) -> Result<Option<Delivery>, StorageError> {
        let row = sqlx::query(
            "SELECT state, attempts, last_error FROM gateway_deliveries WHERE gateway = $1 AND message_id = $2",
        )
        .bind(gateway)
        .bind(message_id)
        .fetch_optional(self.pool())
        .await?;
        row.map(|row| {
            let state: String = row.try_get("state")?;
            Ok(Delivery {
                state: DeliveryState::parse(&state)
                    .ok_or_else(|| StorageError::Encoding(format!("state {state:?}")))?,
                attempts: row
                    .try_get::<i64, _>("attempts")
                    .or_else(|_| row.try_get::<i32, _>("attempts").map(i64::from))?,
                last_error: row.try_get("last_error")?,
            })
        })
        .transpose()
    }
}
