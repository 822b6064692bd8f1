//! `/`: the warnings that concern the resident's places first, then the others in the city,
//! with how current the feed is. Rendered whole on the server (works with JavaScript off);
//! `/?code=<division>` and `/?at=<lat>,<lon>` render it for one place (a link a volunteer can
//! send to a whole village).

use chrono::{DateTime, FixedOffset};
use fluent::FluentValue;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{
    api::{ForgetPlace, HomePage, PickerGroup, PlaceName, SavePlace, home_warnings},
    live,
};
use crate::{
    domain::{
        cap::{ColourLevel, Severity},
        matching::Coverage,
        preferences::Lang,
        warnings::WarningCard,
    },
    i18n::{title, tr, translate, translate_with, use_preferences},
    shell::{Icon, IconSvg},
};

/// China Standard Time: every time on the page is local to the city.
fn local(time: DateTime<FixedOffset>) -> DateTime<FixedOffset> {
    time.with_timezone(&FixedOffset::east_opt(8 * 3600).unwrap_or(*time.offset()))
}

pub(super) fn format_time(lang: Lang, time: DateTime<FixedOffset>) -> String {
    let time = local(time);
    match lang {
        Lang::ZhCn => time.format("%-m月%-d日 %H:%M").to_string(),
        Lang::En => time.format("%-d %b %H:%M").to_string(),
    }
}

/// The home page.
#[component]
pub fn WarningsPage() -> impl IntoView {
    let query = use_query_map();
    let save = ServerAction::<SavePlace>::new();
    let forget = ServerAction::<ForgetPlace>::new();
    // Bumped by the live stream on every change (browser only).
    let changed = RwSignal::new(0u32);
    live::listen(changed);
    let page = Resource::new(
        move || {
            let (code, at) = query.with(|q| (q.get("code"), q.get("at")));
            (code, at, save.version().get() + forget.version().get() + changed.get() as usize)
        },
        |(code, at, _)| home_warnings(code, at),
    );
    let prefs = use_preferences();
    let new_for_places = announce_new_warnings(page);

    view! {
        <Title text=title("warnings-title")/>
        <section class="page warnings" aria-labelledby="page-heading">
            <h1 id="page-heading">{tr("warnings-heading")}</h1>
            <div aria-live="assertive">
                {move || new_for_places.get().map(|headline| view! {
                    <p class="notice notice--new" role="alert">
                        <IconSvg icon=Icon::Warning/>
                        " "{tr("warnings-new-for-places")}" "<strong>{headline}</strong>
                    </p>
                })}
            </div>
            <Suspense fallback=move || view! { <p role="status">{tr("warnings-loading")}</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(page) => view! { <HomeContent page save forget/> }.into_any(),
                        Err(error) => {
                            let message = translate(prefs.get_untracked().lang, &error.message_id);
                            view! { <p class="notice notice--error" role="alert">{message}</p> }.into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The headline of a warning for the resident's places that arrived while the page was open
/// (browser only: the first load announces nothing).
fn announce_new_warnings(
    page: Resource<Result<HomePage, crate::error::AppError>>,
) -> RwSignal<Option<String>> {
    let announced = RwSignal::new(None);
    #[cfg(feature = "hydrate")]
    let seen = StoredValue::new(None::<Vec<i64>>);
    #[cfg(feature = "hydrate")]
    let prefs = use_preferences();
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let Some(Ok(page)) = page.get() else { return };
        let ids: Vec<i64> = page.warnings.for_places.iter().map(|c| c.id).collect();
        if let Some(before) = seen.get_value() {
            let fresh = page.warnings.for_places.iter().find(|card| !before.contains(&card.id));
            if let Some(card) = fresh {
                announced.set(Some(card.headline.clone().unwrap_or_else(|| card.event.clone())));
                live::signal_new_warning(prefs.get_untracked());
            }
        }
        seen.set_value(Some(ids));
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = page;
    announced
}

#[component]
fn HomeContent(
    page: HomePage,
    save: ServerAction<SavePlace>,
    forget: ServerAction<ForgetPlace>,
) -> impl IntoView {
    let lang = use_preferences().get_untracked().lang;
    let HomePage { warnings, places, from_link, unknown_place, feed, picker } = page;
    let has_places = !places.is_empty();
    let feed_line = match feed.last_update {
        Some(time) => translate_with(
            lang,
            if feed.stale { "warnings-feed-stale" } else { "warnings-feed-updated" },
            &[("time", FluentValue::from(format_time(lang, time.fixed_offset())))],
        ),
        None => translate(lang, "warnings-feed-never"),
    };
    let feed_class = if feed.stale { "notice notice--stale" } else { "feed-status" };
    let feed_role = feed.stale.then_some("alert");

    view! {
        <p class=feed_class role=feed_role>{feed_line}</p>
        {unknown_place.then(|| view! { <p class="notice notice--error" role="alert">{tr("warnings-unknown-place")}</p> })}
        <section class="warnings-mine" aria-labelledby="mine-heading">
            <h2 id="mine-heading">
                {if from_link { tr("warnings-for-this-place")() } else { tr("warnings-for-my-places")() }}
            </h2>
            <PlaceList places=places.clone() from_link save forget/>
            {if !has_places {
                view! { <p class="empty-state">{tr("warnings-no-places")}</p> }.into_any()
            } else if warnings.for_places.is_empty() {
                view! {
                    <p class="empty-state empty-state--calm">
                        <strong>{tr("warnings-none-for-places")}</strong>
                    </p>
                }
                    .into_any()
            } else {
                view! { <CardList cards=warnings.for_places lang/> }.into_any()
            }}
            <UseMyLocation/>
            <PlacePicker picker/>
        </section>
        <section class="warnings-elsewhere" aria-labelledby="elsewhere-heading">
            <h2 id="elsewhere-heading">
                {if has_places { tr("warnings-elsewhere")() } else { tr("warnings-in-the-city")() }}
            </h2>
            {if warnings.elsewhere.is_empty() {
                view! { <p class="empty-state">{tr("warnings-none-elsewhere")}</p> }.into_any()
            } else {
                view! { <CardList cards=warnings.elsewhere lang/> }.into_any()
            }}
        </section>
    }
}

#[component]
fn PlaceList(
    places: Vec<PlaceName>,
    from_link: bool,
    save: ServerAction<SavePlace>,
    forget: ServerAction<ForgetPlace>,
) -> impl IntoView {
    let items = places
        .into_iter()
        .map(|place| {
            let action = place.key.clone().map(|code| {
                if place.saved {
                    view! {
                        <ActionForm action=forget attr:class="inline-form">
                            <input type="hidden" name="code" value=code/>
                            <button type="submit" class="button button--quiet">{tr("places-forget")}</button>
                        </ActionForm>
                    }
                    .into_any()
                } else {
                    view! {
                        <ActionForm action=save attr:class="inline-form">
                            <input type="hidden" name="code" value=code/>
                            <button type="submit" class="button">{tr("places-save")}</button>
                        </ActionForm>
                    }
                    .into_any()
                }
            });
            view! { <li><span class="place-name">{place.name}</span>{action}</li> }
        })
        .collect_view();
    view! {
        <ul class="place-list" aria-label=tr("places-list-label")>{items}</ul>
        {from_link.then(|| view! { <p><a href="/">{tr("warnings-back-to-my-places")}</a></p> })}
    }
}

/// Choose a county, township or street: a plain GET form to `/?code=…`.
#[component]
fn PlacePicker(picker: Vec<PickerGroup>) -> impl IntoView {
    let groups = picker
        .into_iter()
        .map(|group| {
            let townships = group
                .townships
                .into_iter()
                .map(|(code, name)| view! { <option value=code>{name}</option> })
                .collect_view();
            let whole = translate_with(
                use_preferences().get_untracked().lang,
                "places-whole-county",
                &[("county", FluentValue::from(group.name.clone()))],
            );
            view! {
                <optgroup label=group.name>
                    <option value=group.code>{whole}</option>
                    {townships}
                </optgroup>
            }
        })
        .collect_view();
    view! {
        <form method="get" action="/" class="place-picker">
            <label for="place-code">{tr("places-choose")}</label>
            <select id="place-code" name="code" required=true>
                <option value="">{tr("places-choose-prompt")}</option>
                {groups}
            </select>
            <button type="submit" class="button button--primary">{tr("places-show")}</button>
        </form>
    }
}

#[component]
fn CardList(cards: Vec<WarningCard>, lang: Lang) -> impl IntoView {
    let items = cards.into_iter().map(|card| view! { <li><Card card lang/></li> }).collect_view();
    view! { <ul class="warning-list">{items}</ul> }
}

/// One warning: level as colour + icon + words, headline, what to do now, where, until when.
#[component]
fn Card(card: WarningCard, lang: Lang) -> impl IntoView {
    let (level_class, level_key) = level(&card);
    let headline = card.headline.clone().unwrap_or_else(|| card.event.clone());
    let until = card.expires.map(|expires| format_time(lang, expires));
    let coverage_key = card.coverage.map(|coverage| match coverage {
        Coverage::Polygon | Coverage::Circle => "warnings-coverage-area",
        Coverage::Geocode => "warnings-coverage-division",
        Coverage::CityWide => "warnings-coverage-city-wide",
    });
    let href = format!("/alerts/{}", card.id);
    view! {
        <article class=format!("warning-card {level_class}") lang=card.language.clone()>
            <p class="warning-level">
                <IconSvg icon=Icon::Warning/>
                <span>{translate(lang, level_key)}</span>
                <span class="warning-event">{card.event.clone()}</span>
            </p>
            <h3 class="warning-headline"><a href=href>{headline}</a></h3>
            {(!card.in_residents_language).then(|| view! {
                <p class="warning-note" lang=lang.tag()>{tr("warnings-original-language")}</p>
            })}
            {card.instruction.clone().map(|instruction| view! {
                <div class="warning-instruction">
                    <h4 lang=lang.tag()>{tr("warnings-what-to-do")}</h4>
                    <p>{instruction}</p>
                </div>
            })}
            <dl class="warning-facts" lang=lang.tag()>
                <dt>{tr("warnings-where")}</dt>
                <dd lang=card.language.clone()>{card.area.clone()}</dd>
                {until.map(|until| view! { <dt>{tr("warnings-until-label")}</dt><dd>{until}</dd> })}
                {coverage_key.map(|key| view! { <dt>{tr("warnings-why-me")}</dt><dd>{translate(lang, key)}</dd> })}
            </dl>
        </article>
    }
}

/// The CSS class and the words of a warning's level: the colour level where there is one,
/// else CAP severity.
pub(super) fn level(card: &WarningCard) -> (&'static str, &'static str) {
    match (card.colour, card.severity) {
        (Some(ColourLevel::Red), _) => ("level-red", "warnings-level-red"),
        (Some(ColourLevel::Orange), _) => ("level-orange", "warnings-level-orange"),
        (Some(ColourLevel::Yellow), _) => ("level-yellow", "warnings-level-yellow"),
        (Some(ColourLevel::Blue), _) => ("level-blue", "warnings-level-blue"),
        (None, Severity::Extreme) => ("level-red", "warnings-severity-extreme"),
        (None, Severity::Severe) => ("level-orange", "warnings-severity-severe"),
        (None, Severity::Moderate) => ("level-yellow", "warnings-severity-moderate"),
        (None, Severity::Minor) => ("level-blue", "warnings-severity-minor"),
        (None, Severity::Unknown) => ("level-unknown", "warnings-severity-unknown"),
    }
}

/// "Use my location": asks the browser for the position only when tapped, rounds it to 0.01°
/// (about 1 km) on the phone and opens `/?at=` with that; the exact position never leaves the
/// phone. Shown only once the page has hydrated (it needs JavaScript).
#[component]
fn UseMyLocation() -> impl IntoView {
    let available = RwSignal::new(false);
    let state = RwSignal::new(LocateState::Idle);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let has_geolocation = web_sys::window().and_then(|w| w.navigator().geolocation().ok()).is_some();
        available.set(has_geolocation);
    });
    let navigate = leptos_router::hooks::use_navigate();
    let locate = move |_| {
        state.set(LocateState::Locating);
        #[cfg(feature = "hydrate")]
        locate::current_position(state, navigate.clone());
        #[cfg(not(feature = "hydrate"))]
        let _ = &navigate;
    };
    move || {
        available.get().then(|| {
            let message = match state.get() {
                LocateState::Idle => None,
                LocateState::Locating => Some(("status", tr("places-locating")())),
                LocateState::Failed => Some(("alert", tr("places-location-failed")())),
            };
            let locate = locate.clone();
            view! {
                <div class="use-location">
                    <button type="button" class="button" on:click=locate>{tr("places-use-my-location")}</button>
                    <p class="hint">{tr("places-location-privacy")}</p>
                    {message.map(|(role, text)| view! { <p role=role>{text}</p> })}
                </div>
            }
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))] // Set by the browser only.
enum LocateState {
    Idle,
    Locating,
    Failed,
}

#[cfg(feature = "hydrate")]
mod locate {
    use leptos::prelude::*;
    use wasm_bindgen::{JsCast, JsValue, closure::Closure};

    use super::LocateState;
    use crate::domain::{cap::Point, matching::coarse_point};

    /// One position fix; on success opens the page for the coarse point.
    pub fn current_position(
        state: RwSignal<LocateState>,
        navigate: impl Fn(&str, leptos_router::NavigateOptions) + 'static,
    ) {
        let Some(geolocation) = web_sys::window().and_then(|w| w.navigator().geolocation().ok()) else {
            state.set(LocateState::Failed);
            return;
        };
        let on_position = Closure::once_into_js(move |position: JsValue| {
            let coords = position.unchecked_into::<web_sys::Position>().coords();
            // Rounded here, in the browser: only this coarse point goes into the link.
            let point = coarse_point(Point { lat: coords.latitude(), lon: coords.longitude() });
            state.set(LocateState::Idle);
            navigate(&format!("/?at={:.2},{:.2}", point.lat, point.lon), Default::default());
        });
        let on_error = Closure::once_into_js(move |_: JsValue| state.set(LocateState::Failed));
        let asked = geolocation.get_current_position_with_error_callback(
            on_position.unchecked_ref(),
            Some(on_error.unchecked_ref()),
        );
        if asked.is_err() {
            state.set(LocateState::Failed);
        }
    }
}
