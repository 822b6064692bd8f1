//! `/drills`: the drills on offer, each a card with its hazard, what it is about and how many
//! decisions it takes. Works with JavaScript off.

use leptos::prelude::*;
use leptos_meta::Title;

use super::api::drill_list;
use crate::{
    domain::preferences::Lang,
    i18n::{title, tr, translate_with, use_preferences},
};

/// The list of drills.
#[component]
pub fn DrillsPage() -> impl IntoView {
    let lang = use_preferences().get_untracked().lang;
    let cards = Resource::new_blocking(|| (), |()| drill_list());
    view! {
        <Title text=title("drills-title")/>
        <section class="page drills" aria-labelledby="page-heading">
            <h1 id="page-heading">{tr("drills-heading")}</h1>
            <p class="lead">{tr("drills-lead")}</p>
            <aside class="join-box" aria-labelledby="join-box-heading">
                <h2 id="join-box-heading">{tr("drills-join-heading")}</h2>
                <p>{tr("drills-join-text")}</p>
                <p><a class="button" href="/join">{tr("drills-join-link")}</a></p>
            </aside>
            <h2>{tr("drills-list-heading")}</h2>
            <Suspense>
                {move || Suspend::new(async move {
                    match cards.await {
                        Ok(cards) => view! {
                            <ul class="drill-list">
                                {cards.into_iter().map(|card| {
                                    let hazard = if lang == Lang::En { card.hazard.event_en() } else { card.hazard.event_zh() };
                                    view! {
                                        <li class="drill-card">
                                            <h3><a href=format!("/drills/{}", card.id)>{card.title}</a></h3>
                                            <p class="drill-card-meta">
                                                <span class="drill-hazard">{hazard}</span>
                                                " · "
                                                {translate_with(lang, "drills-decisions", &[("decisions", card.decisions.into())])}
                                            </p>
                                            <p>{card.summary}</p>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(_) => view! { <p class="empty-state" role="alert">{tr("drills-error-unavailable")}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
