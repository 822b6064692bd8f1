//! The drill scenario files: every file the server ships reads and passes the domain's rules,
//! the directory holds exactly the listed files, and a bad file is refused with its problems
//! named by file and line, or by file, step and field.

use std::path::Path;

use safejdz_server::drills::scenarios;

fn fixture(name: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/drills").join(name))
        .expect("test data")
}

#[test]
fn every_shipped_scenario_reads_and_the_directory_holds_exactly_the_listed_files() {
    let scenarios = scenarios::all().unwrap_or_else(|problems| panic!("{problems:#?}"));
    assert_eq!(scenarios.len(), scenarios::FILES.len());
    let directory = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/drills");
    let mut on_disk: Vec<String> = std::fs::read_dir(&directory)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|entry| entry.file_name().to_string_lossy().into_owned())
                .filter(|name| name.ends_with(".toml"))
                .collect()
        })
        .unwrap_or_default();
    on_disk.sort();
    let mut listed: Vec<String> = scenarios::FILES.iter().map(|(name, _)| (*name).to_owned()).collect();
    listed.sort();
    assert_eq!(on_disk, listed, "server/data/drills and scenarios::FILES list the same files");
}

#[test]
fn a_good_file_reads_into_a_playable_scenario() {
    let scenario = scenarios::read("test-drill.toml", &fixture("test-drill.toml")).expect("reads");
    assert_eq!(
        (scenario.id.as_str(), scenario.steps.len(), scenario.start.as_str()),
        ("test-drill", 8, "s1")
    );
    assert_eq!(scenario.step("s1").and_then(|s| s.time_limit_seconds), Some(10));
    // The file's name must be its id.
    let renamed = scenarios::read("other.toml", &fixture("test-drill.toml")).expect_err("refused");
    assert_eq!(renamed, ["other.toml: field id: \"test-drill\" is not the file's name (test-drill.toml)"]);
}

#[test]
fn a_bad_file_names_the_file_with_each_step_and_field_or_line() {
    let problems = scenarios::read("bad.toml", &fixture("bad.toml")).expect_err("refused");
    assert_eq!(
        problems,
        [
            "bad.toml: field sources: \"Test source\" needs a title and an https:// address",
            "bad.toml: step s2, field choices: choice \"right\" leads to \"s9\", not a step",
        ]
    );
    let problems = scenarios::read("broken.toml", &fixture("broken.toml")).expect_err("refused");
    assert_eq!(problems.len(), 1);
    assert!(problems[0].starts_with("broken.toml: line 80: "), "{problems:?}");
}
