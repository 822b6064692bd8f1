//! `/learn/{slug}`: one article. Its facts (hazards, audiences, reading time, last review),
//! the warnings of its hazard now in force, read aloud, the contents, the body (safe HTML made
//! on the server from the article's Markdown), the numbers to call, the quiz, the official
//! sources, and articles on the same hazards. Reads well on a phone, in elderly mode and on A4.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::{
    ArticleCards, LEARN_BUNDLE, LibraryUnavailable,
    api::{ArticleSheet, learn_article},
    learn_page::{audience_name, hazard_name},
    quiz::{Quiz, quiz_texts},
};
use crate::{
    alerts::ReadAloud,
    i18n::{tr, translate, translate_with, use_preferences},
    shell::{IslandsBundle, NotFoundPage},
};

/// One article's page; an unknown slug is the 404 page.
#[component]
pub fn ArticlePage() -> impl IntoView {
    let slug = use_params_map().with_untracked(|p| p.get("slug").unwrap_or_default());
    let sheet = Resource::new_blocking(move || slug.clone(), learn_article);
    view! {
        <IslandsBundle name=LEARN_BUNDLE/>
        <Suspense>
            {move || Suspend::new(async move {
                match sheet.await {
                    Ok(Some(sheet)) => view! { <Article sheet/> }.into_any(),
                    Ok(None) => view! { <NotFoundPage/> }.into_any(),
                    Err(_) => view! { <LibraryUnavailable/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Article(sheet: ArticleSheet) -> impl IntoView {
    let lang = use_preferences().get_untracked().lang;
    let ArticleSheet { card, last_reviewed, html, contents, spoken, sources, quiz, warnings, related } =
        sheet;
    let page_title = translate_with(lang, "learn-article-title", &[("title", card.title.clone().into())]);
    let hazards: Vec<&str> = card.hazards.iter().map(|h| hazard_name(*h, lang)).collect();
    let audiences: Vec<String> = card.audiences.iter().map(|a| audience_name(*a, lang)).collect();
    let facts = [
        (!hazards.is_empty()).then(|| hazards.join(" · ")),
        Some(translate_with(lang, "learn-for-audiences", &[("audiences", audiences.join(", ").into())])),
        Some(translate_with(lang, "learn-reading-minutes", &[("minutes", card.reading_minutes.into())])),
        Some(translate_with(lang, "learn-last-reviewed", &[("date", last_reviewed.into())])),
    ];
    view! {
        <Title text=page_title/>
        <article class="page article" aria-labelledby="page-heading">
            <p class="breadcrumb no-print"><a href="/learn">{tr("learn-heading")}</a></p>
            <h1 id="page-heading">{card.title.clone()}</h1>
            <p class="lead">{card.summary}</p>
            <p class="article-facts">{facts.into_iter().flatten().collect::<Vec<_>>().join(" · ")}</p>
            {(!warnings.is_empty()).then(|| view! {
                <aside class="article-warnings" aria-labelledby="article-warnings-heading">
                    <h2 id="article-warnings-heading"><span aria-hidden="true">"⚠ "</span>{tr("learn-warnings-now")}</h2>
                    <ul>
                        {warnings.into_iter().map(|w| view! { <li><a href=format!("/alerts/{}", w.id)>{w.headline}</a></li> }).collect_view()}
                    </ul>
                </aside>
            })}
            <p class="article-tools no-print">
                <ReadAloud text=spoken lang=lang.tag().to_owned() label=translate(lang, "learn-read-aloud")/>
                " "
                <a class="button button--quiet" href="#quiz-heading">{tr("learn-go-to-quiz")}</a>
            </p>
            <nav class="article-contents no-print" aria-labelledby="contents-heading">
                <h2 id="contents-heading">{tr("learn-contents")}</h2>
                <ol>
                    {contents.into_iter().filter(|entry| entry.level == 2).map(|entry| view! {
                        <li><a href=format!("#{}", entry.anchor)>{entry.text}</a></li>
                    }).collect_view()}
                </ol>
            </nav>
            // Safe HTML: made on the server by learn::markdown, which shows raw HTML as text and
            // lets links go only to web addresses and this site's paths.
            <div class="article-body" inner_html=html></div>
            <div class="no-print">
                <Quiz questions=quiz action=format!("/learn/{}/quiz", card.slug)
                    storage_key=format!("sjdz-quiz:{}", card.slug) texts=quiz_texts(lang)/>
            </div>
            <section class="article-sources" aria-labelledby="article-sources-heading">
                <h2 id="article-sources-heading">{tr("learn-sources")}</h2>
                <p>{tr("learn-sources-note")}</p>
                <ul>
                    {sources.into_iter().map(|source| view! {
                        <li><a href=source.url.clone() rel="noopener noreferrer external">{source.title}</a>
                            <span class="print-only">" "{source.url}</span></li>
                    }).collect_view()}
                </ul>
            </section>
            {(!related.is_empty()).then(|| view! {
                <section class="no-print" aria-labelledby="article-related-heading">
                    <h2 id="article-related-heading">{tr("learn-related")}</h2>
                    <ArticleCards cards=related/>
                </section>
            })}
        </article>
    }
}
