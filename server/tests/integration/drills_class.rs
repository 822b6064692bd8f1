//! Class drill sessions through the HTTP surface, in-process: a teacher opens a session and
//! pupils join with its code, answer, are seen on the teacher's screen (names there, none on
//! the projected results), get the exercise warning of their own session only, and the session
//! ends into the record of drills held (both storage engines).

use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};
use safejdz_app::domain::staff::Role;

use crate::support::{
    databases,
    staff_app::{Browser, TestApp, account, app, app_over, encode, location, send, signed_in, text},
};

/// A pupil's phone: the class cookie it was given.
struct Phone {
    cookie: Option<String>,
    address: String,
}

impl Phone {
    fn at(address: &str) -> Phone {
        Phone { cookie: None, address: address.to_owned() }
    }

    fn request(&self, method: &str, path: &str) -> axum::http::request::Builder {
        let mut builder = Request::builder()
            .method(method)
            .uri(path)
            .header(header::ACCEPT_LANGUAGE, "en")
            .header("x-forwarded-for", &self.address);
        if let Some(cookie) = &self.cookie {
            builder = builder.header(header::COOKIE, format!("sjdz_class={cookie}"));
        }
        builder
    }

    async fn post(&mut self, app: &TestApp, path: &str, fields: &[(&str, &str)]) -> String {
        let body: Vec<String> = fields.iter().map(|(k, v)| format!("{k}={}", encode(v))).collect();
        let request = self
            .request("POST", path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body.join("&")))
            .expect("request");
        let response = send(app, request).await;
        for value in response.headers().get_all(header::SET_COOKIE) {
            if let Some(rest) = value.to_str().expect("ascii").strip_prefix("sjdz_class=") {
                let value = rest.split(';').next().unwrap_or_default();
                self.cookie = (!value.is_empty()).then(|| value.to_owned());
            }
        }
        location(&response)
    }

    async fn join(&mut self, app: &TestApp, code: &str, nickname: &str) -> String {
        self.post(app, "/_rpc/class/join", &[("code", code), ("nickname", nickname)]).await
    }

    async fn page(&self, app: &TestApp) -> String {
        text(send(app, self.request("GET", "/class").body(Body::empty()).expect("request")).await).await
    }

    /// The step the page shows and its choices' ids.
    async fn step(&self, app: &TestApp) -> (String, Vec<String>) {
        let page = self.page(app).await;
        let value = |html: &str, marker: &str| -> Option<String> {
            let start = html.find(marker)? + marker.len();
            Some(html[start..].split('"').next()?.to_owned())
        };
        let step = value(&page, r#"name="step" value=""#).unwrap_or_default();
        let mut choices = Vec::new();
        let mut rest = page.as_str();
        while let Some(at) = rest.find(r#"name="choice" value=""#) {
            rest = &rest[at + r#"name="choice" value=""#.len()..];
            choices.push(rest.split('"').next().unwrap_or_default().to_owned());
        }
        (step, choices)
    }

    async fn answer(&mut self, app: &TestApp, step: &str, choice: &str) -> String {
        self.post(app, "/_rpc/class/answer", &[("step", step), ("choice", choice)]).await
    }
}

/// A teacher signed in, with a session of `scenario` open; the browser and the code.
async fn teacher_with_session(app: &TestApp, name: &str, pacing: &str) -> (Browser, String) {
    let (id, _) = account(app, name, &[Role::Teacher], "a long test passphrase").await;
    let mut teacher = signed_in(app, id).await;
    let (status, to) = teacher
        .post(
            app,
            "/_rpc/staff/drills/open",
            &[("scenario", "earthquake-classroom"), ("pacing", pacing), ("school", "昌江区实验小学")],
        )
        .await;
    assert!(status.is_redirection(), "{status} {to}");
    let code = to.strip_prefix("/staff/drills/").expect("to the session's page").to_owned();
    assert_eq!(code.len(), 6, "{to}");
    (teacher, code)
}

/// The right choice of the classroom earthquake's step `step`.
fn right_choice(step: &str) -> String {
    let scenarios = safejdz_server::drills::scenarios::all().expect("scenarios");
    let scenario = scenarios.iter().find(|s| s.id == "earthquake-classroom").expect("the scenario");
    scenario.step(step).expect("step").choices.iter().find(|c| c.correct).expect("a right one").id.clone()
}

#[tokio::test]
async fn pupils_join_answer_and_the_teacher_sees_them_with_names_only_on_the_own_screen() {
    let app = app().await;
    let (mut teacher, code) = teacher_with_session(&app, "zhou.laoshi", "self-paced").await;
    let (status, _, screen) = teacher.get(&app, &format!("/staff/drills/{code}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(screen.contains("<svg"), "a QR code drawn on the server");
    assert!(screen.contains(&format!("/join?code={code}")));
    assert!(screen.contains("Nobody has joined yet."));

    let mut mei = Phone::at("10.1.0.1");
    assert_eq!(mei.join(&app, &code, "Mei").await, "/class");
    let mut lei = Phone::at("10.1.0.1");
    assert_eq!(lei.join(&app, &format!("{} {}", &code[..3], &code[3..]), "Lei").await, "/class");

    // Mei answers right, Lei wrong, on the first step.
    let (step, choices) = mei.step(&app).await;
    assert!(!step.is_empty() && choices.len() >= 2, "{step} {choices:?}");
    let right = right_choice(&step);
    let wrong = choices.iter().find(|c| **c != right).expect("a wrong one").clone();
    assert_eq!(mei.answer(&app, &step, &right).await, "/class");
    assert_eq!(lei.answer(&app, &step, &wrong).await, "/class");
    let mei_page = mei.page(&app).await;
    assert!(mei_page.contains("✓ Right"), "her feedback: {mei_page}");
    assert!(lei.page(&app).await.contains("✗ Not right"), "his feedback");
    // A second tap on the old page is not taken as the next step's answer.
    assert!(mei.answer(&app, &step, &right).await.contains("error=class-error-stale"));

    let (_, _, screen) = teacher.get(&app, &format!("/staff/drills/{code}")).await;
    assert!(screen.contains(r#"data-pupil="Mei""#) && screen.contains(r#"data-pupil="Lei""#));
    assert!(screen.contains(&format!(r#"data-choice="{right}" data-count="1""#)), "the tally counts Mei");
    assert!(screen.contains(&format!(r#"data-choice="{wrong}" data-count="1""#)), "and Lei");
    assert!(screen.contains("2 joined · 0 finished"));

    let (status, _, projected) = teacher.get(&app, &format!("/staff/drills/{code}/results")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!projected.contains("Mei") && !projected.contains("Lei"), "no names on the projected results");
    assert!(projected.contains(&format!(r#"data-choice="{wrong}" data-count="1""#)));

    let response = send(
        &app,
        teacher
            .request("GET", &format!("/staff/drills/{code}/results.csv"))
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let csv = text(response).await;
    assert!(csv.contains(&format!("Mei,1,{step},{right},yes,")), "{csv}");
    assert!(csv.contains(&format!("Lei,1,{step},{wrong},no,")), "{csv}");

    // The teacher removes Lei: his page says so and he is no longer counted.
    let lei_id = "2";
    let (status, to) = teacher
        .post(&app, "/_rpc/staff/drills/act", &[("code", &code), ("action", "remove"), ("pupil", lei_id)])
        .await;
    assert!(status.is_redirection() && !to.contains("error"), "{to}");
    assert!(lei.page(&app).await.contains("taken this nickname out"));
    let (_, _, screen) = teacher.get(&app, &format!("/staff/drills/{code}")).await;
    assert!(!screen.contains(r#"data-pupil="Lei""#));

    // Another teacher cannot see or change this session.
    let (other_id, _) = account(&app, "wu.laoshi", &[Role::Teacher], "a long test passphrase").await;
    let mut other = signed_in(&app, other_id).await;
    let (status, _, _) = other.get(&app, &format!("/staff/drills/{code}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, to) = other.post(&app, "/_rpc/staff/drills/act", &[("code", &code), ("action", "end")]).await;
    assert!(to.contains("error=staff-drills-error-missing"), "{to}");
}

#[tokio::test]
async fn a_reload_keeps_the_place_and_a_forged_or_missing_cookie_does_not() {
    let app = app().await;
    let (_, code) = teacher_with_session(&app, "zhou.laoshi", "self-paced").await;
    let mut mei = Phone::at("10.1.0.1");
    mei.join(&app, &code, "Mei").await;
    let (step, _) = mei.step(&app).await;
    mei.answer(&app, &step, &right_choice(&step)).await;
    let (second, _) = mei.step(&app).await;
    assert_ne!(second, step);
    // The same phone coming back (a reload, a lost connection) is at the same step.
    let (again, _) = mei.step(&app).await;
    assert_eq!(again, second);
    // The ticket with its last character changed (to one it is not: a fixed '0' would leave
    // one ticket in sixteen unchanged).
    let forged_ticket = mei.cookie.as_ref().map(|c| {
        let last = if c.ends_with('0') { '1' } else { '0' };
        format!("{}{last}", &c[..c.len() - 1])
    });
    let forged = Phone { cookie: forged_ticket, address: "x".into() };
    assert!(forged.page(&app).await.contains("not in a class drill"));
    assert!(Phone::at("x").page(&app).await.contains("not in a class drill"));
}

#[tokio::test]
async fn wrong_codes_are_refused_in_words_and_too_many_pause_the_address() {
    let app = app().await;
    let (_, code) = teacher_with_session(&app, "zhou.laoshi", "self-paced").await;
    let wrong = if code == "999999" { "999998" } else { "999999" };
    let mut guesser = Phone::at("10.9.9.9");
    let to = guesser.join(&app, wrong, "x").await;
    assert!(to.starts_with("/join?error=join-error-code"), "{to}");
    for _ in 1..safejdz_server::drills::class_sessions::JOIN_FAILURES_ALLOWED {
        guesser.join(&app, wrong, "x").await;
    }
    let to = guesser.join(&app, &code, "x").await;
    assert!(to.starts_with("/join?error=join-error-too-many"), "the right code is refused too: {to}");
    let page =
        text(send(&app, guesser.request("GET", &to).body(Body::empty()).expect("request")).await).await;
    assert!(page.contains("Too many wrong codes"), "said in words: {page}");
    assert!(page.contains("value=\"x\""), "the nickname typed is kept");
    let mut classmate = Phone::at("10.1.0.2");
    assert_eq!(classmate.join(&app, &code, "Mei").await, "/class");
    let to = Phone::at("10.1.0.2").join(&app, &code, "mei").await;
    assert!(to.contains("error=join-error-nickname-taken"), "{to}");
}

#[tokio::test]
async fn the_exercise_warning_reaches_only_its_own_sessions_pupils() {
    let app = app().await;
    let (mut teacher, code) = teacher_with_session(&app, "zhou.laoshi", "self-paced").await;
    let (_, other_code) = teacher_with_session(&app, "wu.laoshi", "self-paced").await;
    let mut mine = Phone::at("10.1.0.1");
    mine.join(&app, &code, "Mei").await;
    let mut theirs = Phone::at("10.1.0.2");
    theirs.join(&app, &other_code, "Lei").await;
    let (status, to) =
        teacher.post(&app, "/_rpc/staff/drills/act", &[("code", &code), ("action", "exercise")]).await;
    assert!(status.is_redirection() && !to.contains("error"), "{to}");
    let page = mine.page(&app).await;
    assert!(page.contains("exercise-banner") && page.contains("EXERCISE · not a real warning"), "{page}");
    assert!(page.contains("Exercise: Earthquake"));
    assert!(!theirs.page(&app).await.contains("exercise-banner"));
    // Residents never see it: it is not a warning of the city.
    let home = text(send(&app, Request::get("/").body(Body::empty()).expect("request")).await).await;
    assert!(!home.contains("演练：地震"));
    let audit = app.store.audit(&safejdz_server::staff::store::AuditFilter::default()).await.expect("audit");
    assert!(
        audit.iter().any(|line| line.action == "drill.exercise" && line.object == format!("drill:{code}"))
    );
}

#[tokio::test]
async fn step_by_step_waits_for_the_teacher() {
    let app = app().await;
    let (mut teacher, code) = teacher_with_session(&app, "zhou.laoshi", "step-by-step").await;
    let mut mei = Phone::at("10.1.0.1");
    mei.join(&app, &code, "Mei").await;
    let (step, _) = mei.step(&app).await;
    mei.answer(&app, &step, &right_choice(&step)).await;
    let page = mei.page(&app).await;
    assert!(page.contains("Wait for your teacher to open the next step."));
    assert!(!page.contains(r#"name="choice""#));
    teacher.post(&app, "/_rpc/staff/drills/act", &[("code", &code), ("action", "release")]).await;
    let (next, choices) = mei.step(&app).await;
    assert!(!next.is_empty() && !choices.is_empty(), "the next step is open");
}

async fn a_closed_session_goes_into_the_record(app: TestApp) {
    let (mut teacher, code) = teacher_with_session(&app, "zhou.laoshi", "self-paced").await;
    let (admin_id, _) = account(&app, "admin.wang", &[Role::Admin], "a long test passphrase").await;
    let mut mei = Phone::at("10.1.0.1");
    mei.join(&app, &code, "Mei").await;
    // Mei plays the whole drill right.
    for _ in 0..20 {
        let (step, choices) = mei.step(&app).await;
        if choices.is_empty() {
            break;
        }
        mei.answer(&app, &step, &right_choice(&step)).await;
    }
    assert!(mei.page(&app).await.contains("You are safe"));
    teacher.post(&app, "/_rpc/staff/drills/act", &[("code", &code), ("action", "end")]).await;
    let drills = app_drills(&app);
    safejdz_server::drills::class_routes::record_closed(&drills, &app.staff).await;
    let rows = app.store.drill_records().await.expect("the record");
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (rows[0].participants, rows[0].finished, rows[0].safe, rows[0].mean_percent),
        (1, 1, 1, Some(100))
    );
    assert_eq!(rows[0].school, "昌江区实验小学");
    let mut admin = signed_in(&app, admin_id).await;
    let response =
        send(&app, admin.request("GET", "/staff/drills/record.csv").body(Body::empty()).expect("request"))
            .await;
    assert_eq!(response.status(), StatusCode::OK);
    let csv = text(response).await;
    assert!(csv.contains(",昌江区实验小学,earthquake-classroom,zhou.laoshi,self-paced,1,1,1,100,"), "{csv}");
    let (_, _, home) = admin.get(&app, "/staff/drills").await;
    assert!(home.contains("1 drills recorded."));
    assert!(mei.page(&app).await.contains("You are safe"), "the result stays on the pupil's page");
}

/// The drills state of the test app's router (the same registry the pages use).
fn app_drills(app: &TestApp) -> safejdz_server::drills::Drills {
    app.drills.clone()
}

#[tokio::test]
async fn a_closed_session_goes_into_the_record_on_both_engines() {
    databases::on_each_backend("drills_class_record", |store| async move {
        let data = tempfile::tempdir().expect("a directory");
        a_closed_session_goes_into_the_record(app_over(store, data)).await;
    })
    .await;
}
