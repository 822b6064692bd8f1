//! The OpenAPI description is true: it lists exactly the public routes, every documented
//! operation answers with a documented status, and real responses match the schemas.

use crate::support::databases;

use axum::{
    Router,
    body::{Body, to_bytes},
    http::{Method, Request, header},
};
use chrono::Utc;
use safejdz_server::{
    config::Config,
    router::router,
    state::AppState,
    warnings::ingest::{Ingest, Verdict, demo},
};
use serde_json::Value;
use tower::ServiceExt;

async fn call(app: &Router, method: Method, uri: &str, body: &str, token: Option<&str>) -> (u16, Value) {
    let mut request = Request::builder().method(method).uri(uri);
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    let response = app
        .clone()
        .oneshot(request.body(Body::from(body.to_owned())).expect("request"))
        .await
        .expect("answer");
    let status = response.status().as_u16();
    let bytes = to_bytes(response.into_body(), 8 << 20).await.expect("body");
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

/// Follows `$ref` within the document.
fn resolve<'a>(spec: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let pointer = reference.trim_start_matches('#');
            resolve(spec, spec.pointer(pointer).unwrap_or_else(|| panic!("dangling {reference}")))
        }
        None => schema,
    }
}

/// A small JSON Schema check: type (with null), enum, required, properties, items.
fn check(spec: &Value, schema: &Value, value: &Value, path: &str, problems: &mut Vec<String>) {
    let schema = resolve(spec, schema);
    if let Some(types) = schema.get("type") {
        let allowed: Vec<&str> = match types {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let actual = match value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        };
        let fits = allowed.contains(&actual) || (actual == "integer" && allowed.contains(&"number"));
        if !fits {
            problems.push(format!("{path}: {actual} is not {allowed:?}"));
            return;
        }
    }
    if let Some(options) = schema.get("enum").and_then(Value::as_array)
        && !options.contains(value)
    {
        problems.push(format!("{path}: {value} is not one of {options:?}"));
    }
    if let Some(required) = schema.get("required").and_then(Value::as_array) {
        for name in required.iter().filter_map(Value::as_str) {
            if value.get(name).is_none() {
                problems.push(format!("{path}: lacks required {name}"));
            }
        }
    }
    if let (Some(properties), Some(object)) =
        (schema.get("properties").and_then(Value::as_object), value.as_object())
    {
        for (name, property) in properties {
            if let Some(field) = object.get(name) {
                check(spec, property, field, &format!("{path}.{name}"), problems);
            }
        }
        for name in object.keys().filter(|k| !properties.contains_key(*k)) {
            problems.push(format!("{path}: {name} is not documented"));
        }
    }
    if let (Some(items), Some(array)) = (schema.get("items"), value.as_array()) {
        for (index, item) in array.iter().enumerate() {
            check(spec, items, item, &format!("{path}[{index}]"), problems);
        }
    }
}

fn response_schema<'a>(spec: &'a Value, path: &str, method: &str, status: u16) -> &'a Value {
    let response = spec["paths"][path][method]["responses"]
        .get(status.to_string())
        .unwrap_or_else(|| panic!("{method} {path} answered {status}, which is not documented"));
    let response = resolve(spec, response);
    let content = response["content"].as_object().expect("documented content");
    let (_, media) = content.iter().next().expect("a media type");
    &media["schema"]
}

fn assert_matches(spec: &Value, path: &str, method: &str, status: u16, body: &Value) {
    let mut problems = Vec::new();
    check(spec, response_schema(spec, path, method, status), body, "$", &mut problems);
    assert!(problems.is_empty(), "{method} {path} {status}: {problems:#?}");
}

#[tokio::test]
async fn the_description_lists_exactly_the_public_operations() {
    let spec: Value = serde_json::from_str(&safejdz_server::api::DESCRIPTION).expect("valid JSON");
    assert_eq!(spec["openapi"], "3.1.0");
    let mut operations: Vec<String> = spec["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .flat_map(|(path, item)| {
            item.as_object().into_iter().flat_map(|m| m.keys()).map(move |m| format!("{m} {path}"))
        })
        .collect();
    operations.sort();
    // What the router serves: each feature's operations (its routes are built from that list
    // alone), and /healthz (the platform's).
    let mut routed: Vec<String> =
        safejdz_server::api::operations().iter().map(|op| format!("{} {}", op.method, op.path)).collect();
    routed.sort();
    assert_eq!(operations, routed, "the description and the router list the same operations");
    // The public contract. Changing it is deliberate: update docs/API.md and this list together.
    assert_eq!(
        operations,
        [
            "get /api/v1/alerts",
            "get /api/v1/alerts.geojson",
            "get /api/v1/alerts/stream",
            "get /api/v1/alerts/{id}",
            "get /api/v1/alerts/{id}.cap",
            "get /api/v1/articles",
            "get /api/v1/articles/{slug}",
            "get /api/v1/shelters",
            "get /api/v1/shelters.csv",
            "get /api/v1/shelters.geojson",
            "get /api/v1/shelters/stream",
            "get /api/v1/shelters/{id}",
            "get /feeds/alerts.atom",
            "get /healthz",
            "post /api/v1/cap",
        ]
    );
}

#[tokio::test]
async fn real_responses_match_the_description() {
    let spec: Value = serde_json::from_str(&safejdz_server::api::DESCRIPTION).expect("valid JSON");
    let (store, dir) = databases::sqlite_store().await;
    let ingest = Ingest::new(store.clone(), Default::default());
    let verdicts = demo::load(&ingest, Utc::now()).await.expect("samples");
    let Some(Verdict::Accepted { id }) = verdicts.first().cloned() else { panic!("{verdicts:?}") };
    let config =
        Config { push_token: Some("t".into()), site_root: dir.path().join("none"), ..Config::default() };
    let app = router(AppState::new(config, store.clone()));

    let served = call(&app, Method::GET, "/api/openapi.json", "", None).await;
    assert_eq!(served, (200, spec.clone()), "the served description is the checked one");

    let (status, body) = call(&app, Method::GET, "/api/v1/alerts", "", None).await;
    assert!(body["alerts"].as_array().is_some_and(|a| !a.is_empty()));
    assert_matches(&spec, "/api/v1/alerts", "get", status, &body);
    let (status, body) = call(&app, Method::GET, "/api/v1/alerts?status=Nope", "", None).await;
    assert_matches(&spec, "/api/v1/alerts", "get", status, &body);
    let (status, body) = call(&app, Method::GET, &format!("/api/v1/alerts/{id}"), "", None).await;
    assert_matches(&spec, "/api/v1/alerts/{id}", "get", status, &body);
    let (status, body) = call(&app, Method::GET, "/api/v1/alerts/0", "", None).await;
    assert_matches(&spec, "/api/v1/alerts/{id}", "get", status, &body);
    let (status, _) = call(&app, Method::GET, &format!("/api/v1/alerts/{id}.cap"), "", None).await;
    response_schema(&spec, "/api/v1/alerts/{id}.cap", "get", status);
    let (status, body) = call(&app, Method::GET, "/api/v1/alerts.geojson", "", None).await;
    assert_matches(&spec, "/api/v1/alerts.geojson", "get", status, &body);
    let (status, _) = call(&app, Method::GET, "/feeds/alerts.atom", "", None).await;
    response_schema(&spec, "/feeds/alerts.atom", "get", status);
    let (status, body) = call(&app, Method::GET, "/healthz", "", None).await;
    assert_matches(&spec, "/healthz", "get", status, &body);

    // Shelters: the fixture register, one shelter reported.
    let register =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/shelters/register.csv"))
            .expect("fixture");
    let shelters = safejdz_server::shelters::import::read_register(&register).expect("reads");
    store.import_shelters(&shelters, Utc::now()).await.expect("stored");
    let gym = safejdz_app::domain::shelters::ShelterId::parse("test-gym").expect("an id");
    let full = safejdz_app::domain::shelters::ShelterStatus {
        state: safejdz_app::domain::shelters::ShelterState::Full,
        occupancy: Some(120),
        updated_at: Utc::now(),
        updated_by: "volunteer.li".into(),
    };
    store.report_shelter_status(&gym, &full).await.expect("reported");
    for uri in [
        "/api/v1/shelters",
        "/api/v1/shelters?lat=29.3&lon=117.21&limit=2&open=true",
        "/api/v1/shelters?lat=29.3",
        "/api/v1/shelters?limit=0",
        "/api/v1/shelters?has_room=yes",
        "/api/v1/shelters?nearby=1",
    ] {
        let (status, body) = call(&app, Method::GET, uri, "", None).await;
        assert_matches(&spec, "/api/v1/shelters", "get", status, &body);
    }
    for uri in ["/api/v1/shelters/test-gym", "/api/v1/shelters/none"] {
        let (status, body) = call(&app, Method::GET, uri, "", None).await;
        assert_matches(&spec, "/api/v1/shelters/{id}", "get", status, &body);
    }
    let (status, body) = call(&app, Method::GET, "/api/v1/shelters.geojson", "", None).await;
    assert_matches(&spec, "/api/v1/shelters.geojson", "get", status, &body);
    let (status, _) = call(&app, Method::GET, "/api/v1/shelters.csv", "", None).await;
    response_schema(&spec, "/api/v1/shelters.csv", "get", status);
    let response = app
        .clone()
        .oneshot(Request::get("/api/v1/shelters/stream").body(Body::empty()).expect("request"))
        .await
        .expect("answer");
    response_schema(&spec, "/api/v1/shelters/stream", "get", response.status().as_u16());
    assert_eq!(response.headers()[header::CONTENT_TYPE], "text/event-stream");

    // The stream: its content type, and the data of a replayed event against AlertEvent.
    let request = Request::get("/api/v1/alerts/stream").header("Last-Event-ID", "0").body(Body::empty());
    let response = app.clone().oneshot(request.expect("request")).await.expect("answer");
    response_schema(&spec, "/api/v1/alerts/stream", "get", response.status().as_u16());
    let described = &spec["paths"]["/api/v1/alerts/stream"]["get"]["responses"]["200"]["content"];
    let content_type = response.headers()[header::CONTENT_TYPE].to_str().expect("ascii").to_owned();
    assert!(described.get(content_type.as_str()).is_some(), "{content_type} is the described type");
    let mut chunks = response.into_body().into_data_stream();
    let mut text = String::new();
    let data = tokio::time::timeout(std::time::Duration::from_secs(5), async {
        loop {
            let chunk = futures::StreamExt::next(&mut chunks).await.expect("open").expect("chunk");
            text.push_str(std::str::from_utf8(&chunk).expect("UTF-8"));
            if let Some(line) = text.lines().find(|l| l.starts_with("data:") && l.contains("\"kind\"")) {
                return serde_json::from_str::<Value>(line.trim_start_matches("data:").trim())
                    .expect("JSON data");
            }
        }
    })
    .await
    .expect("a replayed event within five seconds");
    let mut problems = Vec::new();
    let schema = &described["text/event-stream"]["x-event-data"];
    check(&spec, schema, &data, "stream data", &mut problems);
    assert!(problems.is_empty(), "{problems:?}");

    let (status, body) = call(&app, Method::POST, "/api/v1/cap", "<alert/>", Some("t")).await;
    assert_matches(&spec, "/api/v1/cap", "post", status, &body);
    let (status, body) = call(&app, Method::POST, "/api/v1/cap", "<alert/>", Some("wrong")).await;
    assert_matches(&spec, "/api/v1/cap", "post", status, &body);
    let cap = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/cap-corpus/oasis-spec/v1dot2_appendix_adot1.xml"
    ))
    .expect("corpus");
    let (status, body) = call(&app, Method::POST, "/api/v1/cap", &cap, Some("t")).await;
    assert_eq!(status, 201);
    assert_matches(&spec, "/api/v1/cap", "post", status, &body);
}
