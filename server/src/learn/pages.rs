//! The learn pages' backend: the app's [`LearnBackend`] (cards, search, one article, today's
//! campaigns, topic quizzes) and the warnings' [`ReadingBackend`] (the articles on a warning's
//! hazard), both read from the shelf.

use std::sync::Arc;

use chrono::{FixedOffset, NaiveDate, Utc};
use safejdz_app::{
    alerts::{ReadingBackend, ReadingLink},
    domain::{campaigns::campaigns_on, hazards::Hazard, learn::QuizTopic, preferences::Lang},
    learn::api::{
        ArticleCard, ArticleSheet, CampaignBanner, ContentsEntry, LearnBackend, SearchResult, TextPiece,
        TopicQuizSheet,
    },
};

use super::{Learn, articles::Article, search::Piece};

/// Search results on one page.
const SEARCH_LIMIT: usize = 20;
/// Related articles under an article.
const RELATED_LIMIT: usize = 4;

/// The app's view of the library.
#[derive(Clone)]
pub struct LearnPages {
    learn: Learn,
}

impl LearnPages {
    pub fn backend(learn: Learn) -> Arc<dyn LearnBackend> {
        Arc::new(LearnPages { learn })
    }

    pub fn reading_backend(learn: Learn) -> Arc<dyn ReadingBackend> {
        Arc::new(LearnPages { learn })
    }

    fn articles(&self, lang: Lang) -> &[Article] {
        self.learn.shelf.library.in_language(lang)
    }
}

/// The city's date today (China Standard Time, UTC+8, no daylight saving).
pub fn city_today() -> NaiveDate {
    let china = FixedOffset::east_opt(8 * 3600).expect("a valid offset");
    Utc::now().with_timezone(&china).date_naive()
}

pub fn card(article: &Article) -> ArticleCard {
    ArticleCard {
        slug: article.slug.clone(),
        title: article.meta.title.clone(),
        summary: article.meta.summary.clone(),
        hazards: article.meta.hazards.clone(),
        audiences: article.meta.audiences.clone(),
        reading_minutes: article.meta.reading_minutes,
    }
}

fn pieces(pieces: Vec<Piece>) -> Vec<TextPiece> {
    pieces.into_iter().map(|piece| TextPiece { text: piece.text, marked: piece.marked }).collect()
}

impl LearnBackend for LearnPages {
    fn cards(&self, lang: Lang) -> Vec<ArticleCard> {
        self.articles(lang).iter().map(card).collect()
    }

    fn search(&self, query: &str, lang: Lang) -> Vec<SearchResult> {
        let Some(index) = self.learn.shelf.indexes.get(&lang) else { return Vec::new() };
        let articles = self.articles(lang);
        index
            .search(query, SEARCH_LIMIT)
            .into_iter()
            .filter_map(|hit| {
                Some(SearchResult {
                    card: card(articles.get(hit.document)?),
                    title: pieces(hit.title),
                    passage: pieces(hit.passage),
                })
            })
            .collect()
    }

    fn article(&self, slug: &str, lang: Lang) -> Option<ArticleSheet> {
        let article = self.learn.shelf.library.get(slug, lang)?;
        let related = self
            .articles(lang)
            .iter()
            .filter(|other| other.slug != article.slug)
            .filter(|other| other.meta.hazards.iter().any(|h| article.meta.hazards.contains(h)))
            .take(RELATED_LIMIT)
            .map(card)
            .collect();
        Some(ArticleSheet {
            card: card(article),
            last_reviewed: article.meta.last_reviewed.clone(),
            html: article.html.clone(),
            contents: article
                .headings
                .iter()
                .map(|h| ContentsEntry { anchor: h.anchor.clone(), text: h.text.clone(), level: h.level })
                .collect(),
            spoken: format!("{}。\n{}", article.meta.title, article.text),
            sources: article.meta.sources.clone(),
            quiz: article.meta.quiz.clone(),
            warnings: Vec::new(),
            related,
        })
    }

    fn campaigns(&self, lang: Lang) -> Vec<CampaignBanner> {
        campaigns_on(city_today(), &self.learn.campaigns)
            .into_iter()
            .map(|campaign| CampaignBanner {
                name: match lang {
                    Lang::ZhCn => campaign.name_zh.clone(),
                    Lang::En => campaign.name_en.clone(),
                },
                articles: campaign
                    .articles
                    .iter()
                    .filter_map(|slug| self.learn.shelf.library.get(slug, lang))
                    .map(card)
                    .collect(),
                key: campaign.key,
                from: campaign.from,
                to: campaign.to,
            })
            .collect()
    }

    fn topic_quiz(&self, key: &str, lang: Lang) -> Option<TopicQuizSheet> {
        let topic = QuizTopic::find(key)?;
        let articles: Vec<&Article> =
            self.articles(lang).iter().filter(|a| topic.includes(&a.slug, &a.meta.hazards)).collect();
        let questions = topic.questions(articles.iter().map(|a| (a.slug.as_str(), a.meta.quiz.as_slice())));
        Some(TopicQuizSheet {
            key: topic.key.to_owned(),
            questions,
            articles: articles.into_iter().map(card).collect(),
        })
    }
}

impl ReadingBackend for LearnPages {
    fn reading_for(&self, hazard: Hazard, lang: Lang) -> Vec<ReadingLink> {
        self.articles(lang)
            .iter()
            .filter(|article| article.meta.hazards.contains(&hazard))
            // Every warning's page also points to what the levels and signals mean.
            .chain(self.learn.shelf.library.get("warning-signals", lang))
            .map(|article| ReadingLink { slug: article.slug.clone(), title: article.meta.title.clone() })
            .collect()
    }
}
