//! Real databases for tests: a fresh SQLite file in a temporary directory, and a fresh
//! PostgreSQL database on the server named by `SJDZ_TEST_POSTGRES_URL` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`). Where no PostgreSQL answers, the PostgreSQL
//! half of a test prints that it was skipped and why; with `SJDZ_TEST_REQUIRE_POSTGRES=1` (set
//! by `.ci/run`, so CI always runs both backends) it fails instead.

#![allow(dead_code, reason = "not every helper is used by the tests of this run")]

use std::{
    future::Future,
    sync::atomic::{AtomicU32, Ordering},
};

use safejdz_server::platform::store::Store;
use sqlx::{Connection, Executor, PgConnection};

const DEFAULT_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// A store over a new SQLite file; the directory lives as long as the returned guard.
pub async fn sqlite_store() -> (Store, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let store = Store::open(None, dir.path()).await.expect("SQLite store opens");
    (store, dir)
}

/// A PostgreSQL database made for one test; dropped by [`PostgresDatabase::drop_database`].
pub struct PostgresDatabase {
    admin_url: String,
    pub name: String,
    pub url: String,
}

impl PostgresDatabase {
    /// Creates a fresh database, or says why not (and the test half is skipped).
    pub async fn create(test_name: &str) -> Result<PostgresDatabase, String> {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let admin_url = std::env::var("SJDZ_TEST_POSTGRES_URL").unwrap_or_else(|_| DEFAULT_ADMIN_URL.into());
        let mut admin = PgConnection::connect(&admin_url)
            .await
            .map_err(|e| format!("no PostgreSQL answers at {admin_url}: {e}"))?;
        let name = format!(
            "safejdz_test_{}_{}_{}",
            test_name.chars().filter(char::is_ascii_alphanumeric).take(20).collect::<String>().to_lowercase(),
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        admin
            .execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .map_err(|e| format!("cannot create database {name}: {e}"))?;
        let base = admin_url.rsplit_once('/').map_or(admin_url.as_str(), |(base, _)| base);
        let url = format!("{base}/{name}");
        Ok(PostgresDatabase { admin_url, name, url })
    }

    pub async fn drop_database(self) {
        if let Ok(mut admin) = PgConnection::connect(&self.admin_url).await {
            let _ =
                admin.execute(format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name).as_str()).await;
        }
    }
}

/// Runs `test` against a store on SQLite, then on PostgreSQL where a server answers.
pub async fn on_each_backend<F, Fut>(test_name: &str, test: F)
where
    F: Fn(Store) -> Fut,
    Fut: Future<Output = ()>,
{
    let (store, _dir) = sqlite_store().await;
    test(store.clone()).await;
    store.close().await;

    match PostgresDatabase::create(test_name).await {
        Ok(database) => {
            let store = Store::open(Some(&database.url), std::path::Path::new("unused"))
                .await
                .expect("PostgreSQL store opens");
            test(store.clone()).await;
            store.close().await;
            database.drop_database().await;
        }
        Err(reason) => skip_postgres(test_name, &reason),
    }
}

/// Says that the PostgreSQL half of `test_name` is skipped, or fails it when PostgreSQL is
/// required (`SJDZ_TEST_REQUIRE_POSTGRES=1`).
pub fn skip_postgres(test_name: &str, reason: &str) {
    if std::env::var("SJDZ_TEST_REQUIRE_POSTGRES").is_ok_and(|v| v == "1") {
        panic!("{test_name}: PostgreSQL is required (SJDZ_TEST_REQUIRE_POSTGRES=1), but {reason}");
    }
    eprintln!("{test_name}: PostgreSQL half skipped: {reason}");
}
