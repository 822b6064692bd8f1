//! Benchmark: Web Push targeting and sending.
//!
//! `cargo bench -p safejdz-server --bench push` (figures go to docs/BENCHMARKS.md).
//! 1. Matching one warning against 1,000,000 subscriptions (one core): the places of real
//!    subscriptions are the city's divisions and ~1 km cells, so the subscriptions are spread
//!    over the 782 divisions and the cells of the city's bounding box; levels vary.
//! 2. The same read from a SQLite file holding the 1,000,000 rows, as the fan-out pages through
//!    them (read + match, no sending).
//! 3. Pushes encrypted (RFC 8291), signed (VAPID, cached per push service) and delivered per
//!    second to a loopback push service in the same process (both on this machine's 2 cores),
//!    through the real fan-out: claim, page through subscriptions, match, 256 in flight.

use std::{
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use axum::{Router, http::StatusCode, routing::post};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::Utc;
use p256::{SecretKey, elliptic_curve::sec1::ToEncodedPoint};
use safejdz_app::domain::{
    boundaries,
    cap::{Alert, ParseOptions, parse_alert},
    divisions,
    geo::DivisionCode,
    notifications::{NotifyLevels, WarningTargets},
};
use safejdz_server::{
    config::Config,
    notify::{
        retry::RetryPolicy,
        webpush::{PushServices, WebPush, vapid::Vapid},
    },
    platform::store::Store,
    state::AppState,
    warnings::hub::event_for,
};

const SUBSCRIPTIONS: usize = 1_000_000;

/// A small deterministic generator (no rand dependency in the figures' reproduction).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

/// Place lists as subscriptions hold them: 70 % one division, 20 % one ~1 km cell, 10 % a
/// division and a cell.
fn place_lists(count: usize) -> Vec<(String, NotifyLevels)> {
    let register = divisions::jingdezhen();
    let mut codes = Vec::new();
    let mut parents = vec![DivisionCode::parse("360200").expect("city code")];
    while let Some(parent) = parents.pop() {
        for child in register.children(&parent) {
            codes.push(child.code.as_str().to_owned());
            parents.push(child.code);
        }
    }
    let mut random = Lcg(7);
    let cell = |random: &mut Lcg| {
        // The city's bounding box, about 28.7–29.9 N, 116.9–117.8 E, in 0.01° cells.
        let lat = 28.70 + (random.next() % 120) as f64 / 100.0;
        let lon = 116.90 + (random.next() % 90) as f64 / 100.0;
        format!("p{lat:.2}_{lon:.2}")
    };
    (0..count)
        .map(|_| {
            let roll = random.next() % 10;
            let code = codes[(random.next() as usize) % codes.len()].clone();
            let places = match roll {
                0..=6 => code,
                7 | 8 => cell(&mut random),
                _ => format!("{code}~{}", cell(&mut random)),
            };
            let levels = match random.next() % 4 {
                0 => NotifyLevels::NONE.with(safejdz_app::domain::cap::ColourLevel::Red),
                _ => NotifyLevels::ALL,
            };
            (places, levels)
        })
        .collect()
}

fn warning(name: &str, area: &str) -> Alert {
    let sent = Utc::now().format("%Y-%m-%dT%H:%M:%S+00:00");
    let xml = format!(
        r#"<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>bench-{name}-{}</identifier>
  <sender>36020041600000</sender><sent>{sent}</sent><status>Actual</status><msgType>Alert</msgType><scope>Public</scope>
  <info><language>zh-CN</language><category>Met</category><event>暴雨</event><urgency>Immediate</urgency>
    <severity>Extreme</severity><certainty>Likely</certainty><headline>暴雨红色预警</headline>
    <area><areaDesc>{name}</areaDesc>{area}</area></info></alert>"#,
        Utc::now().timestamp_nanos_opt().unwrap_or_default()
    );
    parse_alert(xml.as_bytes(), &ParseOptions::default()).expect("bench alert parses").alert
}

fn geocode(code: &str) -> String {
    format!("<geocode><valueName>CPEAS Geographic Code</valueName><value>{code}</value></geocode>")
}

fn warnings() -> Vec<(&'static str, Alert)> {
    vec![
        ("county geocode (昌江区)", warning("昌江区", &geocode("360202000000"))),
        ("city-wide geocode", warning("全市", &geocode("360200000000"))),
        (
            "polygon (~15 km box)",
            warning(
                "box",
                "<polygon>29.20,117.10 29.20,117.25 29.35,117.25 29.35,117.10 29.20,117.10</polygon>",
            ),
        ),
        ("circle 10 km", warning("circle", "<circle>29.30,117.20 10</circle>")),
    ]
}

fn main() {
    let subscriptions = place_lists(SUBSCRIPTIONS);
    println!("{SUBSCRIPTIONS} subscriptions over divisions and ~1 km cells");
    for (name, alert) in warnings() {
        let mut best = Duration::MAX;
        let mut matched = 0;
        for _ in 0..5 {
            let started = Instant::now();
            let mut targets = WarningTargets::new(&alert, boundaries::jingdezhen());
            matched =
                subscriptions.iter().filter(|(places, levels)| targets.concerns(places, *levels)).count();
            best = best.min(started.elapsed());
        }
        println!(
            "matching in memory, {name}: {matched} matched in {:.1} ms (best of 5)",
            best.as_secs_f64() * 1e3
        );
    }

    // Encryption alone (fresh key pair and salt per message, as sent), one core.
    let browser = SecretKey::random(&mut rand_core::OsRng);
    let keys = safejdz_server::notify::webpush::encryption::ReceiverKeys {
        public: browser.public_key(),
        auth: [9; 16],
    };
    let payload = vec![b'x'; 400];
    let started = Instant::now();
    let mut encrypted = 0u32;
    while started.elapsed() < Duration::from_secs(2) {
        let _ = std::hint::black_box(safejdz_server::notify::webpush::encryption::encrypt(&payload, &keys));
        encrypted += 1;
    }
    println!(
        "RFC 8291 encryption alone: {:.0} messages/s on one core",
        f64::from(encrypted) / started.elapsed().as_secs_f64()
    );

    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    runtime.block_on(async {
        // The million-row SQLite part takes minutes; SJDZ_BENCH_SKIP_STORED=1 leaves it out.
        if std::env::var_os("SJDZ_BENCH_SKIP_STORED").is_none() {
            stored(&subscriptions).await;
        }
        sending().await;
    });
}

/// Writes subscriptions straight into the store's SQLite file, in large transactions: through
/// the store one by one (each durable on its own) a million would take hours, and how fast
/// they are written is not what is measured here.
async fn bulk_insert(
    dir: &std::path::Path,
    rows: impl Iterator<Item = (String, String, String, String)>,
    public: &str,
    auth: &str,
) {
    use sqlx::{Connection, sqlite::SqliteConnection};
    let url = format!("sqlite://{}", dir.join(safejdz_server::platform::store::SQLITE_FILE_NAME).display());
    let mut connection = SqliteConnection::connect(&url).await.expect("open the store's file");
    let mut transaction = connection.begin().await.expect("begin");
    for (n, (token, endpoint, places, levels)) in rows.enumerate() {
        sqlx::query(
            "INSERT INTO push_subscriptions (token, endpoint, p256dh, auth, places, levels, lang, created_at, updated_at) \
             VALUES (?, ?, ?, ?, ?, ?, 'zh-CN', 0, 0)",
        )
        .bind(token)
        .bind(endpoint)
        .bind(public)
        .bind(auth)
        .bind(places)
        .bind(levels)
        .execute(&mut *transaction)
        .await
        .expect("insert");
        if n % 100_000 == 99_999 {
            transaction.commit().await.expect("commit");
            transaction = connection.begin().await.expect("begin");
        }
    }
    transaction.commit().await.expect("commit");
}

async fn stored(subscriptions: &[(String, NotifyLevels)]) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(None, dir.path()).await.expect("store");
    let started = Instant::now();
    let (public, auth) = receiver_keys(&SecretKey::random(&mut rand_core::OsRng));
    bulk_insert(
        dir.path(),
        subscriptions.iter().enumerate().map(|(i, (places, levels))| {
            (
                format!("t{i}"),
                format!("https://fcm.googleapis.com/fcm/send/{i}"),
                places.clone(),
                levels.to_text(),
            )
        }),
        &public,
        &auth,
    )
    .await;
    println!(
        "stored {} subscriptions in SQLite in {:.0} s",
        store.count_push_subscriptions().await.expect("count"),
        started.elapsed().as_secs_f64()
    );
    for (name, alert) in warnings() {
        let started = Instant::now();
        let mut targets = WarningTargets::new(&alert, boundaries::jingdezhen());
        let (mut after, mut matched, mut read) = (0, 0, 0);
        loop {
            let page = store.push_subscriptions_after(after, 5_000).await.expect("page");
            let Some(last) = page.last() else { break };
            after = last.id;
            read += page.len();
            matched += page
                .iter()
                .filter(|s| targets.concerns(&s.places, NotifyLevels::parse(&s.levels).unwrap_or_default()))
                .count();
        }
        println!(
            "read from SQLite + match, {name}: {read} read, {matched} matched in {:.0} ms",
            started.elapsed().as_secs_f64() * 1e3
        );
    }
    store.close().await;
}

fn receiver_keys(secret: &SecretKey) -> (String, String) {
    (
        URL_SAFE_NO_PAD.encode(secret.public_key().to_encoded_point(false).as_bytes()),
        URL_SAFE_NO_PAD.encode([9u8; 16]),
    )
}

async fn sending() {
    const PUSHES: usize = 50_000;
    let received = Arc::new(AtomicUsize::new(0));
    let counter = received.clone();
    let app = Router::new().route(
        "/push/{n}",
        post(move || {
            let counter = counter.clone();
            async move {
                counter.fetch_add(1, Ordering::Relaxed);
                StatusCode::CREATED
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(async move { axum::serve(listener, app).await });

    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(None, dir.path()).await.expect("store");
    let state =
        AppState::new(Config { site_root: dir.path().join("no-site"), ..Config::default() }, store.clone());
    let (public, auth) = receiver_keys(&SecretKey::random(&mut rand_core::OsRng));
    bulk_insert(
        dir.path(),
        (0..PUSHES).map(|i| {
            (format!("t{i}"), format!("{base}/push/{i}"), "360202001".into(), "red,orange,yellow,blue".into())
        }),
        &public,
        &auth,
    )
    .await;
    let (private, _) = Vapid::generate();
    let web_push = WebPush::new(
        Vapid::new(&private, "mailto:bench@example.org").expect("keys"),
        PushServices::new(std::slice::from_ref(&base)),
        store.clone(),
        RetryPolicy::default(),
    );
    let xml = format!(
        r#"<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>bench-send</identifier>
  <sender>36020041600000</sender><sent>{}</sent><status>Actual</status><msgType>Alert</msgType><scope>Public</scope>
  <info><language>zh-CN</language><category>Met</category><event>暴雨</event><urgency>Immediate</urgency>
    <severity>Extreme</severity><certainty>Likely</certainty><headline>暴雨红色预警</headline>
    <area><areaDesc>昌江区</areaDesc>{}</area></info></alert>"#,
        Utc::now().format("%Y-%m-%dT%H:%M:%S+00:00"),
        geocode("360202000000")
    );
    let stored = state.warnings.ingest.receive("bench", xml.as_bytes(), Utc::now()).await.expect("stored");
    let id = stored.id();
    let alert = store.accepted_alert(id).await.expect("read").expect("accepted").alert;
    let event = event_for(id, &alert).expect("an event");
    let started = Instant::now();
    let counts = web_push.fan_out(&event).await.expect("claimed here");
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "web push: {} delivered of {} matched in {seconds:.2} s = {:.0} pushes/s (receiver counted {})",
        counts.delivered,
        counts.matched,
        counts.delivered as f64 / seconds,
        received.load(Ordering::Relaxed)
    );
}
