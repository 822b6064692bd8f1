//! `/shelters/{id}`: everything about one shelter: its state and how old the report is, room,
//! what it offers and which hazards it suits, where it is, and "take me there" in the map apps
//! residents use (each given the coordinates its datum needs). Works with JavaScript off; with
//! it, the state follows volunteers' reports live.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{
    api::{ShelterSheet, shelter_detail},
    shelters_page::ShelterCityMap,
    words::{state_words, walking_words},
};
use crate::{
    alerts::{LiveUpdates, SHELTER_STREAM, WARNINGS_BUNDLE},
    domain::preferences::Lang,
    i18n::{title, tr, translate, use_preferences},
    shell::{IslandsBundle, NotFoundPage},
};

/// One shelter's page; an unknown id is the 404 page.
#[component]
pub fn ShelterPage() -> impl IntoView {
    let id = use_params_map().with_untracked(|p| p.get("id").unwrap_or_default());
    let at = use_query_map().with_untracked(|q| q.get("at"));
    let page = Resource::new_blocking(move || (id.clone(), at.clone()), |(id, at)| shelter_detail(id, at));
    view! {
        <Title text=title("shelters-title")/>
        <IslandsBundle name=WARNINGS_BUNDLE/>
        <Suspense>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(Some(detail)) => view! { <Detail detail/> }.into_any(),
                    Ok(None) => view! { <NotFoundPage/> }.into_any(),
                    Err(_) => view! {
                        <section class="page"><p class="empty-state" role="alert">{tr("shelters-error-unavailable")}</p></section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Detail(detail: ShelterSheet) -> impl IntoView {
    let lang = use_preferences().get_untracked().lang;
    let item = detail.item.clone();
    let key_words = |prefix: &str, key: &str| translate(lang, &format!("shelters-{prefix}-{key}"));
    let facts = vec![
        (translate(lang, "shelters-fact-level"), key_words("level", detail.level.key())),
        (
            translate(lang, "shelters-fact-kind"),
            format!(
                "{} · {} · {}",
                key_words("space", detail.space.key()),
                key_words("purpose", detail.purpose.key()),
                key_words("stay", detail.stay.key())
            ),
        ),
        (
            translate(lang, "shelters-fact-capacity"),
            format!("{} · {} m²", people(lang, item.capacity), detail.area_m2),
        ),
        (translate(lang, "shelters-fact-address"), format!("{} ({})", item.address, detail.division)),
        (
            translate(lang, "shelters-fact-hours"),
            if detail.hours.is_empty() {
                translate(lang, "shelters-not-stated")
            } else {
                detail.hours.clone()
            },
        ),
        (
            translate(lang, "shelters-fact-position"),
            format!(
                "{:.5}, {:.5} (WGS-84){}",
                detail.lat,
                detail.lon,
                detail.position_source.as_ref().map(|s| format!(" · {s}")).unwrap_or_default()
            ),
        ),
    ];
    let facilities =
        detail.facilities.iter().map(|f| view! { <li>{key_words("facility", f.key())}</li> }).collect_view();
    let hazards = detail
        .hazards
        .iter()
        .map(|h| view! { <li>{if lang == Lang::En { h.event_en() } else { h.event_zh() }}</li> })
        .collect_view();
    let links = detail.links.clone();
    view! {
        <section class=format!("page shelter shelter-item--{}", item.state.key()) aria-labelledby="page-heading">
            <p><a href="/shelters">{tr("shelters-back")}</a></p>
            <h1 id="page-heading">
                {item.name.clone()}
                {item.sample.then(|| view! { " " <span class="sample-tag">{tr("shelters-sample-tag")}</span> })}
            </h1>
            {item.sample.then(|| view! { <p class="sample-note" role="note">{tr("shelters-sample-note")}</p> })}
            <LiveUpdates stream=SHELTER_STREAM.to_owned() banner_prefix=String::new() sound=false vibrate=false/>
            // Follows volunteers' reports without a reload.
            <p id="shelter-state" data-live="" class="shelter-state shelter-state--big">{state_words(lang, &item)}</p>
            {match (item.distance_km, item.walking_minutes) {
                (Some(km), Some(minutes)) => Some(view! { <p class="shelter-distance">{walking_words(lang, km, minutes)}</p> }),
                _ => None,
            }}
            <h2>{tr("shelters-take-me-there")}</h2>
            <ul class="take-me-there">
                <li><a class="button" href=links.amap rel="noopener">{tr("shelters-open-amap")}</a></li>
                <li><a class="button" href=links.baidu rel="noopener">{tr("shelters-open-baidu")}</a></li>
                <li><a class="button" href=links.apple rel="noopener">{tr("shelters-open-apple")}</a></li>
                <li><a class="button" href=links.geo>{tr("shelters-open-other")}</a></li>
            </ul>
            {detail.contact.clone().map(|contact| {
                let tel = format!("tel:{}", contact.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect::<String>());
                view! { <p>{tr("shelters-fact-contact")} ": " <a href=tel>{contact}</a></p> }
            })}
            <dl class="facts">
                {facts.into_iter().map(|(term, value)| view! { <dt>{term}</dt><dd>{value}</dd> }).collect_view()}
            </dl>
            <h2>{tr("shelters-facilities")}</h2>
            {if detail.facilities.is_empty() {
                view! { <p>{tr("shelters-not-stated")}</p> }.into_any()
            } else {
                view! { <ul class="facility-list">{facilities}</ul> }.into_any()
            }}
            <h2>{tr("shelters-suits")}</h2>
            {if detail.hazards.is_empty() {
                view! { <p>{tr("shelters-not-stated")}</p> }.into_any()
            } else {
                view! { <ul class="facility-list">{hazards}</ul> }.into_any()
            }}
            <ShelterCityMap map=detail.map/>
        </section>
    }
}

fn people(lang: Lang, count: u32) -> String {
    crate::i18n::translate_with(lang, "shelters-people", &[("count", count.into())])
}
