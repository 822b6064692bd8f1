//! A local push service for the Web Push tests: it plays the push service and the browser. It
//! checks the VAPID token and the headers, decrypts each message with the subscriber's private
//! key (RFC 8291) and keeps the JSON the service worker would show. Also the fixture (a server
//! state with a sender pointed at it), CAP messages to send, and a server-function caller.

#![allow(dead_code, reason = "not every helper is used by the tests of this run")]

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
    alerts::{NewSubscription, PushBackend},
    domain::notifications::NotifyLevels,
};
use safejdz_server::{
    config::Config,
    notify::{
        retry::RetryPolicy,
        webpush::{NotificationPayload, PushServices, WebPush, encryption, vapid},
    },
    platform::store::Store,
    state::AppState,
    tasks::Tasks,
};

use super::databases;

/// One browser: its key pair and auth secret, as `PushManager.subscribe` makes them.
#[derive(Clone)]
pub struct Browser {
    pub secret: SecretKey,
    pub auth: [u8; 16],
}

impl Browser {
    pub fn new(seed: u8) -> Browser {
        Browser { secret: SecretKey::random(&mut rand_core::OsRng), auth: [seed; 16] }
    }

    pub fn p256dh(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.secret.public_key().to_encoded_point(false).as_bytes())
    }
}

#[derive(Clone, Default)]
pub struct PushService {
    /// (browser number, headers, decrypted payload)
    pub received: Arc<Mutex<Vec<(usize, HeaderMap, NotificationPayload)>>>,
    pub browsers: Arc<Mutex<Vec<Browser>>>,
    /// Statuses to answer per browser number, in order; 201 once they run out.
    pub script: Arc<Mutex<Vec<(usize, u16)>>>,
    pub public_key: Arc<Mutex<String>>,
}

pub async fn push(
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

pub struct Fixture {
    pub state: AppState,
    pub store: Store,
    pub web_push: WebPush,
    pub service: PushService,
    pub base: String,
    pub _tasks: Tasks,
    pub _data: tempfile::TempDir,
}

pub async fn fixture() -> Fixture {
    fixture_with(true).await
}

/// `listening`: the sender fans out the hub's events (false: only what the test calls).
pub async fn fixture_with(listening: bool) -> Fixture {
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
        web_push.spawn(&state.warnings.hub);
    }
    let tasks = Tasks::start(&state).await;
    Fixture { state, store, web_push, service, base, _tasks: tasks, _data: data }
}

impl Fixture {
    /// Subscribes browser number `n` with `places` (cookie form) and `levels`; its token.
    pub async fn subscribe(&self, n: usize, places: &str, levels: NotifyLevels, lang: &str) -> String {
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

    pub async fn receive(&self, xml: &str) -> i64 {
        self.receive_at(xml, Utc::now()).await
    }

    pub async fn receive_at(&self, xml: &str, received: chrono::DateTime<Utc>) -> i64 {
        self.state.warnings.ingest.receive("test", xml.as_bytes(), received).await.expect("stored").id()
    }

    /// Waits until the fan-out of message `id` has finished; its counts.
    pub async fn fanout(&self, id: i64) -> safejdz_server::notify::webpush::store::FanoutCounts {
        for _ in 0..300 {
            if let Some(counts) = self.store.push_fanout(id).await.expect("read") {
                return counts;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("the fan-out of {id} did not finish");
    }

    pub fn received(&self) -> Vec<(usize, HeaderMap, NotificationPayload)> {
        self.service.received.lock().expect("lock").clone()
    }
}

pub fn cap(
    identifier: &str,
    msg_type: &str,
    references: &str,
    colour: &str,
    code: &str,
    status: &str,
) -> String {
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

pub fn sent_of(xml: &str) -> String {
    xml.split("<sent>").nth(1).and_then(|r| r.split('<').next()).expect("sent").to_owned()
}

/// POSTs a form to a server function of the settings page with `cookies`; (status, Set-Cookie,
/// body).
pub async fn server_fn(
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

/// `xml` without its `<area>` blocks (many cancels name no area).
pub fn without_areas(xml: &str) -> String {
    let mut out = String::new();
    let mut rest = xml;
    while let Some(start) = rest.find("<area>") {
        out.push_str(&rest[..start]);
        rest = rest[start..].split_once("</area>").map_or("", |(_, after)| after);
    }
    out.push_str(rest);
    out
}
