//! Public keys and X.509 certificates for XML-DSig: reading them strictly (canonical base64,
//! DER), verifying with RSA PKCS#1 v1.5 or ECDSA P-256/P-384, and checking that one certificate
//! issued another.

use base64::Engine as _;
use chrono::{DateTime, FixedOffset};
use p256::ecdsa::signature::hazmat::PrehashVerifier;
use rsa::{pkcs1::DecodeRsaPublicKey, traits::PublicKeyParts};
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha384, Sha512};
use x509_cert::{
    Certificate,
    der::{Decode, Encode, asn1::ObjectIdentifier},
    spki::SubjectPublicKeyInfoOwned,
};

/// The hash functions XML-DSig and X.509 signatures use here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hash {
    Sha1,
    Sha256,
    Sha384,
    Sha512,
}

impl Hash {
    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            Hash::Sha1 => Sha1::digest(data).to_vec(),
            Hash::Sha256 => Sha256::digest(data).to_vec(),
            Hash::Sha384 => Sha384::digest(data).to_vec(),
            Hash::Sha512 => Sha512::digest(data).to_vec(),
        }
    }
}

/// The key families a signature may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    Rsa,
    Ecdsa,
}

/// How a signature value is encoded: XML-DSig puts ECDSA's r‖s side by side, X.509 uses DER.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EcdsaEncoding {
    Concatenated,
    Der,
}

/// A public key that can check signatures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublicKey {
    Rsa(rsa::RsaPublicKey),
    P256(p256::ecdsa::VerifyingKey),
    P384(p384::ecdsa::VerifyingKey),
}

const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const CURVE_P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const CURVE_P384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");

impl PublicKey {
    /// Reads a certificate's SubjectPublicKeyInfo.
    pub fn from_spki(spki: &SubjectPublicKeyInfoOwned) -> Result<PublicKey, String> {
        let bits = spki.subject_public_key.raw_bytes();
        if spki.algorithm.oid == RSA_ENCRYPTION {
            return rsa::RsaPublicKey::from_pkcs1_der(bits)
                .map(PublicKey::Rsa)
                .map_err(|e| format!("RSA public key: {e}"));
        }
        if spki.algorithm.oid == EC_PUBLIC_KEY {
            let curve = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.decode_as::<ObjectIdentifier>().ok())
                .ok_or("EC public key without a named curve")?;
            return if curve == CURVE_P256 {
                p256::ecdsa::VerifyingKey::from_sec1_bytes(bits)
                    .map(PublicKey::P256)
                    .map_err(|_| "P-256 public key is not a point on the curve".to_owned())
            } else if curve == CURVE_P384 {
                p384::ecdsa::VerifyingKey::from_sec1_bytes(bits)
                    .map(PublicKey::P384)
                    .map_err(|_| "P-384 public key is not a point on the curve".to_owned())
            } else {
                Err(format!("unsupported elliptic curve {curve}"))
            };
        }
        Err(format!("unsupported public key algorithm {}", spki.algorithm.oid))
    }

    /// An RSA key from XML-DSig `RSAKeyValue` (big-endian modulus and exponent).
    pub fn rsa(modulus: &[u8], exponent: &[u8]) -> Result<PublicKey, String> {
        rsa::RsaPublicKey::new(rsa::BigUint::from_bytes_be(modulus), rsa::BigUint::from_bytes_be(exponent))
            .map(PublicKey::Rsa)
            .map_err(|e| format!("RSAKeyValue: {e}"))
    }

    pub fn kind(&self) -> KeyKind {
        match self {
            PublicKey::Rsa(_) => KeyKind::Rsa,
            PublicKey::P256(_) | PublicKey::P384(_) => KeyKind::Ecdsa,
        }
    }

    /// A short description for logs and reasons ("RSA 2048", "ECDSA P-256").
    pub fn describe(&self) -> String {
        match self {
            PublicKey::Rsa(key) => format!("RSA {}", key.n().bits()),
            PublicKey::P256(_) => "ECDSA P-256".into(),
            PublicKey::P384(_) => "ECDSA P-384".into(),
        }
    }

    /// Whether `signature` over `data` (hashed with `hash`) verifies with this key.
    pub fn verifies(&self, hash: Hash, data: &[u8], signature: &[u8], encoding: EcdsaEncoding) -> bool {
        let digest = hash.digest(data);
        match self {
            PublicKey::Rsa(key) => {
                let scheme = match hash {
                    Hash::Sha1 => rsa::Pkcs1v15Sign::new::<Sha1>(),
                    Hash::Sha256 => rsa::Pkcs1v15Sign::new::<Sha256>(),
                    Hash::Sha384 => rsa::Pkcs1v15Sign::new::<Sha384>(),
                    Hash::Sha512 => rsa::Pkcs1v15Sign::new::<Sha512>(),
                };
                key.verify(scheme, &digest, signature).is_ok()
            }
            PublicKey::P256(key) => {
                let signature = match encoding {
                    EcdsaEncoding::Concatenated => p256::ecdsa::Signature::from_slice(signature),
                    EcdsaEncoding::Der => p256::ecdsa::Signature::from_der(signature),
                };
                signature.is_ok_and(|s| key.verify_prehash(&digest, &s).is_ok())
            }
            PublicKey::P384(key) => {
                let signature = match encoding {
                    EcdsaEncoding::Concatenated => p384::ecdsa::Signature::from_slice(signature),
                    EcdsaEncoding::Der => p384::ecdsa::Signature::from_der(signature),
                };
                signature.is_ok_and(|s| key.verify_prehash(&digest, &s).is_ok())
            }
        }
    }
}

/// Decodes base64 strictly: whitespace between characters is allowed (XML wraps lines), but
/// not characters outside the alphabet, wrong padding or non-zero unused bits: a tampered
/// certificate must not decode to the same bytes as the genuine one.
pub fn decode_base64(text: &str) -> Result<Vec<u8>, String> {
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    base64::engine::general_purpose::STANDARD.decode(compact).map_err(|e| format!("not valid base64 ({e})"))
}

/// One X.509 certificate, read and ready to check.
#[derive(Debug, Clone)]
pub struct X509 {
    pub certificate: Certificate,
    pub key: PublicKey,
    /// DER of the SubjectPublicKeyInfo: what pinning compares.
    pub spki_der: Vec<u8>,
}

impl X509 {
    pub fn from_der(der: &[u8]) -> Result<X509, String> {
        let certificate =
            Certificate::from_der(der).map_err(|e| format!("not a DER X.509 certificate ({e})"))?;
        let spki = &certificate.tbs_certificate.subject_public_key_info;
        let key = PublicKey::from_spki(spki)?;
        let spki_der = spki.to_der().map_err(|e| e.to_string())?;
        Ok(X509 { certificate, key, spki_der })
    }

    /// All certificates in a PEM text (a trust file may hold several). Lines of any length
    /// and CRLF endings are read, as certificate files published by senders have them.
    pub fn from_pem_bundle(pem: &str) -> Result<Vec<X509>, String> {
        const BEGIN: &str = "-----BEGIN CERTIFICATE-----";
        const END: &str = "-----END CERTIFICATE-----";
        let mut certificates = Vec::new();
        let mut rest = pem;
        while let Some(start) = rest.find(BEGIN) {
            let body = &rest[start + BEGIN.len()..];
            let end = body.find(END).ok_or("a certificate has no END line")?;
            let number = certificates.len() + 1;
            let der = decode_base64(&body[..end]).map_err(|e| format!("certificate {number}: {e}"))?;
            certificates.push(X509::from_der(&der).map_err(|e| format!("certificate {number}: {e}"))?);
            rest = &body[end + END.len()..];
        }
        if certificates.is_empty() {
            return Err("no PEM certificate (-----BEGIN CERTIFICATE-----) found".into());
        }
        Ok(certificates)
    }

    /// The subject's common name, or the whole subject when it has none.
    pub fn subject(&self) -> String {
        self.certificate.tbs_certificate.subject.to_string()
    }

    /// Whether the certificate was within its validity period at `instant`.
    pub fn valid_at(&self, instant: DateTime<FixedOffset>) -> bool {
        let validity = &self.certificate.tbs_certificate.validity;
        let seconds = instant.timestamp();
        let not_before = validity.not_before.to_unix_duration().as_secs() as i64;
        let not_after = validity.not_after.to_unix_duration().as_secs() as i64;
        (not_before..=not_after).contains(&seconds)
    }

    /// Whether `issuer` signed this certificate (names match and the signature verifies).
    pub fn issued_by(&self, issuer: &X509) -> bool {
        if self.certificate.tbs_certificate.issuer != issuer.certificate.tbs_certificate.subject {
            return false;
        }
        let Some((kind, hash)) = certificate_signature_algorithm(&self.certificate.signature_algorithm.oid)
        else {
            return false;
        };
        if kind != issuer.key.kind() {
            return false;
        }
        let Ok(tbs) = self.certificate.tbs_certificate.to_der() else { return false };
        let Some(signature) = self.certificate.signature.as_bytes() else { return false };
        issuer.key.verifies(hash, &tbs, signature, EcdsaEncoding::Der)
    }
}

/// The X.509 signature algorithms we check (the ones CAP senders' CAs use).
fn certificate_signature_algorithm(oid: &ObjectIdentifier) -> Option<(KeyKind, Hash)> {
    Some(match oid.to_string().as_str() {
        "1.2.840.113549.1.1.5" => (KeyKind::Rsa, Hash::Sha1),
        "1.2.840.113549.1.1.11" => (KeyKind::Rsa, Hash::Sha256),
        "1.2.840.113549.1.1.12" => (KeyKind::Rsa, Hash::Sha384),
        "1.2.840.113549.1.1.13" => (KeyKind::Rsa, Hash::Sha512),
        "1.2.840.10045.4.3.2" => (KeyKind::Ecdsa, Hash::Sha256),
        "1.2.840.10045.4.3.3" => (KeyKind::Ecdsa, Hash::Sha384),
        "1.2.840.10045.4.3.4" => (KeyKind::Ecdsa, Hash::Sha512),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_with_non_zero_unused_bits_is_refused() {
        // "QQ==" is "A"; "QR==" differs only in bits the decoder drops.
        assert_eq!(decode_base64("QQ==").expect("test data"), b"A");
        assert!(decode_base64("QR==").is_err());
        assert!(decode_base64("QQ=").is_err());
        assert_eq!(decode_base64("QU\n JD").expect("test data"), b"ABC");
    }
}
