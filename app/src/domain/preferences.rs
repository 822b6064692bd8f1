//! A resident's display preferences (language, elderly mode, contrast) and how they travel in a
//! cookie, so that the server renders the page exactly as the browser will hydrate it.

use serde::{Deserialize, Serialize};

/// Name of the cookie that carries [`Preferences`]. It holds no personal data.
pub const PREFERENCES_COOKIE: &str = "sjdz_prefs";

/// A language the UI is translated into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
pub enum Lang {
    /// Simplified Chinese, the city's language and the default.
    #[default]
    #[serde(rename = "zh-CN")]
    ZhCn,
    /// English, for residents and visitors who read no Chinese.
    #[serde(rename = "en")]
    En,
}

impl Lang {
    /// Every UI language, default first.
    pub const ALL: [Lang; 2] = [Lang::ZhCn, Lang::En];

    /// The BCP 47 tag written to `<html lang>` and used to name `locales/<tag>/`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::ZhCn => "zh-CN",
            Lang::En => "en",
        }
    }

    /// Reads a tag as written by [`Lang::tag`]; case-insensitive, `zh` alone means zh-CN.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let tag = tag.trim();
        if tag.eq_ignore_ascii_case("zh-CN") || tag.eq_ignore_ascii_case("zh") {
            Some(Lang::ZhCn)
        } else if tag.eq_ignore_ascii_case("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// Picks the first supported language from an `Accept-Language` header, honouring q-values.
    ///
    /// Any `zh` variant written in simplified script or used in mainland China maps to zh-CN;
    /// traditional-script Chinese (`zh-TW`, `zh-HK`, `zh-Hant`) is still closer to zh-CN than to
    /// English for a reader, so it maps to zh-CN too. Any `en-*` maps to en.
    pub fn negotiate(accept_language: &str) -> Option<Lang> {
        let mut ranges: Vec<(f32, usize, &str)> = accept_language
            .split(',')
            .enumerate()
            .filter_map(|(position, part)| {
                let mut pieces = part.split(';');
                let range = pieces.next()?.trim();
                let quality = pieces
                    .filter_map(|p| p.trim().strip_prefix("q="))
                    .find_map(|q| q.trim().parse::<f32>().ok())
                    .unwrap_or(1.0);
                (!range.is_empty() && quality > 0.0).then_some((quality, position, range))
            })
            .collect();
        // Highest quality first; ties keep the order the browser sent.
        ranges.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        ranges.into_iter().find_map(|(_, _, range)| {
            let primary = range.split(['-', '_']).next().unwrap_or("");
            if primary.eq_ignore_ascii_case("zh") {
                Some(Lang::ZhCn)
            } else if primary.eq_ignore_ascii_case("en") {
                Some(Lang::En)
            } else {
                None
            }
        })
    }
}

/// Text size: the elderly mode makes text and touch targets larger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TextSize {
    #[default]
    Standard,
    /// 长辈模式 / elderly mode.
    Large,
}

/// Colour contrast of the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Contrast {
    #[default]
    Standard,
    High,
}

/// What a resident chose in Settings; the server renders with it, the browser hydrates with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Preferences {
    pub lang: Lang,
    pub text_size: TextSize,
    pub contrast: Contrast,
    /// Sound a tone when a new warning for the resident's places arrives on an open page.
    pub alert_sound: bool,
    /// Vibrate (phones that can) when a new warning for the resident's places arrives.
    pub alert_vibrate: bool,
}

impl Preferences {
    /// Decides the preferences of a request: the cookie wins; without a language in it the
    /// browser's `Accept-Language` decides; else zh-CN.
    pub fn for_request(cookie_value: Option<&str>, accept_language: Option<&str>) -> Self {
        let chosen = cookie_value.map(ChosenPreferences::parse).unwrap_or_default();
        let lang = chosen.lang.or_else(|| accept_language.and_then(Lang::negotiate)).unwrap_or_default();
        Preferences {
            lang,
            text_size: chosen.text_size.unwrap_or_default(),
            contrast: chosen.contrast.unwrap_or_default(),
            alert_sound: chosen.alert_sound.unwrap_or_default(),
            alert_vibrate: chosen.alert_vibrate.unwrap_or_default(),
        }
    }

    /// The preferences of a request, from its `Cookie` and `Accept-Language` headers.
    pub fn from_headers(cookie_header: Option<&str>, accept_language: Option<&str>) -> Self {
        Preferences::for_request(
            cookie_header.and_then(|c| cookie_value(c, PREFERENCES_COOKIE)),
            accept_language,
        )
    }

    /// Preferences from the settings form; `None` when the language is not one we support.
    pub fn from_form(lang: &str, elderly: bool, high_contrast: bool, signals: AlertSignals) -> Option<Self> {
        Some(Preferences {
            lang: Lang::from_tag(lang)?,
            text_size: if elderly { TextSize::Large } else { TextSize::Standard },
            contrast: if high_contrast { Contrast::High } else { Contrast::Standard },
            alert_sound: signals.sound,
            alert_vibrate: signals.vibrate,
        })
    }

    /// The cookie value, e.g. `lang=en&text=large&contrast=high&sound=on&vibrate=off`. Only
    /// cookie-safe characters.
    pub fn to_cookie_value(self) -> String {
        let text = match self.text_size {
            TextSize::Standard => "standard",
            TextSize::Large => "large",
        };
        let contrast = match self.contrast {
            Contrast::Standard => "standard",
            Contrast::High => "high",
        };
        let on_off = |on: bool| if on { "on" } else { "off" };
        format!(
            "lang={}&text={text}&contrast={contrast}&sound={}&vibrate={}",
            self.lang.tag(),
            on_off(self.alert_sound),
            on_off(self.alert_vibrate)
        )
    }

    /// The classes of `<html>` that carry these preferences: the stylesheet keys off the first
    /// two, and the browser reads all of them back at hydration.
    pub fn html_class(self) -> String {
        [
            (self.text_size == TextSize::Large, "text-large"),
            (self.contrast == Contrast::High, "contrast-high"),
            (self.alert_sound, "alert-sound"),
            (self.alert_vibrate, "alert-vibrate"),
        ]
        .iter()
        .filter(|(on, _)| *on)
        .map(|(_, class)| *class)
        .collect::<Vec<_>>()
        .join(" ")
    }

    /// Reads back what [`Preferences::html_class`] wrote (used by the browser at hydration).
    pub fn from_html(lang: &str, class: &str) -> Self {
        let has = |name: &str| class.split_whitespace().any(|c| c == name);
        Preferences {
            lang: Lang::from_tag(lang).unwrap_or_default(),
            text_size: if has("text-large") { TextSize::Large } else { TextSize::Standard },
            contrast: if has("contrast-high") { Contrast::High } else { Contrast::Standard },
            alert_sound: has("alert-sound"),
            alert_vibrate: has("alert-vibrate"),
        }
    }
}

/// How a new warning announces itself on an open page, besides the banner (Settings).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AlertSignals {
    pub sound: bool,
    pub vibrate: bool,
}

/// The parts of a preferences cookie that were present and understood. Unknown parts and values
/// are ignored rather than rejected: a stale cookie must never break the page.
#[derive(Debug, Default, PartialEq, Eq)]
struct ChosenPreferences {
    lang: Option<Lang>,
    text_size: Option<TextSize>,
    contrast: Option<Contrast>,
    alert_sound: Option<bool>,
    alert_vibrate: Option<bool>,
}

impl ChosenPreferences {
    fn parse(value: &str) -> Self {
        let mut chosen = ChosenPreferences::default();
        for pair in value.split('&') {
            match pair.split_once('=') {
                Some(("lang", tag)) => chosen.lang = Lang::from_tag(tag),
                Some(("text", "standard")) => chosen.text_size = Some(TextSize::Standard),
                Some(("text", "large")) => chosen.text_size = Some(TextSize::Large),
                Some(("contrast", "standard")) => chosen.contrast = Some(Contrast::Standard),
                Some(("contrast", "high")) => chosen.contrast = Some(Contrast::High),
                Some(("sound", value)) => chosen.alert_sound = on_off(value),
                Some(("vibrate", value)) => chosen.alert_vibrate = on_off(value),
                _ => {}
            }
        }
        chosen
    }
}

fn on_off(value: &str) -> Option<bool> {
    match value {
        "on" => Some(true),
        "off" => Some(false),
        _ => None,
    }
}

/// Finds a cookie's value in a `Cookie` request header.
pub fn cookie_value<'h>(cookie_header: &'h str, name: &str) -> Option<&'h str> {
    cookie_header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.trim_matches('"'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("en-US,en;q=0.9,zh-CN;q=0.8", Some(Lang::En))]
    #[case("zh-CN,zh;q=0.9,en;q=0.8", Some(Lang::ZhCn))]
    #[case("fr-FR,en;q=0.5,zh;q=0.7", Some(Lang::ZhCn))]
    #[case("fr-FR, de;q=0.9", None)]
    #[case("en;q=0, zh-TW", Some(Lang::ZhCn))]
    #[case("", None)]
    #[case("zh-Hans-CN", Some(Lang::ZhCn))]
    #[case("de, en-GB;q=0.3, zh-CN;q=0.3", Some(Lang::En))]
    fn accept_language_picks_the_best_supported_language(
        #[case] header: &str,
        #[case] expected: Option<Lang>,
    ) {
        assert_eq!(Lang::negotiate(header), expected);
    }

    #[test]
    fn cookie_choice_wins_over_accept_language() {
        let prefs = Preferences::for_request(Some("lang=zh-CN"), Some("en-US"));
        assert_eq!(prefs.lang, Lang::ZhCn);
    }

    #[test]
    fn accept_language_decides_when_the_cookie_names_no_language() {
        let prefs = Preferences::for_request(Some("text=large"), Some("en-US"));
        assert_eq!(prefs.lang, Lang::En);
        assert_eq!(prefs.text_size, TextSize::Large);
    }

    #[test]
    fn nothing_known_means_chinese_standard_display() {
        assert_eq!(Preferences::for_request(None, None), Preferences::default());
        assert_eq!(Preferences::default().lang, Lang::ZhCn);
    }

    #[test]
    fn garbage_cookie_is_ignored_not_an_error() {
        let prefs = Preferences::for_request(Some("lang=xx&text=huge&&=&contrast"), Some("en"));
        assert_eq!(prefs, Preferences { lang: Lang::En, ..Preferences::default() });
    }

    #[rstest]
    #[case(Preferences { lang: Lang::En, text_size: TextSize::Large, contrast: Contrast::High, alert_sound: true, alert_vibrate: false })]
    #[case(Preferences { lang: Lang::ZhCn, text_size: TextSize::Standard, contrast: Contrast::High, alert_sound: false, alert_vibrate: true })]
    #[case(Preferences::default())]
    fn preferences_survive_the_cookie_and_the_html_element(#[case] prefs: Preferences) {
        let cookie = prefs.to_cookie_value();
        assert!(cookie.chars().all(|c| c.is_ascii_alphanumeric() || "=&-".contains(c)));
        assert_eq!(Preferences::for_request(Some(&cookie), Some("fr")), prefs);
        assert_eq!(Preferences::from_html(prefs.lang.tag(), &prefs.html_class()), prefs);
    }

    #[test]
    fn settings_form_rejects_an_unsupported_language() {
        assert_eq!(Preferences::from_form("fr", true, false, AlertSignals::default()), None);
        let prefs = Preferences::from_form("en", true, false, AlertSignals { sound: true, vibrate: false })
            .expect("en is supported");
        assert_eq!(
            (prefs.lang, prefs.text_size, prefs.contrast),
            (Lang::En, TextSize::Large, Contrast::Standard)
        );
        assert!(prefs.alert_sound && !prefs.alert_vibrate);
    }

    #[test]
    fn a_cookie_from_before_the_alert_signals_leaves_them_off() {
        let prefs = Preferences::for_request(Some("lang=en&text=large&contrast=standard"), None);
        assert!(!prefs.alert_sound && !prefs.alert_vibrate);
        assert_eq!(prefs.html_class(), "text-large");
    }

    #[test]
    fn cookie_value_finds_the_named_cookie_among_others() {
        let header = "a=1; sjdz_prefs=lang=en&text=large; b=2";
        assert_eq!(cookie_value(header, PREFERENCES_COOKIE), Some("lang=en&text=large"));
        assert_eq!(cookie_value(header, "missing"), None);
    }
}
