//! The staff console's server functions (all under `/_rpc/staff/`) and the page data they
//! return. The server does the work through [`StaffBackend`], provided as context; its staff
//! guard has already checked the session, the role the route needs and the form's CSRF token
//! before any of these runs, and put the caller into the request ([`StaffCaller`]).

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{
    domain::staff::{Role, Roles, Stage},
    error::AppError,
};

/// The form field (and header, `x-csrf-token`) that carries the session's CSRF token.
pub const CSRF_FIELD: &str = "csrf";

/// Who is asking, as the staff guard found them: put into the request's extensions for every
/// `/staff` page and staff server function.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffCaller {
    /// The session's key in the server's store (the hash of the cookie's token).
    pub session_key: String,
    /// Where the request came from, for the audit log.
    pub address: String,
    pub stage: Stage,
    /// The token every state-changing form of this session carries.
    pub csrf: String,
    /// The signed-in person (also during the later sign-in steps), none before.
    pub person: Option<StaffPerson>,
}

/// A member of staff as pages show them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffPerson {
    pub id: i64,
    pub name: String,
    pub display_name: String,
    pub roles: Roles,
}

/// Where a sign-in step leads: the next page, and a new session token when the session was
/// replaced (at every change of stage, so a token seen before sign-in is worth nothing after).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInStep {
    pub next: String,
    pub new_token: Option<String>,
}

/// What the second-factor setup page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enrolment {
    /// The secret in base32, for typing into an app by hand.
    pub secret: String,
    /// The `otpauth://` URI as a QR code (SVG made on the server).
    pub qr_svg: String,
}

/// Something shown once, right after it was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Flash {
    /// The recovery codes of a new second factor.
    RecoveryCodes(Vec<String>),
    /// A temporary password an admin gave an account (for `name`).
    TemporaryPassword { name: String, password: String },
    /// Why a register file was refused, every problem.
    ImportProblems(Vec<super::ImportProblemLine>),
}

/// An account in the admins' list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffAccount {
    pub id: i64,
    pub name: String,
    pub display_name: String,
    pub roles: Roles,
    pub has_second_factor: bool,
    pub recovery_codes_left: i64,
    pub must_change_password: bool,
    pub disabled: bool,
    pub created_at: DateTime<Utc>,
}

/// An audit line as the audit page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditLine {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub object: String,
    pub address: String,
    pub detail: String,
}

/// The audit page's filter, from its GET form (every field may be empty).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditQuery {
    pub actor: Option<String>,
    pub action: Option<String>,
    /// `YYYY-MM-DD`, China time, inclusive.
    pub from: Option<String>,
    pub to: Option<String>,
}

/// The roles ticked in a form: each role a checkbox named after it, `on` when ticked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleBoxes {
    pub admin: Option<String>,
    pub publisher: Option<String>,
    pub approver: Option<String>,
    pub teacher: Option<String>,
    pub volunteer: Option<String>,
}

impl RoleBoxes {
    pub fn roles(&self) -> Roles {
        let ticked = [
            (Role::Admin, &self.admin),
            (Role::Publisher, &self.publisher),
            (Role::Approver, &self.approver),
            (Role::Teacher, &self.teacher),
            (Role::Volunteer, &self.volunteer),
        ];
        Roles::new(ticked.into_iter().filter(|(_, on)| on.is_some()).map(|(role, _)| role))
    }
}

/// The caller the staff guard put into this request.
pub fn caller() -> Option<StaffCaller> {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()?.extensions.get::<StaffCaller>().cloned()
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

/// Signs in with a name and password: the next step, or back to the form with the name kept.
#[server(prefix = "/_rpc/staff", endpoint = "login")]
pub async fn staff_login(name: String, password: String) -> Result<(), AppError> {
    ssr::step(
        ssr::backend()?.login(ssr::caller()?, name.clone(), password).await,
        "/staff/login",
        &[("name", &name)],
    )
}

/// The one-time code of the authenticator app (or a recovery code).
#[server(prefix = "/_rpc/staff", endpoint = "code")]
pub async fn staff_second_factor(code: String) -> Result<(), AppError> {
    ssr::step(ssr::backend()?.second_factor(ssr::caller()?, code).await, "/staff/login/code", &[])
}

/// The secret and QR code of a second factor being set up.
#[server(prefix = "/_rpc/staff", endpoint = "enrolment")]
pub async fn staff_enrolment() -> Result<Enrolment, AppError> {
    ssr::backend()?.enrolment(ssr::caller()?).await
}

/// Confirms a new second factor with its first code.
#[server(prefix = "/_rpc/staff", endpoint = "enrol")]
pub async fn staff_enrol(code: String) -> Result<(), AppError> {
    ssr::step(ssr::backend()?.enrol(ssr::caller()?, code).await, "/staff/enrol", &[])
}

/// A new password (the current one too, unless this is a forced change).
#[server(prefix = "/_rpc/staff", endpoint = "password")]
pub async fn staff_set_password(
    current: Option<String>,
    new: String,
    repeated: String,
) -> Result<(), AppError> {
    let result =
        ssr::backend()?.set_password(ssr::caller()?, current.unwrap_or_default(), new, repeated).await;
    ssr::step(result, "/staff/password", &[])
}

/// Ends the session.
#[server(prefix = "/_rpc/staff", endpoint = "logout")]
pub async fn staff_logout() -> Result<(), AppError> {
    ssr::step(ssr::backend()?.logout(ssr::caller()?).await, "/staff", &[])
}

/// What was made to be shown once, taken (so a reload does not show it again).
#[server(prefix = "/_rpc/staff", endpoint = "flash")]
pub async fn staff_flash() -> Result<Option<Flash>, AppError> {
    ssr::backend()?.take_flash(ssr::caller()?).await
}

/// Every account (admins).
#[server(prefix = "/_rpc/staff", endpoint = "users")]
pub async fn staff_users() -> Result<Vec<StaffAccount>, AppError> {
    ssr::backend()?.users(ssr::caller()?).await
}

/// Adds an account with a temporary password (shown once to the admin).
#[server(prefix = "/_rpc/staff", endpoint = "users/add")]
#[allow(clippy::too_many_arguments, reason = "one argument per form field: a plain form posts them flat")]
pub async fn staff_add_user(
    name: String,
    display_name: String,
    admin: Option<String>,
    publisher: Option<String>,
    approver: Option<String>,
    teacher: Option<String>,
    volunteer: Option<String>,
) -> Result<(), AppError> {
    let roles = RoleBoxes { admin, publisher, approver, teacher, volunteer };
    let result =
        ssr::backend()?.add_user(ssr::caller()?, name.clone(), display_name.clone(), roles.roles()).await;
    let kept = ssr::kept_roles(&roles);
    let mut fields: Vec<(&str, &str)> = vec![("name", &name), ("display_name", &display_name)];
    fields.extend(kept.iter().map(|role| (*role, "on")));
    ssr::step(result, "/staff/users", &fields)
}

/// Changes an account's name shown and roles.
#[server(prefix = "/_rpc/staff", endpoint = "users/update")]
#[allow(clippy::too_many_arguments, reason = "one argument per form field: a plain form posts them flat")]
pub async fn staff_update_user(
    id: i64,
    display_name: String,
    admin: Option<String>,
    publisher: Option<String>,
    approver: Option<String>,
    teacher: Option<String>,
    volunteer: Option<String>,
) -> Result<(), AppError> {
    let roles = RoleBoxes { admin, publisher, approver, teacher, volunteer };
    let result = ssr::backend()?.update_user(ssr::caller()?, id, display_name, roles.roles()).await;
    ssr::step(result, &format!("/staff/users/{id}"), &[])
}

/// Disables (`disabled` = `on`) or enables an account.
#[server(prefix = "/_rpc/staff", endpoint = "users/disable")]
pub async fn staff_disable_user(id: i64, disabled: Option<String>) -> Result<(), AppError> {
    let result = ssr::backend()?.set_disabled(ssr::caller()?, id, disabled.is_some()).await;
    ssr::step(result, &format!("/staff/users/{id}"), &[])
}

/// Gives an account a new temporary password and ends its sessions.
#[server(prefix = "/_rpc/staff", endpoint = "users/reset-password")]
pub async fn staff_reset_password(id: i64) -> Result<(), AppError> {
    ssr::step(ssr::backend()?.reset_password(ssr::caller()?, id).await, &format!("/staff/users/{id}"), &[])
}

/// Removes an account's second factor (a lost phone): it sets up a new one at next sign-in.
#[server(prefix = "/_rpc/staff", endpoint = "users/reset-second-factor")]
pub async fn staff_reset_second_factor(id: i64) -> Result<(), AppError> {
    ssr::step(
        ssr::backend()?.reset_second_factor(ssr::caller()?, id).await,
        &format!("/staff/users/{id}"),
        &[],
    )
}

/// Audit lines matching the filter, newest first (admins).
#[server(prefix = "/_rpc/staff", endpoint = "audit")]
pub async fn staff_audit(query: AuditQuery) -> Result<Vec<AuditLine>, AppError> {
    ssr::backend()?.audit(ssr::caller()?, query).await
}

#[cfg(feature = "ssr")]
pub use ssr::{StaffBackend, StaffPending};

/// Follows a step's result: to its page, or back to `back` with the error.
#[cfg(feature = "ssr")]
pub fn follow(result: Result<SignInStep, AppError>, back: &str) -> Result<(), AppError> {
    ssr::step(result, back, &[])
}

/// As [`follow`], keeping the `typed` fields on the way back (never a password).
#[cfg(feature = "ssr")]
pub fn follow_with(
    result: Result<SignInStep, AppError>,
    back: &str,
    typed: &[(&str, &str)],
) -> Result<(), AppError> {
    ssr::step(result, back, typed)
}

#[cfg(feature = "ssr")]
mod ssr {
    use std::{future::Future, pin::Pin, sync::Arc};

    use leptos::prelude::*;

    use super::*;

    /// The future a backend call returns.
    pub type StaffPending<'a, T> = Pin<Box<dyn Future<Output = Result<T, AppError>> + Send + 'a>>;

    /// What the server does for the staff console. Every call gets the caller the guard found;
    /// refusals are `AppError`s naming a `staff-error-*` message.
    pub trait StaffBackend: Send + Sync {
        fn login(&self, caller: StaffCaller, name: String, password: String) -> StaffPending<'_, SignInStep>;
        fn second_factor(&self, caller: StaffCaller, code: String) -> StaffPending<'_, SignInStep>;
        fn enrolment(&self, caller: StaffCaller) -> StaffPending<'_, Enrolment>;
        fn enrol(&self, caller: StaffCaller, code: String) -> StaffPending<'_, SignInStep>;
        fn set_password(
            &self,
            caller: StaffCaller,
            current: String,
            new: String,
            repeated: String,
        ) -> StaffPending<'_, SignInStep>;
        fn logout(&self, caller: StaffCaller) -> StaffPending<'_, SignInStep>;
        fn take_flash(&self, caller: StaffCaller) -> StaffPending<'_, Option<Flash>>;
        fn users(&self, caller: StaffCaller) -> StaffPending<'_, Vec<StaffAccount>>;
        fn add_user(
            &self,
            caller: StaffCaller,
            name: String,
            display_name: String,
            roles: Roles,
        ) -> StaffPending<'_, SignInStep>;
        fn update_user(
            &self,
            caller: StaffCaller,
            id: i64,
            display_name: String,
            roles: Roles,
        ) -> StaffPending<'_, SignInStep>;
        fn set_disabled(&self, caller: StaffCaller, id: i64, disabled: bool) -> StaffPending<'_, SignInStep>;
        fn reset_password(&self, caller: StaffCaller, id: i64) -> StaffPending<'_, SignInStep>;
        fn reset_second_factor(&self, caller: StaffCaller, id: i64) -> StaffPending<'_, SignInStep>;
        fn audit(&self, caller: StaffCaller, query: AuditQuery) -> StaffPending<'_, Vec<AuditLine>>;
    }

    pub fn backend() -> Result<Arc<dyn StaffBackend>, AppError> {
        use_context::<Arc<dyn StaffBackend>>().ok_or_else(|| AppError::new("error-request-failed"))
    }

    pub fn caller() -> Result<StaffCaller, AppError> {
        super::caller().ok_or_else(|| AppError::new("staff-error-signed-out"))
    }

    /// The names of the ticked roles, to tick them again on a refused form.
    pub fn kept_roles(roles: &RoleBoxes) -> Vec<&'static str> {
        roles.roles().iter().map(|role| role.as_str()).collect()
    }

    /// Follows a step: sets the new session cookie and goes to its page; a refusal goes back to
    /// `back` with the error and the fields that were typed (never a password), so the form
    /// says why and keeps them.
    pub fn step(
        result: Result<SignInStep, AppError>,
        back: &str,
        typed: &[(&str, &str)],
    ) -> Result<(), AppError> {
        match result {
            Ok(step) => {
                if let Some(token) = step.new_token {
                    crate::shell::set_session_cookie(&token);
                }
                leptos_axum::redirect(&step.next);
            }
            Err(error) => {
                let mut query = vec![format!("{}={}", crate::shell::ERROR_PARAMETER, error.message_id)];
                query.extend(
                    typed.iter().map(|(field, value)| {
                        format!("{field}={}", crate::domain::url::percent_encode(value))
                    }),
                );
                let separator = if back.contains('?') { '&' } else { '?' };
                leptos_axum::redirect(&format!("{back}{separator}{}", query.join("&")));
            }
        }
        Ok(())
    }
}
