//! The volunteers' page's backend: the caller's shelters with their last reports (a
//! volunteer's: those assigned to them; an admin's: all), a report (state and head count)
//! checked by the domain's rule, stored and audited (`shelter.report`), and admins' assignments
//! of shelters to volunteers (`shelter.assign`, `shelter.unassign`).

use chrono::Utc;
use safejdz_app::{
    domain::{
        shelters::{ShelterId, ShelterState, ShelterStatus, check_report},
        staff::Role,
    },
    error::AppError,
    staff::{
        ReportLine, ShelterReports, ShelterReportsBackend, SignInStep, StaffCaller, StaffPending,
        VolunteerChoice,
    },
};

use super::{
    Staff,
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

/// Whether the caller may report every shelter (admins) rather than their own.
fn reports_any(caller: &StaffCaller) -> bool {
    caller.person.as_ref().is_some_and(|person| person.roles.contains(Role::Admin))
}

impl StaffConsole {
    async fn report_lines(&self, caller: StaffCaller) -> Result<ShelterReports, AppError> {
        let user_id = signed_in_with(&caller, REPORTING)?;
        let admin = reports_any(&caller);
        let register = self.staff.store.shelters().await.map_err(failed)?;
        let assignments = self.staff.store.shelter_assignments().await.map_err(failed)?;
        let assigned_to = |id: &str| -> Vec<String> {
            assignments.iter().filter(|a| a.shelter_id == id).map(|a| a.user_name.clone()).collect()
        };
        let mine = |id: &str| assignments.iter().any(|a| a.shelter_id == id && a.user_id == user_id);
        let lines = register
            .into_iter()
            .filter(|(shelter, _)| admin || mine(shelter.id.as_str()))
            .map(|(shelter, status)| ReportLine {
                assigned: if admin { assigned_to(shelter.id.as_str()) } else { Vec::new() },
                id: shelter.id.as_str().to_owned(),
                name: shelter.name_zh.clone(),
                sample: shelter.sample,
                capacity: shelter.capacity,
                state: status.as_ref().map_or(ShelterState::Unknown, |s| s.state),
                occupancy: status.as_ref().and_then(|s| s.occupancy),
                updated_at: status.as_ref().map(|s| s.updated_at),
                updated_by: status.map(|s| s.updated_by),
            })
            .collect();
        let volunteers = if admin {
            let accounts = self.staff.store.staff_users().await.map_err(failed)?;
            Some(
                accounts
                    .into_iter()
                    .filter(|user| !user.disabled && user.roles.contains(Role::Volunteer))
                    .map(|user| VolunteerChoice { name: user.name, display_name: user.display_name })
                    .collect(),
            )
        } else {
            None
        };
        Ok(ShelterReports { lines, volunteers })
    }

    async fn report_state(
        &self,
        caller: StaffCaller,
        id: String,
        state: String,
        occupancy: String,
    ) -> Result<SignInStep, AppError> {
        let user_id = signed_in_with(&caller, REPORTING)?;
        let actor = Actor::of(&caller, None);
        let id = ShelterId::parse(&id).ok_or_else(|| AppError::new("staff-shelters-error-missing"))?;
        let (shelter, _) = self
            .staff
            .store
            .shelter(&id)
            .await
            .map_err(failed)?
            .ok_or_else(|| AppError::new("staff-shelters-error-missing"))?;
        if !reports_any(&caller) && !self.staff.store.is_assigned(&id, user_id).await.map_err(failed)? {
            tracing::warn!(shelter = id.as_str(), who = %actor.name, "report on a shelter not assigned refused");
            return Err(AppError::new("staff-shelters-error-not-assigned"));
        }
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

    async fn assign_shelter(
        &self,
        caller: StaffCaller,
        id: String,
        volunteer: String,
        assign: bool,
    ) -> Result<SignInStep, AppError> {
        signed_in_with(&caller, &[Role::Admin])?;
        let actor = Actor::of(&caller, None);
        let id = ShelterId::parse(&id).ok_or_else(|| AppError::new("staff-shelters-error-missing"))?;
        self.staff.set_shelter_assignment(&actor, &id, &volunteer, assign).await.map_err(
            |error| match error {
                AssignmentError::Storage(error) => failed(error),
                refused => AppError::new(refused.message_id()),
            },
        )?;
        Ok(SignInStep { next: format!("/staff/shelters?assigned={}", id.as_str()), new_token: None })
    }
}

/// Why an assignment was refused.
#[derive(Debug, thiserror::Error)]
pub enum AssignmentError {
    #[error("there is no such shelter")]
    NoShelter,
    #[error("the account is not an active volunteer")]
    NotVolunteer,
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl AssignmentError {
    pub fn message_id(&self) -> &'static str {
        match self {
            AssignmentError::NoShelter => "staff-shelters-error-missing",
            AssignmentError::NotVolunteer => "staff-shelters-error-not-volunteer",
            AssignmentError::Storage(_) => "error-request-failed",
        }
    }
}

impl Staff {
    /// Assigns shelter `id` to the account `volunteer` (or ends that), audited as
    /// `shelter.assign` / `shelter.unassign` when it changed anything; `Ok(false)`: it was so
    /// already. The console's admins and the command line both come here.
    pub async fn set_shelter_assignment(
        &self,
        actor: &Actor,
        id: &ShelterId,
        volunteer: &str,
        assign: bool,
    ) -> Result<bool, AssignmentError> {
        if self.store.shelter(id).await?.is_none() {
            return Err(AssignmentError::NoShelter);
        }
        let name = safejdz_app::domain::staff::login_name(volunteer).unwrap_or_default();
        // Ending an assignment works for any account (its role may have gone); adding one needs
        // an active volunteer.
        let user = match self.store.staff_user_by_name(&name).await? {
            Some(user) if !assign || (user.roles.contains(Role::Volunteer) && !user.disabled) => user,
            _ => return Err(AssignmentError::NotVolunteer),
        };
        let changed = if assign {
            self.store.assign_shelter(id, user.id, &actor.name, Utc::now()).await?
        } else {
            self.store.unassign_shelter(id, user.id).await?
        };
        if changed {
            let action = if assign { "shelter.assign" } else { "shelter.unassign" };
            self.record(actor, action, &format!("shelter:{}", id.as_str()), &format!("user:{}", user.name))
                .await?;
        }
        Ok(changed)
    }
}

impl ShelterReportsBackend for StaffConsole {
    fn shelters(&self, caller: StaffCaller) -> StaffPending<'_, ShelterReports> {
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
    fn assign(
        &self,
        caller: StaffCaller,
        id: String,
        volunteer: String,
        assign: bool,
    ) -> StaffPending<'_, SignInStep> {
        Box::pin(StaffConsole::assign_shelter(self, caller, id, volunteer, assign))
    }
}
