//! Password hashes: argon2id at OWASP's minimum parameters (19 MiB, two passes, one lane), in
//! the PHC string form that records them, so stronger parameters later still verify old hashes.

use argon2::{
    Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version,
    password_hash::SaltString,
};
use rand_core::OsRng;

/// OWASP Password Storage Cheat Sheet, argon2id: m = 19456 KiB, t = 2, p = 1.
pub const MEMORY_KIB: u32 = 19_456;
pub const PASSES: u32 = 2;
pub const LANES: u32 = 1;

fn hasher() -> Argon2<'static> {
    let params = Params::new(MEMORY_KIB, PASSES, LANES, None).expect("OWASP's parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// The PHC string of `password` under a new random salt.
pub fn hash(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    hasher().hash_password(password.as_bytes(), &salt).expect("argon2 hashes any password").to_string()
}

/// Whether `password` matches the stored PHC string (false for an unreadable one).
pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .is_ok_and(|parsed| hasher().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// Spends the time a real check takes, for a name that has no account: how long a refusal
/// takes must not tell whether the account exists.
pub fn verify_nothing(password: &str) {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let dummy = DUMMY.get_or_init(|| hash("no account has this password"));
    let _ = verify(password, dummy);
}

/// A random secret of `chars` characters from an alphabet without look-alikes (no 0/O, 1/l/I):
/// temporary passwords and recovery codes are read off a screen and typed.
pub fn random_code(chars: usize) -> String {
    use rand_core::RngCore;
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";
    let mut bytes = vec![0u8; chars];
    OsRng.fill_bytes(&mut bytes);
    // 256 is a multiple of the alphabet's 32 letters: every letter is equally likely.
    bytes.iter().map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()])).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_is_argon2id_with_owasp_parameters_and_verifies_only_its_password() {
        let stored = hash("correct horse battery");
        assert!(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{stored}");
        assert!(verify("correct horse battery", &stored));
        assert!(!verify("correct horse batterz", &stored));
        assert!(!verify("correct horse battery", "not a hash"));
        assert_ne!(hash("same"), hash("same"), "salted");
    }

    #[test]
    fn random_codes_use_only_unambiguous_characters() {
        let code = random_code(64);
        assert_eq!(code.len(), 64);
        assert!(code.bytes().all(|b| !b"01lIoO".contains(&b)), "{code}");
        assert_ne!(random_code(16), random_code(16));
    }
}
