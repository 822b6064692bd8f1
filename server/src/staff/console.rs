//! The staff console's backend: what the app's staff server functions do, over [`Staff`]. The
//! guard has checked the route's access and the CSRF token; these check again what each step
//! needs of the session (its stage, an admin) and audit every change.

use std::sync::Arc;

use chrono::Utc;
use safejdz_app::{
    domain::staff::{Role, Roles, Stage, check_new_password, login_name},
    error::AppError,
    staff::{
        AuditLine, AuditQuery, Enrolment, Flash, SignInStep, StaffAccount, StaffBackend, StaffCaller,
        StaffPending,
    },
};
use sha2::{Digest, Sha256};

use super::{
    Staff, TOTP_ISSUER,
    accounts::AccountError,
    audit::{Actor, filter_of},
    passwords,
    store::StaffUser,
    totp::{self, CodeRefusal},
};
use crate::platform::store::StorageError;

/// How many recovery codes a new second factor comes with.
pub const RECOVERY_CODES: usize = 10;
/// Lines the audit page shows at most (the CSV has them all).
pub const AUDIT_PAGE_LINES: i64 = 500;

/// The backend the app's staff pages call.
#[derive(Clone)]
pub struct StaffConsole {
    pub staff: Staff,
}

impl StaffConsole {
    pub fn backend(staff: Staff) -> Arc<dyn StaffBackend> {
        Arc::new(StaffConsole { staff })
    }

    /// The same console as the ingest monitor's backend.
    pub fn monitor_backend(staff: Staff) -> Arc<dyn safejdz_app::staff::MonitorBackend> {
        Arc::new(StaffConsole { staff })
    }

    /// The same console as the volunteers' shelter reports' backend.
    pub fn shelter_reports_backend(staff: Staff) -> Arc<dyn safejdz_app::staff::ShelterReportsBackend> {
        Arc::new(StaffConsole { staff })
    }

    /// The same console as the publisher console's backend.
    pub fn publishing_backend(staff: Staff) -> Arc<dyn safejdz_app::staff::PublishingBackend> {
        Arc::new(StaffConsole { staff })
    }
}

/// The caller's account id when signed in with one of `roles`; else why not (signed out, or
/// forbidden). Every backend of the console checks with this, behind the guard's own check.
pub(crate) fn signed_in_with(caller: &StaffCaller, roles: &[Role]) -> Result<i64, AppError> {
    match &caller.person {
        Some(person)
            if caller.stage == Stage::SignedIn && roles.iter().any(|r| person.roles.contains(*r)) =>
        {
            Ok(person.id)
        }
        Some(_) => Err(AppError::new("staff-error-forbidden")),
        None => Err(AppError::new("staff-error-signed-out")),
    }
}

fn failed(error: StorageError) -> AppError {
    tracing::error!(%error, "staff console: storage failed");
    AppError::new("error-request-failed")
}

fn refused(error: AccountError) -> AppError {
    if let AccountError::Storage(error) = error {
        return failed(error);
    }
    AppError::new(error.message_id())
}

fn to(next: impl Into<String>) -> SignInStep {
    SignInStep { next: next.into(), new_token: None }
}

/// The recovery code's store key: SHA-256 of its letters and digits, lower case.
fn recovery_key(code: &str) -> String {
    let normal: String =
        code.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_ascii_lowercase();
    Sha256::digest(normal.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// A new recovery code as shown: `abcde-fghij`.
fn new_recovery_code() -> String {
    let code = passwords::random_code(10);
    format!("{}-{}", &code[..5], &code[5..])
}

impl StaffConsole {
    /// The signed-in person of `caller` at `stage`, else the refusal.
    async fn person_at(&self, caller: &StaffCaller, stages: &[Stage]) -> Result<StaffUser, AppError> {
        let person = caller.person.as_ref().filter(|_| stages.contains(&caller.stage));
        let Some(person) = person else { return Err(AppError::new("staff-error-signed-out")) };
        match self.staff.store.staff_user(person.id).await.map_err(failed)? {
            Some(user) if !user.disabled => Ok(user),
            _ => Err(AppError::new("staff-error-signed-out")),
        }
    }

    async fn admin(&self, caller: &StaffCaller) -> Result<(StaffUser, Actor), AppError> {
        let user = self.person_at(caller, &[Stage::SignedIn]).await?;
        if !user.roles.contains(Role::Admin) {
            return Err(AppError::new("staff-error-forbidden"));
        }
        Ok((user, Actor::of(caller, None)))
    }

    async fn login(
        &self,
        caller: StaffCaller,
        typed_name: String,
        password: String,
    ) -> Result<SignInStep, AppError> {
        let now = Utc::now();
        let name = typed_name.trim().to_ascii_lowercase();
        let actor = Actor::of(&caller, Some(&name));
        let staff = &self.staff;
        if staff.sign_in_paused(&name, &caller.address, now).await.map_err(failed)? {
            staff.record(&actor, "session.throttled", &format!("user:{name}"), "").await.map_err(failed)?;
            return Err(AppError::new("staff-error-throttled"));
        }
        let user = match login_name(&name) {
            Some(name) => staff.store.staff_user_by_name(&name).await.map_err(failed)?,
            None => None,
        };
        // Unknown, disabled or wrong: the same words and, by hashing anyway, the same time.
        let accepted = match &user {
            Some(user) => passwords::verify(&password, &user.password_hash) && !user.disabled,
            None => {
                passwords::verify_nothing(&password);
                false
            }
        };
        let Some(user) = user.filter(|_| accepted) else {
            staff.sign_in_failed(&name, &caller.address, now).await.map_err(failed)?;
            staff
                .record(&actor, "session.login-failed", &format!("user:{name}"), "")
                .await
                .map_err(failed)?;
            return Err(AppError::new("staff-error-login"));
        };
        let stage = Stage::after_password(&user.roles, user.totp_secret.is_some(), user.must_change_password);
        let token =
            staff.advance_session(&caller.session_key, user.id, stage, None, now).await.map_err(failed)?;
        let actor = Actor { id: Some(user.id), ..actor };
        let action = if stage == Stage::SignedIn { "session.login" } else { "session.password-ok" };
        staff.record(&actor, action, &format!("user:{}", user.name), "").await.map_err(failed)?;
        if stage == Stage::SignedIn {
            staff.sign_in_succeeded(&name).await.map_err(failed)?;
        }
        Ok(SignInStep { next: stage.page().to_owned(), new_token: Some(token) })
    }

    async fn second_factor(&self, caller: StaffCaller, code: String) -> Result<SignInStep, AppError> {
        let now = Utc::now();
        let user = self.person_at(&caller, &[Stage::SecondFactor]).await?;
        let actor = Actor::of(&caller, None);
        let staff = &self.staff;
        let object = format!("user:{}", user.name);
        if staff.sign_in_paused(&user.name, &caller.address, now).await.map_err(failed)? {
            staff.record(&actor, "session.throttled", &object, "second factor").await.map_err(failed)?;
            return Err(AppError::new("staff-error-throttled"));
        }
        let secret = user.totp_secret.as_deref().and_then(totp::from_base32).unwrap_or_default();
        let is_recovery_code = code.chars().any(|c| c.is_ascii_alphabetic());
        let outcome = if is_recovery_code {
            match staff.store.use_recovery_code(user.id, &recovery_key(&code), now).await.map_err(failed)? {
                true => Ok("recovery code"),
                false => Err(CodeRefusal::Wrong),
            }
        } else {
            match totp::verify(&secret, &code, now.timestamp(), user.totp_last_step) {
                // The store decides, so two replicas never both accept one code.
                Ok(step) => match staff.store.use_totp_step(user.id, step).await.map_err(failed)? {
                    true => Ok("code"),
                    false => Err(CodeRefusal::Replayed),
                },
                Err(refusal) => Err(refusal),
            }
        };
        let how = match outcome {
            Ok(how) => how,
            Err(refusal) => {
                staff.sign_in_failed(&user.name, &caller.address, now).await.map_err(failed)?;
                let detail = if refusal == CodeRefusal::Replayed { "code used before" } else { "wrong code" };
                staff.record(&actor, "session.code-failed", &object, detail).await.map_err(failed)?;
                return Err(AppError::new(match refusal {
                    CodeRefusal::Replayed => "staff-error-code-used",
                    CodeRefusal::Wrong => "staff-error-code",
                }));
            }
        };
        staff.sign_in_succeeded(&user.name).await.map_err(failed)?;
        let stage = Stage::after_second_factor(user.must_change_password);
        let token =
            staff.advance_session(&caller.session_key, user.id, stage, None, now).await.map_err(failed)?;
        staff.record(&actor, "session.login", &object, &format!("with a {how}")).await.map_err(failed)?;
        Ok(SignInStep { next: stage.page().to_owned(), new_token: Some(token) })
    }

    async fn enrolment(&self, caller: StaffCaller) -> Result<Enrolment, AppError> {
        let user = self.person_at(&caller, &[Stage::Enrol]).await?;
        let session = self.staff.store.session(&caller.session_key).await.map_err(failed)?;
        let secret = match session.and_then(|s| s.pending_secret) {
            Some(secret) => secret,
            None => {
                let secret = totp::base32(&totp::new_secret());
                self.staff
                    .store
                    .set_session_pending_secret(&caller.session_key, Some(&secret))
                    .await
                    .map_err(failed)?;
                secret
            }
        };
        let bytes = totp::from_base32(&secret).unwrap_or_default();
        let uri = totp::otpauth_uri(TOTP_ISSUER, &user.name, &bytes);
        Ok(Enrolment { secret, qr_svg: totp::qr_svg(&uri).unwrap_or_default() })
    }

    async fn enrol(&self, caller: StaffCaller, code: String) -> Result<SignInStep, AppError> {
        let now = Utc::now();
        let user = self.person_at(&caller, &[Stage::Enrol]).await?;
        let session = self.staff.store.session(&caller.session_key).await.map_err(failed)?;
        let Some(secret) = session.and_then(|s| s.pending_secret) else {
            return Err(AppError::new("staff-error-code"));
        };
        let bytes = totp::from_base32(&secret).unwrap_or_default();
        let step = totp::verify(&bytes, &code, now.timestamp(), None)
            .map_err(|_| AppError::new("staff-error-code"))?;
        let staff = &self.staff;
        staff.store.set_staff_totp(user.id, Some(&secret), now).await.map_err(failed)?;
        staff.store.use_totp_step(user.id, step).await.map_err(failed)?;
        let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| new_recovery_code()).collect();
        let keys: Vec<String> = codes.iter().map(|code| recovery_key(code)).collect();
        staff.store.replace_recovery_codes(user.id, &keys).await.map_err(failed)?;
        let flash = serde_json::to_string(&Flash::RecoveryCodes(codes)).ok();
        let stage = Stage::after_second_factor(user.must_change_password);
        let token =
            staff.advance_session(&caller.session_key, user.id, stage, flash, now).await.map_err(failed)?;
        let actor = Actor::of(&caller, None);
        staff
            .record(&actor, "user.second-factor-set", &format!("user:{}", user.name), "")
            .await
            .map_err(failed)?;
        staff
            .record(&actor, "session.login", &format!("user:{}", user.name), "with a new code")
            .await
            .map_err(failed)?;
        Ok(SignInStep { next: "/staff/recovery-codes".to_owned(), new_token: Some(token) })
    }

    async fn set_password(
        &self,
        caller: StaffCaller,
        current: String,
        new: String,
        repeated: String,
    ) -> Result<SignInStep, AppError> {
        let now = Utc::now();
        let user = self.person_at(&caller, &[Stage::NewPassword, Stage::SignedIn]).await?;
        let forced = caller.stage == Stage::NewPassword;
        if !forced && !passwords::verify(&current, &user.password_hash) {
            return Err(AppError::new("staff-error-current-password"));
        }
        check_new_password(&user.name, &new, &repeated)
            .map_err(|problem| AppError::new(problem.message_id()))?;
        if passwords::verify(&new, &user.password_hash) {
            return Err(AppError::new("staff-error-password-same"));
        }
        let staff = &self.staff;
        staff.store.set_staff_password(user.id, &passwords::hash(&new), false, now).await.map_err(failed)?;
        // A new password ends every other session of the account.
        staff.store.delete_sessions_of(user.id).await.map_err(failed)?;
        let (token, _) =
            staff.open_session(Some(user.id), Stage::SignedIn, None, now).await.map_err(failed)?;
        let actor = Actor::of(&caller, None);
        staff
            .record(&actor, "user.password-changed", &format!("user:{}", user.name), "")
            .await
            .map_err(failed)?;
        Ok(SignInStep { next: "/staff?password-changed".to_owned(), new_token: Some(token) })
    }

    async fn logout(&self, caller: StaffCaller) -> Result<SignInStep, AppError> {
        self.staff.store.delete_session(&caller.session_key).await.map_err(failed)?;
        if let Some(person) = &caller.person {
            let actor = Actor::of(&caller, None);
            self.staff
                .record(&actor, "session.logout", &format!("user:{}", person.name), "")
                .await
                .map_err(failed)?;
        }
        Ok(SignInStep { next: "/staff/login".to_owned(), new_token: Some(String::new()) })
    }

    async fn take_flash(&self, caller: StaffCaller) -> Result<Option<Flash>, AppError> {
        let session = self.staff.store.session(&caller.session_key).await.map_err(failed)?;
        let Some(flash) = session.and_then(|s| s.flash) else { return Ok(None) };
        self.staff.store.set_session_flash(&caller.session_key, None).await.map_err(failed)?;
        Ok(serde_json::from_str(&flash).ok())
    }

    async fn users(&self, caller: StaffCaller) -> Result<Vec<StaffAccount>, AppError> {
        self.admin(&caller).await?;
        let mut accounts = Vec::new();
        for user in self.staff.store.staff_users().await.map_err(failed)? {
            let left = self.staff.store.recovery_codes_left(user.id).await.map_err(failed)?;
            accounts.push(StaffAccount {
                id: user.id,
                name: user.name,
                display_name: user.display_name,
                roles: user.roles,
                has_second_factor: user.totp_secret.is_some(),
                recovery_codes_left: left,
                must_change_password: user.must_change_password,
                disabled: user.disabled,
                created_at: user.created_at,
            });
        }
        Ok(accounts)
    }

    /// Shows `flash` once on the admin's next page.
    async fn flash_for(&self, caller: &StaffCaller, flash: &Flash) -> Result<(), AppError> {
        let text = serde_json::to_string(flash).map_err(|_| AppError::new("error-request-failed"))?;
        self.staff.store.set_session_flash(&caller.session_key, Some(&text)).await.map_err(failed)
    }

    async fn add_user(
        &self,
        caller: StaffCaller,
        name: String,
        display_name: String,
        roles: Roles,
    ) -> Result<SignInStep, AppError> {
        let (_, actor) = self.admin(&caller).await?;
        let (id, password) =
            self.staff.add_account(&actor, &name, &display_name, &roles).await.map_err(refused)?;
        let name = login_name(&name).unwrap_or(name);
        self.flash_for(&caller, &Flash::TemporaryPassword { name, password }).await?;
        Ok(to(format!("/staff/users/{id}")))
    }

    async fn update_user(
        &self,
        caller: StaffCaller,
        id: i64,
        display_name: String,
        roles: Roles,
    ) -> Result<SignInStep, AppError> {
        let (_, actor) = self.admin(&caller).await?;
        self.staff.update_account(&actor, id, &display_name, &roles).await.map_err(refused)?;
        Ok(to(format!("/staff/users/{id}?saved")))
    }

    async fn set_disabled(
        &self,
        caller: StaffCaller,
        id: i64,
        disabled: bool,
    ) -> Result<SignInStep, AppError> {
        let (_, actor) = self.admin(&caller).await?;
        self.staff.set_account_disabled(&actor, id, disabled).await.map_err(refused)?;
        Ok(to(format!("/staff/users/{id}?saved")))
    }

    async fn reset_password(&self, caller: StaffCaller, id: i64) -> Result<SignInStep, AppError> {
        let (_, actor) = self.admin(&caller).await?;
        let (name, password) = self.staff.reset_account_password(&actor, id).await.map_err(refused)?;
        self.flash_for(&caller, &Flash::TemporaryPassword { name, password }).await?;
        Ok(to(format!("/staff/users/{id}")))
    }

    async fn reset_second_factor(&self, caller: StaffCaller, id: i64) -> Result<SignInStep, AppError> {
        let (_, actor) = self.admin(&caller).await?;
        self.staff.reset_account_second_factor(&actor, id).await.map_err(refused)?;
        Ok(to(format!("/staff/users/{id}?saved")))
    }

    async fn audit(&self, caller: StaffCaller, query: AuditQuery) -> Result<Vec<AuditLine>, AppError> {
        self.admin(&caller).await?;
        let filter = filter_of(&query, AUDIT_PAGE_LINES).ok_or_else(|| AppError::new("staff-error-date"))?;
        let rows = self.staff.store.audit(&filter).await.map_err(failed)?;
        Ok(rows
            .into_iter()
            .map(|row| AuditLine {
                id: row.id,
                at: row.at,
                actor: row.actor_name,
                action: row.action,
                object: row.object,
                address: row.address,
                detail: row.detail,
            })
            .collect())
    }
}

impl StaffBackend for StaffConsole {
    fn login(&self, caller: StaffCaller, name: String, password: String) -> StaffPending<'_, SignInStep> {
        Box::pin(StaffConsole::login(self, caller, name, password))
    }
    fn second_factor(&self, caller: StaffCaller, code: String) -> StaffPending<'_, SignInStep> {
        Box::pin(StaffConsole::second_factor(self, caller, code))
    }
    fn enrolment(&self, caller: StaffCaller) -> StaffPending<'_, Enrolment> {
        Box::pin(StaffConsole::enrolment(self, caller))
    }
    fn enrol(&self, caller: StaffCaller, code: String) -> StaffPending<'_, SignInStep> {
        Box::pin(StaffConsole::enrol(self, caller, code))
    }
    fn set_password(
        &self,
        caller: StaffCaller,
        current: String,
        new: String,
        repeated: String,
    ) -> StaffPending<'_, SignInStep> {
        Box::pin(StaffConsole::set_password(self, caller, current, new, repeated))
    }
    fn logout(&self, caller: StaffCaller) -> StaffPending<'_, SignInStep> {
        Box::pin(StaffConsole::logout(self, caller))
    }
    fn take_flash(&self, caller: StaffCaller) -> StaffPending<'_, Option<Flash>> {
        Box::pin(StaffConsole::take_flash(self, caller))
    }
    fn users(&self, caller: StaffCaller) -> StaffPending<'_, Vec<StaffAccount>> {
        Box::pin(StaffConsole::users(self, caller))
    }
    fn add_user(
        &self,
        caller: StaffCaller,
        name: String,
        display_name: String,
        roles: Roles,
    ) -> StaffPending<'_, SignInStep> {
        Box::pin(StaffConsole::add_user(self, caller, name, display_name, roles))
    }
    fn update_user(
        &self,
        caller: StaffCaller,
        id: i64,
        display_name: String,
        roles: Roles,
    ) -> StaffPending<'_, SignInStep> {
        Box::pin(StaffConsole::update_user(self, caller, id, display_name, roles))
    }
    fn set_disabled(&self, caller: StaffCaller, id: i64, disabled: bool) -> StaffPending<'_, SignInStep> {
        Box::pin(StaffConsole::set_disabled(self, caller, id, disabled))
    }
    fn reset_password(&self, caller: StaffCaller, id: i64) -> StaffPending<'_, SignInStep> {
        Box::pin(StaffConsole::reset_password(self, caller, id))
    }
    fn reset_second_factor(&self, caller: StaffCaller, id: i64) -> StaffPending<'_, SignInStep> {
        Box::pin(StaffConsole::reset_second_factor(self, caller, id))
    }
    fn audit(&self, caller: StaffCaller, query: AuditQuery) -> StaffPending<'_, Vec<AuditLine>> {
        Box::pin(StaffConsole::audit(self, caller, query))
    }
}
