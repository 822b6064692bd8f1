//! Stored alerts as the API reads them: a row that cannot be decoded hides that one message,
//! and reads come from memory until something is accepted.

use crate::support::api_client;

use api_client::{TOKEN, app, get, json, overwrite_stored_alert, push, warning};
use axum::http::StatusCode;
use serde_json::Value;

/// A stored alert that cannot be read back (a damaged value, a format a newer release wrote)
/// hides that one message: the list, the other alerts and the home page still answer.
#[tokio::test]
async fn an_undecodable_stored_alert_is_left_out_and_everything_else_is_served() {
    let (app, dir) = app().await;
    let created = push(&app, &warning("good-1", "Alert", None, 5, "Actual"), Some(TOKEN)).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let damaged = push(&app, &warning("bad-1", "Alert", None, 3, "Actual"), Some(TOKEN)).await;
    let damaged_id = json(damaged).await["id"].as_i64().expect("id");
    overwrite_stored_alert(dir.path(), damaged_id, "{\"no\": 1").await;

    let list = get(&app, "/api/v1/alerts").await;
    assert_eq!(list.status(), StatusCode::OK);
    let list = json(list).await;
    let identifiers: Vec<&str> =
        list["alerts"].as_array().expect("alerts").iter().filter_map(|a| a["identifier"].as_str()).collect();
    assert_eq!(identifiers, ["good-1"], "the readable alert is listed, the damaged one left out");
    assert_eq!(get(&app, &format!("/api/v1/alerts/{damaged_id}")).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(get(&app, "/").await.status(), StatusCode::OK, "the home page still renders");
}

/// The accepted messages are decoded once per change: a read with nothing newly accepted comes
/// from memory (a row changed underneath is not read again), and the next acceptance makes the
/// read fresh.
#[tokio::test]
async fn reads_come_from_memory_until_something_is_accepted() {
    let (app, dir) = app().await;
    let first = push(&app, &warning("mem-1", "Alert", None, 5, "Actual"), Some(TOKEN)).await;
    let first_id = json(first).await["id"].as_i64().expect("id");
    let listed = |list: Value| -> Vec<String> {
        list["alerts"]
            .as_array()
            .expect("alerts")
            .iter()
            .filter_map(|a| a["identifier"].as_str().map(str::to_owned))
            .collect()
    };
    assert_eq!(listed(json(get(&app, "/api/v1/alerts").await).await), ["mem-1"]);

    overwrite_stored_alert(dir.path(), first_id, "damaged").await;
    assert_eq!(listed(json(get(&app, "/api/v1/alerts").await).await), ["mem-1"], "served from memory");

    push(&app, &warning("mem-2", "Alert", None, 1, "Actual"), Some(TOKEN)).await;
    assert_eq!(
        listed(json(get(&app, "/api/v1/alerts").await).await),
        ["mem-2"],
        "read again after an acceptance: the changed row is read (and left out), the new one listed"
    );
}
