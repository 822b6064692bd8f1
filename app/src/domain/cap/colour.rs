//! The four colour levels of Chinese warnings (GB/T 35965.1): 红 red, 橙 orange, 黄 yellow,
//! 蓝 blue, found wherever senders put them, and their mapping to CAP severity.

use serde::{Deserialize, Serialize};

use super::Severity;

/// A warning's colour level, most serious first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ColourLevel {
    Red,
    Orange,
    Yellow,
    Blue,
}

impl ColourLevel {
    /// All levels, most serious first.
    pub const ALL: [ColourLevel; 4] =
        [ColourLevel::Red, ColourLevel::Orange, ColourLevel::Yellow, ColourLevel::Blue];

    /// The stable name used in the API and CSS: `red`, `orange`, `yellow`, `blue`.
    pub fn as_str(self) -> &'static str {
        match self {
            ColourLevel::Red => "red",
            ColourLevel::Orange => "orange",
            ColourLevel::Yellow => "yellow",
            ColourLevel::Blue => "blue",
        }
    }

    fn chinese(self) -> char {
        match self {
            ColourLevel::Red => '红',
            ColourLevel::Orange => '橙',
            ColourLevel::Yellow => '黄',
            ColourLevel::Blue => '蓝',
        }
    }

    /// A colour given as a whole value: `红`, `红色`, `红色预警`, `Red`, `red`, `Ⅰ级`/`I`…
    /// (the national scale: Ⅰ red … Ⅳ blue), or a MeteoAlarm-style `3; orange; Severe`.
    pub fn from_value(text: &str) -> Option<ColourLevel> {
        let text = text.trim();
        if let Some(level) = ColourLevel::ALL.into_iter().find(|l| {
            let c = l.chinese();
            text == c.to_string() || text == format!("{c}色") || text == format!("{c}色预警")
        }) {
            return Some(level);
        }
        let by_roman = match text.trim_end_matches('级') {
            "Ⅰ" | "I" | "1" => Some(ColourLevel::Red),
            "Ⅱ" | "II" | "2" => Some(ColourLevel::Orange),
            "Ⅲ" | "III" | "3" => Some(ColourLevel::Yellow),
            "Ⅳ" | "IV" | "4" => Some(ColourLevel::Blue),
            _ => None,
        };
        if by_roman.is_some() && text.ends_with('级') {
            return by_roman;
        }
        text.split([';', ' ', ',']).map(str::trim).find_map(|word| match word.to_ascii_lowercase().as_str() {
            "red" => Some(ColourLevel::Red),
            "orange" => Some(ColourLevel::Orange),
            "yellow" => Some(ColourLevel::Yellow),
            "blue" => Some(ColourLevel::Blue),
            _ => None,
        })
    }

    /// A colour named inside running text, as Chinese headlines do: `暴雨橙色预警`.
    /// Requires `色预警` after the colour so that e.g. 黄山 or 黄河 are not read as yellow.
    pub fn from_headline(text: &str) -> Option<ColourLevel> {
        ColourLevel::ALL.into_iter().find(|l| text.contains(&format!("{}色预警", l.chinese())))
    }
}

/// How colour levels map to CAP severity when a sender gives only the colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ColourMapping {
    pub red: Severity,
    pub orange: Severity,
    pub yellow: Severity,
    pub blue: Severity,
}

impl Default for ColourMapping {
    /// 红→Extreme, 橙→Severe, 黄→Moderate, 蓝→Minor.
    fn default() -> Self {
        ColourMapping {
            red: Severity::Extreme,
            orange: Severity::Severe,
            yellow: Severity::Moderate,
            blue: Severity::Minor,
        }
    }
}

impl ColourMapping {
    /// The CAP severity of `level`.
    pub fn severity(&self, level: ColourLevel) -> Severity {
        match level {
            ColourLevel::Red => self.red,
            ColourLevel::Orange => self.orange,
            ColourLevel::Yellow => self.yellow,
            ColourLevel::Blue => self.blue,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("红色", Some(ColourLevel::Red))]
    #[case(" 橙 ", Some(ColourLevel::Orange))]
    #[case("黄色预警", Some(ColourLevel::Yellow))]
    #[case("Blue", Some(ColourLevel::Blue))]
    #[case("2; yellow; Moderate", Some(ColourLevel::Yellow))]
    #[case("Ⅱ级", Some(ColourLevel::Orange))]
    #[case("IV级", Some(ColourLevel::Blue))]
    #[case("Severe", None)]
    #[case("黄山", None)]
    #[case("3", None)]
    fn colour_values_are_recognised(#[case] text: &str, #[case] expected: Option<ColourLevel>) {
        assert_eq!(ColourLevel::from_value(text), expected);
    }

    #[rstest]
    #[case("景德镇市气象台发布暴雨橙色预警", Some(ColourLevel::Orange))]
    #[case("浮梁县地质灾害气象风险黄色预警", Some(ColourLevel::Yellow))]
    #[case("黄河水位上涨", None)]
    #[case("Heavy rain warning", None)]
    fn colours_in_headlines_need_the_word_warning(#[case] text: &str, #[case] expected: Option<ColourLevel>) {
        assert_eq!(ColourLevel::from_headline(text), expected);
    }

    #[test]
    fn default_mapping_follows_the_national_scale() {
        let mapping = ColourMapping::default();
        let severities: Vec<_> = ColourLevel::ALL.into_iter().map(|l| mapping.severity(l)).collect();
        assert_eq!(severities, [Severity::Extreme, Severity::Severe, Severity::Moderate, Severity::Minor]);
    }
}
