//! The public API in-process, for the test crates that call it: a router over a fresh SQLite
//! store that accepts pushes with [`TOKEN`], a CAP warning for 昌江区, and small request helpers.

#![allow(dead_code, reason = "not every helper is used by the tests of this run")]

use axum::{
    Router,
    body::{Body, to_bytes},
    http::{Request, header},
    response::Response,
};
use chrono::{Duration, Utc};
use safejdz_server::{config::Config, router::router, state::AppState};
use serde_json::Value;
use tower::ServiceExt;

use super::databases;

pub const TOKEN: &str = "test-push-token";

pub async fn app() -> (Router, tempfile::TempDir) {
    let (store, dir) = databases::sqlite_store().await;
    let config =
        Config { push_token: Some(TOKEN.into()), site_root: dir.path().join("no-site"), ..Config::default() };
    (router(AppState::new(config, store)), dir)
}

/// A Jingdezhen warning sent `minutes_ago`, expiring in six hours.
pub fn warning(
    identifier: &str,
    msg_type: &str,
    references: Option<&str>,
    minutes_ago: i64,
    status: &str,
) -> String {
    let sent = (Utc::now() - Duration::minutes(minutes_ago)).format("%Y-%m-%dT%H:%M:%S+00:00");
    let expires = (Utc::now() + Duration::hours(6)).format("%Y-%m-%dT%H:%M:%S+00:00");
    let references = references.map(|r| format!("<references>{r}</references>")).unwrap_or_default();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>{identifier}</identifier><sender>36020041600000</sender><sent>{sent}</sent>
  <status>{status}</status><msgType>{msg_type}</msgType><scope>Public</scope>{references}
  <info><language>zh-CN</language><category>Met</category><event>暴雨</event><urgency>Immediate</urgency>
    <severity>橙色</severity><certainty>Likely</certainty><expires>{expires}</expires>
    <headline>景德镇市气象台发布暴雨橙色预警</headline>
    <area><areaDesc>昌江区</areaDesc><geocode><valueName>CPEAS Geographic Code</valueName><value>360202000000</value></geocode></area>
  </info>
  <info><language>en-US</language><category>Met</category><event>Rainstorm</event><urgency>Immediate</urgency>
    <severity>Severe</severity><certainty>Likely</certainty><expires>{expires}</expires>
    <headline>Orange rainstorm warning</headline><area><areaDesc>Changjiang District</areaDesc></area>
  </info>
</alert>"#
    )
}

pub async fn push(app: &Router, body: &str, token: Option<&str>) -> Response {
    let mut request = Request::post("/api/v1/cap").header(header::CONTENT_TYPE, "application/cap+xml");
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    app.clone().oneshot(request.body(Body::from(body.to_owned())).expect("request")).await.expect("answer")
}

pub async fn get(app: &Router, uri: &str) -> Response {
    app.clone().oneshot(Request::get(uri).body(Body::empty()).expect("request")).await.expect("answer")
}

pub async fn json(response: Response) -> Value {
    serde_json::from_slice(&to_bytes(response.into_body(), 8 << 20).await.expect("body")).expect("JSON")
}

/// Replaces the stored JSON of alert `id` behind the store's back, as a damaged row or a row
/// written by another release would read.
pub async fn overwrite_stored_alert(data_dir: &std::path::Path, id: i64, alert_json: &str) {
    use sqlx::{Connection, Executor};
    let file = data_dir.join(safejdz_server::platform::store::SQLITE_FILE_NAME);
    let mut connection = sqlx::SqliteConnection::connect(&format!("sqlite://{}", file.display()))
        .await
        .expect("open the file");
    let statement = format!("UPDATE cap_messages SET alert_json = '{alert_json}' WHERE id = {id}");
    connection.execute(statement.as_str()).await.expect("overwrite the row");
}
