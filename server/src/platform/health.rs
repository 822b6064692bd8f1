//! The database's part of `GET /healthz` (the router adds what each feature reports).

use crate::platform::store::Store;

/// Whether this replica reaches its database; logs when it does not.
pub async fn database_answers(store: &Store) -> bool {
    match store.ping().await {
        Ok(()) => true,
        Err(error) => {
            tracing::warn!(%error, "health check: database does not answer");
            false
        }
    }
}
