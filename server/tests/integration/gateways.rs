//! Operator gateways against a local receiver: every new warning arrives once as JSON with its
//! areas, signed with HMAC-SHA256; a 503 is retried (honouring Retry-After), a 400 is not; Test
//! messages never go out; two workers on one database (two replicas) deliver once; a delivery
//! a stopped replica left is taken over, and a missed one is sent by the sweep, on SQLite and
//! PostgreSQL.

use crate::support::databases;

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{
    Router,
    http::{HeaderMap, StatusCode},
    response::IntoResponse,
    routing::post,
};
use chrono::Utc;
use safejdz_server::{
    config::Config,
    notify::gateways::store::DeliveryState,
    notify::{
        gateways::{GatewayConfig, GatewayWorker, signature, spawn},
        outbox::Outbox,
        retry::RetryPolicy,
    },
    state::AppState,
    tasks::Tasks,
};

const SECRET: &str = "a-long-shared-gateway-secret";

#[derive(Clone, Default)]
struct Receiver {
    requests: Arc<Mutex<Vec<(HeaderMap, String)>>>,
    /// Statuses to answer, in order; 200 once they run out.
    script: Arc<Mutex<Vec<u16>>>,
}

async fn receive(
    axum::extract::State(receiver): axum::extract::State<Receiver>,
    headers: HeaderMap,
    body: String,
) -> impl IntoResponse {
    receiver.requests.lock().expect("lock").push((headers, body));
    let status = {
        let mut script = receiver.script.lock().expect("lock");
        if script.is_empty() { 200 } else { script.remove(0) }
    };
    let mut response = StatusCode::from_u16(status).expect("status").into_response();
    if status == 503 {
        response.headers_mut().insert("retry-after", "0".parse().expect("header"));
    }
    response
}

async fn start_receiver(script: Vec<u16>) -> (String, Receiver) {
    let receiver = Receiver { requests: Arc::default(), script: Arc::new(Mutex::new(script)) };
    let app = Router::new().route("/hook", post(receive)).with_state(receiver.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}/hook", listener.local_addr().expect("address"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, receiver)
}

fn cap(identifier: &str, status: &str) -> String {
    let sent = Utc::now().format("%Y-%m-%dT%H:%M:%S+00:00");
    format!(
        r#"<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>{identifier}</identifier>
  <sender>36020041600000</sender><sent>{sent}</sent><status>{status}</status><msgType>Alert</msgType><scope>Public</scope>
  <info><language>zh-CN</language><category>Met</category><event>暴雨</event><urgency>Immediate</urgency>
    <severity>橙色</severity><certainty>Likely</certainty><headline>暴雨橙色预警 {identifier}</headline>
    <area><areaDesc>昌江区</areaDesc><geocode><valueName>CPEAS Geographic Code</valueName><value>360202000000</value></geocode></area>
  </info></alert>"#
    )
}

fn policy() -> RetryPolicy {
    RetryPolicy { attempts: 3, first_delay: Duration::from_millis(20), max_delay: Duration::from_millis(200) }
}

async fn wait_for(receiver: &Receiver, count: usize) {
    for _ in 0..200 {
        if receiver.requests.lock().expect("lock").len() >= count {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the receiver got {} requests, expected {count}", receiver.requests.lock().expect("lock").len());
}

#[tokio::test]
async fn a_new_warning_is_delivered_signed_with_its_areas_after_a_retry() {
    let (store, data) = databases::sqlite_store().await;
    let state =
        AppState::new(Config { site_root: data.path().join("no-site"), ..Config::default() }, store.clone());
    let (url, receiver) = start_receiver(vec![503]).await;
    let gateway = GatewayConfig { name: "sms".into(), url, secret: SECRET.into() };
    spawn(gateway, &state.warnings.hub, store.clone(), "https://safe.example.cn/".into(), policy());
    let _tasks = Tasks::start(&state).await;

    let id = state
        .warnings
        .ingest
        .receive("test", cap("hook-1", "Actual").as_bytes(), Utc::now())
        .await
        .expect("stored")
        .id();
    wait_for(&receiver, 2).await;
    let (headers, body) = receiver.requests.lock().expect("lock")[1].clone();
    let timestamp = headers["x-safejdz-timestamp"].to_str().expect("ascii");
    assert_eq!(headers["x-safejdz-signature"].to_str().expect("ascii"), signature(SECRET, timestamp, &body));
    assert_ne!(signature("another-secret-of-length", timestamp, &body), signature(SECRET, timestamp, &body));
    assert_eq!(headers["x-safejdz-delivery"].to_str().expect("ascii"), id.to_string());
    let json: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(json["kind"], "new");
    assert_eq!(json["division_codes"], serde_json::json!(["360202000000"]));
    assert_eq!(json["infos"][0]["areas"][0]["geocodes"][0]["value"], "360202000000");
    assert_eq!(json["links"]["page"], format!("https://safe.example.cn/alerts/{id}"));

    // Recorded as delivered on the second attempt.
    let mut record = None;
    for _ in 0..100 {
        record = store.delivery("sms", id).await.expect("read");
        if record.as_ref().is_some_and(|r| r.state != DeliveryState::Sending) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let record = record.expect("claimed");
    assert_eq!((record.state, record.attempts), (DeliveryState::Delivered, 2));

    // A Test message never goes out.
    state
        .warnings
        .ingest
        .receive("test", cap("drill-1", "Test").as_bytes(), Utc::now())
        .await
        .expect("stored");
    state
        .warnings
        .ingest
        .receive("test", cap("hook-2", "Actual").as_bytes(), Utc::now())
        .await
        .expect("stored");
    wait_for(&receiver, 3).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let requests = receiver.requests.lock().expect("lock").clone();
    assert_eq!(requests.len(), 3, "one retry, one delivery each for the two Actual warnings");
    assert!(requests.iter().all(|(_, body)| !body.contains("drill-1")));
}

#[tokio::test]
async fn a_refusal_is_not_retried_and_two_replicas_deliver_once() {
    let (store, data) = databases::sqlite_store().await;
    let state =
        AppState::new(Config { site_root: data.path().join("no-site"), ..Config::default() }, store.clone());
    let (url, receiver) = start_receiver(vec![400]).await;
    for _ in 0..2 {
        // Two workers for the same gateway on one database, as two replicas would run.
        let gateway = GatewayConfig { name: "wechat".into(), url: url.clone(), secret: SECRET.into() };
        spawn(gateway, &state.warnings.hub, store.clone(), "http://127.0.0.1:3000".into(), policy());
    }
    let _tasks = Tasks::start(&state).await;
    let id = state
        .warnings
        .ingest
        .receive("test", cap("hook-3", "Actual").as_bytes(), Utc::now())
        .await
        .expect("stored")
        .id();
    wait_for(&receiver, 1).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(receiver.requests.lock().expect("lock").len(), 1, "claimed once, refused, not retried");
    let record = store.delivery("wechat", id).await.expect("read").expect("claimed");
    assert_eq!(
        (record.state, record.attempts, record.last_error.as_deref()),
        (DeliveryState::Failed, 1, Some("HTTP 400 Bad Request"))
    );
}

#[test]
fn gateway_entries_are_checked() {
    let bad = GatewayConfig { name: "sms".into(), url: "not a url".into(), secret: SECRET.into() };
    assert!(bad.problem().is_some_and(|p| p.contains("not a URL")));
    let weak =
        GatewayConfig { name: "sms".into(), url: "https://gw.example.cn/".into(), secret: "short".into() };
    assert!(weak.problem().is_some_and(|p| p.contains("16")));
    assert!(!format!("{weak:?}").contains("short"), "the secret is redacted");
}

/// A replica killed mid-delivery leaves a claim that never finishes: another replica takes it
/// over once it has been silent for ten minutes and delivers it. A message accepted while no
/// worker listened (a replica behind the hub, or stopped between accepting and sending) is
/// sent by the sweep. Neither is sent twice.
#[tokio::test]
async fn a_delivery_left_by_a_stopped_replica_is_taken_over_and_a_missed_one_is_swept() {
    databases::on_each_backend("gateway_outbox", |store| async move {
        let (url, receiver) = start_receiver(Vec::new()).await;
        let gateway = || GatewayConfig { name: "broadcast".into(), url: url.clone(), secret: SECRET.into() };
        let ingest = safejdz_server::warnings::ingest::Ingest::new(store.clone(), Default::default());
        let now = Utc::now();

        // Replica A claimed the first warning twenty minutes ago and was killed before sending.
        let left =
            ingest.receive("test", cap("outbox-1", "Actual").as_bytes(), now).await.expect("stored").id();
        assert!(
            store
                .claim_delivery("broadcast", left, now - chrono::Duration::minutes(20))
                .await
                .expect("claim")
        );
        // The second arrived five minutes ago, when no worker listened.
        let missed = ingest
            .receive("test", cap("outbox-2", "Actual").as_bytes(), now - chrono::Duration::minutes(5))
            .await;
        let missed = missed.expect("stored").id();
        // A Test message is never swept out either.
        ingest
            .receive("test", cap("outbox-t", "Test").as_bytes(), now - chrono::Duration::minutes(5))
            .await
            .expect("stored");

        let replica_b =
            GatewayWorker::new(gateway(), store.clone(), "https://safe.example.cn".into(), policy());
        assert_eq!(replica_b.resume_stalled_at(now).await, 1, "the silent claim is taken over");
        assert_eq!(replica_b.send_missed_at(now).await, 1, "the unclaimed warning is sent");
        wait_for(&receiver, 2).await;
        for id in [left, missed] {
            let record = store.delivery("broadcast", id).await.expect("read").expect("claimed");
            assert_eq!(record.state, DeliveryState::Delivered, "message {id}");
        }

        // Replica C, sweeping after B: nothing is left, nothing is sent twice.
        let replica_c =
            GatewayWorker::new(gateway(), store.clone(), "https://safe.example.cn".into(), policy());
        assert_eq!(replica_c.resume_stalled_at(now + chrono::Duration::minutes(30)).await, 0);
        assert_eq!(replica_c.send_missed_at(now).await, 0);
        tokio::time::sleep(Duration::from_millis(100)).await;
        let bodies: Vec<String> =
            receiver.requests.lock().expect("lock").iter().map(|(_, b)| b.clone()).collect();
        assert_eq!(bodies.len(), 2, "each once");
        assert!(bodies.iter().all(|b| !b.contains("outbox-t")), "no Test message");
    })
    .await;
}
