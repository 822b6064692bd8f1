//! The HTTP surface, called in-process: pages in the right language and status, preferences
//! through server functions without JavaScript, health, and static asset caching.

use crate::support::databases;

use axum::{
    Router,
    body::{Body, to_bytes},
    http::{Request, StatusCode, header},
    response::Response,
};
use safejdz_server::{config::Config, platform::store::Store, router::router, state::AppState};
use tower::ServiceExt;

struct TestApp {
    router: Router,
    store: Store,
    _data: tempfile::TempDir,
    site: tempfile::TempDir,
}

async fn app() -> TestApp {
    app_at("http://127.0.0.1:3000").await
}

/// The app as served at `public_url`.
async fn app_at(public_url: &str) -> TestApp {
    let (store, data) = databases::sqlite_store().await;
    let site = tempfile::tempdir().expect("site dir");
    std::fs::create_dir_all(site.path().join("pkg")).expect("pkg dir");
    std::fs::write(site.path().join("pkg/safejdz.0123abcd.css"), "body{}").expect("css");
    std::fs::write(site.path().join("pkg/safejdz.0123abcd.css.br"), "brotli-bytes").expect("css.br");
    std::fs::write(site.path().join("robots.txt"), "User-agent: *\n").expect("robots");
    std::fs::write(
        site.path().join("asset-manifest.json"),
        r#"{"css_href":"/pkg/safejdz.0123abcd.css","bundles":[{"name":"warnings","js_href":"/pkg/warnings.0123abcd.js","wasm_href":"/pkg/warnings_bg.0123abcd.wasm"}]}"#,
    )
    .expect("manifest");
    let config =
        Config { site_root: site.path().to_owned(), public_url: public_url.into(), ..Config::default() };
    let router = router(AppState::new(config, store.clone()));
    TestApp { router, store, _data: data, site }
}

async fn send(app: &TestApp, request: Request<Body>) -> Response {
    app.router.clone().oneshot(request).await.expect("router answers")
}

fn get(path: &str) -> axum::http::request::Builder {
    Request::builder().uri(path).header(header::ACCEPT, "text/html")
}

async fn text(response: Response) -> String {
    String::from_utf8(to_bytes(response.into_body(), 4 << 20).await.expect("body").to_vec()).expect("UTF-8")
}

#[tokio::test]
async fn every_section_renders_server_side_in_chinese_by_default() {
    let app = app().await;
    for (path, heading) in [
        ("/", "当前预警"),
        ("/shelters", "应急避难场所"),
        ("/drills", "安全演练"),
        ("/learn", "安全科普"),
        ("/settings", "设置"),
    ] {
        let response = send(&app, get(path).body(Body::empty()).expect("request")).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let html = text(response).await;
        assert!(html.contains(r#"<html lang="zh-CN""#), "{path}: {}", &html[..200]);
        assert!(html.contains(heading), "{path} lacks {heading}");
        assert!(html.contains("/pkg/safejdz.0123abcd.css"), "{path} links the hashed stylesheet");
    }
}

#[tokio::test]
async fn accept_language_english_gets_english_pages() {
    let app = app().await;
    let request = get("/shelters").header(header::ACCEPT_LANGUAGE, "en-GB,en;q=0.9").body(Body::empty());
    let html = text(send(&app, request.expect("request")).await).await;
    assert!(html.contains(r#"<html lang="en""#));
    assert!(html.contains("Emergency shelters"));
    assert!(html.contains("<title>Shelters · Safe Jingdezhen</title>"), "title in English");
}

#[tokio::test]
async fn the_preferences_cookie_beats_accept_language_and_sets_display_classes() {
    let app = app().await;
    let request = get("/")
        .header(header::ACCEPT_LANGUAGE, "en")
        .header(header::COOKIE, "sjdz_prefs=lang=zh-CN&text=large&contrast=high")
        .body(Body::empty());
    let html = text(send(&app, request.expect("request")).await).await;
    assert!(html.contains(r#"<html lang="zh-CN" class="text-large contrast-high""#), "{}", &html[..200]);
}

#[tokio::test]
async fn an_unknown_path_gets_the_apps_404_page_with_status_404() {
    let app = app().await;
    for path in ["/no-such-page", "/pkg/missing.js"] {
        let request = get(path).header(header::ACCEPT_LANGUAGE, "en").body(Body::empty());
        let response = send(&app, request.expect("request")).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        let cache =
            response.headers().get(header::CACHE_CONTROL).map(|v| v.to_str().unwrap_or_default().to_owned());
        assert_ne!(
            cache.as_deref(),
            Some("public, max-age=31536000, immutable"),
            "{path}: a 404 must not be cached"
        );
        let html = text(response).await;
        assert!(html.contains("We can’t find this page"), "{path}");
        assert!(html.contains(r#"href="/""#), "{path} links home");
    }
}

/// The language form posted by a browser without JavaScript: cookie set, back to the page.
#[tokio::test]
async fn switching_language_without_javascript_sets_the_cookie_and_redirects_back() {
    let app = app().await;
    let action = language_form_action(&app).await;
    assert!(action.starts_with("/_rpc/"), "server functions live under /_rpc: {action}");

    let request = Request::post(&action)
        .header(header::ACCEPT, "text/html,application/xhtml+xml")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::REFERER, "http://127.0.0.1:3000/learn")
        .header(header::COOKIE, "sjdz_prefs=lang=zh-CN&text=large&contrast=standard")
        .body(Body::from("lang=en"))
        .expect("request");
    let response = send(&app, request).await;
    assert_eq!(response.status(), StatusCode::FOUND);
    // Leptos strips any earlier error from the query and leaves a bare `?`.
    let location = response.headers()[header::LOCATION].to_str().expect("ascii");
    assert_eq!(location.trim_end_matches('?'), "http://127.0.0.1:3000/learn");
    let cookie = response.headers()[header::SET_COOKIE].to_str().expect("ascii").to_owned();
    assert!(
        cookie.starts_with("sjdz_prefs=lang=en&text=large&contrast=standard&sound=off&vibrate=off;"),
        "keeps elderly mode: {cookie}"
    );
    assert!(cookie.contains("Path=/") && cookie.contains("SameSite=Lax"), "{cookie}");

    let value = cookie.split(';').next().expect("pair");
    let html = text(
        send(&app, get("/learn").header(header::COOKIE, value).body(Body::empty()).expect("request")).await,
    )
    .await;
    assert!(html.contains(r#"<html lang="en" class="text-large""#), "{}", &html[..200]);
}

#[tokio::test]
async fn an_unsupported_language_is_refused_and_nothing_is_stored() {
    let app = app().await;
    let action = settings_form_action(&app).await;
    let request = Request::post(&action)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .body(Body::from("lang=xx&elderly=on"))
        .expect("request");
    let response = send(&app, request).await;
    assert!(response.status().is_server_error() || response.status().is_client_error());
    assert!(response.headers().get(header::SET_COOKIE).is_none(), "no cookie on error");
    assert!(text(response).await.contains("error-unknown-language"));
}

#[tokio::test]
async fn healthz_is_ok_while_the_database_answers_and_503_after() {
    let app = app().await;
    let response = send(&app, get("/healthz").body(Body::empty()).expect("request")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(text(response).await.contains(r#""database":"ok""#));

    app.store.close().await;
    let response = send(&app, get("/healthz").body(Body::empty()).expect("request")).await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
}

#[tokio::test]
async fn hashed_assets_are_immutable_and_served_precompressed() {
    let app = app().await;
    let request =
        get("/pkg/safejdz.0123abcd.css").header(header::ACCEPT_ENCODING, "gzip, br").body(Body::empty());
    let response = send(&app, request.expect("request")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[header::CONTENT_ENCODING], "br");
    assert_eq!(response.headers()[header::CACHE_CONTROL], "public, max-age=31536000, immutable");
    assert_eq!(text(response).await, "brotli-bytes");

    let plain = send(&app, get("/pkg/safejdz.0123abcd.css").body(Body::empty()).expect("request")).await;
    assert!(plain.headers().get(header::CONTENT_ENCODING).is_none());
    assert_eq!(text(plain).await, "body{}");

    let robots = send(&app, get("/robots.txt").body(Body::empty()).expect("request")).await;
    assert_eq!(robots.status(), StatusCode::OK);
    assert_eq!(robots.headers()[header::CACHE_CONTROL], "public, max-age=3600");
    drop(app.site);
}

#[tokio::test]
async fn pages_vary_on_cookie_and_language_and_are_never_cached_stale() {
    let app = app().await;
    let response = send(&app, get("/").body(Body::empty()).expect("request")).await;
    assert_eq!(response.headers()[header::CACHE_CONTROL], "no-cache");
    let vary: Vec<_> =
        response.headers().get_all(header::VARY).iter().map(|v| v.to_str().unwrap_or_default()).collect();
    assert!(vary.iter().any(|v| v.contains("Cookie") && v.contains("Accept-Language")), "{vary:?}");
}

/// A plain form post that the server function refuses goes back to the form's page with the
/// error's message id, so the page can say why; nothing is stored.
#[tokio::test]
async fn a_refused_form_post_goes_back_to_its_page_with_the_error() {
    let app = app().await;
    let action = settings_form_action(&app).await;
    let request = Request::post(&action)
        .header(header::ACCEPT, "text/html,application/xhtml+xml")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::REFERER, "http://127.0.0.1:3000/settings?error=old&x=1")
        .body(Body::from("lang=xx&elderly=on"))
        .expect("request");
    let response = send(&app, request).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()[header::LOCATION], "/settings?x=1&error=error-unknown-language");
    assert!(response.headers().get(header::SET_COOKIE).is_none(), "no cookie on error");

    let page = get("/settings?error=error-unknown-language").header(header::ACCEPT_LANGUAGE, "en");
    let html = text(send(&app, page.body(Body::empty()).expect("request")).await).await;
    assert!(html.contains("That language is not supported."), "the page says why");
}

/// Where the settings page's form posts to (a server function under `/_rpc`).
async fn settings_form_action(app: &TestApp) -> String {
    let html = text(send(app, get("/settings").body(Body::empty()).expect("request")).await).await;
    html.split(r#"<form action=""#)
        .filter_map(|rest| rest.split('"').next())
        .find(|a| a.contains("save_preferences"))
        .expect("the settings form")
        .to_owned()
}

/// Over https, the cookies the app sets are sent over https only; over plain http (a local
/// run) they could not be, so they are not marked.
#[tokio::test]
async fn cookies_are_secure_when_the_site_is_served_over_https() {
    for (public_url, secure) in [("https://safe.example.cn", true), ("http://127.0.0.1:3000", false)] {
        let app = app_at(public_url).await;
        let action = language_form_action(&app).await;
        let request = Request::post(&action)
            .header(header::ACCEPT, "text/html")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::REFERER, format!("{public_url}/learn"))
            .body(Body::from("lang=en"))
            .expect("request");
        let response = send(&app, request).await;
        let cookie = response.headers()[header::SET_COOKIE].to_str().expect("ascii").to_owned();
        assert_eq!(cookie.ends_with("; Secure"), secure, "{public_url}: {cookie}");
    }
}

/// Where the header's language switch posts to (the first form of a page).
#[tokio::test]
async fn a_post_made_by_another_sites_page_is_refused_and_sets_nothing() {
    let app = app().await;
    let action = language_form_action(&app).await;
    let post = |origin: Option<&str>, site: Option<&str>| {
        let mut request = Request::post(&action)
            .header(header::ACCEPT, "text/html")
            .header(header::HOST, "127.0.0.1:3000")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(origin) = origin {
            request = request.header(header::ORIGIN, origin);
        }
        if let Some(site) = site {
            request = request.header("sec-fetch-site", site);
        }
        request.body(Body::from("lang=en")).expect("request")
    };
    for (origin, site) in [
        (Some("https://evil.example"), None),
        (None, Some("cross-site")),
        (Some("https://evil.example"), Some("cross-site")),
    ] {
        let response = send(&app, post(origin, site)).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{origin:?} {site:?}");
        assert!(response.headers().get(header::SET_COOKIE).is_none(), "nothing is set");
    }
    for (origin, site) in [(Some("http://127.0.0.1:3000"), Some("same-origin")), (None, None)] {
        let response = send(&app, post(origin, site)).await;
        assert_eq!(response.status(), StatusCode::FOUND, "{origin:?} {site:?}: the site's own form works");
        assert!(response.headers().get(header::SET_COOKIE).is_some());
    }
}

async fn language_form_action(app: &TestApp) -> String {
    let html = text(send(app, get("/learn").body(Body::empty()).expect("request")).await).await;
    html.split(r#"<form action=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the header has a language form")
        .to_owned()
}
