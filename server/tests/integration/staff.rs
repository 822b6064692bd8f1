//! Staff accounts through the HTTP surface, in-process: the role × route matrix enumerated from
//! the router, the whole sign-in (password, authenticator setup, recovery codes, forced new
//! password, code, replay), CSRF refusal, throttling without a hint, timeouts, the audit log
//! (append-only on both engines, filter, CSV), the ingest monitor and the server's messages.

use crate::support::databases;
use crate::support::staff_app;

use std::collections::BTreeMap;

use safejdz_app::{App, domain::preferences::Lang, i18n::has_message};
use staff_app::*;

const ANYONE: &[Role] = &[Role::Admin, Role::Publisher, Role::Approver, Role::Teacher, Role::Volunteer];
const ALL: &[Role] = ANYONE;
const ADMIN: &[Role] = &[Role::Admin];
const PUBLISHING: &[Role] = &[Role::Publisher, Role::Approver];
const MONITORING: &[Role] = &[Role::Admin, Role::Publisher, Role::Approver];
const REPORTING: &[Role] = &[Role::Volunteer, Role::Admin];
const TEACHING: &[Role] = &[Role::Teacher, Role::Admin];

fn designed_matrix() -> BTreeMap<&'static str, (Option<&'static [Role]>, bool)> {
    // (roles allowed once signed in, open before sign-in)
    BTreeMap::from([
        ("/staff", (Some(ALL), false)),
        ("/staff/login", (Some(ANYONE), true)),
        ("/_rpc/staff/login", (Some(ANYONE), true)),
        ("/_rpc/staff/logout", (Some(ANYONE), true)),
        ("/staff/login/code", (None, false)),
        ("/_rpc/staff/code", (None, false)),
        ("/staff/enrol", (None, false)),
        ("/_rpc/staff/enrolment", (None, false)),
        ("/_rpc/staff/enrol", (None, false)),
        ("/staff/recovery-codes", (Some(ALL), false)),
        ("/_rpc/staff/flash", (Some(ALL), false)),
        ("/staff/password", (Some(ALL), false)),
        ("/_rpc/staff/password", (Some(ALL), false)),
        ("/staff/users", (Some(ADMIN), false)),
        ("/staff/users/{id}", (Some(ADMIN), false)),
        ("/_rpc/staff/users", (Some(ADMIN), false)),
        ("/_rpc/staff/users/add", (Some(ADMIN), false)),
        ("/_rpc/staff/users/update", (Some(ADMIN), false)),
        ("/_rpc/staff/users/disable", (Some(ADMIN), false)),
        ("/_rpc/staff/users/reset-password", (Some(ADMIN), false)),
        ("/_rpc/staff/users/reset-second-factor", (Some(ADMIN), false)),
        ("/staff/audit", (Some(ADMIN), false)),
        ("/staff/audit.csv", (Some(ADMIN), false)),
        ("/_rpc/staff/audit", (Some(ADMIN), false)),
        ("/staff/warnings", (Some(PUBLISHING), false)),
        ("/staff/warnings/new", (Some(&[Role::Publisher]), false)),
        ("/staff/warnings/{id}", (Some(PUBLISHING), false)),
        ("/_rpc/staff/warnings", (Some(PUBLISHING), false)),
        ("/_rpc/staff/warnings/sheet", (Some(PUBLISHING), false)),
        ("/_rpc/staff/warnings/compose", (Some(PUBLISHING), false)),
        ("/_rpc/staff/warnings/save", (Some(&[Role::Publisher]), false)),
        ("/_rpc/staff/warnings/submit", (Some(&[Role::Publisher]), false)),
        ("/_rpc/staff/warnings/approve", (Some(&[Role::Approver]), false)),
        ("/_rpc/staff/warnings/reject", (Some(&[Role::Approver]), false)),
        ("/_rpc/staff/warnings/cancel", (Some(PUBLISHING), false)),
        ("/staff/sources", (Some(MONITORING), false)),
        ("/staff/sources/quarantine/{id}", (Some(MONITORING), false)),
        ("/_rpc/staff/sources", (Some(MONITORING), false)),
        ("/_rpc/staff/sources/quarantined", (Some(MONITORING), false)),
        ("/_rpc/staff/sources/reingest", (Some(MONITORING), false)),
        ("/staff/shelters", (Some(REPORTING), false)),
        ("/_rpc/staff/shelters", (Some(REPORTING), false)),
        ("/_rpc/staff/shelters/report", (Some(REPORTING), false)),
        ("/_rpc/staff/shelters/assign", (Some(ADMIN), false)),
        ("/staff/shelters/import", (Some(ADMIN), false)),
        ("/_rpc/staff/shelters/import", (Some(ADMIN), false)),
        ("/staff/drills", (Some(TEACHING), false)),
        ("/staff/drills/{id}", (Some(TEACHING), false)),
        ("/staff/drills/{id}/results", (Some(TEACHING), false)),
        ("/staff/drills/{id}/results.csv", (Some(TEACHING), false)),
        ("/staff/drills/{id}/stream", (Some(TEACHING), false)),
        ("/staff/drills/record.csv", (Some(ADMIN), false)),
        ("/_rpc/staff/drills", (Some(TEACHING), false)),
        ("/_rpc/staff/drills/open", (Some(TEACHING), false)),
        ("/_rpc/staff/drills/session", (Some(TEACHING), false)),
        ("/_rpc/staff/drills/act", (Some(TEACHING), false)),
    ])
}

/// Every staff route the router serves: the app's pages, the server functions, the files.
fn staff_routes_of_the_router() -> Vec<(String, bool)> {
    let mut routes: Vec<(String, bool)> = leptos_axum::generate_route_list(App)
        .into_iter()
        .map(|route| route.path().to_owned())
        .filter(|path| path == "/staff" || path.starts_with("/staff/"))
        .map(|path| (path, false))
        .collect();
    routes.extend(
        leptos::server_fn::axum::server_fn_paths()
            .map(|(path, _)| path.to_owned())
            .filter(|path| path.starts_with("/_rpc/staff/"))
            .map(|path| (path, true)),
    );
    routes.extend(safejdz_server::staff::FILE_ROUTES.iter().map(|path| ((*path).to_owned(), false)));
    routes.sort();
    routes.dedup();
    routes
}

#[tokio::test]
async fn every_staff_route_lets_through_exactly_the_roles_it_was_designed_for() {
    let app = app().await;
    let matrix = designed_matrix();
    let routes = staff_routes_of_the_router();
    let served: Vec<&str> = routes.iter().map(|(path, _)| path.as_str()).collect();
    let unplanned: Vec<&&str> = served.iter().filter(|path| !matrix.contains_key(**path)).collect();
    assert!(unplanned.is_empty(), "staff routes missing from the role × route matrix: {unplanned:?}");
    let stale: Vec<&&str> = matrix.keys().filter(|path| !served.contains(path)).collect();
    assert!(stale.is_empty(), "the matrix lists routes the router no longer serves: {stale:?}");
    assert!(routes.len() >= 20, "found too few staff routes: {served:?}");

    let mut accounts = Vec::new();
    for role in Role::ALL {
        let (id, _) =
            account(&app, &format!("only.{}", role.as_str()), &[role], "a long test passphrase").await;
        accounts.push((role, id));
    }
    let admin_id = accounts[0].1;
    for (path, is_server_fn) in &routes {
        let (allowed, before_sign_in) = matrix[path.as_str()];
        let concrete = path.replace("{id}", &admin_id.to_string());
        for (role, id) in &accounts {
            let mut browser = signed_in(&app, *id).await;
            let expected = allowed.is_some_and(|roles| roles.contains(role));
            let (status, to) = if *is_server_fn {
                // A JSON client: a refusal by the guard is a 403; past it, the function answers.
                let mut request =
                    browser.request("POST", &concrete).header(header::ACCEPT, "application/json");
                request = request.header("x-csrf-token", browser.csrf.clone().unwrap_or_default());
                let response = send(&app, request.body(Body::empty()).expect("request")).await;
                (response.status(), location(&response))
            } else {
                let (status, to, _) = browser.get(&app, &concrete).await;
                (status, to)
            };
            let passed =
                status != StatusCode::FORBIDDEN && !(status == StatusCode::SEE_OTHER && to != concrete);
            assert_eq!(passed, expected, "{} at {concrete}: {status} {to}", role.as_str());
        }
        if !is_server_fn {
            let mut stranger = Browser::at("192.0.2.99");
            let (status, to, _) = stranger.get(&app, &concrete).await;
            let passed = status == StatusCode::OK;
            assert_eq!(passed, before_sign_in, "before sign-in at {concrete}: {status} {to}");
            if !passed {
                assert_eq!((status, to.as_str()), (StatusCode::SEE_OTHER, "/staff/login"), "{concrete}");
            }
        }
    }
    // A staff path nobody listed is closed, not open.
    let mut admin = signed_in(&app, admin_id).await;
    let (status, _, _) = admin.get(&app, "/staff/not-a-route").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_new_admin_signs_in_sets_up_a_code_keeps_recovery_codes_and_chooses_a_password() {
    let app = app().await;
    let (id, temporary) = app
        .staff
        .add_account(&Actor::command_line(), "Wang.Fang", "王芳", &Roles::new([Role::Admin]))
        .await
        .expect("added");
    let mut browser = Browser::at("192.0.2.1");
    let (status, _, html) = browser.get(&app, "/staff/login").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Staff sign-in"), "in the browser's language");
    let before = browser.cookie.clone().expect("a session before sign-in, for the form's token");

    let (_, to) =
        browser.post(&app, "/_rpc/staff/login", &[("name", "wang.fang"), ("password", "not it")]).await;
    assert_eq!(to, "/staff/login?error=staff-error-login&name=wang.fang", "the name typed is kept");
    let (_, _, html) = browser.get(&app, &to).await;
    assert!(html.contains("The login name or the password is not right."), "{html}");
    assert!(html.contains(r#"value="wang.fang""#));

    let (_, to) =
        browser.post(&app, "/_rpc/staff/login", &[("name", "Wang.Fang "), ("password", &temporary)]).await;
    assert_eq!(to, "/staff/enrol", "an admin must set up a second factor first");
    assert_ne!(
        browser.cookie.as_deref(),
        Some(before.as_str()),
        "a new session token once the password was right"
    );
    let (status, _, _) = browser.get(&app, "/staff").await;
    assert_eq!(status, StatusCode::SEE_OTHER, "not signed in before the second factor");

    let (_, _, html) = browser.get(&app, "/staff/enrol").await;
    assert!(html.contains("<svg"), "a QR code");
    let secret_text =
        html.split(r#"<code class="staff-secret">"#).nth(1).and_then(|r| r.split('<').next()).expect("key");
    let secret = totp::from_base32(secret_text).expect("base32 key");
    let (_, to) = browser.post(&app, "/_rpc/staff/enrol", &[("code", "000000")]).await;
    assert!(
        to.starts_with("/staff/enrol?error=staff-error-code")
            || totp::code_at(&secret, Utc::now().timestamp()) == "000000"
    );
    let code = totp::code_at(&secret, Utc::now().timestamp());
    let (_, to) = browser.post(&app, "/_rpc/staff/enrol", &[("code", &code)]).await;
    assert_eq!(to, "/staff/recovery-codes");
    let (_, _, html) = browser.get(&app, "/staff/recovery-codes").await;
    let codes: Vec<String> = html
        .split("<li><code>")
        .skip(1)
        .filter_map(|rest| rest.split('<').next().map(str::to_owned))
        .collect();
    assert_eq!(codes.len(), 10, "{html}");
    let (_, _, again) = browser.get(&app, "/staff/recovery-codes").await;
    assert!(!again.contains(&codes[0]), "recovery codes are shown once");
    assert!(again.contains(r#"href="/staff/password""#), "next: the forced new password");

    browser.get(&app, "/staff/password").await;
    let (_, to) =
        browser.post(&app, "/_rpc/staff/password", &[("new", "short"), ("repeated", "short")]).await;
    assert_eq!(to, "/staff/password?error=staff-error-password-short");
    let new_password = "陶瓷 kiln glaze 2026";
    let (_, to) = browser
        .post(&app, "/_rpc/staff/password", &[("new", new_password), ("repeated", new_password)])
        .await;
    assert_eq!(to, "/staff?password-changed");
    let (status, _, html) = browser.get(&app, "/staff").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("王芳") && html.contains("Administrator"), "{html}");
    let cache = send(&app, browser.request("GET", "/staff").body(Body::empty()).expect("request")).await;
    assert_eq!(cache.headers()[header::CACHE_CONTROL], "no-store");

    let (_, to) = browser.post(&app, "/_rpc/staff/logout", &[]).await;
    assert_eq!(to, "/staff/login");
    assert!(browser.cookie.is_none(), "the cookie is deleted");

    // Next sign-in: password, then a code. The code of the step used at set-up is spent.
    let mut browser = Browser::at("192.0.2.1");
    browser.get(&app, "/staff/login").await;
    let (_, to) =
        browser.post(&app, "/_rpc/staff/login", &[("name", "wang.fang"), ("password", new_password)]).await;
    assert_eq!(to, "/staff/login/code");
    browser.get(&app, "/staff/login/code").await;
    let (_, to) = browser.post(&app, "/_rpc/staff/code", &[("code", &code)]).await;
    assert!(
        to == "/staff/login/code?error=staff-error-code-used" || to == "/staff",
        "the set-up code is spent unless the clock moved on a step: {to}"
    );
    if to != "/staff" {
        let (_, to) = browser.post(&app, "/_rpc/staff/code", &[("code", &codes[0])]).await;
        assert_eq!(to, "/staff", "a recovery code signs in");
    }
    let left = app.store.recovery_codes_left(id).await.expect("count");
    assert!(left >= 9);

    let audit = app.store.audit(&Default::default()).await.expect("audit");
    let actions: Vec<&str> = audit.iter().map(|row| row.action.as_str()).collect();
    for expected in [
        "user.add",
        "session.login-failed",
        "session.password-ok",
        "user.second-factor-set",
        "user.password-changed",
        "session.logout",
        "session.login",
    ] {
        assert!(actions.contains(&expected), "{expected} audited: {actions:?}");
    }
    assert!(audit.iter().all(|row| row.address == "192.0.2.1" || row.address == "local"));
}

#[tokio::test]
async fn a_code_cannot_be_used_twice_nor_a_recovery_code() {
    let app = app().await;
    let (id, secret) = account(&app, "li.wei", &[Role::Publisher], "a long test passphrase").await;
    let sign_in_to_code = async || {
        let mut browser = Browser::at("192.0.2.2");
        browser.get(&app, "/staff/login").await;
        let (_, to) = browser
            .post(&app, "/_rpc/staff/login", &[("name", "li.wei"), ("password", "a long test passphrase")])
            .await;
        assert_eq!(to, "/staff/login/code");
        browser.get(&app, "/staff/login/code").await;
        browser
    };
    let mut first = sign_in_to_code().await;
    let code = totp::code_at(&secret, Utc::now().timestamp());
    let (_, to) = first.post(&app, "/_rpc/staff/code", &[("code", &code)]).await;
    assert_eq!(to, "/staff");
    let mut second = sign_in_to_code().await;
    let (_, to) = second.post(&app, "/_rpc/staff/code", &[("code", &code)]).await;
    assert_eq!(to, "/staff/login/code?error=staff-error-code-used", "a replayed code is refused");
    let (_, to) = second.post(&app, "/_rpc/staff/code", &[("code", "12345")]).await;
    assert_eq!(to, "/staff/login/code?error=staff-error-code");

    let key = {
        use sha2::{Digest, Sha256};
        Sha256::digest(b"abcdefghjk").iter().map(|b| format!("{b:02x}")).collect::<String>()
    };
    app.store.replace_recovery_codes(id, &[key]).await.expect("codes");
    let (_, to) = second.post(&app, "/_rpc/staff/code", &[("code", "ABCDE-FGHJK")]).await;
    assert_eq!(to, "/staff", "a recovery code, typed in capitals with its dash");
    let mut third = sign_in_to_code().await;
    let (_, to) = third.post(&app, "/_rpc/staff/code", &[("code", "abcde-fghjk")]).await;
    assert_eq!(to, "/staff/login/code?error=staff-error-code", "used once only");
}

#[tokio::test]
async fn a_post_without_this_sessions_csrf_token_is_refused_and_changes_nothing() {
    let app = app().await;
    let (admin, _) = account(&app, "admin.one", &[Role::Admin], "a long test passphrase").await;
    let mut browser = signed_in(&app, admin).await;
    let other = signed_in(&app, admin).await;
    let fields = [("name", "intruder"), ("display_name", "x"), ("publisher", "on")];
    for csrf in [None, Some("forged".to_owned()), other.csrf.clone()] {
        browser.csrf = csrf.clone();
        let (status, _) = browser.post(&app, "/_rpc/staff/users/add", &fields).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "csrf {csrf:?}");
    }
    assert!(app.store.staff_user_by_name("intruder").await.expect("read").is_none());
    // The same post with the session's own token goes through.
    let (_, _, _) = browser.get(&app, "/staff/users").await;
    let (_, to) = browser.post(&app, "/_rpc/staff/users/add", &fields).await;
    assert!(to.starts_with("/staff/users/"), "{to}");
    assert!(app.store.staff_user_by_name("intruder").await.expect("read").is_some());
    // Without any session a form post goes to the login page and says the form expired.
    let mut stranger = Browser::at("192.0.2.3");
    stranger.csrf = Some("anything".into());
    let (status, to) =
        stranger.post(&app, "/_rpc/staff/login", &[("name", "admin.one"), ("password", "x")]).await;
    assert_eq!((status, to.as_str()), (StatusCode::SEE_OTHER, "/staff/login?error=staff-error-expired"));
}

#[tokio::test]
async fn failed_sign_ins_pause_an_account_and_an_address_saying_the_same_for_unknown_names() {
    let app = app().await;
    account(&app, "zhao.min", &[Role::Teacher], "a long test passphrase").await;
    let attempt = async |name: &str, password: &str, address: &str| {
        let mut browser = Browser::at(address);
        browser.get(&app, "/staff/login").await;
        browser.post(&app, "/_rpc/staff/login", &[("name", name), ("password", password)]).await.1
    };
    for address in ["198.51.100.1", "198.51.100.2", "198.51.100.3", "198.51.100.4", "198.51.100.5"] {
        assert!(attempt("zhao.min", "wrong", address).await.contains("staff-error-login"));
        assert!(attempt("nobody.here", "wrong", address).await.contains("staff-error-login"));
    }
    // Five failures: even the right password waits, from any address.
    let to = attempt("zhao.min", "a long test passphrase", "198.51.100.9").await;
    assert!(to.contains("error=staff-error-throttled"), "{to}");
    let to = attempt("nobody.here", "wrong", "198.51.100.9").await;
    assert!(to.contains("error=staff-error-throttled"), "an unknown name is paused the same way: {to}");
    // One address: twenty failures under different names pause it for every name.
    for i in 0..20 {
        attempt(&format!("guess{i:02}"), "wrong", "203.0.113.7").await;
    }
    account(&app, "qian.li", &[Role::Teacher], "a long test passphrase").await;
    let to = attempt("qian.li", "a long test passphrase", "203.0.113.7").await;
    assert!(to.contains("error=staff-error-throttled"), "{to}");
    let to = attempt("qian.li", "a long test passphrase", "203.0.113.8").await;
    assert_eq!(to, "/staff/login/code", "another address is not paused");
}

#[tokio::test]
async fn sessions_end_when_idle_too_long_at_their_age_limit_and_when_the_account_is_disabled() {
    let app = app().await;
    let (id, _) = account(&app, "sun.hao", &[Role::Volunteer], "a long test passphrase").await;
    let now = Utc::now();
    let (token, _) = app.staff.open_session(Some(id), Stage::SignedIn, None, now).await.expect("session");
    assert!(app.staff.resolve(&token, now + chrono::Duration::minutes(29)).await.expect("read").is_some());
    app.store
        .touch_session(&safejdz_server::staff::sessions::key_of(&token), now + chrono::Duration::minutes(29))
        .await
        .expect("touch");
    assert!(
        app.staff.resolve(&token, now + chrono::Duration::minutes(58)).await.expect("read").is_some(),
        "activity keeps it"
    );
    assert!(
        app.staff.resolve(&token, now + chrono::Duration::minutes(90)).await.expect("read").is_none(),
        "idle 61 minutes"
    );
    assert!(app.staff.resolve(&token, now).await.expect("read").is_none(), "and it was deleted");

    let (token, _) = app.staff.open_session(Some(id), Stage::SignedIn, None, now).await.expect("session");
    for hour in 1..=12 {
        let at = now + chrono::Duration::minutes(hour * 60 - 5);
        app.store.touch_session(&safejdz_server::staff::sessions::key_of(&token), at).await.expect("touch");
    }
    assert!(
        app.staff
            .resolve(&token, now + chrono::Duration::minutes(12 * 60 + 1))
            .await
            .expect("read")
            .is_none(),
        "12 h at most"
    );

    let (token, _) = app.staff.open_session(Some(id), Stage::SignedIn, None, now).await.expect("session");
    app.store.set_staff_disabled(id, true, now).await.expect("disable");
    assert!(app.staff.resolve(&token, now).await.expect("read").is_none());
}

#[tokio::test]
async fn admins_manage_accounts_and_cannot_remove_the_last_admin() {
    let app = app().await;
    let (admin, _) = account(&app, "admin.one", &[Role::Admin], "a long test passphrase").await;
    let mut browser = signed_in(&app, admin).await;
    browser.get(&app, "/staff/users").await;
    let (_, to) = browser
        .post(
            &app,
            "/_rpc/staff/users/add",
            &[("name", "bad name"), ("display_name", "周杰"), ("teacher", "on")],
        )
        .await;
    assert_eq!(
        to,
        "/staff/users?error=staff-error-name&name=bad%20name&display_name=%E5%91%A8%E6%9D%B0&teacher=on"
    );
    let (_, _, html) = browser.get(&app, &to).await;
    assert!(html.contains("A login name is 3 to 32 characters"), "the reason, in the user's language");
    assert!(
        html.contains(r#"value="周杰""#) && html.contains(r#"name="teacher" checked"#),
        "what was typed is kept"
    );
    let (_, to) =
        browser.post(&app, "/_rpc/staff/users/add", &[("name", "zhou.jie"), ("display_name", "周杰")]).await;
    assert!(to.contains("staff-error-no-role"), "{to}");

    let (_, to) = browser
        .post(
            &app,
            "/_rpc/staff/users/add",
            &[("name", "zhou.jie"), ("display_name", "周杰"), ("teacher", "on")],
        )
        .await;
    let (_, _, html) = browser.get(&app, &to).await;
    let password = html
        .split(r#"<code class="staff-secret">"#)
        .nth(1)
        .and_then(|r| r.split('<').next())
        .expect("shown once");
    assert_eq!(password.len(), 16);
    let (_, _, again) = browser.get(&app, &to).await;
    assert!(!again.contains(password), "the temporary password is shown once");
    let zhou = app.store.staff_user_by_name("zhou.jie").await.expect("read").expect("added");
    assert!(
        zhou.must_change_password && safejdz_server::staff::passwords::verify(password, &zhou.password_hash)
    );

    let id = zhou.id.to_string();
    let (_, to) = browser.post(&app, "/_rpc/staff/users/disable", &[("id", &id), ("disabled", "on")]).await;
    assert!(to.ends_with("?saved"), "{to}");
    assert!(app.store.staff_user(zhou.id).await.expect("read").expect("there").disabled);
    let admin_id = admin.to_string();
    let (_, to) =
        browser.post(&app, "/_rpc/staff/users/disable", &[("id", &admin_id), ("disabled", "on")]).await;
    assert!(to.contains("staff-error-own-account"), "{to}");
    let (_, to) = browser
        .post(
            &app,
            "/_rpc/staff/users/update",
            &[("id", &admin_id), ("display_name", "admin.one"), ("teacher", "on")],
        )
        .await;
    assert!(to.contains("staff-error-last-admin"), "{to}");
    let (_, to) = browser.post(&app, "/_rpc/staff/users/reset-second-factor", &[("id", &admin_id)]).await;
    assert!(to.ends_with("?saved"));
    assert!(app.store.staff_user(admin).await.expect("read").expect("there").totp_secret.is_none());
    let actions: Vec<String> =
        app.store.audit(&Default::default()).await.expect("audit").into_iter().map(|r| r.action).collect();
    assert!(
        actions.contains(&"user.disable".to_owned())
            && actions.contains(&"user.second-factor-reset".to_owned())
    );
}

#[tokio::test]
async fn the_audit_log_filters_exports_csv_and_refuses_changes_on_both_engines() {
    let app = app().await;
    let (admin, _) = account(&app, "admin.one", &[Role::Admin], "a long test passphrase").await;
    app.staff
        .record(&Actor::command_line(), "test.note", "thing:1", "comma, \"quoted\"")
        .await
        .expect("append");
    let mut browser = signed_in(&app, admin).await;
    let (status, _, html) = browser.get(&app, "/staff/audit?action=user.").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("user.add") && !html.contains("test.note"), "filtered by action prefix");
    let (_, _, html) = browser.get(&app, "/staff/audit?from=2026-13-40").await;
    assert!(html.contains("A date is not valid"), "a bad date says so");
    let response = send(
        &app,
        browser.request("GET", "/staff/audit.csv?action=test.note").body(Body::empty()).expect("request"),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    let csv = text(response).await;
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "\u{feff}id,time_utc,time_china,actor,action,object,address,detail");
    assert_eq!(lines.len(), 2, "{csv}");
    assert!(
        lines[1].ends_with(r#",(command line),test.note,thing:1,local,"comma, ""quoted""""#),
        "{}",
        lines[1]
    );
    assert!(
        app.store.audit(&Default::default()).await.expect("audit").iter().any(|r| r.action == "audit.export")
    );
}

#[tokio::test]
async fn the_audit_log_refuses_changes_and_deletions_on_both_engines() {
    use sqlx::{Connection, Executor};
    const CHANGES: [&str; 2] = ["UPDATE staff_audit SET detail = 'rewritten'", "DELETE FROM staff_audit"];
    let (store, dir) = databases::sqlite_store().await;
    let app = app_over(store, dir);
    app.staff.record(&Actor::command_line(), "test.note", "thing:1", "").await.expect("append");
    let file = app._data.path().join(safejdz_server::platform::store::SQLITE_FILE_NAME);
    let mut sqlite =
        sqlx::SqliteConnection::connect(&format!("sqlite://{}", file.display())).await.expect("open");
    for statement in CHANGES {
        assert!(sqlite.execute(statement).await.is_err(), "SQLite: {statement} must be refused");
    }
    assert_eq!(app.store.audit(&Default::default()).await.expect("audit")[0].detail, "");

    match databases::PostgresDatabase::create("staff_audit_append_only").await {
        Ok(database) => {
            let store =
                Store::open(Some(&database.url), std::path::Path::new("unused")).await.expect("opens");
            let dir = tempfile::tempdir().expect("dir");
            let app = app_over(store.clone(), dir);
            app.staff.record(&Actor::command_line(), "test.note", "thing:1", "").await.expect("append");
            let mut postgres = sqlx::PgConnection::connect(&database.url).await.expect("connect");
            for statement in CHANGES.iter().chain(&["TRUNCATE staff_audit"]) {
                assert!(
                    postgres.execute(*statement).await.is_err(),
                    "PostgreSQL: {statement} must be refused"
                );
            }
            assert_eq!(store.audit(&Default::default()).await.expect("audit").len(), 1);
            drop(postgres);
            store.close().await;
            database.drop_database().await;
        }
        Err(reason) => databases::skip_postgres("staff_audit_append_only", &reason),
    }
}

#[tokio::test]
async fn every_staff_message_the_server_sends_exists_in_every_language() {
    let mut ids = std::collections::BTreeSet::new();
    let mut dirs = vec![std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/src/staff"))];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("readable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            let source = std::fs::read_to_string(&path).expect("read");
            for (at, _) in source.match_indices("\"staff-error-") {
                ids.insert(source[at + 1..].split('"').next().expect("literal").to_owned());
            }
        }
    }
    assert!(ids.len() > 10, "{ids:?}");
    for id in &ids {
        for lang in Lang::ALL {
            assert!(has_message(lang, id), "{} has no {id}", lang.tag());
        }
    }
}

#[tokio::test]
async fn the_ingest_monitor_shows_a_quarantined_message_and_judges_it_again_once_its_source_is_fixed() {
    use safejdz_server::warnings::{
        ingest::{Ingest, Verdict},
        signatures::{SignaturePolicy, SignatureRules, SourceRule},
    };
    let app = app().await;
    // The source first demanded signatures; this message has none.
    let mut strict = SignatureRules::default();
    strict.insert("city", SourceRule { policy: SignaturePolicy::Require, ..SourceRule::default() });
    let before = Ingest::new(app.store.clone(), Default::default()).with_signature_rules(strict);
    let expires = safejdz_app::domain::compose::cap_time(Utc::now() + chrono::Duration::hours(3));
    let xml = format!(
        r#"<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>Q-1</identifier><sender>city.example</sender><sent>2026-12-01T08:00:00+08:00</sent><status>Actual</status><msgType>Alert</msgType><scope>Public</scope><info><language>zh-CN</language><category>Met</category><event>大风</event><urgency>Expected</urgency><severity>Moderate</severity><certainty>Likely</certainty><expires>{expires}</expires><headline>大风黄色预警 &lt;测试&gt;</headline><area><areaDesc>浮梁县</areaDesc><geocode><valueName>CPEAS Geographic Code</valueName><value>360222000000</value></geocode></area></info></alert>"#
    );
    let Verdict::Quarantined { id, reason } =
        before.receive("city", xml.as_bytes(), Utc::now()).await.expect("stored")
    else {
        panic!("an unsigned message from a source that requires signatures is quarantined");
    };
    let (admin, _) = account(&app, "admin.one", &[Role::Admin], "a long test passphrase").await;
    let mut browser = signed_in(&app, admin).await;
    let (status, _, html) = browser.get(&app, "/staff/sources").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&reason), "the reason is listed: {reason}");
    let (_, _, html) = browser.get(&app, &format!("/staff/sources/quarantine/{id}")).await;
    assert!(html.contains("&lt;identifier&gt;Q-1&lt;/identifier&gt;"), "the raw XML, escaped");

    // The source no longer demands signatures (the app's ingest has no rule for it): judged
    // again, the same stored message is accepted, and the monitor says so.
    let (_, to) = browser.post(&app, "/_rpc/staff/sources/reingest", &[("id", &id.to_string())]).await;
    assert_eq!(to, format!("/staff/sources/quarantine/{id}?outcome=accepted"));
    let accepted = app.store.accepted_alert(id).await.expect("read").expect("accepted now");
    assert_eq!(accepted.alert.identifier, "Q-1");
    let (_, to) = browser.post(&app, "/_rpc/staff/sources/reingest", &[("id", &id.to_string())]).await;
    assert!(to.contains("error=monitor-error-missing"), "no longer quarantined: {to}");
    let actions: Vec<String> =
        app.store.audit(&Default::default()).await.expect("audit").into_iter().map(|r| r.action).collect();
    assert!(actions.contains(&"ingest.rejudge".to_owned()));
}
