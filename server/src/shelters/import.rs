//! Reading a register file: CSV (a header row naming the columns) or GeoJSON (a
//! FeatureCollection of Points, each Feature with its shelter `id`), the formats of
//! docs/SHELTERS.md. Every problem is reported with where it is (CSV line, or GeoJSON feature),
//! the field and the reason; a file with any problem yields no shelter at all, so nothing of
//! a refused file is stored.

mod row;

use std::collections::{HashMap, HashSet};

use safejdz_app::domain::shelters::Shelter;

use self::row::build;

/// Every column (CSV) and property (GeoJSON), in the order exports write them.
pub const COLUMNS: [&str; 20] = [
    "id",
    "name_zh",
    "name_en",
    "level",
    "space",
    "purpose",
    "stay",
    "capacity",
    "area_m2",
    "facilities",
    "hazards",
    "address_zh",
    "address_en",
    "division",
    "lat",
    "lon",
    "contact",
    "hours",
    "sample",
    "position_source",
];

/// Properties the GeoJSON export adds (each shelter's last report): read-only, passed over on
/// import, so an export imports back.
const REPORT_PROPERTIES: [&str; 3] = ["state", "occupancy", "status_updated_at"];

/// The columns a row cannot do without.
const REQUIRED: [&str; 12] = [
    "id",
    "name_zh",
    "level",
    "space",
    "purpose",
    "stay",
    "capacity",
    "area_m2",
    "address_zh",
    "division",
    "lat",
    "lon",
];

/// Where in the file a problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// The file as a whole (not CSV, not GeoJSON, no header).
    File,
    /// A CSV line, from 1 (the header).
    Line(u64),
    /// A GeoJSON feature, from 1.
    Feature(usize),
}

/// One problem: where, which field, why (a `shelters-*` message id), and the value read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportProblem {
    pub location: Location,
    pub field: String,
    pub message_id: &'static str,
    pub value: String,
}

impl std::fmt::Display for ImportProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.location {
            Location::File => write!(f, "file")?,
            Location::Line(line) => write!(f, "line {line}")?,
            Location::Feature(number) => write!(f, "feature {number}")?,
        }
        if !self.field.is_empty() {
            write!(f, ", field {}", self.field)?;
        }
        let reason =
            safejdz_app::i18n::translate(safejdz_app::domain::preferences::Lang::En, self.message_id);
        write!(f, ": {reason}")?;
        if !self.value.is_empty() {
            write!(f, " ({:?})", self.value.chars().take(80).collect::<String>())?;
        }
        Ok(())
    }
}

/// Reads a register file: GeoJSON when it starts with `{`, else CSV.
pub fn read_register(text: &str) -> Result<Vec<Shelter>, Vec<ImportProblem>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim_start().starts_with('{') { read_geojson(text) } else { read_csv(text) }
}

/// Reads CSV with a header row. Lines are the file's own (a quoted field may span several).
pub fn read_csv(text: &str) -> Result<Vec<Shelter>, Vec<ImportProblem>> {
    let file_problem = |message_id, value: String| {
        vec![ImportProblem { location: Location::File, field: String::new(), message_id, value }]
    };
    let mut reader =
        csv::ReaderBuilder::new().flexible(false).trim(csv::Trim::All).from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(header) => header.iter().map(str::to_owned).collect(),
        Err(e) => return Err(file_problem("shelters-import-unreadable", e.to_string())),
    };
    if header.iter().all(|h| h.is_empty()) {
        return Err(file_problem("shelters-import-empty", String::new()));
    }
    let mut problems = Vec::new();
    for name in &header {
        if !COLUMNS.contains(&name.as_str()) {
            problems.push(ImportProblem {
                location: Location::Line(1),
                field: name.clone(),
                message_id: "shelters-import-unknown-column",
                value: String::new(),
            });
        }
    }
    for required in REQUIRED {
        if !header.iter().any(|h| h == required) {
            problems.push(ImportProblem {
                location: Location::Line(1),
                field: required.to_owned(),
                message_id: "shelters-import-missing-column",
                value: String::new(),
            });
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        match record {
            Ok(record) => {
                let line = record.position().map_or(0, |p| p.line());
                let fields =
                    header.iter().map(String::as_str).zip(record.iter().map(str::to_owned)).collect();
                rows.push((Location::Line(line), fields));
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                problems.push(ImportProblem {
                    location: Location::Line(line),
                    field: String::new(),
                    message_id: "shelters-import-unreadable",
                    value: e.to_string(),
                });
            }
        }
    }
    build_all(rows, problems)
}

/// Reads a GeoJSON FeatureCollection of Points; each Feature's `id` (or its `id` property) is
/// the shelter's, the other properties are the CSV's columns (lists as arrays or `;` text).
pub fn read_geojson(text: &str) -> Result<Vec<Shelter>, Vec<ImportProblem>> {
    let file_problem = |message_id, value: String| {
        vec![ImportProblem { location: Location::File, field: String::new(), message_id, value }]
    };
    let document: serde_json::Value = match serde_json::from_str(text) {
        Ok(value) => value,
        Err(e) => return Err(file_problem("shelters-import-unreadable", e.to_string())),
    };
    let Some(features) = document
        .get("type")
        .filter(|t| *t == "FeatureCollection")
        .and_then(|_| document.get("features"))
        .and_then(|f| f.as_array())
    else {
        return Err(file_problem("shelters-import-not-geojson", String::new()));
    };
    let mut problems = Vec::new();
    let mut rows = Vec::new();
    for (index, feature) in features.iter().enumerate() {
        let location = Location::Feature(index + 1);
        let mut fields: HashMap<&str, String> = HashMap::new();
        let properties = feature.get("properties").and_then(|p| p.as_object());
        for (name, value) in properties.into_iter().flatten() {
            if REPORT_PROPERTIES.contains(&name.as_str()) {
                continue;
            }
            let Some(column) = COLUMNS.iter().find(|c| *c == name) else {
                problems.push(ImportProblem {
                    location: location.clone(),
                    field: name.clone(),
                    message_id: "shelters-import-unknown-column",
                    value: String::new(),
                });
                continue;
            };
            fields.insert(column, text_of(value));
        }
        if let Some(id) = feature.get("id") {
            fields.insert("id", text_of(id));
        }
        let geometry = feature.get("geometry");
        let coordinates = geometry
            .filter(|g| g.get("type").is_some_and(|t| t == "Point"))
            .and_then(|g| g.get("coordinates"))
            .and_then(|c| c.as_array())
            .filter(|c| c.len() >= 2);
        match coordinates {
            // GeoJSON is [lon, lat] (RFC 7946), WGS-84.
            Some(c) => {
                fields.insert("lon", text_of(&c[0]));
                fields.insert("lat", text_of(&c[1]));
            }
            None => problems.push(ImportProblem {
                location: location.clone(),
                field: "geometry".into(),
                message_id: "shelters-import-not-point",
                value: String::new(),
            }),
        }
        rows.push((location, fields));
    }
    build_all(rows, problems)
}

/// A JSON value as the text a CSV cell would hold.
fn text_of(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text.trim().to_owned(),
        serde_json::Value::Null => String::new(),
        serde_json::Value::Array(items) => items.iter().map(text_of).collect::<Vec<_>>().join(";"),
        other => other.to_string(),
    }
}

/// Builds every row; the shelters only when no row (and nothing before) had a problem.
fn build_all(
    rows: Vec<(Location, HashMap<&str, String>)>,
    mut problems: Vec<ImportProblem>,
) -> Result<Vec<Shelter>, Vec<ImportProblem>> {
    let mut shelters = Vec::new();
    let mut seen = HashSet::new();
    for (location, fields) in rows {
        match build(&fields) {
            Ok(shelter) if !seen.insert(shelter.id.clone()) => problems.push(ImportProblem {
                location,
                field: "id".into(),
                message_id: "shelters-import-duplicate-id",
                value: shelter.id.as_str().to_owned(),
            }),
            Ok(shelter) => shelters.push(shelter),
            Err(found) => problems.extend(found.into_iter().map(|(field, message_id, value)| {
                ImportProblem { location: location.clone(), field: field.to_owned(), message_id, value }
            })),
        }
    }
    if problems.is_empty() { Ok(shelters) } else { Err(problems) }
}
