//! The city's administrative divisions (city → county → township/street → village/community):
//! the register behind the place picker and the check of a `?code=`. Parsed from the CSV of
//! `app/data` (embedded in the server build only; the browser asks the server for lists).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::geo::DivisionCode;

/// The level of a division, from the CSV's `level` column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DivisionLevel {
    City,
    County,
    Township,
    Village,
}

/// One division of the register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Division {
    pub code: DivisionCode,
    pub name: String,
    pub level: DivisionLevel,
    pub parent: Option<DivisionCode>,
}

/// The register: every division by code, and each division's children in code order.
#[derive(Debug, Clone, Default)]
pub struct Divisions {
    by_code: BTreeMap<DivisionCode, Division>,
}

/// A line of the register that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("divisions line {line}, field {field}: {problem}")]
pub struct DivisionsError {
    pub line: usize,
    pub field: &'static str,
    pub problem: String,
}

impl Divisions {
    /// Reads `code,name,level,parent_code` lines after a header line.
    pub fn parse(csv: &str) -> Result<Divisions, DivisionsError> {
        let mut by_code = BTreeMap::new();
        for (index, line) in csv.lines().enumerate().skip(1) {
            let line_number = index + 1;
            if line.trim().is_empty() {
                continue;
            }
            let error = |field, problem: String| DivisionsError { line: line_number, field, problem };
            let fields: Vec<&str> = line.split(',').map(str::trim).collect();
            let [code, name, level, parent] = fields[..] else {
                return Err(error("line", format!("expected 4 fields, found {}", fields.len())));
            };
            let code = DivisionCode::parse(code)
                .ok_or_else(|| error("code", format!("{code:?} is not a division code")))?;
            if name.is_empty() {
                return Err(error("name", "is empty".into()));
            }
            let level = match level {
                "city" => DivisionLevel::City,
                "county" => DivisionLevel::County,
                "township" => DivisionLevel::Township,
                "village" => DivisionLevel::Village,
                other => {
                    return Err(error("level", format!("{other:?} is not city/county/township/village")));
                }
            };
            let parent = DivisionCode::parse(parent);
            if by_code.insert(code, Division { code, name: name.to_owned(), level, parent }).is_some() {
                return Err(error("code", format!("{} appears twice", code.as_str())));
            }
        }
        Ok(Divisions { by_code })
    }

    pub fn get(&self, code: &DivisionCode) -> Option<&Division> {
        self.by_code.get(code)
    }

    pub fn len(&self) -> usize {
        self.by_code.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_code.is_empty()
    }

    /// The divisions whose parent is `parent`, in code order.
    pub fn children<'a>(&'a self, parent: &'a DivisionCode) -> impl Iterator<Item = &'a Division> + 'a {
        self.by_code.values().filter(move |d| d.parent.as_ref() == Some(parent))
    }

    /// The division and its ancestors up to the city, nearest first.
    pub fn lineage(&self, code: &DivisionCode) -> Vec<&Division> {
        let mut lineage = Vec::new();
        let mut next = self.get(code);
        while let Some(division) = next {
            lineage.push(division);
            next = division.parent.as_ref().and_then(|p| self.get(p));
        }
        lineage
    }

    /// "浮梁县 · 鹅湖镇 · 桃岭村": the division with its county and township, for display.
    pub fn full_name(&self, code: &DivisionCode) -> Option<String> {
        let lineage = self.lineage(code);
        if lineage.is_empty() {
            return None;
        }
        let names: Vec<&str> = lineage
            .iter()
            .rev()
            .filter(|d| d.level != DivisionLevel::City || lineage.len() == 1)
            .map(|d| d.name.as_str())
            .collect();
        Some(names.join(" · "))
    }
}

/// The register of 景德镇市 (782 divisions), read once.
#[cfg(feature = "ssr")]
pub fn jingdezhen() -> &'static Divisions {
    static REGISTER: std::sync::OnceLock<Divisions> = std::sync::OnceLock::new();
    REGISTER.get_or_init(|| {
        #[allow(clippy::expect_used)] // The embedded file is checked by a test.
        Divisions::parse(include_str!("../../data/jingdezhen-divisions.csv"))
            .expect("embedded divisions parse")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(text: &str) -> DivisionCode {
        DivisionCode::parse(text).expect("valid code")
    }

    #[test]
    fn the_embedded_register_has_every_division_of_the_city_linked_to_its_parent() {
        let divisions =
            Divisions::parse(include_str!("../../data/jingdezhen-divisions.csv")).expect("parses");
        assert_eq!(divisions.len(), 782);
        let city = code("360200");
        assert_eq!(divisions.children(&city).count(), 4);
        let counties: Vec<&str> = divisions.children(&city).map(|d| d.name.as_str()).collect();
        assert_eq!(counties, ["昌江区", "珠山区", "浮梁县", "乐平市"]);
        // Every division but the city has a parent in the register.
        for division in divisions.by_code.values().filter(|d| d.level != DivisionLevel::City) {
            let parent = division.parent.expect("has a parent");
            assert!(divisions.get(&parent).is_some(), "{} has no parent {}", division.name, parent.as_str());
            assert!(
                parent.covers(&division.code),
                "{} is not under {}",
                division.code.as_str(),
                parent.as_str()
            );
        }
    }

    #[test]
    fn full_names_read_from_county_down() {
        let divisions =
            Divisions::parse(include_str!("../../data/jingdezhen-divisions.csv")).expect("parses");
        let village =
            divisions.by_code.values().find(|d| d.level == DivisionLevel::Village).expect("a village");
        let name = divisions.full_name(&village.code).expect("named");
        assert_eq!(name.matches(" · ").count(), 2, "{name}");
        assert!(name.ends_with(&village.name));
        assert_eq!(divisions.full_name(&code("360200")).as_deref(), Some("景德镇市"));
        assert_eq!(divisions.full_name(&code("360203")).as_deref(), Some("珠山区"));
    }

    #[test]
    fn bad_lines_are_named_with_line_and_field() {
        let error = Divisions::parse(
            "code,name,level,parent_code\n360200,景德镇市,city,360000\n36020X,坏,county,360200\n",
        )
        .expect_err("refused");
        assert_eq!((error.line, error.field), (3, "code"));
        let error = Divisions::parse("h\n360200,景德镇市,metropolis,360000\n").expect_err("refused");
        assert_eq!((error.line, error.field), (2, "level"));
        let error = Divisions::parse("h\n360200,景德镇市,city\n").expect_err("refused");
        assert_eq!(error.field, "line");
    }
}
