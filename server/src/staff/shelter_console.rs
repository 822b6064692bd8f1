//! The volunteers' page's backend: every shelter with its last report, and a report (state and
//! head count) checked by the domain's rule, stored, and audited (`shelter.report`).

use chrono::Utc;
use safejdz_app::{
    domain::{
        shelters::{ShelterId, ShelterState, ShelterStatus, check_report},
        staff::Role,
    },
    error::AppError,
    staff::{ReportLine, ShelterReportsBackend, SignInStep, StaffCaller, StaffPending},
};

use super::{
    audit::Actor,
    console::{StaffConsole, signed_in_with},
};
use crate::platform::store::StorageError;

/// Who keeps shelters current: volunteers (and the 四级灾害信息员 among them), and admins.
pub const REPORTING: &[Role] = &[Role::Volunteer, Role::Admin];

fn failed(error: StorageError) -> AppError {
    tracing::error!(%error, "shelter reports: storage failed");
    AppError::new("error-request-failed")
}

fn allowed(caller: &StaffCaller) -> Result<(), AppError> {
    signed_in_with(caller, REPORTING).map(|_| ())
}

impl StaffConsole {
    async fn report_lines(&self, caller: StaffCaller) -> Result<Vec<ReportLine>, AppError> {
        allowed(&caller)?;
        let register = self.staff.store.shelters().await.map_err(failed)?;
        Ok(register
            .into_iter()
            .map(|(shelter, status)| ReportLine {
                id: shelter.id.as_str().to_owned(),
                name: shelter.name_zh.clone(),
                sample: shelter.sample,
                capacity: shelter.capacity,
                state: status.as_ref().map_or(ShelterState::Unknown, |s| s.state),
                occupancy: status.as_ref().and_then(|s| s.occupancy),
                updated_at: status.as_ref().map(|s| s.updated_at),
                updated_by: status.map(|s| s.updated_by),
            })
            .collect())
    }

    async fn report_state(
        &self,
        caller: StaffCaller,
        id: String,
        state: String,
        occupancy: String,
    ) -> Result<SignInStep, AppError> {
        allowed(&caller)?;
        let actor = Actor::of(&caller, None);
        let id = ShelterId::parse(&id).ok_or_else(|| AppError::new("staff-shelters-error-missing"))?;
        let (shelter, _) = self
            .staff
            .store
            .shelter(&id)
            .await
            .map_err(failed)?
            .ok_or_else(|| AppError::new("staff-shelters-error-missing"))?;
        let state = ShelterState::from_key(&state).ok_or_else(|| AppError::new("shelters-error-state"))?;
        let occupancy = match occupancy.trim() {
            "" => None,
            typed => Some(typed.parse::<u32>().map_err(|_| AppError::new("staff-shelters-error-count"))?),
        };
        check_report(&shelter, state, occupancy).map_err(|problem| AppError::new(problem.message_id))?;
        let status =
            ShelterStatus { state, occupancy, updated_at: Utc::now(), updated_by: actor.name.clone() };
        if !self.staff.store.report_shelter_status(&id, &status).await.map_err(failed)? {
            return Err(AppError::new("staff-shelters-error-missing"));
        }
        let detail = match occupancy {
            Some(count) => format!("{} {count}/{}", state.key(), shelter.capacity),
            None => state.key().to_owned(),
        };
        self.staff
            .record(&actor, "shelter.report", &format!("shelter:{}", id.as_str()), &detail)
            .await
            .map_err(failed)?;
        Ok(SignInStep { next: format!("/staff/shelters?reported={}", id.as_str()), new_token: None })
    }
}

impl ShelterReportsBackend for StaffConsole {
    fn shelters(&self, caller: StaffCaller) -> StaffPending<'_, Vec<ReportLine>> {
        Box::pin(StaffConsole::report_lines(self, caller))
    }
    fn report(
        &self,
        caller: StaffCaller,
        id: String,
        state: String,
        occupancy: String,
    ) -> StaffPending<'_, SignInStep> {
        Box::pin(StaffConsole::report_state(self, caller, id, state, occupancy))
    }
}
