//! The hazards of this city, as warnings, shelters and the learning library name them: one key
//! each (`flood`, `gas-kiln`, ...), its CAP event words in Chinese and English, its CAP category.

use serde::{Deserialize, Serialize};

/// The hazards of this city (the emergency plan's list), floods and waterlogging first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Hazard {
    Rainstorm,
    Flood,
    Waterlogging,
    Landslide,
    ForestFire,
    /// A fire in a building (a school, a home): drills and articles; CAP feeds rarely carry it.
    Fire,
    Earthquake,
    HazardousChemicals,
    GasKiln,
    RoadIcing,
    ColdWave,
    Heat,
    Drought,
    Hail,
    Thunderstorm,
    Gale,
    Other,
}

impl Hazard {
    /// Floods and waterlogging first: the city's most frequent.
    pub const ALL: [Hazard; 17] = [
        Hazard::Rainstorm,
        Hazard::Flood,
        Hazard::Waterlogging,
        Hazard::Landslide,
        Hazard::ForestFire,
        Hazard::Fire,
        Hazard::Earthquake,
        Hazard::HazardousChemicals,
        Hazard::GasKiln,
        Hazard::RoadIcing,
        Hazard::ColdWave,
        Hazard::Heat,
        Hazard::Drought,
        Hazard::Hail,
        Hazard::Thunderstorm,
        Hazard::Gale,
        Hazard::Other,
    ];

    /// The form's value.
    pub fn key(self) -> &'static str {
        match self {
            Hazard::Rainstorm => "rainstorm",
            Hazard::Flood => "flood",
            Hazard::Waterlogging => "waterlogging",
            Hazard::Landslide => "landslide",
            Hazard::ForestFire => "forest-fire",
            Hazard::Fire => "fire",
            Hazard::Earthquake => "earthquake",
            Hazard::HazardousChemicals => "hazardous-chemicals",
            Hazard::GasKiln => "gas-kiln",
            Hazard::RoadIcing => "road-icing",
            Hazard::ColdWave => "cold-wave",
            Hazard::Heat => "heat",
            Hazard::Drought => "drought",
            Hazard::Hail => "hail",
            Hazard::Thunderstorm => "thunderstorm",
            Hazard::Gale => "gale",
            Hazard::Other => "other",
        }
    }

    pub fn from_key(key: &str) -> Option<Hazard> {
        Hazard::ALL.into_iter().find(|hazard| hazard.key() == key)
    }

    /// `info/event` in Chinese, as the city's warnings name it.
    /// The hazard a CAP `info/event` names ("暴雨", "Rainstorm", "暴雨橙色预警"), if one.
    pub fn of_event(event: &str) -> Option<Hazard> {
        let lower = event.to_lowercase();
        Hazard::ALL.into_iter().filter(|h| *h != Hazard::Other).find(|hazard| {
            event.contains(hazard.event_zh()) || lower.contains(&hazard.event_en().to_lowercase())
        })
    }

    pub fn event_zh(self) -> &'static str {
        match self {
            Hazard::Rainstorm => "暴雨",
            Hazard::Flood => "洪水",
            Hazard::Waterlogging => "城市内涝",
            Hazard::Landslide => "地质灾害",
            Hazard::ForestFire => "森林火险",
            // Not "火灾": "森林火灾" would name it.
            Hazard::Fire => "建筑火灾",
            Hazard::Earthquake => "地震",
            Hazard::HazardousChemicals => "危险化学品",
            Hazard::GasKiln => "燃气梭式窑",
            Hazard::RoadIcing => "道路结冰",
            Hazard::ColdWave => "寒潮",
            Hazard::Heat => "高温",
            Hazard::Drought => "干旱",
            Hazard::Hail => "冰雹",
            Hazard::Thunderstorm => "雷电",
            Hazard::Gale => "大风",
            Hazard::Other => "其他",
        }
    }

    /// `info/event` in English.
    pub fn event_en(self) -> &'static str {
        match self {
            Hazard::Rainstorm => "Rainstorm",
            Hazard::Flood => "Flood",
            Hazard::Waterlogging => "Urban waterlogging",
            Hazard::Landslide => "Landslide (geological hazard)",
            Hazard::ForestFire => "Forest fire danger",
            Hazard::Fire => "Building fire",
            Hazard::Earthquake => "Earthquake",
            Hazard::HazardousChemicals => "Hazardous chemicals",
            Hazard::GasKiln => "Gas-fired shuttle kiln",
            Hazard::RoadIcing => "Road icing",
            Hazard::ColdWave => "Cold wave",
            Hazard::Heat => "Heat",
            Hazard::Drought => "Drought",
            Hazard::Hail => "Hail",
            Hazard::Thunderstorm => "Thunderstorm and lightning",
            Hazard::Gale => "Gale",
            Hazard::Other => "Other",
        }
    }

    /// CAP's `info/category` (CAP has no hydrological category: floods are `Met`, as national
    /// weather services file them).
    pub fn category(self) -> &'static str {
        match self {
            Hazard::Landslide | Hazard::Earthquake => "Geo",
            Hazard::ForestFire | Hazard::Fire => "Fire",
            Hazard::HazardousChemicals => "CBRNE",
            Hazard::GasKiln => "Safety",
            Hazard::Other => "Other",
            _ => "Met",
        }
    }
}
