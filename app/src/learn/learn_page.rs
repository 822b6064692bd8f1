//! `/learn`: the library. A search box (a plain GET form: `/learn?q=…`), the campaign running
//! today with its articles, links to browse by hazard and by audience, the articles, and the
//! topic quizzes. Works with JavaScript off.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{
    ArticleCards,
    api::{CampaignBanner, LibraryView, SearchResult, TextPiece, learn_home},
};
use crate::{
    domain::{
        hazards::Hazard,
        learn::{Audience, QUIZ_TOPICS},
        preferences::Lang,
    },
    i18n::{title, tr, translate, translate_with, use_preferences},
};

/// The hazard's name in `lang`.
pub(super) fn hazard_name(hazard: Hazard, lang: Lang) -> &'static str {
    if lang == Lang::En { hazard.event_en() } else { hazard.event_zh() }
}

/// The audience's name in `lang`.
pub(super) fn audience_name(audience: Audience, lang: Lang) -> String {
    translate(lang, &format!("learn-audience-{}", audience.key()))
}

/// The library's page.
#[component]
pub fn LearnPage() -> impl IntoView {
    let (hazard, audience, q) =
        use_query_map().with_untracked(|query| (query.get("hazard"), query.get("audience"), query.get("q")));
    let home = Resource::new_blocking(
        move || (hazard.clone(), audience.clone(), q.clone()),
        |(hazard, audience, q)| learn_home(hazard, audience, q),
    );
    view! {
        <Title text=title("learn-title")/>
        <section class="page learn" aria-labelledby="page-heading">
            <h1 id="page-heading">{tr("learn-heading")}</h1>
            <p class="lead">{tr("learn-lead")}</p>
            <Suspense>
                {move || Suspend::new(async move {
                    match home.await {
                        Ok(home) => view! { <Library home/> }.into_any(),
                        Err(_) => view! { <p class="empty-state" role="alert">{tr("learn-error-unavailable")}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Library(home: LibraryView) -> impl IntoView {
    let lang = use_preferences().get_untracked().lang;
    let LibraryView { cards, hazard, audience, query, results, campaigns, hazards } = home;
    let filtered = hazard.is_some() || audience.is_some();
    let list_heading = match (hazard, audience) {
        (Some(hazard), _) => {
            translate_with(lang, "learn-list-hazard", &[("hazard", hazard_name(hazard, lang).into())])
        }
        (None, Some(audience)) => {
            translate_with(lang, "learn-list-audience", &[("audience", audience_name(audience, lang).into())])
        }
        (None, None) => translate(lang, "learn-list-all"),
    };
    view! {
        <form class="learn-search" method="get" action="/learn" role="search">
            <label for="learn-q">{tr("learn-search-label")}</label>
            <div class="learn-search-row">
                <input id="learn-q" name="q" type="search" value=query.clone() maxlength="100"
                    placeholder=translate(lang, "learn-search-placeholder")/>
                <button type="submit" class="button button--primary">{tr("learn-search-button")}</button>
            </div>
        </form>
        {results.map(|results| view! { <SearchResults query=query.clone() results/> })}
        {campaigns.into_iter().map(|campaign| view! { <Campaign campaign lang/> }).collect_view()}
        <nav class="learn-browse" aria-labelledby="learn-browse-heading">
            <h2 id="learn-browse-heading">{tr("learn-browse-heading")}</h2>
            <h3>{tr("learn-browse-hazard")}</h3>
            <ul class="chip-list">
                {hazards.into_iter().map(|h| {
                    let current = (hazard == Some(h)).then_some("page");
                    view! { <li><a class="chip" href=format!("/learn?hazard={}", h.key()) aria-current=current>{hazard_name(h, lang)}</a></li> }
                }).collect_view()}
            </ul>
            <h3>{tr("learn-browse-audience")}</h3>
            <ul class="chip-list">
                {Audience::ALL.into_iter().map(|a| {
                    let current = (audience == Some(a)).then_some("page");
                    view! { <li><a class="chip" href=format!("/learn?audience={}", a.key()) aria-current=current>{audience_name(a, lang)}</a></li> }
                }).collect_view()}
            </ul>
            {filtered.then(|| view! { <p><a href="/learn">{tr("learn-browse-all")}</a></p> })}
        </nav>
        <section aria-labelledby="learn-list-heading">
            <h2 id="learn-list-heading">{list_heading}</h2>
            <ArticleCards cards/>
        </section>
        <section class="learn-topics" aria-labelledby="learn-topics-heading">
            <h2 id="learn-topics-heading">{tr("learn-topics-heading")}</h2>
            <p>{tr("learn-topics-lead")}</p>
            <ul class="chip-list">
                {QUIZ_TOPICS.into_iter().map(|topic| view! {
                    <li><a class="chip" href=format!("/learn/quiz/{}", topic.key)>{translate(lang, &format!("learn-topic-{}", topic.key))}</a></li>
                }).collect_view()}
            </ul>
        </section>
    }
}

/// The search's results, or that there are none.
#[component]
fn SearchResults(query: String, results: Vec<SearchResult>) -> impl IntoView {
    let lang = use_preferences().get_untracked().lang;
    let heading = translate_with(
        lang,
        "learn-search-results",
        &[("count", results.len().into()), ("query", query.into())],
    );
    view! {
        <section class="learn-results" aria-labelledby="learn-results-heading">
            <h2 id="learn-results-heading" tabindex="-1">{heading}</h2>
            {if results.is_empty() {
                view! { <p class="empty-state">{tr("learn-search-none")}</p> }.into_any()
            } else {
                view! {
                    <ol class="learn-result-list">
                        {results.into_iter().map(|result| view! {
                            <li class="learn-result">
                                <h3><a href=format!("/learn/{}", result.card.slug)><Marked pieces=result.title/></a></h3>
                                <p class="learn-passage"><Marked pieces=result.passage/></p>
                            </li>
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </section>
    }
}

/// Text with its matched words in `<mark>`.
#[component]
fn Marked(pieces: Vec<TextPiece>) -> impl IntoView {
    pieces
        .into_iter()
        .map(|piece| {
            if piece.marked { view! { <mark>{piece.text}</mark> }.into_any() } else { piece.text.into_any() }
        })
        .collect_view()
}

/// A campaign's banner and its articles.
#[component]
fn Campaign(campaign: CampaignBanner, lang: Lang) -> impl IntoView {
    let name = campaign.name.unwrap_or_else(|| translate(lang, &format!("learn-campaign-{}", campaign.key)));
    let dates = translate_with(
        lang,
        "learn-campaign-dates",
        &[
            ("from", campaign.from.format("%Y-%m-%d").to_string().into()),
            ("to", campaign.to.format("%Y-%m-%d").to_string().into()),
        ],
    );
    view! {
        <section class="learn-campaign" aria-labelledby=format!("campaign-{}", campaign.key)>
            <p class="learn-campaign-tag">{tr("learn-campaign-now")}</p>
            <h2 id=format!("campaign-{}", campaign.key)>{name}</h2>
            <p class="hint">{dates}</p>
            <ArticleCards cards=campaign.articles/>
        </section>
    }
}
