//! The library of safety knowledge (issue 14): an article's front matter and quiz, the checks
//! every article file passes (each problem named by field), the quiz's scoring, and the topic
//! quizzes that mix questions of several articles. Pure: the server
//! reads the files and renders their Markdown; the browser's quiz island scores with this.
//! The campaign calendar is `super::campaigns`.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::hazards::Hazard;

/// Who an article is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Audience {
    Children,
    Adults,
    Elderly,
    Businesses,
}

impl Audience {
    pub const ALL: [Audience; 4] =
        [Audience::Children, Audience::Adults, Audience::Elderly, Audience::Businesses];

    pub fn key(self) -> &'static str {
        match self {
            Audience::Children => "children",
            Audience::Adults => "adults",
            Audience::Elderly => "elderly",
            Audience::Businesses => "businesses",
        }
    }

    pub fn from_key(key: &str) -> Option<Audience> {
        Audience::ALL.into_iter().find(|audience| audience.key() == key)
    }
}

/// The numbers an article may tell residents to call.
pub const PHONE_NUMBERS: [&str; 6] = ["110", "119", "120", "122", "12119", "12345"];

/// An official public source an article follows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleSource {
    /// The publisher and the page's title.
    pub title: String,
    pub url: String,
}

/// One choice of a quiz question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizChoice {
    pub id: String,
    pub text: String,
    /// Why this choice is right or wrong.
    pub explanation: String,
}

/// One quiz question: one right answer among two to four choices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizQuestion {
    pub id: String,
    pub question: String,
    /// The id of the right choice.
    pub answer: String,
    pub choices: Vec<QuizChoice>,
}

/// An article's front matter, as its file holds it (one language).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArticleMeta {
    pub title: String,
    pub summary: String,
    /// Empty for a general topic (first aid, the family kit).
    pub hazards: Vec<Hazard>,
    pub audiences: Vec<Audience>,
    pub reading_minutes: u8,
    /// `YYYY-MM-DD`.
    pub last_reviewed: String,
    pub phones: Vec<String>,
    pub sources: Vec<ArticleSource>,
    pub quiz: Vec<QuizQuestion>,
}

/// A problem with an article's front matter: the field, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleProblem {
    pub field: &'static str,
    pub why: String,
}

impl std::fmt::Display for ArticleProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "field {}: {}", self.field, self.why)
    }
}

/// Quiz questions per article.
pub const QUIZ_QUESTIONS: std::ops::RangeInclusive<usize> = 3..=5;
/// Choices per question.
pub const QUIZ_CHOICES: std::ops::RangeInclusive<usize> = 2..=4;
/// Chinese characters in a zh-CN body; words in an en body.
pub const ZH_CHARACTERS: std::ops::RangeInclusive<usize> = 800..=2000;
pub const EN_WORDS: std::ops::RangeInclusive<usize> = 400..=1600;

/// Letters, digits and '-': what an article's address and a quiz id may hold.
pub fn is_slug(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

impl ArticleMeta {
    /// The review date, when it is one.
    pub fn reviewed_on(&self) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(&self.last_reviewed, "%Y-%m-%d").ok()
    }

    /// Every problem of the front matter alone; the body's rules are checked where it is read.
    pub fn problems(&self) -> Vec<ArticleProblem> {
        let mut problems = Vec::new();
        let mut add = |field: &'static str, why: String| problems.push(ArticleProblem { field, why });
        if self.title.trim().is_empty() {
            add("title", "is blank".into());
        }
        if self.summary.trim().is_empty() {
            add("summary", "is blank".into());
        }
        if self.hazards.contains(&Hazard::Other) {
            add("hazards", "\"other\" is no hazard of the library; a general topic lists none".into());
        }
        if self.audiences.is_empty() {
            add("audiences", "names no audience".into());
        }
        if !(1..=15).contains(&self.reading_minutes) {
            add("reading_minutes", format!("{} is not 1 to 15", self.reading_minutes));
        }
        if self.reviewed_on().is_none() {
            add("last_reviewed", format!("{:?} is not a date (YYYY-MM-DD)", self.last_reviewed));
        }
        for phone in &self.phones {
            if !PHONE_NUMBERS.contains(&phone.as_str()) {
                add("phones", format!("{phone:?} is not one of {}", PHONE_NUMBERS.join(", ")));
            }
        }
        if self.sources.len() < 2 {
            add("sources", "needs at least two official sources".into());
        }
        for source in &self.sources {
            if source.title.trim().is_empty()
                || !(source.url.starts_with("https://") || source.url.starts_with("http://"))
            {
                add("sources", format!("{:?} needs a title and a web address", source.title));
            }
        }
        if !QUIZ_QUESTIONS.contains(&self.quiz.len()) {
            add("quiz", format!("has {} questions; an article has 3 to 5", self.quiz.len()));
        }
        let mut question_ids = BTreeSet::new();
        for question in &self.quiz {
            let id = &question.id;
            if !is_slug(id) {
                add("quiz", format!("question {id:?} is not lower-case letters, digits and '-'"));
            }
            if !question_ids.insert(id.as_str()) {
                add("quiz", format!("question {id:?} is there twice"));
            }
            if question.question.trim().is_empty() {
                add("quiz", format!("question {id:?} asks nothing"));
            }
            if !QUIZ_CHOICES.contains(&question.choices.len()) {
                add("quiz", format!("question {id:?} has {} choices; 2 to 4", question.choices.len()));
            }
            let mut choice_ids = BTreeSet::new();
            for choice in &question.choices {
                if !is_slug(&choice.id) || !choice_ids.insert(choice.id.as_str()) {
                    add("quiz", format!("question {id:?}: choice {:?} is not a unique id", choice.id));
                }
                if choice.text.trim().is_empty() || choice.explanation.trim().is_empty() {
                    add(
                        "quiz",
                        format!("question {id:?}: choice {:?} needs text and an explanation", choice.id),
                    );
                }
            }
            if !choice_ids.contains(question.answer.as_str()) {
                add(
                    "quiz",
                    format!("question {id:?}: the answer {:?} is not one of its choices", question.answer),
                );
            }
        }
        problems
    }

    /// What must agree between an article and its counterpart in the other language: the
    /// same hazards, audiences, numbers, source addresses and quiz (ids, choices, answers).
    pub fn counterpart_problems(&self, other: &ArticleMeta) -> Vec<ArticleProblem> {
        let mut problems = Vec::new();
        let sorted = |items: Vec<String>| -> Vec<String> {
            let mut items = items;
            items.sort();
            items
        };
        let keys = |hazards: &[Hazard]| sorted(hazards.iter().map(|h| h.key().to_owned()).collect());
        let audiences = |list: &[Audience]| sorted(list.iter().map(|a| a.key().to_owned()).collect());
        let urls = |meta: &ArticleMeta| sorted(meta.sources.iter().map(|s| s.url.clone()).collect());
        let shape = |meta: &ArticleMeta| -> Vec<(String, String, Vec<String>)> {
            meta.quiz
                .iter()
                .map(|q| (q.id.clone(), q.answer.clone(), q.choices.iter().map(|c| c.id.clone()).collect()))
                .collect()
        };
        let mut differ = |field: &'static str, same: bool| {
            if !same {
                problems.push(ArticleProblem { field, why: "differs from the other language's".into() });
            }
        };
        differ("hazards", keys(&self.hazards) == keys(&other.hazards));
        differ("audiences", audiences(&self.audiences) == audiences(&other.audiences));
        differ("phones", sorted(self.phones.clone()) == sorted(other.phones.clone()));
        differ("sources", urls(self) == urls(other));
        differ("quiz", shape(self) == shape(other));
        problems
    }
}

/// The Chinese characters of a text (what a zh-CN article's length is counted in).
pub fn chinese_characters(text: &str) -> usize {
    text.chars().filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c)).count()
}

/// The words of an English text.
pub fn english_words(text: &str) -> usize {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’' || c == '-'))
        .filter(|word| word.chars().any(char::is_alphanumeric))
        .count()
}

/// How one question was answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionMark {
    pub question: String,
    /// The choice picked; `None` when the question was skipped.
    pub chosen: Option<String>,
    pub right: bool,
}

/// A quiz's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizResult {
    pub correct: usize,
    pub total: usize,
    pub marks: Vec<QuestionMark>,
}

/// Scores `answers` (question id → choice id) against `quiz`. A skipped question, or a
/// choice the question does not have, counts as wrong.
pub fn score(quiz: &[QuizQuestion], answers: &BTreeMap<String, String>) -> QuizResult {
    let marks: Vec<QuestionMark> = quiz
        .iter()
        .map(|question| {
            let chosen = answers
                .get(&question.id)
                .filter(|choice| question.choices.iter().any(|c| &c.id == *choice))
                .cloned();
            let right = chosen.as_deref() == Some(question.answer.as_str());
            QuestionMark { question: question.id.clone(), chosen, right }
        })
        .collect();
    QuizResult { correct: marks.iter().filter(|m| m.right).count(), total: marks.len(), marks }
}

/// A quiz that mixes questions of several articles: the articles of its hazards, each giving
/// its first questions in turn, up to [`TOPIC_QUIZ_QUESTIONS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuizTopic {
    /// The address part: `/learn/quiz/{key}`.
    pub key: &'static str,
    pub hazards: &'static [Hazard],
    /// Articles on no hazard that belong here too, by slug.
    pub articles: &'static [&'static str],
}

pub const TOPIC_QUIZ_QUESTIONS: usize = 10;

/// The topic quizzes, in the library's order.
pub const QUIZ_TOPICS: [QuizTopic; 4] = [
    QuizTopic {
        key: "water-and-slopes",
        hazards: &[
            Hazard::Rainstorm,
            Hazard::Flood,
            Hazard::Waterlogging,
            Hazard::Landslide,
            Hazard::Drought,
        ],
        articles: &[],
    },
    QuizTopic {
        key: "weather",
        hazards: &[
            Hazard::Thunderstorm,
            Hazard::Heat,
            Hazard::ColdWave,
            Hazard::RoadIcing,
            Hazard::Hail,
            Hazard::Gale,
        ],
        articles: &["warning-signals"],
    },
    QuizTopic {
        key: "fire-gas-chemicals",
        hazards: &[
            Hazard::Fire,
            Hazard::ForestFire,
            Hazard::GasKiln,
            Hazard::HazardousChemicals,
            Hazard::Earthquake,
        ],
        articles: &["gas-safety-home"],
    },
    QuizTopic {
        key: "ready-and-first-aid",
        hazards: &[],
        articles: &[
            "first-aid-cpr-aed",
            "first-aid-bleeding-burns-fractures",
            "family-emergency-kit",
            "shelters",
            "how-warnings-reach-you",
            "helping-vulnerable-neighbours",
        ],
    },
];

impl QuizTopic {
    pub fn find(key: &str) -> Option<QuizTopic> {
        QUIZ_TOPICS.into_iter().find(|topic| topic.key == key)
    }

    /// Whether an article (its slug and hazards) belongs to the topic.
    pub fn includes(&self, slug: &str, hazards: &[Hazard]) -> bool {
        self.articles.contains(&slug) || hazards.iter().any(|h| self.hazards.contains(h))
    }

    /// The topic's questions from `articles` (slug and quiz, in the library's order): the
    /// first question of each, then the second of each, … up to [`TOPIC_QUIZ_QUESTIONS`].
    /// Each question's id becomes `slug.id`, so answers stay apart.
    pub fn questions<'a>(
        &self,
        articles: impl IntoIterator<Item = (&'a str, &'a [QuizQuestion])>,
    ) -> Vec<QuizQuestion> {
        let quizzes: Vec<(&str, &[QuizQuestion])> = articles.into_iter().collect();
        let longest = quizzes.iter().map(|(_, quiz)| quiz.len()).max().unwrap_or(0);
        (0..longest)
            .flat_map(|round| {
                quizzes.iter().filter_map(move |(slug, quiz)| {
                    quiz.get(round).map(|q| QuizQuestion { id: format!("{slug}.{}", q.id), ..q.clone() })
                })
            })
            .take(TOPIC_QUIZ_QUESTIONS)
            .collect()
    }
}

#[cfg(test)]
#[path = "learn_tests.rs"]
mod tests;
