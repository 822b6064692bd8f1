//! `GET /api/v1/alerts/stream` over a real socket: pushed messages arrive as `new`, `updated`,
//! `ended` events in order; Test messages never do; a client resuming with Last-Event-ID gets
//! what it missed first, or `resync` when that is more than a replay holds; a message accepted
//! after a newer one was sent still arrives.

use crate::support::databases;

use std::time::Duration;

use chrono::Utc;
use safejdz_server::{
    config::Config, platform::store::Store, router::router, state::AppState, tasks::Tasks,
    warnings::ingest::Ingest,
};

const TOKEN: &str = "stream-test-token";

fn cap(identifier: &str, msg_type: &str, status: &str, references: &str, headline: &str) -> String {
    let sent = Utc::now().format("%Y-%m-%dT%H:%M:%S+00:00");
    let references =
        if references.is_empty() { String::new() } else { format!("<references>{references}</references>") };
    format!(
        r#"<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>{identifier}</identifier>
  <sender>36020041600000</sender><sent>{sent}</sent><status>{status}</status><msgType>{msg_type}</msgType>
  <scope>Public</scope>{references}
  <info><language>zh-CN</language><category>Met</category><event>暴雨</event><urgency>Immediate</urgency>
    <severity>橙色</severity><certainty>Likely</certainty><headline>{headline}</headline>
    <area><areaDesc>昌江区</areaDesc><geocode><valueName>CPEAS Geographic Code</valueName><value>360202000000</value></geocode></area>
  </info></alert>"#
    )
}

/// The `sender,identifier,sent` triple of a message built by [`cap`].
fn triple(xml: &str) -> String {
    let field = |name: &str| {
        let start = xml.find(&format!("<{name}>")).expect("field") + name.len() + 2;
        xml[start..].split('<').next().expect("value").to_owned()
    };
    format!("{},{},{}", field("sender"), field("identifier"), field("sent"))
}

struct Server {
    base: String,
    client: reqwest::Client,
    store: Store,
    ingest: Ingest,
    _tasks: Tasks,
    _data: tempfile::TempDir,
}

async fn server() -> Server {
    let (store, data) = databases::sqlite_store().await;
    let config = Config {
        push_token: Some(TOKEN.into()),
        site_root: data.path().join("no-site"),
        ..Config::default()
    };
    let state = AppState::new(config, store.clone());
    let ingest = state.warnings.ingest.clone();
    let tasks = Tasks::start(&state).await;
    let app = router(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    Server { base, client: reqwest::Client::new(), store, ingest, _tasks: tasks, _data: data }
}

impl Server {
    async fn push(&self, xml: &str) {
        let response = self
            .client
            .post(format!("{}/api/v1/cap", self.base))
            .bearer_auth(TOKEN)
            .body(xml.to_owned())
            .send()
            .await
            .expect("push");
        assert_eq!(response.status(), 201, "{}", response.text().await.unwrap_or_default());
    }

    async fn open_stream(&self, last_event_id: Option<&str>) -> Events {
        let mut request = self.client.get(format!("{}/api/v1/alerts/stream", self.base));
        if let Some(id) = last_event_id {
            request = request.header("Last-Event-ID", id);
        }
        let response = request.send().await.expect("stream");
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "text/event-stream");
        Events { response, buffer: String::new() }
    }
}

struct Events {
    response: reqwest::Response,
    buffer: String,
}

/// One server-sent event: (event name, id, data).
type Sse = (String, String, serde_json::Value);

impl Events {
    /// The next event with a name (comments and keep-alives skipped), within five seconds.
    async fn next(&mut self) -> Sse {
        tokio::time::timeout(Duration::from_secs(5), async {
            loop {
                if let Some(end) = self.buffer.find("\n\n") {
                    let block: String = self.buffer.drain(..end + 2).collect();
                    let field = |name: &str| {
                        block
                            .lines()
                            .find_map(|l| l.strip_prefix(&format!("{name}:")))
                            .map(|v| v.trim().to_owned())
                    };
                    if let Some(event) = field("event") {
                        let data =
                            serde_json::from_str(&field("data").unwrap_or_default()).expect("JSON data");
                        return (event, field("id").unwrap_or_default(), data);
                    }
                    continue;
                }
                let chunk = self.response.chunk().await.expect("read").expect("stream open");
                self.buffer.push_str(std::str::from_utf8(&chunk).expect("UTF-8"));
            }
        })
        .await
        .expect("an event within five seconds")
    }
}

#[tokio::test]
async fn pushed_warnings_arrive_as_new_updated_and_ended_events() {
    let server = server().await;
    let mut events = server.open_stream(None).await;

    let alert = cap("a-1", "Alert", "Actual", "", "暴雨橙色预警");
    server.push(&alert).await;
    let (name, first_id, data) = events.next().await;
    assert_eq!(name, "new");
    assert_eq!(data["headline"], "暴雨橙色预警");
    assert_eq!(data["colour"], "orange");
    assert_eq!(data["division_codes"], serde_json::json!(["360202000000"]));
    assert_eq!(data["id"].to_string(), first_id);

    // A Test message is stored but never announced to residents.
    server.push(&cap("t-1", "Alert", "Test", "", "测试")).await;

    let update = cap("a-2", "Update", "Actual", &triple(&alert), "暴雨红色预警");
    server.push(&update).await;
    let (name, _, data) = events.next().await;
    assert_eq!(
        (name.as_str(), data["headline"].as_str()),
        ("updated", Some("暴雨红色预警")),
        "the Test message was skipped"
    );

    server.push(&cap("a-3", "Cancel", "Actual", &triple(&update), "取消暴雨预警")).await;
    let (name, last_id, _) = events.next().await;
    assert_eq!(name, "ended");

    // A client that saw only the first event resumes and gets the update and the cancel.
    let mut resumed = server.open_stream(Some(&first_id)).await;
    assert_eq!(resumed.next().await.0, "updated");
    let (name, id, _) = resumed.next().await;
    assert_eq!((name.as_str(), id), ("ended", last_id));
}

/// Ids are taken on receipt and messages judged in any order (two replicas, or a message that
/// waited for recovery): a message with a lower id accepted after a higher one was sent must
/// still reach a stream that replayed the higher one.
#[tokio::test]
async fn a_message_accepted_after_a_newer_one_was_sent_still_reaches_the_stream() {
    let server = server().await;
    server.push(&cap("o-1", "Alert", "Actual", "", "第一条")).await;
    // Received (its id taken) but not judged yet, as by a replica that stopped mid-way.
    let late = cap("o-2", "Alert", "Actual", "", "迟到的一条");
    let sha = format!("{:x}", <sha2::Sha256 as sha2::Digest>::digest(late.as_bytes()));
    let late_id =
        server.store.insert_received("push", late.as_bytes(), &sha, Utc::now()).await.expect("stored");
    server.push(&cap("o-3", "Alert", "Actual", "", "第三条")).await;

    // A client that saw the first resumes: the replay has the third (the second is unjudged).
    let first_id = (late_id - 1).to_string();
    let mut events = server.open_stream(Some(&first_id)).await;
    let (_, id, data) = events.next().await;
    assert_eq!((id, data["headline"].as_str()), ((late_id + 1).to_string(), Some("第三条")));

    // Now the second is judged and accepted: it reaches the open stream although its id is lower.
    assert_eq!(server.ingest.recover().await.expect("judged"), 1);
    let (name, id, data) = events.next().await;
    assert_eq!(
        (name.as_str(), id, data["headline"].as_str()),
        ("new", late_id.to_string(), Some("迟到的一条"))
    );
}

/// A client that missed more than a replay holds gets what the replay holds, then `resync`.
#[tokio::test]
async fn a_replay_cut_short_ends_with_resync() {
    let server = server().await;
    for n in 0..257 {
        let xml = cap(&format!("r-{n}"), "Alert", "Actual", "", &format!("第{n}条"));
        let verdict = server.ingest.receive("push", xml.as_bytes(), Utc::now()).await.expect("received");
        assert!(!verdict.is_refused(), "{verdict:?}");
    }
    let mut events = server.open_stream(Some("0")).await;
    let mut replayed = 0;
    loop {
        let (name, _, _) = events.next().await;
        if name == "resync" {
            break;
        }
        replayed += 1;
    }
    assert_eq!(replayed, 256, "the replay holds 256 messages, then says resync");

    // One that missed less gets everything and no resync: the next event is live.
    let mut recent = server.open_stream(Some("250")).await;
    for _ in 251..=257 {
        assert_eq!(recent.next().await.0, "new");
    }
    server.push(&cap("r-live", "Alert", "Actual", "", "现场")).await;
    let (name, _, data) = recent.next().await;
    assert_eq!((name.as_str(), data["headline"].as_str()), ("new", Some("现场")));
}
