//! The CAP message store: raw bytes first, then the verdict; identities keep one row per
//! (sender, identifier, sent) so that nothing is stored twice.

mod stored_form;

use chrono::{DateTime, Utc};
use safejdz_app::domain::cap::Alert;
use sqlx::Row;

use crate::platform::store::{StorageError, Store};

/// Where a received message stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageState {
    /// Stored, not yet judged (a crash happened in between: judged again at start).
    Received,
    Accepted,
    Quarantined,
    /// Same sender/identifier/sent as an accepted message, with other bytes.
    Duplicate,
    /// An EDXL-DE envelope whose alerts were received one by one.
    Envelope,
}

impl MessageState {
    /// Reads the state as the `state` column spells it.
    fn parse(text: &str) -> MessageState {
        match text {
            "accepted" => MessageState::Accepted,
            "quarantined" => MessageState::Quarantined,
            "duplicate" => MessageState::Duplicate,
            "envelope" => MessageState::Envelope,
            _ => MessageState::Received,
        }
    }
}

/// A stored message without its raw bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredMessage {
    pub id: i64,
    pub source: String,
    pub received_at: DateTime<Utc>,
    pub state: MessageState,
    pub reason: Option<String>,
    pub duplicate_of: Option<i64>,
}

/// A message stored but not yet judged.
#[derive(Debug, Clone, PartialEq)]
pub struct UnjudgedMessage {
    pub id: i64,
    pub source: String,
    pub received_at: DateTime<Utc>,
    pub raw: Vec<u8>,
}

/// An accepted alert with its store id.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredAlert {
    pub id: i64,
    pub source: String,
    pub received_at: DateTime<Utc>,
    pub alert: Alert,
}

fn millis(time: DateTime<Utc>) -> i64 {
    time.timestamp_millis()
}

fn from_millis(value: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(value).unwrap_or_default()
}

impl Store {
    /// A message already stored with exactly these bytes, if any (a poll that saw it before).
    pub async fn message_with_bytes(&self, raw_sha256: &str) -> Result<Option<StoredMessage>, StorageError> {
        let row = sqlx::query(
            "SELECT id, source, received_at, state, reason, duplicate_of FROM cap_messages \
             WHERE raw_sha256 = $1 AND state <> 'received' ORDER BY id LIMIT 1",
        )
        .bind(raw_sha256)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(stored_message).transpose()
    }

    /// Stores the raw bytes of a message as received; returns its id. Committed before any
    /// parsing, so a crash after this point loses nothing.
    pub async fn insert_received(
        &self,
        source: &str,
        raw: &[u8],
        raw_sha256: &str,
        received_at: DateTime<Utc>,
    ) -> Result<i64, StorageError> {
        let id = sqlx::query_scalar::<_, i64>(
            "INSERT INTO cap_messages (source, received_at, raw, raw_sha256, state) \
             VALUES ($1, $2, $3, $4, 'received') RETURNING id",
        )
        .bind(source)
        .bind(millis(received_at))
        .bind(raw)
        .bind(raw_sha256)
        .fetch_one(self.pool())
        .await?;
        Ok(id)
    }

    /// Marks a received message as quarantined with the reason.
    pub async fn quarantine(&self, id: i64, reason: &str) -> Result<(), StorageError> {
        sqlx::query("UPDATE cap_messages SET state = 'quarantined', reason = $2 WHERE id = $1")
            .bind(id)
            .bind(reason)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Accepts a received message, unless an accepted one has the same identity; then it is a
    /// duplicate and the earlier id is returned as `Err`. One transaction: no half state.
    pub async fn accept(&self, id: i64, alert: &Alert) -> Result<Result<(), i64>, StorageError> {
        let alert_json = stored_form::encode(alert);
        let sent_at = alert.sent.timestamp_millis();
        let mut tx = self.begin_write().await?;
        let inserted = sqlx::query(
            "INSERT INTO cap_identities (message_id, sender, identifier, sent_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .bind(&alert.sender)
        .bind(&alert.identifier)
        .bind(sent_at)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let outcome = if inserted == 1 {
            sqlx::query(
                "UPDATE cap_messages SET state = 'accepted', alert_json = $2, sent_at = $3, status = $4, msg_type = $5 \
                 WHERE id = $1",
            )
            .bind(id)
            .bind(&alert_json)
            .bind(sent_at)
            .bind(alert.status.as_str())
            .bind(alert.msg_type.as_str())
            .execute(&mut *tx)
            .await?;
            Ok(())
        } else {
            let original = sqlx::query_scalar::<_, i64>(
                "SELECT message_id FROM cap_identities WHERE sender = $1 AND identifier = $2 AND sent_at = $3",
            )
            .bind(&alert.sender)
            .bind(&alert.identifier)
            .bind(sent_at)
            .fetch_optional(&mut *tx)
            .await?;
            match original {
                // Another judge (a replica's recovery) accepted this very row meanwhile.
                Some(original) if original == id => Ok(()),
                Some(original) => {
                    sqlx::query(
                        "UPDATE cap_messages SET state = 'duplicate', duplicate_of = $2 WHERE id = $1",
                    )
                    .bind(id)
                    .bind(original)
                    .execute(&mut *tx)
                    .await?;
                    Err(original)
                }
                // The conflict was on this row's own identity under another key: already judged.
                None => Ok(()),
            }
        };
        tx.commit().await?;
        Ok(outcome)
    }

    /// Messages received at or before `received_before` but never judged (the process stopped
    /// in between), oldest first.
    pub async fn unjudged_messages(
        &self,
        received_before: DateTime<Utc>,
    ) -> Result<Vec<UnjudgedMessage>, StorageError> {
        let rows = sqlx::query(
            "SELECT id, source, received_at, raw FROM cap_messages \
             WHERE state = 'received' AND received_at <= $1 ORDER BY id",
        )
        .bind(millis(received_before))
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(UnjudgedMessage {
                    id: row.try_get("id")?,
                    source: row.try_get("source")?,
                    received_at: from_millis(row.try_get("received_at")?),
                    raw: row.try_get("raw")?,
                })
            })
            .collect()
    }

    /// Marks a received EDXL-DE envelope as split into its alerts.
    pub async fn mark_envelope(&self, id: i64) -> Result<(), StorageError> {
        sqlx::query("UPDATE cap_messages SET state = 'envelope' WHERE id = $1")
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// The raw bytes of a message, exactly as received.
    pub async fn raw_message(&self, id: i64) -> Result<Option<Vec<u8>>, StorageError> {
        let raw = sqlx::query_scalar::<_, Vec<u8>>("SELECT raw FROM cap_messages WHERE id = $1")
            .bind(id)
            .fetch_optional(self.pool())
            .await?;
        Ok(raw)
    }

    /// The quarantine, newest first.
    pub async fn quarantined_messages(&self, limit: i64) -> Result<Vec<StoredMessage>, StorageError> {
        let rows = sqlx::query(
            "SELECT id, source, received_at, state, reason, duplicate_of FROM cap_messages WHERE state = 'quarantined' \
             ORDER BY id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(stored_message).collect()
    }

    /// Accepted alerts sent at or after `since`, oldest first.
    pub async fn accepted_alerts_since(
        &self,
        since: DateTime<Utc>,
    ) -> Result<Vec<StoredAlert>, StorageError> {
        let rows = sqlx::query(
            "SELECT id, source, received_at, alert_json FROM cap_messages \
             WHERE state = 'accepted' AND sent_at >= $1 ORDER BY sent_at, id",
        )
        .bind(millis(since))
        .fetch_all(self.pool())
        .await?;
        Ok(decodable(&rows))
    }

    /// One accepted alert.
    pub async fn accepted_alert(&self, id: i64) -> Result<Option<StoredAlert>, StorageError> {
        let row = sqlx::query(
            "SELECT id, source, received_at, alert_json FROM cap_messages WHERE id = $1 AND state = 'accepted'",
        )
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.as_ref().and_then(|row| decodable(std::slice::from_ref(row)).pop()))
    }

    /// Accepted alerts with an id above `after`, oldest first, from at most `limit` rows (the
    /// change feed of the live stream).
    pub async fn accepted_alerts_after(&self, after: i64, limit: i64) -> Result<AcceptedPage, StorageError> {
        let rows = sqlx::query(
            "SELECT id, source, received_at, alert_json FROM cap_messages \
             WHERE state = 'accepted' AND id > $1 ORDER BY id LIMIT $2",
        )
        .bind(after)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        let last_id = match rows.last() {
            Some(row) => Some(row.try_get::<i64, _>("id")?),
            None => None,
        };
        Ok(AcceptedPage { alerts: decodable(&rows), rows: rows.len(), last_id })
    }

    /// The highest id below which every message has been judged: ids are taken when a message
    /// is received, so a later id may be accepted before an earlier one; the live stream reads
    /// past this mark until it moves.
    pub async fn judged_through(&self) -> Result<i64, StorageError> {
        self.judged_through_before(DateTime::<Utc>::MAX_UTC).await
    }

    /// [`Store::judged_through`] as it stood for the messages received before `instant`: where
    /// a live stream that started at `instant` begins (everything above is news to it).
    pub async fn judged_through_before(&self, instant: DateTime<Utc>) -> Result<i64, StorageError> {
        let row = sqlx::query(
            "SELECT (SELECT MIN(id) FROM cap_messages WHERE state = 'received' AND received_at < $1) AS pending, \
                    (SELECT MAX(id) FROM cap_messages WHERE received_at < $1) AS newest",
        )
        .bind(millis(instant))
        .fetch_one(self.pool())
        .await?;
        let pending: Option<i64> = row.try_get("pending")?;
        let newest: Option<i64> = row.try_get("newest")?;
        Ok(match pending {
            Some(pending) => pending - 1,
            None => newest.unwrap_or(0),
        })
    }

    /// One stored message's row (without its bytes).
    pub async fn message(&self, id: i64) -> Result<Option<StoredMessage>, StorageError> {
        let row = sqlx::query(
            "SELECT id, source, received_at, state, reason, duplicate_of FROM cap_messages WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(stored_message).transpose()
    }

    /// Messages received since `since`, by source.
    pub async fn received_counts_since(
        &self,
        since: DateTime<Utc>,
    ) -> Result<Vec<(String, i64)>, StorageError> {
        let rows = sqlx::query(
            "SELECT source, COUNT(*) AS n FROM cap_messages WHERE received_at >= $1 GROUP BY source ORDER BY source",
        )
        .bind(millis(since))
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(|row| Ok((row.try_get("source")?, row.try_get("n")?))).collect()
    }

    /// How many messages are in each state (for health and tests).
    pub async fn message_counts(&self) -> Result<Vec<(String, i64)>, StorageError> {
        let rows = sqlx::query("SELECT state, COUNT(*) AS n FROM cap_messages GROUP BY state ORDER BY state")
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(|row| Ok((row.try_get("state")?, row.try_get("n")?))).collect()
    }
}

/// A message's row; a column that cannot be read is an error, never a made-up value (an id 0).
fn stored_message(row: &sqlx::any::AnyRow) -> Result<StoredMessage, StorageError> {
    Ok(StoredMessage {
        id: row.try_get("id")?,
        source: row.try_get("source")?,
        received_at: from_millis(row.try_get("received_at")?),
        state: MessageState::parse(&row.try_get::<String, _>("state")?),
        reason: row.try_get("reason")?,
        duplicate_of: row.try_get("duplicate_of")?,
    })
}

/// One page of [`Store::accepted_alerts_after`]: the alerts that could be read, and how far the
/// page went (rows that could not be decoded count, so the reader moves past them).
#[derive(Debug)]
pub struct AcceptedPage {
    pub alerts: Vec<StoredAlert>,
    /// Rows read, decodable or not.
    pub rows: usize,
    /// The id of the last row read.
    pub last_id: Option<i64>,
}

/// The rows that decode; a row that does not is logged and left out, so that one bad row (an
/// older format, a damaged value) hides one message, never every page.
fn decodable(rows: &[sqlx::any::AnyRow]) -> Vec<StoredAlert> {
    rows.iter()
        .filter_map(|row| match stored_alert(row) {
            Ok(alert) => Some(alert),
            Err(error) => {
                let id: Option<i64> = row.try_get("id").ok();
                tracing::error!(?id, %error, "a stored alert cannot be read; it is left out");
                None
            }
        })
        .collect()
}

fn stored_alert(row: &sqlx::any::AnyRow) -> Result<StoredAlert, StorageError> {
    let json: String = row.try_get("alert_json")?;
    Ok(StoredAlert {
        id: row.try_get("id")?,
        source: row.try_get("source")?,
        received_at: from_millis(row.try_get("received_at")?),
        alert: stored_form::decode(&json).map_err(|e| StorageError::Encoding(e.to_string()))?,
    })
}
