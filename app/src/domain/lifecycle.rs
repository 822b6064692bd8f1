//! The alert lifecycle: which stored messages are warnings a resident should see at `now`.
//!
//! Pure: the store hands in the facts of every message and the time; nothing here reads a
//! clock. Rules (CAP 1.2 §3.2.1 and the Chinese practice of 解除 messages):
//! - an `Update` supersedes the messages it references; a `Cancel` ends them;
//! - a message that lifts (every `info` says `AllClear`, or its text says 解除) ends the
//!   messages it references and is itself no warning;
//! - when a feed gives no usable reference (none, or only itself), the earlier messages of the
//!   same sender about the same event are the ones meant;
//! - a warning expires at its latest `expires`, or `default_lifetime` after `sent`;
//! - `Test`, `Exercise`, `System` and `Draft` messages are never warnings and end nothing.

use std::collections::HashMap;

use chrono::{DateTime, Duration, FixedOffset};
use serde::{Deserialize, Serialize};

use super::cap::{Alert, MsgType, Reference, ResponseType, Status};

/// What the lifecycle needs to know of one stored message.
#[derive(Debug, Clone, PartialEq)]
pub struct MessageFacts {
    /// The store's id of the message.
    pub key: i64,
    pub sender: String,
    pub identifier: String,
    pub sent: DateTime<FixedOffset>,
    pub status: Status,
    pub msg_type: MsgType,
    pub references: Vec<Reference>,
    /// The `event` of every info.
    pub events: Vec<String>,
    /// The latest `expires` of its infos.
    pub expires: Option<DateTime<FixedOffset>>,
    /// It announces the end of a warning (AllClear, 解除).
    pub lifts: bool,
}

impl MessageFacts {
    /// The facts of a parsed alert stored under `key`.
    pub fn of(key: i64, alert: &Alert) -> MessageFacts {
        let all_clear = !alert.infos.is_empty()
            && alert.infos.iter().all(|i| i.response_types.contains(&ResponseType::AllClear));
        let says_lifted = alert.infos.iter().any(|i| {
            [Some(&i.event), i.headline.as_ref()].into_iter().flatten().any(|text| text.contains("解除"))
        });
        MessageFacts {
            key,
            sender: alert.sender.clone(),
            identifier: alert.identifier.clone(),
            sent: alert.sent,
            status: alert.status,
            msg_type: alert.msg_type,
            references: alert.references.clone(),
            events: alert.infos.iter().map(|i| i.event.clone()).collect(),
            expires: alert.infos.iter().filter_map(|i| i.expires).max(),
            lifts: all_clear || says_lifted,
        }
    }
}

/// Where a message stands at a given time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Lifecycle {
    /// A warning in force: show it.
    Active,
    /// Replaced by the `Update` with key `by`.
    Superseded { by: i64 },
    /// Ended by the `Cancel` with key `by`.
    Cancelled { by: i64 },
    /// Ended by the lifting (解除 / AllClear) message `by`.
    Lifted { by: i64 },
    /// Past its expiry time.
    Expired,
    /// An Actual message that is no warning itself: a Cancel, a lift, an Ack or an Error.
    Notice,
    /// Test, Exercise, System or Draft: stored, never shown to residents.
    NotActual,
}

impl Lifecycle {
    /// Whether residents see this message as a warning.
    pub fn is_active(self) -> bool {
        self == Lifecycle::Active
    }
}

/// The state of every message at `now`, keyed by [`MessageFacts::key`].
pub fn resolve(
    messages: &[MessageFacts],
    now: DateTime<FixedOffset>,
    default_lifetime: Duration,
) -> HashMap<i64, Lifecycle> {
    let mut order: Vec<&MessageFacts> = messages.iter().collect();
    order.sort_by(|a, b| a.sent.cmp(&b.sent).then(a.key.cmp(&b.key)));
    let mut states: HashMap<i64, Lifecycle> = HashMap::with_capacity(messages.len());

    for (position, message) in order.iter().enumerate() {
        if message.status != Status::Actual {
            states.insert(message.key, Lifecycle::NotActual);
            continue;
        }
        let earlier = &order[..position];
        let (own_state, effect): (Lifecycle, Option<Lifecycle>) = if message.lifts {
            (Lifecycle::Notice, Some(Lifecycle::Lifted { by: message.key }))
        } else {
            match message.msg_type {
                MsgType::Alert => (Lifecycle::Active, None),
                MsgType::Update => (Lifecycle::Active, Some(Lifecycle::Superseded { by: message.key })),
                MsgType::Cancel => (Lifecycle::Notice, Some(Lifecycle::Cancelled { by: message.key })),
                MsgType::Ack | MsgType::Error => (Lifecycle::Notice, None),
            }
        };
        if let Some(effect) = effect {
            for target in targets(message, earlier) {
                // Only a warning still in force changes; an ended one keeps how it ended.
                if states.get(&target).is_some_and(|s| s.is_active()) {
                    states.insert(target, effect);
                }
            }
        }
        states.insert(message.key, own_state);
    }

    for message in messages {
        let ends = message.expires.unwrap_or(message.sent + default_lifetime);
        if states.get(&message.key).is_some_and(|s| s.is_active()) && now >= ends {
            states.insert(message.key, Lifecycle::Expired);
        }
    }
    states
}

/// The earlier messages `message` acts on: its references, or, when it gives none but itself,
/// the same sender's earlier messages about the same event.
fn targets(message: &MessageFacts, earlier: &[&MessageFacts]) -> Vec<i64> {
    let usable: Vec<&Reference> = message
        .references
        .iter()
        .filter(|r| !(r.sender == message.sender && r.identifier == message.identifier))
        .collect();
    if usable.is_empty() {
        return earlier
            .iter()
            .filter(|m| m.sender == message.sender && m.events.iter().any(|e| message.events.contains(e)))
            .map(|m| m.key)
            .collect();
    }
    earlier.iter().filter(|m| usable.iter().any(|r| refers_to(r, m))).map(|m| m.key).collect()
}

/// A reference names a message by sender and identifier; its `sent`, when it parses, must be
/// the same instant (feeds write the same time as `Z`, `+00:00` or `-00:00`).
fn refers_to(reference: &Reference, message: &MessageFacts) -> bool {
    reference.sender == message.sender
        && reference.identifier == message.identifier
        && DateTime::parse_from_rfc3339(&reference.sent).map_or(true, |sent| sent == message.sent)
}

#[cfg(test)]
#[path = "lifecycle_tests.rs"]
mod tests;
