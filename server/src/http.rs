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

use crate::{config::Config, ingest::Ingest, sources::SourcesHealth, storage::Store};

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
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

impl AppState {
    /// State for `config` over an opened `store`; reads the site's asset manifest when built.
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
        AppState {
            leptos_options,
            store,
            ingest,
            assets: Arc::new(assets),
            config: Arc::new(config),
            site_mode: SiteMode::default(),
            sources_health: SourcesHealth::default(),
        }
    }

    /// The same state sharing `health` with the pollers.
    pub fn with_sources_health(mut self, health: SourcesHealth) -> AppState {
        self.sources_health = health;
        self
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
        .merge(crate::api::routes())
        .merge(pages::routes(&state))
        .fallback_service(assets::static_files(&state));
    for (name, value) in security_headers {
        router = router.layer(SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value)));
    }
    // Pages and JSON are compressed on the fly; static files arrive precompressed and pass.
    router.layer(CompressionLayer::new()).layer(TraceLayer::new_for_http()).with_state(state)
}
