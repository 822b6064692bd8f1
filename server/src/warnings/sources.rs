//! Where CAP messages come from, each configured by name: polled Atom/RSS feeds (`poll.rs`),
//! pushes with a bearer token (`api/push.rs`), the CLI. Each source reports its health.

pub mod poll;

use std::{collections::BTreeMap, path::PathBuf, sync::Arc};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tokio::sync::RwLock;

use crate::{platform::secret::Secret, warnings::signatures::SignaturePolicy};

/// How a configured source delivers.
/// Source name of the push source configured by `push_token` alone.
pub const PUSH_SOURCE: &str = "push";
/// Source name of messages stored by `safejdz ingest FILE…`.
pub const CLI_SOURCE: &str = "cli";
/// Source name of the sample warnings of `serve --demo`.
pub const DEMO_SOURCE: &str = "demo";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    /// We fetch an Atom or RSS index (or a single CAP document) every `interval_seconds`.
    Poll,
    /// The sender POSTs to `/api/v1/cap` with the source's bearer `token`.
    Push,
}

/// One `[[sources]]` entry of the configuration file.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceConfig {
    /// Unique name; stored with every message from this source.
    pub name: String,
    pub kind: SourceKind,
    /// Poll: the feed's URL.
    pub url: Option<String>,
    /// Poll: seconds between polls when all is well (backoff doubles it on failure).
    pub interval_seconds: Option<u64>,
    /// Push: the bearer token the sender presents.
    pub token: Option<Secret>,
    /// `require`, `verify-if-present` (default) or `ignore`: see `signatures.rs`.
    #[serde(default)]
    pub signature_policy: SignaturePolicy,
    /// PEM files of the certificates this source's signers use, or of the CAs that issue them.
    #[serde(default)]
    pub trusted_certificates: Vec<PathBuf>,
}

impl SourceConfig {
    /// Default poll interval: a minute keeps warnings "within a minute" of the city feed.
    pub const DEFAULT_INTERVAL_SECONDS: u64 = 60;

    /// What is wrong with this entry, if anything.
    pub fn problem(&self) -> Option<String> {
        if self.name.trim().is_empty() {
            return Some("a source has an empty name".into());
        }
        match self.kind {
            SourceKind::Poll if self.url.as_deref().is_none_or(|u| reqwest::Url::parse(u).is_err()) => {
                Some(format!("source {:?}: kind = \"poll\" needs a valid url", self.name))
            }
            SourceKind::Push if self.token.as_ref().is_none_or(Secret::is_empty) => {
                Some(format!("source {:?}: kind = \"push\" needs a token", self.name))
            }
            SourceKind::Poll if self.interval_seconds == Some(0) => {
                Some(format!("source {:?}: interval_seconds must be at least 1", self.name))
            }
            _ if self.signature_policy == SignaturePolicy::Require
                && self.trusted_certificates.is_empty() =>
            {
                Some(format!(
                    "source {:?}: signature_policy = \"require\" needs trusted_certificates (PEM files)",
                    self.name
                ))
            }
            _ => None,
        }
    }
}

/// The health of one source, as `/healthz` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceHealth {
    pub name: String,
    pub kind: SourceKind,
    pub last_success: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub last_error_at: Option<DateTime<Utc>>,
    pub consecutive_failures: u32,
    pub next_poll: Option<DateTime<Utc>>,
}

/// Health of every source, shared by the pollers (writers) and `/healthz` (reader).
#[derive(Debug, Clone, Default)]
pub struct SourcesHealth(Arc<RwLock<BTreeMap<String, SourceHealth>>>);

impl SourcesHealth {
    /// Registers sources with no history yet.
    pub async fn register(&self, name: &str, kind: SourceKind) {
        self.0.write().await.entry(name.to_owned()).or_insert_with(|| SourceHealth {
            name: name.to_owned(),
            kind,
            last_success: None,
            last_error: None,
            last_error_at: None,
            consecutive_failures: 0,
            next_poll: None,
        });
    }

    /// Records the outcome of a poll (or a push) and when the next poll is due.
    pub async fn record(
        &self,
        name: &str,
        outcome: Result<(), String>,
        at: DateTime<Utc>,
        next: Option<DateTime<Utc>>,
    ) {
        let mut all = self.0.write().await;
        if let Some(health) = all.get_mut(name) {
            match outcome {
                Ok(()) => {
                    health.last_success = Some(at);
                    health.consecutive_failures = 0;
                }
                Err(error) => {
                    health.last_error = Some(error);
                    health.last_error_at = Some(at);
                    health.consecutive_failures += 1;
                }
            }
            health.next_poll = next;
        }
    }

    /// A snapshot, sorted by name.
    pub async fn snapshot(&self) -> Vec<SourceHealth> {
        self.0.read().await.values().cloned().collect()
    }
}
