//! `safejdz`: parses the command line and configuration, then runs the chosen subcommand.

use std::{process::ExitCode, time::Duration};

use anyhow::Context;
use clap::Parser;
use safejdz_server::{
    cli::{Cli, Command},
    commands,
    config::Config,
    platform::{store::Store, telemetry},
    router::router,
    state::AppState,
    tasks::Tasks,
    warnings::ingest::Ingest,
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
    telemetry::init(config.log_format, &config.log_filter);
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
                .with_signature_rules(config.signature_rules());
            let code = commands::ingest_files(&ingest, &files).await;
            store.close().await;
            code
        }
        Command::VapidKeys => {
            let (private, public) = safejdz_server::notify::webpush::vapid::Vapid::generate();
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
        Command::User { command } => {
            let store = open_store(&config).await?;
            let state = AppState::new(config, store.clone());
            let code = commands::user(&state.staff, command).await;
            store.close().await;
            code
        }
        Command::Shelters { command } => {
            let store = open_store(&config).await?;
            let state = AppState::new(config, store.clone());
            let code = commands::shelters(&state.staff, command).await;
            store.close().await;
            code
        }
        Command::Drills { command } => Ok(commands::drills(command)),
        Command::Learn { command } => Ok(commands::learn(command)),
        Command::Serve { demo } => serve(config, demo).await.map(|()| ExitCode::SUCCESS),
    }
}

/// With no VAPID key configured, the one kept in the data directory (made at first start), so
/// that notifications work in the default run. A configured key wins.
fn keep_web_push_key(config: &mut Config) -> anyhow::Result<()> {
    use safejdz_server::notify::webpush::kept_key::{self, KeptKey};
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
    config.vapid_private_key = Some(key.into());
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
    Store::open(config.database_url.as_ref().map(|url| url.expose()), &config.data_dir)
        .await
        .context("opening the database")
}

async fn serve(mut config: Config, demo: bool) -> anyhow::Result<()> {
    keep_web_push_key(&mut config)?;
    // A bad scenario file is a build's mistake: refuse to start, naming every problem.
    let scenarios = safejdz_server::drills::scenarios::all()
        .map_err(|problems| anyhow::anyhow!("drill scenarios:\n{}", problems.join("\n")))?;
    tracing::info!(scenarios = scenarios.len(), "drill scenarios checked");
    // So is a bad article file.
    let shelf = safejdz_server::learn::shipped_shelf()
        .map_err(|problems| anyhow::anyhow!("learn articles:\n{}", problems.join("\n")))?;
    tracing::info!(articles = shelf.library.len(), "learn articles checked");
    let store = open_store(&config).await?;
    let bind = config.bind;
    let grace = Duration::from_secs(config.shutdown_grace_seconds);
    let state = AppState::new(config.clone(), store.clone()).with_demo(demo);
    let ingest = state.warnings.ingest.clone();
    ingest.recover().await?;
    if demo {
        let verdicts = safejdz_server::warnings::ingest::demo::load(&ingest, chrono::Utc::now()).await?;
        tracing::warn!(
            messages = verdicts.len(),
            "DEMO MODE: sample warnings loaded; every page shows a demo banner"
        );
        let shelters = safejdz_server::shelters::demo::load(&store, chrono::Utc::now()).await?;
        tracing::warn!(shelters, "DEMO MODE: the sample shelter register loaded (labelled sample data)");
    }
    let tasks = Tasks::start(&state).await;
    let app = router(state);
    let listener = tokio::net::TcpListener::bind(bind).await.with_context(|| format!("binding {bind}"))?;
    tracing::info!(backend = ?store.backend(), "listening on http://{bind}");
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>())
            .with_graceful_shutdown(async {
                let _ = stop_rx.await;
            })
            .await
    });
    shutdown_signal().await;
    tracing::info!(grace_seconds = grace.as_secs(), "shutting down: finishing requests in flight");
    let _ = stop_tx.send(());
    tasks.stop(grace).await;
    // Streams (SSE) never end by themselves: after the grace period we stop waiting.
    match tokio::time::timeout(grace, server).await {
        Ok(joined) => joined.context("server task")?.context("server")?,
        Err(_) => tracing::warn!("grace period over; closing remaining connections"),
    }
    store.close().await;
    tracing::info!("stopped");
    Ok(())
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
