//! Benchmark: what the decoded-alerts cache saves on every page, feed, API call and live
//! refetch. `cargo bench -p safejdz-server --bench recent` (figures go to docs/BENCHMARKS.md;
//! `SJDZ_BENCH_ALERTS` sets how many accepted messages the 30-day window holds, default 300).
//! On a fresh SQLite database it times `alerts::active` (what `/`, `/api/v1/alerts`, the Atom
//! feed and GeoJSON ask) with a cache that must read and decode every time (a new
//! `RecentAlerts` per call, as every call did before the cache) and with one shared cache at an
//! unchanged version (what calls between two acceptances get).

use std::time::Instant;

use chrono::Utc;
use safejdz_server::{
    platform::store::Store,
    warnings::{alerts, ingest::Ingest, recent::RecentAlerts},
};

#[path = "support/report.rs"]
mod report;
use report::report;

const CALLS: usize = 200;

fn cap(n: usize) -> String {
    let sent = (Utc::now() - chrono::Duration::minutes(n as i64)).format("%Y-%m-%dT%H:%M:%S+00:00");
    // A realistic message: two languages, a polygon of 60 points and a geocode.
    let ring: String = (0..60)
        .map(|i| {
            let a = i as f64 / 60.0 * std::f64::consts::TAU;
            format!("{:.6},{:.6} ", 29.3 + 0.1 * a.sin(), 117.2 + 0.1 * a.cos())
        })
        .collect();
    let info = |lang: &str, headline: &str| {
        format!(
            "<info><language>{lang}</language><category>Met</category><event>暴雨</event><urgency>Immediate</urgency>\
             <severity>橙色</severity><certainty>Likely</certainty><headline>{headline} {n}</headline>\
             <description>{}</description><instruction>{}</instruction>\
             <area><areaDesc>昌江区</areaDesc><polygon>{ring}29.3,117.3</polygon>\
             <geocode><valueName>CPEAS Geographic Code</valueName><value>360202000000</value></geocode></area></info>",
            "预计未来6小时内降雨量将达50毫米以上。".repeat(4),
            "做好防暴雨准备；注意道路积水和交通阻塞。".repeat(4),
        )
    };
    format!(
        r#"<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>recent-{n}</identifier>
  <sender>bench</sender><sent>{sent}</sent><status>Actual</status><msgType>Alert</msgType><scope>Public</scope>{}{}</alert>"#,
        info("zh-CN", "暴雨橙色预警"),
        info("en", "Orange rainstorm warning"),
    )
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let count: usize = std::env::var("SJDZ_BENCH_ALERTS").ok().and_then(|v| v.parse().ok()).unwrap_or(300);
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(None, dir.path()).await.expect("store");
    let ingest = Ingest::new(store.clone(), Default::default());
    for n in 0..count {
        let verdict = ingest.receive("bench", cap(n).as_bytes(), Utc::now()).await.expect("stored");
        assert!(!verdict.is_refused(), "{verdict:?}");
    }
    let lifetime = chrono::Duration::hours(24);
    println!("{count} accepted messages in the window (two languages, a 60-point polygon each)");

    let mut cold = Vec::with_capacity(CALLS);
    for _ in 0..CALLS {
        let fresh = RecentAlerts::new(store.clone(), ingest.accepted_version());
        let start = Instant::now();
        let views = alerts::active(&fresh, Utc::now(), lifetime).await.expect("read");
        cold.push(start.elapsed());
        assert_eq!(views.len(), count);
    }
    report("read and decode every call (before the cache)", cold);

    let shared = RecentAlerts::new(store.clone(), ingest.accepted_version());
    alerts::active(&shared, Utc::now(), lifetime).await.expect("first read");
    let mut warm = Vec::with_capacity(CALLS);
    for _ in 0..CALLS {
        let start = Instant::now();
        let views = alerts::active(&shared, Utc::now(), lifetime).await.expect("read");
        warm.push(start.elapsed());
        assert_eq!(views.len(), count);
    }
    report("from the cache (nothing accepted since)", warm);
}
