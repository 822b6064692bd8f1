//! XML-DSig verification of CAP messages: enveloped signatures over the whole alert, checked
//! against certificates each source trusts, under the source's policy (require /
//! verify-if-present / ignore). What is checked, in order: each `Signature` that is a child of
//! `<alert>` is well formed and uses supported algorithms; its certificates decode strictly;
//! every reference's digest matches; the signature value verifies over the canonical
//! `SignedInfo`; the signer is trusted and its certificate was valid when the alert was sent.

pub mod c14n;
pub mod keys;
pub mod signing;
mod xmldsig;

use std::{
    collections::HashMap,
    path::{Path, PathBuf},
    sync::Arc,
};

use chrono::{DateTime, FixedOffset};
use serde::Deserialize;

use self::keys::{PublicKey, X509};
pub use self::xmldsig::verify_all;

/// What a source demands of signatures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SignaturePolicy {
    /// Every message must carry a valid signature by a trusted signer.
    Require,
    /// Unsigned messages pass; a signature, when present, must be valid (and by a trusted
    /// signer when the source lists trusted certificates).
    #[default]
    VerifyIfPresent,
    /// Signatures are not looked at.
    Ignore,
}

/// The certificates a source trusts: a signer is trusted when its key is one of theirs, or its
/// certificate was issued by one of them (directly or through certificates in the message).
#[derive(Debug, Clone, Default)]
pub struct TrustStore {
    certificates: Vec<X509>,
}

impl TrustStore {
    /// Reads PEM files (each may hold several certificates); errors name the file.
    pub fn from_pem_files(paths: &[PathBuf]) -> Result<TrustStore, String> {
        let mut certificates = Vec::new();
        for path in paths {
            certificates.extend(read_pem_file(path)?);
        }
        Ok(TrustStore { certificates })
    }

    pub fn from_certificates(certificates: Vec<X509>) -> TrustStore {
        TrustStore { certificates }
    }

    pub fn is_empty(&self) -> bool {
        self.certificates.is_empty()
    }

    /// Whether a verified signer is trusted: its key is pinned, or a trusted certificate issued
    /// its certificate (directly or through other certificates the message carried), each
    /// certificate on that path valid when the alert was `sent`.
    pub fn trusts(&self, signer: &Signer, sent: DateTime<FixedOffset>) -> bool {
        match signer {
            Signer::Key(key) => self.certificates.iter().any(|t| &t.key == key),
            Signer::Certificate { leaf, others } => {
                // A pinned key is the operator's own decision and holds while it is configured
                // (senders' test messages are often signed by a newer certificate than `sent`).
                if self.certificates.iter().any(|t| t.spki_der == leaf.spki_der) {
                    return true;
                }
                // Through an issuer, every certificate must have been valid when the alert was sent.
                leaf.valid_at(sent) && self.issued_by_trusted(leaf, others, sent, 4)
            }
        }
    }

    fn issued_by_trusted(&self, cert: &X509, pool: &[X509], sent: DateTime<FixedOffset>, depth: u8) -> bool {
        if self.certificates.iter().any(|t| t.valid_at(sent) && cert.issued_by(t)) {
            return true;
        }
        depth > 0
            && pool.iter().any(|intermediate| {
                intermediate.spki_der != cert.spki_der
                    && intermediate.valid_at(sent)
                    && cert.issued_by(intermediate)
                    && self.issued_by_trusted(intermediate, pool, sent, depth - 1)
            })
    }
}

/// What each source demands of signatures: its policy and the certificates it trusts.
/// A source without an entry (the CLI, the `push_token` source) gets the default policy,
/// verify-if-present, with no trusted certificate.
#[derive(Debug, Clone, Default)]
pub struct SignatureRules {
    by_source: HashMap<String, SourceRule>,
}

/// One source's policy and trusted certificates.
#[derive(Debug, Clone, Default)]
pub struct SourceRule {
    pub policy: SignaturePolicy,
    pub trust: Arc<TrustStore>,
}

impl SignatureRules {
    pub fn insert(&mut self, source: &str, rule: SourceRule) {
        self.by_source.insert(source.to_owned(), rule);
    }

    pub fn for_source(&self, source: &str) -> SourceRule {
        self.by_source.get(source).cloned().unwrap_or_default()
    }
}

fn read_pem_file(path: &Path) -> Result<Vec<X509>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    X509::from_pem_bundle(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Why a message's signature was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("signature required, but the message is not signed")]
    Missing,
    #[error("signature is malformed: {0}")]
    Malformed(String),
    #[error("signature uses an unsupported algorithm: {0}")]
    Unsupported(String),
    #[error("signature certificate is invalid: {0}")]
    InvalidCertificate(String),
    #[error("signature digest does not match: the message was changed after it was signed")]
    InvalidDigest,
    #[error("signature value does not verify with the signer's key")]
    InvalidSignature,
    #[error(
        "signer {0} is not trusted by this source (or its certificate was not valid when the alert was sent)"
    )]
    Untrusted(String),
}

/// The accepted outcome of a signature check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureStatus {
    /// Not looked at (policy `ignore`).
    NotChecked,
    /// No signature.
    Unsigned,
    /// Every signature is intact; `signer` describes the (first trusted, else first) signer.
    Verified { signer: String, trusted: bool },
}

impl SignatureStatus {
    /// As stored with the message and shown to staff.
    pub fn label(&self) -> String {
        match self {
            SignatureStatus::NotChecked => "not checked".into(),
            SignatureStatus::Unsigned => "unsigned".into(),
            SignatureStatus::Verified { signer, trusted: true } => format!("verified, trusted: {signer}"),
            SignatureStatus::Verified { signer, trusted: false } => {
                format!("verified, signer not pinned: {signer}")
            }
        }
    }
}

/// Applies a source's policy to a parsed message sent at `sent`.
pub fn check(
    document: &roxmltree::Document<'_>,
    sent: DateTime<FixedOffset>,
    policy: SignaturePolicy,
    trust: &TrustStore,
) -> Result<SignatureStatus, SignatureError> {
    if policy == SignaturePolicy::Ignore {
        return Ok(SignatureStatus::NotChecked);
    }
    let signers = verify_all(document, trust)?;
    if signers.is_empty() {
        return match policy {
            SignaturePolicy::Require => Err(SignatureError::Missing),
            _ => Ok(SignatureStatus::Unsigned),
        };
    }
    let must_trust = policy == SignaturePolicy::Require || !trust.is_empty();
    match signers.iter().find(|s| trust.trusts(s, sent)) {
        Some(trusted) => Ok(SignatureStatus::Verified { signer: trusted.describe(), trusted: true }),
        None if must_trust => Err(SignatureError::Untrusted(signers[0].describe())),
        None => Ok(SignatureStatus::Verified { signer: signers[0].describe(), trusted: false }),
    }
}

/// Who signed: a certificate (with the other certificates the message carried), or a bare key.
#[derive(Debug, Clone)]
pub enum Signer {
    Certificate { leaf: Box<X509>, others: Vec<X509> },
    Key(PublicKey),
}

impl Signer {
    pub fn describe(&self) -> String {
        match self {
            Signer::Certificate { leaf, .. } => leaf.subject(),
            Signer::Key(key) => format!("a bare {} key", key.describe()),
        }
    }
}
