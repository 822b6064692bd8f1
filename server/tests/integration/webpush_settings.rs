//! Web Push from the settings page: subscribing (through the server functions too), the test
//! notification, levels and places, unsubscribing, refusals, and the service worker.

use crate::support::databases;
use crate::support::push_service;

use axum::http::StatusCode;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use push_service::{Browser, fixture, server_fn};
use safejdz_app::{
    alerts::{NewSubscription, PushBackend, PushRefusal},
    domain::notifications::NotifyLevels,
};
use safejdz_server::{config::Config, notify::webpush::vapid, state::AppState};

#[tokio::test]
async fn a_test_notification_arrives_once_in_half_a_minute_and_unsubscribing_ends_it() {
    let f = fixture().await;
    let token = f.subscribe(0, "360202000000", NotifyLevels::ALL, "en").await;
    f.web_push.send_test(token.clone()).await.expect("sent");
    let received = f.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].2.kind, "test");
    assert_eq!(received[0].2.title, "Safe Jingdezhen test notification");
    assert_eq!(f.web_push.send_test(token.clone()).await, Err(PushRefusal::TooSoon));

    // Places and levels follow the settings.
    f.web_push.set_places(token.clone(), "360281000000".into()).await.expect("updated");
    f.web_push
        .set_levels(token.clone(), NotifyLevels::NONE.with(safejdz_app::domain::cap::ColourLevel::Red))
        .await
        .expect("updated");
    let stored = f.store.push_subscription_by_token(&token).await.expect("read").expect("row");
    assert_eq!((stored.places.as_str(), stored.levels.as_str()), ("360281000000", "red"));

    f.web_push.unsubscribe(token.clone()).await.expect("unsubscribed");
    assert_eq!(f.web_push.send_test(token.clone()).await, Err(PushRefusal::NotSubscribed));
    assert_eq!(f.web_push.unsubscribe(token).await, Err(PushRefusal::NotSubscribed));
}

#[tokio::test]
async fn subscriptions_to_unknown_push_services_or_with_bad_keys_are_refused() {
    let f = fixture().await;
    let browser = Browser::new(1);
    let new = |endpoint: &str, p256dh: String| NewSubscription {
        endpoint: endpoint.into(),
        p256dh,
        auth: URL_SAFE_NO_PAD.encode(browser.auth),
        places: "360202000000".into(),
        levels: NotifyLevels::ALL,
        lang: "zh-CN".into(),
    };
    for endpoint in
        ["http://169.254.169.254/latest", "https://fcm.googleapis.com.evil.example/x", "file:///etc/passwd"]
    {
        assert_eq!(
            f.web_push.subscribe(new(endpoint, browser.p256dh())).await,
            Err(PushRefusal::EndpointNotAllowed),
            "{endpoint}"
        );
    }
    let endpoint = format!("{}/push/0", f.base);
    assert_eq!(f.web_push.subscribe(new(&endpoint, "AAAA".into())).await, Err(PushRefusal::BadKeys));
    assert_eq!(f.store.count_push_subscriptions().await.expect("count"), 0);

    // Subscribing again with the same endpoint keeps one row and its token.
    let first = f.web_push.subscribe(new(&endpoint, browser.p256dh())).await.expect("subscribed");
    let again = f.web_push.subscribe(new(&endpoint, browser.p256dh())).await.expect("subscribed");
    assert_eq!(first, again);
    assert_eq!(f.store.count_push_subscriptions().await.expect("count"), 1);
}

#[tokio::test]
async fn the_service_worker_is_served_from_the_root_and_revalidated() {
    use tower::ServiceExt;
    let f = fixture().await;
    let router = safejdz_server::router::router(f.state.clone());
    let response = router
        .oneshot(axum::http::Request::get("/sw.js").body(axum::body::Body::empty()).expect("request"))
        .await
        .expect("answers");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["cache-control"], "no-cache");
    assert!(response.headers()["content-type"].to_str().expect("ascii").starts_with("text/javascript"));
    let body = axum::body::to_bytes(response.into_body(), 1 << 20).await.expect("body");
    let text = String::from_utf8_lossy(&body);
    assert!(text.contains("showNotification") && text.contains("notificationclick"));
}

#[tokio::test]
async fn the_settings_page_subscribes_with_the_saved_places_and_the_subscription_follows_them() {
    use leptos::server_fn::ServerFn;
    use safejdz_app::alerts::{NotificationState, SavePlace, SubscribeNotifications};

    let (store, data) = databases::sqlite_store().await;
    let (private, public) = vapid::Vapid::generate();
    let config = Config {
        site_root: data.path().join("no-site"),
        vapid_private_key: Some(private.into()),
        vapid_subject: Some("mailto:yjj@example.org".into()),
        push_services: vec!["http://127.0.0.1:9".into()],
        ..Config::default()
    };
    let router = safejdz_server::router::router(AppState::new(config, store.clone()));
    let browser = Browser::new(1);
    let form = format!(
        "endpoint={}&p256dh={}&auth={}&levels=red%2Corange",
        "http%3A%2F%2F127.0.0.1%3A9%2Fpush%2F1",
        browser.p256dh(),
        URL_SAFE_NO_PAD.encode(browser.auth)
    );

    // The panel learns the key and that the resident has a place.
    let (status, _, body) = server_fn(&router, NotificationState::PATH, "", "sjdz_places=360202000000").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let state: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(state["available"], true);
    assert_eq!(state["public_key"], public);
    assert_eq!((state["subscribed"].clone(), state["has_places"].clone()), (false.into(), true.into()));

    // Without a saved place there is nothing to notify of: refused, nothing stored.
    let (status, cookie, body) = server_fn(&router, SubscribeNotifications::PATH, &form, "").await;
    assert!(!status.is_success() && body.contains("notify-error-no-places"), "{status} {body}");
    assert_eq!(cookie, None);
    assert_eq!(store.count_push_subscriptions().await.expect("count"), 0);

    // With one: stored with the places in their coarse form; the browser gets its row's token.
    let (status, cookie, body) =
        server_fn(&router, SubscribeNotifications::PATH, &form, "sjdz_places=360202000000~p29.30_117.20")
            .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let cookie = cookie.expect("Set-Cookie");
    assert!(cookie.starts_with("sjdz_push=") && cookie.contains("HttpOnly"), "{cookie}");
    let token = cookie.trim_start_matches("sjdz_push=").split(';').next().expect("token").to_owned();
    let row = store.push_subscription_by_token(&token).await.expect("read").expect("stored");
    assert_eq!(
        (row.places.as_str(), row.levels.as_str(), row.lang.as_str()),
        ("360202000000~p29.30_117.20", "red,orange", "zh-CN")
    );

    // Saving another place on the home page updates the subscription too.
    let (status, _, body) = server_fn(
        &router,
        SavePlace::PATH,
        "code=360281000000",
        &format!("sjdz_places=360202000000~p29.30_117.20; sjdz_push={token}"),
    )
    .await;
    assert!(status.is_success() || status.is_redirection(), "{status} {body}");
    let row = store.push_subscription_by_token(&token).await.expect("read").expect("stored");
    assert_eq!(row.places, "360202000000~p29.30_117.20~360281000000");
}
