//! How an accepted alert is kept in `cap_messages.alert_json`: the stored form, versioned and
//! written out field by field, so that renaming a field of the domain model never makes the
//! rows already stored unreadable. Format 1 is the JSON the domain model's serialization wrote
//! before this type existed (rows without `format` are format 1); a later format adds a variant
//! here and keeps reading this one.

use chrono::{DateTime, FixedOffset};
use safejdz_app::domain::cap::{
    Alert, Area, CapVersion, Category, Certainty, Circle, ColourLevel, Info, MsgType, NamedValue, Point,
    Polygon, Reference, Resource, ResponseType, Scope, Severity, Status, Urgency,
};
use serde::{Deserialize, Serialize};

/// The format this release writes.
const FORMAT: u32 = 1;

fn format_one() -> u32 {
    1
}

/// Why a stored alert cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum StoredFormError {
    #[error("stored alert JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("stored alert format {0} is newer than this release reads")]
    UnknownFormat(u32),
    #[error("stored alert field {field}: unknown value {value:?}")]
    UnknownValue { field: &'static str, value: String },
}

/// The alert as stored (format 1).
#[derive(Debug, Serialize, Deserialize)]
struct StoredAlert1 {
    #[serde(default = "format_one")]
    format: u32,
    version: String,
    identifier: String,
    sender: String,
    sent: DateTime<FixedOffset>,
    status: String,
    msg_type: String,
    source: Option<String>,
    scope: String,
    restriction: Option<String>,
    addresses: Option<String>,
    codes: Vec<String>,
    note: Option<String>,
    references: Vec<StoredReference>,
    incidents: Option<String>,
    infos: Vec<StoredInfo>,
    has_signature: bool,
}

#[derive(Debug, Serialize, Deserialize)]
struct StoredReference {
    sender: String,
    identifier: String,
    sent: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct StoredNamedValue {
    value_name: String,
    value: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct StoredInfo {
    language: String,
    categories: Vec<String>,
    event: String,
    response_types: Vec<String>,
    urgency: String,
    severity: String,
    certainty: String,
    colour: Option<String>,
    audience: Option<String>,
    event_codes: Vec<StoredNamedValue>,
    effective: Option<DateTime<FixedOffset>>,
    onset: Option<DateTime<FixedOffset>>,
    expires: Option<DateTime<FixedOffset>>,
    sender_name: Option<String>,
    headline: Option<String>,
    description: Option<String>,
    instruction: Option<String>,
    web: Option<String>,
    contact: Option<String>,
    parameters: Vec<StoredNamedValue>,
    resources: Vec<StoredResource>,
    areas: Vec<StoredArea>,
}

#[derive(Debug, Serialize, Deserialize)]
struct StoredResource {
    resource_desc: String,
    mime_type: String,
    size: Option<u64>,
    uri: Option<String>,
    deref_uri: Option<String>,
    digest: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
struct StoredArea {
    area_desc: String,
    polygons: Vec<StoredPolygon>,
    circles: Vec<StoredCircle>,
    geocodes: Vec<StoredNamedValue>,
    altitude: Option<f64>,
    ceiling: Option<f64>,
}

#[derive(Debug, Serialize, Deserialize)]
struct StoredPolygon {
    points: Vec<StoredPoint>,
}

#[derive(Debug, Serialize, Deserialize)]
struct StoredCircle {
    center: StoredPoint,
    radius_km: f64,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
struct StoredPoint {
    lat: f64,
    lon: f64,
}

/// The stored form of `alert` (the current format).
pub fn encode(alert: &Alert) -> String {
    let stored = StoredAlert1 {
        format: FORMAT,
        version: alert.version.as_str().to_owned(),
        identifier: alert.identifier.clone(),
        sender: alert.sender.clone(),
        sent: alert.sent,
        status: alert.status.as_str().to_owned(),
        msg_type: alert.msg_type.as_str().to_owned(),
        source: alert.source.clone(),
        scope: alert.scope.as_str().to_owned(),
        restriction: alert.restriction.clone(),
        addresses: alert.addresses.clone(),
        codes: alert.codes.clone(),
        note: alert.note.clone(),
        references: alert
            .references
            .iter()
            .map(|r| StoredReference {
                sender: r.sender.clone(),
                identifier: r.identifier.clone(),
                sent: r.sent.clone(),
            })
            .collect(),
        incidents: alert.incidents.clone(),
        infos: alert.infos.iter().map(stored_info).collect(),
        has_signature: alert.has_signature,
    };
    serde_json::to_string(&stored).expect("the stored form serializes: plain data with string keys")
}

/// Reads a stored alert of any format this release knows.
pub fn decode(json: &str) -> Result<Alert, StoredFormError> {
    let stored: StoredAlert1 = serde_json::from_str(json)?;
    if stored.format != FORMAT {
        return Err(StoredFormError::UnknownFormat(stored.format));
    }
    Ok(Alert {
        version: parse_version(&stored.version)?,
        identifier: stored.identifier,
        sender: stored.sender,
        sent: stored.sent,
        status: known("status", &stored.status, Status::from_cap)?,
        msg_type: known("msg_type", &stored.msg_type, MsgType::from_cap)?,
        source: stored.source,
        scope: known("scope", &stored.scope, Scope::from_cap)?,
        restriction: stored.restriction,
        addresses: stored.addresses,
        codes: stored.codes,
        note: stored.note,
        references: stored
            .references
            .into_iter()
            .map(|r| Reference { sender: r.sender, identifier: r.identifier, sent: r.sent })
            .collect(),
        incidents: stored.incidents,
        infos: stored.infos.into_iter().map(domain_info).collect::<Result<_, _>>()?,
        has_signature: stored.has_signature,
    })
}

fn known<T>(
    field: &'static str,
    value: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<T, StoredFormError> {
    parse(value).ok_or_else(|| StoredFormError::UnknownValue { field, value: value.to_owned() })
}

fn parse_version(text: &str) -> Result<CapVersion, StoredFormError> {
    known("version", text, CapVersion::from_text)
}

fn stored_named(values: &[NamedValue]) -> Vec<StoredNamedValue> {
    values
        .iter()
        .map(|v| StoredNamedValue { value_name: v.value_name.clone(), value: v.value.clone() })
        .collect()
}

fn domain_named(values: Vec<StoredNamedValue>) -> Vec<NamedValue> {
    values.into_iter().map(|v| NamedValue { value_name: v.value_name, value: v.value }).collect()
}

fn stored_info(info: &Info) -> StoredInfo {
    StoredInfo {
        language: info.language.clone(),
        categories: info.categories.iter().map(|c| c.as_str().to_owned()).collect(),
        event: info.event.clone(),
        response_types: info.response_types.iter().map(|r| r.as_str().to_owned()).collect(),
        urgency: info.urgency.as_str().to_owned(),
        severity: info.severity.as_str().to_owned(),
        certainty: info.certainty.as_str().to_owned(),
        colour: info.colour.map(|c| c.as_str().to_owned()),
        audience: info.audience.clone(),
        event_codes: stored_named(&info.event_codes),
        effective: info.effective,
        onset: info.onset,
        expires: info.expires,
        sender_name: info.sender_name.clone(),
        headline: info.headline.clone(),
        description: info.description.clone(),
        instruction: info.instruction.clone(),
        web: info.web.clone(),
        contact: info.contact.clone(),
        parameters: stored_named(&info.parameters),
        resources: info
            .resources
            .iter()
            .map(|r| StoredResource {
                resource_desc: r.resource_desc.clone(),
                mime_type: r.mime_type.clone(),
                size: r.size,
                uri: r.uri.clone(),
                deref_uri: r.deref_uri.clone(),
                digest: r.digest.clone(),
            })
            .collect(),
        areas: info.areas.iter().map(stored_area).collect(),
    }
}

fn domain_info(info: StoredInfo) -> Result<Info, StoredFormError> {
    Ok(Info {
        language: info.language,
        categories: info
            .categories
            .iter()
            .map(|c| known("categories", c, Category::from_cap))
            .collect::<Result<_, _>>()?,
        event: info.event,
        response_types: info
            .response_types
            .iter()
            .map(|r| known("response_types", r, ResponseType::from_cap))
            .collect::<Result<_, _>>()?,
        urgency: known("urgency", &info.urgency, Urgency::from_cap)?,
        severity: known("severity", &info.severity, Severity::from_cap)?,
        certainty: known("certainty", &info.certainty, Certainty::from_cap)?,
        colour: info
            .colour
            .as_deref()
            .map(|c| known("colour", c, |c| ColourLevel::ALL.into_iter().find(|l| l.as_str() == c)))
            .transpose()?,
        audience: info.audience,
        event_codes: domain_named(info.event_codes),
        effective: info.effective,
        onset: info.onset,
        expires: info.expires,
        sender_name: info.sender_name,
        headline: info.headline,
        description: info.description,
        instruction: info.instruction,
        web: info.web,
        contact: info.contact,
        parameters: domain_named(info.parameters),
        resources: info
            .resources
            .into_iter()
            .map(|r| Resource {
                resource_desc: r.resource_desc,
                mime_type: r.mime_type,
                size: r.size,
                uri: r.uri,
                deref_uri: r.deref_uri,
                digest: r.digest,
            })
            .collect(),
        areas: info.areas.into_iter().map(domain_area).collect(),
    })
}

fn stored_area(area: &Area) -> StoredArea {
    let point = |p: &Point| StoredPoint { lat: p.lat, lon: p.lon };
    StoredArea {
        area_desc: area.area_desc.clone(),
        polygons: area
            .polygons
            .iter()
            .map(|p| StoredPolygon { points: p.points.iter().map(point).collect() })
            .collect(),
        circles: area
            .circles
            .iter()
            .map(|c| StoredCircle { center: point(&c.center), radius_km: c.radius_km })
            .collect(),
        geocodes: stored_named(&area.geocodes),
        altitude: area.altitude,
        ceiling: area.ceiling,
    }
}

fn domain_area(area: StoredArea) -> Area {
    let point = |p: StoredPoint| Point { lat: p.lat, lon: p.lon };
    Area {
        area_desc: area.area_desc,
        polygons: area
            .polygons
            .into_iter()
            .map(|p| Polygon { points: p.points.into_iter().map(point).collect() })
            .collect(),
        circles: area
            .circles
            .into_iter()
            .map(|c| Circle { center: point(c.center), radius_km: c.radius_km })
            .collect(),
        geocodes: domain_named(area.geocodes),
        altitude: area.altitude,
        ceiling: area.ceiling,
    }
}

#[cfg(test)]
#[path = "stored_form_tests.rs"]
mod tests;
