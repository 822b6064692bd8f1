//! The CLI subcommands other than `serve`: what each prints and its exit status.

use std::{path::PathBuf, process::ExitCode};

use chrono::Utc;

use crate::{
    platform::store::Store,
    warnings::ingest::{Ingest, Verdict},
};

/// `safejdz ingest FILE…`: one verdict line per file; failure when any file was refused.
pub async fn ingest_files(ingest: &Ingest, files: &[PathBuf]) -> anyhow::Result<ExitCode> {
    ingest.recover().await?;
    let mut refused = 0;
    for file in files {
        let shown = file.display();
        let bytes = match std::fs::read(file) {
            Ok(bytes) => bytes,
            Err(error) => {
                println!("{shown}: refused: cannot read the file: {error}");
                refused += 1;
                continue;
            }
        };
        let verdict = ingest.receive(crate::warnings::sources::CLI_SOURCE, &bytes, Utc::now()).await?;
        if verdict.is_refused() {
            refused += 1;
        }
        println!("{shown}: {}", describe(&verdict));
    }
    Ok(if refused == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// One line saying what became of a message.
fn describe(verdict: &Verdict) -> String {
    match verdict {
        Verdict::Accepted { id } => format!("accepted as message {id}"),
        Verdict::Duplicate { id } => format!("duplicate of message {id}"),
        Verdict::Quarantined { id, reason } => {
            format!("refused: {reason} (kept in quarantine as message {id})")
        }
        Verdict::Envelope { id, parts } => {
            let parts: Vec<_> =
                parts.iter().enumerate().map(|(i, p)| format!("alert {}: {}", i + 1, describe(p))).collect();
            format!(
                "{}envelope {id} with {} alerts: {}",
                if verdict.is_refused() { "refused: " } else { "" },
                parts.len(),
                parts.join("; ")
            )
        }
    }
}

/// `safejdz quarantine`: the refused messages with their reasons.
pub async fn list_quarantine(store: &Store, limit: i64) -> anyhow::Result<ExitCode> {
    let messages = store.quarantined_messages(limit).await?;
    if messages.is_empty() {
        println!("quarantine is empty");
    }
    for message in messages {
        println!(
            "{id}\t{received}\t{source}\t{reason}",
            id = message.id,
            received = message.received_at.to_rfc3339(),
            source = message.source,
            reason = message.reason.unwrap_or_default()
        );
    }
    Ok(ExitCode::SUCCESS)
}
