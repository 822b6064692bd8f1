//! Polling a feed served on loopback: linked and embedded CAP are ingested, `If-None-Match`
//! saves the refetch, links already fetched are not fetched again, failures are reported.

use crate::support::databases;

use std::sync::{
    Arc, Mutex,
    atomic::{AtomicUsize, Ordering},
};

use axum::{
    Router,
    extract::State,
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};
use reqwest::Url;
use safejdz_app::domain::cap::ParseOptions;
use safejdz_server::{
    warnings::ingest::Ingest,
    warnings::sources::poll::{PollState, poll_once},
};

#[derive(Clone, Default)]
struct Feed {
    version: Arc<Mutex<(String, String)>>,
    status: Arc<Mutex<u16>>,
    cap_fetches: Arc<AtomicUsize>,
}

fn cap(identifier: &str) -> String {
    format!(
        r#"<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>{identifier}</identifier><sender>36020041600000</sender>
<sent>2026-07-04T10:00:00+08:00</sent><status>Actual</status><msgType>Alert</msgType><scope>Public</scope>
<info><category>Met</category><event>暴雨</event><urgency>Immediate</urgency><severity>Severe</severity><certainty>Likely</certainty>
<area><areaDesc>昌江区</areaDesc></area></info></alert>"#
    )
}

fn atom(entries: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom"><id>urn:test</id><title>t</title><updated>2026-07-04T10:00:00Z</updated>{entries}</feed>"#
    )
}

async fn feed(State(feed): State<Feed>, headers: HeaderMap) -> Response {
    let status = *feed.status.lock().expect("lock");
    if status != 200 {
        return StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR).into_response();
    }
    let (etag, body) = feed.version.lock().expect("lock").clone();
    if headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) == Some(etag.as_str()) {
        return StatusCode::NOT_MODIFIED.into_response();
    }
    ([(header::ETAG, etag)], body).into_response()
}

async fn cap_document(
    State(feed): State<Feed>,
    axum::extract::Path(name): axum::extract::Path<String>,
) -> String {
    feed.cap_fetches.fetch_add(1, Ordering::SeqCst);
    cap(name.trim_end_matches(".xml"))
}

async fn serve(feed_state: Feed) -> Url {
    let app = Router::new()
        .route("/alerts/feed.atom", get(feed))
        .route("/alerts/cap/{name}", get(cap_document))
        .route("/single.xml", get(|| async { cap("SINGLE-1") }))
        .with_state(feed_state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    Url::parse(&format!("http://{address}/")).expect("url")
}

#[tokio::test]
async fn a_feed_is_ingested_then_revalidated_and_only_new_links_are_fetched() {
    let state = Feed::default();
    *state.status.lock().expect("lock") = 200;
    let entries = format!(
        r#"<entry><id>a</id><updated>2026-07-04T10:00:00Z</updated><link type="application/cap+xml" href="cap/LINKED-1.xml"/></entry>
           <entry><id>b</id><updated>2026-07-04T10:00:00Z</updated><content type="text/xml">{}</content></entry>"#,
        cap("EMBEDDED-1")
    );
    *state.version.lock().expect("lock") = ("\"v1\"".into(), atom(&entries));
    let base = serve(state.clone()).await;
    let url = base.join("alerts/feed.atom").expect("url");
    let (store, _dir) = databases::sqlite_store().await;
    let ingest = Ingest::new(store.clone(), ParseOptions::default());
    let client = reqwest::Client::new();
    let mut poll_state = PollState::default();

    let first = poll_once(&client, &url, "city", &ingest, &mut poll_state).await.expect("polled");
    assert_eq!((first.accepted, first.fetched_documents), (2, 2), "{first:?}");

    let second = poll_once(&client, &url, "city", &ingest, &mut poll_state).await.expect("polled");
    assert!(second.not_modified, "the feed's ETag was sent back: {second:?}");
    assert_eq!(state.cap_fetches.load(Ordering::SeqCst), 1);

    let more = format!(
        r#"{entries}<entry><id>c</id><updated>2026-07-04T11:00:00Z</updated><link type="application/cap+xml" href="cap/LINKED-2.xml"/></entry>"#
    );
    *state.version.lock().expect("lock") = ("\"v2\"".into(), atom(&more));
    let third = poll_once(&client, &url, "city", &ingest, &mut poll_state).await.expect("polled");
    assert_eq!(state.cap_fetches.load(Ordering::SeqCst), 2, "only the new link is fetched: {third:?}");
    assert_eq!((third.accepted, third.duplicates), (1, 1), "{third:?}");
    assert_eq!(store.message_counts().await.expect("counts"), [("accepted".to_string(), 3)]);
}

#[tokio::test]
async fn a_failing_feed_is_an_error_naming_the_status() {
    let state = Feed::default();
    *state.status.lock().expect("lock") = 503;
    let base = serve(state).await;
    let (store, _dir) = databases::sqlite_store().await;
    let ingest = Ingest::new(store, ParseOptions::default());
    let error = poll_once(
        &reqwest::Client::new(),
        &base.join("alerts/feed.atom").expect("url"),
        "city",
        &ingest,
        &mut PollState::default(),
    )
    .await
    .expect_err("fails");
    assert!(error.contains("HTTP 503"), "{error}");
}

#[tokio::test]
async fn a_url_naming_a_single_cap_document_is_ingested() {
    let base = serve(Feed::default()).await;
    let (store, _dir) = databases::sqlite_store().await;
    let ingest = Ingest::new(store, ParseOptions::default());
    let report = poll_once(
        &reqwest::Client::new(),
        &base.join("single.xml").expect("url"),
        "city",
        &ingest,
        &mut PollState::default(),
    )
    .await
    .expect("polled");
    assert_eq!(report.accepted, 1);
}

#[tokio::test]
async fn healthz_reports_each_sources_last_success_and_error() {
    use axum::body::{Body, to_bytes};
    use chrono::Utc;
    use safejdz_server::{
        config::Config,
        router::router,
        state::AppState,
        warnings::sources::{SourceKind, SourcesHealth},
    };
    use tower::ServiceExt;

    let (store, dir) = databases::sqlite_store().await;
    let health = SourcesHealth::default();
    health.register("city", SourceKind::Poll).await;
    health.record("city", Err("fetching feed: HTTP 503".into()), Utc::now(), Some(Utc::now())).await;
    health.record("city", Err("fetching feed: HTTP 503".into()), Utc::now(), Some(Utc::now())).await;
    let config = Config { site_root: dir.path().join("none"), ..Config::default() };
    let app = router(AppState::new(config, store).with_sources_health(health.clone()));
    let response = app
        .clone()
        .oneshot(axum::http::Request::get("/healthz").body(Body::empty()).expect("request"))
        .await
        .expect("answer");
    assert_eq!(response.status(), StatusCode::OK, "a failing source does not make the replica unhealthy");
    let body: serde_json::Value =
        serde_json::from_slice(&to_bytes(response.into_body(), 1 << 20).await.expect("body")).expect("JSON");
    let city = &body["sources"][0];
    assert_eq!((city["name"].as_str(), city["kind"].as_str()), (Some("city"), Some("poll")));
    assert_eq!(city["consecutive_failures"], 2);
    assert_eq!(city["last_error"], "fetching feed: HTTP 503");
    assert!(city["next_poll"].is_string() && city["last_success"].is_null());

    health.record("city", Ok(()), Utc::now(), None).await;
    let snapshot = health.snapshot().await;
    assert_eq!(snapshot[0].consecutive_failures, 0);
    assert!(snapshot[0].last_success.is_some() && snapshot[0].last_error.is_some(), "the last error is kept");
}
