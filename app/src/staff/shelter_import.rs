//! `/staff/shelters/import`: an admin loads the bureau's register file (CSV or GeoJSON, the
//! formats of docs/SHELTERS.md) from the console. The upload is a plain multipart form posted
//! to [`SHELTER_IMPORT_PATH`] (a file route of the server; it works without JavaScript). All or
//! nothing as on the command line: a refused file's problems are listed here, each with its
//! line or feature, field and reason, and nothing of it is stored.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use super::{
    Flash,
    frame::{CsrfField, StaffFrame},
    staff_flash,
};
use crate::{
    domain::preferences::Lang,
    i18n::{title, tr, translate, translate_with, use_preferences},
};

/// Where the import form posts (multipart: `csrf`, then the file as `register`).
pub const SHELTER_IMPORT_PATH: &str = "/_rpc/staff/shelters/import";

/// Largest register file the console takes (the command line has no limit).
pub const MAX_REGISTER_BYTES: usize = 8 << 20;

/// Where in the file a problem is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProblemPlace {
    File,
    Line(u64),
    Feature(usize),
}

/// One problem of a refused file, as the page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportProblemLine {
    pub place: ProblemPlace,
    pub field: String,
    pub message_id: String,
    pub value: String,
}

fn problem_words(lang: Lang, problem: &ImportProblemLine) -> String {
    let place = match problem.place {
        ProblemPlace::File => translate(lang, "staff-import-place-file"),
        ProblemPlace::Line(line) => translate_with(lang, "staff-import-place-line", &[("line", line.into())]),
        ProblemPlace::Feature(number) => {
            translate_with(lang, "staff-import-place-feature", &[("number", number.into())])
        }
    };
    let mut words = place;
    if !problem.field.is_empty() {
        words.push_str(&translate_with(
            lang,
            "staff-import-field",
            &[("field", problem.field.clone().into())],
        ));
    }
    words.push_str(&translate(lang, "staff-import-colon"));
    words.push_str(&translate(lang, &problem.message_id));
    if !problem.value.is_empty() {
        words.push_str(&format!(" “{}”", problem.value.chars().take(80).collect::<String>()));
    }
    words
}

/// `/staff/shelters/import`.
#[component]
pub fn StaffShelterImportPage() -> impl IntoView {
    let lang = use_preferences().get_untracked().lang;
    let counts = use_query_map().with_untracked(|q| {
        let number = |key: &str| q.get(key).and_then(|v| v.parse::<u64>().ok());
        number("imported").map(|imported| {
            (
                imported,
                number("added").unwrap_or(0),
                number("replaced").unwrap_or(0),
                number("removed").unwrap_or(0),
            )
        })
    });
    let flash = Resource::new_blocking(|| (), |_| staff_flash());
    view! {
        <Title text=title("staff-import-title")/>
        <StaffFrame>
            <section class="page" aria-labelledby="page-heading">
                <p><a href="/staff/shelters">{tr("staff-import-back")}</a></p>
                <h1 id="page-heading">{tr("staff-import-heading")}</h1>
                {counts.map(|(imported, added, replaced, removed)| view! {
                    <div class="notice notice--saved" role="status">
                        <p>{translate_with(lang, "staff-import-done", &[("count", imported.into()), ("added", added.into()), ("replaced", replaced.into())])}</p>
                        {(removed > 0).then(|| view! { <p>{translate_with(lang, "staff-import-samples-removed", &[("count", removed.into())])}</p> })}
                    </div>
                })}
                <Suspense>
                    {move || Suspend::new(async move {
                        match flash.await.ok().flatten() {
                            Some(Flash::ImportProblems(problems)) => Some(view! {
                                <div class="notice notice--error" role="alert">
                                    <p>{translate_with(lang, "staff-import-refused", &[("count", problems.len().into())])}</p>
                                    <ol class="import-problems">
                                        {problems.iter().map(|problem| view! { <li>{problem_words(lang, problem)}</li> }).collect_view()}
                                    </ol>
                                </div>
                            }),
                            _ => None,
                        }
                    })}
                </Suspense>
                <p class="hint">{tr("staff-import-lead")}</p>
                <form action=SHELTER_IMPORT_PATH method="post" enctype="multipart/form-data" class="staff-form">
                    <CsrfField/>
                    <label for="register-file">{tr("staff-import-file")}</label>
                    <input id="register-file" name="register" type="file" required=true
                        accept=".csv,.geojson,.json,text/csv,application/geo+json,application/json"/>
                    <button type="submit" class="button">{tr("staff-import-submit")}</button>
                </form>
            </section>
        </StaffFrame>
    }
}
