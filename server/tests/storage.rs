//! Storage on real SQLite and real PostgreSQL: the same schema and the same behaviour.

#[path = "support/databases.rs"]
mod databases;

use databases::{on_each_backend, sqlite_store};
use safejdz_server::storage::{Backend, SQLITE_FILE_NAME, Store};

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
