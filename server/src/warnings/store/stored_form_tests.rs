//! The stored form against the CAP corpus: round trips, rows written before it, and errors.

use super::*;

fn corpus() -> Vec<Alert> {
    let dir = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/cap-corpus"));
    let mut files = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("corpus") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "xml") {
                files.push(path);
            }
        }
    }
    files
        .iter()
        .filter_map(|f| {
            safejdz_app::domain::cap::parse_alert(&std::fs::read(f).expect("read"), &Default::default()).ok()
        })
        .map(|parsed| parsed.alert)
        .collect()
}

#[test]
fn every_corpus_alert_round_trips_through_the_stored_form() {
    let alerts = corpus();
    assert!(alerts.len() > 30, "{} alerts", alerts.len());
    for alert in alerts {
        assert_eq!(decode(&encode(&alert)).expect("decodes"), alert, "{}", alert.identifier);
    }
}

#[test]
fn rows_written_before_the_stored_form_existed_still_read() {
    // Format 1 is what the domain model's serialization wrote: rows without `format`.
    for alert in corpus() {
        let old_row = serde_json::to_string(&alert).expect("the old way");
        assert_eq!(decode(&old_row).expect("an old row reads"), alert, "{}", alert.identifier);
    }
}

#[test]
fn a_newer_format_or_an_unknown_value_is_a_clear_error() {
    let alert = corpus().remove(0);
    let newer = encode(&alert).replacen("\"format\":1", "\"format\":2", 1);
    assert!(matches!(decode(&newer), Err(StoredFormError::UnknownFormat(2))));
    let odd = encode(&alert).replacen(
        &format!("\"status\":\"{}\"", alert.status.as_str()),
        "\"status\":\"Later\"",
        1,
    );
    assert!(matches!(decode(&odd), Err(StoredFormError::UnknownValue { field: "status", .. })), "{odd}");
}
