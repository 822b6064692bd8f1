//! The real server process: kill it (SIGKILL) in the middle of a burst of pushed messages,
//! restart it, and check that every acknowledged message is there exactly once and nothing is
//! left unjudged; and start it with no VAPID key, as `make run` does.

use std::{collections::HashMap, process::Stdio, time::Duration};

use safejdz_server::platform::store::Store;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
    process::{Child, Command},
    sync::mpsc,
};

const TOKEN: &str = "crash-test-token";

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

fn start(data_dir: &std::path::Path, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_safejdz"))
        .arg("serve")
        .env("SAFEJDZ_BIND", format!("127.0.0.1:{port}"))
        .env("SAFEJDZ_DATA_DIR", data_dir)
        .env("SAFEJDZ_PUSH_TOKEN", TOKEN)
        .env("SAFEJDZ_SITE_ROOT", data_dir.join("no-site"))
        .env("SAFEJDZ_LOG_FILTER", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("the server starts")
}

/// One HTTP/1.1 request on a fresh connection; the status and body, or `None` if the
/// connection broke (the server was killed).
async fn request(port: u16, method: &str, path: &str, body: &str) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await.ok()?;
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {TOKEN}\r\n\
         Content-Type: application/cap+xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.ok()?;
    stream.write_all(body.as_bytes()).await.ok()?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.ok()?;
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text.split_whitespace().nth(1)?.parse().ok()?;
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b.to_owned()).unwrap_or_default();
    Some((status, body))
}

async fn wait_until_healthy(port: u16) {
    for _ in 0..200 {
        if let Some((200, _)) = request(port, "GET", "/healthz", "").await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server did not become healthy");
}

fn message(n: usize) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>CRASH-{n}</identifier><sender>36020041600000</sender><sent>2026-07-04T10:00:00+08:00</sent>
  <status>Actual</status><msgType>Alert</msgType><scope>Public</scope>
  <info><category>Met</category><event>暴雨</event><urgency>Immediate</urgency><severity>Severe</severity>
    <certainty>Likely</certainty><area><areaDesc>昌江区</areaDesc></area></info>
</alert>"#
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_acknowledged_message_survives_a_kill_exactly_once() {
    let data = tempfile::tempdir().expect("data dir");
    let port = free_port();
    let mut server = start(data.path(), port);
    wait_until_healthy(port).await;

    // Eight senders push distinct messages until the server dies under them.
    let (acks, mut acked) = mpsc::unbounded_channel::<(usize, u16)>();
    let mut senders = Vec::new();
    for sender in 0..8 {
        let acks = acks.clone();
        senders.push(tokio::spawn(async move {
            for round in 0..10_000 {
                let n = round * 8 + sender;
                match request(port, "POST", "/api/v1/cap", &message(n)).await {
                    Some((status, _)) if status == 201 || status == 200 => {
                        let _ = acks.send((n, status));
                    }
                    Some((status, body)) => panic!("message {n}: unexpected {status}: {body}"),
                    None => return,
                }
            }
        }));
    }
    drop(acks);
    let mut acknowledged = HashMap::new();
    while acknowledged.len() < 200 {
        let (n, status) = acked.recv().await.expect("senders are running");
        acknowledged.insert(n, status);
    }
    server.start_kill().expect("SIGKILL");
    server.wait().await.expect("the server died");
    for sender in senders {
        sender.await.expect("sender task");
    }
    while let Ok((n, status)) = acked.try_recv() {
        acknowledged.insert(n, status);
    }

    // Restart: the server judges what was stored but not judged, then serves again.
    let mut server = start(data.path(), port);
    wait_until_healthy(port).await;
    for n in acknowledged.keys() {
        let (status, body) = request(port, "POST", "/api/v1/cap", &message(*n)).await.expect("answered");
        assert_eq!(
            status, 200,
            "message {n} was acknowledged before the kill, so it is a duplicate now: {body}"
        );
    }
    server.start_kill().expect("SIGKILL");
    server.wait().await.expect("stopped");

    let store = Store::open(None, data.path()).await.expect("the database opens");
    assert!(
        store.unjudged_messages(chrono::Utc::now()).await.expect("read").is_empty(),
        "nothing left unjudged"
    );
    let alerts = store.accepted_alerts_since(chrono::DateTime::UNIX_EPOCH).await.expect("read");
    let mut copies: HashMap<String, usize> = HashMap::new();
    for stored in &alerts {
        *copies.entry(stored.alert.identifier.clone()).or_default() += 1;
    }
    for n in acknowledged.keys() {
        assert_eq!(copies.get(&format!("CRASH-{n}")), Some(&1), "message {n} is stored exactly once");
    }
    assert!(copies.values().all(|&count| count == 1), "no message is stored twice");
}

/// With no VAPID key configured, `serve` makes one, keeps it in the data directory and offers
/// notifications; after a restart it uses the same key.
#[tokio::test]
async fn a_server_without_a_vapid_key_makes_one_keeps_it_and_offers_notifications() {
    let data = tempfile::tempdir().expect("temp dir");
    let key_file = data.path().join(safejdz_server::notify::webpush::kept_key::KEY_FILE);
    let port = free_port();
    let mut server = start(data.path(), port);
    wait_until_healthy(port).await;
    let kept = std::fs::read_to_string(&key_file).expect("the key is kept in the data directory");
    let (status, page) = request(port, "GET", "/settings", "").await.expect("answered");
    assert_eq!(status, 200);
    assert!(page.contains("预警通知"), "the notifications panel is there");
    assert!(!page.contains("本服务器暂未开通通知"), "notifications are on: {page}");
    server.start_kill().expect("SIGKILL");
    server.wait().await.expect("stopped");

    let mut server = start(data.path(), port);
    wait_until_healthy(port).await;
    assert_eq!(std::fs::read_to_string(&key_file).expect("still kept"), kept, "the same key after a restart");
    server.start_kill().expect("SIGKILL");
    server.wait().await.expect("stopped");
}
