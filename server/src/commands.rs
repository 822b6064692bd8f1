//! The CLI subcommands other than `serve`: what each prints and its exit status.

use std::{path::PathBuf, process::ExitCode};

use chrono::Utc;
use safejdz_app::domain::shelters::ShelterId;

use crate::{
    cli::{DrillsCommand, ExportFormat, SheltersCommand, UserCommand},
    platform::store::Store,
    staff::{Staff, audit::Actor, shelter_console::AssignmentError},
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

/// `safejdz user …`: account changes from this machine's command line (audited as such).
pub async fn user(staff: &Staff, command: UserCommand) -> anyhow::Result<ExitCode> {
    use safejdz_app::domain::staff::{Role, Roles};
    let actor = Actor::command_line();
    let by_name = async |name: &str| -> anyhow::Result<Option<i64>> {
        let name = safejdz_app::domain::staff::login_name(name).unwrap_or_default();
        Ok(staff.store.staff_user_by_name(&name).await?.map(|user| user.id))
    };
    match command {
        UserCommand::Add { name, roles, display_name } => {
            let parsed: Option<Vec<Role>> = roles.iter().map(|r| Role::from_name(r)).collect();
            let Some(parsed) = parsed else {
                println!(
                    "refused: a role is one of admin, publisher, approver, teacher, volunteer (got {roles:?})"
                );
                return Ok(ExitCode::FAILURE);
            };
            let shown = display_name.unwrap_or_else(|| name.clone());
            match staff.add_account(&actor, &name, &shown, &Roles::new(parsed)).await {
                Ok((id, password)) => {
                    println!("added account {id}: {}", name.trim().to_ascii_lowercase());
                    println!("temporary password (shown once; changed at first sign-in): {password}");
                    println!(
                        "sign in at /staff/login; admins, publishers and approvers then set up an authenticator app"
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Err(error) => {
                    println!("refused: {error}");
                    Ok(ExitCode::FAILURE)
                }
            }
        }
        UserCommand::ResetPassword { name } => {
            let Some(id) = by_name(&name).await? else {
                println!("refused: no account {name:?}");
                return Ok(ExitCode::FAILURE);
            };
            let (name, password) = staff.reset_account_password(&actor, id).await?;
            println!("{name}: temporary password (shown once; changed at next sign-in): {password}");
            Ok(ExitCode::SUCCESS)
        }
        UserCommand::ResetSecondFactor { name } => {
            let Some(id) = by_name(&name).await? else {
                println!("refused: no account {name:?}");
                return Ok(ExitCode::FAILURE);
            };
            staff.reset_account_second_factor(&actor, id).await?;
            println!("{name}: second factor removed; a new one is set up at next sign-in");
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `safejdz shelters import FILE`, `export`, `assign` and `unassign`: the import says what it
/// added and replaced, or refuses the whole file with one line per problem (`FILE: line N,
/// field F: reason`).
pub async fn shelters(staff: &Staff, command: SheltersCommand) -> anyhow::Result<ExitCode> {
    use crate::shelters::{export, import};
    let store = &staff.store;
    match command {
        SheltersCommand::Assign { shelter, volunteer } => assignment(staff, &shelter, &volunteer, true).await,
        SheltersCommand::Unassign { shelter, volunteer } => {
            assignment(staff, &shelter, &volunteer, false).await
        }
        SheltersCommand::Import { file } => {
            let shown = file.display();
            let text = match std::fs::read(&file).map(String::from_utf8) {
                Ok(Ok(text)) => text,
                Ok(Err(_)) => {
                    println!("{shown}: refused: the file is not UTF-8 text");
                    return Ok(ExitCode::FAILURE);
                }
                Err(error) => {
                    println!("{shown}: refused: cannot read the file: {error}");
                    return Ok(ExitCode::FAILURE);
                }
            };
            match import::read_register(&text) {
                Ok(shelters) => {
                    let outcome = store.import_shelters(&shelters, Utc::now()).await?;
                    println!(
                        "{shown}: {} shelters imported ({} added, {} replaced)",
                        shelters.len(),
                        outcome.added,
                        outcome.replaced
                    );
                    if outcome.samples_removed > 0 {
                        println!(
                            "{shown}: the sample register ({} shelters) was removed",
                            outcome.samples_removed
                        );
                    }
                    Ok(ExitCode::SUCCESS)
                }
                Err(problems) => {
                    for problem in &problems {
                        println!("{shown}: {problem}");
                    }
                    println!("{shown}: refused: {} problems; nothing was imported", problems.len());
                    Ok(ExitCode::FAILURE)
                }
            }
        }
        SheltersCommand::Export { format } => {
            let register = store.shelters().await?;
            match format {
                ExportFormat::Csv => print!("{}", export::to_csv(&register)?),
                ExportFormat::Geojson => println!("{}", export::to_geojson(&register)),
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `safejdz shelters assign|unassign SHELTER VOLUNTEER`.
async fn assignment(staff: &Staff, shelter: &str, volunteer: &str, assign: bool) -> anyhow::Result<ExitCode> {
    let Some(id) = ShelterId::parse(shelter) else {
        println!("refused: {shelter:?} is not a shelter id");
        return Ok(ExitCode::FAILURE);
    };
    match staff.set_shelter_assignment(&Actor::command_line(), &id, volunteer, assign).await {
        Ok(changed) => {
            let what = match (assign, changed) {
                (true, true) => "assigned to",
                (true, false) => "was already assigned to",
                (false, true) => "no longer assigned to",
                (false, false) => "was not assigned to",
            };
            println!("{shelter}: {what} {volunteer}");
            Ok(ExitCode::SUCCESS)
        }
        Err(AssignmentError::Storage(error)) => Err(error.into()),
        Err(refused) => {
            println!("refused: {refused}");
            Ok(ExitCode::FAILURE)
        }
    }
}

/// `safejdz drills check FILE…`: each file by the start-up rules; `FILE: ok (N steps)` or its
/// problems, one a line.
pub fn drills(command: DrillsCommand) -> ExitCode {
    let DrillsCommand::Check { files } = command;
    let mut failed = false;
    for file in files {
        let name = file.display().to_string();
        let checked = std::fs::read_to_string(&file)
            .map_err(|error| vec![format!("{name}: cannot be read: {error}")])
            .and_then(|text| crate::drills::scenarios::read(&name, &text));
        match checked {
            Ok(scenario) => println!("{name}: ok ({} steps)", scenario.steps.len()),
            Err(problems) => {
                failed = true;
                for problem in problems {
                    println!("{problem}");
                }
            }
        }
    }
    if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}

/// `safejdz learn check FILE…`: the files as one library (each article with its counterpart);
/// `FILE: ok` for each, or every problem, one a line.
pub fn learn(command: crate::cli::LearnCommand) -> ExitCode {
    let crate::cli::LearnCommand::Check { files } = command;
    let mut read = Vec::new();
    let mut problems = Vec::new();
    for file in &files {
        let name = file.display().to_string();
        match std::fs::read_to_string(file) {
            Ok(text) => read.push((name, text)),
            Err(error) => problems.push(format!("{name}: cannot be read: {error}")),
        }
    }
    let named: Vec<(&str, &str)> = read.iter().map(|(name, text)| (name.as_str(), text.as_str())).collect();
    if let Err(mut found) = crate::learn::articles::library_of(&named) {
        problems.append(&mut found);
    }
    if problems.is_empty() {
        for (name, _) in &read {
            println!("{name}: ok");
        }
        ExitCode::SUCCESS
    } else {
        for problem in problems {
            println!("{problem}");
        }
        ExitCode::FAILURE
    }
}
