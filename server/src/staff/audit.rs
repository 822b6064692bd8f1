//! The audit log: every staff action, appended (the database refuses changes and deletions),
//! read by admins on `/staff/audit` and here as CSV.

use axum::{
    Extension,
    extract::{Query, State},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::Utc;
use safejdz_app::{
    domain::staff::{Role, china_days, china_time},
    staff::{AuditQuery, StaffCaller},
};

use super::{
    Staff,
    store::{AuditFilter, AuditRow, NewAuditEntry},
};
use crate::platform::store::StorageError;

/// Who did something: a signed-in person, a sign-in attempt under a typed name, or the
/// command line.
#[derive(Debug, Clone)]
pub struct Actor {
    pub id: Option<i64>,
    pub name: String,
    pub address: String,
}

impl Actor {
    /// The person of a request (or, before sign-in, `typed_name`).
    pub fn of(caller: &StaffCaller, typed_name: Option<&str>) -> Actor {
        match &caller.person {
            Some(person) => {
                Actor { id: Some(person.id), name: person.name.clone(), address: caller.address.clone() }
            }
            None => Actor {
                id: None,
                name: typed_name.unwrap_or("-").to_owned(),
                address: caller.address.clone(),
            },
        }
    }

    /// `safejdz` on this machine's command line.
    pub fn command_line() -> Actor {
        Actor { id: None, name: "(command line)".to_owned(), address: "local".to_owned() }
    }
}

impl Staff {
    /// Appends `action` on `object` by `actor` now.
    pub async fn record(
        &self,
        actor: &Actor,
        action: &str,
        object: &str,
        detail: &str,
    ) -> Result<(), StorageError> {
        tracing::info!(actor = %actor.name, address = %actor.address, action, object, detail, "staff action");
        self.store
            .append_audit(&NewAuditEntry {
                at: Utc::now(),
                actor_id: actor.id,
                actor_name: &actor.name,
                action,
                object,
                address: &actor.address,
                detail,
            })
            .await
    }
}

/// The store's filter for the audit page's query; `None` when a date cannot be read.
pub fn filter_of(query: &AuditQuery, limit: i64) -> Option<AuditFilter> {
    let (since, until) = china_days(query.from.as_deref(), query.to.as_deref())?;
    let text =
        |value: &Option<String>| value.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
    Some(AuditFilter { actor: text(&query.actor), action: text(&query.action), since, until, limit })
}

/// The most lines one CSV holds (a year of a busy bureau is far fewer).
pub const CSV_LIMIT: i64 = 200_000;

/// `GET /staff/audit.csv?actor=&action=&from=&to=`: the filtered log, newest first, as CSV
/// (RFC 4180, UTF-8 with a byte-order mark so spreadsheet programs read the Chinese). The
/// guard has let only admins through; the export is itself audited.
pub async fn csv(
    State(staff): State<Staff>,
    Extension(caller): Extension<StaffCaller>,
    Query(query): Query<AuditQuery>,
) -> Response {
    let admin = caller.person.as_ref().is_some_and(|p| p.roles.contains(Role::Admin));
    let Some(filter) = filter_of(&query, CSV_LIMIT).filter(|_| admin) else {
        return (StatusCode::BAD_REQUEST, "bad filter").into_response();
    };
    let rows = match staff.store.audit(&filter).await {
        Ok(rows) => rows,
        Err(error) => {
            tracing::error!(%error, "reading the audit log failed");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    let detail = format!("{} lines", rows.len());
    if let Err(error) = staff.record(&Actor::of(&caller, None), "audit.export", "audit", &detail).await {
        tracing::error!(%error, "recording the audit export failed");
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"audit.csv\""),
        ],
        to_csv(&rows),
    )
        .into_response()
}

/// The lines as CSV with a header row.
pub fn to_csv(rows: &[AuditRow]) -> String {
    let mut out = String::from("\u{feff}id,time_utc,time_china,actor,action,object,address,detail\r\n");
    for row in rows {
        let fields = [
            row.id.to_string(),
            row.at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            china_time(row.at),
            row.actor_name.clone(),
            row.action.clone(),
            row.object.clone(),
            row.address.clone(),
            row.detail.clone(),
        ];
        out.push_str(&fields.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}

/// One CSV field: quoted when it holds a comma, quote or line break (quotes doubled); a field
/// a spreadsheet would run as a formula (`=`, `+`, `-`, `@`) is prefixed with `'`.
pub fn csv_field(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@']) { format!("'{value}") } else { value.to_owned() };
    if value.contains([',', '"', '\r', '\n']) { format!("\"{}\"", value.replace('"', "\"\"")) } else { value }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_formulas_defused() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_field("-1"), "'-1");
    }
}
