//! Writing the register out: CSV with the import's columns (so an export imports back as it
//! was) and a GeoJSON FeatureCollection, each Feature with its shelter `id`, its columns as
//! properties and its last reported state.

use safejdz_app::domain::shelters::{Shelter, ShelterStatus};
use serde_json::{Map, Value, json};

use super::import::COLUMNS;

/// One shelter's columns, as text, in [`COLUMNS`] order.
fn cells(shelter: &Shelter) -> [String; 20] {
    let join = |keys: Vec<&str>| keys.join(";");
    [
        shelter.id.as_str().to_owned(),
        shelter.name_zh.clone(),
        shelter.name_en.clone().unwrap_or_default(),
        shelter.level.key().to_owned(),
        shelter.space.key().to_owned(),
        shelter.purpose.key().to_owned(),
        shelter.stay.key().to_owned(),
        shelter.capacity.to_string(),
        shelter.area_m2.to_string(),
        join(shelter.facilities.iter().map(|f| f.key()).collect()),
        join(shelter.hazards.iter().map(|h| h.key()).collect()),
        shelter.address_zh.clone(),
        shelter.address_en.clone().unwrap_or_default(),
        shelter.division.as_str().to_owned(),
        shelter.position.lat.to_string(),
        shelter.position.lon.to_string(),
        shelter.contact.clone().unwrap_or_default(),
        shelter.hours.clone(),
        shelter.sample.to_string(),
        shelter.position_source.clone().unwrap_or_default(),
    ]
}

/// A cell a spreadsheet would run as a formula gets a leading `'` (as the audit CSV does).
fn defused(cell: String) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && cell.parse::<f64>().is_err() {
        format!("'{cell}")
    } else {
        cell
    }
}

/// The register as CSV (UTF-8, a header row).
pub fn to_csv(register: &[(Shelter, Option<ShelterStatus>)]) -> Result<String, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(COLUMNS)?;
    for (shelter, _) in register {
        writer.write_record(cells(shelter).map(defused))?;
    }
    let bytes = writer.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// The register as a GeoJSON FeatureCollection (RFC 7946: [lon, lat], WGS-84), with each
/// shelter's last report (`state`, `occupancy`, `status_updated_at`).
pub fn to_geojson(register: &[(Shelter, Option<ShelterStatus>)]) -> Value {
    let features: Vec<Value> = register
        .iter()
        .map(|(shelter, status)| {
            let mut properties = Map::new();
            for (column, cell) in COLUMNS.iter().zip(cells(shelter)) {
                if matches!(*column, "id" | "lat" | "lon") {
                    continue;
                }
                let value = match *column {
                    "capacity" => json!(shelter.capacity),
                    "area_m2" => json!(shelter.area_m2),
                    "sample" => json!(shelter.sample),
                    "facilities" => json!(shelter.facilities.iter().map(|f| f.key()).collect::<Vec<_>>()),
                    "hazards" => json!(shelter.hazards.iter().map(|h| h.key()).collect::<Vec<_>>()),
                    _ if cell.is_empty() => Value::Null,
                    _ => Value::String(cell),
                };
                properties.insert((*column).to_owned(), value);
            }
            properties.insert("state".into(), json!(status.as_ref().map_or("unknown", |s| s.state.key())));
            properties.insert("occupancy".into(), json!(status.as_ref().and_then(|s| s.occupancy)));
            properties.insert(
                "status_updated_at".into(),
                json!(
                    status.as_ref().map(|s| s.updated_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                ),
            );
            json!({
                "type": "Feature",
                "id": shelter.id.as_str(),
                "geometry": { "type": "Point", "coordinates": [shelter.position.lon, shelter.position.lat] },
                "properties": properties,
            })
        })
        .collect();
    json!({ "type": "FeatureCollection", "features": features })
}
