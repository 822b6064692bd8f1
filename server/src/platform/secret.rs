//! Secrets in the configuration (tokens, keys, database URLs with a password): they read and
//! compare as strings, and never show in `Debug` output or logs, so configuration types can
//! derive `Debug`.

use std::fmt;

use serde::Deserialize;

/// A secret string: `***` in `Debug`; [`Secret::expose`] where it is used.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// The secret itself, for the one place that uses it (a comparison, a signature).
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Secret {
        Secret(value.to_owned())
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Secret {
        Secret(value)
    }
}

/// A database URL, whose password never shows in `Debug` output
/// (`postgres://user:***@host/db`).
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct DatabaseUrl(String);

impl DatabaseUrl {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&super::store::redact_url_password(&self.0), f)
    }
}

impl From<&str> for DatabaseUrl {
    fn from(value: &str) -> DatabaseUrl {
        DatabaseUrl(value.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_do_not_show_in_debug_output() {
        assert_eq!(format!("{:?}", Some(Secret::from("hunter2"))), "Some(***)");
        assert_eq!(Secret::from("hunter2").expose(), "hunter2");
        let url = DatabaseUrl::from("postgres://app:hunter2@db/safejdz");
        assert_eq!(format!("{url:?}"), "\"postgres://app:***@db/safejdz\"");
    }
}
