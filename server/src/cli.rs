//! The command line: `safejdz [--config FILE] [serve|migrate|config|ingest|quarantine|vapid-keys|user|shelters|drills]`.

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
    /// Staff accounts from the command line: the first admin, and an admin locked out.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// The register of emergency shelters: import the bureau's file, export it.
    Shelters {
        #[command(subcommand)]
        command: SheltersCommand,
    },
    /// Virtual drills: check scenario files before they are added (docs/DRILLS.md).
    Drills {
        #[command(subcommand)]
        command: DrillsCommand,
    },
    /// The library of safety knowledge: check article files before they are added (docs/LEARN.md).
    Learn {
        #[command(subcommand)]
        command: LearnCommand,
    },
}

/// `safejdz learn …`.
#[derive(Debug, Subcommand, PartialEq, Eq)]
pub enum LearnCommand {
    /// Check article files (`…/<zh-CN|en>/<slug>.md`, both languages of each) by the rules the
    /// server applies at start-up; prints every problem by file and line or field, and exits
    /// non-zero when there is one.
    Check {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
}

/// `safejdz drills …`.
#[derive(Debug, Subcommand, PartialEq, Eq)]
pub enum DrillsCommand {
    /// Check scenario files by the rules the server applies at start-up; prints every problem
    /// by file and line or step and field, and exits non-zero when there is one.
    Check {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
}

/// `safejdz shelters …`.
#[derive(Debug, Subcommand, PartialEq, Eq)]
pub enum SheltersCommand {
    /// Add or replace shelters by id from a CSV or GeoJSON file (docs/SHELTERS.md). All or
    /// nothing: a file with any problem is refused whole, each problem named by line (or
    /// feature) and field, and exits non-zero.
    Import {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Print the register as CSV (the import's columns) or GeoJSON.
    Export {
        #[arg(long, value_enum, default_value_t = ExportFormat::Csv)]
        format: ExportFormat,
    },
    /// Let a volunteer keep a shelter's state current (audited; admins can do it in the
    /// console at /staff/shelters too).
    Assign {
        /// The shelter's id in the register.
        shelter: String,
        /// The volunteer's login name.
        volunteer: String,
    },
    /// End a volunteer's assignment to a shelter (audited).
    Unassign { shelter: String, volunteer: String },
}

/// The export's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    Csv,
    Geojson,
}

/// `safejdz user …`.
#[derive(Debug, Subcommand, PartialEq, Eq)]
pub enum UserCommand {
    /// Add an account and print its temporary password (changed at first sign-in).
    Add {
        /// Login name: 3 to 32 of a-z, 0-9, '.', '_', '-'.
        name: String,
        /// A role: admin, publisher, approver, teacher, volunteer (repeat for several).
        #[arg(long = "role", required = true, value_name = "ROLE")]
        roles: Vec<String>,
        /// The name shown to other staff (default: the login name).
        #[arg(long)]
        display_name: Option<String>,
    },
    /// Give an account a new temporary password (printed) and end its sessions.
    ResetPassword { name: String },
    /// Remove an account's second factor (a lost phone); it sets up a new one at sign-in.
    ResetSecondFactor { name: String },
}
