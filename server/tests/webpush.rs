//! Web Push end to end, against a local push receiver that plays the push service and the
//! browser: it checks the VAPID token and the headers, decrypts each message with the
//! subscriber's private key (RFC 8291) and keeps the JSON the service worker would show.

#[path = "support/databases.rs"]
mod databases;

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{
    Router,
    body::Bytes,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::IntoResponse,
    routing::post,
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::Utc;
use p256::{SecretKey, elliptic_curve::sec1::ToEncodedPoint};
use safejdz_app::{
    alerts::{NewSubscription, PushBackend, PushRefusal},
    domain::notifications::NotifyLevels,
};
use safejdz_server::{
    config::Config,
    delivery::{
        RetryPolicy,
        webpush::{NotificationPayload, PushServices, WebPush, encryption, vapid},
    },
    http::AppState,
    storage::Store,
};

/// One browser: its key pair and auth secret, as `PushManager.subscribe` makes them.
#[derive(Clone)]
struct Browser {
    secret: SecretKey,
    auth: [u8; 16],
}

impl Browser {
    fn new(seed: u8) -> Browser {
        Browser { secret: SecretKey::random(&mut rand_core::OsRng), auth: [seed; 16] }
    }

    fn p256dh(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.secret.public_key().to_encoded_point(false).as_bytes())
    }
}

#[derive(Clone, Default)]
struct PushService {
    /// (browser number, headers, decrypted payload)
    received: Arc<Mutex<Vec<(usize, HeaderMap, NotificationPayload)>>>,
    browsers: Arc<Mutex<Vec<Browser>>>,
    /// Statuses to answer per browser number, in order; 201 once they run out.
    script: Arc<Mutex<Vec<(usize, u16)>>>,
    public_key: Arc<Mutex<String>>,
}

async fn push(
    State(service): State<PushService>,
    Path(browser): Path<usize>,
    headers: HeaderMap,
    body: Bytes,
) -> impl IntoResponse {
    let scripted = {
        let mut script = service.script.lock().expect("lock");
        script.iter().position(|(b, _)| *b == browser).map(|i| script.remove(i).1)
    };
    if let Some(status) = scripted {
        let mut response = StatusCode::from_u16(status).expect("status").into_response();
        if status == 429 {
            response.headers_mut().insert("retry-after", "1".parse().expect("header"));
        }
        return response;
    }
    // What a push service checks: a VAPID token for our origin, signed by the key the
    // subscription was made with; a TTL; the content coding.
    let authorization = headers["authorization"].to_str().expect("ascii");
    let token = vapid::verify_authorization(authorization).expect("VAPID token verifies");
    assert!(token.audience.starts_with("http://127.0.0.1:"), "aud is the push service origin");
    assert_eq!(token.subject, "mailto:yjj@example.org");
    assert_eq!(token.public_key, *service.public_key.lock().expect("lock"));
    assert_eq!(headers["content-encoding"], "aes128gcm");
    assert!(headers["ttl"].to_str().expect("ascii").parse::<u64>().expect("number") > 0);
    assert_eq!(headers["topic"].len(), 32);
    // What the browser does: decrypt with its own key.
    let keys = service.browsers.lock().expect("lock")[browser].clone();
    let plaintext =
        encryption::decrypt(&body, &keys.secret, &keys.auth).expect("decrypts with the browser's key");
    let payload: NotificationPayload = serde_json::from_slice(&plaintext).expect("the service worker's JSON");
    service.received.lock().expect("lock").push((browser, headers, payload));
    StatusCode::CREATED.into_response()
}

struct Fixture {
    state: AppState,
    store: Store,
    web_push: WebPush,
    service: PushService,
    base: String,
    _data: tempfile::TempDir,
}

async fn fixture() -> Fixture {
    fixture_with(true).await
}

/// `listening`: the sender fans out the hub's events (false: only what the test calls).
async fn fixture_with(listening: bool) -> Fixture {
    let (store, data) = databases::sqlite_store().await;
    let service = PushService::default();
    let app = Router::new().route("/push/{browser}", post(push)).with_state(service.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(async move { axum::serve(listener, app).await });

    let state =
        AppState::new(Config { site_root: data.path().join("no-site"), ..Config::default() }, store.clone());
    let (private, public) = vapid::Vapid::generate();
    *service.public_key.lock().expect("lock") = public;
    let web_push = WebPush::new(
        vapid::Vapid::new(&private, "mailto:yjj@example.org").expect("keys"),
        PushServices::new(std::slice::from_ref(&base)),
        store.clone(),
        RetryPolicy {
            attempts: 3,
            first_delay: Duration::from_millis(20),
            max_delay: Duration::from_millis(1500),
        },
    );
    if listening {
        web_push.spawn(&state.hub);
    }
    Fixture { state, store, web_push, service, base, _data: data }
}

impl Fixture {
    /// Subscribes browser number `n` with `places` (cookie form) and `levels`; its token.
    async fn subscribe(&self, n: usize, places: &str, levels: NotifyLevels, lang: &str) -> String {
        let browser = Browser::new(n as u8 + 1);
        let new = NewSubscription {
            endpoint: format!("{}/push/{n}", self.base),
            p256dh: browser.p256dh(),
            auth: URL_SAFE_NO_PAD.encode(browser.auth),
            places: places.into(),
            levels,
            lang: lang.into(),
        };
        {
            let mut browsers = self.service.browsers.lock().expect("lock");
            assert_eq!(browsers.len(), n, "browsers subscribe in order");
            browsers.push(browser.clone());
        }
        self.web_push.subscribe(new).await.expect("subscribed")
    }

    async fn receive(&self, xml: &str) -> i64 {
        self.receive_at(xml, Utc::now()).await
    }

    async fn receive_at(&self, xml: &str, received: chrono::DateTime<Utc>) -> i64 {
        self.state.ingest.receive("test", xml.as_bytes(), received).await.expect("stored").id()
    }

    /// Waits until the fan-out of message `id` has finished; its counts.
    async fn fanout(&self, id: i64) -> safejdz_server::storage::push_subscriptions::FanoutCounts {
        for _ in 0..300 {
            if let Some(counts) = self.store.push_fanout(id).await.expect("read") {
                return counts;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("the fan-out of {id} did not finish");
    }

    fn received(&self) -> Vec<(usize, HeaderMap, NotificationPayload)> {
        self.service.received.lock().expect("lock").clone()
    }
}

fn cap(identifier: &str, msg_type: &str, references: &str, colour: &str, code: &str, status: &str) -> String {
    let sent = Utc::now().format("%Y-%m-%dT%H:%M:%S+00:00");
    let references =
        if references.is_empty() { String::new() } else { format!("<references>{references}</references>") };
    format!(
        r#"<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>{identifier}</identifier>
  <sender>36020041600000</sender><sent>{sent}</sent><status>{status}</status><msgType>{msg_type}</msgType><scope>Public</scope>{references}
  <info><language>zh-CN</language><category>Met</category><event>暴雨</event><urgency>Immediate</urgency>
    <severity>{colour}色</severity><certainty>Likely</certainty><headline>暴雨{colour}色预警 {identifier}</headline>
    <area><areaDesc>昌江区</areaDesc><geocode><valueName>CPEAS Geographic Code</valueName><value>{code}</value></geocode></area>
  </info>
  <info><language>en-US</language><category>Met</category><event>Rainstorm</event><urgency>Immediate</urgency>
    <severity>Severe</severity><certainty>Likely</certainty><headline>Rainstorm warning {identifier}</headline>
    <area><areaDesc>Changjiang District</areaDesc><geocode><valueName>CPEAS Geographic Code</valueName><value>{code}</value></geocode></area>
  </info></alert>"#
    )
}

fn sent_of(xml: &str) -> String {
    xml.split("<sent>").nth(1).and_then(|r| r.split('<').next()).expect("sent").to_owned()
}

#[tokio::test]
async fn each_concerned_device_gets_one_notification_in_its_language_and_an_update_replaces_it() {
    let f = fixture().await;
    // 0: a village in 昌江区 (zh-CN); 1: 乐平市 (elsewhere); 2: 昌江区 in English, red only;
    // 3: 昌江区 township and a 1 km cell, English, all levels.
    f.subscribe(0, "360202001001", NotifyLevels::ALL, "zh-CN").await;
    f.subscribe(1, "360281000000", NotifyLevels::ALL, "zh-CN").await;
    f.subscribe(2, "360202001", NotifyLevels::NONE.with(safejdz_app::domain::cap::ColourLevel::Red), "en")
        .await;
    f.subscribe(3, "360202001~p29.30_117.20", NotifyLevels::ALL, "en").await;

    let first = cap("rain-1", "Alert", "", "橙", "360202000000", "Actual");
    let first_id = f.receive(&first).await;
    let counts = f.fanout(first_id).await;
    assert_eq!((counts.matched, counts.delivered, counts.removed, counts.failed), (2, 2, 0, 0));
    let received = f.received();
    let mut browsers: Vec<usize> = received.iter().map(|(b, _, _)| *b).collect();
    browsers.sort_unstable();
    assert_eq!(browsers, [0, 3], "only the places in 昌江区 and the levels chosen");
    let chinese = &received.iter().find(|(b, _, _)| *b == 0).expect("browser 0").2;
    assert_eq!(chinese.kind, "new");
    assert_eq!(chinese.title, "橙色预警：暴雨");
    assert!(
        chinese.body.starts_with("暴雨橙色预警 rain-1") && chinese.body.contains("昌江区"),
        "{}",
        chinese.body
    );
    assert_eq!(chinese.url, format!("/alerts/{first_id}"));
    assert_eq!(chinese.level.as_deref(), Some("orange"));
    assert!(chinese.require_interaction, "orange stays on screen");
    let english = &received.iter().find(|(b, _, _)| *b == 3).expect("browser 3").2;
    assert_eq!(english.title, "Orange warning: Rainstorm");
    assert!(english.body.contains("Changjiang District"));
    let headers = &received[0].1;
    assert_eq!(headers["urgency"], "high");

    // The Update: same tag (the phone replaces the notification), says it is an update.
    let update = cap(
        "rain-2",
        "Update",
        &format!("36020041600000,rain-1,{}", sent_of(&first)),
        "红",
        "360202000000",
        "Actual",
    );
    let update_id = f.receive(&update).await;
    let counts = f.fanout(update_id).await;
    assert_eq!(counts.delivered, 3, "red now: browser 2 (red only) hears it too");
    let received = f.received();
    let updates: Vec<&NotificationPayload> = received[2..].iter().map(|(_, _, p)| p).collect();
    assert!(updates.iter().all(|p| p.kind == "updated" && p.tag == chinese.tag), "{updates:?}");
    assert!(updates.iter().any(|p| p.title == "更新：红色预警：暴雨"));

    // The Cancel says so, under the same tag.
    let cancel = cap(
        "rain-3",
        "Cancel",
        &format!("36020041600000,rain-1,{} 36020041600000,rain-2,{}", sent_of(&first), sent_of(&update)),
        "红",
        "360202000000",
        "Actual",
    );
    let cancel_id = f.receive(&cancel).await;
    f.fanout(cancel_id).await;
    let received = f.received();
    let ended: Vec<&NotificationPayload> = received[5..].iter().map(|(_, _, p)| p).collect();
    assert_eq!(ended.len(), 3);
    assert!(ended.iter().all(|p| p.kind == "ended" && p.tag == chinese.tag && !p.require_interaction));
    assert!(ended.iter().any(|p| p.title == "已解除：暴雨"));
    assert!(ended.iter().any(|p| p.title == "Ended: Rainstorm"));

    // Test and Exercise messages never notify anyone.
    let before = f.received().len();
    let drill = f.receive(&cap("drill-1", "Alert", "", "红", "360200000000", "Exercise")).await;
    let real = f.receive(&cap("rain-4", "Alert", "", "黄", "360281000000", "Actual")).await;
    f.fanout(real).await;
    assert_eq!(f.store.push_fanout(drill).await.expect("read"), None, "no fan-out for an exercise");
    let after = f.received();
    assert_eq!(after.len(), before + 1, "only browser 1 (乐平市) for the yellow warning there");
    assert_eq!(after[before].0, 1);
}

#[tokio::test]
async fn gone_subscriptions_are_deleted_and_busy_push_services_are_retried() {
    let f = fixture().await;
    let gone = f.subscribe(0, "360202000000", NotifyLevels::ALL, "zh-CN").await;
    f.subscribe(1, "360202000000", NotifyLevels::ALL, "zh-CN").await;
    f.subscribe(2, "360202000000", NotifyLevels::ALL, "zh-CN").await;
    f.service.script.lock().expect("lock").extend([(0, 410), (1, 429), (2, 503), (2, 503), (2, 503)]);

    let started = std::time::Instant::now();
    let id = f.receive(&cap("busy-1", "Alert", "", "黄", "360202000000", "Actual")).await;
    let counts = f.fanout(id).await;
    assert_eq!((counts.matched, counts.delivered, counts.removed, counts.failed), (3, 1, 1, 1));
    assert!(started.elapsed() >= Duration::from_secs(1), "429 Retry-After: 1 was honoured");
    assert_eq!(f.received().iter().map(|(b, _, _)| *b).collect::<Vec<_>>(), [1]);
    assert_eq!(f.store.push_subscription_by_token(&gone).await.expect("read"), None, "410 deletes");
    assert_eq!(f.store.count_push_subscriptions().await.expect("count"), 2);
}

#[tokio::test]
async fn a_test_notification_arrives_once_in_half_a_minute_and_unsubscribing_ends_it() {
    let f = fixture().await;
    let token = f.subscribe(0, "360202000000", NotifyLevels::ALL, "en").await;
    f.web_push.send_test(token.clone()).await.expect("sent");
    let received = f.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].2.kind, "test");
    assert_eq!(received[0].2.title, "Safe Jingdezhen test notification");
    assert_eq!(f.web_push.send_test(token.clone()).await, Err(PushRefusal::TooSoon));

    // Places and levels follow the settings.
    f.web_push.set_places(token.clone(), "360281000000".into()).await.expect("updated");
    f.web_push
        .set_levels(token.clone(), NotifyLevels::NONE.with(safejdz_app::domain::cap::ColourLevel::Red))
        .await
        .expect("updated");
    let stored = f.store.push_subscription_by_token(&token).await.expect("read").expect("row");
    assert_eq!((stored.places.as_str(), stored.levels.as_str()), ("360281000000", "red"));

    f.web_push.unsubscribe(token.clone()).await.expect("unsubscribed");
    assert_eq!(f.web_push.send_test(token.clone()).await, Err(PushRefusal::NotSubscribed));
    assert_eq!(f.web_push.unsubscribe(token).await, Err(PushRefusal::NotSubscribed));
}

#[tokio::test]
async fn subscriptions_to_unknown_push_services_or_with_bad_keys_are_refused() {
    let f = fixture().await;
    let browser = Browser::new(1);
    let new = |endpoint: &str, p256dh: String| NewSubscription {
        endpoint: endpoint.into(),
        p256dh,
        auth: URL_SAFE_NO_PAD.encode(browser.auth),
        places: "360202000000".into(),
        levels: NotifyLevels::ALL,
        lang: "zh-CN".into(),
    };
    for endpoint in
        ["http://169.254.169.254/latest", "https://fcm.googleapis.com.evil.example/x", "file:///etc/passwd"]
    {
        assert_eq!(
            f.web_push.subscribe(new(endpoint, browser.p256dh())).await,
            Err(PushRefusal::EndpointNotAllowed),
            "{endpoint}"
        );
    }
    let endpoint = format!("{}/push/0", f.base);
    assert_eq!(f.web_push.subscribe(new(&endpoint, "AAAA".into())).await, Err(PushRefusal::BadKeys));
    assert_eq!(f.store.count_push_subscriptions().await.expect("count"), 0);

    // Subscribing again with the same endpoint keeps one row and its token.
    let first = f.web_push.subscribe(new(&endpoint, browser.p256dh())).await.expect("subscribed");
    let again = f.web_push.subscribe(new(&endpoint, browser.p256dh())).await.expect("subscribed");
    assert_eq!(first, again);
    assert_eq!(f.store.count_push_subscriptions().await.expect("count"), 1);
}

#[tokio::test]
async fn the_service_worker_is_served_from_the_root_and_revalidated() {
    use tower::ServiceExt;
    let f = fixture().await;
    let router = safejdz_server::http::router(f.state.clone());
    let response = router
        .oneshot(axum::http::Request::get("/sw.js").body(axum::body::Body::empty()).expect("request"))
        .await
        .expect("answers");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["cache-control"], "no-cache");
    assert!(response.headers()["content-type"].to_str().expect("ascii").starts_with("text/javascript"));
    let body = axum::body::to_bytes(response.into_body(), 1 << 20).await.expect("body");
    let text = String::from_utf8_lossy(&body);
    assert!(text.contains("showNotification") && text.contains("notificationclick"));
}

/// POSTs a form to a server function of the settings page with `cookies`; (status, Set-Cookie,
/// body).
async fn server_fn(
    router: &axum::Router,
    path: &str,
    form: &str,
    cookies: &str,
) -> (StatusCode, Option<String>, String) {
    use tower::ServiceExt;
    let request = axum::http::Request::post(path)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", cookies)
        .body(axum::body::Body::from(form.to_owned()))
        .expect("request");
    let response = router.clone().oneshot(request).await.expect("answers");
    let status = response.status();
    let cookie = response.headers().get("set-cookie").map(|v| v.to_str().expect("ascii").to_owned());
    let body = axum::body::to_bytes(response.into_body(), 1 << 20).await.expect("body");
    (status, cookie, String::from_utf8_lossy(&body).into_owned())
}

#[tokio::test]
async fn the_settings_page_subscribes_with_the_saved_places_and_the_subscription_follows_them() {
    use leptos::server_fn::ServerFn;
    use safejdz_app::alerts::{NotificationState, SavePlace, SubscribeNotifications};

    let (store, data) = databases::sqlite_store().await;
    let (private, public) = vapid::Vapid::generate();
    let config = Config {
        site_root: data.path().join("no-site"),
        vapid_private_key: Some(private),
        vapid_subject: Some("mailto:yjj@example.org".into()),
        push_services: vec!["http://127.0.0.1:9".into()],
        ..Config::default()
    };
    let router = safejdz_server::http::router(AppState::new(config, store.clone()));
    let browser = Browser::new(1);
    let form = format!(
        "endpoint={}&p256dh={}&auth={}&levels=red%2Corange",
        "http%3A%2F%2F127.0.0.1%3A9%2Fpush%2F1",
        browser.p256dh(),
        URL_SAFE_NO_PAD.encode(browser.auth)
    );

    // The panel learns the key and that the resident has a place.
    let (status, _, body) = server_fn(&router, NotificationState::PATH, "", "sjdz_places=360202000000").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let state: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(state["available"], true);
    assert_eq!(state["public_key"], public);
    assert_eq!((state["subscribed"].clone(), state["has_places"].clone()), (false.into(), true.into()));

    // Without a saved place there is nothing to notify of: refused, nothing stored.
    let (status, cookie, body) = server_fn(&router, SubscribeNotifications::PATH, &form, "").await;
    assert!(!status.is_success() && body.contains("notify-error-no-places"), "{status} {body}");
    assert_eq!(cookie, None);
    assert_eq!(store.count_push_subscriptions().await.expect("count"), 0);

    // With one: stored with the places in their coarse form; the browser gets its row's token.
    let (status, cookie, body) =
        server_fn(&router, SubscribeNotifications::PATH, &form, "sjdz_places=360202000000~p29.30_117.20")
            .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let cookie = cookie.expect("Set-Cookie");
    assert!(cookie.starts_with("sjdz_push=") && cookie.contains("HttpOnly"), "{cookie}");
    let token = cookie.trim_start_matches("sjdz_push=").split(';').next().expect("token").to_owned();
    let row = store.push_subscription_by_token(&token).await.expect("read").expect("stored");
    assert_eq!(
        (row.places.as_str(), row.levels.as_str(), row.lang.as_str()),
        ("360202000000~p29.30_117.20", "red,orange", "zh-CN")
    );

    // Saving another place on the home page updates the subscription too.
    let (status, _, body) = server_fn(
        &router,
        SavePlace::PATH,
        "code=360281000000",
        &format!("sjdz_places=360202000000~p29.30_117.20; sjdz_push={token}"),
    )
    .await;
    assert!(status.is_success() || status.is_redirection(), "{status} {body}");
    let row = store.push_subscription_by_token(&token).await.expect("read").expect("stored");
    assert_eq!(row.places, "360202000000~p29.30_117.20~360281000000");
}

#[tokio::test]
async fn a_fan_out_left_unfinished_by_a_stopped_replica_is_resumed_where_it_stopped() {
    let f = fixture_with(false).await;
    let first = f.subscribe(0, "360202000000", NotifyLevels::ALL, "zh-CN").await;
    f.subscribe(1, "360202000000", NotifyLevels::ALL, "zh-CN").await;
    f.subscribe(2, "360202000000", NotifyLevels::ALL, "en").await;
    let id = f.receive(&cap("stalled-1", "Alert", "", "橙", "360202000000", "Actual")).await;

    // Another replica claimed it, notified browser 0, and stopped beating 20 minutes ago.
    let long_ago = Utc::now() - chrono::Duration::minutes(20);
    assert!(f.store.claim_push_fanout(id, long_ago).await.expect("claim"));
    let done_through = f.store.push_subscription_by_token(&first).await.expect("read").expect("row").id;
    let so_far = safejdz_server::storage::push_subscriptions::FanoutCounts {
        matched: 1,
        delivered: 1,
        removed: 0,
        failed: 0,
    };
    f.store.beat_push_fanout(id, done_through, so_far, long_ago).await.expect("beat");

    // A fresh claim is not taken over; a silent one is, once, and finished from there.
    assert_eq!(
        f.web_push
            .fan_out(
                &safejdz_server::delivery::event_for(
                    id,
                    &f.store.accepted_alert(id).await.expect("read").expect("accepted").alert
                )
                .expect("event")
            )
            .await,
        None,
        "already claimed"
    );
    assert_eq!(f.web_push.resume_stalled().await, 1);
    assert_eq!(f.web_push.resume_stalled().await, 0, "finished: nothing left to take over");
    let mut browsers: Vec<usize> = f.received().iter().map(|(b, _, _)| *b).collect();
    browsers.sort_unstable();
    assert_eq!(browsers, [1, 2], "browser 0 was notified before the stop and is not notified twice");
    let counts = f.fanout(id).await;
    assert_eq!((counts.matched, counts.delivered), (3, 3));
}

/// `xml` without its `<area>` blocks (many cancels name no area).
fn without_areas(xml: &str) -> String {
    let mut out = String::new();
    let mut rest = xml;
    while let Some(start) = rest.find("<area>") {
        out.push_str(&rest[..start]);
        rest = rest[start..].split_once("</area>").map_or("", |(_, after)| after);
    }
    out.push_str(rest);
    out
}

#[tokio::test]
async fn those_who_heard_of_a_warning_hear_how_it_ends_even_when_the_area_or_level_changes() {
    use safejdz_app::domain::cap::ColourLevel;
    let f = fixture().await;
    // 0: 西郊街道 (stays in the area); 1: 鲇鱼山镇 (left out by the update); 2: 乐平市 (never
    // concerned); 3: 西郊街道, red only.
    f.subscribe(0, "360202001", NotifyLevels::ALL, "zh-CN").await;
    f.subscribe(1, "360202101", NotifyLevels::ALL, "en").await;
    f.subscribe(2, "360281000000", NotifyLevels::ALL, "zh-CN").await;
    f.subscribe(3, "360202001", NotifyLevels::NONE.with(ColourLevel::Red), "zh-CN").await;

    let first = cap("narrow-1", "Alert", "", "红", "360202000000", "Actual");
    f.fanout(f.receive(&first).await).await;
    let heard: Vec<usize> = {
        let mut b: Vec<usize> = f.received().iter().map(|(b, _, _)| *b).collect();
        b.sort_unstable();
        b
    };
    assert_eq!(heard, [0, 1, 3]);

    // The update narrows the area to 西郊街道 and lowers the level to orange.
    let update = cap(
        "narrow-2",
        "Update",
        &format!("36020041600000,narrow-1,{}", sent_of(&first)),
        "橙",
        "360202001000",
        "Actual",
    );
    let update_id = f.receive(&update).await;
    assert_eq!(f.fanout(update_id).await.delivered, 3);
    let received = f.received();
    let of = |browser: usize| received[3..].iter().find(|(b, _, _)| *b == browser).map(|(_, _, p)| p.clone());
    let stays = of(0).expect("browser 0");
    assert_eq!((stays.kind.as_str(), stays.title.as_str()), ("updated", "更新：橙色预警：暴雨"));
    let left = of(1).expect("browser 1 is told");
    assert_eq!(left.kind, "ended");
    assert_eq!(left.title, "No longer for your places: Rainstorm");
    assert_eq!(left.tag, stays.tag, "replaces the earlier notification");
    assert!(of(3).is_some_and(|p| p.kind == "updated"), "heard red, so hears it became orange");
    assert!(of(2).is_none());

    // A cancel naming no area goes to those who heard of the warning, not to the whole city.
    let cancel = without_areas(&cap(
        "narrow-3",
        "Cancel",
        &format!("36020041600000,narrow-2,{}", sent_of(&update)),
        "橙",
        "360202001000",
        "Actual",
    ));
    assert!(!cancel.contains("<area>"));
    f.fanout(f.receive(&cancel).await).await;
    let received = f.received();
    let mut ended: Vec<usize> = received[6..].iter().map(|(b, _, _)| *b).collect();
    ended.sort_unstable();
    assert_eq!(ended, [0, 1, 3], "everyone who heard of the warning, through any of its versions");
    assert!(received[6..].iter().all(|(_, _, p)| p.kind == "ended"));
}

#[tokio::test]
async fn a_warning_whose_fan_out_was_missed_is_sent_by_the_minute_sweep() {
    let f = fixture_with(false).await;
    f.subscribe(0, "360202000000", NotifyLevels::ALL, "zh-CN").await;
    let ten_minutes_ago = Utc::now() - chrono::Duration::minutes(10);
    let [missed, drill] = [("missed-1", "Actual"), ("missed-drill", "Exercise")]
        .map(|(identifier, status)| cap(identifier, "Alert", "", "黄", "360202000000", status));
    let missed = f.receive_at(&missed, ten_minutes_ago).await;
    let drill = f.receive_at(&drill, ten_minutes_ago).await;
    // Just arrived: left to the live path.
    f.receive(&cap("fresh-1", "Alert", "", "黄", "360202000000", "Actual")).await;

    assert_eq!(f.web_push.send_missed().await, 1);
    assert_eq!(f.received().len(), 1);
    assert_eq!(f.fanout(missed).await.delivered, 1);
    assert_eq!(f.store.push_fanout(drill).await.expect("read"), None, "an exercise is never sent");
    assert_eq!(f.web_push.send_missed().await, 0, "sent once");
}
