//! What the staff tests share: the app in-process over a fresh SQLite store, a browser that
//! keeps its staff cookie and the CSRF token of the last form it saw, accounts made directly,
//! and the publisher console's form and readers.

#![allow(dead_code, reason = "not every helper is used by the tests of this run")]

pub use axum::{
    Router,
    body::{Body, to_bytes},
    http::{Request, StatusCode, header},
    response::Response,
};
pub use chrono::Utc;
pub use safejdz_app::domain::staff::{Role, Roles, Stage};
pub use safejdz_server::{
    config::Config,
    platform::store::Store,
    router::router,
    staff::{Staff, audit::Actor, totp},
    state::AppState,
};
use tower::ServiceExt;

use super::databases;

pub struct TestApp {
    pub router: Router,
    pub staff: Staff,
    pub drills: safejdz_server::drills::Drills,
    pub store: Store,
    pub _data: tempfile::TempDir,
}

pub async fn app() -> TestApp {
    let (store, data) = databases::sqlite_store().await;
    app_over(store, data)
}

pub fn app_over(store: Store, data: tempfile::TempDir) -> TestApp {
    app_with(store, data, Config::default())
}

/// The app with the console signing its messages with the test key (fixtures/signing).
pub async fn app_signing() -> TestApp {
    let (store, data) = databases::sqlite_store().await;
    let fixture = |name: &str| {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/signing").join(name)
    };
    let signer = safejdz_server::warnings::signatures::signing::MessageSigner::from_pem_files(
        &fixture("console-ec-key.pem"),
        &fixture("console-ec-cert.pem"),
    )
    .expect("test key");
    app_with(store, data, Config { console_signer: Some(std::sync::Arc::new(signer)), ..Config::default() })
}

fn app_with(store: Store, data: tempfile::TempDir, config: Config) -> TestApp {
    let config = Config {
        site_root: data.path().join("site"),
        // Behind a proxy: tests choose the client's address with X-Forwarded-For.
        trust_forwarded_for: true,
        ..config
    };
    let state = AppState::new(config, store.clone());
    let staff = state.staff.clone();
    let drills = state.drills.clone();
    TestApp { router: router(state), staff, drills, store, _data: data }
}

pub async fn send(app: &TestApp, request: Request<Body>) -> Response {
    app.router.clone().oneshot(request).await.expect("router answers")
}

pub async fn text(response: Response) -> String {
    String::from_utf8(to_bytes(response.into_body(), 4 << 20).await.expect("body").to_vec()).expect("UTF-8")
}

pub fn location(response: &Response) -> String {
    response
        .headers()
        .get(header::LOCATION)
        .map(|v| v.to_str().expect("ascii").to_owned())
        .unwrap_or_default()
}

/// A browser: its staff cookie and the CSRF token of the last form it saw.
#[derive(Default, Clone)]
pub struct Browser {
    pub cookie: Option<String>,
    pub csrf: Option<String>,
    pub address: String,
}

impl Browser {
    pub fn at(address: &str) -> Browser {
        Browser { address: address.to_owned(), ..Browser::default() }
    }

    pub fn keep_cookie(&mut self, response: &Response) {
        for value in response.headers().get_all(header::SET_COOKIE) {
            let value = value.to_str().expect("ascii");
            if let Some(rest) = value.strip_prefix("sjdz_staff=") {
                let token = rest.split(';').next().unwrap_or_default();
                self.cookie = (!token.is_empty()).then(|| token.to_owned());
            }
        }
    }

    pub fn request(&self, method: &str, path: &str) -> axum::http::request::Builder {
        let mut builder = Request::builder()
            .method(method)
            .uri(path)
            .header(header::ACCEPT, "text/html")
            .header(header::ACCEPT_LANGUAGE, "en")
            .header("x-forwarded-for", &self.address);
        if let Some(cookie) = &self.cookie {
            builder = builder.header(header::COOKIE, format!("sjdz_staff={cookie}"));
        }
        builder
    }

    /// GETs a page, keeping its cookie and CSRF token.
    pub async fn get(&mut self, app: &TestApp, path: &str) -> (StatusCode, String, String) {
        let response = send(app, self.request("GET", path).body(Body::empty()).expect("request")).await;
        self.keep_cookie(&response);
        let status = response.status();
        let to = location(&response);
        let html = text(response).await;
        if let Some(token) = csrf_in(&html) {
            self.csrf = Some(token);
        }
        (status, to, html)
    }

    /// Posts a form with this browser's CSRF token; returns status and where it leads.
    pub async fn post(&mut self, app: &TestApp, path: &str, fields: &[(&str, &str)]) -> (StatusCode, String) {
        let mut body: Vec<String> = fields.iter().map(|(k, v)| format!("{k}={}", encode(v))).collect();
        if let Some(csrf) = &self.csrf {
            body.push(format!("csrf={}", encode(csrf)));
        }
        let request = self
            .request("POST", path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body.join("&")))
            .expect("request");
        let response = send(app, request).await;
        self.keep_cookie(&response);
        (response.status(), location(&response))
    }
}

pub fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => char::from(b).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub fn csrf_in(html: &str) -> Option<String> {
    let start = html.find(r#"name="csrf" value=""#)? + r#"name="csrf" value=""#.len();
    Some(html[start..].split('"').next()?.to_owned())
}

/// An account with `roles`, its password `password`, a second factor, and no forced change.
pub async fn account(app: &TestApp, name: &str, roles: &[Role], password: &str) -> (i64, Vec<u8>) {
    let (id, _) = app
        .staff
        .add_account(&Actor::command_line(), name, name, &Roles::new(roles.iter().copied()))
        .await
        .expect("added");
    let hash = safejdz_server::staff::passwords::hash(password);
    app.store.set_staff_password(id, &hash, false, Utc::now()).await.expect("password");
    let secret = totp::new_secret();
    app.store.set_staff_totp(id, Some(&totp::base32(&secret)), Utc::now()).await.expect("totp");
    (id, secret)
}

/// A browser signed in as account `id` (a session opened directly, as a full sign-in makes).
pub async fn signed_in(app: &TestApp, id: i64) -> Browser {
    let (token, row) =
        app.staff.open_session(Some(id), Stage::SignedIn, None, Utc::now()).await.expect("session");
    Browser { cookie: Some(token), csrf: Some(row.csrf_token), address: "192.0.2.10".into() }
}

/// Who may reach each staff route, as designed: `None` for the steps of signing in (open to
/// the session at that step, refused to one signed in), else the roles let through (`ALL`:
/// The form a publisher posts for a red rainstorm warning over 鲇鱼山镇 (昌江区), two hours on.
pub fn warning_form(status: &str, headline: &str) -> Vec<(String, String)> {
    let expires = safejdz_app::domain::compose::local_time_value(Utc::now() + chrono::Duration::hours(2));
    [
        ("status", status),
        ("hazard", "rainstorm"),
        ("level", "red"),
        ("divisions[]", "360202101000"),
        ("headline_zh", headline),
        ("description_zh", "预计未来3小时鲇鱼山镇降雨量将达100毫米以上。"),
        ("instruction_zh", "远离河道和低洼地带，不要涉水。"),
        ("expires", &expires),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}

pub async fn post_owned(
    app: &TestApp,
    browser: &mut Browser,
    path: &str,
    fields: &[(String, String)],
) -> (StatusCode, String) {
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    browser.post(app, path, &borrowed).await
}

pub fn id_in(location: &str) -> i64 {
    location
        .trim_start_matches("/staff/warnings/")
        .split('?')
        .next()
        .and_then(|id| id.parse().ok())
        .expect("an id")
}

pub async fn accepted_console_messages(store: &Store) -> Vec<safejdz_app::domain::cap::Alert> {
    store
        .accepted_alerts_since(Utc::now() - chrono::Duration::hours(1))
        .await
        .expect("read")
        .into_iter()
        .filter(|stored| stored.source == "console")
        .map(|stored| stored.alert)
        .collect()
}

pub async fn home_page(app: &TestApp, query: &str) -> String {
    let request = Request::get(format!("/?{query}")).header(header::ACCEPT, "text/html").body(Body::empty());
    text(send(app, request.expect("request")).await).await
}
