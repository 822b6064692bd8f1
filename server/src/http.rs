//! The HTTP surface: server-rendered pages and server functions (Leptos), `/healthz`, and the
//! built static assets. Everything is assembled in [`router`], which tests call in-process.

mod assets;
mod health;
mod pages;

use std::sync::Arc;

use axum::{Router, extract::FromRef, routing::get};
use http::{HeaderValue, header};
use leptos::config::LeptosOptions;
use safejdz_app::shell::{SiteAssets, SiteMode};
use tower_http::{compression::CompressionLayer, set_header::SetResponseHeaderLayer, trace::TraceLayer};

use crate::{
    config::Config,
    delivery::{
        AlertHub, RetryPolicy,
        webpush::{PushServices, WebPush},
    },
    ingest::Ingest,
    sources::SourcesHealth,
    storage::Store,
};

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub store: Store,
    pub ingest: Ingest,
    pub assets: Arc<SiteAssets>,
    pub config: Arc<Config>,
    /// Demo mode: sample warnings loaded, a banner on every page.
    pub site_mode: SiteMode,
    /// Health of every configured source, written by pollers and pushes.
    pub sources_health: SourcesHealth,
    /// When this state was made (server start): staleness of feeds not yet polled counts from it.
    pub started_at: chrono::DateTime<chrono::Utc>,
    /// Fans out changes to the warnings (SSE, Web Push, gateways).
    pub hub: AlertHub,
    /// The Web Push sender, when a VAPID key is configured; its fan-out runs on `hub`.
    pub web_push: Option<WebPush>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

impl AppState {
    /// State for `config` over an opened `store`; reads the site's asset manifest when built.
    /// Starts the alert hub's task, so it must be called inside the Tokio runtime.
    pub fn new(config: Config, store: Store) -> AppState {
        let leptos_options = LeptosOptions::builder()
            .output_name("safejdz")
            .site_root(config.site_root.display().to_string())
            .site_pkg_dir("pkg")
            .site_addr(config.bind)
            .build();
        let assets = assets::load_manifest(&config.site_root);
        let ingest = Ingest::new(store.clone(), config.parse_options())
            .with_signature_rules(config.signature_rules.clone());
        let (store_for_hub, accepted) = (store.clone(), ingest.accepted_signal());
        let hub = AlertHub::start(store_for_hub, accepted);
        let web_push = config.web_push_identity().map(|vapid| {
            let sender = WebPush::new(
                vapid,
                PushServices::new(&config.push_services),
                store.clone(),
                RetryPolicy::default(),
            );
            sender.spawn(&hub);
            sender
        });
        AppState {
            leptos_options,
            store,
            ingest,
            assets: Arc::new(assets),
            config: Arc::new(config),
            site_mode: SiteMode::default(),
            sources_health: SourcesHealth::default(),
            started_at: chrono::Utc::now(),
            hub,
            web_push,
        }
    }

    /// The same state sharing `health` with the pollers.
    pub fn with_sources_health(mut self, health: SourcesHealth) -> AppState {
        self.sources_health = health;
        self
    }

    /// The alert store as the pages read it (provided to the app as context).
    pub fn page_warnings(&self) -> Arc<dyn safejdz_app::alerts::WarningsBackend> {
        Arc::new(crate::alerts::PageWarnings {
            store: self.store.clone(),
            default_lifetime: self.config.default_alert_lifetime(),
            sources_health: self.sources_health.clone(),
            poll_intervals: self
                .config
                .sources
                .iter()
                .filter(|s| s.kind == crate::sources::SourceKind::Poll)
                .map(|s| {
                    (
                        s.name.clone(),
                        s.interval_seconds.unwrap_or(crate::sources::SourceConfig::DEFAULT_INTERVAL_SECONDS),
                    )
                })
                .collect(),
            started_at: self.started_at,
        })
    }

    /// The Web Push sender as the settings page's server functions reach it (`None`: off).
    pub fn push_backend(&self) -> Option<Arc<dyn safejdz_app::alerts::PushBackend>> {
        self.web_push.clone().map(|w| Arc::new(w) as Arc<dyn safejdz_app::alerts::PushBackend>)
    }

    /// The same state in demo mode (or not).
    pub fn with_demo(mut self, demo: bool) -> AppState {
        self.site_mode = SiteMode { demo };
        self
    }
}

/// The whole application router.
pub fn router(state: AppState) -> Router {
    let security_headers = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        // Same-origin keeps the full Referer that no-JavaScript form posts redirect back to.
        (header::REFERRER_POLICY, "same-origin"),
        (header::X_FRAME_OPTIONS, "DENY"),
    ];
    let mut router = Router::new()
        .route("/healthz", get(health::healthz))
        .route("/sw.js", get(service_worker))
        .merge(crate::api::routes())
        .merge(pages::routes(&state))
        .fallback_service(assets::static_files(&state));
    for (name, value) in security_headers {
        router = router.layer(SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value)));
    }
    // Pages and JSON are compressed on the fly; static files arrive precompressed and pass.
    router.layer(CompressionLayer::new()).layer(TraceLayer::new_for_http()).with_state(state)
}

/// The service worker that shows notifications. Served from the root (its scope is the whole
/// site) under a fixed name, and revalidated on every load so a release reaches phones at once.
async fn service_worker() -> impl axum::response::IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "no-cache")],
        include_str!("../../public/sw.js"),
    )
}
