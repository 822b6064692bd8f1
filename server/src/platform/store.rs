//! Storage through sqlx: embedded SQLite by default (one WAL-mode file in the data directory),
//! PostgreSQL when the database URL says `postgres://`, with the same schema on both.
//!
//! The rest of the server sees only [`Store`] and its repository functions; rows are private
//! here and leave as domain types. Queries are written once, in the SQL both backends share
//! (`$1` placeholders, `BIGINT`/`TEXT`/`BLOB`-`BYTEA` types), through sqlx's `Any` driver.

use std::{path::Path, str::FromStr, time::Duration};

use sqlx::{
    AnyPool, ConnectOptions, Executor,
    any::{AnyConnectOptions, AnyPoolOptions},
    migrate::Migrator,
};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// File name of the embedded database inside the data directory.
pub const SQLITE_FILE_NAME: &str = "safejdz.sqlite3";

/// Which database engine a [`Store`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A storage failure. Details are logged where it is handled, never sent to a client.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("unsupported database URL scheme in {0:?} (use sqlite:// or postgres://)")]
    UnsupportedUrl(String),
    #[error("cannot create data directory {path}: {source}")]
    DataDir { path: String, source: std::io::Error },
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("stored data cannot be encoded or decoded: {0}")]
    Encoding(String),
}

/// The application's database.
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

impl Store {
    /// Opens (and creates) the database named by `database_url`, or the embedded SQLite file in
    /// `data_dir` when there is none, and brings its schema up to date.
    pub async fn open(database_url: Option<&str>, data_dir: &Path) -> Result<Store, StorageError> {
        sqlx::any::install_default_drivers();
        let url = match database_url.map(str::trim).filter(|u| !u.is_empty()) {
            Some(url) => url.to_owned(),
            None => {
                std::fs::create_dir_all(data_dir).map_err(|source| StorageError::DataDir {
                    path: data_dir.display().to_string(),
                    source,
                })?;
                format!("sqlite://{}?mode=rwc", data_dir.join(SQLITE_FILE_NAME).display())
            }
        };
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err(StorageError::UnsupportedUrl(redact_url_password(&url)));
        };
        let options = AnyConnectOptions::from_str(&url)?
            .log_slow_statements(tracing::log::LevelFilter::Warn, Duration::from_millis(500));
        let pool = AnyPoolOptions::new()
            .max_connections(match backend {
                // One writer at a time anyway; a few readers beside it under WAL.
                Backend::Sqlite => 4,
                Backend::Postgres => 10,
            })
            .acquire_timeout(Duration::from_secs(5))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL: readers never block the writer; busy_timeout: writers queue
                        // instead of failing; foreign_keys: SQLite leaves them off by default.
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA busy_timeout = 5000").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                        // FULL: an acknowledged warning survives even a power cut, not only a crash.
                        conn.execute("PRAGMA synchronous = FULL").await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        let migrator = match backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.run(&pool).await?;
        Ok(Store { pool, backend })
    }

    /// The engine behind this store.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The connection pool, for the repository modules of this crate.
    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// A transaction that will write. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`), so it waits its turn under `busy_timeout`; a deferred transaction
    /// that reads first and writes later fails at once with "database is locked" when another
    /// connection (another process: the command line beside the server) wrote in between.
    pub(crate) async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, StorageError> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }

    /// Answers when the database does: what `/healthz` asks.
    pub async fn ping(&self) -> Result<(), StorageError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Closes every connection, waiting for queries in flight (graceful shutdown).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

pub mod instance;

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
pub fn redact_url_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_owned() };
    let Some((credentials, host)) = rest.split_once('@') else { return url.to_owned() };
    match credentials.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}
