//! Deliveries to operator gateways: claimed once per gateway and message (the replica whose
//! insert wins delivers), then marked delivered or failed with the last error.

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
