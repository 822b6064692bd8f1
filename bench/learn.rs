//! Benchmark: the library. `cargo bench -p safejdz-server --bench learn` (figures go to
//! docs/BENCHMARKS.md). Times reading and checking every article file with its Markdown
//! rendered (what start-up pays), search queries over each language's index (Chinese
//! bigrams, English stems) on one core, and `/learn?q=…` and `/learn/{slug}` page requests
//! in-process.

use std::time::Instant;

use axum::{body::Body, http::Request};
use safejdz_app::domain::preferences::Lang;
use safejdz_server::{
    config::Config,
    learn::{Shelf, articles},
    platform::store::Store,
    router::router,
    state::AppState,
};
use tower::ServiceExt;

#[path = "support/report.rs"]
mod report;
use report::report;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let times = (0..20)
        .map(|_| {
            let started = Instant::now();
            let library = articles::shipped().expect("the shipped library");
            let shelf = Shelf::new(library);
            let took = started.elapsed();
            assert!(shelf.library.len() >= 40);
            took
        })
        .collect();
    report("read, check, render and index every article", times);

    let shelf = Shelf::new(articles::shipped().expect("the shipped library"));
    for (lang, queries) in [
        (Lang::ZhCn, ["地震", "内涝 下穿通道", "燃气泄漏", "心肺复苏", "雷电 户外", "老人"]),
        (Lang::En, ["earthquake", "flooded underpass", "gas leak", "CPR", "lightning outdoors", "elderly"]),
    ] {
        let index = &shelf.indexes[&lang];
        let times = (0..200)
            .flat_map(|_| queries.iter())
            .map(|query| {
                let started = Instant::now();
                let hits = index.search(query, 20);
                let took = started.elapsed();
                assert!(!hits.is_empty(), "{query} finds something");
                took
            })
            .collect();
        report(&format!("search, {} ({} queries)", lang.tag(), queries.len()), times);
    }

    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(None, dir.path()).await.expect("store");
    let config = Config { site_root: dir.path().join("none"), ..Config::default() };
    let app = router(AppState::new(config, store));
    for (name, uri) in [
        ("GET /learn?q=内涝 (zh-CN)", "/learn?q=%E5%86%85%E6%B6%9D"),
        ("GET /learn/floods-waterlogging (zh-CN)", "/learn/floods-waterlogging"),
    ] {
        let runs = 200;
        let started = Instant::now();
        let mut times = Vec::with_capacity(runs);
        for _ in 0..runs {
            let one = Instant::now();
            let response = app.clone().oneshot(Request::get(uri).body(Body::empty()).expect("request")).await;
            assert!(response.expect("answer").status().is_success());
            times.push(one.elapsed());
        }
        let per_second = runs as f64 / started.elapsed().as_secs_f64();
        report(&format!("{name}, {per_second:.0} requests/s"), times);
    }
}
