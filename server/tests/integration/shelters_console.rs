//! The shelter register in the staff console: volunteers report the shelters assigned to them
//! (and only those), admins assign them and import the register file with every problem
//! listed; a resident without a session cannot report at all.

use chrono::Utc;
use safejdz_app::domain::shelters::{ShelterId, ShelterState};
use safejdz_server::shelters::import;

use super::shelters::fixture;

#[tokio::test]
async fn a_volunteer_says_a_shelter_is_full_in_two_taps_and_residents_see_it() {
    use crate::support::staff_app::{Role, account, app, signed_in};
    let app = app().await;
    let shelters = import::read_register(&fixture("register.csv")).expect("the fixture reads");
    app.store.import_shelters(&shelters, Utc::now()).await.expect("stored");
    let (volunteer, _) = account(&app, "volunteer.li", &[Role::Volunteer], "a long test passphrase").await;
    let gym_id = ShelterId::parse("test-gym").expect("an id");
    app.store.assign_shelter(&gym_id, volunteer, "admin", Utc::now()).await.expect("assigned");
    let mut phone = signed_in(&app, volunteer).await;

    // Tap one: the page, every shelter with its three states.
    let (_, _, html) = phone.get(&app, "/staff/shelters").await;
    assert!(html.contains("测试体育馆（示例）") && html.contains(r#"value="full""#));
    // Tap two: "Full" on the gym.
    let (_, to) = phone
        .post(
            &app,
            "/_rpc/staff/shelters/report",
            &[("id", "test-gym"), ("state", "full"), ("occupancy", "")],
        )
        .await;
    assert_eq!(to, "/staff/shelters?reported=test-gym");
    let (gym, status) =
        app.store.shelter(&ShelterId::parse("test-gym").expect("an id")).await.expect("read").expect("there");
    let status = status.expect("reported");
    assert_eq!(
        (status.state, status.occupancy, status.updated_by.as_str()),
        (ShelterState::Full, None, "volunteer.li")
    );
    let (_, _, resident) = phone.get(&app, &format!("/shelters/{}", gym.id.as_str())).await;
    // The test browser reads English.
    assert!(resident.contains("Full · reported within the hour"), "residents see the new state");

    // A count far beyond the capacity is a slip: refused, nothing changes.
    let (_, to) = phone
        .post(
            &app,
            "/_rpc/staff/shelters/report",
            &[("id", "test-gym"), ("state", "open"), ("occupancy", "80000")],
        )
        .await;
    assert!(to.contains("error=shelters-error-occupancy"), "{to}");
    let (_, to) = phone
        .post(
            &app,
            "/_rpc/staff/shelters/report",
            &[("id", "test-gym"), ("state", "open"), ("occupancy", "lots")],
        )
        .await;
    assert!(to.contains("error=staff-shelters-error-count"), "{to}");
    let (_, status) = app.store.shelter(&gym.id).await.expect("read").expect("there");
    assert_eq!(status.map(|s| s.state), Some(ShelterState::Full));

    let actions: Vec<(String, String)> = app
        .store
        .audit(&Default::default())
        .await
        .expect("audit")
        .into_iter()
        .map(|r| (r.action, r.object))
        .collect();
    assert!(actions.contains(&("shelter.report".to_owned(), "shelter:test-gym".to_owned())), "{actions:?}");
}

#[tokio::test]
async fn an_admin_assigns_shelters_and_a_volunteer_reports_only_theirs() {
    use crate::support::staff_app::{Role, account, app, signed_in};
    let app = app().await;
    let shelters = import::read_register(&fixture("register.csv")).expect("the fixture reads");
    app.store.import_shelters(&shelters, Utc::now()).await.expect("stored");
    let (admin, _) = account(&app, "admin.wang", &[Role::Admin], "a long test passphrase").await;
    let (volunteer, _) = account(&app, "volunteer.li", &[Role::Volunteer], "a long test passphrase").await;
    account(&app, "publisher.zhao", &[Role::Publisher], "a long test passphrase").await;
    let mut desk = signed_in(&app, admin).await;
    let mut phone = signed_in(&app, volunteer).await;

    // Nothing assigned yet: the volunteer's page says so and lists no shelter.
    let (_, _, html) = phone.get(&app, "/staff/shelters").await;
    assert!(html.contains("No shelter is assigned to you yet"), "{html}");
    assert!(!html.contains("测试体育馆（示例）"));
    // And a report on a shelter not theirs is refused, nothing stored.
    let (_, to) = phone
        .post(
            &app,
            "/_rpc/staff/shelters/report",
            &[("id", "test-gym"), ("state", "full"), ("occupancy", "")],
        )
        .await;
    assert!(to.contains("error=staff-shelters-error-not-assigned"), "{to}");
    let gym = ShelterId::parse("test-gym").expect("an id");
    assert_eq!(app.store.shelter(&gym).await.expect("read").expect("there").1, None);

    // The admin sees every shelter, and who may keep it: volunteers only.
    let (_, _, html) = desk.get(&app, "/staff/shelters").await;
    assert!(html.contains("测试体育馆（示例）") && html.contains("测试公园（示例）"));
    assert!(html.contains(r#"<option value="volunteer.li">"#), "{html}");
    assert!(!html.contains(r#"<option value="publisher.zhao">"#), "only volunteers are offered");
    let (_, to) = desk
        .post(
            &app,
            "/_rpc/staff/shelters/assign",
            &[("id", "test-gym"), ("volunteer", "publisher.zhao"), ("action", "assign")],
        )
        .await;
    assert!(to.contains("error=staff-shelters-error-not-volunteer"), "{to}");
    let (_, to) = desk
        .post(
            &app,
            "/_rpc/staff/shelters/assign",
            &[("id", "test-gym"), ("volunteer", "volunteer.li"), ("action", "assign")],
        )
        .await;
    assert_eq!(to, "/staff/shelters?assigned=test-gym");

    // Now the gym is the volunteer's, and only the gym.
    let (_, _, html) = phone.get(&app, "/staff/shelters").await;
    assert!(html.contains("测试体育馆（示例）") && !html.contains("测试公园（示例）"), "{html}");
    assert!(!html.contains("volunteer-test-gym"), "a volunteer cannot assign");
    let (_, to) = phone
        .post(
            &app,
            "/_rpc/staff/shelters/report",
            &[("id", "test-gym"), ("state", "full"), ("occupancy", "")],
        )
        .await;
    assert_eq!(to, "/staff/shelters?reported=test-gym");
    let (_, to) = phone
        .post(
            &app,
            "/_rpc/staff/shelters/report",
            &[("id", "test-park"), ("state", "full"), ("occupancy", "")],
        )
        .await;
    assert!(to.contains("error=staff-shelters-error-not-assigned"), "{to}");
    // A volunteer cannot assign themselves another shelter.
    let (status, _) = phone
        .post(
            &app,
            "/_rpc/staff/shelters/assign",
            &[("id", "test-park"), ("volunteer", "volunteer.li"), ("action", "assign")],
        )
        .await;
    assert_eq!(status.as_u16(), 403);
    // The admin reports any shelter.
    let (_, to) = desk
        .post(
            &app,
            "/_rpc/staff/shelters/report",
            &[("id", "test-park"), ("state", "closed"), ("occupancy", "")],
        )
        .await;
    assert_eq!(to, "/staff/shelters?reported=test-park");

    // Ended: the volunteer's report is refused again.
    desk.post(
        &app,
        "/_rpc/staff/shelters/assign",
        &[("id", "test-gym"), ("volunteer", "volunteer.li"), ("action", "unassign")],
    )
    .await;
    let (_, to) = phone
        .post(
            &app,
            "/_rpc/staff/shelters/report",
            &[("id", "test-gym"), ("state", "open"), ("occupancy", "")],
        )
        .await;
    assert!(to.contains("error=staff-shelters-error-not-assigned"), "{to}");
    let actions: Vec<(String, String, String)> = app
        .store
        .audit(&Default::default())
        .await
        .expect("audit")
        .into_iter()
        .map(|r| (r.action, r.object, r.detail))
        .collect();
    for action in ["shelter.assign", "shelter.unassign"] {
        assert!(
            actions.contains(&(
                action.to_owned(),
                "shelter:test-gym".to_owned(),
                "user:volunteer.li".to_owned()
            )),
            "{action} audited: {actions:?}"
        );
    }
}

#[tokio::test]
async fn a_resident_without_a_session_cannot_report_a_shelter() {
    use crate::support::staff_app::{Browser, app};
    let app = app().await;
    let shelters = import::read_register(&fixture("register.csv")).expect("the fixture reads");
    app.store.import_shelters(&shelters, Utc::now()).await.expect("stored");
    let mut resident = Browser::at("203.0.113.9");
    let (status, to) = resident
        .post(
            &app,
            "/_rpc/staff/shelters/report",
            &[("id", "test-gym"), ("state", "full"), ("occupancy", "")],
        )
        .await;
    assert_eq!(
        (status.as_u16(), to.as_str()),
        (303, "/staff/login?error=staff-error-expired"),
        "sent to sign in"
    );
    let gym = ShelterId::parse("test-gym").expect("an id");
    assert_eq!(app.store.shelter(&gym).await.expect("read").expect("there").1, None, "nothing stored");
}

/// Posts `file` as the console's import form does (multipart, the CSRF token first).
async fn upload(
    app: &crate::support::staff_app::TestApp,
    browser: &mut crate::support::staff_app::Browser,
    file: impl AsRef<[u8]>,
    with_token: bool,
) -> (u16, String) {
    use crate::support::staff_app::{location, send};
    use axum::{body::Body, http::header};
    let token = if with_token { browser.csrf.clone().unwrap_or_default() } else { "wrong".into() };
    let mut body = format!(
        "--b0undary\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{token}\r\n--b0undary\r\n\
         Content-Disposition: form-data; name=\"register\"; filename=\"register.csv\"\r\nContent-Type: text/csv\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(file.as_ref());
    body.extend_from_slice(b"\r\n--b0undary--\r\n");
    let request = browser
        .request("POST", safejdz_app::staff::SHELTER_IMPORT_PATH)
        .header(header::CONTENT_TYPE, "multipart/form-data; boundary=b0undary")
        .body(Body::from(body))
        .expect("request");
    let response = send(app, request).await;
    (response.status().as_u16(), location(&response))
}

#[tokio::test]
async fn an_admin_imports_the_register_in_the_console_and_sees_every_problem() {
    use crate::support::staff_app::{Role, account, app, signed_in};
    let app = app().await;
    let (admin, _) = account(&app, "admin.wang", &[Role::Admin], "a long test passphrase").await;
    let (volunteer, _) = account(&app, "volunteer.li", &[Role::Volunteer], "a long test passphrase").await;
    let mut desk = signed_in(&app, admin).await;
    let (_, _, html) = desk.get(&app, "/staff/shelters/import").await;
    assert!(html.contains(r#"enctype="multipart/form-data""#), "{html}");

    // A bad file: refused whole, every problem listed with its line and field, nothing stored.
    let (status, to) = upload(&app, &mut desk, &fixture("bad.csv"), true).await;
    assert_eq!((status, to.as_str()), (303, "/staff/shelters/import?refused"));
    let (_, _, html) = desk.get(&app, &to).await;
    assert!(html.contains("The file was refused: 4 problems"), "{html}");
    assert!(html.contains("Line 3, field capacity: Not a whole number. “lots”"), "{html}");
    assert!(html.contains("Line 4, field division:"), "{html}");
    assert!(app.store.shelters().await.expect("read").is_empty());
    let (_, _, again) = desk.get(&app, &to).await;
    assert!(!again.contains("Line 3"), "the problems are shown once");

    // Without the session's token: refused before reading.
    let (status, _) = upload(&app, &mut desk, &fixture("register.csv"), false).await;
    assert_eq!(status, 403);
    // Not UTF-8 text.
    let (_, to) = upload(&app, &mut desk, [0xffu8, 0xfe, b'a'], true).await;
    assert_eq!(to, "/staff/shelters/import?refused");
    let (_, _, html) = desk.get(&app, &to).await;
    assert!(html.contains("The file: not UTF-8 text."), "{html}");

    // The good file: imported, counted, audited.
    let (_, to) = upload(&app, &mut desk, &fixture("register.csv"), true).await;
    assert_eq!(to, "/staff/shelters/import?imported=2&added=2&replaced=0&removed=0");
    let (_, _, html) = desk.get(&app, &to).await;
    assert!(html.contains("Imported 2 shelters (2 added, 0 replaced)."), "{html}");
    assert_eq!(app.store.shelters().await.expect("read").len(), 2);
    let audit = app.store.audit(&Default::default()).await.expect("audit");
    assert!(audit.iter().any(|row| row.action == "shelter.import" && row.detail.contains("2 shelters")));

    // A volunteer cannot.
    let mut phone = signed_in(&app, volunteer).await;
    phone.get(&app, "/staff/shelters").await;
    let (status, _) = upload(&app, &mut phone, &fixture("register.csv"), true).await;
    assert_eq!(status, 403);
}
