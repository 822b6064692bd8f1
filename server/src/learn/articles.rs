//! The article files: Markdown with TOML front matter between `+++` lines, one file per
//! article and language (format in docs/LEARN.md), read into [`Article`]s and checked. Every
//! problem names the file, and the line (front matter that is not TOML, raw HTML, a refused
//! link) or the field. The files ship inside the binary (`FILES`, listed by build.rs); the
//! server refuses to start with a bad one, and a test reads them all.

use std::collections::BTreeMap;

use safejdz_app::domain::{
    learn::{ArticleMeta, EN_WORDS, ZH_CHARACTERS, chinese_characters, english_words, is_slug},
    preferences::Lang,
};

use super::markdown::{Heading, render};

include!(concat!(env!("OUT_DIR"), "/learn_files.rs"));

/// The second-level sections every article has, in order, by anchor.
pub const SECTIONS: [&str; 6] = ["urgent", "signs", "before", "during", "after", "phones"];

/// Addresses under `/learn/` that are pages of their own, so no article may take them.
const RESERVED_SLUGS: [&str; 1] = ["quiz"];

/// One article in one language, read and rendered.
#[derive(Debug, Clone)]
pub struct Article {
    pub slug: String,
    pub lang: Lang,
    pub meta: ArticleMeta,
    /// The body as safe HTML.
    pub html: String,
    pub headings: Vec<Heading>,
    /// The body's words alone.
    pub text: String,
}

/// `lang/slug.md` → the language and slug.
fn name_parts(name: &str) -> Option<(Lang, &str)> {
    let (language, file) = name.rsplit_once('/')?;
    let language = language.rsplit('/').next()?;
    let lang = Lang::ALL.into_iter().find(|lang| lang.tag() == language)?;
    Some((lang, file.strip_suffix(".md")?))
}

/// One file, or its problems, each `NAME: line N: …` or `NAME: field F: …`.
pub fn read(name: &str, text: &str) -> Result<Article, Vec<String>> {
    let Some((lang, slug)) = name_parts(name) else {
        return Err(vec![format!("{name}: is not <zh-CN|en>/<slug>.md")]);
    };
    let mut problems = Vec::new();
    if !is_slug(slug) || RESERVED_SLUGS.contains(&slug) {
        problems.push(format!(
            "{name}: the name {slug:?} is not lower-case letters, digits and '-', or is taken"
        ));
    }
    let text = text.replace("\r\n", "\n");
    let Some(rest) = text.strip_prefix("+++\n") else {
        return Err(vec![format!("{name}: line 1: front matter must open with a line \"+++\"")]);
    };
    let Some((front, body)) = rest.split_once("\n+++\n") else {
        return Err(vec![format!("{name}: front matter is not closed by a line \"+++\"")]);
    };
    let meta = front_matter(front).map_err(|(line, why)| {
        vec![match line {
            // The file's line: the front matter starts on line 2, after "+++".
            Some(line) => format!("{name}: line {}: {why}", line + 2),
            None => format!("{name}: {why}"),
        }]
    })?;
    problems.extend(meta.problems().iter().map(|problem| format!("{name}: {problem}")));

    let body_line = front.lines().count() + 3;
    let rendered = render(body, body_line);
    for (line, why) in &rendered.refused {
        problems.push(format!("{name}: line {line}: {why}"));
    }
    let sections: Vec<&str> =
        rendered.headings.iter().filter(|h| h.level == 2).map(|h| h.anchor.as_str()).collect();
    if sections != SECTIONS {
        problems.push(format!(
            "{name}: the body's ## sections are {sections:?}; they must be {SECTIONS:?}, in that order"
        ));
    }
    if rendered.headings.iter().any(|h| h.level == 1) {
        problems.push(format!("{name}: the body has a # heading; the title is the page's only one"));
    }
    for phone in &meta.phones {
        if !rendered.text.contains(phone.as_str()) {
            problems.push(format!("{name}: field phones: {phone} is not in the body"));
        }
    }
    let (length, allowed, unit) = match lang {
        Lang::ZhCn => (chinese_characters(&rendered.text), ZH_CHARACTERS, "Chinese characters"),
        Lang::En => (english_words(&rendered.text), EN_WORDS, "words"),
    };
    if !allowed.contains(&length) {
        problems.push(format!(
            "{name}: the body has {length} {unit}; {} to {}",
            allowed.start(),
            allowed.end()
        ));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Article {
        slug: slug.to_owned(),
        lang,
        meta,
        html: rendered.html,
        headings: rendered.headings,
        text: rendered.text,
    })
}

/// The front matter into its model; an error has the line within it (0-based) where known.
fn front_matter(front: &str) -> Result<ArticleMeta, (Option<usize>, String)> {
    let mut table: toml::Table = toml::from_str(front).map_err(|error| {
        let line = error.span().map(|span| front[..span.start.min(front.len())].matches('\n').count());
        (line, error.message().trim().to_owned())
    })?;
    // A TOML date is no string to serde: the model keeps it as `YYYY-MM-DD` text.
    if let Some(toml::Value::Datetime(date)) = table.get("last_reviewed") {
        let text = date.to_string();
        table.insert("last_reviewed".into(), toml::Value::String(text));
    }
    toml::Value::Table(table)
        .try_into::<ArticleMeta>()
        .map_err(|error| (None, error.message().trim().to_owned()))
}

/// Every article of both languages, by language, in the order of their slugs.
#[derive(Debug, Default)]
pub struct Library {
    articles: BTreeMap<Lang, Vec<Article>>,
}

impl Library {
    /// The articles of `lang`, by slug.
    pub fn in_language(&self, lang: Lang) -> &[Article] {
        self.articles.get(&lang).map(Vec::as_slice).unwrap_or_default()
    }

    pub fn get(&self, slug: &str, lang: Lang) -> Option<&Article> {
        self.in_language(lang).iter().find(|article| article.slug == slug)
    }

    pub fn len(&self) -> usize {
        self.articles.values().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Reads `files` (name, text) and checks that every article has its counterpart in the other
/// language, agreeing on everything but the words.
pub fn library_of(files: &[(&str, &str)]) -> Result<Library, Vec<String>> {
    let mut problems = Vec::new();
    let mut articles: BTreeMap<Lang, Vec<Article>> = BTreeMap::new();
    for (name, text) in files {
        match read(name, text) {
            Ok(article) => articles.entry(article.lang).or_default().push(article),
            Err(mut found) => problems.append(&mut found),
        }
    }
    let mut all_names: Vec<(Lang, String)> =
        files.iter().filter_map(|(name, _)| name_parts(name)).map(|(l, s)| (l, s.to_owned())).collect();
    all_names.sort();
    for (lang, slug) in &all_names {
        for other in Lang::ALL.into_iter().filter(|other| other != lang) {
            if !all_names.iter().any(|(l, s)| *l == other && s == slug) {
                problems.push(format!(
                    "{}/{slug}.md: has no counterpart {}/{slug}.md",
                    lang.tag(),
                    other.tag()
                ));
            }
        }
    }
    let (Some(chinese), Some(english)) = (articles.get(&Lang::ZhCn), articles.get(&Lang::En)) else {
        return if problems.is_empty() { Ok(Library { articles }) } else { Err(problems) };
    };
    for article in chinese {
        if let Some(counterpart) = english.iter().find(|other| other.slug == article.slug) {
            for problem in article.meta.counterpart_problems(&counterpart.meta) {
                problems.push(format!("en/{}.md: {problem} (zh-CN/{0}.md)", article.slug));
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    for list in articles.values_mut() {
        list.sort_by(|a, b| a.slug.cmp(&b.slug));
    }
    Ok(Library { articles })
}

/// The shipped library, or every problem of every file.
pub fn shipped() -> Result<Library, Vec<String>> {
    library_of(FILES)
}
