//! `/drills/{scenario}`: one drill, played by the [`DrillPlayer`] island: in place with
//! JavaScript, and with it off as a sequence of server-rendered steps whose choices are form
//! buttons (the address carries the path: `?path=a.b&pick=c`). The official sources are named
//! under it.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{
    DRILLS_BUNDLE,
    api::{DrillSheet, drill_play},
    player::{DrillPlayer, PlayerTexts},
};
use crate::{
    domain::preferences::Lang,
    i18n::{FluentValue, title, tr, translate, translate_with, use_preferences},
    shell::{IslandsBundle, NotFoundPage},
};

/// One drill's page; an unknown scenario is the 404 page.
#[component]
pub fn DrillPage() -> impl IntoView {
    let id = use_params_map().with_untracked(|p| p.get("id").unwrap_or_default());
    let (path, pick) = use_query_map().with_untracked(|q| (q.get("path"), q.get("pick")));
    let sheet = Resource::new_blocking(
        move || (id.clone(), path.clone(), pick.clone()),
        |(id, path, pick)| drill_play(id, path, pick),
    );
    view! {
        <Title text=title("drills-title")/>
        <IslandsBundle name=DRILLS_BUNDLE/>
        <Suspense>
            {move || Suspend::new(async move {
                match sheet.await {
                    Ok(Some(sheet)) => view! { <Drill sheet/> }.into_any(),
                    Ok(None) => view! { <NotFoundPage/> }.into_any(),
                    Err(_) => view! {
                        <section class="page"><p class="empty-state" role="alert">{tr("drills-error-unavailable")}</p></section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The player's words in `lang`, with the player's own placeholders left in.
fn player_texts(lang: Lang) -> PlayerTexts {
    let with = |key: &str, names: &[&'static str]| {
        let args: Vec<(&'static str, FluentValue<'static>)> =
            names.iter().map(|name| (*name, FluentValue::from(format!("{{{name}}}")))).collect();
        translate_with(lang, key, &args)
    };
    PlayerTexts {
        step: with("drills-player-step", &["n"]),
        question: translate(lang, "drills-player-question"),
        time_limit: with("drills-player-time-limit", &["seconds"]),
        time_left: with("drills-player-time-left", &["seconds"]),
        time_up: translate(lang, "drills-player-time-up"),
        time_up_feedback: translate(lang, "drills-player-time-up-feedback"),
        right: translate(lang, "drills-player-right"),
        wrong: translate(lang, "drills-player-wrong"),
        safe: translate(lang, "drills-player-safe"),
        lesson: translate(lang, "drills-player-lesson"),
        score: with("drills-player-score", &["correct", "decisions"]),
        remember: translate(lang, "drills-player-remember"),
        review: translate(lang, "drills-player-review"),
        again: translate(lang, "drills-player-again"),
        all_drills: translate(lang, "drills-player-all"),
        read_aloud: translate(lang, "drills-player-read-aloud"),
        last_time: with("drills-player-last-time", &["correct", "decisions"]),
    }
}

#[component]
fn Drill(sheet: DrillSheet) -> impl IntoView {
    let lang = use_preferences().get_untracked().lang;
    let english = lang == Lang::En;
    let scenario = sheet.scenario;
    view! {
        <section class="page drill" aria-labelledby="page-heading">
            <p class="breadcrumb"><a href="/drills">{tr("drills-heading")}</a></p>
            <h1 id="page-heading">{scenario.title.in_language(english).to_owned()}</h1>
            <p class="lead">{scenario.summary.in_language(english).to_owned()}</p>
            {sheet.path_refused.then(|| view! { <p class="notice" role="alert">{tr("drills-path-refused")}</p> })}
            <p class="hint js-off-only">{tr("drills-no-js-note")}</p>
            <DrillPlayer scenario path=sheet.path english texts=player_texts(lang)/>
            <section class="drill-sources" aria-labelledby="drill-sources-heading">
                <h2 id="drill-sources-heading">{tr("drills-sources")}</h2>
                <p>{tr("drills-sources-note")}</p>
                <ul>
                    {sheet.sources.into_iter().map(|source| view! {
                        <li><a href=source.url rel="noopener noreferrer external">{source.title}</a></li>
                    }).collect_view()}
                </ul>
            </section>
        </section>
    }
}
