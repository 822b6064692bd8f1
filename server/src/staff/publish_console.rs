//! The publisher console's backend: the app's warning server functions over [`Staff`]'s
//! publishing (drafts, the two-person rule, Cancel), with each warning's preview and reach.

use std::collections::HashMap;

use chrono::Utc;
use safejdz_app::{
    domain::{
        boundaries,
        cap::{Alert, MsgType, ParseOptions, parse_alert},
        compose::{self, CapHeader, WarningForm},
        divisions::jingdezhen,
        notifications::{NotifyLevels, WarningTargets},
        staff::Role,
        warnings::card,
    },
    error::AppError,
    staff::{
        ComposePage, PublishingBackend, SignInStep, StaffCaller, StaffPending, WarningListItem, WarningSheet,
    },
};

use super::{
    audit::Actor,
    console::{StaffConsole, signed_in_with},
    publishing::{DraftRow, DraftState, PublishError},
};
use crate::platform::store::StorageError;

fn failed(error: StorageError) -> AppError {
    tracing::error!(%error, "publisher console: storage failed");
    AppError::new("error-request-failed")
}

fn refused(error: PublishError) -> AppError {
    match error {
        PublishError::Storage(error) => failed(error),
        other => AppError::new(other.message_id()),
    }
}

const PUBLISHING: &[Role] = &[Role::Publisher, Role::Approver];

impl StaffConsole {
    async fn names(&self) -> Result<HashMap<i64, String>, AppError> {
        let users = self.staff.store.staff_users().await.map_err(failed)?;
        Ok(users
            .into_iter()
            .map(|user| (user.id, format!("{} ({})", user.display_name, user.name)))
            .collect())
    }

    async fn list(&self, caller: StaffCaller) -> Result<Vec<WarningListItem>, AppError> {
        let viewer = signed_in_with(&caller, PUBLISHING)?;
        let names = self.names().await?;
        let rows = self.staff.store.console_warnings(200).await.map_err(failed)?;
        Ok(rows
            .into_iter()
            .map(|row| WarningListItem {
                id: row.id,
                state: row.state.as_str().to_owned(),
                status: row.form.status.clone(),
                level: row.form.level.clone(),
                headline: row.form.headline_zh.clone(),
                author: names.get(&row.author_id).cloned().unwrap_or_default(),
                updated_at: row.updated_at,
                cancelled: row.cancel_message_id.is_some(),
                mine: row.author_id == viewer,
            })
            .collect())
    }

    /// The message a form would become (for the preview and the reach), if it is complete.
    fn preview_alert(&self, form: &WarningForm) -> Option<Alert> {
        let warning = compose::check(form, Utc::now()).ok()?;
        let issuer = &self.staff.issuer;
        let header = CapHeader {
            identifier: "preview".into(),
            sender: issuer.sender.clone(),
            sender_name: (issuer.name_zh.clone(), issuer.name_en.clone()),
            sent: Utc::now(),
            msg_type: MsgType::Alert,
            references: None,
        };
        let xml = compose::cap_xml(&warning, &header, issuer.colours.severity(warning.level).as_str());
        parse_alert(xml.as_bytes(), &ParseOptions::default()).ok().map(|parsed| parsed.alert)
    }

    /// Push subscriptions the alert concerns (with the levels each chose), read page by page.
    async fn subscriptions_reached(&self, alert: &Alert) -> Result<i64, AppError> {
        let mut targets = WarningTargets::new(alert, boundaries::jingdezhen());
        let (mut after, mut reached) = (0, 0);
        loop {
            let page = self.staff.store.push_subscriptions_after(after, 500).await.map_err(failed)?;
            let Some(last) = page.last() else { break };
            after = last.id;
            for subscription in &page {
                let levels = NotifyLevels::parse(&subscription.levels).unwrap_or(NotifyLevels::ALL);
                if targets.concerns(&subscription.places, levels) {
                    reached += 1;
                }
            }
        }
        Ok(reached)
    }

    async fn sheet(&self, caller: StaffCaller, id: i64) -> Result<WarningSheet, AppError> {
        let viewer = signed_in_with(&caller, PUBLISHING)?;
        let row = self.staff.store.console_warning(id).await.map_err(failed)?;
        let row = row.ok_or_else(|| AppError::new("compose-error-missing"))?;
        let problems = compose::check(&row.form, Utc::now()).err().unwrap_or_default();
        let alert = match row.message_id {
            Some(message_id) => {
                self.staff.store.accepted_alert(message_id).await.map_err(failed)?.map(|s| s.alert)
            }
            None => self.preview_alert(&row.form),
        };
        let previews = alert
            .iter()
            .flat_map(|alert| {
                ["zh-CN", "en"].map(|lang| card(row.message_id.unwrap_or_default(), alert, lang))
            })
            .flatten()
            .fold(Vec::new(), |mut cards: Vec<_>, card| {
                if !cards
                    .iter()
                    .any(|c: &safejdz_app::domain::warnings::WarningCard| c.language == card.language)
                {
                    cards.push(card);
                }
                cards
            });
        let live = row.form.status == "Actual";
        let subscriptions = match (&alert, live) {
            (Some(alert), true) => self.subscriptions_reached(alert).await?,
            _ => 0,
        };
        let register = jingdezhen();
        let mut places: Vec<String> = row
            .form
            .divisions
            .iter()
            .filter_map(|code| safejdz_app::domain::geo::DivisionCode::parse(code))
            .filter_map(|code| register.full_name(&code))
            .collect();
        if !row.form.polygon.trim().is_empty() || !row.form.circle.trim().is_empty() {
            places.push(safejdz_app::i18n::translate(
                safejdz_app::domain::preferences::Lang::ZhCn,
                "compose-drawn-area",
            ));
        }
        let names = self.names().await?;
        let is_approver = caller.person.as_ref().is_some_and(|p| p.roles.contains(Role::Approver));
        Ok(WarningSheet {
            id: row.id,
            state: row.state.as_str().to_owned(),
            msg_type: row.msg_type.as_str().to_owned(),
            problems,
            previews,
            places,
            subscriptions,
            gateways: if live { self.staff.issuer.gateways as i64 } else { 0 },
            author: names.get(&row.author_id).cloned().unwrap_or_default(),
            approver: row.approver_id.and_then(|id| names.get(&id).cloned()),
            reason: row.reason.clone(),
            message_id: row.message_id,
            cap_identifier: row.cap_identifier.clone(),
            cancelled: row.cancel_message_id.is_some(),
            updates_id: row.updates_id,
            viewer_is_author: row.author_id == viewer,
            viewer_may_approve: is_approver && row.state == DraftState::Submitted && row.author_id != viewer,
            viewer_may_cancel: row.state == DraftState::Released
                && row.cancel_message_id.is_none()
                && row.form.status == "Actual",
            form: row.form,
        })
    }

    async fn compose(
        &self,
        caller: StaffCaller,
        updates: Option<i64>,
        draft: Option<i64>,
    ) -> Result<ComposePage, AppError> {
        signed_in_with(&caller, PUBLISHING)?;
        let from = match updates.or(draft) {
            Some(id) => self.staff.store.console_warning(id).await.map_err(failed)?,
            None => None,
        };
        let form = match (&from, updates) {
            // An Update starts from what is in force, still to be approved.
            (Some(DraftRow { form, state: DraftState::Released, .. }), Some(_)) => form.clone(),
            (Some(row), None) => row.form.clone(),
            _ => WarningForm::default(),
        };
        Ok(ComposePage { form, picker: safejdz_app::alerts::picker(jingdezhen()), updates_id: updates })
    }

    async fn save(
        &self,
        caller: StaffCaller,
        id: Option<i64>,
        updates: Option<i64>,
        form: WarningForm,
    ) -> Result<SignInStep, AppError> {
        signed_in_with(&caller, &[Role::Publisher])?;
        let id =
            self.staff.save_draft(&Actor::of(&caller, None), id, updates, &form).await.map_err(refused)?;
        Ok(SignInStep { next: format!("/staff/warnings/{id}"), new_token: None })
    }

    async fn submit(&self, caller: StaffCaller, id: i64, confirm: String) -> Result<SignInStep, AppError> {
        signed_in_with(&caller, &[Role::Publisher])?;
        let state =
            self.staff.submit_draft(&Actor::of(&caller, None), id, &confirm).await.map_err(refused)?;
        let note = if state == DraftState::Released { "sent" } else { "submitted" };
        Ok(SignInStep { next: format!("/staff/warnings/{id}?{note}"), new_token: None })
    }

    async fn approve(&self, caller: StaffCaller, id: i64, confirm: String) -> Result<SignInStep, AppError> {
        signed_in_with(&caller, &[Role::Approver])?;
        self.staff.approve(&Actor::of(&caller, None), id, &confirm).await.map_err(refused)?;
        Ok(SignInStep { next: format!("/staff/warnings/{id}?released"), new_token: None })
    }

    async fn reject(&self, caller: StaffCaller, id: i64, reason: String) -> Result<SignInStep, AppError> {
        signed_in_with(&caller, &[Role::Approver])?;
        self.staff.reject(&Actor::of(&caller, None), id, &reason).await.map_err(refused)?;
        Ok(SignInStep { next: format!("/staff/warnings/{id}"), new_token: None })
    }

    async fn cancel(&self, caller: StaffCaller, id: i64) -> Result<SignInStep, AppError> {
        signed_in_with(&caller, PUBLISHING)?;
        self.staff.cancel(&Actor::of(&caller, None), id).await.map_err(refused)?;
        Ok(SignInStep { next: format!("/staff/warnings/{id}?cancelled"), new_token: None })
    }
}

impl PublishingBackend for StaffConsole {
    fn list(&self, caller: StaffCaller) -> StaffPending<'_, Vec<WarningListItem>> {
        Box::pin(StaffConsole::list(self, caller))
    }
    fn sheet(&self, caller: StaffCaller, id: i64) -> StaffPending<'_, WarningSheet> {
        Box::pin(StaffConsole::sheet(self, caller, id))
    }
    fn compose(
        &self,
        caller: StaffCaller,
        updates: Option<i64>,
        draft: Option<i64>,
    ) -> StaffPending<'_, ComposePage> {
        Box::pin(StaffConsole::compose(self, caller, updates, draft))
    }
    fn save(
        &self,
        caller: StaffCaller,
        id: Option<i64>,
        updates: Option<i64>,
        form: WarningForm,
    ) -> StaffPending<'_, SignInStep> {
        Box::pin(StaffConsole::save(self, caller, id, updates, form))
    }
    fn submit(&self, caller: StaffCaller, id: i64, confirm: String) -> StaffPending<'_, SignInStep> {
        Box::pin(StaffConsole::submit(self, caller, id, confirm))
    }
    fn approve(&self, caller: StaffCaller, id: i64, confirm: String) -> StaffPending<'_, SignInStep> {
        Box::pin(StaffConsole::approve(self, caller, id, confirm))
    }
    fn reject(&self, caller: StaffCaller, id: i64, reason: String) -> StaffPending<'_, SignInStep> {
        Box::pin(StaffConsole::reject(self, caller, id, reason))
    }
    fn cancel(&self, caller: StaffCaller, id: i64) -> StaffPending<'_, SignInStep> {
        Box::pin(StaffConsole::cancel(self, caller, id))
    }
}
