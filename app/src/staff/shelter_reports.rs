//! `/staff/shelters`: volunteers keep each shelter's state current from a phone. Every shelter
//! has its three states as big buttons and an optional head count; saying a shelter is full
//! takes two taps (open the page, tap "Full"). A volunteer sees and reports the shelters an
//! admin assigned to them; an admin sees every shelter, reports any, and assigns volunteers
//! here. Plain forms: it works without JavaScript. Every report and assignment is audited.

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
    /// The login names of the volunteers who keep it (shown to admins).
    pub assigned: Vec<String>,
}

/// A volunteer an admin can assign a shelter to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VolunteerChoice {
    pub name: String,
    pub display_name: String,
}

/// The volunteers' page: the caller's shelters (an admin's: all), and for admins the
/// volunteers to assign.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShelterReports {
    pub lines: Vec<ReportLine>,
    /// `Some` for admins: every account with the volunteer role.
    pub volunteers: Option<Vec<VolunteerChoice>>,
}

/// The shelters the caller keeps, each with its last report.
#[server(prefix = "/_rpc/staff", endpoint = "shelters")]
pub async fn staff_shelters() -> Result<ShelterReports, AppError> {
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

/// An admin assigns a shelter to a volunteer (`action` = `assign`) or ends that
/// (`unassign`).
#[server(prefix = "/_rpc/staff", endpoint = "shelters/assign")]
pub async fn staff_assign_shelter(id: String, volunteer: String, action: String) -> Result<(), AppError> {
    let caller = super::api::caller().ok_or_else(|| AppError::new("staff-error-signed-out"))?;
    let result = ssr::backend()?.assign(caller, id, volunteer, action == "assign").await;
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
        fn shelters(&self, caller: StaffCaller) -> StaffPending<'_, ShelterReports>;
        /// `occupancy` as typed (empty: not counted).
        fn report(
            &self,
            caller: StaffCaller,
            id: String,
            state: String,
            occupancy: String,
        ) -> StaffPending<'_, SignInStep>;
        /// Admins only: `assign` or end the assignment of shelter `id` to `volunteer`.
        fn assign(
            &self,
            caller: StaffCaller,
            id: String,
            volunteer: String,
            assign: bool,
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
    let (reported, assigned) = use_query_map().with_untracked(|q| (q.get("reported"), q.get("assigned")));
    let list = Resource::new_blocking(|| (), |_| staff_shelters());
    view! {
        <Title text=title("staff-shelters-title")/>
        <StaffFrame>
            <section class="page" aria-labelledby="page-heading">
                <h1 id="page-heading">{tr("staff-shelters-heading")}</h1>
                <p class="hint">{tr("staff-shelters-lead")}</p>
                {reported.map(|_| view! { <p class="notice" role="status">{tr("staff-shelters-saved")}</p> })}
                {assigned.map(|_| view! { <p class="notice" role="status">{tr("staff-shelters-assigned-saved")}</p> })}
                <Suspense>
                    {move || Suspend::new(async move {
                        let ShelterReports { lines, volunteers } = list.await.unwrap_or_default();
                        let import_link = volunteers.is_some().then(|| view! {
                            <p><a class="button button--quiet" href="/staff/shelters/import">{tr("staff-import-link")}</a></p>
                        });
                        if lines.is_empty() {
                            let empty = if volunteers.is_some() { "shelters-register-empty" } else { "staff-shelters-none-assigned" };
                            return view! { {import_link}<p class="empty-state">{tr(empty)}</p> }.into_any();
                        }
                        view! {
                            {import_link}
                            <ul class="report-list">
                                {lines.into_iter().map(|line| {
                                    let assigning = volunteers.clone().map(|volunteers| view! { <Assignments line=line.clone() volunteers lang/> });
                                    view! { <ReportForm line lang>{assigning}</ReportForm> }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    })}
                </Suspense>
            </section>
        </StaffFrame>
    }
}

#[component]
fn ReportForm(line: ReportLine, lang: Lang, children: Children) -> impl IntoView {
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
            {children()}
        </li>
    }
}

/// An admin's view of who keeps a shelter: each volunteer with a button that ends it, and a
/// choice of volunteer to add.
#[component]
fn Assignments(line: ReportLine, volunteers: Vec<VolunteerChoice>, lang: Lang) -> impl IntoView {
    let field = format!("volunteer-{}", line.id);
    let free: Vec<VolunteerChoice> =
        volunteers.into_iter().filter(|v| !line.assigned.contains(&v.name)).collect();
    let id = line.id.clone();
    view! {
        <div class="assignments">
            <h3 class="assignments__heading">{translate(lang, "staff-shelters-assigned-heading")}</h3>
            {if line.assigned.is_empty() {
                view! { <p class="hint">{translate(lang, "staff-shelters-assigned-nobody")}</p> }.into_any()
            } else {
                view! {
                    <ul class="assignments__list">
                        {line.assigned.iter().map(|name| view! {
                            <li>
                                <form action=StaffAssignShelter::url() method="post" class="inline-form">
                                    <CsrfField/>
                                    <input type="hidden" name="id" value=id.clone()/>
                                    <input type="hidden" name="volunteer" value=name.clone()/>
                                    <input type="hidden" name="action" value="unassign"/>
                                    <span>{name.clone()}</span>" "
                                    <button type="submit" class="button button--quiet"
                                        aria-label=translate_with(lang, "staff-shelters-unassign-label", &[("name", name.clone().into())])>
                                        {translate(lang, "staff-shelters-unassign")}
                                    </button>
                                </form>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {(!free.is_empty()).then(|| view! {
                <form action=StaffAssignShelter::url() method="post" class="inline-form">
                    <CsrfField/>
                    <input type="hidden" name="id" value=id.clone()/>
                    <input type="hidden" name="action" value="assign"/>
                    <label for=field.clone()>{translate(lang, "staff-shelters-assign-label")}</label>" "
                    <select id=field name="volunteer">
                        {free.into_iter().map(|v| view! {
                            <option value=v.name.clone()>{format!("{} ({})", v.display_name, v.name)}</option>
                        }).collect_view()}
                    </select>" "
                    <button type="submit" class="button">{translate(lang, "staff-shelters-assign")}</button>
                </form>
            })}
        </div>
    }
}
