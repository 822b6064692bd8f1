//! The app's `ClassBackend`: pupils' joins and answers, teachers' sessions and actions, over the
//! registry of live sessions ([`ClassSessions`]). Teachers' calls check the role again behind
//! the staff guard, and every teacher action is audited (`drill.open`, `drill.release`,
//! `drill.remove`, `drill.exercise`, `drill.end`).

use std::sync::Arc;

use chrono::Utc;
use safejdz_app::{
    domain::{
        class_sessions::{ClassSession, Pacing, SessionError},
        drills::Scenario,
        staff::{Role, china_time},
    },
    drills::class_api::{
        ClassBackend, ClassState, ExerciseBanner, PupilSheet, ScenarioChoice, SessionLine, TeacherHome,
        TeacherSheet,
    },
    error::AppError,
    staff::{SignInStep, StaffCaller, StaffPending},
};

use super::{
    class_sessions::{ClassError, ClassSessions, ExerciseWarning, HeldSession, Opening, PupilTicket},
    exercise::{exercise_cap, read_exercise},
};
use crate::staff::{Staff, audit::Actor, console::signed_in_with, guard::client_address_of};

/// Who runs class sessions.
pub const TEACHING: &[Role] = &[Role::Teacher, Role::Admin];

/// The backend of class sessions.
pub struct ClassConsole {
    pub sessions: ClassSessions,
    pub staff: Staff,
    /// The site's public address, for the join link and its QR code.
    pub public_url: String,
}

fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

/// The words for a refusal.
fn refusal(error: ClassError) -> AppError {
    AppError::new(match error {
        ClassError::UnknownCode => "join-error-code",
        ClassError::TooManyTries => "join-error-too-many",
        ClassError::TooManySessions => "staff-drills-error-server-full",
        ClassError::TooManyOfYours => "staff-drills-error-too-many",
        ClassError::UnknownScenario => "staff-drills-error-scenario",
        ClassError::Nickname(message_id) => message_id,
        ClassError::NotThisPupil => "class-error-ticket",
        ClassError::Stale => "class-error-stale",
        ClassError::Session(SessionError::Closed) => "class-error-closed",
        ClassError::Session(SessionError::Full) => "join-error-full",
        ClassError::Session(SessionError::NicknameTaken) => "join-error-nickname-taken",
        ClassError::Session(SessionError::Removed) => "class-error-removed",
        ClassError::Session(SessionError::NotYet) => "class-error-not-yet",
        ClassError::Session(SessionError::NoSuchPupil) => "class-error-ticket",
        ClassError::Session(SessionError::Drill(_)) => "class-error-stale",
    })
}

fn english() -> bool {
    safejdz_app::shell::request_preferences().lang == safejdz_app::domain::preferences::Lang::En
}

fn is_admin(caller: &StaffCaller) -> bool {
    caller.person.as_ref().is_some_and(|p| p.roles.contains(Role::Admin))
}

fn time_of(ms: i64) -> String {
    china_time(chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default())
}

impl ClassConsole {
    pub fn backend(sessions: ClassSessions, staff: Staff, public_url: String) -> Arc<dyn ClassBackend> {
        Arc::new(ClassConsole { sessions, staff, public_url })
    }

    fn scenario_of(&self, session: &ClassSession) -> Result<&Scenario, AppError> {
        self.sessions
            .library()
            .get(&session.scenario)
            .ok_or_else(|| AppError::new("staff-drills-error-scenario"))
    }

    fn pupil_sheet(&self, held: &HeldSession, pupil: u32, now: i64) -> Result<PupilSheet, AppError> {
        let scenario = self.scenario_of(&held.session)?;
        let english = english();
        let Some(entry) = held.session.pupils.iter().find(|p| p.id == pupil) else {
            return Err(AppError::new("class-error-ticket"));
        };
        let state = if entry.removed {
            ClassState::Removed
        } else if held.session.is_open(now) {
            ClassState::Open
        } else {
            ClassState::Closed
        };
        let seconds_left =
            entry.run.deadline_ms(scenario).map(|deadline| (deadline - now + 999).max(0) / 1000);
        let exercise = held.exercise.as_ref().and_then(|fired| {
            let alert = read_exercise(&fired.cap_xml)?;
            let info =
                alert.infos.iter().find(|i| i.language.starts_with(if english { "en" } else { "zh" }))?;
            Some(ExerciseBanner {
                key: alert.identifier.clone(),
                event: info.event.clone(),
                headline: info.headline.clone().unwrap_or_default(),
                description: info.description.clone().unwrap_or_default(),
                instruction: info.instruction.clone().unwrap_or_default(),
            })
        });
        Ok(PupilSheet {
            code: held.session.code.as_str().to_owned(),
            nickname: entry.nickname.clone(),
            scenario: Scenario { sources: Vec::new(), ..scenario.in_one_language(english) },
            run: entry.run.clone(),
            state,
            waiting: state == ClassState::Open && !held.session.may_answer(pupil),
            seconds_left: if state == ClassState::Open { seconds_left } else { None },
            exercise,
        })
    }

    fn teacher_sheet(&self, held: &HeldSession, now: i64) -> Result<TeacherSheet, AppError> {
        let scenario = self.scenario_of(&held.session)?;
        let code = held.session.code.as_str().to_owned();
        let join_url = format!("{}/join?code={code}", self.public_url.trim_end_matches('/'));
        Ok(TeacherSheet {
            qr_svg: crate::staff::totp::qr_svg(&join_url).unwrap_or_default(),
            join_url,
            code,
            school: held.school.clone(),
            scenario: Scenario { sources: Vec::new(), ..scenario.in_one_language(english()) },
            pacing: held.session.pacing,
            open: held.session.is_open(now),
            closes_at: time_of(held.session.expires_ms),
            released: held.session.released,
            exercise_fired: held.exercise.is_some(),
            pupils: held.session.progress(scenario),
            tallies: held.session.tallies(scenario),
            result: held.session.result(scenario),
        })
    }

    async fn audit(
        &self,
        caller: &StaffCaller,
        action: &str,
        code: &str,
        detail: &str,
    ) -> Result<(), AppError> {
        self.staff.record(&Actor::of(caller, None), action, &format!("drill:{code}"), detail).await.map_err(
            |error| {
                tracing::error!(%error, "recording a drill action failed");
                AppError::new("error-request-failed")
            },
        )
    }

    async fn open_session(
        &self,
        caller: StaffCaller,
        scenario: String,
        pacing: String,
        school: String,
    ) -> Result<SignInStep, AppError> {
        let teacher_id = signed_in_with(&caller, TEACHING)?;
        let pacing = Pacing::from_key(&pacing).ok_or_else(|| AppError::new("staff-drills-error-pacing"))?;
        let school = school.split_whitespace().collect::<Vec<_>>().join(" ");
        if school.is_empty() || school.chars().count() > 80 {
            return Err(AppError::new("staff-drills-error-school"));
        }
        let teacher_name = caller.person.as_ref().map(|p| p.name.clone()).unwrap_or_default();
        let opening =
            Opening { scenario: scenario.clone(), pacing, teacher_id, teacher_name, school: school.clone() };
        let code = self.sessions.open(opening, now_ms()).map_err(refusal)?;
        self.audit(&caller, "drill.open", code.as_str(), &format!("{scenario} {} {school}", pacing.key()))
            .await?;
        Ok(SignInStep { next: format!("/staff/drills/{}", code.as_str()), new_token: None })
    }

    async fn act_on(
        &self,
        caller: StaffCaller,
        code: String,
        action: String,
        pupil: Option<u32>,
    ) -> Result<SignInStep, AppError> {
        let teacher_id = signed_in_with(&caller, TEACHING)?;
        let now = now_ms();
        let library = self.sessions.library();
        let mut detail = String::new();
        self.sessions
            .teacher_acts(&code, teacher_id, is_admin(&caller), now, |held| {
                if !held.session.is_open(now) {
                    return Err(ClassError::Session(SessionError::Closed));
                }
                match action.as_str() {
                    "release" => {
                        held.session.release_next(now);
                        detail = format!("released {}", held.session.released);
                        Ok(true)
                    }
                    "remove" => {
                        let id = pupil.ok_or(ClassError::Session(SessionError::NoSuchPupil))?;
                        let name =
                            held.session.pupils.iter().find(|p| p.id == id).map(|p| p.nickname.clone());
                        if !held.session.remove(id) {
                            return Err(ClassError::Session(SessionError::NoSuchPupil));
                        }
                        detail = format!("pupil {id} {}", name.unwrap_or_default());
                        Ok(true)
                    }
                    "exercise" => {
                        let scenario =
                            library.get(&held.session.scenario).ok_or(ClassError::UnknownScenario)?;
                        let cap_xml = exercise_cap(held.session.code.as_str(), scenario, Utc::now());
                        held.exercise = Some(ExerciseWarning { fired_ms: now, cap_xml });
                        detail = "status Exercise".to_owned();
                        Ok(true)
                    }
                    "end" => {
                        held.session.end();
                        Ok(true)
                    }
                    _ => Err(ClassError::Stale),
                }
            })
            .map_err(|error| match error {
                ClassError::Stale => AppError::new("staff-drills-error-action"),
                ClassError::UnknownCode => AppError::new("staff-drills-error-missing"),
                other => refusal(other),
            })?;
        self.audit(&caller, &format!("drill.{action}"), &code, &detail).await?;
        Ok(SignInStep { next: format!("/staff/drills/{code}"), new_token: None })
    }
}

impl ClassBackend for ClassConsole {
    fn join(
        &self,
        request: http::request::Parts,
        code: String,
        nickname: String,
    ) -> StaffPending<'_, String> {
        Box::pin(async move {
            let address = client_address_of(
                &request.headers,
                &request.extensions,
                self.staff.settings.trust_forwarded_for,
            );
            let ticket = self.sessions.join(&code, &nickname, &address, now_ms()).map_err(refusal)?;
            Ok(ticket.to_cookie())
        })
    }

    fn sheet(&self, ticket: Option<String>) -> StaffPending<'_, Option<PupilSheet>> {
        Box::pin(async move {
            let Some(ticket) = ticket.as_deref().and_then(PupilTicket::from_cookie) else { return Ok(None) };
            let now = now_ms();
            match self.sessions.for_pupil(&ticket, now) {
                Ok(held) => self.pupil_sheet(&held, ticket.pupil, now).map(Some),
                // An old cookie (the session is gone, or the server restarted): join again.
                Err(_) => Ok(None),
            }
        })
    }

    fn answer(&self, ticket: Option<String>, step: String, choice: String) -> StaffPending<'_, ()> {
        Box::pin(async move {
            let ticket = ticket
                .as_deref()
                .and_then(PupilTicket::from_cookie)
                .ok_or_else(|| AppError::new("class-error-ticket"))?;
            self.sessions.answer(&ticket, &step, &choice, now_ms()).map_err(refusal)
        })
    }

    fn home(&self, caller: StaffCaller) -> StaffPending<'_, TeacherHome> {
        Box::pin(async move {
            let teacher_id = signed_in_with(&caller, TEACHING)?;
            let english = english();
            let library = self.sessions.library();
            let now = now_ms();
            let admin = is_admin(&caller);
            let sessions = self
                .sessions
                .of_teacher(teacher_id, admin)
                .into_iter()
                .map(|held| SessionLine {
                    code: held.session.code.as_str().to_owned(),
                    title: library
                        .get(&held.session.scenario)
                        .map(|s| s.title.in_language(english).to_owned())
                        .unwrap_or_default(),
                    school: held.school.clone(),
                    teacher: held.teacher_name.clone(),
                    opened_at: time_of(held.session.opened_ms),
                    open: held.session.is_open(now),
                    pupils: held.session.pupils.iter().filter(|p| !p.removed).count(),
                })
                .collect();
            let records = if admin {
                Some(self.staff.store.drill_records().await.map_err(|error| {
                    tracing::error!(%error, "reading the drill record failed");
                    AppError::new("error-request-failed")
                })?)
                .map(|rows| rows.len())
            } else {
                None
            };
            let scenarios = library
                .all()
                .iter()
                .map(|s| ScenarioChoice { id: s.id.clone(), title: s.title.in_language(english).to_owned() })
                .collect();
            Ok(TeacherHome { scenarios, sessions, records })
        })
    }

    fn open(
        &self,
        caller: StaffCaller,
        scenario: String,
        pacing: String,
        school: String,
    ) -> StaffPending<'_, SignInStep> {
        Box::pin(self.open_session(caller, scenario, pacing, school))
    }

    fn session(&self, caller: StaffCaller, code: String) -> StaffPending<'_, Option<TeacherSheet>> {
        Box::pin(async move {
            let teacher_id = signed_in_with(&caller, TEACHING)?;
            let now = now_ms();
            match self.sessions.for_teacher(&code, teacher_id, is_admin(&caller), now) {
                Ok(held) => self.teacher_sheet(&held, now).map(Some),
                Err(_) => Ok(None),
            }
        })
    }

    fn act(
        &self,
        caller: StaffCaller,
        code: String,
        action: String,
        pupil: Option<u32>,
    ) -> StaffPending<'_, SignInStep> {
        Box::pin(self.act_on(caller, code, action, pupil))
    }
}
