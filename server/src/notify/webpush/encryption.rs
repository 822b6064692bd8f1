//! Message encryption for Web Push (RFC 8291) in the `aes128gcm` content coding (RFC 8188):
//! only the resident's browser can read a notification; the push service (FCM, Mozilla, Apple)
//! carries ciphertext. One record per message: a warning notification is far below 4 KB.
//!
//! `decrypt` is the user agent's side. The server never needs it; the delivery tests and the
//! benchmark's receiver do, and keeping both directions beside each other keeps them honest.

use aes_gcm::{
    Aes128Gcm, KeyInit, Nonce,
    aead::{Aead, Payload},
};
use hkdf::Hkdf;
use p256::{PublicKey, SecretKey, ecdh::diffie_hellman, elliptic_curve::sec1::ToEncodedPoint};
use sha2::Sha256;

/// The record size written in the header. The message is one record, so any size at least as
/// large as the record works; 4096 is what browsers and the RFC's example use.
const RECORD_SIZE: u32 = 4096;

/// Push services must accept bodies of 4096 bytes (RFC 8030 §7.2); the header takes 86 of them
/// and the tag and delimiter 17, which leaves this much for the plaintext.
pub const MAX_PLAINTEXT: usize = 4096 - 86 - 17;

/// Why a message could not be encrypted or decrypted.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum EncryptionError {
    #[error("the subscription's public key is not a P-256 point")]
    BadPublicKey,
    #[error("the subscription's auth secret must be 16 bytes")]
    BadAuthSecret,
    #[error("the message is {0} bytes; at most {MAX_PLAINTEXT} fit in a push message")]
    TooLong(usize),
    #[error("the body is not an aes128gcm message")]
    BadHeader,
    #[error("the message does not decrypt (wrong key, or altered)")]
    Undecryptable,
    #[error("the decrypted record has no valid padding delimiter")]
    BadPadding,
}

/// What the subscriber's browser gave us: its public key (65-byte uncompressed point,
/// `p256dh`) and its 16-byte authentication secret (`auth`).
#[derive(Debug, Clone)]
pub struct ReceiverKeys {
    pub public: PublicKey,
    pub auth: [u8; 16],
}

impl ReceiverKeys {
    /// Reads the raw `p256dh` and `auth` values of a `PushSubscription`.
    pub fn from_bytes(p256dh: &[u8], auth: &[u8]) -> Result<ReceiverKeys, EncryptionError> {
        let public = PublicKey::from_sec1_bytes(p256dh).map_err(|_| EncryptionError::BadPublicKey)?;
        // Compressed points are valid SEC1 but not what the Push API hands out; the key info
        // of RFC 8291 needs the 65-byte form, so insist on it.
        if p256dh.len() != 65 {
            return Err(EncryptionError::BadPublicKey);
        }
        let auth: [u8; 16] = auth.try_into().map_err(|_| EncryptionError::BadAuthSecret)?;
        Ok(ReceiverKeys { public, auth })
    }
}

/// Encrypts `plaintext` for `receiver` with a fresh key pair and salt (as every message must).
/// The key pair and the agreement are ring's: its P-256 is several times faster than the
/// pure-Rust one, and a warning for a whole county is hundreds of thousands of messages.
pub fn encrypt(plaintext: &[u8], receiver: &ReceiverKeys) -> Result<Vec<u8>, EncryptionError> {
    use ring::{agreement, rand::SystemRandom};
    if plaintext.len() > MAX_PLAINTEXT {
        return Err(EncryptionError::TooLong(plaintext.len()));
    }
    let random = SystemRandom::new();
    let mut salt = [0u8; 16];
    ring::rand::SecureRandom::fill(&random, &mut salt).map_err(|_| EncryptionError::Undecryptable)?;
    let sender = agreement::EphemeralPrivateKey::generate(&agreement::ECDH_P256, &random)
        .map_err(|_| EncryptionError::Undecryptable)?;
    let sender_public = sender.compute_public_key().map_err(|_| EncryptionError::Undecryptable)?;
    let receiver_public = receiver.public.to_encoded_point(false);
    let peer = agreement::UnparsedPublicKey::new(&agreement::ECDH_P256, receiver_public.as_bytes());
    let shared: [u8; 32] = agreement::agree_ephemeral(sender, &peer, |secret| secret.try_into())
        .map_err(|_| EncryptionError::BadPublicKey)?
        .map_err(|_| EncryptionError::BadPublicKey)?;
    Ok(seal(plaintext, receiver, &shared, sender_public.as_ref(), salt))
}

/// [`encrypt`] with a given sender key and salt: for the RFC's test vector only. Reusing
/// either across messages would break the encryption's guarantees.
pub fn encrypt_with(
    plaintext: &[u8],
    receiver: &ReceiverKeys,
    sender: &SecretKey,
    salt: [u8; 16],
) -> Result<Vec<u8>, EncryptionError> {
    if plaintext.len() > MAX_PLAINTEXT {
        return Err(EncryptionError::TooLong(plaintext.len()));
    }
    let sender_public = sender.public_key().to_encoded_point(false);
    let shared = diffie_hellman(sender.to_nonzero_scalar(), receiver.public.as_affine());
    Ok(seal(plaintext, receiver, shared.raw_secret_bytes(), sender_public.as_bytes(), salt))
}

/// The aes128gcm body: header (salt, record size, sender key) and the one sealed record.
fn seal(
    plaintext: &[u8],
    receiver: &ReceiverKeys,
    shared: &[u8],
    sender_public: &[u8],
    salt: [u8; 16],
) -> Vec<u8> {
    let receiver_public = receiver.public.to_encoded_point(false);
    let (key, nonce) = content_keys(shared, &receiver.auth, receiver_public.as_bytes(), sender_public, &salt);
    // One record, the last: the plaintext, then the delimiter 0x02, no further padding.
    let mut record = Vec::with_capacity(plaintext.len() + 1);
    record.extend_from_slice(plaintext);
    record.push(0x02);
    let cipher = Aes128Gcm::new(&key.into());
    let sealed = cipher
        .encrypt(Nonce::from_slice(&nonce), Payload { msg: &record, aad: &[] })
        .expect("AES-128-GCM fails only beyond 64 GB; a notification is at most a few KB");

    let mut body = Vec::with_capacity(86 + sealed.len());
    body.extend_from_slice(&salt);
    body.extend_from_slice(&RECORD_SIZE.to_be_bytes());
    body.push(65);
    body.extend_from_slice(sender_public);
    body.extend_from_slice(&sealed);
    body
}

/// The user agent's side: decrypts a body encrypted for the key pair `receiver_secret` + `auth`.
pub fn decrypt(
    body: &[u8],
    receiver_secret: &SecretKey,
    auth: &[u8; 16],
) -> Result<Vec<u8>, EncryptionError> {
    if body.len() < 21 {
        return Err(EncryptionError::BadHeader);
    }
    let salt: [u8; 16] = body[..16].try_into().map_err(|_| EncryptionError::BadHeader)?;
    let record_size = u32::from_be_bytes(body[16..20].try_into().map_err(|_| EncryptionError::BadHeader)?);
    let id_len = usize::from(body[20]);
    let rest = &body[21..];
    if id_len != 65 || rest.len() < 65 + 17 || record_size < 18 {
        return Err(EncryptionError::BadHeader);
    }
    let (sender_bytes, sealed) = rest.split_at(65);
    if sealed.len() > record_size as usize {
        // More than one record: never sent by this server, and not needed by a receiver here.
        return Err(EncryptionError::BadHeader);
    }
    let sender = PublicKey::from_sec1_bytes(sender_bytes).map_err(|_| EncryptionError::BadHeader)?;
    let receiver_public = receiver_secret.public_key().to_encoded_point(false);
    let shared = diffie_hellman(receiver_secret.to_nonzero_scalar(), sender.as_affine());
    let (key, nonce) =
        content_keys(shared.raw_secret_bytes(), auth, receiver_public.as_bytes(), sender_bytes, &salt);
    let record = Aes128Gcm::new(&key.into())
        .decrypt(Nonce::from_slice(&nonce), Payload { msg: sealed, aad: &[] })
        .map_err(|_| EncryptionError::Undecryptable)?;
    // Padding: zeros after the delimiter; the last record's delimiter is 0x02.
    let end = record.iter().rposition(|b| *b != 0).ok_or(EncryptionError::BadPadding)?;
    if record[end] != 0x02 {
        return Err(EncryptionError::BadPadding);
    }
    Ok(record[..end].to_vec())
}

/// The content encryption key and nonce (RFC 8291 §3.4, RFC 8188 §2.2–2.3).
fn content_keys(
    ecdh_secret: &[u8],
    auth: &[u8; 16],
    receiver_public: &[u8],
    sender_public: &[u8],
    salt: &[u8; 16],
) -> ([u8; 16], [u8; 12]) {
    let mut key_info = Vec::with_capacity(14 + 65 + 65);
    key_info.extend_from_slice(b"WebPush: info\0");
    key_info.extend_from_slice(receiver_public);
    key_info.extend_from_slice(sender_public);
    let mut ikm = [0u8; 32];
    // HKDF-SHA256 expands to at most 8160 bytes; 32, 16 and 12 are asked here.
    const EXPANDS: &str = "HKDF-SHA256 expands to up to 8160 bytes; at most 32 are asked";
    Hkdf::<Sha256>::new(Some(auth), ecdh_secret).expand(&key_info, &mut ikm).expect(EXPANDS);
    let prk = Hkdf::<Sha256>::new(Some(salt), &ikm);
    let mut key = [0u8; 16];
    let mut nonce = [0u8; 12];
    prk.expand(b"Content-Encoding: aes128gcm\0", &mut key).expect(EXPANDS);
    prk.expand(b"Content-Encoding: nonce\0", &mut nonce).expect(EXPANDS);
    (key, nonce)
}

#[cfg(test)]
mod tests {
    use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};

    use super::*;

    fn b64(text: &str) -> Vec<u8> {
        URL_SAFE_NO_PAD.decode(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    // RFC 8291 §5 and Appendix A: the published example.
    const PLAINTEXT: &str = "When I grow up, I want to be a watermelon";
    const AS_PRIVATE: &str = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw";
    const UA_PUBLIC: &str =
        "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
    const UA_PRIVATE: &str = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94";
    const SALT: &str = "DGv6ra1nlYgDCS1FRnbzlw";
    const AUTH: &str = "BTBZMqHH6r4Tts7J_aSIgg";
    const BODY: &str = "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN";

    fn rfc_receiver() -> ReceiverKeys {
        ReceiverKeys::from_bytes(&b64(UA_PUBLIC), &b64(AUTH)).expect("RFC keys")
    }

    #[test]
    fn the_rfc_example_encrypts_byte_for_byte() {
        let sender = SecretKey::from_slice(&b64(AS_PRIVATE)).expect("RFC key");
        let salt: [u8; 16] = b64(SALT).try_into().expect("16 bytes");
        let body = encrypt_with(PLAINTEXT.as_bytes(), &rfc_receiver(), &sender, salt).expect("encrypts");
        assert_eq!(URL_SAFE_NO_PAD.encode(body), BODY);
    }

    #[test]
    fn the_rfc_example_decrypts_with_the_user_agents_key() {
        let receiver = SecretKey::from_slice(&b64(UA_PRIVATE)).expect("RFC key");
        let auth: [u8; 16] = b64(AUTH).try_into().expect("16 bytes");
        assert_eq!(decrypt(&b64(BODY), &receiver, &auth).expect("decrypts"), PLAINTEXT.as_bytes());
    }

    #[test]
    fn every_message_gets_a_fresh_key_and_salt_and_still_round_trips() {
        let receiver = SecretKey::random(&mut rand_core::OsRng);
        let keys = ReceiverKeys { public: receiver.public_key(), auth: [7; 16] };
        let first = encrypt("红色预警".as_bytes(), &keys).expect("encrypts");
        let second = encrypt("红色预警".as_bytes(), &keys).expect("encrypts");
        assert_ne!(first[..16], second[..16], "salt reused");
        assert_ne!(first[21..86], second[21..86], "sender key reused");
        assert_eq!(decrypt(&first, &receiver, &[7; 16]).expect("decrypts"), "红色预警".as_bytes());
    }

    #[test]
    fn a_changed_byte_a_wrong_secret_or_a_bad_key_is_refused() {
        let receiver = SecretKey::random(&mut rand_core::OsRng);
        let keys = ReceiverKeys { public: receiver.public_key(), auth: [1; 16] };
        let mut body = encrypt(b"hello", &keys).expect("encrypts");
        assert_eq!(decrypt(&body, &receiver, &[2; 16]), Err(EncryptionError::Undecryptable));
        let last = body.len() - 1;
        body[last] ^= 1;
        assert_eq!(decrypt(&body, &receiver, &[1; 16]), Err(EncryptionError::Undecryptable));
        assert_eq!(decrypt(&body[..30], &receiver, &[1; 16]), Err(EncryptionError::BadHeader));
        assert_eq!(ReceiverKeys::from_bytes(&[4; 65], &[0; 16]).err(), Some(EncryptionError::BadPublicKey));
        assert_eq!(
            ReceiverKeys::from_bytes(&b64(UA_PUBLIC), &[0; 15]).err(),
            Some(EncryptionError::BadAuthSecret)
        );
    }

    #[test]
    fn a_message_longer_than_a_push_message_holds_is_refused() {
        let fits = vec![b'a'; MAX_PLAINTEXT];
        let body = encrypt(&fits, &rfc_receiver()).expect("fits");
        assert_eq!(body.len(), 4096);
        assert_eq!(
            encrypt(&[b'a'; MAX_PLAINTEXT + 1], &rfc_receiver()),
            Err(EncryptionError::TooLong(MAX_PLAINTEXT + 1))
        );
    }
}
