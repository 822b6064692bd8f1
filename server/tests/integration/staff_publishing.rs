//! The publisher console through the HTTP surface: the two-person rule (nothing reaches the
//! pipeline or residents before a second person approves; self-approval refused), Cancel in one
//! step, Test messages never shown to residents, and Updates.

use crate::support::staff_app;

use staff_app::*;

#[tokio::test]
async fn a_live_warning_reaches_residents_only_once_a_second_person_approves_it_and_a_cancel_ends_it_at_once()
{
    let app = app().await;
    // The author holds both roles: still not enough to release their own warning.
    let (author, _) =
        account(&app, "publisher.one", &[Role::Publisher, Role::Approver], "a long test passphrase").await;
    let (approver, _) = account(&app, "approver.two", &[Role::Approver], "a long test passphrase").await;
    let mut writer = signed_in(&app, author).await;
    let (_, _, home) = writer.get(&app, "/staff").await;
    assert!(home.contains(r#"href="/staff/warnings""#), "the console links its warnings for a publisher");
    writer.get(&app, "/staff/warnings/new").await;

    // A form with problems is kept as a draft, each problem named, every word typed kept.
    let mut bad = warning_form("Actual", "暴雨红色预警（测试草稿）");
    bad.retain(|(k, _)| k != "instruction_zh");
    let (_, to) = post_owned(&app, &mut writer, "/_rpc/staff/warnings/save", &bad).await;
    let draft = id_in(&to);
    let (_, _, html) = writer.get(&app, &to).await;
    assert!(html.contains("暴雨红色预警（测试草稿）"), "the headline typed is kept");
    assert!(html.contains("This is required."), "the missing instruction is named");
    let mut good = warning_form("Actual", "景德镇市发布暴雨红色预警");
    good.push(("id".into(), draft.to_string()));
    let (_, to) = post_owned(&app, &mut writer, "/_rpc/staff/warnings/save", &good).await;
    assert_eq!(id_in(&to), draft);
    let (_, _, html) = writer.get(&app, &to).await;
    assert!(
        html.contains("warning-card level-red") && html.contains("景德镇市发布暴雨红色预警"),
        "the preview"
    );
    assert!(html.contains("鲇鱼山镇"), "its places by name");
    assert!(html.contains("mode-band--live") && html.contains("LIVE"), "live looks live");

    let id = draft.to_string();
    let (_, to) = writer.post(&app, "/_rpc/staff/warnings/submit", &[("id", &id), ("confirm", "橙色")]).await;
    assert!(to.contains("error=compose-error-confirm"), "the level must be typed: {to}");
    let (_, to) = writer.post(&app, "/_rpc/staff/warnings/submit", &[("id", &id), ("confirm", "红色")]).await;
    assert!(to.ends_with("?submitted"), "{to}");

    // Submitted, not approved: nothing in the pipeline, nothing on residents' pages.
    assert!(accepted_console_messages(&app.store).await.is_empty());
    assert!(!home_page(&app, "code=360202101000").await.contains("景德镇市发布暴雨红色预警"));
    writer.get(&app, &format!("/staff/warnings/{id}")).await;
    let (_, to) =
        writer.post(&app, "/_rpc/staff/warnings/approve", &[("id", &id), ("confirm", "红色")]).await;
    assert!(to.contains("error=compose-error-own-warning"), "self-approval refused: {to}");
    assert!(accepted_console_messages(&app.store).await.is_empty());

    let mut checker = signed_in(&app, approver).await;
    let (_, _, html) = checker.get(&app, &format!("/staff/warnings/{id}")).await;
    assert!(html.contains("Approve and release the LIVE warning"), "the approver sees the decision");
    let (_, to) =
        checker.post(&app, "/_rpc/staff/warnings/approve", &[("id", &id), ("confirm", "red")]).await;
    assert!(to.ends_with("?released"), "{to}");
    let released = accepted_console_messages(&app.store).await;
    assert_eq!(released.len(), 1);
    let alert = &released[0];
    assert_eq!(alert.status, safejdz_app::domain::cap::Status::Actual);
    assert_eq!(alert.sender, "safejdz-console@jingdezhen.invalid");
    assert!(
        alert.identifier.starts_with("36020000000000_") && alert.identifier.len() == 31,
        "{}",
        alert.identifier
    );
    assert_eq!(alert.infos[0].colour, Some(safejdz_app::domain::cap::ColourLevel::Red));
    assert!(home_page(&app, "code=360202101000").await.contains("景德镇市发布暴雨红色预警"));

    // A publisher cancels it in one step, no approval.
    let (_, to) = writer.post(&app, "/_rpc/staff/warnings/cancel", &[("id", &id)]).await;
    assert!(to.ends_with("?cancelled"), "{to}");
    let after = accepted_console_messages(&app.store).await;
    assert_eq!(after.len(), 2);
    let cancel =
        after.iter().find(|a| a.msg_type == safejdz_app::domain::cap::MsgType::Cancel).expect("a Cancel");
    assert_eq!(cancel.references[0].identifier, alert.identifier);
    let page = home_page(&app, "code=360202101000").await;
    assert!(!page.contains("景德镇市发布暴雨红色预警"), "no longer in force on residents' pages");

    let actions: Vec<String> =
        app.store.audit(&Default::default()).await.expect("audit").into_iter().map(|r| r.action).collect();
    for expected in [
        "warning.draft",
        "warning.edit",
        "warning.submit",
        "warning.self-approval-refused",
        "warning.approve",
        "warning.release",
        "warning.cancel",
    ] {
        assert!(actions.contains(&expected.to_owned()), "{expected}: {actions:?}");
    }
}

#[tokio::test]
async fn a_test_message_needs_no_approval_and_never_reaches_residents() {
    let app = app().await;
    let (author, _) = account(&app, "publisher.one", &[Role::Publisher], "a long test passphrase").await;
    let mut writer = signed_in(&app, author).await;
    writer.get(&app, "/staff/warnings/new").await;
    let (_, to) = post_owned(
        &app,
        &mut writer,
        "/_rpc/staff/warnings/save",
        &warning_form("Test", "系统测试：暴雨红色预警"),
    )
    .await;
    let id = id_in(&to).to_string();
    let (_, _, html) = writer.get(&app, &to).await;
    assert!(html.contains("mode-band--test") && html.contains("TEST"), "a test looks like a test");
    let (_, to) = writer.post(&app, "/_rpc/staff/warnings/submit", &[("id", &id)]).await;
    assert!(to.ends_with("?sent"), "{to}");
    let sent = accepted_console_messages(&app.store).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].status, safejdz_app::domain::cap::Status::Test);
    assert!(!home_page(&app, "code=360202101000").await.contains("系统测试"), "residents never see a test");
}

#[tokio::test]
async fn an_update_of_a_released_warning_is_approved_like_any_live_warning_and_references_it() {
    let app = app().await;
    let (author, _) = account(&app, "publisher.one", &[Role::Publisher], "a long test passphrase").await;
    let (approver, _) = account(&app, "approver.two", &[Role::Approver], "a long test passphrase").await;
    let mut writer = signed_in(&app, author).await;
    let mut checker = signed_in(&app, approver).await;
    let release = async |writer: &mut Browser, checker: &mut Browser, fields: Vec<(String, String)>| {
        writer.get(&app, "/staff/warnings/new").await;
        let (_, to) = post_owned(&app, writer, "/_rpc/staff/warnings/save", &fields).await;
        let id = id_in(&to).to_string();
        writer.get(&app, &to).await;
        let (_, to) =
            writer.post(&app, "/_rpc/staff/warnings/submit", &[("id", &id), ("confirm", "红")]).await;
        assert!(to.ends_with("?submitted"), "{to}");
        checker.get(&app, &format!("/staff/warnings/{id}")).await;
        let (_, to) =
            checker.post(&app, "/_rpc/staff/warnings/approve", &[("id", &id), ("confirm", "红色")]).await;
        assert!(to.ends_with("?released"), "{to}");
        id
    };
    let first = release(&mut writer, &mut checker, warning_form("Actual", "暴雨红色预警（第一版）")).await;
    let (_, _, html) = writer.get(&app, &format!("/staff/warnings/new?updates={first}")).await;
    assert!(html.contains("暴雨红色预警（第一版）"), "the update starts from what is in force");
    let mut update = warning_form("Actual", "暴雨红色预警（更新）");
    update.push(("updates".into(), first.clone()));
    release(&mut writer, &mut checker, update).await;
    let messages = accepted_console_messages(&app.store).await;
    let original =
        messages.iter().find(|a| a.msg_type == safejdz_app::domain::cap::MsgType::Alert).expect("the first");
    let updated = messages
        .iter()
        .find(|a| a.msg_type == safejdz_app::domain::cap::MsgType::Update)
        .expect("the update");
    assert_eq!(updated.references[0].identifier, original.identifier);
    let page = home_page(&app, "code=360202101000").await;
    assert!(
        page.contains("暴雨红色预警（更新）") && !page.contains("暴雨红色预警（第一版）"),
        "the update replaces it"
    );
}

#[tokio::test]
async fn with_a_signing_key_every_console_message_is_signed_and_verified_by_the_ingest() {
    use safejdz_server::warnings::signatures::{SignaturePolicy, SignatureStatus, TrustStore, check};
    let app = app_signing().await;
    let (author, _) = account(&app, "publisher.one", &[Role::Publisher], "a long test passphrase").await;
    let mut writer = signed_in(&app, author).await;
    writer.get(&app, "/staff/warnings/new").await;
    let (_, to) =
        post_owned(&app, &mut writer, "/_rpc/staff/warnings/save", &warning_form("Test", "签名测试")).await;
    let id = id_in(&to).to_string();
    writer.get(&app, &to).await;
    let (_, to) = writer.post(&app, "/_rpc/staff/warnings/submit", &[("id", &id)]).await;
    assert!(to.ends_with("?sent"), "{to}");

    let stored = app
        .store
        .accepted_alerts_since(Utc::now() - chrono::Duration::hours(1))
        .await
        .expect("read")
        .into_iter()
        .find(|s| s.source == "console")
        .expect("the console's message was accepted");
    let raw = app.store.raw_message(stored.id).await.expect("read").expect("kept");
    let text = String::from_utf8(raw).expect("UTF-8");
    let document = roxmltree::Document::parse(&text).expect("XML");
    let trust =
        TrustStore::from_pem_files(&[std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/signing/console-ec-cert.pem")])
        .expect("test certificate");
    let verdict = check(&document, stored.alert.sent, SignaturePolicy::Require, &trust).expect("signed");
    assert!(matches!(verdict, SignatureStatus::Verified { trusted: true, .. }), "{verdict:?}");
}
