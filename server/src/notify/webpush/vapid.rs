//! VAPID (RFC 8292): the server identifies itself to push services with an ES256-signed JWT
//! per push service origin, and browsers bind each subscription to our public key, so a leaked
//! subscription is useless to anyone without our private key.

use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use p256::{
    SecretKey,
    ecdsa::{Signature, SigningKey, VerifyingKey, signature::Signer, signature::Verifier},
    elliptic_curve::sec1::ToEncodedPoint,
};

/// How long a token is valid. RFC 8292 allows at most 24 hours; tokens are reused until close
/// to expiry, so each push service sees one signature an hour, not one per message.
const TOKEN_LIFETIME: Duration = Duration::from_secs(12 * 60 * 60);
const RENEW_BEFORE_EXPIRY: Duration = Duration::from_secs(60 * 60);

/// Why the VAPID keys cannot be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum VapidError {
    #[error(
        "vapid_private_key must be the base64url of a 32-byte P-256 private key (run `safejdz vapid-keys`)"
    )]
    BadPrivateKey,
    #[error("vapid_subject must be a mailto: or https: URL a push service can reach the operator at")]
    BadSubject,
}

/// The server's VAPID identity, with a cache of tokens per push service.
#[derive(Debug)]
pub struct Vapid {
    key: SigningKey,
    /// `k=` of the Authorization header, and the browser's `applicationServerKey`.
    public_key: String,
    subject: String,
    tokens: Mutex<HashMap<String, (String, SystemTime)>>,
}

impl Vapid {
    /// From the configured base64url private key and contact subject.
    pub fn new(private_key: &str, subject: &str) -> Result<Vapid, VapidError> {
        let bytes = URL_SAFE_NO_PAD.decode(private_key.trim()).map_err(|_| VapidError::BadPrivateKey)?;
        let secret = SecretKey::from_slice(&bytes).map_err(|_| VapidError::BadPrivateKey)?;
        let subject = subject.trim();
        let subject_ok = subject.strip_prefix("mailto:").is_some_and(|a| a.contains('@'))
            || subject.starts_with("https://");
        if !subject_ok {
            return Err(VapidError::BadSubject);
        }
        Ok(Vapid {
            public_key: URL_SAFE_NO_PAD.encode(secret.public_key().to_encoded_point(false).as_bytes()),
            key: SigningKey::from(secret),
            subject: subject.to_owned(),
            tokens: Mutex::new(HashMap::new()),
        })
    }

    /// A new key pair: (private, public), both base64url, for `safejdz vapid-keys`.
    pub fn generate() -> (String, String) {
        let secret = SecretKey::random(&mut rand_core::OsRng);
        (
            URL_SAFE_NO_PAD.encode(secret.to_bytes()),
            URL_SAFE_NO_PAD.encode(secret.public_key().to_encoded_point(false).as_bytes()),
        )
    }

    /// The public key browsers subscribe with (base64url, uncompressed point).
    pub fn public_key(&self) -> &str {
        &self.public_key
    }

    /// The `Authorization` header for a push to `endpoint`: `vapid t=<JWT>, k=<public key>`.
    pub fn authorization(&self, endpoint: &reqwest::Url) -> String {
        let audience = endpoint.origin().ascii_serialization();
        let now = SystemTime::now();
        let mut tokens = self.tokens.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let token = match tokens.get(&audience) {
            Some((token, expires)) if *expires > now + RENEW_BEFORE_EXPIRY => token.clone(),
            _ => {
                let expires = now + TOKEN_LIFETIME;
                let token = self.sign(&audience, expires);
                tokens.insert(audience, (token.clone(), expires));
                token
            }
        };
        format!("vapid t={token}, k={}", self.public_key)
    }

    fn sign(&self, audience: &str, expires: SystemTime) -> String {
        let exp = expires.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        let header = URL_SAFE_NO_PAD.encode(br#"{"typ":"JWT","alg":"ES256"}"#);
        let claims = serde_json::json!({ "aud": audience, "exp": exp, "sub": self.subject });
        let claims = URL_SAFE_NO_PAD.encode(claims.to_string());
        let signing_input = format!("{header}.{claims}");
        let signature: Signature = self.key.sign(signing_input.as_bytes());
        format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(signature.to_bytes()))
    }
}

/// The claims of a verified token, as a push service reads them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedToken {
    pub audience: String,
    pub expires: u64,
    pub subject: String,
    /// The `k=` public key the token verified with.
    pub public_key: String,
}

/// A push service's check of an `Authorization: vapid …` header (tests and the benchmark's
/// receiver): the signature verifies with the `k=` key and the claims are present.
pub fn verify_authorization(header: &str) -> Option<VerifiedToken> {
    let rest = header.strip_prefix("vapid ")?;
    let mut token = None;
    let mut key = None;
    for part in rest.split(',') {
        match part.trim().split_once('=') {
            Some(("t", value)) => token = Some(value),
            Some(("k", value)) => key = Some(value),
            _ => {}
        }
    }
    let (token, key) = (token?, key?);
    let verifying = VerifyingKey::from_sec1_bytes(&URL_SAFE_NO_PAD.decode(key).ok()?).ok()?;
    let (signing_input, signature) = token.rsplit_once('.')?;
    let signature = Signature::from_slice(&URL_SAFE_NO_PAD.decode(signature).ok()?).ok()?;
    verifying.verify(signing_input.as_bytes(), &signature).ok()?;
    let (header, claims) = signing_input.split_once('.')?;
    let header: serde_json::Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).ok()?).ok()?;
    if header["alg"] != "ES256" {
        return None;
    }
    let claims: serde_json::Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(claims).ok()?).ok()?;
    Some(VerifiedToken {
        audience: claims["aud"].as_str()?.to_owned(),
        expires: claims["exp"].as_u64()?,
        subject: claims["sub"].as_str()?.to_owned(),
        public_key: key.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_names_the_push_service_origin_and_verifies_with_our_public_key() {
        let (private, public) = Vapid::generate();
        let vapid = Vapid::new(&private, "mailto:yjj@example.org").expect("valid");
        assert_eq!(vapid.public_key(), public);
        let url = reqwest::Url::parse("https://fcm.googleapis.com/fcm/send/abc:def").expect("url");
        let header = vapid.authorization(&url);
        let token = verify_authorization(&header).expect("verifies");
        assert_eq!(token.audience, "https://fcm.googleapis.com");
        assert_eq!(token.subject, "mailto:yjj@example.org");
        assert_eq!(token.public_key, public);
        let now = SystemTime::now().duration_since(UNIX_EPOCH).expect("after 1970").as_secs();
        assert!(token.expires > now && token.expires <= now + 24 * 60 * 60, "exp within 24 h");
        // Reused for the same service, distinct for another.
        assert_eq!(vapid.authorization(&url), header);
        let other = reqwest::Url::parse("https://updates.push.services.mozilla.com/wpush/v2/x").expect("url");
        assert_eq!(
            verify_authorization(&vapid.authorization(&other)).expect("ok").audience,
            "https://updates.push.services.mozilla.com"
        );
    }

    #[test]
    fn a_token_signed_by_another_key_does_not_verify() {
        let (private, _) = Vapid::generate();
        let (_, other_public) = Vapid::generate();
        let vapid = Vapid::new(&private, "https://yjj.jdz.gov.cn/").expect("valid");
        let url = reqwest::Url::parse("https://push.example/x").expect("url");
        let header = vapid.authorization(&url);
        let forged = format!("{}k={other_public}", &header[..header.find("k=").expect("k=")]);
        assert_eq!(verify_authorization(&forged), None);
    }

    #[test]
    fn bad_keys_and_subjects_are_refused() {
        assert_eq!(Vapid::new("not base64!", "mailto:a@b").err(), Some(VapidError::BadPrivateKey));
        assert_eq!(Vapid::new("AAAA", "mailto:a@b").err(), Some(VapidError::BadPrivateKey));
        let (private, _) = Vapid::generate();
        assert_eq!(Vapid::new(&private, "yjj@example.org").err(), Some(VapidError::BadSubject));
        assert_eq!(Vapid::new(&private, "http://example.org").err(), Some(VapidError::BadSubject));
    }
}
