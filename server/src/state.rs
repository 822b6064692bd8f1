//! `AppState`: the features composed over one store and one configuration. Built without
//! starting anything (`tasks` starts every background task); handlers of each feature take
//! that feature's own state, which `FromRef` cuts out of this one.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use safejdz_app::shell::{SiteAssets, SiteMode};

use crate::{
    config::Config,
    drills::Drills,
    learn::Learn,
    notify::{
        retry::RetryPolicy,
        webpush::{PushServices, WebPush},
    },
    platform::{assets, store::Store},
    shelters::Shelters,
    staff::{Staff, StaffSettings},
    warnings::{
        Warnings, hub::AlertHub, ingest::Ingest, recent::RecentAlerts, sources::SourcesHealth,
        state::WarningsSettings,
    },
};

/// What every part of the server can reach.
#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub store: Store,
    pub assets: Arc<SiteAssets>,
    pub config: Arc<Config>,
    /// Demo mode: sample warnings loaded, a banner on every page.
    pub site_mode: SiteMode,
    pub warnings: Warnings,
    /// The Web Push sender, when a VAPID key is configured; `tasks` runs its fan-out.
    pub web_push: Option<WebPush>,
    pub staff: Staff,
    pub shelters: Shelters,
    pub drills: Drills,
    pub learn: Learn,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

impl FromRef<AppState> for Staff {
    fn from_ref(state: &AppState) -> Self {
        state.staff.clone()
    }
}

impl FromRef<AppState> for Learn {
    fn from_ref(state: &AppState) -> Self {
        state.learn.clone()
    }
}

impl FromRef<AppState> for Shelters {
    fn from_ref(state: &AppState) -> Self {
        state.shelters.clone()
    }
}

impl FromRef<AppState> for crate::drills::class_routes::ClassRoutes {
    fn from_ref(state: &AppState) -> Self {
        crate::drills::class_routes::ClassRoutes { drills: state.drills.clone(), staff: state.staff.clone() }
    }
}

impl FromRef<AppState> for Warnings {
    fn from_ref(state: &AppState) -> Self {
        state.warnings.clone()
    }
}

impl AppState {
    /// State for `config` over an opened `store`; reads the site's asset manifest when built.
    /// Starts nothing: `Tasks::start` (in `tasks`) does.
    pub fn new(config: Config, store: Store) -> AppState {
        let leptos_options = LeptosOptions::builder()
            .output_name("safejdz")
            .site_root(config.site_root.display().to_string())
            .site_pkg_dir("pkg")
            .site_addr(config.bind)
            .build();
        let assets = assets::load_manifest(&config.site_root);
        let ingest =
            Ingest::new(store.clone(), config.parse_options()).with_signature_rules(config.signature_rules());
        let warnings = Warnings {
            hub: AlertHub::new(store.clone(), ingest.accepted_version()),
            recent: RecentAlerts::new(store.clone(), ingest.accepted_version()),
            store: store.clone(),
            ingest,
            sources_health: SourcesHealth::default(),
            settings: Arc::new(WarningsSettings {
                public_url: config.public_url.clone(),
                default_alert_lifetime: config.default_alert_lifetime(),
                push_sources: config.push_sources(),
                poll_intervals: config.poll_intervals(),
                started_at: chrono::Utc::now(),
            }),
        };
        let web_push = config.web_push_identity().map(|vapid| {
            WebPush::new(
                vapid,
                PushServices::new(&config.push_services),
                store.clone(),
                RetryPolicy::default(),
            )
        });
        let staff = Staff::new(
            store.clone(),
            StaffSettings {
                idle: std::time::Duration::from_secs(config.staff_idle_minutes * 60),
                absolute: std::time::Duration::from_secs(config.staff_session_hours * 3600),
                cookies: safejdz_app::shell::CookiePolicy {
                    secure: config.public_url.starts_with("https://"),
                },
                trust_forwarded_for: config.trust_forwarded_for,
            },
            warnings.ingest.clone(),
            crate::staff::publishing::Issuer {
                unit_code: config.warning_unit_code.clone(),
                sender: config.warning_sender.clone(),
                name_zh: config.warning_sender_name.clone(),
                name_en: config.warning_sender_name_en.clone(),
                colours: config.colour_severity,
                gateways: config.gateways.len(),
                signer: config.console_signer.clone(),
            },
        );
        let learn = Learn::shipped(config.campaigns.clone());
        let mut staff = staff;
        staff.sources_health = warnings.sources_health.clone();
        AppState {
            leptos_options,
            staff,
            shelters: Shelters {
                store: store.clone(),
                changes: Default::default(),
                stale_after: chrono::Duration::hours(config.shelter_stale_hours.min(168) as i64),
            },
            store,
            assets: Arc::new(assets),
            config: Arc::new(config),
            site_mode: SiteMode::default(),
            warnings,
            web_push,
            drills: Drills::shipped(),
            learn,
        }
    }

    /// The same state sharing `health` with pollers started elsewhere (tests).
    pub fn with_sources_health(mut self, health: SourcesHealth) -> AppState {
        self.staff.sources_health = health.clone();
        self.warnings.sources_health = health;
        self
    }

    /// The Web Push sender as the settings page's server functions reach it (`None`: off).
    pub fn push_backend(&self) -> Option<Arc<dyn safejdz_app::alerts::PushBackend>> {
        self.web_push.clone().map(|w| Arc::new(w) as Arc<dyn safejdz_app::alerts::PushBackend>)
    }

    /// The site's public address is https: cookies are `Secure`, responses carry HSTS.
    pub fn https(&self) -> bool {
        self.staff.settings.cookies.secure
    }

    /// How the app sets cookies: `Secure` when the site's public address is https.
    pub fn cookie_policy(&self) -> safejdz_app::shell::CookiePolicy {
        self.staff.settings.cookies
    }

    /// The same state in demo mode (or not).
    pub fn with_demo(mut self, demo: bool) -> AppState {
        self.site_mode = SiteMode { demo };
        self
    }
}
