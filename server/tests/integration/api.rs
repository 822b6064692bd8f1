//! The public API in-process: push with a bearer token, the alert list with its filters and
//! lifecycle, one alert as JSON and as its original CAP, and the error envelope.

use crate::support::api_client;
use crate::support::databases;

use api_client::{TOKEN, app, get, json, push, warning};
use axum::{
    body::{Body, to_bytes},
    http::{Request, StatusCode, header},
};
use chrono::{Duration, Utc};
use safejdz_server::{config::Config, router::router, state::AppState};
use tower::ServiceExt;

#[tokio::test]
async fn push_answers_201_then_200_for_the_same_message() {
    let (app, _dir) = app().await;
    let body = warning("JDZ-1", "Alert", None, 10, "Actual");
    let first = push(&app, &body, Some(TOKEN)).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let id = json(first).await["id"].as_i64().expect("id");
    let again = push(&app, &body, Some(TOKEN)).await;
    assert_eq!(again.status(), StatusCode::OK);
    let again = json(again).await;
    assert_eq!((again["id"].as_i64(), again["status"].as_str()), (Some(id), Some("duplicate")));
}

#[tokio::test]
async fn push_without_the_right_token_is_401_with_the_error_envelope() {
    let (app, _dir) = app().await;
    let body = warning("JDZ-1", "Alert", None, 10, "Actual");
    for token in [None, Some("wrong")] {
        let response = push(&app, &body, token).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(json(response).await["error"]["code"], "unauthorized");
    }
    let list = json(get(&app, "/api/v1/alerts").await).await;
    assert_eq!(list["alerts"].as_array().map(Vec::len), Some(0), "nothing was stored");
}

#[tokio::test]
async fn invalid_and_hostile_cap_get_422_with_the_reason() {
    let (app, _dir) = app().await;
    let missing_scope = warning("JDZ-1", "Alert", None, 10, "Actual").replace("<scope>Public</scope>", "");
    let response = push(&app, &missing_scope, Some(TOKEN)).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = json(response).await;
    assert_eq!(body["error"]["code"], "invalid_cap");
    assert_eq!(body["error"]["message"], "alert/scope: required element is missing");
    assert!(body["error"]["details"]["quarantine_id"].is_i64());

    let hostile = r#"<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><alert>&x;</alert>"#;
    let body = json(push(&app, hostile, Some(TOKEN)).await).await;
    assert!(body["error"]["message"].as_str().is_some_and(|m| m.contains("DTD")), "{body}");
}

#[tokio::test]
async fn the_list_follows_the_lifecycle_update_then_cancel() {
    let (app, _dir) = app().await;
    let alert = warning("JDZ-1", "Alert", None, 30, "Actual");
    let sent_of = |xml: &str| {
        xml.split("<sent>").nth(1).and_then(|s| s.split('<').next()).unwrap_or_default().to_owned()
    };
    assert_eq!(push(&app, &alert, Some(TOKEN)).await.status(), StatusCode::CREATED);
    let list = json(get(&app, "/api/v1/alerts").await).await;
    assert_eq!(list["alerts"][0]["identifier"], "JDZ-1");
    assert_eq!(list["alerts"][0]["lifecycle"]["state"], "active");
    assert_eq!(list["alerts"][0]["infos"][0]["colour"], "orange");

    let update =
        warning("JDZ-2", "Update", Some(&format!("36020041600000,JDZ-1,{}", sent_of(&alert))), 20, "Actual");
    assert_eq!(push(&app, &update, Some(TOKEN)).await.status(), StatusCode::CREATED);
    let list = json(get(&app, "/api/v1/alerts").await).await;
    let identifiers: Vec<_> =
        list["alerts"].as_array().expect("list").iter().map(|a| a["identifier"].clone()).collect();
    assert_eq!(identifiers, ["JDZ-2"], "the update replaced the alert");

    let cancel =
        warning("JDZ-3", "Cancel", Some(&format!("36020041600000,JDZ-2,{}", sent_of(&update))), 10, "Actual");
    assert_eq!(push(&app, &cancel, Some(TOKEN)).await.status(), StatusCode::CREATED);
    let list = json(get(&app, "/api/v1/alerts").await).await;
    assert_eq!(list["alerts"].as_array().map(Vec::len), Some(0), "cancelled: nothing in force");
}

#[tokio::test]
async fn test_messages_are_listed_only_when_asked_for() {
    let (app, _dir) = app().await;
    push(&app, &warning("JDZ-T", "Alert", None, 5, "Test"), Some(TOKEN)).await;
    assert_eq!(json(get(&app, "/api/v1/alerts").await).await["alerts"].as_array().map(Vec::len), Some(0));
    let tests = json(get(&app, "/api/v1/alerts?status=Test").await).await;
    assert_eq!(tests["alerts"][0]["identifier"], "JDZ-T");
    let bad = get(&app, "/api/v1/alerts?status=Real").await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    assert_eq!(json(bad).await["error"]["code"], "bad_request");
}

#[tokio::test]
async fn lang_keeps_one_info_and_since_filters_by_sent() {
    let (app, _dir) = app().await;
    push(&app, &warning("JDZ-1", "Alert", None, 60, "Actual"), Some(TOKEN)).await;
    let english = json(get(&app, "/api/v1/alerts?lang=en").await).await;
    let infos = english["alerts"][0]["infos"].as_array().expect("infos");
    assert_eq!(infos.len(), 1);
    assert_eq!(infos[0]["headline"], "Orange rainstorm warning");
    let since = (Utc::now() - Duration::minutes(30)).to_rfc3339().replace('+', "%2B");
    let recent = json(get(&app, &format!("/api/v1/alerts?since={since}")).await).await;
    assert_eq!(recent["alerts"].as_array().map(Vec::len), Some(0));
    let since = (Utc::now() - Duration::minutes(90)).to_rfc3339().replace('+', "%2B");
    let recent = json(get(&app, &format!("/api/v1/alerts?since={since}")).await).await;
    assert_eq!(recent["alerts"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn one_alert_as_json_and_as_its_original_cap_byte_for_byte() {
    let (app, _dir) = app().await;
    let body = warning("JDZ-1", "Alert", None, 10, "Actual");
    let id = json(push(&app, &body, Some(TOKEN)).await).await["id"].as_i64().expect("id");
    let one = json(get(&app, &format!("/api/v1/alerts/{id}")).await).await;
    assert_eq!(one["identifier"], "JDZ-1");
    assert_eq!(one["links"]["cap"], format!("/api/v1/alerts/{id}.cap"));

    let cap = get(&app, &format!("/api/v1/alerts/{id}.cap")).await;
    assert_eq!(cap.status(), StatusCode::OK);
    assert_eq!(cap.headers()[header::CONTENT_TYPE], "application/cap+xml");
    let etag = cap.headers()[header::ETAG].clone();
    let bytes = to_bytes(cap.into_body(), 8 << 20).await.expect("body");
    assert_eq!(bytes.as_ref(), body.as_bytes());

    let revalidated = app
        .clone()
        .oneshot(
            Request::get(format!("/api/v1/alerts/{id}.cap"))
                .header(header::IF_NONE_MATCH, etag)
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("answer");
    assert_eq!(revalidated.status(), StatusCode::NOT_MODIFIED);

    let missing = get(&app, "/api/v1/alerts/999999").await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert_eq!(json(missing).await["error"]["code"], "not_found");
}

#[tokio::test]
async fn demo_mode_loads_labelled_samples_with_the_update_and_cancel_applied() {
    let (store, dir) = databases::sqlite_store().await;
    // As `serve --demo` does: the state first, then the samples through its ingest.
    let config = Config { site_root: dir.path().join("no-site"), ..Config::default() };
    let state = AppState::new(config, store).with_demo(true);
    let verdicts = safejdz_server::warnings::ingest::demo::load(&state.warnings.ingest, Utc::now())
        .await
        .expect("loaded");
    assert!(
        verdicts.iter().all(|v| matches!(v, safejdz_server::warnings::ingest::Verdict::Accepted { .. })),
        "{verdicts:?}"
    );
    let app = router(state);
    let list = json(get(&app, "/api/v1/alerts?lang=zh").await).await;
    let mut headlines: Vec<String> = list["alerts"]
        .as_array()
        .expect("list")
        .iter()
        .map(|a| a["infos"][0]["headline"].as_str().unwrap_or("").to_owned())
        .collect();
    headlines.sort();
    assert_eq!(headlines.len(), 3, "{headlines:?}");
    assert!(headlines.iter().all(|h| h.contains("演示样例")), "every sample is labelled: {headlines:?}");
    assert!(
        headlines.iter().any(|h| h.contains("升级为橙色")),
        "the update replaced the yellow rainstorm warning"
    );
    assert!(!headlines.iter().any(|h| h.contains("大风")), "the cancelled gale warning is gone");

    let page = app
        .clone()
        .oneshot(
            Request::get("/").header(header::ACCEPT_LANGUAGE, "en").body(Body::empty()).expect("request"),
        )
        .await
        .expect("answer");
    let html =
        String::from_utf8(to_bytes(page.into_body(), 4 << 20).await.expect("body").to_vec()).expect("UTF-8");
    assert!(html.contains("data-demo"), "the page knows it is a demo");
    assert!(
        html.contains(r#"class="demo-banner""#)
            && html.contains("DEMO")
            && html.contains("not real warnings")
    );
}

#[tokio::test]
async fn without_demo_mode_there_is_no_demo_banner() {
    let (app, _dir) = app().await;
    let page =
        app.clone().oneshot(Request::get("/").body(Body::empty()).expect("request")).await.expect("answer");
    let html =
        String::from_utf8(to_bytes(page.into_body(), 4 << 20).await.expect("body").to_vec()).expect("UTF-8");
    assert!(!html.contains("demo-banner") && !html.contains("data-demo"));
}

#[tokio::test]
async fn the_atom_feed_lists_active_alerts_linking_to_their_cap() {
    let (app, _dir) = app().await;
    let body = warning("JDZ-1", "Alert", None, 10, "Actual");
    let id = json(push(&app, &body, Some(TOKEN)).await).await["id"].as_i64().expect("id");
    push(&app, &warning("JDZ-T", "Alert", None, 5, "Test"), Some(TOKEN)).await;

    let response = get(&app, "/feeds/alerts.atom").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()[header::CONTENT_TYPE].to_str().unwrap_or("").starts_with("application/atom+xml")
    );
    assert!(response.headers().contains_key(header::ETAG));
    let text = String::from_utf8(to_bytes(response.into_body(), 4 << 20).await.expect("body").to_vec())
        .expect("UTF-8");
    let feed = roxmltree::Document::parse(&text).expect("well-formed Atom");
    let entries: Vec<_> = feed.descendants().filter(|n| n.has_tag_name("entry")).collect();
    assert_eq!(entries.len(), 1, "only the Actual alert: {text}");
    let title = entries[0].descendants().find(|n| n.has_tag_name("title")).and_then(|n| n.text());
    assert_eq!(title, Some("景德镇市气象台发布暴雨橙色预警"));
    let cap_link = entries[0]
        .descendants()
        .find(|n| n.has_tag_name("link") && n.attribute("type") == Some("application/cap+xml"))
        .and_then(|n| n.attribute("href"))
        .expect("a link to the CAP");
    assert_eq!(cap_link, format!("http://127.0.0.1:3000/api/v1/alerts/{id}.cap"));
    let path = cap_link.trim_start_matches("http://127.0.0.1:3000");
    let cap = to_bytes(get(&app, path).await.into_body(), 4 << 20).await.expect("body");
    assert_eq!(cap.as_ref(), body.as_bytes());
}

#[tokio::test]
async fn the_geojson_has_one_feature_per_area_in_lon_lat_order() {
    let (app, _dir) = app().await;
    let with_polygon = warning("JDZ-P", "Alert", None, 10, "Actual").replacen(
        "<areaDesc>昌江区</areaDesc>",
        "<areaDesc>昌江区</areaDesc><polygon>29.30,117.20 29.35,117.25 29.30,117.30 29.30,117.20</polygon><circle>29.3,117.2 2</circle>",
        1,
    );
    push(&app, &with_polygon, Some(TOKEN)).await;
    let response = get(&app, "/api/v1/alerts.geojson").await;
    assert_eq!(response.headers()[header::CONTENT_TYPE], "application/geo+json");
    let collection = json(response).await;
    let features = collection["features"].as_array().expect("features");
    assert_eq!(features.len(), 2, "two infos, one area each");
    let zh = features.iter().find(|f| f["properties"]["language"] == "zh-CN").expect("zh feature");
    let polygons = zh["geometry"]["coordinates"].as_array().expect("MultiPolygon");
    assert_eq!(polygons.len(), 2, "the polygon and the circle");
    assert_eq!(polygons[0][0][0], serde_json::json!([117.2, 29.3]), "lon before lat");
    assert_eq!(polygons[1][0].as_array().map(Vec::len), Some(65), "a closed 64-gon");
    assert_eq!(zh["properties"]["geocodes"][0]["value"], "360202000000");
    let en = features.iter().find(|f| f["properties"]["language"] == "en-US").expect("en feature");
    assert!(en["geometry"].is_null(), "an area with no shape has no geometry");
}

#[tokio::test]
async fn at_and_code_return_the_warnings_covering_that_place() {
    let (app, _dir) = app().await;
    // Covers 昌江区 by geocode (the English info has no area and does not widen it).
    assert_eq!(
        push(&app, &warning("cj-1", "Alert", None, 5, "Actual"), Some(TOKEN)).await.status(),
        StatusCode::CREATED
    );

    let village_in_changjiang = "360202101001"; // 鱼山居委会, 鲇鱼山镇, 昌江区
    let body = json(get(&app, &format!("/api/v1/alerts?code={village_in_changjiang}")).await).await;
    let alerts = body["alerts"].as_array().expect("list");
    assert_eq!(alerts.len(), 1, "{body}");
    assert_eq!(alerts[0]["coverage"], "geocode");

    let body = json(get(&app, "/api/v1/alerts?code=360203000000").await).await;
    assert_eq!(body["alerts"].as_array().map(Vec::len), Some(0), "珠山区 is not covered: {body}");

    // A point inside 昌江区's boundary (its label point) is covered through the boundary.
    let body = json(get(&app, "/api/v1/alerts?at=29.273565,117.18363").await).await;
    assert_eq!(body["alerts"][0]["coverage"], "geocode", "{body}");
    // Without a place, no coverage field.
    let body = json(get(&app, "/api/v1/alerts").await).await;
    assert!(body["alerts"][0].get("coverage").is_none());

    for (query, needle) in [
        ("at=117.2,29.3", "lat"),
        ("at=here", "decimal degrees"),
        ("code=360100000000", "not a division of"),
        ("code=12345", "not a division of"),
        ("code=360202&at=29.3,117.2", "not both"),
    ] {
        let response = get(&app, &format!("/api/v1/alerts?{query}")).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{query}");
        let body = json(response).await;
        assert!(body["error"]["message"].as_str().is_some_and(|m| m.contains(needle)), "{query}: {body}");
    }
}
