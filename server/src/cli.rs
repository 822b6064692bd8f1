//! The command line: `safejdz [--config FILE] [serve|migrate|config|ingest|quarantine|vapid-keys]`.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Safe Jingdezhen (平安瓷都): early warnings, shelters, drills and safety knowledge for
/// Jingdezhen's residents.
#[derive(Debug, Parser)]
#[command(name = "safejdz", version, about, long_about = None)]
pub struct Cli {
    /// TOML configuration file; `SAFEJDZ_*` environment variables override its keys.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// What to do; without a subcommand, `serve`.
#[derive(Debug, Subcommand, PartialEq, Eq)]
pub enum Command {
    /// Run the web server (the default).
    Serve {
        /// Load sample warnings written for this product and show a 演示 / DEMO banner on
        /// every page. For local runs only.
        #[arg(long)]
        demo: bool,
    },
    /// Create or upgrade the database schema, then exit.
    Migrate,
    /// Print the effective configuration (secrets redacted), then exit.
    Config,
    /// Ingest CAP files into the database (same rules as the feed); exits non-zero when any
    /// file was refused.
    Ingest {
        /// CAP XML files.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Create a VAPID key pair for Web Push and print it as configuration lines. Keep the
    /// private key secret and stable: browsers subscribe with its public half.
    VapidKeys,
    /// List the messages in quarantine (refused, kept with the reason), newest first.
    Quarantine {
        /// How many to list.
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
}
