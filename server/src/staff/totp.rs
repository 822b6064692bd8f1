//! The second factor: time-based one-time passwords (RFC 6238 over RFC 4226's HOTP), as every
//! authenticator app makes them — HMAC-SHA-1, six digits, a new code every 30 seconds. A code is
//! accepted one step early or late (clocks drift) and never twice: the step it matched is kept
//! and a code of that step or an earlier one is refused.

use hmac::{Hmac, Mac};
use rand_core::{OsRng, RngCore};
use safejdz_app::domain::url::percent_encode;

/// Seconds per code (RFC 6238's default, which every authenticator app uses).
pub const STEP_SECONDS: i64 = 30;
/// Digits per code.
pub const DIGITS: u32 = 6;
/// Steps accepted either side of now (RFC 6238 §5.2 recommends at most one).
pub const ALLOWED_DRIFT: i64 = 1;
/// Bytes of a new secret: 160 bits, the HMAC-SHA-1 block RFC 4226 §4 recommends.
pub const SECRET_BYTES: usize = 20;

/// The hash behind a code. Apps use SHA-1; the others are here for RFC 6238's test vectors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hash {
    Sha1,
    Sha256,
    Sha512,
}

/// The HOTP value of `counter` (RFC 4226 §5.3: dynamic truncation), `digits` long.
pub fn hotp(hash: Hash, secret: &[u8], counter: u64, digits: u32) -> u32 {
    fn mac<M: Mac + hmac::digest::KeyInit>(secret: &[u8], message: &[u8]) -> Vec<u8> {
        let mut mac =
            <M as hmac::digest::KeyInit>::new_from_slice(secret).expect("HMAC takes keys of any length");
        mac.update(message);
        mac.finalize().into_bytes().to_vec()
    }
    let message = counter.to_be_bytes();
    let digest = match hash {
        Hash::Sha1 => mac::<Hmac<sha1::Sha1>>(secret, &message),
        Hash::Sha256 => mac::<Hmac<sha2::Sha256>>(secret, &message),
        Hash::Sha512 => mac::<Hmac<sha2::Sha512>>(secret, &message),
    };
    let offset = usize::from(digest[digest.len() - 1] & 0x0f);
    let binary = u32::from_be_bytes([
        digest[offset] & 0x7f,
        digest[offset + 1],
        digest[offset + 2],
        digest[offset + 3],
    ]);
    binary % 10u32.pow(digits)
}

/// The time step of Unix time `seconds`.
pub fn step_at(unix_seconds: i64) -> i64 {
    unix_seconds.div_euclid(STEP_SECONDS)
}

/// The code an app shows at `unix_seconds` for `secret`, zero-padded.
pub fn code_at(secret: &[u8], unix_seconds: i64) -> String {
    let step = u64::try_from(step_at(unix_seconds)).unwrap_or_default();
    format!("{:0width$}", hotp(Hash::Sha1, secret, step, DIGITS), width = DIGITS as usize)
}

/// Why a typed code was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeRefusal {
    /// Not six digits, or not the code of any step near now.
    Wrong,
    /// Right, but its step was already used: someone may have seen it.
    Replayed,
}

/// Checks `typed` (spaces ignored) against `secret` at `unix_seconds`; `last_step` is the step
/// of the last code accepted. Returns the step it matched, to be stored as the new last step.
pub fn verify(
    secret: &[u8],
    typed: &str,
    unix_seconds: i64,
    last_step: Option<i64>,
) -> Result<i64, CodeRefusal> {
    let typed: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    if typed.len() != DIGITS as usize || !typed.bytes().all(|b| b.is_ascii_digit()) {
        return Err(CodeRefusal::Wrong);
    }
    let now = step_at(unix_seconds);
    let matched = (now - ALLOWED_DRIFT..=now + ALLOWED_DRIFT).find(|&step| {
        let code =
            format!("{:06}", hotp(Hash::Sha1, secret, u64::try_from(step).unwrap_or_default(), DIGITS));
        // Constant time: a timing difference must not tell how many digits were right.
        same_bytes(code.as_bytes(), typed.as_bytes())
    });
    match (matched, last_step) {
        (None, _) => Err(CodeRefusal::Wrong),
        (Some(step), Some(last)) if step <= last => Err(CodeRefusal::Replayed),
        (Some(step), _) => Ok(step),
    }
}

/// Whether `a` and `b` are equal, taking the same time whatever their first difference.
pub fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |difference, (x, y)| difference | (x ^ y)) == 0
}

/// A new random secret.
pub fn new_secret() -> Vec<u8> {
    let mut secret = vec![0u8; SECRET_BYTES];
    OsRng.fill_bytes(&mut secret);
    secret
}

const BASE32_ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// RFC 4648 base32 without padding: how apps take a secret typed by hand or in a QR code.
pub fn base32(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    for chunk in bytes.chunks(5) {
        let mut block = [0u8; 5];
        block[..chunk.len()].copy_from_slice(chunk);
        let bits = u64::from_be_bytes([0, 0, 0, block[0], block[1], block[2], block[3], block[4]]);
        let symbols = (chunk.len() * 8).div_ceil(5);
        for i in 0..symbols {
            let index = (bits >> (35 - 5 * i)) & 0x1f;
            out.push(char::from(BASE32_ALPHABET[index as usize]));
        }
    }
    out
}

/// Reads [`base32`] (case-insensitive, spaces and padding ignored).
pub fn from_base32(text: &str) -> Option<Vec<u8>> {
    let mut bits: u64 = 0;
    let mut count = 0;
    let mut out = Vec::new();
    for c in text.chars().filter(|c| !c.is_whitespace() && *c != '=') {
        let value = BASE32_ALPHABET.iter().position(|&a| char::from(a) == c.to_ascii_uppercase())?;
        bits = (bits << 5) | value as u64;
        count += 5;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    Some(out)
}

/// The `otpauth://` URI an authenticator app reads from a QR code (the Key Uri Format apps
/// share: issuer and account in the label and again as a parameter).
pub fn otpauth_uri(issuer: &str, account: &str, secret: &[u8]) -> String {
    let issuer = percent_encode(issuer);
    let account = percent_encode(account);
    format!(
        "otpauth://totp/{issuer}:{account}?secret={}&issuer={issuer}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}",
        base32(secret)
    )
}

/// `text` as a QR code in SVG (made on the server: no script, no image service).
pub fn qr_svg(text: &str) -> Option<String> {
    let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M).ok()?;
    Some(code.render::<qrcode::render::svg::Color<'_>>().min_dimensions(200, 200).quiet_zone(true).build())
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 6238 Appendix B: the seeds are the ASCII digits repeated to each hash's key length.
    const SEED_SHA1: &[u8] = b"12345678901234567890";
    const SEED_SHA256: &[u8] = b"12345678901234567890123456789012";
    const SEED_SHA512: &[u8] = b"1234567890123456789012345678901234567890123456789012345678901234";

    #[test]
    fn rfc_6238_test_vectors() {
        let vectors: [(i64, u32, u32, u32); 6] = [
            (59, 94287082, 46119246, 90693936),
            (1111111109, 7081804, 68084774, 25091201),
            (1111111111, 14050471, 67062674, 99943326),
            (1234567890, 89005924, 91819424, 93441116),
            (2000000000, 69279037, 90698825, 38618901),
            (20000000000, 65353130, 77737706, 47863826),
        ];
        for (time, sha1, sha256, sha512) in vectors {
            let step = u64::try_from(step_at(time)).expect("positive");
            assert_eq!(hotp(Hash::Sha1, SEED_SHA1, step, 8), sha1, "SHA-1 at {time}");
            assert_eq!(hotp(Hash::Sha256, SEED_SHA256, step, 8), sha256, "SHA-256 at {time}");
            assert_eq!(hotp(Hash::Sha512, SEED_SHA512, step, 8), sha512, "SHA-512 at {time}");
        }
    }

    #[test]
    fn a_code_is_accepted_once_near_its_time_and_never_again() {
        let secret = SEED_SHA1;
        let now = 1_111_111_111;
        let code = code_at(secret, now);
        assert_eq!(code, "050471", "the six-digit form of RFC 6238's 14050471");
        let step = verify(secret, &code, now, None).expect("accepted");
        assert_eq!(step, step_at(now));
        assert_eq!(verify(secret, &code, now, Some(step)), Err(CodeRefusal::Replayed));
        // One step of drift either way; two is too many.
        assert!(verify(secret, &code, now + STEP_SECONDS, None).is_ok());
        assert_eq!(verify(secret, &code, now + 2 * STEP_SECONDS, None), Err(CodeRefusal::Wrong));
        // Typed with a space, as apps show it.
        assert!(verify(secret, "050 471", now, None).is_ok());
        assert_eq!(verify(secret, "050472", now, None), Err(CodeRefusal::Wrong));
        assert_eq!(verify(secret, "05047", now, None), Err(CodeRefusal::Wrong));
        assert_eq!(verify(secret, "abcdef", now, None), Err(CodeRefusal::Wrong));
    }

    #[test]
    fn base32_matches_rfc_4648_and_reads_back() {
        // RFC 4648 §10, without padding.
        for (plain, encoded) in [
            ("", ""),
            ("f", "MY"),
            ("fo", "MZXQ"),
            ("foo", "MZXW6"),
            ("foob", "MZXW6YQ"),
            ("fooba", "MZXW6YTB"),
            ("foobar", "MZXW6YTBOI"),
        ] {
            assert_eq!(base32(plain.as_bytes()), encoded);
            assert_eq!(from_base32(encoded).expect("decodes"), plain.as_bytes());
        }
        assert_eq!(from_base32("mzxw 6ytb oi======").expect("decodes"), b"foobar");
        assert!(from_base32("MZ1").is_none());
        let secret = new_secret();
        assert_eq!(from_base32(&base32(&secret)).expect("decodes"), secret);
    }

    #[test]
    fn the_setup_uri_names_the_issuer_and_account_and_draws_as_svg() {
        let uri = otpauth_uri("平安瓷都", "li.wei", b"foobar");
        assert_eq!(
            uri,
            "otpauth://totp/%E5%B9%B3%E5%AE%89%E7%93%B7%E9%83%BD:li.wei?secret=MZXW6YTBOI&issuer=%E5%B9%B3%E5%AE%89%E7%93%B7%E9%83%BD&algorithm=SHA1&digits=6&period=30"
        );
        let svg = qr_svg(&uri).expect("fits a QR code");
        assert!(svg.contains("<svg") && svg.contains("</svg>"));
    }
}
