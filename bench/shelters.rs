//! Benchmark: finding shelters. `cargo bench -p safejdz-server --bench shelters` (figures go to
//! docs/BENCHMARKS.md). Times the domain's `nearest` (10 of 10,000 shelters spread over the
//! city, on the sphere, with and without a filter) on one core, and `/shelters?at=…` page
//! requests in-process (the register read from SQLite, the list and map rendered) with a
//! register of 300 and of 10,000 shelters.

use std::time::Instant;

use axum::{body::Body, http::Request};
use chrono::Utc;
use safejdz_app::domain::{
    cap::Point,
    geo::DivisionCode,
    shelters::{
        Facility, Freshness, Purpose, Shelter, ShelterFilter, ShelterId, ShelterLevel, SpaceType, Stay,
        nearest,
    },
};
use safejdz_server::{config::Config, platform::store::Store, router::router, state::AppState};
use tower::ServiceExt;

#[path = "support/report.rs"]
mod report;
use report::report;

/// A deterministic spread of `count` shelters over the city's box (28.8–29.9 N, 116.9–117.6 E).
fn register(count: usize) -> Vec<Shelter> {
    let mut seed: u64 = 0x5eed;
    let mut next = move || {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 11) as f64 / (1u64 << 53) as f64
    };
    (0..count)
        .map(|n| Shelter {
            id: ShelterId::parse(&format!("bench-{n:05}")).expect("an id"),
            name_zh: format!("基准避难场所 {n}（示例）"),
            name_en: None,
            level: ShelterLevel::Township,
            space: if n % 3 == 0 { SpaceType::Indoor } else { SpaceType::Outdoor },
            purpose: Purpose::Comprehensive,
            stay: Stay::Emergency,
            capacity: 500,
            area_m2: 2000,
            facilities: if n % 2 == 0 { vec![Facility::AccessibleEntrance] } else { Vec::new() },
            hazards: Vec::new(),
            address_zh: "基准地址（示例）".into(),
            address_en: None,
            division: DivisionCode::parse("360203").expect("a code"),
            position: Point { lat: 28.8 + 1.1 * next(), lon: 116.9 + 0.7 * next() },
            contact: None,
            hours: "24 小时".into(),
            sample: true,
            position_source: None,
        })
        .collect()
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let shelters = register(10_000);
    let with_status: Vec<_> = shelters.iter().cloned().map(|s| (s, None)).collect();
    let now = Utc::now();
    let queries: Vec<Point> =
        (0..1000).map(|i| Point { lat: 29.0 + 0.0008 * i as f64, lon: 117.0 + 0.0005 * i as f64 }).collect();
    for (name, filter) in [
        ("nearest 10 of 10,000, no filter", ShelterFilter::default()),
        ("nearest 10 of 10,000, accessible only", ShelterFilter { accessible: true, ..Default::default() }),
    ] {
        let times = queries
            .iter()
            .map(|from| {
                let started = Instant::now();
                let found = nearest(&with_status, *from, &filter, Freshness::at(now), 10);
                let took = started.elapsed();
                assert_eq!(found.len(), 10);
                took
            })
            .collect();
        report(name, times);
    }

    for count in [300, 10_000] {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(None, dir.path()).await.expect("store");
        store.import_shelters(&shelters[..count], now).await.expect("stored");
        let config = Config { site_root: dir.path().join("none"), ..Config::default() };
        let app = router(AppState::new(config, store));
        let runs = if count > 1000 { 30 } else { 200 };
        let started = Instant::now();
        let mut times = Vec::with_capacity(runs);
        for i in 0..runs {
            let uri = format!("/shelters?at={:.2},{:.2}", 29.2 + 0.01 * (i % 10) as f64, 117.2);
            let one = Instant::now();
            let response = app.clone().oneshot(Request::get(uri).body(Body::empty()).expect("request")).await;
            assert!(response.expect("answer").status().is_success());
            times.push(one.elapsed());
        }
        let per_second = runs as f64 / started.elapsed().as_secs_f64();
        report(&format!("GET /shelters?at=… ({count} shelters), {per_second:.0} requests/s"), times);
    }
}
