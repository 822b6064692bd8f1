//! Staff sessions: a random token in the cookie, its SHA-256 in the store, a CSRF token per
//! session, an idle and an absolute timeout, and a new token at every step of the sign-in (so
//! a token someone saw before sign-in is worth nothing after it).

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Utc};
use rand_core::{OsRng, RngCore};
use safejdz_app::domain::staff::Stage;
use sha2::{Digest, Sha256};

use super::{
    Staff,
    store::{SessionRow, StaffUser},
};
use crate::platform::store::StorageError;

/// 256 random bits, base64url.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The store's key of a token: its SHA-256, hex.
pub fn key_of(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// A session found for a request, with its person (none before sign-in).
#[derive(Debug, Clone)]
pub struct LiveSession {
    pub row: SessionRow,
    pub user: Option<StaffUser>,
}

impl Staff {
    /// Starts a session at `stage` (for `user_id`, none before sign-in); returns the cookie's
    /// token and the stored row.
    pub async fn open_session(
        &self,
        user_id: Option<i64>,
        stage: Stage,
        flash: Option<String>,
        now: DateTime<Utc>,
    ) -> Result<(String, SessionRow), StorageError> {
        let token = new_token();
        let row = SessionRow {
            token_hash: key_of(&token),
            user_id,
            stage,
            csrf_token: new_token(),
            created_at: now,
            last_seen_at: now,
            pending_secret: None,
            flash,
        };
        self.store.insert_session(&row).await?;
        Ok((token, row))
    }

    /// Replaces the session `old_key` by a new one (new token, new CSRF token) at `stage`. A
    /// sign-in keeps the time it began: the absolute timeout counts from the password.
    pub async fn advance_session(
        &self,
        old_key: &str,
        user_id: i64,
        stage: Stage,
        flash: Option<String>,
        now: DateTime<Utc>,
    ) -> Result<String, StorageError> {
        self.store.delete_session(old_key).await?;
        let (token, _) = self.open_session(Some(user_id), stage, flash, now).await?;
        Ok(token)
    }

    /// The live session of `token`: none when there is no such session, when it timed out
    /// (it is deleted then), or when its account was disabled or removed.
    pub async fn resolve(
        &self,
        token: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<LiveSession>, StorageError> {
        let key = key_of(token);
        let Some(row) = self.store.session(&key).await? else { return Ok(None) };
        let idle = chrono::Duration::from_std(self.settings.idle).unwrap_or(chrono::Duration::MAX);
        let absolute = chrono::Duration::from_std(self.settings.absolute).unwrap_or(chrono::Duration::MAX);
        // Before sign-in a session only carries the login form's token: the idle limit applies.
        if now - row.last_seen_at > idle || now - row.created_at > absolute {
            self.store.delete_session(&key).await?;
            return Ok(None);
        }
        let user = match row.user_id {
            Some(id) => match self.store.staff_user(id).await? {
                Some(user) if !user.disabled => Some(user),
                _ => {
                    self.store.delete_session(&key).await?;
                    return Ok(None);
                }
            },
            None => None,
        };
        Ok(Some(LiveSession { row, user }))
    }

    /// Deletes the sessions that timed out (a periodic task).
    pub async fn purge_sessions(&self, now: DateTime<Utc>) -> Result<u64, StorageError> {
        let idle = chrono::Duration::from_std(self.settings.idle).unwrap_or(chrono::Duration::MAX);
        let absolute = chrono::Duration::from_std(self.settings.absolute).unwrap_or(chrono::Duration::MAX);
        self.store.purge_sessions(now - absolute, now - idle).await
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn tokens_are_random_and_their_keys_are_sha256() {
        let token = super::new_token();
        assert_eq!(token.len(), 43, "32 bytes in base64url");
        assert_ne!(token, super::new_token());
        assert_eq!(super::key_of("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
