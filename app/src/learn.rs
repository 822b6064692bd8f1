//! Learn: the library of safety knowledge. `/learn` browses and searches it, `/learn/{slug}`
//! reads one article (read aloud, printable) with its quiz, `/learn/{slug}/quiz` is the quiz's
//! result without JavaScript, and `/learn/quiz/{topic}` a quiz mixing several articles. The
//! quiz is an island (bundle `learn`) that scores in place and keeps the score on the device.

pub mod api;
mod article_page;
mod learn_page;
mod quiz;
mod quiz_pages;

use leptos::prelude::*;

pub use article_page::ArticlePage;
pub use learn_page::LearnPage;
pub use quiz_pages::{ArticleQuizResultPage, TopicQuizPage, TopicQuizResultPage};

use crate::{
    i18n::{tr, translate_with, use_preferences},
    learn::learn_page::hazard_name,
};

/// The bundle of the learn pages' islands (the `islands-learn` feature).
pub const LEARN_BUNDLE: &str = "learn";

/// A list of articles, each a card with its title, what it covers and how long it takes.
#[component]
pub(crate) fn ArticleCards(cards: Vec<api::ArticleCard>) -> impl IntoView {
    let lang = use_preferences().get_untracked().lang;
    view! {
        <ul class="article-list">
            {cards.into_iter().map(|card| {
                let hazards: Vec<&str> = card.hazards.iter().map(|h| hazard_name(*h, lang)).collect();
                let minutes = translate_with(lang, "learn-reading-minutes", &[("minutes", card.reading_minutes.into())]);
                view! {
                    <li class="article-card">
                        <h3><a href=format!("/learn/{}", card.slug)>{card.title}</a></h3>
                        <p class="article-card-meta">
                            {(!hazards.is_empty()).then(|| view! { <span>{hazards.join(" · ")}</span>" · " })}
                            {minutes}
                        </p>
                        <p>{card.summary}</p>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// What a learn page shows when the library cannot answer.
#[component]
pub(crate) fn LibraryUnavailable() -> impl IntoView {
    view! { <section class="page"><p class="empty-state" role="alert">{tr("learn-error-unavailable")}</p></section> }
}
