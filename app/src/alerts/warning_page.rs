//! `/alerts/{id}`: everything a warning says, in the resident's language when it has it (else
//! the original, said so), where it stands (in force, updated, cancelled, lifted, expired) with
//! its history, a link to share, and "read aloud" (browser speech synthesis, JavaScript only).

use chrono::{DateTime, FixedOffset};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::{
    api::{HistoryEntry, WarningDetail, load_warning},
    live::{ALERT_STREAM, LiveUpdates},
    read_aloud::ReadAloud,
    warnings_page::{format_time, level},
};
use crate::{
    domain::{
        cap::{Certainty, MsgType, Urgency},
        lifecycle::Lifecycle,
        map::MapView,
        preferences::Lang,
        warnings::WarningCard,
    },
    i18n::{title, tr, translate, translate_with, use_preferences},
    shell::{Icon, IconSvg, IslandsBundle},
};

/// The warning page.
#[component]
pub fn WarningPage() -> impl IntoView {
    let params = use_params_map();
    let prefs = use_preferences();
    let detail = Resource::new(
        move || params.with_untracked(|p| p.get("id").and_then(|id| id.parse::<i64>().ok())),
        |id| async move {
            match id {
                Some(id) => load_warning(id).await,
                None => Ok(None),
            }
        },
    );
    view! {
        <Suspense fallback=move || view! { <p role="status">{tr("warnings-loading")}</p> }>
            {move || Suspend::new(async move {
                let lang = prefs.get_untracked().lang;
                match detail.await {
                    Ok(Some(detail)) => view! { <Detail detail lang/> }.into_any(),
                    Ok(None) => {
                        // Rendered on the server inside the page's response: a 404 for crawlers
                        // and link checkers (in the browser this code does not run).
                        #[cfg(feature = "ssr")]
                        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                            response.set_status(http::StatusCode::NOT_FOUND);
                        }
                        view! {
                            <Title text=title("warning-missing-title")/>
                            <section class="page" aria-labelledby="page-heading">
                                <h1 id="page-heading">{tr("warning-missing-heading")}</h1>
                                <p>{tr("warning-missing-body")}</p>
                                <p><a class="button" href="/">{tr("warning-back")}</a></p>
                            </section>
                        }
                            .into_any()
                    }
                    Err(error) => view! {
                        <section class="page">
                            <p class="notice notice--error" role="alert">{translate(lang, &error.message_id)}</p>
                        </section>
                    }
                        .into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Detail(detail: WarningDetail, lang: Lang) -> impl IntoView {
    let WarningDetail {
        id,
        card,
        description,
        effective,
        onset,
        certainty,
        sender,
        web,
        contact,
        lifecycle,
        history,
        map,
        shelters,
        reading,
    } = detail;
    let (level_class, level_key) = level(&card);
    let headline = card.headline.clone().unwrap_or_else(|| card.event.clone());
    let spoken = spoken_text(&card, lang);
    let text_lang = card.language.clone();
    let share_path = format!("/alerts/{id}");
    let cap_path = format!("/api/v1/alerts/{id}.cap");
    let page_title = headline.clone();
    let prefs = use_preferences().get_untracked();

    view! {
        <Title text=page_title/>
        <IslandsBundle name=super::WARNINGS_BUNDLE/>
        <article class=format!("page warning-detail {level_class}") aria-labelledby="page-heading">
            <LiveUpdates
                stream=ALERT_STREAM.to_owned()
                banner_prefix=translate(lang, "warning-changed")
                sound=prefs.alert_sound
                vibrate=prefs.alert_vibrate
            />
            <p class="warning-level">
                <IconSvg icon=Icon::Warning/>
                <span>{translate(lang, level_key)}</span>
                <span class="warning-event" lang=text_lang.clone()>{card.event.clone()}</span>
            </p>
            <h1 id="page-heading" lang=text_lang.clone()>{headline}</h1>
            <LifecycleLine lifecycle lang/>
            {(!card.in_residents_language).then(|| view! { <p class="warning-note">{tr("warnings-original-language")}</p> })}
            <ReadAloud text=spoken lang=text_lang.clone() label=translate(lang, "warning-read-aloud")/>
            {card.instruction.clone().map(|instruction| view! {
                <section class="warning-instruction" aria-labelledby="todo-heading">
                    <h2 id="todo-heading">{tr("warnings-what-to-do")}</h2>
                    <p lang=text_lang.clone()>{instruction}</p>
                </section>
            })}
            {description.map(|description| view! {
                <section aria-labelledby="description-heading">
                    <h2 id="description-heading">{tr("warning-description")}</h2>
                    <p lang=text_lang.clone()>{description}</p>
                </section>
            })}
            <NearbyShelterList shelters lang/>
            {(!reading.is_empty()).then(|| view! {
                <section class="warning-reading" aria-labelledby="reading-heading">
                    <h2 id="reading-heading">{tr("warning-reading")}</h2>
                    <ul>
                        {reading.into_iter().map(|link| view! { <li><a href=format!("/learn/{}", link.slug)>{link.title}</a></li> }).collect_view()}
                    </ul>
                </section>
            })}
            <AreaMap map/>
            <dl class="warning-facts">
                <dt>{tr("warnings-where")}</dt>
                <dd lang=text_lang.clone()>{card.area.clone()}</dd>
                {fact(lang, "warning-effective", Some(effective))}
                {fact(lang, "warning-onset", onset)}
                {fact(lang, "warnings-until-label", card.expires)}
                <dt>{tr("warning-urgency")}</dt>
                <dd>{translate(lang, urgency_key(card.urgency))}</dd>
                <dt>{tr("warning-certainty")}</dt>
                <dd>{translate(lang, certainty_key(certainty))}</dd>
                <dt>{tr("warning-sender")}</dt>
                <dd lang=text_lang.clone()>{sender}</dd>
                {fact(lang, "warning-sent", Some(card.sent))}
                {web.map(|web| view! {
                    <dt>{tr("warning-web")}</dt>
                    <dd><a href=web.clone() rel="noopener noreferrer">{web.clone()}</a></dd>
                })}
                {contact.map(|contact| view! { <dt>{tr("warning-contact")}</dt><dd>{contact}</dd> })}
            </dl>
            <div id="live-history" data-live="">
                <History history current=id lang/>
            </div>
            <section aria-labelledby="share-heading">
                <h2 id="share-heading">{tr("warning-share")}</h2>
                <p>{tr("warning-share-hint")}</p>
                <p><a href=share_path.clone()>{share_path.clone()}</a></p>
                <p><a href=cap_path>{tr("warning-original-cap")}</a></p>
            </section>
            <p><a href="/">{tr("warning-back")}</a></p>
        </article>
    }
    .into_any()
}

fn fact(lang: Lang, key: &'static str, time: Option<DateTime<FixedOffset>>) -> Option<impl IntoView> {
    time.map(|time| view! { <dt>{tr(key)}</dt><dd>{format_time(lang, time)}</dd> })
}

#[component]
fn LifecycleLine(lifecycle: Lifecycle, lang: Lang) -> impl IntoView {
    let (class, key, newer) = match lifecycle {
        Lifecycle::Active => ("status status--active", "warning-status-active", None),
        Lifecycle::Superseded { by } => ("status status--ended", "warning-status-updated", Some(by)),
        Lifecycle::Cancelled { .. } => ("status status--ended", "warning-status-cancelled", None),
        Lifecycle::Lifted { .. } => ("status status--ended", "warning-status-lifted", None),
        Lifecycle::Expired => ("status status--ended", "warning-status-expired", None),
        Lifecycle::Notice | Lifecycle::NotActual => ("status status--ended", "warning-status-notice", None),
    };
    let text = translate(lang, key);
    let announce_text = text.clone();
    // A live region: when the warning is updated, cancelled or lifted while the page is open,
    // the new status replaces this one and is announced.
    view! {
        <p id="live-status" data-live="" data-announce=key data-announce-text=announce_text class=class role="status">
            <strong>{text}</strong>
            {newer.map(|by| view! { " " <a href=format!("/alerts/{by}")>{tr("warning-see-latest")}</a> })}
        </p>
    }
}

#[component]
fn History(history: Vec<HistoryEntry>, current: i64, lang: Lang) -> impl IntoView {
    (history.len() > 1).then(|| {
        let items = history
            .into_iter()
            .map(|entry| {
                let kind = match entry.msg_type {
                    MsgType::Alert => "warning-history-alert",
                    MsgType::Update => "warning-history-update",
                    MsgType::Cancel => "warning-history-cancel",
                    MsgType::Ack | MsgType::Error => "warning-history-notice",
                };
                let text = format!(
                    "{} · {} · {}",
                    format_time(lang, entry.sent),
                    translate(lang, kind),
                    entry.headline.unwrap_or_default()
                );
                let this = entry.id == current;
                view! {
                    <li>
                        {if this {
                            view! { <span aria-current="page"><strong>{text}</strong></span> }.into_any()
                        } else {
                            view! { <a href=format!("/alerts/{}", entry.id)>{text}</a> }.into_any()
                        }}
                    </li>
                }
            })
            .collect_view();
        view! {
            <section aria-labelledby="history-heading">
                <h2 id="history-heading">{tr("warning-history")}</h2>
                <ol class="warning-history">{items}</ol>
            </section>
        }
    })
}

/// What "read aloud" says: the level words are on screen; the headline, what to do and until when.
fn spoken_text(card: &WarningCard, lang: Lang) -> String {
    let mut parts = vec![card.headline.clone().unwrap_or_else(|| card.event.clone())];
    parts.extend(card.instruction.clone());
    if let Some(expires) = card.expires {
        parts.push(format!("{} {}", translate(lang, "warnings-until-label"), format_time(lang, expires)));
    }
    parts.join("。")
}

fn urgency_key(urgency: Urgency) -> &'static str {
    match urgency {
        Urgency::Immediate => "warning-urgency-immediate",
        Urgency::Expected => "warning-urgency-expected",
        Urgency::Future => "warning-urgency-future",
        Urgency::Past => "warning-urgency-past",
        Urgency::Unknown => "warning-urgency-unknown",
    }
}

fn certainty_key(certainty: Certainty) -> &'static str {
    match certainty {
        Certainty::Observed => "warning-certainty-observed",
        Certainty::Likely => "warning-certainty-likely",
        Certainty::Possible => "warning-certainty-possible",
        Certainty::Unlikely => "warning-certainty-unlikely",
        Certainty::Unknown => "warning-certainty-unknown",
    }
}

/// The warning's areas over the city's districts: an inline SVG, no tile server, readable
/// without colour (hatched areas, outlined districts, ringed places, a caption that says so).
#[component]
fn AreaMap(map: MapView) -> impl IntoView {
    let view_box = format!("0 0 {:.0} {:.0}", map.width, map.height);
    let districts = map
        .districts
        .into_iter()
        .map(|d| {
            view! {
                <path class="map-district" d=d.d/>
                <text class="map-label" x=format!("{:.1}", d.label.0) y=format!("{:.1}", d.label.1)>{d.name}</text>
            }
        })
        .collect_view();
    let areas = map.areas.into_iter().map(|d| view! { <path class="map-area" d=d/> }).collect_view();
    let circles = map
        .circles
        .into_iter()
        .map(|(x, y, r)| view! { <circle class="map-area" cx=format!("{x:.1}") cy=format!("{y:.1}") r=format!("{r:.1}")/> })
        .collect_view();
    let places = map
        .places
        .into_iter()
        .map(|(x, y)| view! { <circle class="map-place" cx=format!("{x:.1}") cy=format!("{y:.1}") r="5"/> })
        .collect_view();
    view! {
        <figure class="warning-map">
            <svg viewBox=view_box role="img" aria-labelledby="map-caption">
                <defs>
                    <pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                        <line x1="0" y1="0" x2="0" y2="6" class="map-hatch"/>
                    </pattern>
                </defs>
                {districts}
                {areas}
                {circles}
                {places}
            </svg>
            <figcaption id="map-caption">
                {tr("warning-map-caption")}
                {map.has_unmapped_divisions.then(|| view! { " " {tr("warning-map-unmapped")} })}
            </figcaption>
        </figure>
    }
}

/// "Shelters near": the three nearest with room, each a link to its page (distance and the
/// way there), and the whole list for this place and hazard.
#[component]
fn NearbyShelterList(shelters: super::NearbyShelters, lang: Lang) -> impl IntoView {
    let heading =
        if shelters.from_saved_place { "warning-shelters-near-place" } else { "warning-shelters-near-area" };
    view! {
        <section class="warning-shelters" aria-labelledby="shelters-heading">
            <h2 id="shelters-heading">{tr(heading)}</h2>
            {if shelters.items.is_empty() {
                view! { <p>{tr("warning-shelters-none")}</p> }.into_any()
            } else {
                view! {
                    <ul class="nearby-shelters">
                        {shelters.items.into_iter().map(|item| {
                            let distance = translate_with(
                                lang,
                                "shelters-distance",
                                &[("km", format!("{:.1}", item.distance_km).into()), ("minutes", item.walking_minutes.into())],
                            );
                            view! {
                                <li>
                                    <a href=format!("/shelters/{}", item.id)>{item.name}</a>
                                    {item.sample.then(|| view! { " " <span class="sample-tag">{tr("shelters-sample-tag")}</span> })}
                                    " · "{distance}
                                    {item.stale.then(|| view! { " · "{tr("warning-shelters-stale")} })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <p><a href=shelters.more>{tr("warning-shelters-more")}</a></p>
        </section>
    }
}
