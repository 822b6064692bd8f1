use std::sync::Arc;

use safejdz_app::domain::{
    class_sessions::{Pacing, SessionError},
    drills::ScenarioLibrary,
};

use super::*;

fn sessions() -> ClassSessions {
    let scenarios = crate::drills::scenarios::all().expect("the shipped scenarios");
    ClassSessions::new(Arc::new(ScenarioLibrary::new(scenarios)))
}

fn opening(teacher_id: i64) -> Opening {
    Opening {
        scenario: "earthquake-classroom".into(),
        pacing: Pacing::SelfPaced,
        teacher_id,
        teacher_name: format!("teacher{teacher_id}"),
        school: "浮梁县第一小学".into(),
    }
}

#[test]
fn a_pupil_joins_with_the_code_and_rejoins_with_the_ticket_only() {
    let sessions = sessions();
    let code = sessions.open(opening(1), 0).expect("opened");
    let ticket =
        sessions.join(&format!(" {} ", code.as_str()), "  Li  Lei ", "10.0.0.1", 10).expect("joined");
    let again = PupilTicket::from_cookie(&ticket.to_cookie()).expect("the cookie reads back");
    assert_eq!(again, ticket);
    let held = sessions.for_pupil(&again, 20).expect("the same pupil");
    assert_eq!(held.session.pupils[0].nickname, "Li Lei");
    let forged = PupilTicket { token: "0".repeat(32), ..ticket.clone() };
    assert_eq!(sessions.for_pupil(&forged, 20).expect_err("refused"), ClassError::NotThisPupil);
    let other = PupilTicket { pupil: 2, ..ticket };
    assert_eq!(sessions.for_pupil(&other, 20).expect_err("refused"), ClassError::NotThisPupil);
}

#[test]
fn an_answer_is_taken_once_for_the_step_the_page_showed() {
    let sessions = sessions();
    let code = sessions.open(opening(1), 0).expect("opened");
    let ticket = sessions.join(code.as_str(), "Mei", "10.0.0.1", 0).expect("joined");
    let first = sessions.for_pupil(&ticket, 0).expect("held").session.pupils[0].run.step.clone();
    let scenario = sessions.library().get("earthquake-classroom").expect("scenario");
    let right =
        scenario.step(&first).expect("step").choices.iter().find(|c| c.correct).expect("a right choice");
    sessions.answer(&ticket, &first, &right.id, 1_000).expect("answered");
    // The same form sent twice (a double tap, a resend after a lost connection) is stale.
    assert_eq!(sessions.answer(&ticket, &first, &right.id, 1_100).expect_err("refused"), ClassError::Stale);
    let pupil = &sessions.for_pupil(&ticket, 1_200).expect("held").session.pupils[0];
    assert_eq!(pupil.run.answers.len(), 1);
    assert_ne!(pupil.run.step, first);
}

#[test]
fn wrong_codes_pause_an_address_but_not_another() {
    let sessions = sessions();
    let code = sessions.open(opening(1), 0).expect("opened");
    let wrong = if code.as_str() == "000000" { "000001" } else { "000000" };
    for _ in 0..JOIN_FAILURES_ALLOWED {
        assert_eq!(sessions.join(wrong, "x", "10.0.0.9", 5).expect_err("refused"), ClassError::UnknownCode);
    }
    assert_eq!(
        sessions.join(code.as_str(), "x", "10.0.0.9", 6).expect_err("refused"),
        ClassError::TooManyTries
    );
    sessions.join(code.as_str(), "y", "10.0.0.8", 6).expect("another address joins");
    let later = 6 + JOIN_WINDOW.as_millis() as i64;
    sessions.join(code.as_str(), "x", "10.0.0.9", later).expect("the pause ends");
}

#[test]
fn nicknames_are_checked_and_unique_in_a_session() {
    let sessions = sessions();
    let code = sessions.open(opening(1), 0).expect("opened");
    assert_eq!(
        sessions.join(code.as_str(), "<b>", "a", 0).expect_err("refused"),
        ClassError::Nickname("join-error-nickname-text")
    );
    sessions.join(code.as_str(), "Mei", "a", 0).expect("joined");
    assert_eq!(
        sessions.join(code.as_str(), "mei", "a", 0).expect_err("refused"),
        ClassError::Session(SessionError::NicknameTaken)
    );
}

#[test]
fn a_teacher_sees_and_changes_only_their_own_sessions_and_an_admin_any() {
    let sessions = sessions();
    let code = sessions.open(opening(1), 0).expect("opened");
    assert_eq!(
        sessions.for_teacher(code.as_str(), 2, false, 0).expect_err("refused"),
        ClassError::UnknownCode
    );
    sessions.for_teacher(code.as_str(), 2, true, 0).expect("an admin sees it");
    assert_eq!(sessions.of_teacher(1, false).len(), 1);
    assert!(sessions.of_teacher(2, false).is_empty());
    for _ in 1..MAX_SESSIONS_PER_TEACHER {
        sessions.open(opening(1), 0).expect("opened");
    }
    assert_eq!(sessions.open(opening(1), 0).expect_err("refused"), ClassError::TooManyOfYours);
}

#[test]
fn answers_move_the_teachers_signal_and_only_class_wide_changes_move_the_pupils() {
    let sessions = sessions();
    let code = sessions.open(opening(1), 0).expect("opened");
    let (teacher, class) =
        (sessions.watch_teacher(&code).expect("teacher"), sessions.watch_class(&code).expect("class"));
    let ticket = sessions.join(code.as_str(), "Mei", "a", 0).expect("joined");
    assert!(teacher.has_changed().expect("open"));
    assert!(!class.has_changed().expect("open"));
    sessions
        .teacher_acts(code.as_str(), 1, false, 10, |held| {
            held.session.end();
            Ok(true)
        })
        .expect("ended");
    assert!(class.has_changed().expect("open"));
    assert_eq!(
        sessions.answer(&ticket, "start", "x", 20).expect_err("refused"),
        ClassError::Stale,
        "the step is checked before the session"
    );
}

#[test]
fn a_closed_session_is_handed_over_for_the_record_once_and_dropped_after_its_results_are_kept() {
    let sessions = sessions();
    let code = sessions.open(opening(1), 0).expect("opened");
    sessions.join(code.as_str(), "Mei", "a", 0).expect("joined");
    assert!(sessions.tick(1_000).is_empty());
    let expired = SESSION_LIFETIME.as_millis() as i64;
    let closed = sessions.tick(expired);
    assert_eq!(closed.len(), 1);
    assert_eq!(closed[0].session.pupils.len(), 1);
    assert!(sessions.tick(expired + 1).is_empty(), "recorded once");
    assert_eq!(
        sessions.join(code.as_str(), "Lei", "a", expired).expect_err("refused"),
        ClassError::UnknownCode,
        "an expired code takes nobody"
    );
    sessions.tick(expired + RESULTS_KEPT.as_millis() as i64);
    assert!(sessions.of_teacher(1, false).is_empty());
}

#[test]
fn step_by_step_refuses_an_answer_before_release() {
    let sessions = sessions();
    let code = sessions.open(Opening { pacing: Pacing::StepByStep, ..opening(1) }, 0).expect("opened");
    let ticket = sessions.join(code.as_str(), "Mei", "a", 0).expect("joined");
    let scenario = sessions.library().get("earthquake-classroom").expect("scenario");
    let mut step = sessions.for_pupil(&ticket, 0).expect("held").session.pupils[0].run.step.clone();
    let choice = |step: &str| {
        scenario.step(step).expect("step").choices.iter().find(|c| c.correct).expect("right").id.clone()
    };
    sessions.answer(&ticket, &step, &choice(&step), 500).expect("the first decision is released");
    step = sessions.for_pupil(&ticket, 600).expect("held").session.pupils[0].run.step.clone();
    assert_eq!(
        sessions.answer(&ticket, &step, &choice(&step), 700).expect_err("refused"),
        ClassError::Session(SessionError::NotYet)
    );
    sessions
        .teacher_acts(code.as_str(), 1, false, 800, |held| {
            held.session.release_next(800);
            Ok(true)
        })
        .expect("released");
    sessions.answer(&ticket, &step, &choice(&step), 900).expect("answered after release");
}
