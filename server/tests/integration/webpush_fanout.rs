//! Web Push fan-out end to end, against a local push service that decrypts every message:
//! which devices hear of a warning, in which language; updates, cancels, failures; a fan-out a
//! stopped replica left, and one that was missed.

use crate::support::push_service;

use std::time::Duration;

use chrono::Utc;
use push_service::{cap, fixture, fixture_with, sent_of, without_areas};
use safejdz_app::domain::notifications::NotifyLevels;
use safejdz_server::notify::webpush::NotificationPayload;

#[tokio::test]
async fn each_concerned_device_gets_one_notification_in_its_language_and_an_update_replaces_it() {
    let f = fixture().await;
    // 0: a village in 昌江区 (zh-CN); 1: 乐平市 (elsewhere); 2: 昌江区 in English, red only;
    // 3: 昌江区 township and a 1 km cell, English, all levels.
    f.subscribe(0, "360202001001", NotifyLevels::ALL, "zh-CN").await;
    f.subscribe(1, "360281000000", NotifyLevels::ALL, "zh-CN").await;
    f.subscribe(2, "360202001", NotifyLevels::NONE.with(safejdz_app::domain::cap::ColourLevel::Red), "en")
        .await;
    f.subscribe(3, "360202001~p29.30_117.20", NotifyLevels::ALL, "en").await;

    let first = cap("rain-1", "Alert", "", "橙", "360202000000", "Actual");
    let first_id = f.receive(&first).await;
    let counts = f.fanout(first_id).await;
    assert_eq!((counts.matched, counts.delivered, counts.removed, counts.failed), (2, 2, 0, 0));
    let received = f.received();
    let mut browsers: Vec<usize> = received.iter().map(|(b, _, _)| *b).collect();
    browsers.sort_unstable();
    assert_eq!(browsers, [0, 3], "only the places in 昌江区 and the levels chosen");
    let chinese = &received.iter().find(|(b, _, _)| *b == 0).expect("browser 0").2;
    assert_eq!(chinese.kind, "new");
    assert_eq!(chinese.title, "橙色预警：暴雨");
    assert!(
        chinese.body.starts_with("暴雨橙色预警 rain-1") && chinese.body.contains("昌江区"),
        "{}",
        chinese.body
    );
    assert_eq!(chinese.url, format!("/alerts/{first_id}"));
    assert_eq!(chinese.level.as_deref(), Some("orange"));
    assert!(chinese.require_interaction, "orange stays on screen");
    let english = &received.iter().find(|(b, _, _)| *b == 3).expect("browser 3").2;
    assert_eq!(english.title, "Orange warning: Rainstorm");
    assert!(english.body.contains("Changjiang District"));
    let headers = &received[0].1;
    assert_eq!(headers["urgency"], "high");

    // The Update: same tag (the phone replaces the notification), says it is an update.
    let update = cap(
        "rain-2",
        "Update",
        &format!("36020041600000,rain-1,{}", sent_of(&first)),
        "红",
        "360202000000",
        "Actual",
    );
    let update_id = f.receive(&update).await;
    let counts = f.fanout(update_id).await;
    assert_eq!(counts.delivered, 3, "red now: browser 2 (red only) hears it too");
    let received = f.received();
    let updates: Vec<&NotificationPayload> = received[2..].iter().map(|(_, _, p)| p).collect();
    assert!(updates.iter().all(|p| p.kind == "updated" && p.tag == chinese.tag), "{updates:?}");
    assert!(updates.iter().any(|p| p.title == "更新：红色预警：暴雨"));

    // The Cancel says so, under the same tag.
    let cancel = cap(
        "rain-3",
        "Cancel",
        &format!("36020041600000,rain-1,{} 36020041600000,rain-2,{}", sent_of(&first), sent_of(&update)),
        "红",
        "360202000000",
        "Actual",
    );
    let cancel_id = f.receive(&cancel).await;
    f.fanout(cancel_id).await;
    let received = f.received();
    let ended: Vec<&NotificationPayload> = received[5..].iter().map(|(_, _, p)| p).collect();
    assert_eq!(ended.len(), 3);
    assert!(ended.iter().all(|p| p.kind == "ended" && p.tag == chinese.tag && !p.require_interaction));
    assert!(ended.iter().any(|p| p.title == "已解除：暴雨"));
    assert!(ended.iter().any(|p| p.title == "Ended: Rainstorm"));

    // Test and Exercise messages never notify anyone.
    let before = f.received().len();
    let drill = f.receive(&cap("drill-1", "Alert", "", "红", "360200000000", "Exercise")).await;
    let real = f.receive(&cap("rain-4", "Alert", "", "黄", "360281000000", "Actual")).await;
    f.fanout(real).await;
    assert_eq!(f.store.push_fanout(drill).await.expect("read"), None, "no fan-out for an exercise");
    let after = f.received();
    assert_eq!(after.len(), before + 1, "only browser 1 (乐平市) for the yellow warning there");
    assert_eq!(after[before].0, 1);
}

#[tokio::test]
async fn gone_subscriptions_are_deleted_and_busy_push_services_are_retried() {
    let f = fixture().await;
    let gone = f.subscribe(0, "360202000000", NotifyLevels::ALL, "zh-CN").await;
    f.subscribe(1, "360202000000", NotifyLevels::ALL, "zh-CN").await;
    f.subscribe(2, "360202000000", NotifyLevels::ALL, "zh-CN").await;
    f.service.script.lock().expect("lock").extend([(0, 410), (1, 429), (2, 503), (2, 503), (2, 503)]);

    let started = std::time::Instant::now();
    let id = f.receive(&cap("busy-1", "Alert", "", "黄", "360202000000", "Actual")).await;
    let counts = f.fanout(id).await;
    assert_eq!((counts.matched, counts.delivered, counts.removed, counts.failed), (3, 1, 1, 1));
    assert!(started.elapsed() >= Duration::from_secs(1), "429 Retry-After: 1 was honoured");
    assert_eq!(f.received().iter().map(|(b, _, _)| *b).collect::<Vec<_>>(), [1]);
    assert_eq!(f.store.push_subscription_by_token(&gone).await.expect("read"), None, "410 deletes");
    assert_eq!(f.store.count_push_subscriptions().await.expect("count"), 2);
}

#[tokio::test]
async fn a_fan_out_left_unfinished_by_a_stopped_replica_is_resumed_where_it_stopped() {
    let f = fixture_with(false).await;
    let first = f.subscribe(0, "360202000000", NotifyLevels::ALL, "zh-CN").await;
    f.subscribe(1, "360202000000", NotifyLevels::ALL, "zh-CN").await;
    f.subscribe(2, "360202000000", NotifyLevels::ALL, "en").await;
    let id = f.receive(&cap("stalled-1", "Alert", "", "橙", "360202000000", "Actual")).await;

    // Another replica claimed it, notified browser 0, and stopped beating 20 minutes ago.
    let long_ago = Utc::now() - chrono::Duration::minutes(20);
    assert!(f.store.claim_push_fanout(id, long_ago).await.expect("claim"));
    let done_through = f.store.push_subscription_by_token(&first).await.expect("read").expect("row").id;
    let so_far = safejdz_server::notify::webpush::store::FanoutCounts {
        matched: 1,
        delivered: 1,
        removed: 0,
        failed: 0,
    };
    f.store.beat_push_fanout(id, done_through, so_far, long_ago).await.expect("beat");

    // A fresh claim is not taken over; a silent one is, once, and finished from there.
    assert_eq!(
        f.web_push
            .fan_out(
                &safejdz_server::warnings::hub::event_for(
                    id,
                    &f.store.accepted_alert(id).await.expect("read").expect("accepted").alert
                )
                .expect("event")
            )
            .await,
        None,
        "already claimed"
    );
    assert_eq!(f.web_push.resume_stalled().await, 1);
    assert_eq!(f.web_push.resume_stalled().await, 0, "finished: nothing left to take over");
    let mut browsers: Vec<usize> = f.received().iter().map(|(b, _, _)| *b).collect();
    browsers.sort_unstable();
    assert_eq!(browsers, [1, 2], "browser 0 was notified before the stop and is not notified twice");
    let counts = f.fanout(id).await;
    assert_eq!((counts.matched, counts.delivered), (3, 3));
}

#[tokio::test]
async fn those_who_heard_of_a_warning_hear_how_it_ends_even_when_the_area_or_level_changes() {
    use safejdz_app::domain::cap::ColourLevel;
    let f = fixture().await;
    // 0: 西郊街道 (stays in the area); 1: 鲇鱼山镇 (left out by the update); 2: 乐平市 (never
    // concerned); 3: 西郊街道, red only.
    f.subscribe(0, "360202001", NotifyLevels::ALL, "zh-CN").await;
    f.subscribe(1, "360202101", NotifyLevels::ALL, "en").await;
    f.subscribe(2, "360281000000", NotifyLevels::ALL, "zh-CN").await;
    f.subscribe(3, "360202001", NotifyLevels::NONE.with(ColourLevel::Red), "zh-CN").await;

    let first = cap("narrow-1", "Alert", "", "红", "360202000000", "Actual");
    f.fanout(f.receive(&first).await).await;
    let heard: Vec<usize> = {
        let mut b: Vec<usize> = f.received().iter().map(|(b, _, _)| *b).collect();
        b.sort_unstable();
        b
    };
    assert_eq!(heard, [0, 1, 3]);

    // The update narrows the area to 西郊街道 and lowers the level to orange.
    let update = cap(
        "narrow-2",
        "Update",
        &format!("36020041600000,narrow-1,{}", sent_of(&first)),
        "橙",
        "360202001000",
        "Actual",
    );
    let update_id = f.receive(&update).await;
    assert_eq!(f.fanout(update_id).await.delivered, 3);
    let received = f.received();
    let of = |browser: usize| received[3..].iter().find(|(b, _, _)| *b == browser).map(|(_, _, p)| p.clone());
    let stays = of(0).expect("browser 0");
    assert_eq!((stays.kind.as_str(), stays.title.as_str()), ("updated", "更新：橙色预警：暴雨"));
    let left = of(1).expect("browser 1 is told");
    assert_eq!(left.kind, "ended");
    assert_eq!(left.title, "No longer for your places: Rainstorm");
    assert_eq!(left.tag, stays.tag, "replaces the earlier notification");
    assert!(of(3).is_some_and(|p| p.kind == "updated"), "heard red, so hears it became orange");
    assert!(of(2).is_none());

    // A cancel naming no area goes to those who heard of the warning, not to the whole city.
    let cancel = without_areas(&cap(
        "narrow-3",
        "Cancel",
        &format!("36020041600000,narrow-2,{}", sent_of(&update)),
        "橙",
        "360202001000",
        "Actual",
    ));
    assert!(!cancel.contains("<area>"));
    f.fanout(f.receive(&cancel).await).await;
    let received = f.received();
    let mut ended: Vec<usize> = received[6..].iter().map(|(b, _, _)| *b).collect();
    ended.sort_unstable();
    assert_eq!(ended, [0, 1, 3], "everyone who heard of the warning, through any of its versions");
    assert!(received[6..].iter().all(|(_, _, p)| p.kind == "ended"));
}

#[tokio::test]
async fn a_warning_whose_fan_out_was_missed_is_sent_by_the_minute_sweep() {
    let f = fixture_with(false).await;
    f.subscribe(0, "360202000000", NotifyLevels::ALL, "zh-CN").await;
    let ten_minutes_ago = Utc::now() - chrono::Duration::minutes(10);
    let [missed, drill] = [("missed-1", "Actual"), ("missed-drill", "Exercise")]
        .map(|(identifier, status)| cap(identifier, "Alert", "", "黄", "360202000000", status));
    let missed = f.receive_at(&missed, ten_minutes_ago).await;
    let drill = f.receive_at(&drill, ten_minutes_ago).await;
    // Just arrived: left to the live path.
    f.receive(&cap("fresh-1", "Alert", "", "黄", "360202000000", "Actual")).await;

    assert_eq!(f.web_push.send_missed().await, 1);
    assert_eq!(f.received().len(), 1);
    assert_eq!(f.fanout(missed).await.delivered, 1);
    assert_eq!(f.store.push_fanout(drill).await.expect("read"), None, "an exercise is never sent");
    assert_eq!(f.web_push.send_missed().await, 0, "sent once");
}
