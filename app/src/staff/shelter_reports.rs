//! `/staff/shelters`: volunteers keep each shelter's state current from a phone. Every shelter
//! has its three states as big buttons and an optional head count; saying a shelter is full
//! takes two taps (open the page, tap "Full"). Plain forms: it works without JavaScript.
//! Every report is audited.

use chrono::{DateTime, Utc};
use leptos::{prelude::*, server_fn::ServerFn as _};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use super::frame::{CsrfField, StaffFrame};
use crate::{
    domain::{preferences::Lang, shelters::ShelterState, staff::china_time},
    error::AppError,
    i18n::{title, tr, translate, translate_with, use_preferences},
};

/// One shelter as a volunteer sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportLine {
    pub id: String,
    pub name: String,
    pub sample: bool,
    pub capacity: u32,
    pub state: ShelterState,
    pub occupancy: Option<u32>,
    pub updated_at: Option<DateTime<Utc>>,
    pub updated_by: Option<String>,
}

/// Every shelter with its last report.
#[server(prefix = "/_rpc/staff", endpoint = "shelters")]
pub async fn staff_shelters() -> Result<Vec<ReportLine>, AppError> {
    let caller = super::api::caller().ok_or_else(|| AppError::new("staff-error-signed-out"))?;
    ssr::backend()?.shelters(caller).await
}

/// A volunteer's report: `state` (open, full, closed) and, when counted, how many are there.
#[server(prefix = "/_rpc/staff", endpoint = "shelters/report")]
pub async fn staff_report_shelter(
    id: String,
    state: String,
    occupancy: Option<String>,
) -> Result<(), AppError> {
    let caller = super::api::caller().ok_or_else(|| AppError::new("staff-error-signed-out"))?;
    let result = ssr::backend()?.report(caller, id, state, occupancy.unwrap_or_default()).await;
    super::api::follow(result, "/staff/shelters")
}

#[cfg(feature = "ssr")]
pub use ssr::ShelterReportsBackend;

#[cfg(feature = "ssr")]
mod ssr {
    use std::sync::Arc;

    use leptos::prelude::*;

    use super::*;
    use crate::staff::{SignInStep, StaffCaller, StaffPending};

    /// What the server does for the volunteers' page.
    pub trait ShelterReportsBackend: Send + Sync {
        fn shelters(&self, caller: StaffCaller) -> StaffPending<'_, Vec<ReportLine>>;
        /// `occupancy` as typed (empty: not counted).
        fn report(
            &self,
            caller: StaffCaller,
            id: String,
            state: String,
            occupancy: String,
        ) -> StaffPending<'_, SignInStep>;
    }

    pub fn backend() -> Result<Arc<dyn ShelterReportsBackend>, AppError> {
        use_context::<Arc<dyn ShelterReportsBackend>>().ok_or_else(|| AppError::new("error-request-failed"))
    }
}

fn state_word(lang: Lang, state: ShelterState) -> String {
    translate(lang, &format!("shelters-state-{}", state.key()))
}

/// `/staff/shelters`.
#[component]
pub fn StaffSheltersPage() -> impl IntoView {
    let lang = use_preferences().get_untracked().lang;
    let reported = use_query_map().with_untracked(|q| q.get("reported"));
    let list = Resource::new_blocking(|| (), |_| staff_shelters());
    view! {
        <Title text=title("staff-shelters-title")/>
        <StaffFrame>
            <section class="page" aria-labelledby="page-heading">
                <h1 id="page-heading">{tr("staff-shelters-heading")}</h1>
                <p class="hint">{tr("staff-shelters-lead")}</p>
                {reported.map(|_| view! { <p class="notice" role="status">{tr("staff-shelters-saved")}</p> })}
                <Suspense>
                    {move || Suspend::new(async move {
                        let lines = list.await.unwrap_or_default();
                        if lines.is_empty() {
                            return view! { <p class="empty-state">{tr("shelters-register-empty")}</p> }.into_any();
                        }
                        view! {
                            <ul class="report-list">
                                {lines.into_iter().map(|line| view! { <ReportForm line lang/> }).collect_view()}
                            </ul>
                        }.into_any()
                    })}
                </Suspense>
            </section>
        </StaffFrame>
    }
}

#[component]
fn ReportForm(line: ReportLine, lang: Lang) -> impl IntoView {
    let field = format!("occupancy-{}", line.id);
    let last = match (line.updated_at, &line.updated_by) {
        (Some(at), Some(by)) => translate_with(
            lang,
            "staff-shelters-last",
            &[
                ("state", state_word(lang, line.state).into()),
                ("time", china_time(at).into()),
                ("by", by.clone().into()),
            ],
        ),
        _ => translate(lang, "shelters-state-unknown"),
    };
    let button = |state: ShelterState| {
        view! {
            <button type="submit" name="state" value=state.key() class=format!("button report-button report-button--{}", state.key())>
                {state_word(lang, state)}
            </button>
        }
    };
    view! {
        <li class=format!("report-item shelter-item--{}", line.state.key())>
            <h2 class="shelter-name">
                {line.name.clone()}
                {line.sample.then(|| view! { " " <span class="sample-tag">{tr("shelters-sample-tag")}</span> })}
            </h2>
            <p class="shelter-state">{last}</p>
            <form action=StaffReportShelter::url() method="post" class="report-form">
                <CsrfField/>
                <input type="hidden" name="id" value=line.id.clone()/>
                <label for=field.clone()>
                    {translate_with(lang, "staff-shelters-occupancy", &[("capacity", line.capacity.into())])}
                </label>
                <input id=field name="occupancy" type="text" inputmode="numeric" autocomplete="off"
                    value=line.occupancy.map(|o| o.to_string()).unwrap_or_default()/>
                <div class="button-row">
                    {button(ShelterState::Open)}
                    {button(ShelterState::Full)}
                    {button(ShelterState::Closed)}
                </div>
            </form>
        </li>
    }
}
