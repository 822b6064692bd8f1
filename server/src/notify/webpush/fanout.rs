//! The fan-out of one warning: claim it, page through every subscription, keep those the
//! warning (or an earlier version of it) concerns, send each its notification, record progress;
//! and the two sweeps that finish what a stopped or lagging process left undone.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use safejdz_app::domain::{
    boundaries,
    cap::{Alert, ColourLevel},
    notifications::{NotifyLevels, WarningTargets, notify_level},
    preferences::Lang,
};

use super::store::{FanoutCounts, PushSubscription};
use super::{IN_FLIGHT, PushOutcome, WebPush, left_area_payload, warning_payload};
use crate::notify::outbox::{MISSED_AFTER, MISSED_WINDOW, Outbox, STALLED_AFTER, before};
use crate::{
    platform::store::StorageError,
    warnings::hub::{AlertEvent, EventKind, event_for},
};

/// Subscriptions read per database round trip during a fan-out.
const PAGE: i64 = 5_000;
/// How long a push service keeps a notification for a phone that is off, at most.
const MAX_TTL_SECONDS: i64 = 24 * 60 * 60;
/// How far back the earlier versions of an updated or cancelled warning are looked for (the
/// pages' lookback window).
const EARLIER_WITHIN_DAYS: i64 = 30;
/// What a subscriber is told of a message: the warning itself (new, updated, ended), or that
/// an Update moved it away from their places. Indexes the payloads built per language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Notice {
    Warning = 0,
    LeftArea = 1,
}

impl WebPush {
    /// Notifies every subscription the event's warning concerns; `None` when another replica
    /// has this message or it cannot be read.
    pub async fn fan_out(&self, event: &AlertEvent) -> Option<FanoutCounts> {
        match self.inner.store.claim_push_fanout(event.id, Utc::now()).await {
            Ok(true) => self.run_fan_out(event, 0, FanoutCounts::default()).await,
            Ok(false) => None, // Another replica has it.
            Err(error) => {
                tracing::error!(id = event.id, %error, "claiming a push fan-out failed");
                None
            }
        }
    }

    /// Takes over the fan-outs of replicas that stopped (no beat for [`STALLED_AFTER`]) and
    /// finishes them from where they got to. Returns how many it took over.
    pub async fn resume_stalled(&self) -> usize {
        self.resume_stalled_at(Utc::now()).await
    }

    /// Fans out accepted messages of the last hour that no replica fanned out (this process
    /// fell more than the hub's backlog behind, or was stopped between accepting and sending).
    /// Messages younger than [`MISSED_AFTER`] are left to the live path. Returns how many.
    pub async fn send_missed(&self) -> usize {
        self.send_missed_at(Utc::now()).await
    }

    /// Runs a claimed fan-out from the subscription after `after`, adding to `counts`.
    async fn run_fan_out(
        &self,
        event: &AlertEvent,
        after: i64,
        counts: FanoutCounts,
    ) -> Option<FanoutCounts> {
        let store = &self.inner.store;
        let alert = match store.accepted_alert(event.id).await {
            Ok(Some(stored)) => stored.alert,
            Ok(None) => return None,
            Err(error) => {
                tracing::error!(id = event.id, %error, "reading the alert to push failed");
                return None;
            }
        };
        let counts = match self.notify_concerned(event, &alert, after, counts).await {
            Ok(counts) => counts,
            Err(error) => {
                // Left unfinished: another replica (or this one) resumes it once it looks stalled.
                tracing::error!(id = event.id, %error, "reading subscriptions failed");
                return None;
            }
        };
        tracing::info!(id = event.id, ?counts, "web push fan-out finished");
        if let Err(error) = store.finish_push_fanout(event.id, counts, Utc::now()).await {
            tracing::error!(id = event.id, %error, "recording a push fan-out failed");
        }
        Some(counts)
    }

    async fn notify_concerned(
        &self,
        event: &AlertEvent,
        alert: &Alert,
        mut after: i64,
        mut counts: FanoutCounts,
    ) -> Result<FanoutCounts, StorageError> {
        let mut targets = WarningTargets::new(alert, boundaries::jingdezhen());
        // Who heard of this warning before: an Update or a Cancel must reach them even if its
        // own area or level would not (a cancel often names no area; an update may narrow it).
        let earlier = self.earlier_messages(alert).await?;
        let mut earlier_targets: Vec<WarningTargets<'_, _>> =
            earlier.iter().map(|a| WarningTargets::new(a, boundaries::jingdezhen())).collect();
        let payloads = Arc::new(
            [Lang::ZhCn, Lang::En]
                .map(|lang| [warning_payload(event, alert, lang), left_area_payload(event, alert, lang)]),
        );
        let in_flight = Arc::new(tokio::sync::Semaphore::new(IN_FLIGHT));
        let level = alert.infos.first().map(|i| notify_level(i.colour, i.severity));
        let ttl = alert.infos.first().and_then(|i| i.expires).map_or(MAX_TTL_SECONDS, |expires| {
            (expires.timestamp() - Utc::now().timestamp()).clamp(60, MAX_TTL_SECONDS)
        });
        let urgency = match level {
            Some(ColourLevel::Red | ColourLevel::Orange) => "high",
            _ => "normal",
        };
        loop {
            let page = self.inner.store.push_subscriptions_after(after, PAGE).await?;
            let Some(last) = page.last().map(|s| s.id) else { break };
            let page_len = page.len();
            let concerned: Vec<(PushSubscription, Notice)> = page
                .into_iter()
                .filter_map(|s| {
                    let levels = stored_levels(&s);
                    let heard_before = earlier_targets.iter_mut().any(|t| t.concerns(&s.places, levels));
                    let notice = match event.kind {
                        EventKind::New => targets.concerns(&s.places, levels).then_some(Notice::Warning),
                        EventKind::Updated if targets.concerns(&s.places, levels) => Some(Notice::Warning),
                        // Heard the earlier level: hears this one too, even below their choice.
                        EventKind::Updated
                            if heard_before && targets.concerns(&s.places, NotifyLevels::ALL) =>
                        {
                            Some(Notice::Warning)
                        }
                        EventKind::Updated => heard_before.then_some(Notice::LeftArea),
                        // The end goes to those who heard of the warning; judged by the cancel's
                        // own area only when the earlier messages are not known here.
                        EventKind::Ended if earlier.is_empty() => {
                            targets.concerns(&s.places, levels).then_some(Notice::Warning)
                        }
                        EventKind::Ended => heard_before.then_some(Notice::Warning),
                    };
                    notice.map(|notice| (s, notice))
                })
                .collect();
            counts.matched += concerned.len() as i64;
            // Each push on its own task: encryption is two elliptic-curve multiplications, and
            // spawned tasks spread them over every core (a stream polled in this task would not).
            let mut sending = tokio::task::JoinSet::new();
            for (subscription, notice) in concerned {
                let Ok(permit) = in_flight.clone().acquire_owned().await else { break };
                let (sender, payloads) = (self.clone(), payloads.clone());
                sending.spawn(async move {
                    let english = Lang::from_tag(&subscription.lang) == Some(Lang::En);
                    let payload = &payloads[usize::from(english)][notice as usize];
                    let outcome = sender.send(&subscription, payload, ttl, urgency).await;
                    drop(permit);
                    outcome
                });
            }
            while let Some(joined) = sending.join_next().await {
                match joined {
                    Ok(PushOutcome::Delivered) => counts.delivered += 1,
                    Ok(PushOutcome::Gone) => counts.removed += 1,
                    Ok(PushOutcome::Failed(_)) | Err(_) => counts.failed += 1,
                }
            }
            // The whole page is handled: a replica that takes over starts after it.
            after = last;
            self.inner.store.beat_push_fanout(event.id, after, counts, Utc::now()).await?;
            if (page_len as i64) < PAGE {
                break;
            }
        }
        Ok(counts)
    }

    /// The earlier versions of `alert`'s warning: the accepted messages it references, and
    /// those they reference in turn (an Update may name only the version just before it).
    async fn earlier_messages(&self, alert: &Alert) -> Result<Vec<Alert>, StorageError> {
        if alert.references.is_empty() {
            return Ok(Vec::new());
        }
        let since = alert.sent.with_timezone(&Utc) - chrono::Duration::days(EARLIER_WITHIN_DAYS);
        let mut recent: Vec<Alert> =
            self.inner.store.accepted_alerts_since(since).await?.into_iter().map(|s| s.alert).collect();
        let mut wanted: Vec<(String, String)> =
            alert.references.iter().map(|r| (r.sender.clone(), r.identifier.clone())).collect();
        let mut earlier = Vec::new();
        while let Some(position) =
            recent.iter().position(|a| wanted.iter().any(|(s, i)| *s == a.sender && *i == a.identifier))
        {
            let found = recent.swap_remove(position);
            wanted.extend(found.references.iter().map(|r| (r.sender.clone(), r.identifier.clone())));
            earlier.push(found);
        }
        Ok(earlier)
    }
}

/// The levels a subscription chose. A stored list that cannot be read (written by a later
/// release, or damaged) is logged and read as every level: better a notification too many than
/// a resident who asked to be told and is not.
fn stored_levels(subscription: &PushSubscription) -> NotifyLevels {
    NotifyLevels::parse(&subscription.levels).unwrap_or_else(|| {
        tracing::error!(
            subscription = subscription.id,
            levels = %subscription.levels,
            "stored notification levels cannot be read; notifying at every level"
        );
        NotifyLevels::ALL
    })
}

impl Outbox for WebPush {
    async fn resume_stalled_at(&self, now: DateTime<Utc>) -> usize {
        let silent_since = before(now, STALLED_AFTER);
        let taken = match self.inner.store.take_over_stalled_push_fanouts(silent_since, now).await {
            Ok(taken) => taken,
            Err(error) => {
                tracing::error!(%error, "looking for stalled push fan-outs failed");
                return 0;
            }
        };
        for (id, done_through, counts) in &taken {
            tracing::warn!(id, done_through, "resuming a push fan-out another replica left unfinished");
            let event = match self.inner.store.accepted_alert(*id).await {
                Ok(Some(stored)) => event_for(*id, &stored.alert),
                _ => None,
            };
            match event {
                Some(event) => {
                    self.run_fan_out(&event, *done_through, *counts).await;
                }
                None => {
                    let _ = self.inner.store.finish_push_fanout(*id, *counts, Utc::now()).await;
                }
            }
        }
        taken.len()
    }

    async fn send_missed_at(&self, now: DateTime<Utc>) -> usize {
        let ids = match self
            .inner
            .store
            .accepted_without_fanout(before(now, MISSED_WINDOW), before(now, MISSED_AFTER))
            .await
        {
            Ok(ids) => ids,
            Err(error) => {
                tracing::error!(%error, "looking for missed push fan-outs failed");
                return 0;
            }
        };
        let mut sent = 0;
        for id in ids {
            let Ok(Some(stored)) = self.inner.store.accepted_alert(id).await else { continue };
            // Test, Exercise and other non-resident messages have no event: nothing to send.
            if let Some(event) = event_for(id, &stored.alert) {
                tracing::warn!(id, "sending a push fan-out that was missed");
                if self.fan_out(&event).await.is_some() {
                    sent += 1;
                }
            }
        }
        sent
    }
}
