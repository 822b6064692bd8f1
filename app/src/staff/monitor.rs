//! The ingest monitor at `/staff/sources`: each source's health (last poll, last error, next
//! poll, messages today), the quarantine with its reasons, one quarantined message's raw XML,
//! and judging it again once its source is fixed.

use chrono::{DateTime, Utc};
use leptos::{prelude::*, server_fn::ServerFn as _};
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

use super::frame::{CsrfField, StaffFrame};
use crate::{
    domain::staff::china_time,
    error::AppError,
    i18n::{title, tr, translate, use_preferences},
};

/// One source as the monitor shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceLine {
    pub name: String,
    /// poll | push.
    pub kind: String,
    pub last_success: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub last_error_at: Option<DateTime<Utc>>,
    pub failures_in_a_row: u32,
    pub next_poll: Option<DateTime<Utc>>,
    /// Messages received since midnight, China time.
    pub today: i64,
}

/// A quarantined message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuarantineLine {
    pub id: i64,
    pub source: String,
    pub received_at: DateTime<Utc>,
    pub reason: String,
}

/// The monitor page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonitorPage {
    pub sources: Vec<SourceLine>,
    pub quarantine: Vec<QuarantineLine>,
}

/// One quarantined message with its bytes as text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuarantinedMessage {
    pub line: QuarantineLine,
    pub raw: String,
    /// The bytes were longer than shown.
    pub cut: bool,
}

/// The sources and the quarantine.
#[server(prefix = "/_rpc/staff", endpoint = "sources")]
pub async fn staff_sources() -> Result<MonitorPage, AppError> {
    ssr::backend()?
        .monitor(super::api::caller().ok_or_else(|| AppError::new("staff-error-signed-out"))?)
        .await
}

/// One quarantined message.
#[server(prefix = "/_rpc/staff", endpoint = "sources/quarantined")]
pub async fn staff_quarantined(id: i64) -> Result<QuarantinedMessage, AppError> {
    let caller = super::api::caller().ok_or_else(|| AppError::new("staff-error-signed-out"))?;
    ssr::backend()?.quarantined(caller, id).await
}

/// Judges a quarantined message again under today's rules.
#[server(prefix = "/_rpc/staff", endpoint = "sources/reingest")]
pub async fn staff_reingest(id: i64) -> Result<(), AppError> {
    let caller = super::api::caller().ok_or_else(|| AppError::new("staff-error-signed-out"))?;
    let result = ssr::backend()?.reingest(caller, id).await;
    super::api::follow(result, &format!("/staff/sources/quarantine/{id}"))
}

#[cfg(feature = "ssr")]
pub use ssr::MonitorBackend;

#[cfg(feature = "ssr")]
mod ssr {
    use std::sync::Arc;

    use leptos::prelude::*;

    use super::*;
    use crate::staff::{SignInStep, StaffCaller, StaffPending};

    /// What the server does for the ingest monitor.
    pub trait MonitorBackend: Send + Sync {
        fn monitor(&self, caller: StaffCaller) -> StaffPending<'_, MonitorPage>;
        fn quarantined(&self, caller: StaffCaller, id: i64) -> StaffPending<'_, QuarantinedMessage>;
        fn reingest(&self, caller: StaffCaller, id: i64) -> StaffPending<'_, SignInStep>;
    }

    pub fn backend() -> Result<Arc<dyn MonitorBackend>, AppError> {
        use_context::<Arc<dyn MonitorBackend>>().ok_or_else(|| AppError::new("error-request-failed"))
    }
}

fn time(at: Option<DateTime<Utc>>) -> String {
    at.map(china_time).unwrap_or_else(|| "-".to_owned())
}

/// `/staff/sources`.
#[component]
pub fn StaffSourcesPage() -> impl IntoView {
    let lang = use_preferences().get_untracked().lang;
    let page = Resource::new_blocking(|| (), |_| staff_sources());
    view! {
        <Title text=title("monitor-title")/>
        <StaffFrame>
            <section class="page page--wide" aria-labelledby="page-heading">
                <h1 id="page-heading">{tr("monitor-heading")}</h1>
                <Suspense>
                    {move || Suspend::new(async move {
                        let page = page.await.unwrap_or(MonitorPage { sources: Vec::new(), quarantine: Vec::new() });
                        view! {
                            <h2>{translate(lang, "monitor-sources")}</h2>
                            <table class="staff-table">
                                <thead><tr>
                                    <th scope="col">{translate(lang, "monitor-source")}</th>
                                    <th scope="col">{translate(lang, "monitor-last-success")}</th>
                                    <th scope="col">{translate(lang, "monitor-last-error")}</th>
                                    <th scope="col">{translate(lang, "monitor-next-poll")}</th>
                                    <th scope="col">{translate(lang, "monitor-today")}</th>
                                </tr></thead>
                                <tbody>
                                    {page.sources.into_iter().map(|source| {
                                        let failing = source.failures_in_a_row > 0;
                                        view! {
                                            <tr class=failing.then_some("monitor-failing")>
                                                <td>{source.name}" ("{source.kind}")"</td>
                                                <td>{time(source.last_success)}</td>
                                                <td>
                                                    {failing.then(|| format!("{} ", translate(lang, "monitor-failing")))}
                                                    {source.last_error.map(|e| format!("{e} ({})", time(source.last_error_at)))}
                                                </td>
                                                <td>{time(source.next_poll)}</td>
                                                <td>{source.today}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                            <h2>{translate(lang, "monitor-quarantine")}</h2>
                            {if page.quarantine.is_empty() {
                                view! { <p>{translate(lang, "monitor-quarantine-empty")}</p> }.into_any()
                            } else {
                                view! {
                                    <table class="staff-table">
                                        <thead><tr>
                                            <th scope="col">{translate(lang, "monitor-received")}</th>
                                            <th scope="col">{translate(lang, "monitor-source")}</th>
                                            <th scope="col">{translate(lang, "monitor-reason")}</th>
                                        </tr></thead>
                                        <tbody>
                                            {page.quarantine.into_iter().map(|line| view! {
                                                <tr>
                                                    <td><a href=format!("/staff/sources/quarantine/{}", line.id)>{china_time(line.received_at)}</a></td>
                                                    <td>{line.source}</td>
                                                    <td>{line.reason}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                }.into_any()
                            }}
                        }
                    })}
                </Suspense>
            </section>
        </StaffFrame>
    }
}

/// `/staff/sources/quarantine/{id}`: the reason, the raw XML, and "judge again".
#[component]
pub fn StaffQuarantinedPage() -> impl IntoView {
    let lang = use_preferences().get_untracked().lang;
    let id = use_params_map()
        .with_untracked(|p| p.get("id"))
        .and_then(|id| id.parse::<i64>().ok())
        .unwrap_or_default();
    let outcome = use_query_map().with_untracked(|q| q.get("outcome"));
    let message = Resource::new_blocking(move || id, staff_quarantined);
    view! {
        <Title text=title("monitor-message-title")/>
        <StaffFrame>
            <section class="page page--wide" aria-labelledby="page-heading">
                <h1 id="page-heading">{tr("monitor-message-heading")}</h1>
                {outcome.map(|outcome| view! { <p class="notice notice--saved" role="status">{translate(lang, &format!("monitor-outcome-{outcome}"))}</p> })}
                <Suspense>
                    {move || Suspend::new(async move {
                        match message.await {
                            Ok(message) => view! {
                                <dl class="warning-facts">
                                    <dt>{translate(lang, "monitor-source")}</dt><dd>{message.line.source.clone()}</dd>
                                    <dt>{translate(lang, "monitor-received")}</dt><dd>{china_time(message.line.received_at)}</dd>
                                    <dt>{translate(lang, "monitor-reason")}</dt><dd>{message.line.reason.clone()}</dd>
                                </dl>
                                <form action=StaffReingest::url() method="post" class="staff-form">
                                    <CsrfField/>
                                    <input type="hidden" name="id" value=id.to_string()/>
                                    <p class="hint">{translate(lang, "monitor-reingest-hint")}</p>
                                    <button type="submit" class="button button--primary">{translate(lang, "monitor-reingest")}</button>
                                </form>
                                <h2>{translate(lang, "monitor-raw")}</h2>
                                {message.cut.then(|| view! { <p class="hint">{translate(lang, "monitor-raw-cut")}</p> })}
                                <pre class="monitor-raw"><code>{message.raw}</code></pre>
                            }.into_any(),
                            Err(error) => view! { <p class="notice notice--error" role="alert">{translate(lang, &error.message_id)}</p> }.into_any(),
                        }
                    })}
                </Suspense>
            </section>
        </StaffFrame>
    }
}
