//! Staff: accounts with roles, passwords (argon2id) and a second factor (TOTP with recovery
//! codes), server-side sessions, CSRF tokens, sign-in throttling and the append-only audit log;
//! the guard that stands before every `/staff` page and staff server function; the backend the
//! app's staff console calls ([`console::StaffConsole`]); the audit log's CSV; publishing
//! warnings under the two-person rule ([`publishing`]).

pub mod accounts;
pub mod audit;
pub mod console;
pub mod guard;
pub mod monitor_console;
pub mod passwords;
pub mod publish_console;
pub mod publishing;
pub mod sessions;
pub mod shelter_console;
pub mod shelter_import;
pub mod store;
pub mod throttle;
pub mod totp;

use std::{sync::Arc, time::Duration};

use axum::{Router, routing::get};
use safejdz_app::shell::CookiePolicy;

use crate::{
    platform::store::Store,
    warnings::{ingest::Ingest, sources::SourcesHealth},
};

/// The staff feature's state.
#[derive(Clone)]
pub struct Staff {
    pub store: Store,
    pub settings: Arc<StaffSettings>,
    /// Where the console's warnings go: the same ingest as the city feed.
    pub ingest: Ingest,
    pub issuer: Arc<publishing::Issuer>,
    /// The sources' health, for the ingest monitor (shared with the pollers).
    pub sources_health: SourcesHealth,
}

/// How staff sessions behave.
#[derive(Debug, Clone)]
pub struct StaffSettings {
    /// A session without a request for this long is over.
    pub idle: Duration,
    /// A session is over this long after it began, however busy.
    pub absolute: Duration,
    pub cookies: CookiePolicy,
    /// Read the client's address from `X-Forwarded-For` (behind a trusted reverse proxy).
    pub trust_forwarded_for: bool,
}

/// How authenticator apps name this site's entries.
pub const TOTP_ISSUER: &str = "平安瓷都 Safe Jingdezhen";

impl Staff {
    pub fn new(store: Store, settings: StaffSettings, ingest: Ingest, issuer: publishing::Issuer) -> Staff {
        Staff {
            store,
            settings: Arc::new(settings),
            ingest,
            issuer: Arc::new(issuer),
            sources_health: SourcesHealth::default(),
        }
    }
}

/// Staff routes that are not pages or server functions (the audit CSV, the register's upload),
/// listed so that the role × route test enumerates them as it does the app's routes.
pub const FILE_ROUTES: &[&str] = &[
    safejdz_app::staff::AUDIT_CSV_PATH,
    safejdz_app::staff::SHELTER_IMPORT_PATH,
    safejdz_app::drills::class_api::CLASS_RESULTS_CSV_PATH,
    safejdz_app::drills::class_api::CLASS_TEACHER_STREAM_PATH,
    safejdz_app::drills::class_api::DRILL_RECORD_CSV_PATH,
];

/// The routes of [`FILE_ROUTES`]: the audit log as CSV, and the register's upload.
pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Staff: axum::extract::FromRef<S>,
{
    Router::new().route(safejdz_app::staff::AUDIT_CSV_PATH, get(audit::csv)).route(
        safejdz_app::staff::SHELTER_IMPORT_PATH,
        axum::routing::post(shelter_import::import)
            .layer(axum::extract::DefaultBodyLimit::max(safejdz_app::staff::MAX_REGISTER_BYTES + 64 * 1024)),
    )
}
