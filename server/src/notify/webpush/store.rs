//! Web Push subscriptions (coarse places, chosen levels, language; the push endpoint and keys)
//! and the record of each warning's fan-out, claimed once across replicas.

use chrono::{DateTime, Utc};
use sqlx::{Row, any::AnyRow};

use crate::platform::store::{StorageError, Store};

/// A subscription as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushSubscription {
    pub id: i64,
    /// The browser's handle on its row (an HttpOnly cookie), never shown.
    pub token: String,
    pub endpoint: String,
    /// base64url of the browser's P-256 public key.
    pub p256dh: String,
    /// base64url of the browser's 16-byte auth secret.
    pub auth: String,
    /// The saved places in the places cookie's form (division codes, 0.01° cells).
    pub places: String,
    /// The levels that notify, `red,orange,yellow,blue`.
    pub levels: String,
    pub lang: String,
}

/// What a browser subscribes with (the token is made here for a new endpoint).
#[derive(Debug, Clone)]
pub struct NewPushSubscription<'a> {
    pub token: &'a str,
    pub endpoint: &'a str,
    pub p256dh: &'a str,
    pub auth: &'a str,
    pub places: &'a str,
    pub levels: &'a str,
    pub lang: &'a str,
}

/// How one warning's fan-out went.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FanoutCounts {
    pub matched: i64,
    pub delivered: i64,
    /// Subscriptions the push service said are gone (404/410), deleted.
    pub removed: i64,
    pub failed: i64,
}

const COLUMNS: &str = "id, token, endpoint, p256dh, auth, places, levels, lang";

fn subscription(row: &AnyRow) -> Result<PushSubscription, StorageError> {
    Ok(PushSubscription {
        id: row.try_get("id")?,
        token: row.try_get("token")?,
        endpoint: row.try_get("endpoint")?,
        p256dh: row.try_get("p256dh")?,
        auth: row.try_get("auth")?,
        places: row.try_get("places")?,
        levels: row.try_get("levels")?,
        lang: row.try_get("lang")?,
    })
}

fn fanout_counts(row: &AnyRow) -> Result<FanoutCounts, StorageError> {
    Ok(FanoutCounts {
        matched: row.try_get("matched")?,
        delivered: row.try_get("delivered")?,
        removed: row.try_get("removed")?,
        failed: row.try_get("failed")?,
    })
}

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

/// Binds the four counts, in the order `matched, delivered, removed, failed`.
fn bind_counts(query: AnyQuery<'_>, counts: FanoutCounts) -> AnyQuery<'_> {
    query.bind(counts.matched).bind(counts.delivered).bind(counts.removed).bind(counts.failed)
}

/// The outbox channel of Web Push fan-outs (one per message).
pub const WEBPUSH_CHANNEL: &str = "webpush";

impl Store {
    /// Stores a subscription, or refreshes the one with the same endpoint (a browser that
    /// subscribes again keeps its row and token). Returns the row's token.
    pub async fn save_push_subscription(
        &self,
        new: &NewPushSubscription<'_>,
        now: DateTime<Utc>,
    ) -> Result<String, StorageError> {
        let row = sqlx::query(
            "INSERT INTO push_subscriptions (token, endpoint, p256dh, auth, places, levels, lang, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) \
             ON CONFLICT (endpoint) DO UPDATE SET p256dh = excluded.p256dh, auth = excluded.auth, \
             places = excluded.places, levels = excluded.levels, lang = excluded.lang, updated_at = excluded.updated_at \
             RETURNING token",
        )
        .bind(new.token)
        .bind(new.endpoint)
        .bind(new.p256dh)
        .bind(new.auth)
        .bind(new.places)
        .bind(new.levels)
        .bind(new.lang)
        .bind(now.timestamp_millis())
        .fetch_one(self.pool())
        .await?;
        Ok(row.try_get("token")?)
    }

    /// The subscription a browser's cookie names.
    pub async fn push_subscription_by_token(
        &self,
        token: &str,
    ) -> Result<Option<PushSubscription>, StorageError> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM push_subscriptions WHERE token = $1"))
            .bind(token)
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(subscription).transpose()
    }

    /// Follows the browser's saved places (they changed on the page). `false`: no such row.
    pub async fn update_push_places(
        &self,
        token: &str,
        places: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StorageError> {
        self.update_push_choice("places", token, places, now).await
    }

    /// Changes the levels that notify. `false`: no such row.
    pub async fn update_push_levels(
        &self,
        token: &str,
        levels: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StorageError> {
        self.update_push_choice("levels", token, levels, now).await
    }

    /// Sets one of the resident's choices (`column` is one of this module's names, never input).
    async fn update_push_choice(
        &self,
        column: &'static str,
        token: &str,
        value: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StorageError> {
        let result = sqlx::query(&format!(
            "UPDATE push_subscriptions SET {column} = $1, updated_at = $2 WHERE token = $3"
        ))
        .bind(value)
        .bind(now.timestamp_millis())
        .bind(token)
        .execute(self.pool())
        .await?;
        Ok(result.rows_affected() == 1)
    }

    /// Unsubscribes the browser holding `token`. `false`: it was not subscribed.
    pub async fn delete_push_subscription_by_token(&self, token: &str) -> Result<bool, StorageError> {
        let result = sqlx::query("DELETE FROM push_subscriptions WHERE token = $1")
            .bind(token)
            .execute(self.pool())
            .await?;
        Ok(result.rows_affected() == 1)
    }

    /// Deletes a subscription the push service says is gone.
    pub async fn delete_push_subscription(&self, id: i64) -> Result<(), StorageError> {
        sqlx::query("DELETE FROM push_subscriptions WHERE id = $1").bind(id).execute(self.pool()).await?;
        Ok(())
    }

    /// Records a test notification unless one was sent after `not_since`; `false` then (the
    /// button cannot be used to flood a push service from our address).
    pub async fn claim_test_notification(
        &self,
        token: &str,
        now: DateTime<Utc>,
        not_since: DateTime<Utc>,
    ) -> Result<bool, StorageError> {
        let result = sqlx::query(
            "UPDATE push_subscriptions SET last_test_at = $1 \
             WHERE token = $2 AND (last_test_at IS NULL OR last_test_at < $3)",
        )
        .bind(now.timestamp_millis())
        .bind(token)
        .bind(not_since.timestamp_millis())
        .execute(self.pool())
        .await?;
        Ok(result.rows_affected() == 1)
    }

    /// Up to `limit` subscriptions with ids above `after`, by id: the fan-out reads them all
    /// in pages, whatever their number.
    pub async fn push_subscriptions_after(
        &self,
        after: i64,
        limit: i64,
    ) -> Result<Vec<PushSubscription>, StorageError> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM push_subscriptions WHERE id > $1 ORDER BY id LIMIT $2"
        ))
        .bind(after)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(subscription).collect()
    }

    /// How many subscriptions there are.
    pub async fn count_push_subscriptions(&self) -> Result<i64, StorageError> {
        Ok(sqlx::query("SELECT COUNT(*) AS n FROM push_subscriptions")
            .fetch_one(self.pool())
            .await?
            .try_get("n")?)
    }

    /// Claims the fan-out of `message_id`; `false` when another replica has it.
    pub async fn claim_push_fanout(&self, message_id: i64, now: DateTime<Utc>) -> Result<bool, StorageError> {
        self.claim_outbox(WEBPUSH_CHANNEL, message_id, now).await
    }

    /// The fan-out of `message_id` is alive and has handled every subscription up to
    /// `done_through`, with `counts` so far.
    pub async fn beat_push_fanout(
        &self,
        message_id: i64,
        done_through: i64,
        counts: FanoutCounts,
        now: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        let query = sqlx::query(
            "UPDATE outbox SET claimed_at = $1, progress = $2, matched = $3, delivered = $4, \
             removed = $5, failed = $6 WHERE channel = $7 AND message_id = $8 AND finished_at IS NULL",
        )
        .bind(now.timestamp_millis())
        .bind(done_through);
        bind_counts(query, counts).bind(WEBPUSH_CHANNEL).bind(message_id).execute(self.pool()).await?;
        Ok(())
    }

    /// Takes over fan-outs whose replica stopped beating before `silent_since`: each returned
    /// one is now this caller's, with where it got to and its counts so far.
    pub async fn take_over_stalled_push_fanouts(
        &self,
        silent_since: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Vec<(i64, i64, FanoutCounts)>, StorageError> {
        let mut taken = Vec::new();
        for message_id in self.take_over_outbox(WEBPUSH_CHANNEL, silent_since, now).await? {
            let row = sqlx::query(
                "SELECT progress, matched, delivered, removed, failed FROM outbox WHERE channel = $1 AND message_id = $2",
            )
            .bind(WEBPUSH_CHANNEL)
            .bind(message_id)
            .fetch_one(self.pool())
            .await?;
            taken.push((message_id, row.try_get("progress")?, fanout_counts(&row)?));
        }
        Ok(taken)
    }

    /// Accepted messages received in `[from, until)` that no replica has fanned out (missed,
    /// e.g. when a process fell behind its event stream), oldest first.
    pub async fn accepted_without_fanout(
        &self,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Vec<i64>, StorageError> {
        self.unclaimed_in_outbox(WEBPUSH_CHANNEL, from, until).await
    }

    /// Records how a claimed fan-out went.
    pub async fn finish_push_fanout(
        &self,
        message_id: i64,
        counts: FanoutCounts,
        now: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        let query = sqlx::query(
            "UPDATE outbox SET finished_at = $1, state = 'delivered', matched = $2, delivered = $3, removed = $4, \
             failed = $5 WHERE channel = $6 AND message_id = $7",
        )
        .bind(now.timestamp_millis());
        bind_counts(query, counts).bind(WEBPUSH_CHANNEL).bind(message_id).execute(self.pool()).await?;
        Ok(())
    }

    /// How the fan-out of `message_id` went, once finished.
    pub async fn push_fanout(&self, message_id: i64) -> Result<Option<FanoutCounts>, StorageError> {
        let row = sqlx::query(
            "SELECT matched, delivered, removed, failed FROM outbox \
             WHERE channel = $1 AND message_id = $2 AND finished_at IS NOT NULL",
        )
        .bind(WEBPUSH_CHANNEL)
        .bind(message_id)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(fanout_counts).transpose()
    }
}
