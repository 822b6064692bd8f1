//! The shelter register: import from CSV and GeoJSON (idempotent on the shelter's id; a file
//! with any problem is refused whole, each problem named by line or feature and field, and the
//! register stays as it was), export that imports back as it was, an unreadable row left out,
//! the sample register, imports beside another writer; on SQLite and PostgreSQL; the CLI's exit
//! status and words; and the resident pages (the list, a shelter, a warning's nearest).
//! The console's side is in `shelters_console.rs`, the public API in `shelters_api.rs`.

use std::{path::Path, process::Command};

use chrono::Utc;
use safejdz_app::domain::shelters::{Facility, ShelterId, ShelterState, ShelterStatus};
use safejdz_server::shelters::{
    export,
    import::{self, Location},
};

use crate::support::databases::on_each_backend;

pub fn fixture(name: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/shelters").join(name))
        .expect("test data")
}

#[test]
fn a_bad_file_names_each_problem_by_line_and_field_and_yields_nothing() {
    let problems = import::read_register(&fixture("bad.csv")).expect_err("refused");
    let found: Vec<(Location, &str, &str)> =
        problems.iter().map(|p| (p.location.clone(), p.field.as_str(), p.message_id)).collect();
    assert_eq!(
        found,
        [
            (Location::Line(3), "level", "shelters-import-unknown-value"),
            (Location::Line(3), "capacity", "shelters-import-not-whole-number"),
            (Location::Line(3), "facilities", "shelters-import-unknown-value"),
            (Location::Line(4), "division", "shelters-error-division"),
        ]
    );
    // Line 4 is refused for its division before its id is compared: fixed, it would repeat ok-1.
    let fixed =
        fixture("bad.csv").replace("999999", "360203").replace("citywide", "city").replace("lots", "10");
    let fixed = fixed.replace(";helipad", "");
    let problems = import::read_register(&fixed).expect_err("a repeated id");
    assert_eq!(problems.len(), 1);
    assert_eq!(
        (problems[0].location.clone(), problems[0].message_id),
        (Location::Line(4), "shelters-import-duplicate-id")
    );
    assert_eq!(
        problems[0].to_string(),
        "line 4, field id: This id is already used by an earlier row of the file. (\"ok-1\")"
    );

    let header = import::read_register("id,name,lat\n").expect_err("columns");
    assert!(header.iter().any(|p| p.field == "name" && p.message_id == "shelters-import-unknown-column"));
    assert!(header.iter().any(|p| p.field == "capacity" && p.message_id == "shelters-import-missing-column"));
    let geojson = import::read_register(r#"{"type": "Feature"}"#).expect_err("not a collection");
    assert_eq!(geojson[0].message_id, "shelters-import-not-geojson");
    let no_point = import::read_register(
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","id":"x","properties":{}}]}"#,
    )
    .expect_err("no geometry");
    assert!(no_point.iter().any(|p| p.location == Location::Feature(1) && p.field == "geometry"));
}

#[tokio::test]
async fn imports_are_idempotent_all_or_nothing_and_export_round_trips() {
    on_each_backend("shelter_register", |store| async move {
        let csv = import::read_register(&fixture("register.csv")).expect("the fixture reads");
        assert_eq!(csv.len(), 2);
        let gym = csv.iter().find(|s| s.id.as_str() == "test-gym").expect("the gym");
        assert!(gym.has(Facility::MedicalPoint) && gym.sample && gym.name_en.is_none());
        let outcome = store.import_shelters(&csv, Utc::now()).await.expect("stored");
        assert_eq!((outcome.added, outcome.replaced), (2, 0));
        let again = store.import_shelters(&csv, Utc::now()).await.expect("stored again");
        assert_eq!((again.added, again.replaced), (0, 2), "the same file twice changes nothing");
        let geojson = import::read_register(&fixture("register.geojson")).expect("GeoJSON reads");
        store.import_shelters(&geojson, Utc::now()).await.expect("stored");

        // A volunteer's report survives a re-import of the register.
        let id = ShelterId::parse("test-gym").expect("an id");
        let report = ShelterStatus {
            state: ShelterState::Full,
            occupancy: Some(812),
            updated_at: Utc::now(),
            updated_by: "volunteer.wang".into(),
        };
        assert!(store.report_shelter_status(&id, &report).await.expect("stored"));
        assert!(
            !store
                .report_shelter_status(&ShelterId::parse("nowhere").expect("an id"), &report)
                .await
                .expect("ran")
        );
        store.import_shelters(&csv, Utc::now()).await.expect("stored");
        let (gym, status) = store.shelter(&id).await.expect("read").expect("there");
        assert_eq!(status.map(|s| (s.state, s.occupancy)), Some((ShelterState::Full, Some(812))));
        assert_eq!(gym, csv[1], "read back exactly as imported");

        // A refused file stores nothing: the register is what it was.
        assert!(import::read_register(&fixture("bad.csv")).is_err());
        let register = store.shelters().await.expect("read");
        assert_eq!(
            register.iter().map(|(s, _)| s.id.as_str()).collect::<Vec<_>>(),
            ["test-gym", "test-park", "test-square"]
        );

        // Export, import the export: the same register.
        let csv_out = export::to_csv(&register).expect("CSV");
        let back = import::read_register(&csv_out).expect("the export imports");
        assert_eq!(back, register.iter().map(|(s, _)| s.clone()).collect::<Vec<_>>());
        let geojson_out = export::to_geojson(&register).to_string();
        let back = import::read_register(&geojson_out).expect("the GeoJSON export imports");
        assert_eq!(back, register.iter().map(|(s, _)| s.clone()).collect::<Vec<_>>());
        let features = export::to_geojson(&register);
        assert_eq!(features["features"][0]["id"], "test-gym");
        assert_eq!(features["features"][0]["properties"]["state"], "full");
        assert_eq!(features["features"][1]["properties"]["state"], "unknown");
        assert_eq!(features["features"][1]["geometry"]["coordinates"][0], 117.212);
    })
    .await;
}

#[tokio::test]
async fn a_row_that_cannot_be_read_hides_that_shelter_not_the_register() {
    use sqlx::{Connection, Executor};
    let (store, dir) = crate::support::databases::sqlite_store().await;
    let shelters = import::read_register(&fixture("register.csv")).expect("the fixture reads");
    store.import_shelters(&shelters, Utc::now()).await.expect("stored");
    let file = dir.path().join(safejdz_server::platform::store::SQLITE_FILE_NAME);
    let mut connection = sqlx::SqliteConnection::connect(&format!("sqlite://{}", file.display()))
        .await
        .expect("open the file");
    connection
        .execute("UPDATE shelters SET record = '{\"not\": \"a shelter\"}' WHERE id = 'test-park'")
        .await
        .expect("damaged");
    let ids: Vec<String> =
        store.shelters().await.expect("read").iter().map(|(s, _)| s.id.as_str().to_owned()).collect();
    assert_eq!(ids, ["test-gym"]);
    let park = ShelterId::parse("test-park").expect("an id");
    assert!(store.shelter(&park).await.is_err(), "asked for by id, the damage is an error, not a 'none'");
}

#[test]
fn the_command_line_imports_or_refuses_the_whole_file() {
    let data = tempfile::tempdir().expect("temp dir");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/shelters");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_safejdz"))
            .args(args)
            .env("SAFEJDZ_DATA_DIR", data.path())
            .env("SAFEJDZ_LOG_FILTER", "error")
            .output()
            .expect("runs")
    };
    let bad = fixtures.join("bad.csv");
    let refused = run(&["shelters", "import", bad.to_str().expect("path")]);
    let said = String::from_utf8_lossy(&refused.stdout);
    assert!(!refused.status.success());
    assert!(said.contains("bad.csv: line 3, field capacity: Not a whole number. (\"lots\")"), "{said}");
    assert!(said.contains("nothing was imported"), "{said}");

    let good = fixtures.join("register.csv");
    let imported = run(&["shelters", "import", good.to_str().expect("path")]);
    let said = String::from_utf8_lossy(&imported.stdout);
    assert!(imported.status.success(), "{said}");
    assert!(said.contains("2 shelters imported (2 added, 0 replaced)"), "{said}");
    let exported = run(&["shelters", "export", "--format", "geojson"]);
    let geojson: serde_json::Value = serde_json::from_slice(&exported.stdout).expect("GeoJSON");
    assert_eq!(geojson["features"].as_array().map(Vec::len), Some(2));

    // Assigning from the command line: a volunteer yes, another role or no shelter no.
    for (name, role) in [("vol.chen", "volunteer"), ("pub.liu", "publisher")] {
        assert!(run(&["user", "add", name, "--role", role]).status.success());
    }
    let assigned = run(&["shelters", "assign", "test-gym", "vol.chen"]);
    let said = String::from_utf8_lossy(&assigned.stdout);
    assert!(assigned.status.success() && said.contains("test-gym: assigned to vol.chen"), "{said}");
    let again = run(&["shelters", "assign", "test-gym", "vol.chen"]);
    assert!(String::from_utf8_lossy(&again.stdout).contains("was already assigned"));
    let refused = run(&["shelters", "assign", "test-gym", "pub.liu"]);
    let said = String::from_utf8_lossy(&refused.stdout);
    assert!(!refused.status.success() && said.contains("not an active volunteer"), "{said}");
    let refused = run(&["shelters", "assign", "no-such-shelter", "vol.chen"]);
    assert!(!refused.status.success());
    let ended = run(&["shelters", "unassign", "test-gym", "vol.chen"]);
    assert!(String::from_utf8_lossy(&ended.stdout).contains("no longer assigned to vol.chen"));
}

#[tokio::test]
async fn residents_find_the_nearest_shelters_with_room_and_the_way_there_without_javascript() {
    use crate::support::staff_app::{app, send, text};
    use axum::{
        body::Body,
        http::{Request, StatusCode, header},
    };
    let app = app().await;
    let shelters = import::read_register(&fixture("register.csv")).expect("the fixture reads");
    app.store.import_shelters(&shelters, Utc::now()).await.expect("stored");
    let page = |path: &str, lang: &str| {
        Request::get(path).header(header::ACCEPT_LANGUAGE, lang).body(Body::empty()).expect("request")
    };

    // Near the park (29.2950, 117.2120): the park first, then the gym, each state in words.
    let response = send(&app, page("/shelters?at=29.30,117.21", "zh-CN")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = text(response).await;
    let (park, gym) =
        (html.find("测试公园（示例）").expect("the park"), html.find("测试体育馆（示例）").expect("the gym"));
    assert!(park < gym, "nearest first");
    assert!(html.contains("示例数据"), "sample data says so");
    assert!(html.contains("状态未报告"), "no report yet: said in words");
    assert!(html.contains("步行约"), "a walking time");
    assert!(html.contains(r#"href="/shelters/test-park?at=29.30,117.21""#), "the link keeps the point");

    // A volunteer reports the gym full: 'has room' leaves it out; 'indoor' finds only it.
    let id = ShelterId::parse("test-gym").expect("an id");
    let full = ShelterStatus {
        state: ShelterState::Full,
        occupancy: Some(800),
        updated_at: Utc::now(),
        updated_by: "v".into(),
    };
    app.store.report_shelter_status(&id, &full).await.expect("stored");
    let open = ShelterStatus {
        state: ShelterState::Open,
        occupancy: Some(200),
        updated_at: Utc::now(),
        updated_by: "v".into(),
    };
    app.store
        .report_shelter_status(&ShelterId::parse("test-park").expect("an id"), &open)
        .await
        .expect("stored");
    let html = text(send(&app, page("/shelters?at=29.30,117.21&room=1", "zh-CN")).await).await;
    assert!(
        html.contains("测试公园（示例）") && !html.contains("测试体育馆（示例）"),
        "the full gym is left out"
    );
    assert!(html.contains("开放 · 尚余 1000 个位置"), "places left, in words");
    let html = text(send(&app, page("/shelters?indoor=1&hazard=flood", "en")).await).await;
    assert!(html.contains("Test Gym") || html.contains("测试体育馆（示例）"), "the indoor flood shelter");
    assert!(!html.contains("Test Park (sample)"), "the park is outdoors and not for floods");
    assert!(html.contains("Full"), "its state in English words");

    // One shelter: everything, and the map apps' links with their own datums.
    let html = text(send(&app, page("/shelters/test-park", "en")).await).await;
    assert!(html.contains("Test Park (sample)") && html.contains("Sample data"));
    assert!(html.contains("https://uri.amap.com/navigation?to=117.21"), "Amap: lon,lat");
    let baidu = html.split("https://api.map.baidu.com/marker?location=").nth(1).expect("a Baidu link");
    assert!(baidu.starts_with("29.29") || baidu.starts_with("29.30"), "Baidu: lat,lng: {}", &baidu[..40]);
    assert!(html.contains("coord_type=bd09ll"));
    assert!(html.contains("geo:29.295000,117.212000?q="), "geo: WGS-84 as stored");
    assert!(html.contains(r#"href="tel:07980000000""#), "the contact can be called");
    assert!(html.contains("Township or street") && html.contains("Step-free entrance"));
    assert_eq!(send(&app, page("/shelters/no-such-shelter", "en")).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_demo_register_is_sample_and_the_bureaus_register_replaces_it() {
    use safejdz_server::shelters::demo;
    on_each_backend("shelter_demo", |store| async move {
        let loaded = demo::load(&store, Utc::now()).await.expect("loads");
        assert_eq!(loaded, 34);
        let register = store.shelters().await.expect("read");
        assert!(register.iter().all(|(shelter, status)| shelter.sample && status.is_some()));
        // The bureau's register (not sample) replaces the sample rows in the same import.
        let real = fixture("register.csv").replace(",true,", ",false,");
        let shelters = import::read_register(&real).expect("reads");
        let outcome = store.import_shelters(&shelters, Utc::now()).await.expect("stored");
        assert_eq!((outcome.added, outcome.samples_removed), (2, 34));
        let ids: Vec<String> = store
            .shelters()
            .await
            .expect("read")
            .into_iter()
            .map(|(s, _)| s.id.as_str().to_owned())
            .collect();
        assert_eq!(ids, ["test-gym", "test-park"]);
        // And a later demo start leaves the bureau's register alone.
        assert_eq!(demo::load(&store, Utc::now()).await.expect("runs"), 0);
        assert_eq!(store.shelters().await.expect("read").len(), 2);
    })
    .await;
}

#[tokio::test]
async fn a_warning_page_lists_the_nearest_shelters_with_room_for_its_hazard() {
    use crate::support::staff_app::{app, send, text};
    use axum::{body::Body, http::Request};
    use safejdz_server::warnings::ingest::{Ingest, Verdict};
    let app = app().await;
    // The sample register: every sample point open (or full), suited to earthquakes only.
    safejdz_server::shelters::demo::load(&app.store, Utc::now()).await.expect("sample register");
    let ingest = Ingest::new(app.store.clone(), Default::default());
    // A warning with a circle around the Imperial Kiln site.
    let warning = |identifier: &str, event: &str| {
        format!(
            r#"<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>{identifier}</identifier>
      <sender>test@example.org</sender><sent>2026-12-02T10:00:00+08:00</sent><status>Actual</status>
      <msgType>Alert</msgType><scope>Public</scope><info><language>zh-CN</language><category>Geo</category>
      <event>{event}</event><urgency>Immediate</urgency><severity>Severe</severity><certainty>Likely</certainty>
      <expires>2099-01-01T00:00:00+08:00</expires><headline>{event}预警（测试）</headline>
      <area><areaDesc>珠山区</areaDesc><circle>29.2969,117.2019 3</circle></area></info></alert>"#
        )
    };
    let mut pages = Vec::new();
    for (identifier, event) in [("shelter-test-quake", "地震"), ("shelter-test-rain", "暴雨")] {
        let verdict = ingest.receive("test", warning(identifier, event).as_bytes(), Utc::now()).await;
        let Ok(Verdict::Accepted { id }) = verdict else { panic!("accepted: {verdict:?}") };
        let request =
            Request::get(format!("/alerts/{id}")).header("accept-language", "zh-CN").body(Body::empty());
        pages.push(text(send(&app, request.expect("request")).await).await);
    }
    let (quake, rain) = (&pages[0], &pages[1]);
    assert!(quake.contains("预警区域附近适合此灾害、有空位的避难场所"), "the section");
    // The kiln site is open in the demo and nearest the circle's centre; every link is sample.
    let first = quake.find(r#"href="/shelters/sample-"#).expect("a shelter link");
    assert!(quake[first..].starts_with(r#"href="/shelters/sample-yuyaochang""#), "nearest first");
    assert!(quake[first..].contains("示例数据"), "labelled sample");
    assert!(
        quake.contains("/shelters?has_room=1&amp;at=29.30,117.20&amp;hazard=earthquake"),
        "the whole list"
    );
    // No sample point is said to suit a rainstorm: none is offered, and the page says so.
    assert!(!rain.contains(r#"href="/shelters/sample-"#));
    assert!(rain.contains("附近没有报告为开放、有空位且适合此灾害的避难场所"));
}

/// The server and the command line are two processes on one SQLite file: an import (which
/// reads, then writes) must wait for the other's writes, not fail with "database is locked".
#[tokio::test]
async fn imports_beside_another_writer_on_the_same_sqlite_file_wait_their_turn() {
    use safejdz_server::platform::store::Store;
    let (server, dir) = crate::support::databases::sqlite_store().await;
    let command_line = Store::open(None, dir.path()).await.expect("a second store on the same file");
    let shelters = import::read_register(&fixture("register.csv")).expect("reads");
    server.import_shelters(&shelters, Utc::now()).await.expect("stored");
    let gym = ShelterId::parse("test-gym").expect("an id");
    let reports = async {
        for n in 0..200u32 {
            let status = ShelterStatus {
                state: ShelterState::Open,
                occupancy: Some(n),
                updated_at: Utc::now(),
                updated_by: "volunteer.li".into(),
            };
            server.report_shelter_status(&gym, &status).await.expect("a report");
        }
    };
    let imports = async {
        for _ in 0..50 {
            command_line.import_shelters(&shelters, Utc::now()).await.expect("an import waits its turn");
        }
    };
    futures::join!(reports, imports);
}
