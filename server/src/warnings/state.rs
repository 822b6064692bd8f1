//! What the warnings feature's handlers and pages reach: its store, ingest, hub and the health
//! of its sources, and the settings they read (plain data from the configuration).

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};

use super::{
    alerts::PageWarnings, hub::AlertHub, ingest::Ingest, recent::RecentAlerts, sources::SourcesHealth,
};
use crate::platform::store::Store;

/// The warnings feature's state. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Warnings {
    pub store: Store,
    /// The accepted messages of the lookback window, decoded once per change.
    pub recent: RecentAlerts,
    pub ingest: Ingest,
    /// Announces every change to the warnings in force (built here, run by `tasks`).
    pub hub: AlertHub,
    /// Health of every configured source, written by pollers and pushes.
    pub sources_health: SourcesHealth,
    pub settings: Arc<WarningsSettings>,
}

/// What the feature reads of the configuration.
#[derive(Debug)]
pub struct WarningsSettings {
    /// The site's public address, for links in feeds.
    pub public_url: String,
    /// How long a message without `expires` stays in force.
    pub default_alert_lifetime: Duration,
    /// Who may push CAP messages.
    pub push_sources: PushSources,
    /// Polled sources by name with their interval in seconds (to tell when a feed is silent).
    pub poll_intervals: Vec<(String, u64)>,
    /// When this server started: staleness of feeds not yet polled counts from it.
    pub started_at: DateTime<Utc>,
}

/// The push sources: a bearer token names each.
#[derive(Default)]
pub struct PushSources {
    /// (source name, token); tokens are never empty.
    tokens: Vec<(String, String)>,
}

impl std::fmt::Debug for PushSources {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Tokens are secrets: only the names.
        f.debug_list().entries(self.tokens.iter().map(|(name, _)| name)).finish()
    }
}

impl PushSources {
    /// From (source name, token) pairs; empty tokens are dropped (they would match nothing).
    pub fn new(tokens: impl IntoIterator<Item = (String, String)>) -> PushSources {
        PushSources { tokens: tokens.into_iter().filter(|(_, token)| !token.is_empty()).collect() }
    }

    /// Whether any push source is configured.
    pub fn any(&self) -> bool {
        !self.tokens.is_empty()
    }

    /// The source whose token is `presented`, compared in constant time.
    pub fn source_for(&self, presented: &str) -> Option<String> {
        self.tokens
            .iter()
            .find(|(_, token)| constant_time_eq(presented.as_bytes(), token.as_bytes()))
            .map(|(name, _)| name.clone())
    }
}

/// Equal bytes, in a time that does not depend on where they differ.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl Warnings {
    /// The alert store as the pages read it (provided to the app as context).
    pub fn page_backend(&self) -> Arc<dyn safejdz_app::alerts::WarningsBackend> {
        Arc::new(PageWarnings {
            recent: self.recent.clone(),
            default_lifetime: self.settings.default_alert_lifetime,
            sources_health: self.sources_health.clone(),
            poll_intervals: self.settings.poll_intervals.iter().cloned().collect(),
            started_at: self.settings.started_at,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_push_token_names_its_source_and_empty_tokens_match_nothing() {
        let sources = PushSources::new([
            ("push".into(), "t1".into()),
            ("county".into(), "t2".into()),
            ("x".into(), String::new()),
        ]);
        assert_eq!(sources.source_for("t2").as_deref(), Some("county"));
        assert_eq!(sources.source_for("t3"), None);
        assert_eq!(sources.source_for(""), None);
        assert!(!format!("{sources:?}").contains("t1"), "tokens stay out of logs");
        assert!(!PushSources::new([("x".into(), String::new())]).any());
    }
}
