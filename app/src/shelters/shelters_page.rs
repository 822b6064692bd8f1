//! `/shelters`: the shelters nearest the resident (from "use my location", rounded on the phone,
//! or a saved place that is a point), with filters as a plain GET form and the shelters drawn
//! and numbered on the offline city map. Works with JavaScript off.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{
    api::{ShelterListItem, ShelterMap, shelter_list},
    words::{state_words, walking_words},
};
use crate::{
    alerts::{LiveUpdates, SHELTER_STREAM, UseMyLocation, WARNINGS_BUNDLE},
    domain::{hazards::Hazard, preferences::Lang, shelters::ShelterFilter},
    i18n::{title, tr, translate, translate_with, use_preferences},
    shell::IslandsBundle,
};

/// The filter a query asks for (`open`, `room`, `accessible`, `medical`, `indoor`: present and
/// not empty; `hazard`: a hazard key).
fn filter_of(query: &leptos_router::params::ParamsMap) -> ShelterFilter {
    let on = |key: &str| query.get(key).is_some_and(|v| !v.is_empty());
    ShelterFilter {
        open_now: on("open"),
        has_room: on("room"),
        accessible: on("accessible"),
        medical: on("medical"),
        indoor: on("indoor"),
        hazard: query.get("hazard").and_then(|h| Hazard::from_key(&h)),
    }
}

/// The list page.
#[component]
pub fn SheltersPage() -> impl IntoView {
    let lang = use_preferences().get_untracked().lang;
    let (at, filter) = use_query_map().with_untracked(|q| (q.get("at"), filter_of(q)));
    let page = Resource::new_blocking(move || (at.clone(), filter), |(at, filter)| shelter_list(at, filter));
    view! {
        <Title text=title("shelters-title")/>
        <IslandsBundle name=WARNINGS_BUNDLE/>
        <section class="page shelters" aria-labelledby="page-heading">
            <h1 id="page-heading">{tr("shelters-heading")}</h1>
            <UseMyLocation
                path="/shelters".to_owned()
                label=translate(lang, "shelters-use-my-location")
                privacy=translate(lang, "places-location-privacy")
                locating=translate(lang, "places-locating")
                failed=translate(lang, "places-location-failed")
            />
            // States change as volunteers report: the list and map follow without a reload.
            <LiveUpdates stream=SHELTER_STREAM.to_owned() banner_prefix=String::new() sound=false vibrate=false/>
            <Suspense>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(page) => view! {
                            {page.has_sample.then(|| view! { <p class="sample-note" role="note">{tr("shelters-sample-note")}</p> })}
                            <p class="shelters-origin">
                                {match page.origin {
                                    Some((lat, lon)) => format!("{} ({lat:.2}, {lon:.2})", translate(lang, "shelters-from-point")),
                                    None => translate(lang, "shelters-no-origin"),
                                }}
                            </p>
                            <FilterForm filter=page.filter origin=page.origin/>
                            <div id="shelter-results" data-live="">
                            <p class="hint shelters-as-of">{translate_with(lang, "shelters-as-of", &[("time", page.as_of.clone().into())])}</p>
                            {if page.items.is_empty() {
                                view! {
                                    <p class="empty-state">
                                        {if page.total == 0 { tr("shelters-register-empty")() } else { tr("shelters-none-match")() }}
                                    </p>
                                }.into_any()
                            } else {
                                let origin = page.origin;
                                view! {
                                    <ol class="shelter-list">
                                        {page.items.into_iter().enumerate().map(|(i, item)| view! { <ListItem number=i + 1 item origin lang/> }).collect_view()}
                                    </ol>
                                    <ShelterCityMap map=page.map/>
                                }.into_any()
                            }}
                            </div>
                            <p class="hint">{tr("shelters-walking-note")}</p>
                        }.into_any(),
                        Err(_) => view! { <p class="empty-state" role="alert">{tr("shelters-error-unavailable")}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The filters: a plain GET form, so it works without JavaScript; it keeps the point.
#[component]
fn FilterForm(filter: ShelterFilter, origin: Option<(f64, f64)>) -> impl IntoView {
    let lang = use_preferences().get_untracked().lang;
    let check = |name: &'static str, key: &'static str, on: bool| {
        view! {
            <label class="choice">
                <input type="checkbox" name=name value="1" checked=on/>
                <span>{translate(lang, key)}</span>
            </label>
        }
    };
    view! {
        <form class="shelter-filters" method="get" action="/shelters">
            {origin.map(|(lat, lon)| view! { <input type="hidden" name="at" value=format!("{lat:.2},{lon:.2}")/> })}
            <fieldset>
                <legend>{tr("shelters-filters")}</legend>
                {check("open", "shelters-filter-open", filter.open_now)}
                {check("room", "shelters-filter-room", filter.has_room)}
                {check("accessible", "shelters-filter-accessible", filter.accessible)}
                {check("medical", "shelters-filter-medical", filter.medical)}
                {check("indoor", "shelters-filter-indoor", filter.indoor)}
                <label for="shelter-hazard">{tr("shelters-filter-hazard")}</label>
                <select id="shelter-hazard" name="hazard">
                    <option value="">{tr("shelters-filter-any-hazard")}</option>
                    {Hazard::ALL.into_iter().filter(|h| *h != Hazard::Other).map(|hazard| {
                        let label = if lang == Lang::En { hazard.event_en() } else { hazard.event_zh() };
                        view! { <option value=hazard.key() selected=filter.hazard == Some(hazard)>{label}</option> }
                    }).collect_view()}
                </select>
            </fieldset>
            <button type="submit" class="button">{tr("shelters-filter-apply")}</button>
        </form>
    }
}

/// One shelter of the list: its number on the map, name, state in words, room, distance.
#[component]
fn ListItem(number: usize, item: ShelterListItem, origin: Option<(f64, f64)>, lang: Lang) -> impl IntoView {
    let link = match origin {
        Some((lat, lon)) => format!("/shelters/{}?at={lat:.2},{lon:.2}", item.id),
        None => format!("/shelters/{}", item.id),
    };
    view! {
        <li class=format!("shelter-item shelter-item--{}", item.state.key())>
            <span class="shelter-number" aria-hidden="true">{number}</span>
            <div>
                <h2 class="shelter-name">
                    <a href=link>{item.name.clone()}</a>
                    {item.sample.then(|| view! { " " <span class="sample-tag">{tr("shelters-sample-tag")}</span> })}
                </h2>
                <p class="shelter-state">{state_words(lang, &item)}</p>
                {match (item.distance_km, item.walking_minutes) {
                    (Some(km), Some(minutes)) => Some(view! { <p class="shelter-distance">{walking_words(lang, km, minutes)}</p> }),
                    _ => None,
                }}
                <p class="shelter-address">{item.address.clone()}</p>
            </div>
        </li>
    }
}

/// The city map with the shelters numbered as in the list, and the resident's point.
#[component]
pub fn ShelterCityMap(map: ShelterMap) -> impl IntoView {
    view! {
        <figure class="warning-map shelter-map">
            <svg viewBox=format!("0 0 {:.0} {:.0}", map.width, map.height) role="img" aria-labelledby="shelter-map-caption">
                {map.districts.into_iter().map(|d| view! {
                    <path class="map-district" d=d.d/>
                    <text class="map-label" x=format!("{:.1}", d.label.0) y=format!("{:.1}", d.label.1)>{d.name}</text>
                }).collect_view()}
                {map.origin.map(|(x, y)| view! { <circle class="map-place" cx=format!("{x:.1}") cy=format!("{y:.1}") r="5"/> })}
                {map.shelters.into_iter().map(|(x, y, number)| view! {
                    <circle class="map-shelter" cx=format!("{x:.1}") cy=format!("{y:.1}") r="7"/>
                    <text class="map-shelter-number" x=format!("{x:.1}") y=format!("{:.1}", y + 3.0)>{number}</text>
                }).collect_view()}
            </svg>
            <figcaption id="shelter-map-caption">{tr("shelters-map-caption")}</figcaption>
        </figure>
    }
}
