//! Benchmark: class drill sessions at the size. `cargo bench -p safejdz-server --bench
//! class_sessions` (figures go to docs/BENCHMARKS.md). In-process, through the router: 100
//! sessions, each with its teacher's live stream open (`/staff/drills/{code}/stream`), 60
//! pupils each (6,000) joining with `POST /_rpc/class/join`, then every pupil answering the
//! first step with `POST /_rpc/class/answer`, 200 at a time. For each answer it measures the
//! time from sending it to the `changed` event on its teacher's stream (what makes the
//! teacher's screen fetch itself again), and then the teacher's page render with 60 pupils
//! (that fetch).

use std::{
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use axum::{
    Router,
    body::Body,
    http::{Request, header},
};
use chrono::Utc;
use futures::{StreamExt, stream};
use safejdz_app::domain::{
    class_sessions::Pacing,
    staff::{Role, Roles, Stage},
};
use safejdz_server::{
    config::Config, drills::class_sessions::Opening, platform::store::Store, router::router,
    staff::audit::Actor, state::AppState,
};
use tower::ServiceExt;

#[path = "support/report.rs"]
mod report;
use report::report;

const SESSIONS: usize = 100;
const PUPILS: usize = 60;

fn form(path: &str, cookie: Option<&str>, address: &str, body: String) -> Request<Body> {
    let mut builder = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("x-forwarded-for", address);
    if let Some(cookie) = cookie {
        builder = builder.header(header::COOKIE, format!("sjdz_class={cookie}"));
    }
    builder.body(Body::from(body)).expect("request")
}

fn class_cookie(response: &axum::response::Response) -> String {
    response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok()?.strip_prefix("sjdz_class="))
        .map(|rest| rest.split(';').next().unwrap_or_default().to_owned())
        .next()
        .expect("a class cookie")
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(None, dir.path()).await.expect("store");
    let config =
        Config { site_root: dir.path().join("none"), trust_forwarded_for: true, ..Config::default() };
    let state = AppState::new(config, store);
    let app: Router = router(state.clone());

    let (admin_id, _) = state
        .staff
        // An admin sees every session: one signed-in browser reads all 100 teachers' screens.
        .add_account(&Actor::command_line(), "bench.teacher", "Bench", &Roles::new([Role::Admin]))
        .await
        .expect("teacher");
    let (token, _) =
        state.staff.open_session(Some(admin_id), Stage::SignedIn, None, Utc::now()).await.expect("session");
    let staff_cookie = format!("sjdz_staff={token}");
    let first_step = state.drills.library.get("earthquake-classroom").expect("scenario").start.clone();

    // 100 sessions (opened in the registry: a teacher may open 5 through the console), each with
    // its teacher's stream read by a task that notes when each event arrives.
    let mut codes = Vec::new();
    let mut events: Vec<Arc<Mutex<Vec<Instant>>>> = Vec::new();
    for n in 0..SESSIONS {
        let opening = Opening {
            scenario: "earthquake-classroom".into(),
            pacing: Pacing::SelfPaced,
            // A teacher opens 5 sessions at most: each session its own teacher.
            teacher_id: 10_000 + n as i64,
            teacher_name: format!("teacher{n}"),
            school: format!("基准学校 {n}"),
        };
        let code = state.drills.sessions.open(opening, Utc::now().timestamp_millis()).expect("opened");
        let request = Request::get(format!("/staff/drills/{}/stream", code.as_str()))
            .header(header::COOKIE, &staff_cookie)
            .body(Body::empty())
            .expect("request");
        let response = app.clone().oneshot(request).await.expect("stream");
        assert!(response.status().is_success(), "stream {}", response.status());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let noted = seen.clone();
        tokio::spawn(async move {
            let mut body = response.into_body().into_data_stream();
            while let Some(Ok(chunk)) = body.next().await {
                if chunk.windows(7).any(|w| w == b"changed") {
                    noted.lock().expect("events").push(Instant::now());
                }
            }
        });
        codes.push(code.as_str().to_owned());
        events.push(seen);
    }

    // 6,000 pupils join, 200 at a time; a school's pupils share an address.
    let started = Instant::now();
    let joins: Vec<(usize, String, Duration)> = stream::iter((0..SESSIONS * PUPILS).map(|n| {
        let (app, code) = (app.clone(), codes[n / PUPILS].clone());
        async move {
            let body = format!("code={code}&nickname=pupil{}", n % PUPILS);
            let sent = Instant::now();
            let address = format!("10.0.{}.1", n / PUPILS);
            let response = app.oneshot(form("/_rpc/class/join", None, &address, body)).await.expect("join");
            (n / PUPILS, class_cookie(&response), sent.elapsed())
        }
    }))
    .buffer_unordered(200)
    .collect()
    .await;
    let join_rate = joins.len() as f64 / started.elapsed().as_secs_f64();
    report(&format!("join, {join_rate:.0}/s"), joins.iter().map(|(_, _, took)| *took).collect());
    tokio::time::sleep(Duration::from_millis(200)).await;
    for seen in &events {
        seen.lock().expect("events").clear();
    }

    // Every pupil answers the first step.
    let started = Instant::now();
    let answers: Vec<(usize, Instant, Duration)> =
        stream::iter(joins.into_iter().map(|(session, cookie, _)| {
            let (app, step) = (app.clone(), first_step.clone());
            async move {
                let sent = Instant::now();
                let body = format!("step={step}&choice=listen");
                let response = app
                    .oneshot(form("/_rpc/class/answer", Some(&cookie), "10.0.0.1", body))
                    .await
                    .expect("answer");
                let to = response
                    .headers()
                    .get(header::LOCATION)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default();
                assert_eq!(to, "/class", "the answer was taken");
                (session, sent, sent.elapsed())
            }
        }))
        .buffer_unordered(200)
        .collect()
        .await;
    let answer_rate = answers.len() as f64 / started.elapsed().as_secs_f64();
    tokio::time::sleep(Duration::from_millis(500)).await;
    report(
        &format!("answer (HTTP round trip), {answer_rate:.0}/s"),
        answers.iter().map(|(_, _, took)| *took).collect(),
    );
    let reached: Vec<Duration> = answers
        .iter()
        .map(|(session, sent, _)| {
            let seen = events[*session].lock().expect("events");
            let event = seen.iter().find(|at| *at >= sent).expect("an event after the answer");
            event.duration_since(*sent)
        })
        .collect();
    report("answer sent → teacher's stream event", reached);

    // The teacher's screen fetching itself again: the page with 60 pupils and their tallies.
    let mut renders = Vec::new();
    for code in codes.iter().take(50) {
        let request = Request::get(format!("/staff/drills/{code}"))
            .header(header::COOKIE, &staff_cookie)
            .body(Body::empty())
            .expect("request");
        let sent = Instant::now();
        let response = app.clone().oneshot(request).await.expect("page");
        assert!(response.status().is_success());
        let _ = axum::body::to_bytes(response.into_body(), 8 << 20).await.expect("body");
        renders.push(sent.elapsed());
    }
    report("GET /staff/drills/{code} (60 pupils)", renders);
}
