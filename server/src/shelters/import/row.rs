//! One row of a register file (CSV line or GeoJSON feature, as text by column) built into a
//! shelter, with every problem of the row: a required value missing, a value not of its kind,
//! a key not among the allowed ones, a division not in the city's register, and the domain's
//! own checks (`Shelter::problems`).

use std::collections::HashMap;

use safejdz_app::domain::{
    cap::Point,
    divisions::jingdezhen,
    geo::DivisionCode,
    hazards::Hazard,
    shelters::{Facility, Purpose, Shelter, ShelterId, ShelterLevel, SpaceType, Stay},
};

use super::REQUIRED;

/// A row's problems: the field, a message id, the value read.
pub type FieldProblems = Vec<(&'static str, &'static str, String)>;

/// One shelter from its fields by column name, or every problem found.
pub fn build(fields: &HashMap<&str, String>) -> Result<Shelter, FieldProblems> {
    let mut problems: FieldProblems = Vec::new();
    let text = |name: &str| fields.get(name).map(|v| v.trim()).unwrap_or_default();
    let optional = |name: &str| Some(text(name).to_owned()).filter(|v| !v.is_empty());
    let read = |name: &'static str, problems: &mut FieldProblems| -> Option<String> {
        let value = text(name);
        if value.is_empty() && REQUIRED.contains(&name) {
            problems.push((name, "shelters-error-required", String::new()));
            return None;
        }
        Some(value.to_owned())
    };
    let keyed = |name: &'static str, problems: &mut FieldProblems, known: bool| {
        if !known && !text(name).is_empty() {
            problems.push((name, "shelters-import-unknown-value", text(name).to_owned()));
        }
    };

    let id = read("id", &mut problems).and_then(|v| {
        let id = ShelterId::parse(&v);
        if id.is_none() {
            problems.push(("id", "shelters-import-bad-id", v));
        }
        id
    });
    let name_zh = read("name_zh", &mut problems).unwrap_or_default();
    let address_zh = read("address_zh", &mut problems).unwrap_or_default();
    let level = read("level", &mut problems).as_deref().and_then(ShelterLevel::from_key);
    keyed("level", &mut problems, level.is_some());
    let space = read("space", &mut problems).as_deref().and_then(SpaceType::from_key);
    keyed("space", &mut problems, space.is_some());
    let purpose = read("purpose", &mut problems).as_deref().and_then(Purpose::from_key);
    keyed("purpose", &mut problems, purpose.is_some());
    let stay = read("stay", &mut problems).as_deref().and_then(Stay::from_key);
    keyed("stay", &mut problems, stay.is_some());
    let whole = |name: &'static str, problems: &mut FieldProblems| -> Option<u32> {
        let value = text(name);
        if value.is_empty() {
            return None;
        }
        let number = value.parse::<u32>().ok();
        if number.is_none() {
            problems.push((name, "shelters-import-not-whole-number", value.to_owned()));
        }
        number
    };
    let capacity = whole("capacity", &mut problems);
    let area_m2 = whole("area_m2", &mut problems);
    if text("capacity").is_empty() {
        problems.push(("capacity", "shelters-error-required", String::new()));
    }
    if text("area_m2").is_empty() {
        problems.push(("area_m2", "shelters-error-required", String::new()));
    }
    let mut facilities = list(text("facilities"), Facility::from_key, "facilities", &mut problems);
    let mut hazards = list(text("hazards"), Hazard::from_key, "hazards", &mut problems);
    facilities.sort();
    facilities.dedup();
    hazards.sort();
    hazards.dedup();
    let division = read("division", &mut problems).and_then(|v| {
        let code = DivisionCode::parse(&v).filter(|code| jingdezhen().get(code).is_some());
        if code.is_none() {
            problems.push(("division", "shelters-error-division", v));
        }
        code
    });
    let degrees = |name: &'static str, problems: &mut FieldProblems| -> Option<f64> {
        let value = text(name);
        if value.is_empty() {
            problems.push((name, "shelters-error-required", String::new()));
            return None;
        }
        let number = value.parse::<f64>().ok().filter(|n| n.is_finite());
        if number.is_none() {
            problems.push((name, "shelters-import-not-a-number", value.to_owned()));
        }
        number
    };
    let lat = degrees("lat", &mut problems);
    let lon = degrees("lon", &mut problems);
    let sample = match text("sample").to_lowercase().as_str() {
        "" | "false" | "no" | "0" | "否" => false,
        "true" | "yes" | "1" | "是" => true,
        other => {
            problems.push(("sample", "shelters-import-not-yes-no", other.to_owned()));
            false
        }
    };

    let (Some(id), Some(level), Some(space), Some(purpose), Some(stay)) = (id, level, space, purpose, stay)
    else {
        return Err(problems);
    };
    let (Some(capacity), Some(area_m2), Some(division), Some(lat), Some(lon)) =
        (capacity, area_m2, division, lat, lon)
    else {
        return Err(problems);
    };
    let shelter = Shelter {
        id,
        name_zh,
        name_en: optional("name_en"),
        level,
        space,
        purpose,
        stay,
        capacity,
        area_m2,
        facilities,
        hazards,
        address_zh,
        address_en: optional("address_en"),
        division,
        position: Point { lat, lon },
        contact: optional("contact"),
        hours: text("hours").to_owned(),
        sample,
        position_source: optional("position_source"),
    };
    problems.extend(shelter.problems().into_iter().map(|p| (p.field, p.message_id, String::new())));
    if problems.is_empty() { Ok(shelter) } else { Err(problems) }
}

/// A `;`-separated list of keys.
fn list<T>(
    text: &str,
    read: fn(&str) -> Option<T>,
    field: &'static str,
    problems: &mut FieldProblems,
) -> Vec<T> {
    text.split(';')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .filter_map(|item| {
            let value = read(item);
            if value.is_none() {
                problems.push((field, "shelters-import-unknown-value", item.to_owned()));
            }
            value
        })
        .collect()
}
