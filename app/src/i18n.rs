//! Every UI string comes from fluent files, one per feature, under `locales/<lang>/`.
//!
//! Server only in effect: pages render on the server, and islands receive their strings already
//! translated, so nothing here is reachable from the WebAssembly bundle (the site build checks
//! that no message of `locales/` ends up in it). All locales are embedded and parsed once per
//! process; each lookup uses the language view of the current request, never a global "current
//! language", because one server renders for many residents at once.

use std::{borrow::Cow, collections::HashMap, sync::OnceLock};

pub use fluent::FluentValue;
use i18n_embed::{I18nAssets, LanguageLoader, fluent::FluentLanguageLoader};
use leptos::prelude::*;
use rust_embed::RustEmbed;
use unic_langid::LanguageIdentifier;

use crate::domain::preferences::{Lang, Preferences};

#[derive(RustEmbed)]
#[folder = "../locales"]
struct LocaleFiles;

/// Lets one language consist of several `.ftl` files (one per feature): i18n-embed asks for
/// `<lang>/<domain>.ftl`; we answer with every file of `<lang>/` joined into one resource, so
/// that terms such as `-app-name` defined in one file can be used in the others.
struct FeatureFiles;

const DOMAIN: &str = "safejdz";

impl I18nAssets for FeatureFiles {
    fn get_files(&self, file_path: &str) -> Vec<Cow<'_, [u8]>> {
        let Some((lang_dir, _)) = file_path.split_once('/') else {
            return Vec::new();
        };
        let mut names: Vec<_> = LocaleFiles::iter()
            .filter(|name| name.split_once('/').is_some_and(|(dir, _)| dir == lang_dir))
            .collect();
        if names.is_empty() {
            return Vec::new();
        }
        names.sort();
        let mut joined = Vec::new();
        for file in names.iter().filter_map(|name| LocaleFiles::get(name)) {
            joined.extend_from_slice(&file.data);
            joined.push(b'\n');
        }
        vec![Cow::Owned(joined)]
    }

    fn filenames_iter(&self) -> Box<dyn Iterator<Item = String>> {
        Box::new(
            LocaleFiles::iter()
                .filter_map(|name| name.split_once('/').map(|(dir, _)| format!("{dir}/{DOMAIN}.ftl"))),
        )
    }
}

fn language_id(lang: Lang) -> LanguageIdentifier {
    lang.tag().parse().unwrap_or_default()
}

/// One loader view per language, built on first use.
fn loaders() -> &'static [(Lang, FluentLanguageLoader)] {
    static LOADERS: OnceLock<Vec<(Lang, FluentLanguageLoader)>> = OnceLock::new();
    LOADERS.get_or_init(|| {
        let all = FluentLanguageLoader::new(DOMAIN, language_id(Lang::default()));
        let ids: Vec<_> = Lang::ALL.into_iter().map(language_id).collect();
        if let Err(error) = all.load_languages(&FeatureFiles, &ids) {
            // Only a broken build gets here (the files are embedded); the page then shows ids.
            leptos::logging::error!("loading translations failed: {error}");
        }
        // Bidi isolation marks would end up inside HTML attributes and test selectors.
        all.set_use_isolating(false);
        Lang::ALL.into_iter().map(|lang| (lang, all.select_languages(&[language_id(lang)]))).collect()
    })
}

fn loader(lang: Lang) -> &'static FluentLanguageLoader {
    let loaders = loaders();
    loaders.iter().find(|(l, _)| *l == lang).map_or(&loaders[0].1, |(_, loader)| loader)
}

/// The message `key` in `lang`.
pub fn translate(lang: Lang, key: &str) -> String {
    loader(lang).get(key)
}

/// The message `key` in `lang` with fluent arguments.
pub fn translate_with(lang: Lang, key: &str, args: &[(&'static str, FluentValue<'static>)]) -> String {
    let args: HashMap<&str, FluentValue<'_>> = args.iter().cloned().collect();
    loader(lang).get_args_concrete(key, args)
}

/// A template translated on the server with its placeholders left in (`{n}`), filled where the
/// value is known: an island's words arrive translated, its numbers come later.
pub fn fill(template: &str, pairs: &[(&str, String)]) -> String {
    pairs.iter().fold(template.to_owned(), |text, (key, value)| text.replace(&format!("{{{key}}}"), value))
}

/// Whether `lang` has a message `key` (of its own, not through fallback).
pub fn has_message(lang: Lang, key: &str) -> bool {
    loader(lang).has(key)
}

/// The page's preferences, provided by [`crate::App`].
pub fn use_preferences() -> RwSignal<Preferences> {
    expect_context::<RwSignal<Preferences>>()
}

/// The translation of `key` in the page's language, as a view child or attribute.
pub fn tr(key: &'static str) -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let prefs = use_preferences();
    move || translate(prefs.with(|p| p.lang), key)
}

/// The document title for `key`, as a plain string: leptos_meta reads the title after the
/// page's reactive arena has been left (a signal read there panics once a page with a resource
/// has run on the same thread).
pub fn title(key: &'static str) -> leptos::text_prop::TextProp {
    leptos::text_prop::TextProp::from(translate(use_preferences().get_untracked().lang, key))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn message_ids(lang: Lang) -> BTreeSet<String> {
        let mut ids = BTreeSet::new();
        for name in LocaleFiles::iter().filter(|n| n.starts_with(&format!("{}/", lang.tag()))) {
            let file = LocaleFiles::get(&name).expect("listed file exists");
            let text = String::from_utf8(file.data.to_vec()).expect("ftl is UTF-8");
            let resource = fluent_syntax::parser::parse(text.as_str())
                .unwrap_or_else(|(_, errors)| panic!("{name} does not parse: {errors:?}"));
            for entry in resource.body {
                if let fluent_syntax::ast::Entry::Message(message) = entry {
                    assert!(
                        ids.insert(message.id.name.to_string()),
                        "{name}: duplicate key {}",
                        message.id.name
                    );
                }
            }
        }
        ids
    }

    #[test]
    fn every_locale_has_every_key_of_every_other_locale() {
        let reference = message_ids(Lang::ZhCn);
        assert!(reference.len() > 10, "zh-CN has too few messages: {reference:?}");
        for lang in Lang::ALL {
            let ids = message_ids(lang);
            let missing: Vec<_> = reference.difference(&ids).collect();
            let extra: Vec<_> = ids.difference(&reference).collect();
            assert!(missing.is_empty(), "{} lacks keys {missing:?}", lang.tag());
            assert!(extra.is_empty(), "{} has keys zh-CN lacks: {extra:?}", lang.tag());
        }
    }

    #[test]
    fn every_key_the_code_uses_exists_in_every_locale() {
        let mut used = BTreeSet::new();
        collect_used_keys(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src").as_path(), &mut used);
        assert!(used.len() > 10, "found too few keys in the code: {used:?}");
        for lang in Lang::ALL {
            for key in &used {
                assert!(has_message(lang, key), "{} has no message {key}", lang.tag());
            }
        }
    }

    /// Finds fluent keys written as literals on lines that translate (`tr(`, `translate…(`) or
    /// name a key prop (`title_key="…"`).
    fn collect_used_keys(dir: &std::path::Path, used: &mut BTreeSet<String>) {
        for entry in std::fs::read_dir(dir).expect("src is readable") {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                collect_used_keys(&path, used);
            } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("i18n.rs") {
                let source = std::fs::read_to_string(&path).expect("source is readable");
                for marker in
                    ["tr(", "title(", "translate(", "translate_with(", "AppError::new(", "_key=", "_key: "]
                {
                    for (start, _) in source.match_indices(marker) {
                        // The key is the first literal after the marker, before the call closes.
                        let rest = &source[start + marker.len()..];
                        let Some(open) = rest.find('"') else { continue };
                        if rest[..open].contains([')', ';', '{']) {
                            continue;
                        }
                        let literal = rest[open + 1..].split('"').next().unwrap_or_default();
                        if is_key_shaped(literal) {
                            used.insert(literal.to_string());
                        }
                    }
                }
            }
        }
    }

    fn is_key_shaped(literal: &str) -> bool {
        literal.contains('-')
            && literal.starts_with(|c: char| c.is_ascii_lowercase())
            && literal.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    }

    #[test]
    fn terms_defined_in_one_feature_file_resolve_in_another() {
        assert_eq!(translate(Lang::En, "warnings-title"), "Warnings · Safe Jingdezhen");
        assert_eq!(translate(Lang::ZhCn, "settings-title"), "设置 · 平安瓷都");
    }

    #[test]
    fn translations_differ_between_languages() {
        assert_eq!(translate(Lang::ZhCn, "app-name"), "平安瓷都");
        assert_eq!(translate(Lang::En, "app-name"), "Safe Jingdezhen");
    }
}
