//! Ingest: every CAP message, from any source (push, poll, CLI), passes through
//! [`Ingest::receive`]: stored raw first, then judged (accepted, duplicate or quarantined).
//! Nothing acknowledged is lost and nothing is stored twice, also across a crash.

pub mod demo;

use chrono::{DateTime, Utc};
use safejdz_app::domain::cap::{ParseOptions, decode_xml, parse_alert, parse_document, split_envelope};
use std::sync::Arc;

use sha2::{Digest, Sha256};
use tokio::sync::Notify;

use super::recent::AcceptedVersion;
use crate::{
    platform::store::{Backend, StorageError, Store},
    warnings::signatures::{self, SignatureRules},
    warnings::store::MessageState,
};

/// Age after which an unjudged message is taken to be abandoned by the replica that stored it.
pub const RECOVERY_AGE: chrono::Duration = chrono::Duration::seconds(60);

/// The outcome for one received message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// New and valid: stored under `id`.
    Accepted { id: i64 },
    /// Seen before (same bytes, or same sender/identifier/sent): the earlier `id`.
    Duplicate { id: i64 },
    /// Refused and kept in the quarantine under `id` with the reason.
    Quarantined { id: i64, reason: String },
    /// An EDXL-DE envelope stored under `id`, and the verdict on each alert in it.
    Envelope { id: i64, parts: Vec<Verdict> },
}

impl Verdict {
    /// The stored id the verdict is about.
    pub fn id(&self) -> i64 {
        match self {
            Verdict::Accepted { id }
            | Verdict::Duplicate { id }
            | Verdict::Quarantined { id, .. }
            | Verdict::Envelope { id, .. } => *id,
        }
    }

    /// Whether anything in it was refused.
    pub fn is_refused(&self) -> bool {
        match self {
            Verdict::Quarantined { .. } => true,
            Verdict::Envelope { parts, .. } => parts.iter().any(Verdict::is_refused),
            Verdict::Accepted { .. } | Verdict::Duplicate { .. } => false,
        }
    }
}

/// The ingest service, shared by all sources.
#[derive(Clone, Debug)]
pub struct Ingest {
    store: Store,
    options: ParseOptions,
    signature_rules: SignatureRules,
    /// Notified after every acceptance (the alert hub listens).
    accepted: Arc<Notify>,
    /// Moved after every acceptance (cached reads of the accepted messages follow it).
    version: AcceptedVersion,
}

impl Ingest {
    /// An ingest with the default signature rule for every source (verify-if-present).
    pub fn new(store: Store, options: ParseOptions) -> Ingest {
        Ingest {
            store,
            options,
            signature_rules: SignatureRules::default(),
            accepted: Arc::new(Notify::new()),
            version: AcceptedVersion::default(),
        }
    }

    /// Moves after every message this ingest (or a clone) accepts.
    pub fn accepted_version(&self) -> AcceptedVersion {
        self.version.clone()
    }

    /// Each source's signature policy and trusted certificates (from the configuration).
    pub fn with_signature_rules(mut self, rules: SignatureRules) -> Ingest {
        self.signature_rules = rules;
        self
    }

    /// Notified after every message this ingest (or a clone) accepts.
    pub fn accepted_signal(&self) -> Arc<Notify> {
        self.accepted.clone()
    }

    /// How this ingest reads CAP (for sources that read feeds with the same limits).
    pub fn options(&self) -> ParseOptions {
        self.options.clone()
    }

    /// Receives one message from `source` at `received_at`.
    pub async fn receive(
        &self,
        source: &str,
        raw: &[u8],
        received_at: DateTime<Utc>,
    ) -> Result<Verdict, StorageError> {
        let sha = hex_sha256(raw);
        if let Some(earlier) = self.store.message_with_bytes(&sha).await? {
            // The very same bytes are stored already: answer as we did then, store nothing.
            return Ok(match earlier.state {
                MessageState::Quarantined => {
                    Verdict::Quarantined { id: earlier.id, reason: earlier.reason.unwrap_or_default() }
                }
                MessageState::Duplicate => {
                    Verdict::Duplicate { id: earlier.duplicate_of.unwrap_or(earlier.id) }
                }
                _ => Verdict::Duplicate { id: earlier.id },
            });
        }
        let id = self.store.insert_received(source, raw, &sha, received_at).await?;
        self.judge(id, source, raw, received_at).await
    }

    /// Judges a stored message: an envelope is split and each alert received on its own;
    /// an alert is parsed, then accepted or quarantined.
    async fn judge(
        &self,
        id: i64,
        source: &str,
        raw: &[u8],
        received_at: DateTime<Utc>,
    ) -> Result<Verdict, StorageError> {
        match split_envelope(raw, &self.options) {
            Ok(None) => self.judge_alert(id, source, raw).await,
            Ok(Some(alerts)) => {
                let mut parts = Vec::with_capacity(alerts.len());
                for alert in alerts {
                    parts.push(Box::pin(self.receive(source, alert.as_bytes(), received_at)).await?);
                }
                self.store.mark_envelope(id).await?;
                Ok(Verdict::Envelope { id, parts })
            }
            Err(error) => {
                let reason = error.to_string();
                self.store.quarantine(id, &reason).await?;
                Ok(Verdict::Quarantined { id, reason })
            }
        }
    }

    async fn judge_alert(&self, id: i64, source: &str, raw: &[u8]) -> Result<Verdict, StorageError> {
        let judged = parse_alert(raw, &self.options).map_err(|e| e.to_string()).and_then(|parsed| {
            let status = self.check_signature(source, raw, &parsed.alert)?;
            tracing::debug!(id, signature = %status.label(), "signature checked");
            Ok(parsed)
        });
        match judged {
            Err(reason) => {
                self.store.quarantine(id, &reason).await?;
                tracing::warn!(id, %reason, "CAP message quarantined");
                Ok(Verdict::Quarantined { id, reason })
            }
            Ok(parsed) => {
                for warning in &parsed.warnings {
                    tracing::info!(id, %warning, "CAP message accepted with a tolerated deviation");
                }
                Ok(match self.store.accept(id, &parsed.alert).await? {
                    Ok(()) => {
                        tracing::info!(id, identifier = %parsed.alert.identifier, "CAP message accepted");
                        self.version.bump();
                        self.accepted.notify_one();
                        Verdict::Accepted { id }
                    }
                    Err(original) => Verdict::Duplicate { id: original },
                })
            }
        }
    }

    /// Applies the source's signature policy; `Err` is the reason to refuse the message.
    fn check_signature(
        &self,
        source: &str,
        raw: &[u8],
        alert: &safejdz_app::domain::cap::Alert,
    ) -> Result<signatures::SignatureStatus, String> {
        let rule = self.signature_rules.for_source(source);
        if rule.policy == signatures::SignaturePolicy::Ignore {
            return Ok(signatures::SignatureStatus::NotChecked);
        }
        // The message parsed once already, so decoding and parsing again cannot fail.
        let text = decode_xml(raw).map_err(|e| e.to_string())?;
        let document = parse_document(&text, self.options.limits).map_err(|e| e.to_string())?;
        signatures::check(&document, alert.sent, rule.policy, &rule.trust).map_err(|e| e.to_string())
    }

    /// Judges a quarantined message again, under the rules in force now (its source fixed, a
    /// certificate trusted): accepted, a duplicate, or quarantined again with today's reason.
    /// `None` when `id` is not a quarantined message.
    pub async fn rejudge(&self, id: i64) -> Result<Option<Verdict>, StorageError> {
        let Some(message) = self.store.message(id).await? else { return Ok(None) };
        if message.state != MessageState::Quarantined {
            return Ok(None);
        }
        let Some(raw) = self.store.raw_message(id).await? else { return Ok(None) };
        let verdict = self.judge(id, &message.source, &raw, message.received_at).await?;
        tracing::info!(id, source = %message.source, ?verdict, "quarantined message judged again");
        Ok(Some(verdict))
    }

    /// Judges messages stored but not judged before the last stop: all of them on SQLite (one
    /// process owns the file), on PostgreSQL only those older than [`RECOVERY_AGE`], which
    /// another replica may still be judging. Run at start and then every minute.
    pub async fn recover(&self) -> Result<usize, StorageError> {
        let cutoff = match self.store.backend() {
            Backend::Sqlite => Utc::now(),
            Backend::Postgres => Utc::now() - RECOVERY_AGE,
        };
        let pending = self.store.unjudged_messages(cutoff).await?;
        for message in &pending {
            self.judge(message.id, &message.source, &message.raw, message.received_at).await?;
        }
        if !pending.is_empty() {
            tracing::info!(count = pending.len(), "judged messages left from the last run");
        }
        Ok(pending.len())
    }
}

fn hex_sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}
