//! Sign-in throttling: failed passwords and codes are counted per account name and per client
//! address over a window; past a limit, sign-in is refused for that name or address until the
//! window has passed, with the same words whether or not the account exists. Counted in the
//! store, so replicas share the count.

use chrono::{DateTime, Utc};

use super::Staff;
use crate::platform::store::StorageError;

/// The window failures are counted over.
pub const WINDOW_MINUTES: i64 = 15;
/// Failures of one account name within the window before its sign-in pauses: enough for a
/// person who mistypes, far too few for guessing.
pub const ACCOUNT_LIMIT: i64 = 5;
/// Failures from one address within the window (a school or office shares one address).
pub const ADDRESS_LIMIT: i64 = 20;

const ACCOUNT: &str = "account";
const ADDRESS: &str = "address";

impl Staff {
    /// Whether sign-in is paused for `name` or for `address` at `now`.
    pub async fn sign_in_paused(
        &self,
        name: &str,
        address: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StorageError> {
        let since = now - chrono::Duration::minutes(WINDOW_MINUTES);
        let (by_account, _) = self.store.login_failures_since(ACCOUNT, name, since).await?;
        let (by_address, _) = self.store.login_failures_since(ADDRESS, address, since).await?;
        Ok(by_account >= ACCOUNT_LIMIT || by_address >= ADDRESS_LIMIT)
    }

    /// Counts a failed password or code for `name` and `address`.
    pub async fn sign_in_failed(
        &self,
        name: &str,
        address: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StorageError> {
        self.store.record_login_failure(ACCOUNT, name, now).await?;
        self.store.record_login_failure(ADDRESS, address, now).await?;
        // Old counts are worth nothing; keep the table small.
        self.store.purge_login_failures(now - chrono::Duration::minutes(WINDOW_MINUTES)).await
    }

    /// A successful sign-in clears the account's count (not the address's: one person's
    /// success says nothing of the others guessing from there).
    pub async fn sign_in_succeeded(&self, name: &str) -> Result<(), StorageError> {
        self.store.clear_login_failures(ACCOUNT, name).await
    }
}
