//! `/staff/audit`: the audit log for admins, filtered by a plain GET form (who, what, from,
//! to), newest first, with the same lines as CSV.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{
    api::{AuditQuery, staff_audit},
    frame::StaffFrame,
};
use crate::i18n::{title, tr, translate, use_preferences};

/// Where the CSV of the same filter is (the server answers it, not a page).
pub const AUDIT_CSV_PATH: &str = "/staff/audit.csv";

/// `/staff/audit`.
#[component]
pub fn StaffAuditPage() -> impl IntoView {
    let lang = use_preferences().get_untracked().lang;
    let (query, raw_query) = use_query_map().with_untracked(|query| {
        let field = |name: &str| query.get(name).filter(|v| !v.trim().is_empty());
        (
            AuditQuery {
                actor: field("actor"),
                action: field("action"),
                from: field("from"),
                to: field("to"),
            },
            query.to_query_string(),
        )
    });
    let lines = Resource::new_blocking(
        {
            let query = query.clone();
            move || query.clone()
        },
        staff_audit,
    );
    let csv_href = format!("{AUDIT_CSV_PATH}{raw_query}");
    view! {
        <Title text=title("staff-audit-title")/>
        <StaffFrame>
            <section class="page page--wide" aria-labelledby="page-heading">
                <h1 id="page-heading">{tr("staff-audit-heading")}</h1>
                <form method="get" action="/staff/audit" class="staff-filter">
                    <label>{tr("staff-audit-actor")}<input name="actor" type="text" value=query.actor.clone()/></label>
                    <label>{tr("staff-audit-action")}<input name="action" type="text" value=query.action.clone()
                        aria-describedby="action-hint"/></label>
                    <label>{tr("staff-audit-from")}<input name="from" type="date" value=query.from.clone()/></label>
                    <label>{tr("staff-audit-to")}<input name="to" type="date" value=query.to.clone()/></label>
                    <button type="submit" class="button">{tr("staff-audit-filter")}</button>
                </form>
                <p class="hint" id="action-hint">{tr("staff-audit-action-hint")}</p>
                <p><a href=csv_href download="audit.csv">{tr("staff-audit-csv")}</a></p>
                <Suspense>
                    {move || Suspend::new(async move {
                        match lines.await {
                            Ok(lines) if lines.is_empty() => view! { <p>{translate(lang, "staff-audit-empty")}</p> }.into_any(),
                            Ok(lines) => view! {
                                <table class="staff-table">
                                    <thead><tr>
                                        <th scope="col">{translate(lang, "staff-audit-when")}</th>
                                        <th scope="col">{translate(lang, "staff-audit-actor")}</th>
                                        <th scope="col">{translate(lang, "staff-audit-action")}</th>
                                        <th scope="col">{translate(lang, "staff-audit-object")}</th>
                                        <th scope="col">{translate(lang, "staff-audit-address")}</th>
                                        <th scope="col">{translate(lang, "staff-audit-detail")}</th>
                                    </tr></thead>
                                    <tbody>
                                        {lines.into_iter().map(|line| view! {
                                            <tr>
                                                <td><time datetime=line.at.to_rfc3339()>{crate::domain::staff::china_time(line.at)}</time></td>
                                                <td>{line.actor}</td>
                                                <td><code>{line.action}</code></td>
                                                <td>{line.object}</td>
                                                <td>{line.address}</td>
                                                <td>{line.detail}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            }.into_any(),
                            Err(error) => view! { <p class="notice notice--error" role="alert">{translate(lang, &error.message_id)}</p> }.into_any(),
                        }
                    })}
                </Suspense>
            </section>
        </StaffFrame>
    }
}
