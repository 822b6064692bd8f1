//! Class-session routes that are not pages: the teacher's live stream and CSV of answers (behind
//! the staff guard), admins' CSV of the drills held, and a pupil's stream (by their cookie).
//! Streams send `changed` (data `{}`) when the page should be fetched again: `LiveUpdates`
//! then swaps in the server's fresh regions.

use std::{convert::Infallible, time::Duration};

use axum::{
    Extension, Router,
    extract::{Path, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{
        IntoResponse, Response,
        sse::{Event, KeepAlive, Sse},
    },
    routing::get,
};
use chrono::Utc;
use futures::stream;
use safejdz_app::{
    domain::{drills::Scenario, staff::china_time},
    drills::class_api::{
        CLASS_COOKIE, CLASS_PUPIL_STREAM_PATH, CLASS_RESULTS_CSV_PATH, CLASS_TEACHER_STREAM_PATH,
        DRILL_RECORD_CSV_PATH,
    },
    staff::StaffCaller,
};
use tokio::sync::watch;

use super::{
    Drills,
    class_console::TEACHING,
    class_sessions::{HeldSession, PupilTicket},
    records::DrillRecordRow,
};
use crate::staff::{
    Staff,
    audit::{Actor, csv_field},
    console::signed_in_with,
};

/// The browser reconnects this soon after a stream drops.
const RETRY: Duration = Duration::from_secs(3);
/// A comment every so often keeps proxies and mobile networks from closing an idle stream.
const KEEP_ALIVE: Duration = Duration::from_secs(20);

/// The state these routes need.
#[derive(Clone)]
pub struct ClassRoutes {
    pub drills: Drills,
    pub staff: Staff,
}

pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    ClassRoutes: axum::extract::FromRef<S>,
{
    Router::new()
        .route(CLASS_TEACHER_STREAM_PATH, get(teacher_stream))
        .route(CLASS_RESULTS_CSV_PATH, get(results_csv))
        .route(DRILL_RECORD_CSV_PATH, get(record_csv))
        .route(CLASS_PUPIL_STREAM_PATH, get(pupil_stream))
}

fn is_admin(caller: &StaffCaller) -> bool {
    caller.person.as_ref().is_some_and(|p| p.roles.contains(safejdz_app::domain::staff::Role::Admin))
}

/// The session `code` if the caller may see it (its teacher, or an admin).
fn held_for(state: &ClassRoutes, caller: &StaffCaller, code: &str) -> Option<HeldSession> {
    let teacher = signed_in_with(caller, TEACHING).ok()?;
    state.drills.sessions.for_teacher(code, teacher, is_admin(caller), Utc::now().timestamp_millis()).ok()
}

fn stream_of(receiver: watch::Receiver<u64>) -> Response {
    let events = stream::unfold((true, receiver), |(first, mut receiver)| async move {
        if first {
            receiver.mark_unchanged();
            return Some((
                Ok::<_, Infallible>(Event::default().retry(RETRY).comment("safejdz class")),
                (false, receiver),
            ));
        }
        // A closed channel: the session was dropped; the stream ends and the page shows it.
        receiver.changed().await.ok()?;
        Some((Ok(Event::default().event("changed").data("{}")), (false, receiver)))
    });
    let mut response = Sse::new(events).keep_alive(KeepAlive::new().interval(KEEP_ALIVE)).into_response();
    response.headers_mut().insert("x-accel-buffering", HeaderValue::from_static("no"));
    response
}

/// `GET /staff/drills/{code}/stream`: every change of the session (a join, an answer, a
/// time-out), for the teacher's screen.
async fn teacher_stream(
    State(state): State<ClassRoutes>,
    Extension(caller): Extension<StaffCaller>,
    Path(code): Path<String>,
) -> Response {
    let Some(held) = held_for(&state, &caller, &code) else { return StatusCode::NOT_FOUND.into_response() };
    match state.drills.sessions.watch_teacher(&held.session.code) {
        Some(receiver) => stream_of(receiver),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// `GET /class/stream`: what the pupil's whole class must see (a released step, the exercise
/// warning, the end), for the pupil of the request's cookie.
async fn pupil_stream(State(state): State<ClassRoutes>, headers: HeaderMap) -> Response {
    let ticket = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == CLASS_COOKIE)
        .and_then(|(_, value)| PupilTicket::from_cookie(value));
    let Some(ticket) = ticket else { return StatusCode::NOT_FOUND.into_response() };
    if state.drills.sessions.for_pupil(&ticket, Utc::now().timestamp_millis()).is_err() {
        return StatusCode::NOT_FOUND.into_response();
    }
    match state.drills.sessions.watch_class(&ticket.code) {
        Some(receiver) => stream_of(receiver),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

fn csv_response(name: &str, body: String) -> Response {
    let disposition = format!("attachment; filename=\"{name}\"");
    let mut response = ([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], body).into_response();
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        response.headers_mut().insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

fn csv_line(fields: &[String]) -> String {
    let mut line = fields.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(",");
    line.push_str("\r\n");
    line
}

/// One line per answer of every pupil: what each did, step by step, for the teacher's records.
pub fn results_to_csv(held: &HeldSession, scenario: &Scenario) -> String {
    let mut out = String::from(
        "\u{feff}nickname,decision,step,choice,right,seconds,finished,outcome,correct,decisions,score_percent\r\n",
    );
    for pupil in held.session.pupils.iter().filter(|p| !p.removed) {
        let score = pupil.run.score(scenario);
        let summary =
            [
                score.is_some().to_string(),
                score
                    .as_ref()
                    .map(|s| {
                        if s.outcome == safejdz_app::domain::drills::Outcome::Safe {
                            "safe"
                        } else {
                            "lesson"
                        }
                    })
                    .unwrap_or_default()
                    .to_owned(),
                pupil.run.answers.iter().filter(|a| a.correct).count().to_string(),
                pupil.run.answers.len().to_string(),
                score.as_ref().map(|s| s.percent.to_string()).unwrap_or_default(),
            ];
        if pupil.run.answers.is_empty() {
            let mut fields = vec![
                pupil.nickname.clone(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ];
            fields.extend(summary.iter().cloned());
            out.push_str(&csv_line(&fields));
        }
        for (index, answer) in pupil.run.answers.iter().enumerate() {
            let mut fields = vec![
                pupil.nickname.clone(),
                (index + 1).to_string(),
                answer.step.clone(),
                answer.choice.clone().unwrap_or_else(|| "(time ran out)".to_owned()),
                if answer.correct { "yes" } else { "no" }.to_owned(),
                format!("{:.1}", answer.took_ms as f64 / 1000.0),
            ];
            fields.extend(summary.iter().cloned());
            out.push_str(&csv_line(&fields));
        }
    }
    out
}

/// `GET /staff/drills/{code}/results.csv`: the session's answers (audited).
async fn results_csv(
    State(state): State<ClassRoutes>,
    Extension(caller): Extension<StaffCaller>,
    Path(code): Path<String>,
) -> Response {
    let Some(held) = held_for(&state, &caller, &code) else { return StatusCode::NOT_FOUND.into_response() };
    let Some(scenario) = state.drills.library.get(&held.session.scenario) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let object = format!("drill:{}", held.session.code.as_str());
    if let Err(error) =
        state.staff.record(&Actor::of(&caller, None), "drill.export", &object, "results.csv").await
    {
        tracing::error!(%error, "recording the drill export failed");
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    csv_response(&format!("drill-{}.csv", held.session.code.as_str()), results_to_csv(&held, scenario))
}

/// The record as CSV: one line per drill held.
pub fn record_to_csv(rows: &[DrillRecordRow]) -> String {
    let mut out = String::from(
        "\u{feff}date_china,school,scenario,teacher,pacing,participants,finished,safe,mean_score_percent,code,opened_utc,closed_utc\r\n",
    );
    for row in rows {
        out.push_str(&csv_line(&[
            china_time(row.opened_at).chars().take(10).collect(),
            row.school.clone(),
            row.scenario.clone(),
            row.teacher.clone(),
            row.pacing.clone(),
            row.participants.to_string(),
            row.finished.to_string(),
            row.safe.to_string(),
            row.mean_percent.map(|p| p.to_string()).unwrap_or_default(),
            row.code.clone(),
            row.opened_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            row.closed_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        ]));
    }
    out
}

/// `GET /staff/drills/record.csv`: every drill held, for the bureau's statistics (admins;
/// audited).
async fn record_csv(State(state): State<ClassRoutes>, Extension(caller): Extension<StaffCaller>) -> Response {
    if !is_admin(&caller) {
        return StatusCode::FORBIDDEN.into_response();
    }
    let rows = match state.staff.store.drill_records().await {
        Ok(rows) => rows,
        Err(error) => {
            tracing::error!(%error, "reading the drill record failed");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    let detail = format!("{} lines", rows.len());
    if let Err(error) =
        state.staff.record(&Actor::of(&caller, None), "drill.record-export", "drills", &detail).await
    {
        tracing::error!(%error, "recording the record export failed");
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    csv_response("drills-held.csv", record_to_csv(&rows))
}

/// Records every session that closed: called once a second by the task in `tasks`.
pub async fn record_closed(drills: &Drills, staff: &Staff) {
    let now = Utc::now().timestamp_millis();
    for held in drills.sessions.tick(now) {
        let Some(scenario) = drills.library.get(&held.session.scenario) else { continue };
        let row = DrillRecordRow::of(&held, scenario, now);
        if let Err(error) = staff.store.record_drill(&row).await {
            tracing::error!(%error, code = held.session.code.as_str(), "recording a drill held failed");
        }
    }
}
