//! The console's warning server functions (under `/_rpc/staff/warnings/`) and their page data:
//! compose and save a draft, submit it, approve or reject it (never one's own), cancel a
//! released one. The server does the work through [`PublishingBackend`].

// The save function takes one argument per form field (a plain form posts them flat); the
// server macro's browser half does not carry an attribute on the function itself.
#![allow(clippy::too_many_arguments)]

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{
    alerts::PickerGroup,
    domain::{
        compose::{FieldProblem, WarningForm},
        warnings::WarningCard,
    },
    error::AppError,
};

/// A console warning in the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WarningListItem {
    pub id: i64,
    /// draft | submitted | released | rejected.
    pub state: String,
    /// Actual | Exercise | Test.
    pub status: String,
    pub level: String,
    pub headline: String,
    pub author: String,
    pub updated_at: DateTime<Utc>,
    pub cancelled: bool,
    /// The viewer wrote it.
    pub mine: bool,
}

/// Everything the page of one console warning shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WarningSheet {
    pub id: i64,
    pub state: String,
    pub msg_type: String,
    pub form: WarningForm,
    pub problems: Vec<FieldProblem>,
    /// What residents will see, in each language the warning has.
    pub previews: Vec<WarningCard>,
    /// The places it is for, by name.
    pub places: Vec<String>,
    /// Push subscriptions whose places and levels it concerns now.
    pub subscriptions: i64,
    /// Operator gateways it goes to.
    pub gateways: i64,
    pub author: String,
    pub approver: Option<String>,
    pub reason: Option<String>,
    /// The stored CAP message, once released.
    pub message_id: Option<i64>,
    pub cap_identifier: Option<String>,
    pub cancelled: bool,
    pub updates_id: Option<i64>,
    pub viewer_is_author: bool,
    pub viewer_may_approve: bool,
    pub viewer_may_cancel: bool,
}

/// The compose page: the form (empty, or an Update's prefilled) and the places to choose.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComposePage {
    pub form: WarningForm,
    pub picker: Vec<PickerGroup>,
    pub updates_id: Option<i64>,
}

/// The console's warnings.
#[server(prefix = "/_rpc/staff", endpoint = "warnings")]
pub async fn staff_warnings() -> Result<Vec<WarningListItem>, AppError> {
    ssr::backend()?.list(super::api::caller().ok_or_else(signed_out)?).await
}

/// One console warning with its preview and reach.
#[server(prefix = "/_rpc/staff", endpoint = "warnings/sheet")]
pub async fn staff_warning(id: i64) -> Result<WarningSheet, AppError> {
    ssr::backend()?.sheet(super::api::caller().ok_or_else(signed_out)?, id).await
}

/// The compose form (for an Update of `updates`, prefilled from it; for draft `draft`, its form).
#[server(prefix = "/_rpc/staff", endpoint = "warnings/compose")]
pub async fn staff_compose(updates: Option<i64>, draft: Option<i64>) -> Result<ComposePage, AppError> {
    ssr::backend()?.compose(super::api::caller().ok_or_else(signed_out)?, updates, draft).await
}

/// Saves the form as a draft (new, or the author's own `id`) and goes to its page, where its
/// problems are listed and everything typed is kept.
#[server(prefix = "/_rpc/staff", endpoint = "warnings/save")]
pub async fn staff_save_warning(
    id: Option<i64>,
    updates: Option<i64>,
    status: Option<String>,
    hazard: Option<String>,
    level: Option<String>,
    divisions: Option<Vec<String>>,
    extra_divisions: Option<String>,
    polygon: Option<String>,
    circle: Option<String>,
    headline_zh: Option<String>,
    description_zh: Option<String>,
    instruction_zh: Option<String>,
    headline_en: Option<String>,
    description_en: Option<String>,
    instruction_en: Option<String>,
    onset: Option<String>,
    expires: Option<String>,
) -> Result<(), AppError> {
    let mut codes = divisions.unwrap_or_default();
    codes.extend(
        extra_divisions
            .unwrap_or_default()
            .split([' ', ',', '，', '、', '\n'])
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_owned),
    );
    let form = WarningForm {
        status: status.unwrap_or_default(),
        hazard: hazard.unwrap_or_default(),
        level: level.unwrap_or_default(),
        divisions: codes,
        polygon: polygon.unwrap_or_default(),
        circle: circle.unwrap_or_default(),
        headline_zh: headline_zh.unwrap_or_default(),
        description_zh: description_zh.unwrap_or_default(),
        instruction_zh: instruction_zh.unwrap_or_default(),
        headline_en: headline_en.unwrap_or_default(),
        description_en: description_en.unwrap_or_default(),
        instruction_en: instruction_en.unwrap_or_default(),
        onset: onset.unwrap_or_default(),
        expires: expires.unwrap_or_default(),
    };
    let caller = super::api::caller().ok_or_else(signed_out)?;
    let back = id.map_or_else(|| "/staff/warnings/new".to_owned(), |id| format!("/staff/warnings/{id}"));
    super::api::follow(ssr::backend()?.save(caller, id, updates, form).await, &back)
}

/// The author submits a draft: an Actual one to the approvers (the level typed to confirm), a
/// Test or Exercise one at once.
#[server(prefix = "/_rpc/staff", endpoint = "warnings/submit")]
pub async fn staff_submit_warning(id: i64, confirm: Option<String>) -> Result<(), AppError> {
    let caller = super::api::caller().ok_or_else(signed_out)?;
    let result = ssr::backend()?.submit(caller, id, confirm.unwrap_or_default()).await;
    super::api::follow(result, &format!("/staff/warnings/{id}"))
}

/// A second person approves an Actual warning (the level typed to confirm): it goes out.
#[server(prefix = "/_rpc/staff", endpoint = "warnings/approve")]
pub async fn staff_approve_warning(id: i64, confirm: Option<String>) -> Result<(), AppError> {
    let caller = super::api::caller().ok_or_else(signed_out)?;
    let result = ssr::backend()?.approve(caller, id, confirm.unwrap_or_default()).await;
    super::api::follow(result, &format!("/staff/warnings/{id}"))
}

/// An approver sends a submitted warning back with the reason.
#[server(prefix = "/_rpc/staff", endpoint = "warnings/reject")]
pub async fn staff_reject_warning(id: i64, reason: Option<String>) -> Result<(), AppError> {
    let caller = super::api::caller().ok_or_else(signed_out)?;
    let result = ssr::backend()?.reject(caller, id, reason.unwrap_or_default()).await;
    super::api::follow(result, &format!("/staff/warnings/{id}"))
}

/// Cancels a released warning at once: no approval (a false alarm must end in seconds).
#[server(prefix = "/_rpc/staff", endpoint = "warnings/cancel")]
pub async fn staff_cancel_warning(id: i64) -> Result<(), AppError> {
    let caller = super::api::caller().ok_or_else(signed_out)?;
    let result = ssr::backend()?.cancel(caller, id).await;
    super::api::follow(result, &format!("/staff/warnings/{id}"))
}

#[cfg(feature = "ssr")]
fn signed_out() -> AppError {
    AppError::new("staff-error-signed-out")
}

#[cfg(feature = "ssr")]
pub use ssr::PublishingBackend;

#[cfg(feature = "ssr")]
mod ssr {
    use std::sync::Arc;

    use leptos::prelude::*;

    use super::*;
    use crate::staff::{SignInStep, StaffCaller, StaffPending};

    /// What the server does for the console's warnings.
    pub trait PublishingBackend: Send + Sync {
        fn list(&self, caller: StaffCaller) -> StaffPending<'_, Vec<WarningListItem>>;
        fn sheet(&self, caller: StaffCaller, id: i64) -> StaffPending<'_, WarningSheet>;
        fn compose(
            &self,
            caller: StaffCaller,
            updates: Option<i64>,
            draft: Option<i64>,
        ) -> StaffPending<'_, ComposePage>;
        fn save(
            &self,
            caller: StaffCaller,
            id: Option<i64>,
            updates: Option<i64>,
            form: WarningForm,
        ) -> StaffPending<'_, SignInStep>;
        fn submit(&self, caller: StaffCaller, id: i64, confirm: String) -> StaffPending<'_, SignInStep>;
        fn approve(&self, caller: StaffCaller, id: i64, confirm: String) -> StaffPending<'_, SignInStep>;
        fn reject(&self, caller: StaffCaller, id: i64, reason: String) -> StaffPending<'_, SignInStep>;
        fn cancel(&self, caller: StaffCaller, id: i64) -> StaffPending<'_, SignInStep>;
    }

    pub fn backend() -> Result<Arc<dyn PublishingBackend>, AppError> {
        use_context::<Arc<dyn PublishingBackend>>().ok_or_else(|| AppError::new("error-request-failed"))
    }
}
