use super::*;
use crate::domain::drills::tests::scenario;

const MINUTE: i64 = 60_000;

fn session(pacing: Pacing) -> ClassSession {
    ClassSession::open(SessionCode::from_random(42), &scenario(), pacing, 0, 90 * MINUTE)
}

#[test]
fn codes_are_six_digits_and_typing_is_forgiven() {
    assert_eq!(SessionCode::from_random(42).as_str(), "000042");
    assert_eq!(SessionCode::from_random(123_456_789).as_str(), "456789");
    assert_eq!(SessionCode::parse(" 482 913 ").map(|c| c.0), Some("482913".into()));
    assert_eq!(SessionCode::parse("482-913").map(|c| c.0), Some("482913".into()));
    for bad in ["48291", "4829134", "48291a", "", "４８２９１３"] {
        assert_eq!(SessionCode::parse(bad), None, "{bad}");
    }
}

#[test]
fn nicknames_are_short_plain_text() {
    assert_eq!(nickname("  小  明 "), Ok("小 明".into()));
    assert_eq!(nickname("   "), Err(NicknameProblem::Empty));
    assert_eq!(nickname(&"长".repeat(17)), Err(NicknameProblem::TooLong));
    assert_eq!(nickname(&"长".repeat(16)).map(|n| n.chars().count()), Ok(16));
    assert_eq!(nickname("<b>x</b>"), Err(NicknameProblem::NotPlainText));
    assert_eq!(nickname("a\u{7}b"), Err(NicknameProblem::NotPlainText));
    assert_eq!(Pacing::from_key("step-by-step"), Some(Pacing::StepByStep));
    assert_eq!(Pacing::from_key(Pacing::SelfPaced.key()), Some(Pacing::SelfPaced));
}

#[test]
fn pupils_join_once_per_nickname_until_the_session_closes() {
    let scenario = scenario();
    let mut session = session(Pacing::SelfPaced);
    assert_eq!(session.join(&scenario, "小明", 1_000), Ok(1));
    assert_eq!(session.join(&scenario, "小红", 2_000), Ok(2));
    assert_eq!(session.join(&scenario, "小明", 3_000), Err(SessionError::NicknameTaken));
    assert_eq!(session.join(&scenario, "Tom", 3_000), Ok(3));
    assert_eq!(session.join(&scenario, "TOM", 3_000), Err(SessionError::NicknameTaken));
    // A removed nickname frees its name.
    assert!(session.remove(3));
    assert_eq!(session.join(&scenario, "Tom", 4_000), Ok(4));
    assert_eq!(session.join(&scenario, "late", 90 * MINUTE), Err(SessionError::Closed));
    session.end();
    assert_eq!(session.join(&scenario, "later", 5_000), Err(SessionError::Closed));
}

#[test]
fn a_session_takes_a_hundred_pupils() {
    let scenario = scenario();
    let mut session = session(Pacing::SelfPaced);
    for n in 0..MAX_PUPILS {
        session.join(&scenario, &format!("p{n}"), 0).expect("room");
    }
    assert_eq!(session.join(&scenario, "one-more", 0), Err(SessionError::Full));
}

#[test]
fn self_paced_pupils_answer_at_their_own_speed_and_time_out_on_a_timed_step() {
    let scenario = scenario();
    let mut session = session(Pacing::SelfPaced);
    let fast = session.join(&scenario, "fast", 0).expect("joined");
    let slow = session.join(&scenario, "slow", 0).expect("joined");
    session.answer(&scenario, fast, "right", 4_000).expect("in time");
    session.answer(&scenario, fast, "wrong", 6_000).expect("an answer");
    // s1 allows 10 s: at 11 s the slow pupil's time has run out.
    assert_eq!(session.time_out(&scenario, 11_000), 1);
    let progress = session.progress(&scenario);
    assert_eq!(
        progress.iter().map(|p| (p.nickname.as_str(), p.decisions, p.finished)).collect::<Vec<_>>(),
        [("fast", 2, true), ("slow", 1, true)]
    );
    assert_eq!(session.answer(&scenario, slow, "right", 12_000), Err(SessionError::Drill(DrillError::Ended)));
    assert_eq!(session.answer(&scenario, 99, "right", 12_000), Err(SessionError::NoSuchPupil));
}

#[test]
fn step_by_step_waits_for_the_teacher_and_starts_the_clock_at_release() {
    let scenario = scenario();
    let mut session = session(Pacing::StepByStep);
    let pupil = session.join(&scenario, "小明", 0).expect("joined");
    session.answer(&scenario, pupil, "right", 2_000).expect("the first decision is released at opening");
    assert_eq!(session.answer(&scenario, pupil, "right", 3_000), Err(SessionError::NotYet));
    assert!(!session.may_answer(pupil));
    session.release_next(60_000);
    assert!(session.may_answer(pupil));
    session.answer(&scenario, pupil, "right", 61_000).expect("released");
    assert_eq!(session.pupils[0].run.answers[1].took_ms, 1_000, "timed from the release");
}

#[test]
fn a_removed_pupil_can_do_nothing_and_counts_for_nothing() {
    let scenario = scenario();
    let mut session = session(Pacing::SelfPaced);
    let a = session.join(&scenario, "a", 0).expect("joined");
    let b = session.join(&scenario, "b", 0).expect("joined");
    session.answer(&scenario, b, "wrong", 1_000).expect("an answer");
    assert!(session.remove(b));
    assert!(!session.remove(99));
    assert_eq!(session.answer(&scenario, b, "right", 2_000), Err(SessionError::Removed));
    assert_eq!(session.progress(&scenario).len(), 1);
    assert_eq!(session.tallies(&scenario), Vec::<StepTally>::new());
    session.answer(&scenario, a, "right", 3_000).expect("an answer");
    assert_eq!(session.result(&scenario).participants, 1);
}

#[test]
fn tallies_count_each_choice_without_names_and_the_result_averages_the_finished() {
    let scenario = scenario();
    let mut session = session(Pacing::SelfPaced);
    let ids: Vec<u32> =
        ["a", "b", "c"].iter().map(|n| session.join(&scenario, n, 0).expect("joined")).collect();
    session.answer(&scenario, ids[0], "right", 2_000).expect("answer");
    session.answer(&scenario, ids[1], "right", 4_000).expect("answer");
    session.answer(&scenario, ids[2], "wrong", 3_000).expect("answer");
    let tallies = session.tallies(&scenario);
    assert_eq!(tallies.len(), 1);
    assert_eq!(tallies[0].step, "s1");
    assert_eq!(tallies[0].choices, [("right".to_owned(), 2), ("wrong".to_owned(), 1)]);
    assert_eq!((tallies[0].timed_out, tallies[0].mean_ms), (0, Some(3_000)));
    // a finishes with full marks; c ended on the lesson with none; b is still playing.
    for _ in 0..5 {
        session.answer(&scenario, ids[0], "right", 5_000).expect("answer");
    }
    let result = session.result(&scenario);
    assert_eq!(result, ClassResult { participants: 3, finished: 2, safe: 1, mean_percent: Some(50) });
}
