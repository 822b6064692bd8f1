//! The home page rendered by the server (what a phone with JavaScript off gets): warnings for
//! the place of the link or the saved places first, the rest of the city after, the level in
//! words, an unknown place said so, places saved by a plain form post.

use crate::support::databases;

use axum::{
    Router,
    body::{Body, to_bytes},
    http::{Request, StatusCode, header},
};
use chrono::{Duration, Utc};
use safejdz_server::{config::Config, router::router, state::AppState};
use tower::ServiceExt;

struct TestApp {
    router: Router,
    _data: tempfile::TempDir,
}

/// A warning of `colour` (红色/橙色/黄色/蓝色) for the division `code`, sent five minutes ago.
fn warning(identifier: &str, colour: &str, code: &str, headline: &str) -> String {
    let sent = (Utc::now() - Duration::minutes(5)).format("%Y-%m-%dT%H:%M:%S+08:00");
    let expires = (Utc::now() + Duration::hours(6)).format("%Y-%m-%dT%H:%M:%S+00:00");
    format!(
        r#"<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>{identifier}</identifier>
  <sender>36020041600000</sender><sent>{sent}</sent><status>Actual</status><msgType>Alert</msgType><scope>Public</scope>
  <info><language>zh-CN</language><category>Met</category><event>暴雨</event><urgency>Immediate</urgency>
    <severity>{colour}</severity><certainty>Likely</certainty><expires>{expires}</expires>
    <headline>{headline}</headline><instruction>远离低洼地带。</instruction>
    <area><areaDesc>{headline}区域</areaDesc><geocode><valueName>CPEAS Geographic Code</valueName><value>{code}</value></geocode></area>
  </info></alert>"#
    )
}

async fn app() -> TestApp {
    let (store, data) = databases::sqlite_store().await;
    let config = Config { site_root: data.path().join("no-site"), ..Config::default() };
    let state = AppState::new(config, store);
    let now = Utc::now();
    for (id, colour, code, headline) in [
        ("cj", "橙色", "360202000000", "昌江区暴雨橙色预警"),
        ("zs", "黄色", "360203000000", "珠山区暴雨黄色预警"),
    ] {
        let verdict =
            state.warnings.ingest.receive("test", warning(id, colour, code, headline).as_bytes(), now).await;
        assert!(
            matches!(verdict, Ok(safejdz_server::warnings::ingest::Verdict::Accepted { .. })),
            "{verdict:?}"
        );
    }
    TestApp { router: router(state), _data: data }
}

async fn page(app: &TestApp, path: &str, cookie: Option<&str>) -> String {
    let mut request = Request::builder().uri(path).header(header::ACCEPT, "text/html");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    let response =
        app.router.clone().oneshot(request.body(Body::empty()).expect("request")).await.expect("answers");
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    String::from_utf8(to_bytes(response.into_body(), 4 << 20).await.expect("body").to_vec()).expect("UTF-8")
}

/// The HTML of the section with `id`'s heading, up to the next section.
fn section<'a>(html: &'a str, heading_id: &str) -> &'a str {
    let start = html.find(&format!(r#"id="{heading_id}""#)).unwrap_or_else(|| panic!("no {heading_id}"));
    let rest = &html[start..];
    &rest[..rest.find("</section>").unwrap_or(rest.len())]
}

#[tokio::test]
async fn a_link_for_a_village_shows_its_warnings_first_and_the_others_after() {
    let app = app().await;
    let html = page(&app, "/?code=360202101001", None).await;
    let mine = section(&html, "mine-heading");
    assert!(mine.contains("此地点的预警"), "{mine}");
    assert!(mine.contains("昌江区 · 鲇鱼山镇 · 鱼山居委会"), "the place is named: {mine}");
    assert!(mine.contains("昌江区暴雨橙色预警") && !mine.contains("珠山区暴雨黄色预警"), "{mine}");
    assert!(mine.contains("橙色预警"), "the level in words");
    assert!(mine.contains("远离低洼地带。"), "what to do now");
    assert!(mine.contains("预警覆盖您所在的行政区"));
    let elsewhere = section(&html, "elsewhere-heading");
    assert!(elsewhere.contains("珠山区暴雨黄色预警") && elsewhere.contains("黄色预警"), "{elsewhere}");
    assert!(html.contains("预警信息更新于"), "the time of the last update");
}

#[tokio::test]
async fn a_place_with_no_warning_says_so_in_english_too() {
    let app = app().await;
    let html = page(&app, "/?code=360281", Some("sjdz_prefs=lang=en&text=standard&contrast=standard")).await;
    let mine = section(&html, "mine-heading");
    assert!(mine.contains("No warning concerns your places at the moment."), "{mine}");
    assert!(section(&html, "elsewhere-heading").contains("昌江区暴雨橙色预警"));
}

#[tokio::test]
async fn an_unknown_place_is_said_and_the_whole_city_shown() {
    let app = app().await;
    let html = page(&app, "/?code=110101", None).await;
    assert!(html.contains("链接中的地点不在景德镇市的行政区划中"), "{html}");
    let elsewhere = section(&html, "elsewhere-heading");
    assert!(elsewhere.contains("昌江区暴雨橙色预警") && elsewhere.contains("珠山区暴雨黄色预警"));
}

#[tokio::test]
async fn without_places_the_page_asks_for_one_and_lists_the_city() {
    let app = app().await;
    let html = page(&app, "/", None).await;
    assert!(section(&html, "mine-heading").contains("您还没有设置地点"));
    assert!(html.contains(r#"<select id="place-code" name="code""#), "the picker is a plain form");
    assert!(html.contains(r#"<optgroup label="浮梁县">"#));
    assert!(section(&html, "elsewhere-heading").contains("全市预警"));
}

#[tokio::test]
async fn saved_places_come_from_the_cookie_and_are_saved_by_a_form_post() {
    let app = app().await;
    let html = page(&app, "/", Some("sjdz_places=360203000000")).await;
    let mine = section(&html, "mine-heading");
    assert!(mine.contains("我的地点的预警") && mine.contains("珠山区暴雨黄色预警"), "{mine}");

    // Saving 昌江区 from its link page, without JavaScript.
    let html = page(&app, "/?code=360202", Some("sjdz_places=360203000000")).await;
    let form =
        html.split("<form").find(|f| f.contains(r#"name="code" value="360202000000""#)).expect("save form");
    let action = form.split(r#"action=""#).nth(1).and_then(|r| r.split('"').next()).expect("action");
    assert!(action.starts_with("/_rpc/"), "{action}");
    let request = Request::post(action)
        .header(header::ACCEPT, "text/html")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::REFERER, "http://127.0.0.1:3000/?code=360202")
        .header(header::COOKIE, "sjdz_places=360203000000")
        .body(Body::from("code=360202000000"))
        .expect("request");
    let response = app.router.clone().oneshot(request).await.expect("answers");
    assert_eq!(response.status(), StatusCode::FOUND);
    let cookie = response.headers()[header::SET_COOKIE].to_str().expect("ascii");
    assert!(cookie.starts_with("sjdz_places=360203000000~360202000000;"), "{cookie}");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));

    // The page read back with the very cookie the server wrote.
    let written = cookie.split(';').next().expect("name=value").to_owned();
    let html = page(&app, "/", Some(&written)).await;
    let mine = section(&html, "mine-heading");
    assert!(mine.contains("昌江区暴雨橙色预警") && mine.contains("珠山区暴雨黄色预警"), "{mine}");
    // Most serious first: orange before yellow.
    assert!(mine.find("昌江区暴雨橙色预警") < mine.find("珠山区暴雨黄色预警"));
}

#[tokio::test]
async fn a_warning_page_shows_everything_its_status_and_history() {
    let (store, data) = databases::sqlite_store().await;
    let config = Config { site_root: data.path().join("no-site"), ..Config::default() };
    let state = AppState::new(config, store);
    let now = Utc::now();
    let first = warning("chain", "黄色", "360202000000", "昌江区暴雨黄色预警");
    let first_id = state.warnings.ingest.receive("test", first.as_bytes(), now).await.expect("stored").id();
    let sent = first.split("<sent>").nth(1).and_then(|r| r.split('<').next()).expect("sent").to_owned();
    let update = warning("chain-2", "橙色", "360202000000", "昌江区暴雨预警升级为橙色").replace(
        "<msgType>Alert</msgType>",
        &format!("<msgType>Update</msgType><references>36020041600000,chain,{sent}</references>"),
    );
    let update_id = state.warnings.ingest.receive("test", update.as_bytes(), now).await.expect("stored").id();
    let test_message = warning("drill", "红色", "360202000000", "演练消息")
        .replace("<status>Actual</status>", "<status>Test</status>");
    let test_id =
        state.warnings.ingest.receive("test", test_message.as_bytes(), now).await.expect("stored").id();
    let app = TestApp { router: router(state), _data: data };

    let html = page(&app, &format!("/alerts/{update_id}"), None).await;
    assert!(html.contains("昌江区暴雨预警升级为橙色") && html.contains("橙色预警"), "{html}");
    assert!(html.contains("状态：生效中"));
    assert!(html.contains("远离低洼地带。"), "what to do");
    assert!(
        html.contains("预警过程") && html.contains(&format!(r#"href="/alerts/{first_id}""#)),
        "history links the first"
    );
    assert!(html.contains(&format!("/api/v1/alerts/{update_id}.cap")), "the original CAP is linked");
    // The offline map: four districts and 昌江区's boundary as the warning's area.
    assert_eq!(html.matches(r#"class="map-district""#).count(), 4, "four districts on the map");
    // 昌江区's boundary has two parts.
    assert_eq!(html.matches(r#"class="map-area""#).count(), 2, "the warning's area is drawn");
    assert!(html.contains("地图（示意，不可用于导航）"), "the map says what it shows in words");

    let html = page(&app, &format!("/alerts/{first_id}"), None).await;
    assert!(html.contains("状态：已更新，此为旧版本。"), "the old version says so");
    assert!(
        html.contains(&format!(r#"<a href="/alerts/{update_id}">查看最新版本</a>"#)),
        "and links the latest"
    );

    for missing in [format!("/alerts/{test_id}"), "/alerts/99999".to_owned(), "/alerts/abc".to_owned()] {
        let response = app
            .router
            .clone()
            .oneshot(Request::builder().uri(&missing).body(Body::empty()).expect("request"))
            .await
            .expect("answers");
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{missing}");
        let html = String::from_utf8(to_bytes(response.into_body(), 1 << 20).await.expect("body").to_vec())
            .expect("UTF-8");
        assert!(html.contains("没有这条预警"), "{missing}");
        assert!(!html.contains("演练消息"), "a Test message never reaches a resident's page");
    }
}

#[tokio::test]
async fn a_point_link_names_its_district_and_is_saved_only_coarsely() {
    let app = app().await;
    // 昌江区's label point, more precise than anything the server keeps.
    let html = page(&app, "/?at=29.273565,117.18363", None).await;
    let mine = section(&html, "mine-heading");
    assert!(mine.contains("昌江区附近 (29.27, 117.18)"), "{mine}");
    assert!(
        mine.contains("昌江区暴雨橙色预警") && !mine.contains("珠山区暴雨黄色预警"),
        "matched through the boundary"
    );
    assert!(!html.contains("29.273565"), "the page does not echo the precise point");
    let form =
        html.split("<form").find(|f| f.contains(r#"name="code" value="29.27,117.18""#)).expect("save form");
    let action = form.split(r#"action=""#).nth(1).and_then(|r| r.split('"').next()).expect("action");
    let request = Request::post(action)
        .header(header::ACCEPT, "text/html")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::REFERER, "http://127.0.0.1:3000/")
        .body(Body::from("code=29.273565%2C117.18363"))
        .expect("request");
    let response = app.router.clone().oneshot(request).await.expect("answers");
    let cookie = response.headers()[header::SET_COOKIE].to_str().expect("ascii");
    assert!(cookie.starts_with("sjdz_places=p29.27_117.18;"), "only the coarse point is kept: {cookie}");
    let html = page(&app, "/", Some("sjdz_places=p29.27_117.18")).await;
    assert!(section(&html, "mine-heading").contains("昌江区暴雨橙色预警"));
}

/// Many residents at once, as on the worst day: every page answers, none is left hanging
/// (a stuck render would answer 503 after the render deadline and fail this test).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_rendered_concurrently_all_answer() {
    let app = std::sync::Arc::new(app().await);
    let paths =
        ["/", "/?code=360202", "/?at=29.30,117.20", "/alerts/1", "/alerts/abc", "/alerts/99999", "/settings"];
    let started = std::time::Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for worker in 0..16 {
        let app = app.clone();
        tasks.spawn(async move {
            let mut statuses = Vec::new();
            for round in 0..25 {
                let path = paths[(worker + round) % paths.len()];
                let request =
                    Request::builder().uri(path).header(header::ACCEPT, "text/html").body(Body::empty());
                let response = app.router.clone().oneshot(request.expect("request")).await.expect("answers");
                let status = response.status();
                to_bytes(response.into_body(), 4 << 20).await.expect("whole body");
                statuses.push((path, status));
            }
            statuses
        });
    }
    let mut answered = 0;
    while let Some(statuses) = tasks.join_next().await {
        for (path, status) in statuses.expect("worker") {
            let expected = if path.contains("abc") || path.contains("99999") {
                StatusCode::NOT_FOUND
            } else {
                StatusCode::OK
            };
            assert_eq!(status, expected, "{path}");
            answered += 1;
        }
    }
    assert_eq!(answered, 400);
    eprintln!("400 pages in {:?}", started.elapsed());
}
