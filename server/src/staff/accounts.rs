//! Account changes, shared by the console (an admin) and the command line (the first admin):
//! each validated, stored and audited in one place.

use chrono::Utc;
use safejdz_app::domain::staff::{Role, Roles, login_name};

use super::{Staff, audit::Actor, passwords, store::AddUserError};
use crate::platform::store::StorageError;

/// Characters of a temporary password: 16 of 32 letters and digits, 80 bits.
pub const TEMPORARY_PASSWORD_CHARS: usize = 16;
/// The longest name shown.
pub const MAX_DISPLAY_NAME_CHARS: usize = 64;

/// Why an account change was refused; each is a `staff-error-*` message.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("a login name is 3 to 32 of a-z, 0-9, '.', '_' and '-'")]
    BadName,
    #[error("the name shown must be 1 to {MAX_DISPLAY_NAME_CHARS} characters")]
    BadDisplayName,
    #[error("an account needs at least one role")]
    NoRole,
    #[error("an account with this name exists")]
    NameTaken,
    #[error("no such account")]
    NoSuchAccount,
    #[error("this would leave no enabled admin")]
    LastAdmin,
    #[error("an admin cannot disable their own account")]
    OwnAccount,
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl AccountError {
    pub fn message_id(&self) -> &'static str {
        match self {
            AccountError::BadName => "staff-error-name",
            AccountError::BadDisplayName => "staff-error-display-name",
            AccountError::NoRole => "staff-error-no-role",
            AccountError::NameTaken => "staff-error-name-taken",
            AccountError::NoSuchAccount => "staff-error-no-account",
            AccountError::LastAdmin => "staff-error-last-admin",
            AccountError::OwnAccount => "staff-error-own-account",
            AccountError::Storage(_) => "error-request-failed",
        }
    }
}

fn display_name(typed: &str) -> Result<String, AccountError> {
    let name = typed.trim();
    let chars = name.chars().count();
    if chars == 0 || chars > MAX_DISPLAY_NAME_CHARS || name.chars().any(char::is_control) {
        return Err(AccountError::BadDisplayName);
    }
    Ok(name.to_owned())
}

impl Staff {
    /// Adds an account with a temporary password, which it must replace at first sign-in.
    /// Returns its id and that password (shown once, never stored in clear).
    pub async fn add_account(
        &self,
        actor: &Actor,
        name: &str,
        shown_name: &str,
        roles: &Roles,
    ) -> Result<(i64, String), AccountError> {
        let name = login_name(name).ok_or(AccountError::BadName)?;
        let shown_name = display_name(shown_name)?;
        if roles.is_empty() {
            return Err(AccountError::NoRole);
        }
        let password = passwords::random_code(TEMPORARY_PASSWORD_CHARS);
        let hash = passwords::hash(&password);
        let id = match self.store.add_staff_user(&name, &shown_name, roles, &hash, Utc::now()).await {
            Ok(id) => id,
            Err(AddUserError::NameTaken) => return Err(AccountError::NameTaken),
            Err(AddUserError::Storage(error)) => return Err(error.into()),
        };
        self.record(actor, "user.add", &format!("user:{name}"), &format!("roles {}", roles.to_stored()))
            .await?;
        Ok((id, password))
    }

    /// Changes the name shown and the roles. Whoever loses or gains a role signs in again
    /// (a new role may need a second factor the account has not set up).
    pub async fn update_account(
        &self,
        actor: &Actor,
        id: i64,
        shown_name: &str,
        roles: &Roles,
    ) -> Result<(), AccountError> {
        let user = self.store.staff_user(id).await?.ok_or(AccountError::NoSuchAccount)?;
        let shown_name = display_name(shown_name)?;
        if roles.is_empty() {
            return Err(AccountError::NoRole);
        }
        if user.roles.contains(Role::Admin) && !roles.contains(Role::Admin) {
            self.refuse_without_admin(id).await?;
        }
        let now = Utc::now();
        let object = format!("user:{}", user.name);
        if shown_name != user.display_name {
            self.store.set_staff_display_name(id, &shown_name, now).await?;
            self.record(actor, "user.rename", &object, &format!("{} → {shown_name}", user.display_name))
                .await?;
        }
        if *roles != user.roles {
            self.store.set_staff_roles(id, roles, now).await?;
            if actor.id != Some(id) {
                self.store.delete_sessions_of(id).await?;
            }
            let detail = format!("{} → {}", user.roles.to_stored(), roles.to_stored());
            self.record(actor, "user.roles", &object, &detail).await?;
        }
        Ok(())
    }

    /// Disables (ending its sessions) or enables an account.
    pub async fn set_account_disabled(
        &self,
        actor: &Actor,
        id: i64,
        disabled: bool,
    ) -> Result<(), AccountError> {
        let user = self.store.staff_user(id).await?.ok_or(AccountError::NoSuchAccount)?;
        if disabled && actor.id == Some(id) {
            return Err(AccountError::OwnAccount);
        }
        if disabled && user.roles.contains(Role::Admin) {
            self.refuse_without_admin(id).await?;
        }
        self.store.set_staff_disabled(id, disabled, Utc::now()).await?;
        let action = if disabled { "user.disable" } else { "user.enable" };
        self.record(actor, action, &format!("user:{}", user.name), "").await?;
        Ok(())
    }

    /// A new temporary password (returned, shown once); the account's sessions end.
    pub async fn reset_account_password(
        &self,
        actor: &Actor,
        id: i64,
    ) -> Result<(String, String), AccountError> {
        let user = self.store.staff_user(id).await?.ok_or(AccountError::NoSuchAccount)?;
        let password = passwords::random_code(TEMPORARY_PASSWORD_CHARS);
        self.store.set_staff_password(id, &passwords::hash(&password), true, Utc::now()).await?;
        self.store.delete_sessions_of(id).await?;
        self.record(actor, "user.password-reset", &format!("user:{}", user.name), "").await?;
        Ok((user.name, password))
    }

    /// Removes the second factor (a lost phone); the account sets up a new one at next sign-in.
    pub async fn reset_account_second_factor(&self, actor: &Actor, id: i64) -> Result<(), AccountError> {
        let user = self.store.staff_user(id).await?.ok_or(AccountError::NoSuchAccount)?;
        self.store.set_staff_totp(id, None, Utc::now()).await?;
        self.store.delete_sessions_of(id).await?;
        self.record(actor, "user.second-factor-reset", &format!("user:{}", user.name), "").await?;
        Ok(())
    }

    /// Refuses when `id` is the only enabled admin.
    async fn refuse_without_admin(&self, id: i64) -> Result<(), AccountError> {
        let others = self
            .store
            .staff_users()
            .await?
            .into_iter()
            .filter(|user| user.id != id && !user.disabled && user.roles.contains(Role::Admin))
            .count();
        if others == 0 { Err(AccountError::LastAdmin) } else { Ok(()) }
    }
}
