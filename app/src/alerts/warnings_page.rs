//! `/`: the warnings that concern the resident's places first, then the others in the city,
//! with how current the feed is. Rendered whole on the server (works with JavaScript off);
//! `/?code=<division>` and `/?at=<lat>,<lon>` render it for one place (a link a volunteer can
//! send to a whole village).

use chrono::{DateTime, FixedOffset};
use fluent::FluentValue;
use leptos::{prelude::*, server_fn::ServerFn as _};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{
    api::{ForgetPlace, HomePage, PickerGroup, PlaceName, SavePlace, home_warnings},
    live::{ALERT_STREAM, LiveUpdates},
    use_location::UseMyLocation,
};
use crate::{
    domain::{
        cap::{ColourLevel, Severity},
        matching::Coverage,
        preferences::Lang,
        warnings::WarningCard,
    },
    i18n::{title, tr, translate, translate_with, use_preferences},
    shell::{Icon, IconSvg, IslandsBundle},
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
    let (code, at) = query.with_untracked(|q| (q.get("code"), q.get("at")));
    let page = Resource::new(move || (code.clone(), at.clone()), |(code, at)| home_warnings(code, at));
    let prefs = use_preferences().get_untracked();

    view! {
        <Title text=title("warnings-title")/>
        <IslandsBundle name=super::WARNINGS_BUNDLE/>
        <section class="page warnings" aria-labelledby="page-heading">
            <h1 id="page-heading">{tr("warnings-heading")}</h1>
            <LiveUpdates
                stream=ALERT_STREAM.to_owned()
                banner_prefix=translate(prefs.lang, "warnings-new-for-places")
                sound=prefs.alert_sound
                vibrate=prefs.alert_vibrate
            />
            <Suspense fallback=move || view! { <p role="status">{tr("warnings-loading")}</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(page) => view! { <HomeContent page/> }.into_any(),
                        Err(error) => {
                            let message = translate(prefs.lang, &error.message_id);
                            view! { <p class="notice notice--error" role="alert">{message}</p> }.into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}

/// Everything below the heading. The feed line and both card lists are `data-live` regions:
/// the live island swaps in their new versions; the cards for the resident's places carry
/// `data-announce`, so a new one raises the banner.
#[component]
fn HomeContent(page: HomePage) -> impl IntoView {
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
        <p id="live-feed" data-live="" class=feed_class role=feed_role>{feed_line}</p>
        {unknown_place.then(|| view! { <p class="notice notice--error" role="alert">{tr("warnings-unknown-place")}</p> })}
        <section class="warnings-mine" aria-labelledby="mine-heading">
            <h2 id="mine-heading">
                {if from_link { tr("warnings-for-this-place")() } else { tr("warnings-for-my-places")() }}
            </h2>
            <PlaceList places=places.clone() from_link/>
            <div id="live-mine" data-live="">
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
                    view! { <CardList cards=warnings.for_places lang announce=true/> }.into_any()
                }}
            </div>
            <UseMyLocation
                path="/".to_owned()
                label=translate(lang, "places-use-my-location")
                privacy=translate(lang, "places-location-privacy")
                locating=translate(lang, "places-locating")
                failed=translate(lang, "places-location-failed")
            />
            <PlacePicker picker/>
        </section>
        <section class="warnings-elsewhere" aria-labelledby="elsewhere-heading">
            <h2 id="elsewhere-heading">
                {if has_places { tr("warnings-elsewhere")() } else { tr("warnings-in-the-city")() }}
            </h2>
            <div id="live-elsewhere" data-live="">
                {if warnings.elsewhere.is_empty() {
                    view! { <p class="empty-state">{tr("warnings-none-elsewhere")}</p> }.into_any()
                } else {
                    view! { <CardList cards=warnings.elsewhere lang announce=false/> }.into_any()
                }}
            </div>
        </section>
    }
}

#[component]
fn PlaceList(places: Vec<PlaceName>, from_link: bool) -> impl IntoView {
    let items = places
        .into_iter()
        .map(|place| {
            let action = place.key.clone().map(|code| {
                if place.saved {
                    view! {
                        <form action=ForgetPlace::url() method="post" class="inline-form">
                            <input type="hidden" name="code" value=code/>
                            <button type="submit" class="button button--quiet">{tr("places-forget")}</button>
                        </form>
                    }
                    .into_any()
                } else {
                    view! {
                        <form action=SavePlace::url() method="post" class="inline-form">
                            <input type="hidden" name="code" value=code/>
                            <button type="submit" class="button">{tr("places-save")}</button>
                        </form>
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
fn CardList(cards: Vec<WarningCard>, lang: Lang, announce: bool) -> impl IntoView {
    let items = cards.into_iter().map(|card| view! { <li><Card card lang announce/></li> }).collect_view();
    view! { <ul class="warning-list">{items}</ul> }
}

/// One warning: level as colour + icon + words, headline, what to do now, where, until when.
/// With `announce`, the live island raises the banner when this card first appears.
#[component]
pub fn Card(card: WarningCard, lang: Lang, announce: bool) -> impl IntoView {
    let (level_class, level_key) = level(&card);
    let headline = card.headline.clone().unwrap_or_else(|| card.event.clone());
    let until = card.expires.map(|expires| format_time(lang, expires));
    let coverage_key = card.coverage.map(|coverage| match coverage {
        Coverage::Polygon | Coverage::Circle => "warnings-coverage-area",
        Coverage::Geocode => "warnings-coverage-division",
        Coverage::CityWide => "warnings-coverage-city-wide",
    });
    let href = format!("/alerts/{}", card.id);
    let announce_text = announce.then(|| headline.clone());
    view! {
        <article
            class=format!("warning-card {level_class}")
            lang=card.language.clone()
            data-announce=announce.then(|| card.id.to_string())
            data-announce-text=announce_text
        >
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
