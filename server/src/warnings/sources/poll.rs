//! Polling a source: fetch its Atom/RSS index with `If-None-Match` / `If-Modified-Since`,
//! ingest the CAP messages it embeds or links to (each link fetched once per `updated`), and
//! back off exponentially while the source fails.

use std::{collections::HashSet, time::Duration};

use chrono::Utc;
use reqwest::{StatusCode, Url, header};
use safejdz_app::domain::cap::{FeedError, parse_feed};
use tokio::sync::watch;

use super::{SourceConfig, SourcesHealth};
use crate::warnings::ingest::{Ingest, Verdict};

/// The longest wait between polls of a failing source.
pub const MAX_BACKOFF: Duration = Duration::from_secs(30 * 60);
/// The largest feed or CAP document fetched.
const MAX_DOCUMENT_BYTES: usize = 4 << 20;

/// Wait before the next poll: the interval while all is well, doubled per consecutive
/// failure, never more than [`MAX_BACKOFF`] (nor less than the interval).
pub fn next_delay(interval: Duration, consecutive_failures: u32) -> Duration {
    let factor = 2u32.saturating_pow(consecutive_failures.min(16));
    interval.saturating_mul(factor).min(MAX_BACKOFF.max(interval))
}

/// What one poll did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PollReport {
    pub not_modified: bool,
    pub fetched_documents: usize,
    pub accepted: usize,
    pub duplicates: usize,
    pub quarantined: usize,
}

/// The memory of one poller between polls.
#[derive(Debug, Default)]
pub struct PollState {
    etag: Option<String>,
    last_modified: Option<String>,
    /// (CAP URL, entry `updated`) already fetched.
    fetched: HashSet<(String, String)>,
}

/// One poll of `url`.
pub async fn poll_once(
    client: &reqwest::Client,
    url: &Url,
    source: &str,
    ingest: &Ingest,
    state: &mut PollState,
) -> Result<PollReport, String> {
    let mut request = client.get(url.clone());
    if let Some(etag) = &state.etag {
        request = request.header(header::IF_NONE_MATCH, etag);
    }
    if let Some(modified) = &state.last_modified {
        request = request.header(header::IF_MODIFIED_SINCE, modified);
    }
    let response = request.send().await.map_err(|e| format!("fetching {url}: {e}"))?;
    if response.status() == StatusCode::NOT_MODIFIED {
        return Ok(PollReport { not_modified: true, ..PollReport::default() });
    }
    if !response.status().is_success() {
        return Err(format!("fetching {url}: HTTP {}", response.status()));
    }
    let header_text = |name| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let (etag, last_modified) = (header_text(header::ETAG), header_text(header::LAST_MODIFIED));
    let body = read_limited(response).await.map_err(|e| format!("reading {url}: {e}"))?;

    let mut report = PollReport { fetched_documents: 1, ..PollReport::default() };
    let received = Utc::now();
    let store_err = |e: crate::platform::store::StorageError| format!("storing a message from {url}: {e}");
    match parse_feed(&body, &ingest.options()) {
        // The URL names a single CAP document rather than an index.
        Err(FeedError::NotAFeed(root)) if root == "alert" || root == "EDXLDistribution" => {
            count(&mut report, &ingest.receive(source, &body, received).await.map_err(store_err)?);
        }
        Err(error) => return Err(format!("{url} is not a usable feed: {error}")),
        Ok(feed) => {
            for problem in &feed.problems {
                tracing::warn!(source, %url, %problem, "feed entry skipped");
            }
            let mut still_listed = HashSet::new();
            for entry in &feed.entries {
                if let Some(cap) = &entry.embedded_cap {
                    count(
                        &mut report,
                        &ingest.receive(source, cap.as_bytes(), received).await.map_err(store_err)?,
                    );
                }
                for href in &entry.cap_urls {
                    let cap_url = url.join(href).map_err(|e| format!("{url}: entry link {href:?}: {e}"))?;
                    let key = (cap_url.to_string(), entry.updated.clone().unwrap_or_default());
                    still_listed.insert(key.clone());
                    if state.fetched.contains(&key) {
                        continue;
                    }
                    let cap = fetch(client, &cap_url).await?;
                    report.fetched_documents += 1;
                    count(&mut report, &ingest.receive(source, &cap, received).await.map_err(store_err)?);
                    state.fetched.insert(key);
                }
            }
            // Forget links the feed no longer lists, so the memory stays as small as the feed.
            state.fetched.retain(|key| still_listed.contains(key));
        }
    }
    // Remember validators only once everything in this version of the feed is stored.
    state.etag = etag;
    state.last_modified = last_modified;
    Ok(report)
}

fn count(report: &mut PollReport, verdict: &Verdict) {
    match verdict {
        Verdict::Accepted { .. } => report.accepted += 1,
        Verdict::Duplicate { .. } => report.duplicates += 1,
        Verdict::Quarantined { .. } => report.quarantined += 1,
        Verdict::Envelope { parts, .. } => parts.iter().for_each(|p| count(report, p)),
    }
}

async fn fetch(client: &reqwest::Client, url: &Url) -> Result<Vec<u8>, String> {
    let response = client.get(url.clone()).send().await.map_err(|e| format!("fetching {url}: {e}"))?;
    if !response.status().is_success() {
        return Err(format!("fetching {url}: HTTP {}", response.status()));
    }
    read_limited(response).await.map_err(|e| format!("reading {url}: {e}"))
}

async fn read_limited(mut response: reqwest::Response) -> Result<Vec<u8>, String> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| e.to_string())? {
        body.extend_from_slice(&chunk);
        if body.len() > MAX_DOCUMENT_BYTES {
            return Err(format!("larger than {MAX_DOCUMENT_BYTES} bytes"));
        }
    }
    Ok(body)
}

/// Polls `source` until `shutdown` turns true, recording health after every poll.
pub async fn run(
    source: SourceConfig,
    ingest: Ingest,
    health: SourcesHealth,
    mut shutdown: watch::Receiver<bool>,
) {
    let Some(url) = source.url.as_deref().and_then(|u| Url::parse(u).ok()) else { return };
    let interval =
        Duration::from_secs(source.interval_seconds.unwrap_or(SourceConfig::DEFAULT_INTERVAL_SECONDS));
    let client = match reqwest::Client::builder()
        .user_agent(concat!("safejdz/", env!("CARGO_PKG_VERSION")))
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(30))
        .build()
    {
        Ok(client) => client,
        Err(error) => {
            tracing::error!(source = %source.name, %error, "cannot build an HTTP client");
            return;
        }
    };
    let mut state = PollState::default();
    let mut failures = 0u32;
    loop {
        let outcome = poll_once(&client, &url, &source.name, &ingest, &mut state).await;
        match &outcome {
            Ok(report) => {
                failures = 0;
                tracing::debug!(source = %source.name, ?report, "polled");
            }
            Err(error) => {
                failures += 1;
                tracing::warn!(source = %source.name, %error, failures, "poll failed");
            }
        }
        let delay = next_delay(interval, failures);
        let now = Utc::now();
        let next = now + chrono::Duration::from_std(delay).unwrap_or_default();
        health.record(&source.name, outcome.map(|_| ()), now, Some(next)).await;
        tokio::select! {
            () = tokio::time::sleep(delay) => {}
            _ = shutdown.changed() => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_per_failure_and_stops_at_half_an_hour() {
        let minute = Duration::from_secs(60);
        assert_eq!(next_delay(minute, 0), minute);
        assert_eq!(next_delay(minute, 1), Duration::from_secs(120));
        assert_eq!(next_delay(minute, 3), Duration::from_secs(480));
        assert_eq!(next_delay(minute, 10), MAX_BACKOFF);
        assert_eq!(next_delay(minute, u32::MAX), MAX_BACKOFF);
        // A source polled hourly is never polled more often because it fails.
        let hour = Duration::from_secs(3600);
        assert_eq!(next_delay(hour, 5), hour);
    }
}
