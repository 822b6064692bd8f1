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
fn every_illustration_is_listed_used_by_a_scenario_and_a_plain_drawing() {
    let directory = Path::new(env!("CARGO_MANIFEST_DIR")).join("../public/illustrations");
    let mut on_disk: Vec<String> = std::fs::read_dir(&directory)
        .expect("public/illustrations")
        .filter_map(Result::ok)
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let listed: Vec<String> = scenarios::ILLUSTRATIONS.iter().map(|(name, _)| (*name).to_owned()).collect();
    assert_eq!(
        on_disk, listed,
        "public/illustrations and scenarios::ILLUSTRATIONS list the same files, in order"
    );

    let shipped = scenarios::all().unwrap_or_else(|problems| panic!("{problems:#?}"));
    let used: Vec<&str> = shipped
        .iter()
        .flat_map(|scenario| &scenario.steps)
        .filter_map(|step| step.illustration.as_ref().map(|picture| picture.file.as_str()))
        .collect();
    for (name, text) in scenarios::ILLUSTRATIONS {
        assert!(used.contains(name), "{name} is drawn but no step shows it");
        let document = roxmltree::Document::parse(text).unwrap_or_else(|error| panic!("{name}: {error}"));
        let root = document.root_element();
        assert_eq!(root.tag_name().name(), "svg", "{name}");
        assert_eq!(root.attribute("viewBox"), Some("0 0 320 200"), "{name}: the canvas the pages size for");
        for node in document.descendants().filter(|node| node.is_element()) {
            let tag = node.tag_name().name();
            // No words (one drawing serves both languages), nothing active, nothing fetched, no
            // inline style (the pages' content security policy refuses it).
            assert!(
                !["script", "foreignObject", "text", "image", "use", "a", "style"].contains(&tag),
                "{name}: <{tag}>"
            );
            for attribute in node.attributes() {
                let key = attribute.name();
                assert!(!(key.starts_with("on") || key == "href" || key == "style"), "{name}: <{tag} {key}>");
            }
        }
    }
    // Each scenario shows at least one picture.
    for scenario in &shipped {
        assert!(
            scenario.steps.iter().any(|step| step.illustration.is_some()),
            "{} has no picture",
            scenario.id
        );
    }
}

#[test]
fn a_scenario_naming_a_drawing_that_is_not_shipped_is_refused() {
    let text = fixture("test-drill.toml").replacen(
        "[[steps]]\nid = \"s1\"\n",
        "[[steps]]\nid = \"s1\"\nillustration = { file = \"missing.svg\", alt = { zh = \"图\", en = \"A picture\" } }\n",
        1,
    );
    assert!(text.contains("missing.svg"), "the fixture's first step is where the test expects it");
    let problems = scenarios::read("test-drill.toml", &text).expect_err("refused");
    assert_eq!(
        problems,
        [
            "test-drill.toml: step s1, field illustration: public/illustrations/missing.svg is not one of the shipped illustrations"
        ]
    );
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
            "bad.toml: field sources: \"Test source\" needs a title and a web address",
            "bad.toml: step s2, field choices: choice \"right\" leads to \"s9\", not a step",
        ]
    );
    let problems = scenarios::read("broken.toml", &fixture("broken.toml")).expect_err("refused");
    assert_eq!(problems.len(), 1);
    assert!(problems[0].starts_with("broken.toml: line 80: "), "{problems:?}");
}

/// Every shipped scenario offers, somewhere, the mistakes real people often make (issue 13):
/// the lift, running out during the shaking, going through a flooded underpass, a light in a
/// gas leak, going back for belongings. Read from the English labels of wrong choices.
#[test]
fn the_common_mistakes_are_offered_as_wrong_choices() {
    let scenarios = scenarios::all().unwrap_or_else(|problems| panic!("{problems:#?}"));
    let wrong_labels: Vec<(String, String)> = scenarios
        .iter()
        .flat_map(|scenario| {
            scenario.steps.iter().flat_map(move |step| {
                step.choices
                    .iter()
                    .filter(|choice| !choice.correct)
                    .map(move |choice| (scenario.id.clone(), choice.label.en.to_lowercase()))
            })
        })
        .collect();
    let offered = |scenario: &str, words: &[&str]| {
        wrong_labels.iter().any(|(id, label)| id == scenario && words.iter().all(|w| label.contains(w)))
    };
    assert!(offered("earthquake-classroom", &["lift"]));
    assert!(offered("school-fire", &["lift"]));
    assert!(offered("earthquake-classroom", &["run out"]));
    assert!(offered("waterlogging-way-home", &["drive through"]));
    assert!(offered("gas-kiln-studio", &["light"]));
    assert!(
        wrong_labels
            .iter()
            .filter(|(_, label)| label.contains("back") && (label.contains("for") || label.contains("get")))
            .count()
            >= 3
    );
    // The seven of the issue, each with both kinds of ending and a timed step (the rules).
    let ids: Vec<&str> = scenarios.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "earthquake-classroom",
            "school-fire",
            "waterlogging-way-home",
            "landslide-fuliang-village",
            "gas-kiln-studio",
            "chemical-leak-industrial-park",
            "forest-fire-hike"
        ]
    );
}

mod pages {
    //! The drill pages as a resident's browser gets them, JavaScript off: the list, a step as a
    //! form, a pick moving the path on, the end with score and what to remember.

    use axum::{
        body::{Body, to_bytes},
        http::{Request, StatusCode, header},
    };
    use tower::ServiceExt;

    use crate::support::api_client::app;

    async fn page(uri: &str, lang: &str) -> (StatusCode, String) {
        let (app, _dir) = app().await;
        let request =
            Request::get(uri).header(header::ACCEPT_LANGUAGE, lang).body(Body::empty()).expect("request");
        let response = app.oneshot(request).await.expect("answer");
        let status = response.status();
        let body = to_bytes(response.into_body(), 8 << 20).await.expect("body");
        (status, String::from_utf8(body.to_vec()).expect("UTF-8"))
    }

    #[tokio::test]
    async fn the_list_offers_every_scenario_in_the_residents_language() {
        let (status, zh) = page("/drills", "zh-CN").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(zh.matches("class=\"drill-card\"").count(), 7);
        assert!(zh.contains("href=\"/drills/gas-kiln-studio\""));
        assert!(zh.contains("课堂上的地震"), "{zh}");
        let (_, en) = page("/drills", "en").await;
        assert!(en.contains("An earthquake during class"));
        assert!(en.contains("7 decisions"));
        // The list needs no browser code.
        assert!(!en.contains("<leptos-island"));
    }

    #[tokio::test]
    async fn a_step_is_a_form_whose_buttons_carry_the_path_on() {
        let (status, first) = page("/drills/earthquake-classroom", "en").await;
        assert_eq!(status, StatusCode::OK);
        assert!(first.contains("<form method=\"get\" action=\"/drills/earthquake-classroom\""), "{first}");
        assert!(first.contains("<input type=\"hidden\" name=\"path\" value=\"\">"));
        assert!(first.contains("name=\"pick\" value=\"listen\""));
        assert!(first.contains(">Step 1</h2>"));
        // The sources are named on the page.
        assert!(first.contains("广东省应急管理厅"));

        let (_, second) = page("/drills/earthquake-classroom?path=&pick=listen", "en").await;
        assert!(second.contains(">Step 2</h2>"));
        assert!(second.contains("data-correct=\"yes\""), "the last choice's feedback");
        assert!(second.contains("value=\"listen\">"), "the path carries the pick on");
        // The timed step shows its limit, not enforced without JavaScript.
        assert!(second.contains("Time limit in this drill: 12 seconds"), "{second}");

        // A step with a picture shows it with its words, sized before it loads.
        let (_, pictured) = page("/drills/earthquake-classroom?path=listen&pick=cover", "en").await;
        assert!(
            pictured
                .contains("<img src=\"/illustrations/earthquake-under-desk.svg\" alt=\"A classroom shaking,"),
            "{pictured}"
        );
        assert!(pictured.contains("width=\"320\" height=\"200\""));
        assert!(!second.contains("<img"), "the first steps have no picture");

        let (_, wrong) = page("/drills/earthquake-classroom?path=&pick=window", "en").await;
        assert!(wrong.contains("data-correct=\"no\""));
        assert!(wrong.contains("✗ Not right"));
    }

    #[tokio::test]
    async fn the_right_path_ends_safe_with_the_score_and_three_things_to_remember() {
        let path = "listen.cover.stay.route.steady.stay-with-class";
        let (_, end) = page(&format!("/drills/earthquake-classroom?path={path}&pick=tell"), "zh-CN").await;
        assert!(end.contains("data-outcome=\"safe\""), "{end}");
        assert!(end.contains("做对 7 / 7 个决定"));
        let remember =
            end.split("class=\"drill-remember\">").nth(1).and_then(|rest| rest.split("</ol>").next());
        assert_eq!(remember.map(|list| list.matches("<li>").count()), Some(3), "{end}");
        assert!(end.contains("记住这三件事"));
        let (_, lesson) = page("/drills/earthquake-classroom?path=listen.cover&pick=jump", "en").await;
        assert!(lesson.contains("data-outcome=\"lesson\""));
        assert!(lesson.contains("2 of 3 decisions right"));
    }

    #[tokio::test]
    async fn a_path_the_scenario_lacks_starts_again_and_an_unknown_drill_is_404() {
        let (status, page_text) = page("/drills/earthquake-classroom?path=listen.fly", "en").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page_text.contains("That link did not match this drill"));
        assert!(page_text.contains(">Step 1</h2>"));
        let (status, _) = page("/drills/no-such-drill", "en").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
}

#[test]
fn the_check_command_says_ok_or_names_each_problem_and_exits_non_zero() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/drills");
    let check = |files: &[&str]| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_safejdz"))
            .args(["drills", "check"])
            .args(files.iter().map(|f| fixtures.join(f)))
            .env("SAFEJDZ_LOG_FILTER", "error")
            .output()
            .expect("runs");
        (output.status.success(), String::from_utf8_lossy(&output.stdout).into_owned())
    };
    let (ok, words) = check(&["test-drill.toml"]);
    assert!(ok, "{words}");
    assert!(words.trim_end().ends_with("test-drill.toml: ok (8 steps)"), "{words}");
    let (ok, words) = check(&["test-drill.toml", "bad.toml"]);
    assert!(!ok);
    assert!(
        words.contains("bad.toml: step s2, field choices: choice \"right\" leads to \"s9\", not a step"),
        "{words}"
    );
    assert!(words.contains("test-drill.toml: ok"), "every file is checked: {words}");
}
