//! Server functions of class sessions: a pupil joins with the code and a nickname (a cookie
//! ticket lets them rejoin where they were), sees their step and answers; a teacher opens a
//! session, watches it, releases steps, removes a nickname, fires the exercise warning and
//! ends it. The server does the work behind [`ClassBackend`], provided as context; these
//! functions only carry the forms' fields and turn the answer into a redirect.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{
    domain::{
        class_sessions::{ClassResult, Pacing, PupilProgress, StepTally},
        drills::{DrillRun, Scenario},
    },
    error::AppError,
};

/// The pupil's cookie: `code.pupil.token`, for the session's lifetime.
pub const CLASS_COOKIE: &str = "sjdz_class";

/// The teacher's CSV of a session's answers: `/staff/drills/{code}/results.csv`.
pub const CLASS_RESULTS_CSV_PATH: &str = "/staff/drills/{id}/results.csv";
/// The teacher's live stream of a session.
pub const CLASS_TEACHER_STREAM_PATH: &str = "/staff/drills/{id}/stream";
/// Admins' CSV of every drill held.
pub const DRILL_RECORD_CSV_PATH: &str = "/staff/drills/record.csv";
/// A pupil's stream: what the whole class must see (a released step, the exercise, the end).
pub const CLASS_PUPIL_STREAM_PATH: &str = "/class/stream";

/// The simulated warning on the pupils' screens, from its CAP message (status Exercise).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExerciseBanner {
    /// Identifies it on the page (a new one raises the live banner).
    pub key: String,
    pub event: String,
    pub headline: String,
    pub description: String,
    pub instruction: String,
}

/// Where a pupil's session stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClassState {
    Open,
    /// Ended by the teacher, or expired.
    Closed,
    /// The teacher removed this nickname.
    Removed,
}

/// The pupil's page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PupilSheet {
    pub code: String,
    pub nickname: String,
    /// The scenario in the pupil's language.
    pub scenario: Scenario,
    pub run: DrillRun,
    pub state: ClassState,
    /// Step by step: the teacher has not released this decision yet.
    pub waiting: bool,
    /// Seconds left on a timed step (the server enforces it).
    pub seconds_left: Option<i64>,
    pub exercise: Option<ExerciseBanner>,
}

/// One session in the teacher's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionLine {
    pub code: String,
    pub title: String,
    pub school: String,
    pub teacher: String,
    pub opened_at: String,
    pub open: bool,
    pub pupils: usize,
}

/// A scenario a teacher can open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScenarioChoice {
    pub id: String,
    pub title: String,
}

/// `/staff/drills`: scenarios, the caller's sessions, and for admins the record of drills.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TeacherHome {
    pub scenarios: Vec<ScenarioChoice>,
    pub sessions: Vec<SessionLine>,
    /// Admins: how many drills the record holds (the CSV has them).
    pub records: Option<usize>,
}

/// The teacher's screen of one session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeacherSheet {
    pub code: String,
    /// The address pupils open (`…/join?code=…`) and its QR code, an SVG made on the server.
    pub join_url: String,
    pub qr_svg: String,
    pub school: String,
    /// The scenario in the teacher's language.
    pub scenario: Scenario,
    pub pacing: Pacing,
    pub open: bool,
    /// China time the session closes.
    pub closes_at: String,
    /// Step by step: decisions released so far.
    pub released: usize,
    pub exercise_fired: bool,
    pub pupils: Vec<PupilProgress>,
    pub tallies: Vec<StepTally>,
    pub result: ClassResult,
}

/// A pupil joins: `code` as typed, a `nickname`.
#[server(prefix = "/_rpc/class", endpoint = "join")]
pub async fn class_join(code: String, nickname: String) -> Result<(), AppError> {
    let result = ssr::backend()?.join(ssr::request()?, code.clone(), nickname.clone()).await;
    match result {
        Ok(cookie) => {
            crate::shell::set_cookie(CLASS_COOKIE, &cookie, ssr::COOKIE_SECONDS);
            leptos_axum::redirect("/class");
        }
        Err(error) => {
            let encode = crate::domain::url::percent_encode;
            leptos_axum::redirect(&format!(
                "/join?{}={}&code={}&nickname={}",
                crate::shell::ERROR_PARAMETER,
                error.message_id,
                encode(&code),
                encode(&nickname)
            ));
        }
    }
    Ok(())
}

/// The pupil's page; `None` without a ticket for a session this server holds.
#[server(prefix = "/_rpc/class", endpoint = "sheet")]
pub async fn class_sheet() -> Result<Option<PupilSheet>, AppError> {
    ssr::backend()?.sheet(ssr::ticket()).await
}

/// The pupil answers `choice` at `step` (the step the page showed).
#[server(prefix = "/_rpc/class", endpoint = "answer")]
pub async fn class_answer(step: String, choice: String) -> Result<(), AppError> {
    match ssr::backend()?.answer(ssr::ticket(), step, choice).await {
        Ok(()) => leptos_axum::redirect("/class"),
        Err(error) => {
            leptos_axum::redirect(&format!("/class?{}={}", crate::shell::ERROR_PARAMETER, error.message_id))
        }
    }
    Ok(())
}

/// The pupil leaves: the ticket is forgotten on this phone.
#[server(prefix = "/_rpc/class", endpoint = "leave")]
pub async fn class_leave() -> Result<(), AppError> {
    crate::shell::set_cookie(CLASS_COOKIE, "", 0);
    leptos_axum::redirect("/join");
    Ok(())
}

/// The teacher's home: scenarios to open and the caller's sessions.
#[server(prefix = "/_rpc/staff", endpoint = "drills")]
pub async fn staff_drills() -> Result<TeacherHome, AppError> {
    ssr::backend()?.home(ssr::caller()?).await
}

/// Opens a session of `scenario` at `school`, `pacing` "self-paced" or "step-by-step".
#[server(prefix = "/_rpc/staff", endpoint = "drills/open")]
pub async fn staff_drill_open(scenario: String, pacing: String, school: String) -> Result<(), AppError> {
    let result = ssr::backend()?.open(ssr::caller()?, scenario, pacing, school.clone()).await;
    crate::staff::follow_with(result, "/staff/drills", &[("school", &school)])
}

/// The teacher's screen of session `code`.
#[server(prefix = "/_rpc/staff", endpoint = "drills/session")]
pub async fn staff_drill_session(code: String) -> Result<Option<TeacherSheet>, AppError> {
    ssr::backend()?.session(ssr::caller()?, code).await
}

/// A teacher's action on session `code`: `release` the next step, `remove` pupil `pupil`,
/// fire the `exercise` warning, or `end` it.
#[server(prefix = "/_rpc/staff", endpoint = "drills/act")]
pub async fn staff_drill_act(code: String, action: String, pupil: Option<u32>) -> Result<(), AppError> {
    let back = format!("/staff/drills/{code}");
    let result = ssr::backend()?.act(ssr::caller()?, code, action, pupil).await;
    crate::staff::follow(result, &back)
}

#[cfg(feature = "ssr")]
pub use ssr::ClassBackend;

#[cfg(feature = "ssr")]
mod ssr {
    use std::sync::Arc;

    use leptos::prelude::*;

    use super::*;
    use crate::staff::{SignInStep, StaffCaller, StaffPending};

    /// The pupil's cookie lasts as long as a session can (3 hours), then the browser drops it.
    pub const COOKIE_SECONDS: u32 = 3 * 3600;

    /// What the server does for class sessions. Pupil calls carry their cookie's ticket (as
    /// read, unchecked); teacher calls the caller the staff guard found.
    pub trait ClassBackend: Send + Sync {
        /// The cookie value of the new pupil's ticket.
        fn join(
            &self,
            request: http::request::Parts,
            code: String,
            nickname: String,
        ) -> StaffPending<'_, String>;
        fn sheet(&self, ticket: Option<String>) -> StaffPending<'_, Option<PupilSheet>>;
        fn answer(&self, ticket: Option<String>, step: String, choice: String) -> StaffPending<'_, ()>;
        fn home(&self, caller: StaffCaller) -> StaffPending<'_, TeacherHome>;
        fn open(
            &self,
            caller: StaffCaller,
            scenario: String,
            pacing: String,
            school: String,
        ) -> StaffPending<'_, SignInStep>;
        fn session(&self, caller: StaffCaller, code: String) -> StaffPending<'_, Option<TeacherSheet>>;
        fn act(
            &self,
            caller: StaffCaller,
            code: String,
            action: String,
            pupil: Option<u32>,
        ) -> StaffPending<'_, SignInStep>;
    }

    pub fn backend() -> Result<Arc<dyn ClassBackend>, AppError> {
        use_context::<Arc<dyn ClassBackend>>().ok_or_else(|| AppError::new("error-request-failed"))
    }

    pub fn caller() -> Result<StaffCaller, AppError> {
        crate::staff::caller().ok_or_else(|| AppError::new("staff-error-signed-out"))
    }

    pub fn request() -> Result<http::request::Parts, AppError> {
        use_context::<http::request::Parts>().ok_or_else(|| AppError::new("error-request-failed"))
    }

    /// The class cookie of the request, if any.
    pub fn ticket() -> Option<String> {
        let parts = use_context::<http::request::Parts>()?;
        let cookies = parts.headers.get_all(http::header::COOKIE);
        cookies.iter().filter_map(|value| value.to_str().ok()).flat_map(|value| value.split(';')).find_map(
            |pair| {
                let (name, value) = pair.trim().split_once('=')?;
                (name == CLASS_COOKIE && !value.is_empty()).then(|| value.to_owned())
            },
        )
    }
}
