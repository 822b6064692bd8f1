//! The CAP 1.2 data model: every field of alert, info, resource and area.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use super::ColourLevel;

/// The CAP version a message was written in; everything is held as 1.2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CapVersion {
    #[serde(rename = "1.0")]
    V1_0,
    #[serde(rename = "1.1")]
    V1_1,
    #[serde(rename = "1.2")]
    V1_2,
}

impl CapVersion {
    /// The version as CAP writes it (`1.2`).
    pub fn as_str(self) -> &'static str {
        match self {
            CapVersion::V1_0 => "1.0",
            CapVersion::V1_1 => "1.1",
            CapVersion::V1_2 => "1.2",
        }
    }

    /// Reads a version as [`CapVersion::as_str`] writes it.
    pub fn from_text(text: &str) -> Option<CapVersion> {
        [CapVersion::V1_0, CapVersion::V1_1, CapVersion::V1_2].into_iter().find(|v| v.as_str() == text)
    }
}

macro_rules! cap_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name { $(#[serde(rename = $text)] $variant),+ }

        impl $name {
            /// Every value, in the order of the CAP specification.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The value as CAP writes it.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// Reads the CAP spelling (surrounding whitespace ignored, case must match).
            pub fn from_cap(text: &str) -> Option<Self> {
                match text.trim() { $($text => Some($name::$variant),)+ _ => None }
            }
        }
    };
}

cap_enum!(
    /// `alert/status`: only `Actual` messages are warnings for residents.
    Status { Actual = "Actual", Exercise = "Exercise", System = "System", Test = "Test", Draft = "Draft" }
);
cap_enum!(
    /// `alert/msgType`.
    MsgType { Alert = "Alert", Update = "Update", Cancel = "Cancel", Ack = "Ack", Error = "Error" }
);
cap_enum!(
    /// `alert/scope`.
    Scope { Public = "Public", Restricted = "Restricted", Private = "Private" }
);
cap_enum!(
    /// `info/category`.
    Category {
        Geo = "Geo", Met = "Met", Safety = "Safety", Security = "Security", Rescue = "Rescue",
        Fire = "Fire", Health = "Health", Env = "Env", Transport = "Transport", Infra = "Infra",
        Cbrne = "CBRNE", Other = "Other",
    }
);
cap_enum!(
    /// `info/responseType`.
    ResponseType {
        Shelter = "Shelter", Evacuate = "Evacuate", Prepare = "Prepare", Execute = "Execute",
        Avoid = "Avoid", Monitor = "Monitor", Assess = "Assess", AllClear = "AllClear", None = "None",
    }
);
cap_enum!(
    /// `info/urgency`, most urgent first.
    Urgency { Immediate = "Immediate", Expected = "Expected", Future = "Future", Past = "Past", Unknown = "Unknown" }
);
cap_enum!(
    /// `info/severity`, most severe first.
    Severity { Extreme = "Extreme", Severe = "Severe", Moderate = "Moderate", Minor = "Minor", Unknown = "Unknown" }
);
cap_enum!(
    /// `info/certainty` (1.0's `Very Likely` is read as `Likely`).
    Certainty { Observed = "Observed", Likely = "Likely", Possible = "Possible", Unlikely = "Unlikely", Unknown = "Unknown" }
);

/// A whole CAP message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    pub version: CapVersion,
    pub identifier: String,
    pub sender: String,
    pub sent: DateTime<FixedOffset>,
    pub status: Status,
    pub msg_type: MsgType,
    pub source: Option<String>,
    pub scope: Scope,
    pub restriction: Option<String>,
    pub addresses: Option<String>,
    pub codes: Vec<String>,
    pub note: Option<String>,
    pub references: Vec<Reference>,
    pub incidents: Option<String>,
    pub infos: Vec<Info>,
    /// An enveloped XML signature is present (whether it verifies is the ingest's business).
    pub has_signature: bool,
}

/// One `sender,identifier,sent` triple of `alert/references`. `sent` is kept as written: it
/// must match the referenced message's text, and feeds disagree on time zone spelling.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Reference {
    pub sender: String,
    pub identifier: String,
    pub sent: String,
}

/// `valueName`/`value` pairs of `eventCode`, `parameter` and `geocode`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedValue {
    pub value_name: String,
    pub value: String,
}

/// One `info` block: the warning in one language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Info {
    /// RFC 3066 language tag; CAP's default is `en-US`.
    pub language: String,
    pub categories: Vec<Category>,
    pub event: String,
    pub response_types: Vec<ResponseType>,
    pub urgency: Urgency,
    pub severity: Severity,
    pub certainty: Certainty,
    /// The Chinese colour level (红/橙/黄/蓝), kept beside CAP severity.
    pub colour: Option<ColourLevel>,
    pub audience: Option<String>,
    pub event_codes: Vec<NamedValue>,
    pub effective: Option<DateTime<FixedOffset>>,
    pub onset: Option<DateTime<FixedOffset>>,
    pub expires: Option<DateTime<FixedOffset>>,
    pub sender_name: Option<String>,
    pub headline: Option<String>,
    pub description: Option<String>,
    pub instruction: Option<String>,
    pub web: Option<String>,
    pub contact: Option<String>,
    pub parameters: Vec<NamedValue>,
    pub resources: Vec<Resource>,
    pub areas: Vec<Area>,
}

/// `info/resource`: a file that goes with the warning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resource {
    pub resource_desc: String,
    pub mime_type: String,
    pub size: Option<u64>,
    pub uri: Option<String>,
    /// Base64 content; kept as received.
    pub deref_uri: Option<String>,
    pub digest: Option<String>,
}

/// A WGS-84 point (CAP writes `lat,lon`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Point {
    pub lat: f64,
    pub lon: f64,
}

/// A closed ring of points (first equals last).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Polygon {
    pub points: Vec<Point>,
}

/// A circle: centre and radius in kilometres.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Circle {
    pub center: Point,
    pub radius_km: f64,
}

/// `info/area`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Area {
    pub area_desc: String,
    pub polygons: Vec<Polygon>,
    pub circles: Vec<Circle>,
    pub geocodes: Vec<NamedValue>,
    pub altitude: Option<f64>,
    pub ceiling: Option<f64>,
}

impl Area {
    /// The 12-digit Chinese administrative codes among the geocodes, recognised by their form
    /// whatever `valueName` the sender used (`CPEAS Geographic Code`, `GB/T 2260`, …).
    pub fn division_codes(&self) -> impl Iterator<Item = &str> {
        self.geocodes.iter().map(|g| g.value.trim()).filter(|v| is_division_code(v))
    }
}

/// A 12-digit administrative division code (GB/T 2260 + township + village digits).
pub fn is_division_code(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit())
}

impl Alert {
    /// The identity CAP gives a message: the same triple is the same message.
    pub fn reference(&self) -> Reference {
        Reference {
            sender: self.sender.clone(),
            identifier: self.identifier.clone(),
            sent: crate::domain::cap::parse::format_cap_time(&self.sent),
        }
    }

    /// The `info` in `lang` (a prefix match: `zh` finds `zh-CN`), else the first one.
    pub fn info_for(&self, lang: &str) -> Option<&Info> {
        let primary = lang.split('-').next().unwrap_or(lang);
        self.infos
            .iter()
            .find(|i| i.language.eq_ignore_ascii_case(lang))
            .or_else(|| {
                self.infos
                    .iter()
                    .find(|i| i.language.split('-').next().is_some_and(|p| p.eq_ignore_ascii_case(primary)))
            })
            .or_else(|| self.infos.first())
    }
}
