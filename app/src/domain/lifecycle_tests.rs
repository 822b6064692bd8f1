//! Table tests of the alert lifecycle.

use chrono::{DateTime, Duration, FixedOffset};
use rstest::rstest;

use super::*;

const SENDER: &str = "36020041600000";

fn at(hour: u32) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(&format!("2026-07-04T{hour:02}:00:00+08:00")).expect("valid time")
}

fn message(key: i64, hour: u32, msg_type: MsgType) -> MessageFacts {
    MessageFacts {
        key,
        sender: SENDER.into(),
        identifier: format!("{SENDER}_2026070{key}"),
        sent: at(hour),
        status: Status::Actual,
        msg_type,
        references: Vec::new(),
        events: vec!["暴雨".into()],
        expires: Some(at(23)),
        lifts: false,
    }
}

fn referencing(mut m: MessageFacts, target: &MessageFacts) -> MessageFacts {
    m.references.push(Reference {
        sender: target.sender.clone(),
        identifier: target.identifier.clone(),
        sent: target.sent.to_rfc3339(),
    });
    m
}

fn states(messages: &[MessageFacts], now_hour: u32) -> Vec<Lifecycle> {
    let resolved = resolve(messages, at(now_hour), Duration::hours(24));
    messages.iter().map(|m| resolved[&m.key]).collect()
}

#[test]
fn an_alert_is_active_until_it_expires() {
    let alert = message(1, 8, MsgType::Alert);
    assert_eq!(states(std::slice::from_ref(&alert), 9), [Lifecycle::Active]);
    assert_eq!(states(std::slice::from_ref(&alert), 23), [Lifecycle::Expired]);
}

#[test]
fn without_expires_the_default_lifetime_applies() {
    let mut alert = message(1, 8, MsgType::Alert);
    alert.expires = None;
    let resolved = resolve(&[alert.clone()], at(8) + Duration::hours(5), Duration::hours(6));
    assert_eq!(resolved[&1], Lifecycle::Active);
    let resolved = resolve(&[alert], at(8) + Duration::hours(6), Duration::hours(6));
    assert_eq!(resolved[&1], Lifecycle::Expired);
}

#[test]
fn an_update_supersedes_what_it_references() {
    let alert = message(1, 8, MsgType::Alert);
    let update = referencing(message(2, 9, MsgType::Update), &alert);
    assert_eq!(states(&[alert, update], 10), [Lifecycle::Superseded { by: 2 }, Lifecycle::Active]);
}

#[test]
fn a_cancel_ends_what_it_references_and_is_no_warning_itself() {
    let alert = message(1, 8, MsgType::Alert);
    let cancel = referencing(message(2, 9, MsgType::Cancel), &alert);
    assert_eq!(states(&[alert, cancel], 10), [Lifecycle::Cancelled { by: 2 }, Lifecycle::Notice]);
}

#[test]
fn a_cancel_arriving_before_the_update_it_follows_still_applies_in_sent_order() {
    let alert = message(1, 8, MsgType::Alert);
    let update = referencing(message(2, 9, MsgType::Update), &alert);
    let cancel = referencing(message(3, 10, MsgType::Cancel), &update);
    // Stored out of order: the store's order must not matter.
    assert_eq!(
        states(&[cancel.clone(), alert.clone(), update.clone()], 11),
        [Lifecycle::Notice, Lifecycle::Superseded { by: 2 }, Lifecycle::Cancelled { by: 3 }]
    );
}

#[rstest]
#[case::no_references(false)]
#[case::references_itself(true)]
fn without_a_usable_reference_the_same_senders_same_event_is_meant(#[case] self_reference: bool) {
    let alert = message(1, 8, MsgType::Alert);
    let mut other_event = message(2, 8, MsgType::Alert);
    other_event.events = vec!["地质灾害".into()];
    let mut lift = message(3, 9, MsgType::Update);
    lift.lifts = true;
    if self_reference {
        lift = referencing(lift.clone(), &lift);
    }
    assert_eq!(
        states(&[alert, other_event, lift], 10),
        [Lifecycle::Lifted { by: 3 }, Lifecycle::Active, Lifecycle::Notice]
    );
}

#[test]
fn test_and_exercise_messages_are_never_warnings_and_end_nothing() {
    let alert = message(1, 8, MsgType::Alert);
    let mut test_cancel = referencing(message(2, 9, MsgType::Cancel), &alert);
    test_cancel.status = Status::Test;
    let mut exercise = message(3, 9, MsgType::Alert);
    exercise.status = Status::Exercise;
    assert_eq!(
        states(&[alert, test_cancel, exercise], 10),
        [Lifecycle::Active, Lifecycle::NotActual, Lifecycle::NotActual]
    );
}

#[test]
fn a_reference_with_another_spelling_of_the_same_instant_matches() {
    let alert = message(1, 8, MsgType::Alert);
    let mut cancel = message(2, 9, MsgType::Cancel);
    cancel.references.push(Reference {
        sender: SENDER.into(),
        identifier: alert.identifier.clone(),
        sent: "2026-07-04T00:00:00Z".into(),
    });
    assert_eq!(states(&[alert, cancel], 10)[0], Lifecycle::Cancelled { by: 2 });
}

#[test]
fn a_reference_to_another_sent_time_does_not_match() {
    let alert = message(1, 8, MsgType::Alert);
    let mut cancel = message(2, 9, MsgType::Cancel);
    cancel.references.push(Reference {
        sender: SENDER.into(),
        identifier: alert.identifier.clone(),
        sent: "2026-07-03T08:00:00+08:00".into(),
    });
    assert_eq!(states(&[alert, cancel], 10)[0], Lifecycle::Active);
}

#[test]
fn an_ended_warning_keeps_how_it_ended() {
    let alert = message(1, 8, MsgType::Alert);
    let cancel = referencing(message(2, 9, MsgType::Cancel), &alert);
    let late_update = referencing(message(3, 10, MsgType::Update), &alert);
    assert_eq!(states(&[alert, cancel, late_update], 11)[0], Lifecycle::Cancelled { by: 2 });
}
