//! The shelters' public API: nearest first on the sphere with the filters, validation with the
//! stable error envelope, one shelter, GeoJSON with each shelter's id, CSV that imports back,
//! and the stream that says `changed` when a volunteer reports.

use std::time::Duration;

use axum::{
    Router,
    body::{Body, to_bytes},
    http::{Request, header},
};
use chrono::Utc;
use futures::StreamExt;
use safejdz_app::domain::shelters::{ShelterId, ShelterState, ShelterStatus};
use safejdz_server::{config::Config, router::router, shelters::import, state::AppState};
use serde_json::Value;
use tower::ServiceExt;

use crate::support::databases;

async fn get(app: &Router, uri: &str) -> (u16, String, String) {
    let response =
        app.clone().oneshot(Request::get(uri).body(Body::empty()).expect("request")).await.expect("answer");
    let status = response.status().as_u16();
    let content_type =
        response.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let bytes = to_bytes(response.into_body(), 8 << 20).await.expect("body");
    (status, content_type, String::from_utf8(bytes.to_vec()).expect("UTF-8"))
}

async fn json(app: &Router, uri: &str) -> (u16, Value) {
    let (status, _, body) = get(app, uri).await;
    (status, serde_json::from_str(&body).expect("JSON"))
}

fn ids(body: &Value) -> Vec<&str> {
    body["shelters"].as_array().expect("a list").iter().map(|s| s["id"].as_str().expect("an id")).collect()
}

/// The fixture register (park, gym and square), the gym reported full.
async fn register_app() -> (Router, AppState, tempfile::TempDir) {
    let (store, dir) = databases::sqlite_store().await;
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/shelters/");
    for file in ["register.csv", "register.geojson"] {
        let text = std::fs::read_to_string(format!("{fixtures}{file}")).expect("fixture");
        store
            .import_shelters(&import::read_register(&text).expect("reads"), Utc::now())
            .await
            .expect("stored");
    }
    let full = ShelterStatus {
        state: ShelterState::Full,
        occupancy: Some(800),
        updated_at: Utc::now(),
        updated_by: "volunteer.li".into(),
    };
    store.report_shelter_status(&ShelterId::parse("test-gym").expect("id"), &full).await.expect("reported");
    let config = Config { site_root: dir.path().join("none"), ..Config::default() };
    let state = AppState::new(config, store);
    (router(state.clone()), state, dir)
}

#[tokio::test]
async fn the_list_is_nearest_first_filtered_and_validated() {
    let (app, _, _dir) = register_app().await;
    // At the gym: the gym (0 m), then the others by distance.
    let (status, body) = json(&app, "/api/v1/shelters?lat=29.31&lon=117.19").await;
    assert_eq!(status, 200);
    assert_eq!(ids(&body)[0], "test-gym");
    let first = &body["shelters"][0];
    assert_eq!((first["state"].as_str(), first["occupancy"].as_u64()), (Some("full"), Some(800)));
    assert_eq!((first["has_room"].as_bool(), first["places_left"].as_u64()), (Some(false), Some(0)));
    assert_eq!((first["distance_m"].as_u64(), first["walking_minutes"].as_u64()), (Some(0), Some(1)));
    assert_eq!(first["sample"], true);
    let distances: Vec<u64> = body["shelters"]
        .as_array()
        .expect("list")
        .iter()
        .map(|s| s["distance_m"].as_u64().expect("m"))
        .collect();
    assert!(distances.windows(2).all(|w| w[0] <= w[1]), "nearest first: {distances:?}");
    // At the park: the park first; has_room leaves the full gym out; limit cuts.
    let (_, body) = json(&app, "/api/v1/shelters?lat=29.295&lon=117.212").await;
    assert_eq!(ids(&body)[0], "test-park");
    let (_, body) = json(&app, "/api/v1/shelters?lat=29.31&lon=117.19&limit=1").await;
    assert_eq!(ids(&body), ["test-gym"]);
    // Nobody reported the others open: `open` and `has_room` admit none of them.
    let (_, body) = json(&app, "/api/v1/shelters?lat=29.31&lon=117.19&open=true").await;
    assert_eq!(ids(&body), Vec::<&str>::new());
    // Without a point: by id, no distances.
    let (_, body) = json(&app, "/api/v1/shelters").await;
    assert_eq!(ids(&body), ["test-gym", "test-park", "test-square"]);
    assert_eq!(body["shelters"][0]["distance_m"], Value::Null);

    for (uri, says) in [
        ("/api/v1/shelters?lat=29.3", "lat and lon go together"),
        ("/api/v1/shelters?lat=91&lon=117", "lat \"91\""),
        ("/api/v1/shelters?lat=29.3&lon=east", "lon \"east\""),
        ("/api/v1/shelters?limit=0", "limit \"0\""),
        ("/api/v1/shelters?limit=101", "limit \"101\""),
        ("/api/v1/shelters?has_room=yes", "has_room \"yes\""),
        ("/api/v1/shelters?near=me", "unknown field"),
    ] {
        let (status, body) = json(&app, uri).await;
        assert_eq!((status, body["error"]["code"].as_str()), (400, Some("bad_request")), "{uri}");
        let message = body["error"]["message"].as_str().expect("a message");
        assert!(message.contains(says), "{uri}: {message}");
    }
}

#[tokio::test]
async fn one_shelter_geojson_and_csv_carry_the_register() {
    let (app, state, _dir) = register_app().await;
    let (status, body) = json(&app, "/api/v1/shelters/test-park").await;
    assert_eq!(
        (status, body["id"].as_str(), body["state"].as_str()),
        (200, Some("test-park"), Some("unknown"))
    );
    assert_eq!(body["stale"], true, "never reported: stale");
    let (status, body) = json(&app, "/api/v1/shelters/no-such").await;
    assert_eq!((status, body["error"]["code"].as_str()), (404, Some("not_found")));

    let (status, content_type, text) = get(&app, "/api/v1/shelters.geojson").await;
    assert_eq!((status, content_type.as_str()), (200, "application/geo+json"));
    let geojson: Value = serde_json::from_str(&text).expect("JSON");
    let features = geojson["features"].as_array().expect("features");
    let gym = features.iter().find(|f| f["id"] == "test-gym").expect("the gym by its id");
    assert_eq!(gym["properties"]["state"], "full");
    assert_eq!(gym["geometry"]["coordinates"], serde_json::json!([117.19, 29.31]), "[lon, lat]");

    let (status, content_type, csv) = get(&app, "/api/v1/shelters.csv").await;
    assert_eq!((status, content_type.as_str()), (200, "text/csv; charset=utf-8"));
    let again = import::read_register(&csv).expect("the export imports back");
    let register: Vec<_> = state.store.shelters().await.expect("read").into_iter().map(|(s, _)| s).collect();
    assert_eq!(again, register);
}

#[tokio::test]
async fn the_stream_says_changed_when_a_volunteer_reports() {
    let (app, state, _dir) = register_app().await;
    tokio::spawn(state.shelters.changes.clone().run(state.store.clone()));
    let request = Request::get("/api/v1/shelters/stream").body(Body::empty()).expect("request");
    let response = app.clone().oneshot(request).await.expect("answer");
    assert_eq!(response.headers()[header::CONTENT_TYPE], "text/event-stream");
    let mut chunks = response.into_body().into_data_stream();
    // The watcher has read the version once before the report.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let open = ShelterStatus {
        state: ShelterState::Open,
        occupancy: Some(10),
        updated_at: Utc::now(),
        updated_by: "volunteer.li".into(),
    };
    state
        .store
        .report_shelter_status(&ShelterId::parse("test-park").expect("id"), &open)
        .await
        .expect("stored");
    let mut text = String::new();
    tokio::time::timeout(Duration::from_secs(5), async {
        while !text.contains("event: changed") {
            let chunk = chunks.next().await.expect("open").expect("chunk");
            text.push_str(std::str::from_utf8(&chunk).expect("UTF-8"));
        }
    })
    .await
    .unwrap_or_else(|_| panic!("`changed` within seconds; got {text:?}"));
}
