//! Deliveries to operator gateways, in the shared outbox (`platform::outbox`, channel
//! `gateway:<name>`): claimed once per gateway and message (the replica whose insert wins
//! delivers), beaten while it is retried, taken over when silent, then marked delivered or
//! failed with the attempts and the last error.

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

/// The outbox channel of deliveries to `gateway`.
fn channel(gateway: &str) -> String {
    format!("gateway:{gateway}")
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
        self.claim_outbox(&channel(gateway), message_id, now).await
    }

    /// The sender is still at it (between attempts): the claim is not silent.
    pub async fn beat_delivery(
        &self,
        gateway: &str,
        message_id: i64,
        now: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        self.beat_outbox(&channel(gateway), message_id, now).await
    }

    /// Takes over `gateway`'s deliveries still sending and silent since `silent_since` (their
    /// replica stopped mid-send); the message ids this replica won, oldest first.
    pub async fn take_over_stalled_deliveries(
        &self,
        gateway: &str,
        silent_since: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Vec<i64>, StorageError> {
        self.take_over_outbox(&channel(gateway), silent_since, now).await
    }

    /// Accepted messages received in `[from, until)` with no delivery to `gateway` (missed),
    /// oldest first.
    pub async fn accepted_without_delivery(
        &self,
        gateway: &str,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Vec<i64>, StorageError> {
        self.unclaimed_in_outbox(&channel(gateway), from, until).await
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
        // A delivery still `sending` stays open to take-over; an outcome closes it.
        let finished_at = (state != DeliveryState::Sending).then(|| Utc::now().timestamp_millis());
        sqlx::query(
            "UPDATE outbox SET state = $1, attempts = $2, last_error = $3, finished_at = $4 \
             WHERE channel = $5 AND message_id = $6",
        )
        .bind(state.as_str())
        .bind(attempts)
        .bind(last_error)
        .bind(finished_at)
        .bind(channel(gateway))
        .bind(message_id)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The record of one delivery, if it was claimed.
    pub async fn delivery(&self, gateway: &str, message_id: i64) -> Result<Option<Delivery>, StorageError> {
        let row = sqlx::query(
            "SELECT state, attempts, last_error FROM outbox WHERE channel = $1 AND message_id = $2",
        )
        .bind(channel(gateway))
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
