//! `POST /_rpc/staff/shelters/import`: an admin's upload of the register file (multipart, the
//! file in `register`). The same reading as `safejdz shelters import`: all or nothing; a
//! refused file's problems go to the session's flash, which `/staff/shelters/import` shows once.
//! Audited as `shelter.import`.

use axum::{
    extract::{Extension, Multipart, State},
    response::{IntoResponse, Redirect, Response},
};
use chrono::Utc;
use safejdz_app::{
    domain::staff::Role,
    staff::{Flash, ImportProblemLine, ProblemPlace, StaffCaller},
};

use super::{Staff, audit::Actor};
use crate::shelters::import::{self, ImportProblem, Location};

const PAGE: &str = "/staff/shelters/import";

fn line(problem: ImportProblem) -> ImportProblemLine {
    ImportProblemLine {
        place: match problem.location {
            Location::File => ProblemPlace::File,
            Location::Line(line) => ProblemPlace::Line(line),
            Location::Feature(number) => ProblemPlace::Feature(number),
        },
        field: problem.field,
        message_id: problem.message_id.to_owned(),
        value: problem.value,
    }
}

fn whole_file(message_id: &str) -> Vec<ImportProblemLine> {
    vec![ImportProblemLine {
        place: ProblemPlace::File,
        field: String::new(),
        message_id: message_id.to_owned(),
        value: String::new(),
    }]
}

/// The file of the form, when one was sent.
async fn register_file(multipart: &mut Multipart) -> Option<(String, Vec<u8>)> {
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some("register") {
            let name = field.file_name().unwrap_or("register").to_owned();
            return field.bytes().await.ok().map(|bytes| (name, bytes.to_vec()));
        }
    }
    None
}

pub async fn import(
    State(staff): State<Staff>,
    Extension(caller): Extension<StaffCaller>,
    mut multipart: Multipart,
) -> Response {
    // The guard let only admins through; this says so where the work is done.
    if !caller.person.as_ref().is_some_and(|person| person.roles.contains(Role::Admin)) {
        return Redirect::to("/staff").into_response();
    }
    let refused = async |problems: Vec<ImportProblemLine>| -> Response {
        let flash = serde_json::to_string(&Flash::ImportProblems(problems)).unwrap_or_default();
        if let Err(error) = staff.store.set_session_flash(&caller.session_key, Some(&flash)).await {
            tracing::error!(%error, "keeping the import's problems failed");
        }
        Redirect::to(&format!("{PAGE}?refused")).into_response()
    };
    let Some((name, bytes)) = register_file(&mut multipart).await.filter(|(_, bytes)| !bytes.is_empty())
    else {
        return refused(whole_file("staff-import-error-no-file")).await;
    };
    let Ok(text) = String::from_utf8(bytes) else {
        return refused(whole_file("staff-import-error-not-text")).await;
    };
    let shelters = match import::read_register(&text) {
        Ok(shelters) => shelters,
        Err(problems) => return refused(problems.into_iter().map(line).collect()).await,
    };
    let outcome = match staff.store.import_shelters(&shelters, Utc::now()).await {
        Ok(outcome) => outcome,
        Err(error) => {
            tracing::error!(%error, "storing an imported register failed");
            return refused(whole_file("error-request-failed")).await;
        }
    };
    let detail = format!(
        "{name}: {} shelters ({} added, {} replaced, {} samples removed)",
        shelters.len(),
        outcome.added,
        outcome.replaced,
        outcome.samples_removed
    );
    if let Err(error) = staff.record(&Actor::of(&caller, None), "shelter.import", "register", &detail).await {
        tracing::error!(%error, "auditing an import failed");
    }
    Redirect::to(&format!(
        "{PAGE}?imported={}&added={}&replaced={}&removed={}",
        shelters.len(),
        outcome.added,
        outcome.replaced,
        outcome.samples_removed
    ))
    .into_response()
}
