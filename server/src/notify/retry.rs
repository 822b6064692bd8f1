//! How deliveries are retried: the policy every channel shares, and the receiver's
//! `Retry-After`.

use std::time::Duration;

/// How often and how long a delivery is retried.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    pub attempts: u32,
    pub first_delay: Duration,
    /// The longest wait between attempts, also for a receiver's `Retry-After`.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    /// Six attempts over about a minute: a receiver down for longer is an operator's alarm, and
    /// the warning is still on the site and the feed.
    fn default() -> Self {
        RetryPolicy { attempts: 6, first_delay: Duration::from_secs(2), max_delay: Duration::from_secs(60) }
    }
}

/// A `Retry-After` header in seconds or as an HTTP date (RFC 9110 §10.2.3).
pub fn retry_after(response: &reqwest::Response) -> Option<Duration> {
    let value = response.headers().get("retry-after")?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    Some((at.with_timezone(&chrono::Utc) - chrono::Utc::now()).to_std().unwrap_or(Duration::ZERO))
}
