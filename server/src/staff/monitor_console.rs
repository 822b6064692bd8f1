//! The ingest monitor's backend: the sources' health, the quarantine, and judging a
//! quarantined message again (audited).

use chrono::{Duration, Utc};
use safejdz_app::{
    domain::staff::Role,
    error::AppError,
    staff::{
        MonitorBackend, MonitorPage, QuarantineLine, QuarantinedMessage, SignInStep, SourceLine, StaffCaller,
        StaffPending,
    },
};

use super::{
    audit::Actor,
    console::{StaffConsole, signed_in_with},
};
use crate::{platform::store::StorageError, warnings::ingest::Verdict};

/// Raw XML shown at most (a message may be up to the ingest's limit; a page need not be).
pub const RAW_SHOWN_BYTES: usize = 256 * 1024;
/// Quarantined messages listed.
pub const QUARANTINE_LISTED: i64 = 200;

fn failed(error: StorageError) -> AppError {
    tracing::error!(%error, "ingest monitor: storage failed");
    AppError::new("error-request-failed")
}

fn allowed(caller: &StaffCaller) -> Result<(), AppError> {
    signed_in_with(caller, &[Role::Admin, Role::Publisher, Role::Approver]).map(|_| ())
}

impl StaffConsole {
    async fn monitor(&self, caller: StaffCaller) -> Result<MonitorPage, AppError> {
        allowed(&caller)?;
        let store = &self.staff.store;
        // Midnight in China (UTC+8).
        let now = Utc::now();
        let china_midnight = (now + Duration::hours(8)).date_naive().and_hms_opt(0, 0, 0).unwrap_or_default();
        let since = china_midnight.and_utc() - Duration::hours(8);
        let counts = store.received_counts_since(since).await.map_err(failed)?;
        let today = |name: &str| counts.iter().find(|(source, _)| source == name).map_or(0, |(_, n)| *n);
        let sources = self
            .staff
            .sources_health
            .snapshot()
            .await
            .into_iter()
            .map(|health| SourceLine {
                today: today(&health.name),
                kind: format!("{:?}", health.kind).to_ascii_lowercase(),
                name: health.name,
                last_success: health.last_success,
                last_error: health.last_error,
                last_error_at: health.last_error_at,
                failures_in_a_row: health.consecutive_failures,
                next_poll: health.next_poll,
            })
            .collect();
        let quarantine = store
            .quarantined_messages(QUARANTINE_LISTED)
            .await
            .map_err(failed)?
            .into_iter()
            .map(|m| QuarantineLine {
                id: m.id,
                source: m.source,
                received_at: m.received_at,
                reason: m.reason.unwrap_or_default(),
            })
            .collect();
        Ok(MonitorPage { sources, quarantine })
    }

    async fn quarantined(&self, caller: StaffCaller, id: i64) -> Result<QuarantinedMessage, AppError> {
        allowed(&caller)?;
        let store = &self.staff.store;
        let message = store.message(id).await.map_err(failed)?;
        let message = message
            .filter(|m| m.state == crate::warnings::store::MessageState::Quarantined)
            .ok_or_else(|| AppError::new("monitor-error-missing"))?;
        let raw = store.raw_message(id).await.map_err(failed)?.unwrap_or_default();
        let cut = raw.len() > RAW_SHOWN_BYTES;
        let shown = String::from_utf8_lossy(&raw[..raw.len().min(RAW_SHOWN_BYTES)]).into_owned();
        Ok(QuarantinedMessage {
            line: QuarantineLine {
                id,
                source: message.source,
                received_at: message.received_at,
                reason: message.reason.unwrap_or_default(),
            },
            raw: shown,
            cut,
        })
    }

    async fn reingest(&self, caller: StaffCaller, id: i64) -> Result<SignInStep, AppError> {
        allowed(&caller)?;
        let verdict = self.staff.ingest.rejudge(id).await.map_err(failed)?;
        let Some(verdict) = verdict else { return Err(AppError::new("monitor-error-missing")) };
        let (outcome, detail) = match &verdict {
            Verdict::Accepted { .. } => ("accepted", "accepted".to_owned()),
            Verdict::Duplicate { id } => ("duplicate", format!("duplicate of message {id}")),
            Verdict::Quarantined { reason, .. } => ("quarantined", format!("quarantined again: {reason}")),
            Verdict::Envelope { .. } => ("accepted", "envelope judged again".to_owned()),
        };
        self.staff
            .record(&Actor::of(&caller, None), "ingest.rejudge", &format!("message:{id}"), &detail)
            .await
            .map_err(failed)?;
        Ok(SignInStep { next: format!("/staff/sources/quarantine/{id}?outcome={outcome}"), new_token: None })
    }
}

impl MonitorBackend for StaffConsole {
    fn monitor(&self, caller: StaffCaller) -> StaffPending<'_, MonitorPage> {
        Box::pin(StaffConsole::monitor(self, caller))
    }
    fn quarantined(&self, caller: StaffCaller, id: i64) -> StaffPending<'_, QuarantinedMessage> {
        Box::pin(StaffConsole::quarantined(self, caller, id))
    }
    fn reingest(&self, caller: StaffCaller, id: i64) -> StaffPending<'_, SignInStep> {
        Box::pin(StaffConsole::reingest(self, caller, id))
    }
}
