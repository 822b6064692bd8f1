//! The safety library: every shipped article reads, has its counterpart and a valid quiz; a
//! bad file is refused with its problems named by file and line or field; the pages browse,
//! search (Chinese and English, title matches first, matched words marked), read an article
//! with the warnings of its hazard and score its quiz with JavaScript off; a warning's page
//! links the articles of its hazard; and `/api/v1/articles` answers.

use std::path::Path;

use axum::{
    Router,
    body::{Body, to_bytes},
    http::{Request, StatusCode, header},
};
use chrono::{Duration, Utc};
use safejdz_app::domain::{learn::Audience, preferences::Lang};
use safejdz_server::{
    config::Config,
    learn::articles::{self, FILES},
    router::router,
    state::AppState,
    warnings::ingest::Verdict,
};
use tower::ServiceExt;

use crate::support::databases;

fn fixture(name: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/learn").join(name))
        .expect("test data")
}

#[test]
fn every_shipped_article_reads_with_its_counterpart_and_the_library_is_complete() {
    let library = articles::shipped().unwrap_or_else(|problems| panic!("{problems:#?}"));
    for lang in Lang::ALL {
        let articles = library.in_language(lang);
        assert!(articles.len() >= 20, "{} has {} articles; the library needs 20", lang.tag(), articles.len());
        for article in articles {
            // Every quiz answer is one of its choices (the domain's check), and every article
            // says what to do before, during and after, and whom to call.
            assert!(article.meta.problems().is_empty(), "{}: {:?}", article.slug, article.meta.problems());
            assert!(!article.meta.phones.is_empty(), "{} names no number to call", article.slug);
            assert!(
                library.get(&article.slug, if lang == Lang::En { Lang::ZhCn } else { Lang::En }).is_some()
            );
        }
    }
    // Every audience finds something, and the kilns of this city have their article.
    for audience in Audience::ALL {
        assert!(
            library.in_language(Lang::ZhCn).iter().any(|a| a.meta.audiences.contains(&audience)),
            "{audience:?}"
        );
    }
    assert!(library.get("gas-kiln-safety", Lang::ZhCn).is_some());
    // build.rs listed every file of the directory.
    let directory = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/learn");
    let on_disk = ["zh-CN", "en"]
        .iter()
        .map(|lang| std::fs::read_dir(directory.join(lang)).expect("a language directory").count())
        .sum::<usize>();
    assert_eq!(on_disk, FILES.len());
}

#[test]
fn a_good_file_reads_and_renders_with_anchors() {
    let article = articles::read("en/test-article.md", &fixture("en/test-article.md")).expect("reads");
    assert_eq!((article.slug.as_str(), article.lang, article.meta.quiz.len()), ("test-article", Lang::En, 3));
    assert_eq!(article.meta.last_reviewed, "2026-12-03");
    assert!(article.html.contains("<h2 id=\"urgent\">What matters most</h2>"), "{}", article.html);
    // Without its counterpart, the library refuses it.
    let problems =
        articles::library_of(&[("en/test-article.md", &fixture("en/test-article.md"))]).expect_err("alone");
    assert_eq!(problems, ["en/test-article.md: has no counterpart zh-CN/test-article.md"]);
}

#[test]
fn a_bad_file_names_each_problem_with_its_field_or_line() {
    let problems = articles::read("en/bad-article.md", &fixture("en/bad-article.md")).expect_err("refused");
    assert_eq!(
        problems,
        [
            "en/bad-article.md: field reading_minutes: 30 is not 1 to 15",
            "en/bad-article.md: field quiz: question \"q2\": the answer \"z\" is not one of its choices",
            "en/bad-article.md: line 51: raw HTML is shown as text",
            "en/bad-article.md: line 51: raw HTML is shown as text",
            "en/bad-article.md: the body's ## sections are [\"urgent\", \"signs\", \"before-you-go\", \"during\", \"after\", \"phones\"]; they must be [\"urgent\", \"signs\", \"before\", \"during\", \"after\", \"phones\"], in that order",
            "en/bad-article.md: field phones: 119 is not in the body",
        ]
    );
    let problems =
        articles::read("en/broken-article.md", &fixture("en/broken-article.md")).expect_err("refused");
    assert_eq!(problems.len(), 1);
    assert!(problems[0].starts_with("en/broken-article.md: line 3: "), "{problems:?}");
}

mod pages {
    use super::*;

    /// A rainstorm warning (暴雨) in force for the whole city, sent five minutes ago.
    fn rainstorm() -> String {
        let sent = (Utc::now() - Duration::minutes(5)).format("%Y-%m-%dT%H:%M:%S+08:00");
        let expires = (Utc::now() + Duration::hours(6)).format("%Y-%m-%dT%H:%M:%S+00:00");
        format!(
            r#"<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>learn-rain</identifier>
  <sender>36020041600000</sender><sent>{sent}</sent><status>Actual</status><msgType>Alert</msgType><scope>Public</scope>
  <info><language>zh-CN</language><category>Met</category><event>暴雨</event><urgency>Immediate</urgency>
    <severity>Severe</severity><certainty>Likely</certainty><expires>{expires}</expires>
    <headline>景德镇市暴雨橙色预警</headline><instruction>远离低洼地带。</instruction>
    <area><areaDesc>景德镇市</areaDesc><geocode><valueName>CPEAS Geographic Code</valueName><value>360200000000</value></geocode></area>
  </info></alert>"#
        )
    }

    struct TestApp {
        router: Router,
        warning: i64,
        _data: tempfile::TempDir,
    }

    async fn app() -> TestApp {
        let (store, data) = databases::sqlite_store().await;
        let config = Config { site_root: data.path().join("no-site"), ..Config::default() };
        let state = AppState::new(config, store);
        let verdict = state.warnings.ingest.receive("test", rainstorm().as_bytes(), Utc::now()).await;
        let Ok(Verdict::Accepted { id }) = verdict else { panic!("{verdict:?}") };
        TestApp { router: router(state), warning: id, _data: data }
    }

    async fn get(app: &TestApp, uri: &str, lang: &str) -> (StatusCode, String) {
        let request =
            Request::get(uri).header(header::ACCEPT_LANGUAGE, lang).body(Body::empty()).expect("request");
        let response = app.router.clone().oneshot(request).await.expect("answer");
        let status = response.status();
        let body = to_bytes(response.into_body(), 8 << 20).await.expect("body");
        (status, String::from_utf8(body.to_vec()).expect("UTF-8"))
    }

    #[tokio::test]
    async fn the_library_browses_by_hazard_and_audience_without_javascript() {
        let app = app().await;
        let (status, all) = get(&app, "/learn", "zh-CN").await;
        assert_eq!(status, StatusCode::OK);
        assert!(all.matches("class=\"article-card\"").count() >= 20, "{all}");
        let form = all
            .split("<form")
            .filter_map(|f| f.split('>').next())
            .find(|f| f.contains("learn-search"))
            .unwrap_or_default();
        assert!(form.contains("method=\"get\" action=\"/learn\""), "a plain GET form: {form}");
        let (_, quakes) = get(&app, "/learn?hazard=earthquake", "en").await;
        assert!(quakes.contains("href=\"/learn/earthquake\""));
        assert!(!quakes.contains("href=\"/learn/heat\""), "only the hazard's articles");
        let (_, business) = get(&app, "/learn?audience=businesses", "en").await;
        assert!(business.contains("href=\"/learn/gas-kiln-safety\""), "{business}");
    }

    #[tokio::test]
    async fn search_finds_chinese_and_english_ranks_a_title_match_first_and_marks_the_words() {
        let app = app().await;
        let (_, zh) = get(&app, "/learn?q=%E5%9C%B0%E9%9C%87", "zh-CN").await; // 地震
        let first = zh.split("class=\"learn-result\"").nth(1).expect("a result");
        assert!(first.contains("href=\"/learn/earthquake\""), "the article titled 地震 first: {first}");
        assert!(first.contains("<mark>地震</mark>"), "{first}");
        let (_, en) = get(&app, "/learn?q=lightning", "en").await;
        let first = en.split("class=\"learn-result\"").nth(1).expect("a result");
        assert!(first.contains("href=\"/learn/thunderstorm-lightning\""), "{first}");
        assert!(first.to_lowercase().contains("<mark>lightning</mark>"), "{first}");
        let (_, none) = get(&app, "/learn?q=zzzzqx", "en").await;
        assert!(none.contains("Nothing found"));
        // What was typed is shown as text, never as markup.
        let (_, typed) = get(&app, "/learn?q=%3Cscript%3E", "en").await;
        assert!(!typed.contains("<script>"), "escaped");
    }

    #[tokio::test]
    async fn an_article_reads_with_its_warnings_and_its_quiz_scores_without_javascript() {
        let app = app().await;
        let (status, article) = get(&app, "/learn/floods-waterlogging", "zh-CN").await;
        assert_eq!(status, StatusCode::OK);
        assert!(article.contains("<h2 id=\"urgent\">"), "the body with its anchors");
        assert!(article.contains("href=\"#urgent\""), "the contents link the sections");
        assert!(
            article.contains(&format!("href=\"/alerts/{}\"", app.warning)),
            "the rainstorm warning now in force"
        );
        assert!(article.contains("景德镇市暴雨橙色预警"));
        assert!(article.contains("method=\"get\" action=\"/learn/floods-waterlogging/quiz\""));
        let (_, quake) = get(&app, "/learn/earthquake", "zh-CN").await;
        assert!(!quake.contains("景德镇市暴雨橙色预警"), "a warning of another hazard is not shown");

        let library = articles::shipped().expect("the library");
        let quiz = &library.get("earthquake", Lang::En).expect("earthquake").meta.quiz;
        let wrong = quiz[1].choices.iter().find(|c| c.id != quiz[1].answer).expect("a wrong choice");
        let query = format!("{}={}&{}={}", quiz[0].id, quiz[0].answer, quiz[1].id, wrong.id);
        let (status, result) = get(&app, &format!("/learn/earthquake/quiz?{query}"), "en").await;
        assert_eq!(status, StatusCode::OK);
        assert!(result.contains(&format!("1 of {} right", quiz.len())), "{result}");
        assert!(result.contains(&wrong.explanation), "why the wrong answer is wrong");
        assert!(result.contains("You did not answer this one."));
        let (status, _) = get(&app, "/learn/no-such-article", "en").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }

    #[tokio::test]
    async fn a_topic_quiz_mixes_questions_of_several_articles() {
        let app = app().await;
        let (status, form) = get(&app, "/learn/quiz/weather", "en").await;
        assert_eq!(status, StatusCode::OK);
        assert!(form.contains("action=\"/learn/quiz/weather/result\""));
        assert!(
            form.contains("name=\"heat.q1\"") && form.contains("name=\"thunderstorm-lightning.q1\""),
            "{form}"
        );
        let (_, result) = get(&app, "/learn/quiz/weather/result?heat.q1=zz", "en").await;
        assert!(result.contains("0 of 10 right"), "{result}");
        let (status, _) = get(&app, "/learn/quiz/no-such-topic", "en").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }

    #[tokio::test]
    async fn a_warnings_page_links_the_articles_of_its_hazard() {
        let app = app().await;
        let (_, page) = get(&app, &format!("/alerts/{}", app.warning), "zh-CN").await;
        let reading = page.split("id=\"reading-heading\"").nth(1).expect("the reading section");
        assert!(reading.contains("href=\"/learn/floods-waterlogging\""), "{reading}");
        assert!(reading.contains("href=\"/learn/warning-signals\""));
    }

    #[tokio::test]
    async fn the_api_lists_articles_and_gives_one_with_its_html() {
        let app = app().await;
        let (status, list) = get(&app, "/api/v1/articles?lang=en&hazard=earthquake", "zh-CN").await;
        assert_eq!(status, StatusCode::OK);
        let list: serde_json::Value = serde_json::from_str(&list).expect("JSON");
        assert_eq!(list["lang"], "en");
        assert_eq!(list["articles"][0]["slug"], "earthquake");
        assert_eq!(list["articles"][0]["page"], "/learn/earthquake");
        let (status, one) = get(&app, "/api/v1/articles/earthquake", "en").await;
        assert_eq!(status, StatusCode::OK);
        let one: serde_json::Value = serde_json::from_str(&one).expect("JSON");
        assert_eq!(one["lang"], "zh-CN", "zh-CN unless asked");
        assert!(one["html"].as_str().expect("html").contains("<h2 id=\"urgent\">"));
        assert!(one["sources"].as_array().expect("sources").len() >= 2);
        let (status, missing) = get(&app, "/api/v1/articles/nothing", "en").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(missing.contains("\"code\":\"not_found\""), "{missing}");
        let (status, bad) = get(&app, "/api/v1/articles?lang=fr", "en").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(bad.contains("\"code\":\"bad_request\""), "{bad}");
    }
}

#[test]
fn the_check_command_says_ok_or_names_each_problem_and_exits_non_zero() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let check = |files: &[std::path::PathBuf]| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_safejdz"))
            .args(["learn", "check"])
            .args(files)
            .env("SAFEJDZ_LOG_FILTER", "error")
            .output()
            .expect("runs");
        (output.status.success(), String::from_utf8_lossy(&output.stdout).into_owned())
    };
    let shipped = ["zh-CN", "en"].map(|lang| root.join("data/learn").join(lang).join("earthquake.md"));
    let (ok, words) = check(&shipped);
    assert!(ok, "{words}");
    assert_eq!(words.lines().filter(|line| line.ends_with("earthquake.md: ok")).count(), 2, "{words}");
    let (ok, words) = check(&[shipped[0].clone(), root.join("tests/fixtures/learn/en/bad-article.md")]);
    assert!(!ok);
    assert!(words.contains("en/bad-article.md: field reading_minutes: 30 is not 1 to 15"), "{words}");
    assert!(words.contains("zh-CN/earthquake.md: has no counterpart en/earthquake.md"), "{words}");
}
