//! Benchmark: time from `POST /api/v1/cap` to the SSE event on many open connections.
//!
//! `cargo bench -p safejdz-server --bench stream` (figures go to docs/BENCHMARKS.md; set
//! `SJDZ_BENCH_CONNECTIONS`, default 10000). Starts the real release server (`safejdz serve`)
//! as its own process on a fresh SQLite database, opens the connections from this process over
//! loopback, pushes five warnings one after another and, for each, measures on every connection
//! the time from just before the POST to the moment its `event: new` arrives.

use std::{
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
    sync::mpsc,
};

const TOKEN: &str = "bench-token";
const ROUNDS: usize = 5;

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
    }
}

fn cap(n: usize) -> String {
    let sent = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S+00:00");
    format!(
        r#"<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>bench-{n}</identifier>
  <sender>bench</sender><sent>{sent}</sent><status>Actual</status><msgType>Alert</msgType><scope>Public</scope>
  <info><language>zh-CN</language><category>Met</category><event>暴雨</event><urgency>Immediate</urgency>
  <severity>橙色</severity><certainty>Likely</certainty><headline>基准测试 {n}</headline>
  <area><areaDesc>昌江区</areaDesc><geocode><valueName>CPEAS Geographic Code</valueName><value>360202000000</value></geocode></area>
  </info></alert>"#
    )
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1]
}

fn main() {
    let connections: usize =
        std::env::var("SJDZ_BENCH_CONNECTIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000);
    let data = tempfile::tempdir().expect("temp dir");
    let port = 3900;
    let _server = Server(
        Command::new(env!("CARGO_BIN_EXE_safejdz"))
            .arg("serve")
            .env("SAFEJDZ_BIND", format!("127.0.0.1:{port}"))
            .env("SAFEJDZ_DATA_DIR", data.path())
            .env("SAFEJDZ_SITE_ROOT", data.path().join("site"))
            .env("SAFEJDZ_PUSH_TOKEN", TOKEN)
            .env("SAFEJDZ_LOG_FILTER", "warn")
            .stdout(Stdio::null())
            .spawn()
            .expect("server starts"),
    );
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    runtime.block_on(async move {
        let base = format!("http://127.0.0.1:{port}");
        let client = reqwest::Client::new();
        for _ in 0..100 {
            if client.get(format!("{base}/healthz")).send().await.is_ok_and(|r| r.status().is_success()) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }

        let (arrived, mut arrivals) = mpsc::unbounded_channel::<Instant>();
        let opened = Instant::now();
        let mut ready = Vec::with_capacity(connections);
        for _ in 0..connections {
            let arrived = arrived.clone();
            let (ready_tx, ready_rx) = tokio::sync::oneshot::channel();
            ready.push(ready_rx);
            tokio::spawn(async move {
                let mut stream = TcpStream::connect(("127.0.0.1", port)).await.expect("connect");
                stream
                    .write_all(b"GET /api/v1/alerts/stream HTTP/1.1\r\nHost: bench\r\nAccept: text/event-stream\r\n\r\n")
                    .await
                    .expect("request");
                let mut buffer = vec![0u8; 4096];
                let mut seen = String::new();
                let mut ready_tx = Some(ready_tx);
                loop {
                    let n = stream.read(&mut buffer).await.expect("read");
                    if n == 0 {
                        break;
                    }
                    let now = Instant::now();
                    seen.push_str(&String::from_utf8_lossy(&buffer[..n]));
                    if seen.contains("\r\n\r\n")
                        && let Some(tx) = ready_tx.take()
                    {
                        let _ = tx.send(());
                    }
                    while let Some(at) = seen.find("event: new") {
                        let _ = arrived.send(now);
                        seen.drain(..at + 10);
                    }
                    if seen.len() > 8192 {
                        seen.drain(..seen.len() - 64);
                    }
                }
            });
        }
        for rx in ready {
            rx.await.expect("stream opened");
        }
        println!("{connections} SSE connections open in {:.1} s", opened.elapsed().as_secs_f64());

        let mut all = Vec::new();
        for round in 0..ROUNDS {
            let started = Instant::now();
            let response =
                client.post(format!("{base}/api/v1/cap")).bearer_auth(TOKEN).body(cap(round)).send().await.expect("push");
            assert_eq!(response.status(), 201);
            let mut latencies = Vec::with_capacity(connections);
            while latencies.len() < connections {
                let at = tokio::time::timeout(Duration::from_secs(30), arrivals.recv())
                    .await
                    .expect("every connection hears within 30 s")
                    .expect("open");
                latencies.push(at.duration_since(started));
            }
            latencies.sort();
            println!(
                "round {}: p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms",
                round + 1,
                percentile(&latencies, 0.50).as_secs_f64() * 1000.0,
                percentile(&latencies, 0.99).as_secs_f64() * 1000.0,
                latencies.last().copied().unwrap_or_default().as_secs_f64() * 1000.0
            );
            all.extend(latencies);
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        all.sort();
        println!(
            "all rounds ({} events): p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms",
            all.len(),
            percentile(&all, 0.50).as_secs_f64() * 1000.0,
            percentile(&all, 0.99).as_secs_f64() * 1000.0,
            all.last().copied().unwrap_or_default().as_secs_f64() * 1000.0
        );
    });
}
