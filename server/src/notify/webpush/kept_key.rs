//! The VAPID key a server keeps for itself when none is configured: made at first start and
//! stored in the data directory, so that the default run has notifications on and browsers'
//! subscriptions survive a restart (they are bound to the public key). A configured
//! `vapid_private_key` always wins.

use std::path::{Path, PathBuf};

use super::vapid::Vapid;

/// The file, inside `data_dir`, that holds the kept private key (base64url, one line).
pub const KEY_FILE: &str = "vapid-private-key";

/// The contact sent to push services when `vapid_subject` is not set. Push services may use it
/// to reach the operator; production should configure a real one (docs/CONFIG.md).
pub const DEFAULT_SUBJECT: &str = "mailto:webpush@localhost";

/// What [`load_or_create`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeptKey {
    /// Read from the file.
    Read(PathBuf),
    /// Made now and written to the file.
    Made(PathBuf),
}

/// Why the kept key cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum KeptKeyError {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error(
        "{path}: not a VAPID private key ({reason}); remove the file to make a new one (browsers must then turn notifications on again)"
    )]
    Invalid { path: PathBuf, reason: super::vapid::VapidError },
}

/// The private key kept in `data_dir`, made (and written, readable by the owner only) when the
/// file does not exist yet.
pub fn load_or_create(data_dir: &Path) -> Result<(String, KeptKey), KeptKeyError> {
    let path = data_dir.join(KEY_FILE);
    let io = |source| KeptKeyError::Io { path: path.clone(), source };
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            let key = text.trim().to_owned();
            Vapid::new(&key, DEFAULT_SUBJECT)
                .map_err(|reason| KeptKeyError::Invalid { path: path.clone(), reason })?;
            Ok((key, KeptKey::Read(path)))
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(data_dir).map_err(io)?;
            let (private, _) = Vapid::generate();
            write_private(&path, &format!("{private}\n")).map_err(io)?;
            Ok((private, KeptKey::Made(path)))
        }
        Err(error) => Err(io(error)),
    }
}

/// Writes a new file that only its owner may read (never overwrites one: two replicas
/// starting at once keep the first key).
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(contents.as_bytes())?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_made_once_and_read_back_after() {
        let dir = tempfile::tempdir().expect("temp dir");
        let data_dir = dir.path().join("data");
        let (made, first) = load_or_create(&data_dir).expect("made");
        assert_eq!(first, KeptKey::Made(data_dir.join(KEY_FILE)));
        let (read, second) = load_or_create(&data_dir).expect("read");
        assert_eq!(second, KeptKey::Read(data_dir.join(KEY_FILE)));
        assert_eq!(made, read, "the same key after a restart");
        assert!(Vapid::new(&read, DEFAULT_SUBJECT).is_ok());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(data_dir.join(KEY_FILE)).expect("file").permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "only the owner may read the key");
        }
    }

    #[test]
    fn a_damaged_key_file_is_refused_with_its_path_and_left_alone() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join(KEY_FILE), "not a key\n").expect("write");
        let error = load_or_create(dir.path()).expect_err("refused");
        let message = error.to_string();
        assert!(message.contains(KEY_FILE) && message.contains("remove the file"), "{message}");
        assert_eq!(std::fs::read_to_string(dir.path().join(KEY_FILE)).expect("kept"), "not a key\n");
    }
}
