//! The quiz pages that work without JavaScript: `/learn/{slug}/quiz?q1=b&…`, an article's quiz
//! scored on the server; and `/learn/quiz/{topic}`, a quiz mixing questions of several
//! articles, with its result at `/learn/quiz/{topic}/result?…`.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{
    ArticleCards, LEARN_BUNDLE, LibraryUnavailable,
    api::{learn_article, learn_topic_quiz},
    quiz::{Quiz, QuizResultView, quiz_texts},
};
use crate::{
    domain::learn::score,
    i18n::{title, tr, translate, use_preferences},
    shell::{IslandsBundle, NotFoundPage},
};

/// The answers in the address: every query pair but the page's own.
fn answers_in_address() -> BTreeMap<String, String> {
    use_query_map().with_untracked(|query| {
        query.clone().into_iter().map(|(name, value)| (name.to_string(), value)).collect()
    })
}

/// An article's quiz, scored.
#[component]
pub fn ArticleQuizResultPage() -> impl IntoView {
    let slug = use_params_map().with_untracked(|p| p.get("slug").unwrap_or_default());
    let answers = answers_in_address();
    let sheet = Resource::new_blocking(move || slug.clone(), learn_article);
    view! {
        <Title text=title("learn-quiz-title")/>
        <Suspense>
            {move || {
                let answers = answers.clone();
                Suspend::new(async move {
                    match sheet.await {
                        Ok(Some(sheet)) => {
                            let lang = use_preferences().get_untracked().lang;
                            let result = score(&sheet.quiz, &answers);
                            view! {
                                <section class="page quiz-page" aria-labelledby="page-heading">
                                    <p class="breadcrumb"><a href=format!("/learn/{}", sheet.card.slug)>{sheet.card.title.clone()}</a></p>
                                    <h1 id="page-heading">{tr("learn-quiz-result-heading")}</h1>
                                    <QuizResultView questions=sheet.quiz result texts=quiz_texts(lang)/>
                                    <p class="drill-actions">
                                        <a class="button" href=format!("/learn/{}#quiz-heading", sheet.card.slug)>{translate(lang, "learn-quiz-again")}</a>
                                        <a class="button button--quiet" href="/learn">{translate(lang, "learn-back")}</a>
                                    </p>
                                </section>
                            }.into_any()
                        }
                        Ok(None) => view! { <NotFoundPage/> }.into_any(),
                        Err(_) => view! { <LibraryUnavailable/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// A topic quiz's form.
#[component]
pub fn TopicQuizPage() -> impl IntoView {
    view! { <TopicQuiz result=false/> }
}

/// A topic quiz's result.
#[component]
pub fn TopicQuizResultPage() -> impl IntoView {
    view! { <TopicQuiz result=true/> }
}

/// A topic quiz: the form (`result` false) or its result.
#[component]
fn TopicQuiz(result: bool) -> impl IntoView {
    let key = use_params_map().with_untracked(|p| p.get("topic").unwrap_or_default());
    let answers = answers_in_address();
    let sheet = Resource::new_blocking(move || key.clone(), learn_topic_quiz);
    view! {
        <Title text=title("learn-quiz-title")/>
        <IslandsBundle name=LEARN_BUNDLE/>
        <Suspense>
            {move || {
                let answers = answers.clone();
                Suspend::new(async move {
                    match sheet.await {
                        Ok(Some(sheet)) => {
                            let lang = use_preferences().get_untracked().lang;
                            let name = translate(lang, &format!("learn-topic-{}", sheet.key));
                            let body = if result {
                                let scored = score(&sheet.questions, &answers);
                                view! {
                                    <h2>{tr("learn-quiz-result-heading")}</h2>
                                    <QuizResultView questions=sheet.questions result=scored texts=quiz_texts(lang)/>
                                    <p><a class="button" href=format!("/learn/quiz/{}", sheet.key)>{translate(lang, "learn-quiz-again")}</a></p>
                                }.into_any()
                            } else {
                                view! {
                                    <Quiz questions=sheet.questions action=format!("/learn/quiz/{}/result", sheet.key)
                                        storage_key=format!("sjdz-quiz:topic:{}", sheet.key) texts=quiz_texts(lang)/>
                                }.into_any()
                            };
                            view! {
                                <section class="page quiz-page" aria-labelledby="page-heading">
                                    <p class="breadcrumb"><a href="/learn">{tr("learn-heading")}</a></p>
                                    <h1 id="page-heading">{name}</h1>
                                    <p class="lead">{tr("learn-topic-lead")}</p>
                                    {body}
                                    <h2>{tr("learn-topic-articles")}</h2>
                                    <ArticleCards cards=sheet.articles/>
                                </section>
                            }.into_any()
                        }
                        Ok(None) => view! { <NotFoundPage/> }.into_any(),
                        Err(_) => view! { <LibraryUnavailable/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}
