//! Search over the library of one language: ranked, with the matched words marked. Chinese has
//! no spaces between words, so a run of Chinese characters is indexed as its character pairs
//! (bigrams: "暴雨内涝" → 暴雨, 雨内, 内涝), and a query matches the pairs it holds; a single
//! character is matched alone. English words are stemmed (Snowball English: "flooding" and
//! "floods" meet "flood"). Ranking is BM25 over three fields, the title weighing most, and an
//! article whose title holds the whole query comes first.

use std::collections::HashMap;

use rust_stemmers::{Algorithm, Stemmer};

/// One document of the index: an article's fields.
pub struct Document<'a> {
    pub title: &'a str,
    pub summary: &'a str,
    pub body: &'a str,
}

/// A piece of text, marked when it matched the query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub text: String,
    pub marked: bool,
}

/// A ranked result: the document's position in the index, its score, and its title and a
/// passage of its body with the matched words marked.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub document: usize,
    pub score: f64,
    pub title: Vec<Piece>,
    pub passage: Vec<Piece>,
}

/// Field weights: a word in the title says more than one in the body.
const TITLE_WEIGHT: f64 = 4.0;
const SUMMARY_WEIGHT: f64 = 2.0;
const BODY_WEIGHT: f64 = 1.0;
/// BM25's usual constants.
const K1: f64 = 1.2;
const B: f64 = 0.75;
/// Characters of body shown around the first match.
const PASSAGE_CHARS: usize = 90;

struct Indexed {
    title: HashMap<String, u32>,
    summary: HashMap<String, u32>,
    body: HashMap<String, u32>,
    body_length: usize,
    title_lower: String,
    /// The title and the body on one line, with their tokens and spans: what results are
    /// cut and marked from, cut once here rather than at every search.
    title_text: Marked,
    body_text: Marked,
}

/// A text as characters, with its tokens and the characters each came from.
struct Marked {
    chars: Vec<char>,
    tokens: Vec<(String, usize, usize)>,
}

impl Marked {
    fn new(text: &str, stemmer: &Stemmer) -> Marked {
        Marked { chars: text.chars().collect(), tokens: tokens_with_spans(text, stemmer) }
    }

    /// Which characters belong to a token of `terms` (sorted).
    fn matched(&self, terms: &[String]) -> Vec<bool> {
        let mut marks = vec![false; self.chars.len()];
        for (token, start, end) in &self.tokens {
            if terms.binary_search(token).is_ok() {
                marks[*start..*end].iter_mut().for_each(|m| *m = true);
            }
        }
        marks
    }
}

/// The index of one language's articles, built once at start-up.
pub struct SearchIndex {
    documents: Vec<Indexed>,
    average_body: f64,
}

fn stemmer() -> Stemmer {
    Stemmer::create(Algorithm::English)
}

fn is_chinese(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3400}'..='\u{4dbf}').contains(&c)
}

/// A token and the span of characters (start, end) of the text it came from.
fn tokens_with_spans(text: &str, stemmer: &Stemmer) -> Vec<(String, usize, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if is_chinese(chars[i]) {
            let start = i;
            while i < chars.len() && is_chinese(chars[i]) {
                i += 1;
            }
            if i - start == 1 {
                tokens.push((chars[start].to_string(), start, i));
            } else {
                for at in start..i - 1 {
                    tokens.push((chars[at..at + 2].iter().collect(), at, at + 2));
                }
            }
        } else if chars[i].is_alphanumeric() {
            let start = i;
            while i < chars.len() && chars[i].is_alphanumeric() && !is_chinese(chars[i]) {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect::<String>().to_lowercase();
            tokens.push((stemmer.stem(&word).into_owned(), start, i));
        } else {
            i += 1;
        }
    }
    tokens
}

/// The tokens of a text (what both documents and queries are cut into).
pub fn tokens(text: &str) -> Vec<String> {
    tokens_with_spans(text, &stemmer()).into_iter().map(|(token, _, _)| token).collect()
}

fn counts(text: &str, stemmer: &Stemmer) -> HashMap<String, u32> {
    let mut counts = HashMap::new();
    for (token, _, _) in tokens_with_spans(text, stemmer) {
        *counts.entry(token).or_insert(0) += 1;
    }
    counts
}

impl SearchIndex {
    pub fn new<'a>(documents: impl IntoIterator<Item = Document<'a>>) -> SearchIndex {
        let stemmer = stemmer();
        let mut indexed = Vec::new();
        for document in documents {
            let body = counts(document.body, &stemmer);
            let flat_body = document.body.split_whitespace().collect::<Vec<_>>().join(" ");
            indexed.push(Indexed {
                title: counts(document.title, &stemmer),
                summary: counts(document.summary, &stemmer),
                body_length: body.values().map(|n| *n as usize).sum(),
                body,
                title_lower: document.title.to_lowercase(),
                title_text: Marked::new(document.title, &stemmer),
                body_text: Marked::new(&flat_body, &stemmer),
            });
        }
        let average_body = (indexed.iter().map(|d| d.body_length).sum::<usize>() as f64
            / indexed.len().max(1) as f64)
            .max(1.0);
        SearchIndex { documents: indexed, average_body }
    }

    /// The documents that hold any of the query's words, best first; at most `limit`.
    pub fn search(&self, query: &str, limit: usize) -> Vec<Hit> {
        let stemmer = stemmer();
        let mut terms: Vec<String> =
            tokens_with_spans(query, &stemmer).into_iter().map(|(t, _, _)| t).collect();
        terms.sort();
        terms.dedup();
        if terms.is_empty() {
            return Vec::new();
        }
        let whole_query = query.trim().to_lowercase();
        let total = self.documents.len() as f64;
        // How many documents hold each term, counted once per search.
        let holding: Vec<f64> =
            terms.iter().map(|term| self.documents.iter().filter(|d| d.holds(term)).count() as f64).collect();
        let mut scored: Vec<(usize, f64)> = self
            .documents
            .iter()
            .enumerate()
            .filter_map(|(at, document)| {
                let mut score = 0.0;
                for (term, holding) in terms.iter().zip(&holding) {
                    let holding = *holding;
                    if holding == 0.0 || !document.holds(term) {
                        continue;
                    }
                    let idf = ((total - holding + 0.5) / (holding + 0.5) + 1.0).ln();
                    let frequency = |field: &HashMap<String, u32>| f64::from(*field.get(term).unwrap_or(&0));
                    let body_norm = 1.0 - B + B * document.body_length as f64 / self.average_body;
                    let weighted = TITLE_WEIGHT * frequency(&document.title)
                        + SUMMARY_WEIGHT * frequency(&document.summary)
                        + BODY_WEIGHT * frequency(&document.body);
                    score += idf * weighted * (K1 + 1.0) / (weighted + K1 * body_norm);
                }
                if score == 0.0 {
                    return None;
                }
                // The whole query in the title: that article is what was looked for.
                if !whole_query.is_empty() && document.title_lower.contains(&whole_query) {
                    score += 1000.0;
                }
                Some((at, score))
            })
            .collect();
        scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        scored
            .into_iter()
            .take(limit)
            .map(|(at, score)| {
                let document = &self.documents[at];
                let title_marks = document.title_text.matched(&terms);
                Hit {
                    document: at,
                    score,
                    title: pieces(&document.title_text.chars, &title_marks),
                    passage: passage(&document.body_text, &terms),
                }
            })
            .collect()
    }
}

impl Indexed {
    fn holds(&self, term: &str) -> bool {
        self.title.contains_key(term) || self.summary.contains_key(term) || self.body.contains_key(term)
    }
}

/// `text` cut into marked and unmarked pieces.
fn pieces(chars: &[char], marks: &[bool]) -> Vec<Piece> {
    let mut pieces: Vec<Piece> = Vec::new();
    for (c, marked) in chars.iter().zip(marks) {
        match pieces.last_mut() {
            Some(last) if last.marked == *marked => last.text.push(*c),
            _ => pieces.push(Piece { text: c.to_string(), marked: *marked }),
        }
    }
    pieces
}

/// About [`PASSAGE_CHARS`] characters of the body from a little before its first match, with
/// "…" where it was cut.
fn passage(body: &Marked, terms: &[String]) -> Vec<Piece> {
    let marks = body.matched(terms);
    let first = marks.iter().position(|m| *m).unwrap_or(0);
    let start = first.saturating_sub(PASSAGE_CHARS / 4);
    let end = (start + PASSAGE_CHARS).min(body.chars.len());
    let mut cut = pieces(&body.chars[start..end], &marks[start..end]);
    if start > 0 {
        cut.insert(0, Piece { text: "…".into(), marked: false });
    }
    if end < body.chars.len() {
        cut.push(Piece { text: "…".into(), marked: false });
    }
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> SearchIndex {
        SearchIndex::new([
            Document {
                title: "地震来了怎么办",
                summary: "伏地、遮挡、手抓牢",
                body: "地震时就近躲避。震后有序撤离，不乘电梯。",
            },
            Document {
                title: "暴雨和城市内涝",
                summary: "不进下穿通道",
                body: "暴雨时远离地下空间。地震很少和暴雨一起来。",
            },
            Document {
                title: "Floods and waterlogging",
                summary: "Keep out of underpasses",
                body: "When it is flooding, never drive into flooded roads.",
            },
        ])
    }

    #[test]
    fn chinese_is_cut_into_character_pairs_and_english_is_stemmed() {
        assert_eq!(tokens("城市内涝"), ["城市", "市内", "内涝"]);
        assert_eq!(tokens("雷"), ["雷"]);
        assert_eq!(tokens("Flooding floods, 119!"), ["flood", "flood", "119"]);
    }

    #[test]
    fn a_title_match_ranks_first_and_the_words_are_marked() {
        let hits = index().search("地震", 10);
        assert_eq!(hits.iter().map(|h| h.document).collect::<Vec<_>>(), [0, 1]);
        assert_eq!(hits[0].title[0], Piece { text: "地震".into(), marked: true });
        assert!(hits[1].passage.iter().any(|p| p.marked && p.text == "地震"), "{:?}", hits[1].passage);
    }

    #[test]
    fn english_finds_other_forms_of_the_word() {
        let hits = index().search("flooded", 10);
        assert_eq!(hits.iter().map(|h| h.document).collect::<Vec<_>>(), [2]);
        assert!(hits[0].title.iter().any(|p| p.marked && p.text == "Floods"));
        let marked: Vec<&str> =
            hits[0].passage.iter().filter(|p| p.marked).map(|p| p.text.as_str()).collect();
        assert_eq!(marked, ["flooding", "flooded"]);
    }

    #[test]
    fn a_query_with_nothing_in_the_library_finds_nothing() {
        assert!(index().search("台风", 10).is_empty());
        assert!(index().search("  ，。 ", 10).is_empty());
    }
}
