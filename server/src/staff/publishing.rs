//! Publishing warnings from the console, under the two-person rule: a publisher's draft of an
//! Actual warning becomes a CAP message only when a second person, an approver who is not its
//! author, approves it; Test and Exercise messages go at once (the hub never tells residents of
//! them). Every message, and every Cancel, enters the same `Ingest` as the city feed. A Cancel
//! needs no approval: ending a false alarm must take seconds.

use chrono::{DateTime, Utc};
use safejdz_app::domain::{
    cap::{ColourMapping, MsgType, Status},
    compose::{self, CapHeader, ComposedWarning, WarningForm},
};

mod store;

use super::{Staff, audit::Actor};
use crate::{
    platform::store::StorageError,
    warnings::{ingest::Verdict, signatures::signing::MessageSigner},
};

/// The source name of messages written in the console.
pub const CONSOLE_SOURCE: &str = "console";

/// Who the console's messages come from.
#[derive(Debug, Clone)]
pub struct Issuer {
    /// GB/T 35965.1's 14-digit issuing-unit code (the first part of every identifier).
    pub unit_code: String,
    /// CAP `sender`.
    pub sender: String,
    /// `senderName` in Chinese and in English.
    pub name_zh: String,
    pub name_en: String,
    pub colours: ColourMapping,
    /// Operator gateways every Actual warning is delivered to (for the console's reach).
    pub gateways: usize,
    /// Signs every message the console writes, when a key is configured.
    pub signer: Option<std::sync::Arc<MessageSigner>>,
}

/// Where a console warning stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DraftState {
    Draft,
    /// Waiting for an approver.
    Submitted,
    /// Its message went into the ingest.
    Released,
    Rejected,
}

impl DraftState {
    pub fn as_str(self) -> &'static str {
        match self {
            DraftState::Draft => "draft",
            DraftState::Submitted => "submitted",
            DraftState::Released => "released",
            DraftState::Rejected => "rejected",
        }
    }

    fn from_name(name: &str) -> Option<DraftState> {
        [DraftState::Draft, DraftState::Submitted, DraftState::Released, DraftState::Rejected]
            .into_iter()
            .find(|state| state.as_str() == name)
    }
}

/// A console warning as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct DraftRow {
    pub id: i64,
    pub author_id: i64,
    pub state: DraftState,
    pub msg_type: MsgType,
    pub updates_id: Option<i64>,
    pub form: WarningForm,
    pub approver_id: Option<i64>,
    pub reason: Option<String>,
    pub cap_identifier: Option<String>,
    pub message_id: Option<i64>,
    pub cancelled_by: Option<i64>,
    pub cancel_message_id: Option<i64>,
    pub updated_at: DateTime<Utc>,
}

/// Why a step was refused; each is a `compose-error-*` or `staff-error-*` message.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error("the form has problems")]
    Invalid,
    #[error("no such warning")]
    NoSuchWarning,
    #[error("only its author may change or submit a draft")]
    NotAuthor,
    #[error("the author of a warning cannot approve it")]
    OwnWarning,
    #[error("the warning is not in a state that allows this")]
    WrongState,
    #[error("the level typed does not confirm the warning's level")]
    NotConfirmed,
    #[error("the ingest refused the message: {0}")]
    Refused(String),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl PublishError {
    pub fn message_id(&self) -> &'static str {
        match self {
            PublishError::Invalid => "compose-error-invalid",
            PublishError::NoSuchWarning => "compose-error-missing",
            PublishError::NotAuthor => "compose-error-not-author",
            PublishError::OwnWarning => "compose-error-own-warning",
            PublishError::WrongState => "compose-error-state",
            PublishError::NotConfirmed => "compose-error-confirm",
            PublishError::Refused(_) => "compose-error-refused",
            PublishError::Storage(_) => "error-request-failed",
        }
    }
}

impl Staff {
    /// Saves a draft: new (`id` none), or the author's own still-unsubmitted one. Saved even
    /// with problems, so nothing typed is lost; the draft's page lists them.
    pub async fn save_draft(
        &self,
        actor: &Actor,
        id: Option<i64>,
        updates_id: Option<i64>,
        form: &WarningForm,
    ) -> Result<i64, PublishError> {
        let now = Utc::now();
        let author = actor.id.ok_or(PublishError::NotAuthor)?;
        let id = match id {
            None => {
                let msg_type = if updates_id.is_some() { MsgType::Update } else { MsgType::Alert };
                if let Some(target) = updates_id {
                    let released = self.store.console_warning(target).await?;
                    if !released
                        .is_some_and(|r| r.state == DraftState::Released && r.cancel_message_id.is_none())
                    {
                        return Err(PublishError::WrongState);
                    }
                }
                let id = self.store.insert_draft(author, msg_type, updates_id, form, now).await?;
                self.record(actor, "warning.draft", &format!("warning:{id}"), &summary(form)).await?;
                id
            }
            Some(id) => {
                let row = self.store.console_warning(id).await?.ok_or(PublishError::NoSuchWarning)?;
                if row.author_id != author {
                    return Err(PublishError::NotAuthor);
                }
                if !self.store.update_draft_form(id, form, now).await? {
                    return Err(PublishError::WrongState);
                }
                self.record(actor, "warning.edit", &format!("warning:{id}"), &summary(form)).await?;
                id
            }
        };
        Ok(id)
    }

    /// The author submits a draft. An Actual one waits for approval (the level typed must
    /// confirm it); a Test or Exercise one is sent at once.
    pub async fn submit_draft(
        &self,
        actor: &Actor,
        id: i64,
        confirm: &str,
    ) -> Result<DraftState, PublishError> {
        let now = Utc::now();
        let row = self.store.console_warning(id).await?.ok_or(PublishError::NoSuchWarning)?;
        if Some(row.author_id) != actor.id {
            return Err(PublishError::NotAuthor);
        }
        let warning = compose::check(&row.form, now).map_err(|_| PublishError::Invalid)?;
        if warning.status == Status::Actual {
            if !compose::confirms(warning.level, confirm) {
                return Err(PublishError::NotConfirmed);
            }
            if !self.store.move_draft(id, DraftState::Draft, DraftState::Submitted, None, None, now).await? {
                return Err(PublishError::WrongState);
            }
            self.record(actor, "warning.submit", &format!("warning:{id}"), &summary(&row.form)).await?;
            return Ok(DraftState::Submitted);
        }
        if !self.store.move_draft(id, DraftState::Draft, DraftState::Released, None, None, now).await? {
            return Err(PublishError::WrongState);
        }
        if let Err(error) = self.release(actor, &row, &warning, now).await {
            self.store.move_draft(id, DraftState::Released, DraftState::Draft, None, None, now).await?;
            return Err(error);
        }
        Ok(DraftState::Released)
    }

    /// A second person approves an Actual warning: never its author, whatever their roles.
    /// Its message then enters the ingest.
    pub async fn approve(&self, actor: &Actor, id: i64, confirm: &str) -> Result<(), PublishError> {
        let now = Utc::now();
        let row = self.store.console_warning(id).await?.ok_or(PublishError::NoSuchWarning)?;
        let approver = actor.id.ok_or(PublishError::OwnWarning)?;
        if row.author_id == approver {
            self.record(actor, "warning.self-approval-refused", &format!("warning:{id}"), "").await?;
            return Err(PublishError::OwnWarning);
        }
        if row.state != DraftState::Submitted {
            return Err(PublishError::WrongState);
        }
        let warning = compose::check(&row.form, now).map_err(|_| PublishError::Invalid)?;
        if !compose::confirms(warning.level, confirm) {
            return Err(PublishError::NotConfirmed);
        }
        if !self
            .store
            .move_draft(id, DraftState::Submitted, DraftState::Released, Some(approver), None, now)
            .await?
        {
            return Err(PublishError::WrongState);
        }
        self.record(actor, "warning.approve", &format!("warning:{id}"), &summary(&row.form)).await?;
        if let Err(error) = self.release(actor, &row, &warning, now).await {
            // Not released after all: back in the approvers' queue, saying why in the log.
            self.store.move_draft(id, DraftState::Released, DraftState::Submitted, None, None, now).await?;
            return Err(error);
        }
        Ok(())
    }

    /// An approver sends a submitted warning back, with the reason.
    pub async fn reject(&self, actor: &Actor, id: i64, reason: &str) -> Result<(), PublishError> {
        let now = Utc::now();
        let row = self.store.console_warning(id).await?.ok_or(PublishError::NoSuchWarning)?;
        if Some(row.author_id) == actor.id {
            return Err(PublishError::OwnWarning);
        }
        let reason = reason.trim();
        if !self
            .store
            .move_draft(id, DraftState::Submitted, DraftState::Rejected, actor.id, Some(reason), now)
            .await?
        {
            return Err(PublishError::WrongState);
        }
        self.record(actor, "warning.reject", &format!("warning:{id}"), reason).await?;
        Ok(())
    }

    /// Builds the message and hands it to the ingest; records the stored message.
    async fn release(
        &self,
        actor: &Actor,
        row: &DraftRow,
        warning: &ComposedWarning,
        now: DateTime<Utc>,
    ) -> Result<(), PublishError> {
        let references = match row.updates_id {
            Some(target) => self.reference_of(target).await?,
            None => None,
        };
        let header = self.header(row.id, row.msg_type, references, now);
        let severity = self.issuer.colours.severity(warning.level);
        let xml = compose::cap_xml(warning, &header, severity.as_str());
        let message_id = self.ingest_console_message(&xml, now).await?;
        self.store.set_draft_message(row.id, &header.identifier, message_id).await?;
        let detail = format!("{} {} message {message_id}", warning.status.as_str(), header.identifier);
        self.record(actor, "warning.release", &format!("warning:{}", row.id), &detail).await?;
        Ok(())
    }

    /// Cancels a released warning at once (no approval), by a publisher or an approver.
    pub async fn cancel(&self, actor: &Actor, id: i64) -> Result<(), PublishError> {
        let now = Utc::now();
        let row = self.store.console_warning(id).await?.ok_or(PublishError::NoSuchWarning)?;
        let (DraftState::Released, Some(message_id), None) =
            (row.state, row.message_id, row.cancel_message_id)
        else {
            return Err(PublishError::WrongState);
        };
        let original = self.store.accepted_alert(message_id).await?.ok_or(PublishError::NoSuchWarning)?;
        let alert = &original.alert;
        let reference =
            format!("{},{},{}", alert.sender, alert.identifier, compose::cap_time(alert.sent.to_utc()));
        let header = self.header(id, MsgType::Cancel, Some(reference), now);
        let xml = compose::cancel_xml(alert, &header);
        let cancel_id = self.ingest_console_message(&xml, now).await?;
        if !self.store.set_draft_cancelled(id, actor.id.unwrap_or_default(), cancel_id).await? {
            return Err(PublishError::WrongState);
        }
        self.record(
            actor,
            "warning.cancel",
            &format!("warning:{id}"),
            &format!("{} message {cancel_id}", header.identifier),
        )
        .await?;
        Ok(())
    }

    /// `sender,identifier,sent` of a released console warning, for an Update's references.
    async fn reference_of(&self, id: i64) -> Result<Option<String>, PublishError> {
        let row = self.store.console_warning(id).await?.ok_or(PublishError::NoSuchWarning)?;
        let Some(message_id) = row.message_id else { return Err(PublishError::WrongState) };
        let stored = self.store.accepted_alert(message_id).await?.ok_or(PublishError::NoSuchWarning)?;
        let alert = stored.alert;
        Ok(Some(format!("{},{},{}", alert.sender, alert.identifier, compose::cap_time(alert.sent.to_utc()))))
    }

    fn header(
        &self,
        id: i64,
        msg_type: MsgType,
        references: Option<String>,
        now: DateTime<Utc>,
    ) -> CapHeader {
        // The sequence digit: the row's id and the kind, so that a warning and its Cancel in
        // one second still differ.
        let sequence = ((id + if msg_type == MsgType::Cancel { 5 } else { 0 }) % 10) as u8;
        CapHeader {
            identifier: compose::gbt_identifier(&self.issuer.unit_code, now, sequence),
            sender: self.issuer.sender.clone(),
            sender_name: (self.issuer.name_zh.clone(), self.issuer.name_en.clone()),
            sent: now,
            msg_type,
            references,
        }
    }

    /// Signs the message (with a configured key) and hands it to the ingest.
    async fn ingest_console_message(&self, xml: &str, now: DateTime<Utc>) -> Result<i64, PublishError> {
        let signed;
        let xml = match &self.issuer.signer {
            Some(signer) => {
                signed = signer.sign(xml).map_err(PublishError::Refused)?;
                &signed
            }
            None => xml,
        };
        match self.ingest.receive(CONSOLE_SOURCE, xml.as_bytes(), now).await? {
            Verdict::Accepted { id } => Ok(id),
            Verdict::Duplicate { id } => Ok(id),
            Verdict::Quarantined { reason, .. } => {
                tracing::error!(%reason, "the ingest refused a console message");
                Err(PublishError::Refused(reason))
            }
            Verdict::Envelope { .. } => Err(PublishError::Refused("an envelope".into())),
        }
    }
}

/// A short line for the audit log.
fn summary(form: &WarningForm) -> String {
    format!(
        "{} {} {} · {}",
        form.status,
        form.level,
        form.hazard,
        form.headline_zh.chars().take(40).collect::<String>()
    )
}
