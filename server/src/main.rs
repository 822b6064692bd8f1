//! `safejdz`: parses the command line and configuration, then runs the chosen subcommand.

use std::{process::ExitCode, time::Duration};

use anyhow::Context;
use clap::Parser;
use safejdz_server::{
    cli::{Cli, Command},
    commands,
    config::Config,
    delivery,
    http::{AppState, router},
    ingest::Ingest,
    sources::{SourceKind, SourcesHealth, poll},
    storage::Store,
    telemetry,
};

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::from_process(cli.config.as_deref()) {
        Ok(config) => config,
        Err(error) => {
            eprintln!("safejdz: configuration error: {error}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(&config);
    match run(cli.command.unwrap_or(Command::Serve { demo: false }), config).await {
        Ok(code) => code,
        Err(error) => {
            tracing::error!("{error:#}");
            eprintln!("safejdz: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command, config: Config) -> anyhow::Result<ExitCode> {
    match command {
        Command::Config => {
            println!("{config:#?}");
            Ok(ExitCode::SUCCESS)
        }
        Command::Migrate => {
            let store = open_store(&config).await?;
            let applied = store.applied_migrations().await?;
            println!("database schema is up to date ({} migrations applied)", applied.len());
            Ok(ExitCode::SUCCESS)
        }
        Command::Ingest { files } => {
            let store = open_store(&config).await?;
            let ingest = Ingest::new(store.clone(), config.parse_options())
                .with_signature_rules(config.signature_rules.clone());
            let code = commands::ingest_files(&ingest, &files).await;
            store.close().await;
            code
        }
        Command::VapidKeys => {
            let (private, public) = safejdz_server::delivery::webpush::vapid::Vapid::generate();
            println!(
                "# Web Push (VAPID) keys made {}. Keep the private key secret.",
                chrono::Utc::now().to_rfc3339()
            );
            println!("SAFEJDZ_VAPID_PRIVATE_KEY={private}");
            println!("SAFEJDZ_VAPID_SUBJECT=mailto:change-me@example.org");
            println!("# public key (browsers fetch it from the server; shown for reference): {public}");
            Ok(ExitCode::SUCCESS)
        }
        Command::Quarantine { limit } => commands::list_quarantine(&open_store(&config).await?, limit).await,
        Command::Serve { demo } => serve(config, demo).await.map(|()| ExitCode::SUCCESS),
    }
}

/// With no VAPID key configured, the one kept in the data directory (made at first start), so
/// that notifications work in the default run. A configured key wins.
fn keep_web_push_key(config: &mut Config) -> anyhow::Result<()> {
    use safejdz_server::delivery::webpush::kept_key::{self, KeptKey};
    if config.vapid_private_key.is_some() {
        return Ok(());
    }
    let (key, kept) = kept_key::load_or_create(&config.data_dir)?;
    match kept {
        KeptKey::Made(path) => {
            tracing::info!(path = %path.display(), "made a Web Push (VAPID) key pair and kept it")
        }
        KeptKey::Read(path) => tracing::info!(path = %path.display(), "using the kept Web Push (VAPID) key"),
    }
    config.vapid_private_key = Some(key);
    if config.vapid_subject.is_none() {
        tracing::warn!(
            subject = kept_key::DEFAULT_SUBJECT,
            "vapid_subject is not set; set a contact push services can reach (docs/CONFIG.md)"
        );
        config.vapid_subject = Some(kept_key::DEFAULT_SUBJECT.to_owned());
    }
    Ok(())
}

async fn open_store(config: &Config) -> anyhow::Result<Store> {
    Store::open(config.database_url.as_deref(), &config.data_dir).await.context("opening the database")
}

async fn serve(mut config: Config, demo: bool) -> anyhow::Result<()> {
    keep_web_push_key(&mut config)?;
    let store = open_store(&config).await?;
    let bind = config.bind;
    let grace = Duration::from_secs(config.shutdown_grace_seconds);
    // One ingest for every source, so the alert hub hears of every acceptance at once.
    let state = AppState::new(config.clone(), store.clone()).with_demo(demo);
    let ingest = state.ingest.clone();
    for gateway in &config.gateways {
        tracing::info!(gateway = %gateway.name, url = %gateway.url, "delivering warnings to gateway");
        delivery::gateways::spawn(
            gateway.clone(),
            &state.hub,
            store.clone(),
            config.public_url.clone(),
            delivery::RetryPolicy::default(),
        );
    }
    match &state.web_push {
        Some(web_push) => tracing::info!(public_key = %web_push.public_key(), "web push on"),
        None => tracing::info!("web push off (no vapid_private_key)"),
    }
    ingest.recover().await?;
    tokio::spawn(recover_periodically(ingest.clone()));
    if demo {
        let verdicts = safejdz_server::ingest::demo::load(&ingest, chrono::Utc::now()).await?;
        tracing::warn!(
            messages = verdicts.len(),
            "DEMO MODE: sample warnings loaded; every page shows a demo banner"
        );
    }
    let health = SourcesHealth::default();
    let (stop_pollers, pollers_stop) = tokio::sync::watch::channel(false);
    if config.accepts_push() && config.push_token.is_some() {
        health.register(safejdz_server::api::PUSH_SOURCE, SourceKind::Push).await;
    }
    for source in &config.sources {
        health.register(&source.name, source.kind).await;
        if source.kind == SourceKind::Poll {
            tracing::info!(source = %source.name, url = ?source.url, "polling");
            tokio::spawn(poll::run(source.clone(), ingest.clone(), health.clone(), pollers_stop.clone()));
        }
    }
    let app = router(state.with_sources_health(health));
    let listener = tokio::net::TcpListener::bind(bind).await.with_context(|| format!("binding {bind}"))?;
    tracing::info!(backend = ?store.backend(), "listening on http://{bind}");
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = stop_rx.await;
            })
            .await
    });
    shutdown_signal().await;
    tracing::info!(grace_seconds = grace.as_secs(), "shutting down: finishing requests in flight");
    let _ = stop_tx.send(());
    let _ = stop_pollers.send(true);
    // Streams (SSE) never end by themselves: after the grace period we stop waiting.
    match tokio::time::timeout(grace, server).await {
        Ok(joined) => joined.context("server task")?.context("server")?,
        Err(_) => tracing::warn!("grace period over; closing remaining connections"),
    }
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Judges, every minute, messages a crashed replica stored but did not judge.
async fn recover_periodically(ingest: Ingest) {
    let mut every_minute = tokio::time::interval(Duration::from_secs(60));
    every_minute.tick().await;
    loop {
        every_minute.tick().await;
        if let Err(error) = ingest.recover().await {
            tracing::error!(%error, "recovering unjudged messages failed");
        }
    }
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM (service managers, container runtimes).
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
