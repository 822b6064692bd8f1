//! Server functions of the learn pages: the library (browsed by hazard or audience, or
//! searched), one article with the warnings of its hazard now in force, and a topic quiz. The
//! articles come from the server's library through [`LearnBackend`], which the server provides
//! as context; the warnings come from the warnings feature's backend.

use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{
    domain::{
        hazards::Hazard,
        learn::{ArticleSource, Audience, QuizQuestion},
    },
    error::AppError,
};

/// An article in a list, in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleCard {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub hazards: Vec<Hazard>,
    pub audiences: Vec<Audience>,
    pub reading_minutes: u8,
}

/// A piece of a search result's text, marked where it matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextPiece {
    pub text: String,
    pub marked: bool,
}

/// One search result: the article, its title and a passage with the matched words marked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchResult {
    pub card: ArticleCard,
    pub title: Vec<TextPiece>,
    pub passage: Vec<TextPiece>,
}

/// A campaign running today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignBanner {
    /// A built-in campaign's name is the message `learn-campaign-<key>`.
    pub key: String,
    /// A configured campaign's own name, in the reader's language.
    pub name: Option<String>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub articles: Vec<ArticleCard>,
}

/// Everything `/learn` shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LibraryView {
    /// The articles, narrowed by the filters.
    pub cards: Vec<ArticleCard>,
    pub hazard: Option<Hazard>,
    pub audience: Option<Audience>,
    /// The search words, as typed.
    pub query: String,
    /// Search results when there was a query.
    pub results: Option<Vec<SearchResult>>,
    pub campaigns: Vec<CampaignBanner>,
    /// The hazards some article covers, in the library's order (the browse links).
    pub hazards: Vec<Hazard>,
}

/// A heading of an article, for its table of contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContentsEntry {
    pub anchor: String,
    pub text: String,
    pub level: u8,
}

/// A warning now in force for one of the article's hazards.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WarningLink {
    pub id: i64,
    pub headline: String,
}

/// One article, ready to read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleSheet {
    pub card: ArticleCard,
    pub last_reviewed: String,
    /// The body, rendered to safe HTML on the server from the article's Markdown.
    pub html: String,
    pub contents: Vec<ContentsEntry>,
    /// The title and body's words, for reading aloud.
    pub spoken: String,
    pub sources: Vec<ArticleSource>,
    pub quiz: Vec<QuizQuestion>,
    pub warnings: Vec<WarningLink>,
    /// Other articles on the same hazards.
    pub related: Vec<ArticleCard>,
}

/// A quiz mixing questions of several articles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicQuizSheet {
    pub key: String,
    pub questions: Vec<QuizQuestion>,
    /// The articles the questions come from.
    pub articles: Vec<ArticleCard>,
}

/// The library, narrowed by `hazard` or `audience` (keys), and searched for `q`.
#[server(prefix = "/_rpc", endpoint = "learn/home")]
pub async fn learn_home(
    hazard: Option<String>,
    audience: Option<String>,
    q: Option<String>,
) -> Result<LibraryView, AppError> {
    ssr::learn_home(hazard, audience, q)
}

/// The article `slug` in the reader's language; `None` when there is none.
#[server(prefix = "/_rpc", endpoint = "learn/article")]
pub async fn learn_article(slug: String) -> Result<Option<ArticleSheet>, AppError> {
    ssr::learn_article(&slug).await
}

/// The topic quiz `key`; `None` when there is none.
#[server(prefix = "/_rpc", endpoint = "learn/topic")]
pub async fn learn_topic_quiz(key: String) -> Result<Option<TopicQuizSheet>, AppError> {
    ssr::learn_topic_quiz(&key)
}

/// Longest search query read, in characters: a search box, not a document.
pub const QUERY_MAX_CHARS: usize = 100;

#[cfg(feature = "ssr")]
pub use ssr::LearnBackend;

#[cfg(feature = "ssr")]
mod ssr {
    use std::sync::Arc;

    use leptos::prelude::*;

    use super::{
        ArticleCard, ArticleSheet, CampaignBanner, LibraryView, QUERY_MAX_CHARS, SearchResult,
        TopicQuizSheet, WarningLink,
    };
    use crate::{
        alerts::WarningsBackend,
        domain::{hazards::Hazard, learn::Audience, preferences::Lang},
        error::AppError,
        shell::request_preferences,
    };

    /// The server's library; it provides an `Arc<dyn LearnBackend>`.
    pub trait LearnBackend: Send + Sync {
        /// Every article of `lang`, in the library's order.
        fn cards(&self, lang: Lang) -> Vec<ArticleCard>;
        /// Articles of `lang` matching `query`, best first.
        fn search(&self, query: &str, lang: Lang) -> Vec<SearchResult>;
        /// One article, without the warnings (the page adds them).
        fn article(&self, slug: &str, lang: Lang) -> Option<ArticleSheet>;
        /// The campaigns running today.
        fn campaigns(&self, lang: Lang) -> Vec<CampaignBanner>;
        fn topic_quiz(&self, key: &str, lang: Lang) -> Option<TopicQuizSheet>;
    }

    fn backend() -> Result<Arc<dyn LearnBackend>, AppError> {
        use_context::<Arc<dyn LearnBackend>>().ok_or_else(|| AppError::new("learn-error-unavailable"))
    }

    pub fn learn_home(
        hazard: Option<String>,
        audience: Option<String>,
        q: Option<String>,
    ) -> Result<LibraryView, AppError> {
        let lang = request_preferences().lang;
        let backend = backend()?;
        let all = backend.cards(lang);
        let hazard = hazard.as_deref().and_then(Hazard::from_key);
        let audience = audience.as_deref().and_then(Audience::from_key);
        let hazards: Vec<Hazard> =
            Hazard::ALL.into_iter().filter(|h| all.iter().any(|card| card.hazards.contains(h))).collect();
        let query: String = q.unwrap_or_default().trim().chars().take(QUERY_MAX_CHARS).collect();
        let results = (!query.is_empty()).then(|| backend.search(&query, lang));
        let cards = all
            .into_iter()
            .filter(|card| hazard.is_none_or(|h| card.hazards.contains(&h)))
            .filter(|card| audience.is_none_or(|a| card.audiences.contains(&a)))
            .collect();
        Ok(LibraryView {
            cards,
            hazard,
            audience,
            query,
            results,
            campaigns: backend.campaigns(lang),
            hazards,
        })
    }

    pub async fn learn_article(slug: &str) -> Result<Option<ArticleSheet>, AppError> {
        let lang = request_preferences().lang;
        let Some(mut sheet) = backend()?.article(slug, lang) else { return Ok(None) };
        sheet.warnings = warnings_for(&sheet.card.hazards, lang).await;
        Ok(Some(sheet))
    }

    /// The warnings in force for any of `hazards`. The article reads well without them: if
    /// the store does not answer, the article shows none and the log says why.
    async fn warnings_for(hazards: &[Hazard], lang: Lang) -> Vec<WarningLink> {
        if hazards.is_empty() {
            return Vec::new();
        }
        let Some(warnings) = use_context::<Arc<dyn WarningsBackend>>() else { return Vec::new() };
        let in_force = match warnings.warnings_in_force().await {
            Ok(in_force) => in_force,
            Err(error) => {
                leptos::logging::error!("warnings for an article could not be read: {error}");
                return Vec::new();
            }
        };
        in_force
            .alerts
            .iter()
            .filter_map(|(id, alert)| {
                let info = alert.info_for(lang.tag())?;
                let hazard = alert.infos.iter().find_map(|info| Hazard::of_event(&info.event))?;
                hazards.contains(&hazard).then(|| WarningLink {
                    id: *id,
                    headline: info.headline.clone().unwrap_or_else(|| info.event.clone()),
                })
            })
            .collect()
    }

    pub fn learn_topic_quiz(key: &str) -> Result<Option<TopicQuizSheet>, AppError> {
        Ok(backend()?.topic_quiz(key, request_preferences().lang))
    }
}
