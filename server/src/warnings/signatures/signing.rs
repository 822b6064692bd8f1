//! Signing the console's CAP messages with the bureau's key: one enveloped XML-DSig signature
//! over the whole alert (exclusive C14N, SHA-256, RSA PKCS#1 v1.5 or ECDSA P-256), with the
//! signer's certificate in `KeyInfo`, so any receiver can check it as this server checks the
//! city feed's (`xmldsig::verify_all`).

use std::path::Path;

use base64::Engine as _;
use p256::ecdsa::signature::Signer as _;
use sha2::Sha256;

use super::{
    c14n::{Canonicalization, Whitespace, canonicalize_with},
    keys::{PublicKey, X509},
};

const DSIG: &str = "http://www.w3.org/2000/09/xmldsig#";
const EXCLUSIVE_C14N: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
const SHA256_DIGEST: &str = "http://www.w3.org/2001/04/xmlenc#sha256";
/// Stand-ins for the values, replaced once they are known. Text content, so swapping them
/// changes no structure that the digest or the signed `SignedInfo` covers.
const DIGEST_SLOT: &str = "digest-to-come";
const VALUE_SLOT: &str = "signature-to-come";

/// The bureau's signing key with its certificate.
#[derive(Debug)]
pub struct MessageSigner {
    key: PrivateKey,
    certificate: X509,
    certificate_der: Vec<u8>,
}

enum PrivateKey {
    Rsa(Box<rsa::RsaPrivateKey>),
    P256(p256::ecdsa::SigningKey),
}

impl std::fmt::Debug for PrivateKey {
    // Never the key itself, even in a debug print.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            PrivateKey::Rsa(_) => "PrivateKey::Rsa(***)",
            PrivateKey::P256(_) => "PrivateKey::P256(***)",
        })
    }
}

impl PrivateKey {
    /// PKCS#8 (`BEGIN PRIVATE KEY`), or the older PKCS#1 (`BEGIN RSA PRIVATE KEY`) and SEC1
    /// (`BEGIN EC PRIVATE KEY`) forms that `openssl genrsa` and `openssl ecparam` write.
    fn from_pem(pem: &str) -> Result<PrivateKey, String> {
        use p256::pkcs8::DecodePrivateKey as _;
        use rsa::pkcs1::DecodeRsaPrivateKey as _;
        if pem.contains("-----BEGIN RSA PRIVATE KEY-----") {
            return rsa::RsaPrivateKey::from_pkcs1_pem(pem)
                .map(|key| PrivateKey::Rsa(Box::new(key)))
                .map_err(|e| format!("not a PKCS#1 RSA private key ({e})"));
        }
        if pem.contains("-----BEGIN EC PRIVATE KEY-----") {
            return p256::SecretKey::from_sec1_pem(pem)
                .map(|key| PrivateKey::P256(key.into()))
                .map_err(|e| format!("not a SEC1 P-256 private key ({e})"));
        }
        if !pem.contains("-----BEGIN PRIVATE KEY-----") {
            return Err("no PEM private key (BEGIN PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)".into());
        }
        if let Ok(key) = p256::SecretKey::from_pkcs8_pem(pem) {
            return Ok(PrivateKey::P256(key.into()));
        }
        rsa::RsaPrivateKey::from_pkcs8_pem(pem)
            .map(|key| PrivateKey::Rsa(Box::new(key)))
            .map_err(|e| format!("neither an RSA nor a P-256 PKCS#8 private key ({e})"))
    }

    fn public_key(&self) -> PublicKey {
        match self {
            PrivateKey::Rsa(key) => PublicKey::Rsa(key.to_public_key()),
            PrivateKey::P256(key) => PublicKey::P256(*key.verifying_key()),
        }
    }

    fn algorithm(&self) -> &'static str {
        match self {
            PrivateKey::Rsa(_) => "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
            PrivateKey::P256(_) => "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256",
        }
    }

    /// The signature value over `data`: PKCS#1 v1.5 over its SHA-256, or ECDSA's r‖s (the
    /// XML-DSig encoding, not DER).
    fn sign(&self, data: &[u8]) -> Result<Vec<u8>, String> {
        match self {
            PrivateKey::Rsa(key) => {
                let digest = super::keys::Hash::Sha256.digest(data);
                key.sign(rsa::Pkcs1v15Sign::new::<Sha256>(), &digest).map_err(|e| format!("RSA signing: {e}"))
            }
            PrivateKey::P256(key) => {
                let signature: p256::ecdsa::Signature = key.sign(data);
                Ok(signature.to_bytes().to_vec())
            }
        }
    }
}

impl MessageSigner {
    /// Reads the key and its certificate; they must belong together. Errors name the file.
    pub fn from_pem_files(key_path: &Path, certificate_path: &Path) -> Result<MessageSigner, String> {
        let read =
            |path: &Path| std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()));
        let key =
            PrivateKey::from_pem(&read(key_path)?).map_err(|e| format!("{}: {e}", key_path.display()))?;
        let certificates = X509::from_pem_bundle(&read(certificate_path)?)
            .map_err(|e| format!("{}: {e}", certificate_path.display()))?;
        let certificate = certificates.into_iter().next().ok_or("no certificate")?;
        if certificate.key != key.public_key() {
            return Err(format!(
                "{}: the certificate is not for the key in {} (its subject: {})",
                certificate_path.display(),
                key_path.display(),
                certificate.subject()
            ));
        }
        let certificate_der = {
            use x509_cert::der::Encode as _;
            certificate.certificate.to_der().map_err(|e| e.to_string())?
        };
        Ok(MessageSigner { key, certificate, certificate_der })
    }

    /// The certificate, for the console source's trust (its messages must carry this signer).
    pub fn certificate(&self) -> &X509 {
        &self.certificate
    }

    /// `xml` (one CAP `<alert>` as the console writes it) with an enveloped signature as the
    /// last child of `<alert>`.
    pub fn sign(&self, xml: &str) -> Result<String, String> {
        let close = xml.rfind("</alert>").ok_or("no </alert> to sign")?;
        let base64 = base64::engine::general_purpose::STANDARD;
        let template = format!(
            "{before}<Signature xmlns=\"{DSIG}\"><SignedInfo>\
             <CanonicalizationMethod Algorithm=\"{EXCLUSIVE_C14N}\"/>\
             <SignatureMethod Algorithm=\"{method}\"/>\
             <Reference URI=\"\"><Transforms>\
             <Transform Algorithm=\"{DSIG}enveloped-signature\"/>\
             <Transform Algorithm=\"{EXCLUSIVE_C14N}\"/></Transforms>\
             <DigestMethod Algorithm=\"{SHA256_DIGEST}\"/><DigestValue>{DIGEST_SLOT}</DigestValue>\
             </Reference></SignedInfo><SignatureValue>{VALUE_SLOT}</SignatureValue>\
             <KeyInfo><X509Data><X509Certificate>{certificate}</X509Certificate></X509Data></KeyInfo>\
             </Signature>{after}",
            before = &xml[..close],
            after = &xml[close..],
            method = self.key.algorithm(),
            certificate = base64.encode(&self.certificate_der),
        );
        let exclusive = Canonicalization::Exclusive { comments: false, inclusive_prefixes: Vec::new() };

        // The whole document without the signature (the enveloped-signature transform).
        let digest = {
            let document = roxmltree::Document::parse(&template).map_err(|e| format!("unreadable: {e}"))?;
            let signature = signature_of(&document)?;
            let bytes = canonicalize_with(document.root(), &[signature], &exclusive, Whitespace::Keep);
            base64.encode(super::keys::Hash::Sha256.digest(&bytes))
        };
        let with_digest = replace_last(&template, DIGEST_SLOT, &digest);

        let value = {
            let document =
                roxmltree::Document::parse(&with_digest).map_err(|e| format!("unreadable: {e}"))?;
            let signed_info = signature_of(&document)?
                .children()
                .find(|n| n.has_tag_name((DSIG, "SignedInfo")))
                .ok_or("no SignedInfo")?;
            let bytes = canonicalize_with(signed_info, &[], &exclusive, Whitespace::Keep);
            base64.encode(self.key.sign(&bytes)?)
        };
        Ok(replace_last(&with_digest, VALUE_SLOT, &value))
    }
}

/// The slots are in the signature, after everything the alert says: its own text may hold the
/// same words.
fn replace_last(text: &str, slot: &str, value: &str) -> String {
    match text.rfind(slot) {
        Some(at) => format!("{}{value}{}", &text[..at], &text[at + slot.len()..]),
        None => text.to_owned(),
    }
}

fn signature_of<'a, 'i>(document: &'a roxmltree::Document<'i>) -> Result<roxmltree::Node<'a, 'i>, String> {
    document
        .root_element()
        .children()
        .find(|n| n.has_tag_name((DSIG, "Signature")))
        .ok_or_else(|| "the signature was not placed in the alert".to_owned())
}
