//! What a notification says: title and body in the subscriber's language, the warning's tag,
//! the page it opens. Kept within what one push message holds.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use safejdz_app::{
    domain::{
        cap::{Alert, ColourLevel},
        notifications::{notify_level, warning_root},
        preferences::Lang,
    },
    i18n::{translate, translate_with},
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::warnings::hub::{AlertEvent, EventKind};

/// What the service worker receives (decrypted) and shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationPayload {
    /// `new`, `updated`, `ended` or `test`.
    pub kind: String,
    /// The notification's tag (and the push Topic): one per warning.
    pub tag: String,
    pub title: String,
    pub body: String,
    /// The page the notification opens.
    pub url: String,
    /// `red`, `orange`, `yellow` or `blue`; absent for a test.
    pub level: Option<String>,
    pub lang: String,
    /// Red and orange warnings stay on screen until the resident acts.
    pub require_interaction: bool,
}
/// The notification's tag for the warning `alert` belongs to: its root message, hashed, 32
/// base64url characters (RFC 8030 limits a Topic to that alphabet and length).
pub fn warning_tag(alert: &Alert) -> String {
    let (sender, identifier) = warning_root(alert);
    let digest = Sha256::digest(format!("{sender}\n{identifier}").as_bytes());
    URL_SAFE_NO_PAD.encode(&digest[..24])
}
/// The notification of `event` in `lang`: level and event as the title ("已解除" for an ended
/// warning), headline and area as the body, kept within a push message.
pub fn warning_payload(event: &AlertEvent, alert: &Alert, lang: Lang) -> NotificationPayload {
    let info = alert.info_for(lang.tag());
    let level = info.map(|i| notify_level(i.colour, i.severity));
    let level_words =
        level.map_or_else(String::new, |l| translate(lang, &format!("warnings-level-{}", l.as_str())));
    let event_name = info.map_or_else(|| event.event.clone(), |i| i.event.clone());
    let title_key = match event.kind {
        EventKind::New => "push-title-new",
        EventKind::Updated => "push-title-updated",
        EventKind::Ended => "push-title-ended",
    };
    let title = translate_with(
        lang,
        title_key,
        &[("level", level_words.into()), ("event", event_name.clone().into())],
    );
    let headline = info.and_then(|i| i.headline.clone()).unwrap_or(event_name);
    let area = info
        .map(|i| {
            i.areas
                .iter()
                .map(|a| a.area_desc.trim())
                .filter(|d| !d.is_empty())
                .collect::<Vec<_>>()
                .join("、")
        })
        .unwrap_or_default();
    let body = if area.is_empty() { headline } else { format!("{headline}\n{area}") };
    NotificationPayload {
        kind: match event.kind {
            EventKind::New => "new",
            EventKind::Updated => "updated",
            EventKind::Ended => "ended",
        }
        .into(),
        tag: warning_tag(alert),
        title: truncate(title, 200),
        // Leaves room for the rest of the JSON inside the 3,993 bytes a push message holds.
        body: truncate(body, 2_400),
        url: format!("/alerts/{}", event.id),
        level: level.map(|l| l.as_str().to_owned()),
        lang: lang.tag().into(),
        require_interaction: matches!(level, Some(ColourLevel::Red | ColourLevel::Orange))
            && event.kind != EventKind::Ended,
    }
}

/// The notification for a subscriber whose places an Update no longer covers: the warning
/// ends for them (same tag, so it replaces the earlier one), and the body says where it still is.
pub fn left_area_payload(event: &AlertEvent, alert: &Alert, lang: Lang) -> NotificationPayload {
    let warning = warning_payload(event, alert, lang);
    let event_name = alert.info_for(lang.tag()).map_or_else(|| event.event.clone(), |i| i.event.clone());
    NotificationPayload {
        kind: "ended".into(),
        title: truncate(translate_with(lang, "push-title-left-area", &[("event", event_name.into())]), 200),
        body: truncate(format!("{}\n{}", translate(lang, "push-body-left-area"), warning.body), 2_400),
        require_interaction: false,
        ..warning
    }
}

/// At most `max_bytes` of `text`, cut at a character boundary with "…".
fn truncate(text: String, max_bytes: usize) -> String {
    if text.len() <= max_bytes {
        return text;
    }
    let mut end = max_bytes - '…'.len_utf8();
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_cut_at_a_character_boundary() {
        let text = "暴".repeat(100);
        let cut = truncate(text, 10);
        assert_eq!(cut, "暴暴…");
        assert!(cut.len() <= 10);
        assert_eq!(truncate("short".into(), 10), "short");
    }
}
