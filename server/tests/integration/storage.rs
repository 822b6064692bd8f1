//! Storage on real SQLite and real PostgreSQL: the same schema and the same behaviour.

use crate::support::databases;

use databases::{on_each_backend, sqlite_store};
use safejdz_server::{
    notify::gateways::store::DeliveryState,
    platform::store::{Backend, SQLITE_FILE_NAME, Store},
};

#[tokio::test]
async fn a_new_store_is_migrated_and_answers() {
    on_each_backend("migrated", |store| async move {
        store.ping().await.expect("database answers");
        let applied = store.applied_migrations().await.expect("migrations table exists");
        assert!(!applied.is_empty(), "no migration applied");
    })
    .await;
}

#[tokio::test]
async fn instance_values_round_trip_and_overwrite() {
    on_each_backend("instancevalues", |store| async move {
        assert_eq!(store.instance_value("city").await.expect("read"), None);
        store.set_instance_value("city", "景德镇").await.expect("write");
        assert_eq!(store.instance_value("city").await.expect("read").as_deref(), Some("景德镇"));
        store.set_instance_value("city", "Jingdezhen").await.expect("overwrite");
        assert_eq!(store.instance_value("city").await.expect("read").as_deref(), Some("Jingdezhen"));
    })
    .await;
}

#[tokio::test]
async fn reopening_keeps_data_and_applies_no_migration_twice() {
    let (store, dir) = sqlite_store().await;
    store.set_instance_value("kept", "yes").await.expect("write");
    let before = store.applied_migrations().await.expect("migrations");
    store.close().await;

    let reopened = Store::open(None, dir.path()).await.expect("reopens");
    assert_eq!(reopened.instance_value("kept").await.expect("read").as_deref(), Some("yes"));
    assert_eq!(reopened.applied_migrations().await.expect("migrations"), before);
}

#[tokio::test]
async fn embedded_sqlite_is_a_wal_file_in_the_data_directory() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let data_dir = dir.path().join("nested").join("data");
    let store = Store::open(None, &data_dir).await.expect("creates the data directory");
    assert_eq!(store.backend(), Backend::Sqlite);
    assert!(data_dir.join(SQLITE_FILE_NAME).is_file(), "database file is in the data directory");
    store.set_instance_value("k", "v").await.expect("write");
    assert!(data_dir.join(format!("{SQLITE_FILE_NAME}-wal")).exists(), "write-ahead log in use");
}

#[tokio::test]
async fn an_unknown_database_scheme_is_refused_with_its_name() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let error = Store::open(Some("mysql://root:secret@localhost/db"), dir.path()).await.expect_err("refused");
    let message = error.to_string();
    assert!(message.contains("mysql://root:***@localhost/db"), "{message}");
    assert!(!message.contains("secret"), "password leaked: {message}");
}

#[tokio::test]
async fn a_closed_database_fails_its_ping() {
    let (store, _dir) = sqlite_store().await;
    store.close().await;
    assert!(store.ping().await.is_err());
}

#[tokio::test]
async fn push_subscriptions_and_fan_outs_behave_the_same_on_both_backends() {
    use chrono::{Duration, Utc};
    use safejdz_server::notify::webpush::store::{FanoutCounts, NewPushSubscription};
    on_each_backend("pushsubscriptions", |store| async move {
        let now = Utc::now();
        let new = |token: &'static str, endpoint: &'static str, places: &'static str| NewPushSubscription {
            token,
            endpoint,
            p256dh: "key",
            auth: "auth",
            places,
            levels: "red,orange,yellow,blue",
            lang: "zh-CN",
        };
        // A second subscribe from the same browser (same endpoint) keeps the row and its token.
        let token = store.save_push_subscription(&new("t1", "https://push.example/1", "360202"), now).await.expect("saved");
        assert_eq!(token, "t1");
        let again = store.save_push_subscription(&new("t9", "https://push.example/1", "360203"), now).await.expect("saved");
        assert_eq!(again, "t1");
        store.save_push_subscription(&new("t2", "https://push.example/2", "360281"), now).await.expect("saved");
        assert_eq!(store.count_push_subscriptions().await.expect("count"), 2);
        let row = store.push_subscription_by_token("t1").await.expect("read").expect("row");
        assert_eq!(row.places, "360203", "refreshed");

        assert!(store.update_push_places("t1", "360222", now).await.expect("update"));
        assert!(store.update_push_levels("t1", "red", now).await.expect("update"));
        assert!(!store.update_push_places("nope", "360222", now).await.expect("update"));
        let page = store.push_subscriptions_after(0, 10).await.expect("page");
        assert_eq!(page.iter().map(|s| s.token.as_str()).collect::<Vec<_>>(), ["t1", "t2"]);
        assert_eq!((page[0].places.as_str(), page[0].levels.as_str()), ("360222", "red"));
        assert_eq!(store.push_subscriptions_after(page[0].id, 10).await.expect("page").len(), 1);

        // One test notification per interval.
        assert!(store.claim_test_notification("t1", now, now - Duration::seconds(30)).await.expect("claim"));
        assert!(!store.claim_test_notification("t1", now, now - Duration::seconds(30)).await.expect("claim"));
        let later = now + Duration::seconds(31);
        assert!(store.claim_test_notification("t1", later, later - Duration::seconds(30)).await.expect("claim"));

        // A fan-out: claimed once, beaten, taken over only when silent, finished.
        let ingest = safejdz_server::warnings::ingest::Ingest::new(store.clone(), Default::default());
        let xml = format!(
            "<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\"><identifier>fan-1</identifier><sender>s</sender>\
             <sent>{}</sent><status>Actual</status><msgType>Alert</msgType><scope>Public</scope>\
             <info><category>Met</category><event>暴雨</event><urgency>Immediate</urgency><severity>Severe</severity>\
             <certainty>Likely</certainty><area><areaDesc>昌江区</areaDesc></area></info></alert>",
            now.format("%Y-%m-%dT%H:%M:%S+00:00")
        );
        let id = ingest.receive("test", xml.as_bytes(), now).await.expect("stored").id();
        let window = (now - Duration::hours(1), now + Duration::minutes(1));
        assert_eq!(store.accepted_without_fanout(window.0, window.1).await.expect("missed"), [id]);
        let long_ago = now - Duration::minutes(20);
        assert!(store.claim_push_fanout(id, long_ago).await.expect("claim"));
        assert!(!store.claim_push_fanout(id, now).await.expect("claim"), "claimed once");
        assert!(store.accepted_without_fanout(window.0, window.1).await.expect("missed").is_empty());
        let so_far = FanoutCounts { matched: 2, delivered: 1, removed: 1, failed: 0 };
        store.beat_push_fanout(id, 1, so_far, now).await.expect("beat");
        assert!(store.take_over_stalled_push_fanouts(now - Duration::minutes(10), now).await.expect("look").is_empty(), "alive");
        store.beat_push_fanout(id, 1, so_far, long_ago).await.expect("beat");
        let taken = store.take_over_stalled_push_fanouts(now - Duration::minutes(10), now).await.expect("take");
        assert_eq!(taken, [(id, 1, so_far)]);
        assert!(store.take_over_stalled_push_fanouts(now - Duration::minutes(10), now).await.expect("look").is_empty(), "taken once");
        assert_eq!(store.push_fanout(id).await.expect("read"), None, "not finished yet");
        store.finish_push_fanout(id, so_far, now).await.expect("finish");
        assert_eq!(store.push_fanout(id).await.expect("read"), Some(so_far));

        assert!(store.delete_push_subscription_by_token("t1").await.expect("delete"));
        assert!(!store.delete_push_subscription_by_token("t1").await.expect("delete"));
        store.delete_push_subscription(page[1].id).await.expect("delete");
        assert_eq!(store.count_push_subscriptions().await.expect("count"), 0);
    })
    .await;
}

/// Fan-outs and gateway deliveries recorded before the shared outbox existed are carried into
/// it by the migration: finished ones keep their outcome, an unfinished one can still be taken
/// over from where it got to.
#[tokio::test]
async fn the_outbox_migration_keeps_earlier_fan_outs_and_deliveries() {
    use sqlx::Executor;
    sqlx::any::install_default_drivers();
    let sqlite_dir = tempfile::tempdir().expect("temp dir");
    let sqlite_url = format!("sqlite://{}?mode=rwc", sqlite_dir.path().join(SQLITE_FILE_NAME).display());
    let postgres = databases::PostgresDatabase::create("outbox_migration").await;
    let mut urls = vec![("sqlite", sqlite_url)];
    match &postgres {
        Ok(database) => urls.push(("postgres", database.url.clone())),
        Err(reason) => {
            databases::skip_postgres("the_outbox_migration_keeps_earlier_fan_outs_and_deliveries", reason)
        }
    }
    for (engine, url) in urls {
        // The schema as it stood before the outbox: every migration older than it.
        let old = tempfile::tempdir().expect("temp dir");
        let migrations = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations").join(engine);
        for entry in std::fs::read_dir(&migrations).expect("migrations") {
            let path = entry.expect("entry").path();
            let name = path.file_name().expect("name").to_string_lossy().to_string();
            if name.as_str() < "20261201000001" {
                std::fs::copy(&path, old.path().join(&name)).expect("copy");
            }
        }
        let pool = sqlx::AnyPool::connect(&url).await.expect("connect");
        sqlx::migrate::Migrator::new(old.path())
            .await
            .expect("old migrations")
            .run(&pool)
            .await
            .expect("old schema");
        for id in [1, 2, 3] {
            pool.execute(
                format!(
                    "INSERT INTO cap_messages (id, source, received_at, raw, raw_sha256, state) \
                     VALUES ({id}, 'test', 0, 'x', 'sha{id}', 'accepted')"
                )
                .as_str(),
            )
            .await
            .expect("message");
        }
        pool.execute(
            "INSERT INTO push_fanouts (message_id, claimed_at, done_through, finished_at, matched, delivered, removed, failed) \
             VALUES (1, 1000, 40, 2000, 5, 4, 1, 0), (2, 1000, 17, NULL, 3, 3, 0, 0)",
        )
        .await
        .expect("fan-outs");
        pool.execute(
            "INSERT INTO gateway_deliveries (gateway, message_id, claimed_at, state, attempts, last_error) \
             VALUES ('sms', 1, 1000, 'delivered', 2, NULL), ('sms', 3, 1000, 'failed', 6, 'HTTP 503')",
        )
        .await
        .expect("deliveries");
        pool.close().await;

        let store = Store::open(Some(&url), sqlite_dir.path()).await.expect("migrated to the outbox");
        let counts = store.push_fanout(1).await.expect("read").expect("finished fan-out kept");
        assert_eq!(
            (counts.matched, counts.delivered, counts.removed, counts.failed),
            (5, 4, 1, 0),
            "{engine}"
        );
        let now = chrono::Utc::now();
        let taken = store.take_over_stalled_push_fanouts(now, now).await.expect("take over");
        assert_eq!(
            taken.iter().map(|(id, progress, _)| (*id, *progress)).collect::<Vec<_>>(),
            [(2, 17)],
            "{engine}"
        );
        let delivered = store.delivery("sms", 1).await.expect("read").expect("kept");
        assert_eq!((delivered.state, delivered.attempts), (DeliveryState::Delivered, 2), "{engine}");
        let failed = store.delivery("sms", 3).await.expect("read").expect("kept");
        assert_eq!(
            (failed.state, failed.last_error.as_deref()),
            (DeliveryState::Failed, Some("HTTP 503")),
            "{engine}"
        );
        assert!(
            store.take_over_stalled_deliveries("sms", now, now).await.expect("look").is_empty(),
            "finished: {engine}"
        );
        store.close().await;
    }
    if let Ok(database) = postgres {
        database.drop_database().await;
    }
}
