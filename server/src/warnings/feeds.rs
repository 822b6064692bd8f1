//! `GET /feeds/alerts.atom`: an Atom index of the warnings in force, each entry linking to its
//! original CAP message (the OASIS "CAP feeds" practice that aggregators poll).

use axum::{
    extract::State,
    http::{HeaderMap, HeaderValue, header},
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Utc};
use safejdz_app::domain::cap::escape_xml as escape;

use crate::{
    warnings::Warnings,
    warnings::alerts::{self, AlertView},
    warnings::api::{ApiError, cacheable},
};

/// The Atom feed of active alerts.
pub async fn alerts_atom(State(state): State<Warnings>, headers: HeaderMap) -> Result<Response, ApiError> {
    let now = Utc::now();
    let views = alerts::active(&state.recent, now, state.settings.default_alert_lifetime).await?;
    let base = state.settings.public_url.trim_end_matches('/');
    let body = atom(base, &views, now);
    let mut response = cacheable(&headers, body.into_bytes(), "no-cache");
    if response.status().is_success() {
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/atom+xml; charset=utf-8"));
    }
    Ok(response.into_response())
}

/// The feed document. `updated` is the newest alert's `sent`, so that an unchanged set of
/// alerts gives the same bytes (and the same ETag) on every request.
pub fn atom(base: &str, views: &[AlertView], now: DateTime<Utc>) -> String {
    let updated = views
        .iter()
        .map(|v| v.alert.sent.with_timezone(&Utc))
        .max()
        .unwrap_or(now - chrono::Duration::days(1));
    let mut xml = String::with_capacity(1024 + views.len() * 1024);
    xml.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n",
    );
    xml.push_str(&format!("  <id>{}</id>\n", escape(&format!("{base}/feeds/alerts.atom"))));
    xml.push_str("  <title>平安瓷都 · Safe Jingdezhen: warnings in force</title>\n");
    xml.push_str(&format!("  <updated>{}</updated>\n", updated.to_rfc3339()));
    xml.push_str("  <author><name>平安瓷都 · Safe Jingdezhen</name></author>\n");
    xml.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        escape(&format!("{base}/feeds/alerts.atom"))
    ));
    for view in views {
        let info = view.alert.infos.first();
        let title = info
            .and_then(|i| i.headline.clone())
            .or_else(|| info.map(|i| i.event.clone()))
            .unwrap_or_else(|| view.alert.identifier.clone());
        let author = info.and_then(|i| i.sender_name.clone()).unwrap_or_else(|| view.alert.sender.clone());
        let sent = view.alert.sent.to_rfc3339();
        xml.push_str("  <entry>\n");
        xml.push_str(&format!("    <id>{}</id>\n", escape(&format!("{base}/api/v1/alerts/{}", view.id))));
        xml.push_str(&format!("    <title>{}</title>\n", escape(&title)));
        xml.push_str(&format!("    <published>{sent}</published>\n    <updated>{sent}</updated>\n"));
        xml.push_str(&format!("    <author><name>{}</name></author>\n", escape(&author)));
        if let Some(summary) = info.and_then(|i| i.description.as_deref()) {
            xml.push_str(&format!("    <summary>{}</summary>\n", escape(summary)));
        }
        for category in info.map(|i| i.categories.as_slice()).unwrap_or_default() {
            xml.push_str(&format!("    <category term=\"{}\"/>\n", category.as_str()));
        }
        xml.push_str(&format!(
            "    <link rel=\"alternate\" type=\"application/cap+xml\" href=\"{}\"/>\n",
            escape(&format!("{base}/api/v1/alerts/{}.cap", view.id))
        ));
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    xml
}
