//! A teacher's side of class sessions, in the staff console: `/staff/drills` (open a session:
//! scenario, pacing, school; the caller's sessions; for admins the record of drills held),
//! `/staff/drills/{code}` (the code and QR code to show the class, who has joined and where
//! each pupil is, how each step was answered, and the controls), and
//! `/staff/drills/{code}/results` (for the projector: answers per step and the class's result,
//! no names). Plain forms; with JavaScript `LiveUpdates` swaps in the server's fresh regions
//! on each change, so an answer shows within a second.

use leptos::{prelude::*, server_fn::ServerFn as _};
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::class_api::{
    DRILL_RECORD_CSV_PATH, StaffDrillAct, StaffDrillOpen, TeacherHome, TeacherSheet, staff_drill_session,
    staff_drills,
};
use crate::{
    alerts::{LiveUpdates, WARNINGS_BUNDLE},
    domain::{
        class_sessions::{Pacing, PupilProgress, StepTally},
        drills::{Outcome, Scenario},
        preferences::Lang,
    },
    i18n::{title, tr, translate, translate_with, use_preferences},
    shell::{FormErrorNotice, IslandsBundle, NotFoundPage},
    staff::{CsrfField, StaffFrame},
};

/// `/staff/drills`.
#[component]
pub fn TeacherDrillsPage() -> impl IntoView {
    let lang = use_preferences().get_untracked().lang;
    let home = Resource::new_blocking(|| (), |()| staff_drills());
    view! {
        <Title text=title("staff-drills-title")/>
        <StaffFrame>
            <section class="page" aria-labelledby="page-heading">
                <h1 id="page-heading">{tr("staff-drills-heading")}</h1>
                <p class="hint">{tr("staff-drills-lead")}</p>
                <FormErrorNotice/>
                <Suspense>
                    {move || Suspend::new(async move {
                        let TeacherHome { scenarios, sessions, records } = home.await.unwrap_or_default();
                        view! {
                            <form action=StaffDrillOpen::url() method="post" class="open-session">
                                <CsrfField/>
                                <h2>{tr("staff-drills-open-heading")}</h2>
                                <label for="open-scenario">{tr("staff-drills-scenario")}</label>
                                <select id="open-scenario" name="scenario">
                                    {scenarios.into_iter().map(|s| view! { <option value=s.id>{s.title}</option> }).collect_view()}
                                </select>
                                <fieldset>
                                    <legend>{tr("staff-drills-pacing")}</legend>
                                    <label><input type="radio" name="pacing" value=Pacing::SelfPaced.key() checked/>" "{tr("staff-drills-pacing-self-paced")}</label>
                                    <label><input type="radio" name="pacing" value=Pacing::StepByStep.key()/>" "{tr("staff-drills-pacing-step-by-step")}</label>
                                </fieldset>
                                <label for="open-school">{tr("staff-drills-school")}</label>
                                <input id="open-school" name="school" type="text" required maxlength="80" autocomplete="organization"/>
                                <button type="submit" class="button button--primary">{tr("staff-drills-open")}</button>
                            </form>
                            <h2>{tr("staff-drills-sessions-heading")}</h2>
                            {if sessions.is_empty() {
                                view! { <p class="empty-state">{tr("staff-drills-no-sessions")}</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="session-list">
                                        {sessions.into_iter().map(|line| view! {
                                            <li>
                                                <a href=format!("/staff/drills/{}", line.code)>{format!("{} · {}", line.code, line.title)}</a>
                                                " · "{line.school}" · "{line.opened_at}" · "
                                                {translate_with(lang, "staff-drills-pupils", &[("count", line.pupils.into())])}
                                                " · "{translate(lang, if line.open { "staff-drills-open-now" } else { "staff-drills-closed" })}
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                            {records.map(|count| view! {
                                <h2>{tr("staff-drills-record-heading")}</h2>
                                <p>{translate_with(lang, "staff-drills-record-count", &[("count", count.into())])}</p>
                                <p><a class="button" href=DRILL_RECORD_CSV_PATH download>{tr("staff-drills-record-csv")}</a></p>
                            })}
                        }
                    })}
                </Suspense>
            </section>
        </StaffFrame>
    }
}

/// The session of the page's `{id}`.
fn session_resource() -> Resource<Result<Option<TeacherSheet>, crate::error::AppError>> {
    let code = use_params_map().with_untracked(|p| p.get("id").unwrap_or_default());
    Resource::new_blocking(move || code.clone(), staff_drill_session)
}

/// `/staff/drills/{code}`: the teacher's live screen.
#[component]
pub fn TeacherSessionPage() -> impl IntoView {
    let lang = use_preferences().get_untracked().lang;
    let sheet = session_resource();
    view! {
        <Title text=title("staff-drills-session-title")/>
        <IslandsBundle name=WARNINGS_BUNDLE/>
        <Suspense>
            {move || Suspend::new(async move {
                let Ok(Some(sheet)) = sheet.await else { return view! { <NotFoundPage/> }.into_any() };
                let stream = format!("/staff/drills/{}/stream", sheet.code);
                view! {
                    <StaffFrame>
                        <section class="page teacher-session" aria-labelledby="page-heading">
                            <h1 id="page-heading">{sheet.scenario.title.in_language(lang == Lang::En).to_owned()}</h1>
                            <FormErrorNotice/>
                            <LiveUpdates stream banner_prefix=String::new() sound=false vibrate=false/>
                            <div class="join-card">
                                <p class="join-card__code" aria-label=translate(lang, "staff-drills-code-label")>{spaced(&sheet.code)}</p>
                                <p>{translate_with(lang, "staff-drills-join-at", &[("url", sheet.join_url.clone().into())])}</p>
                                <div class="join-card__qr" role="img" aria-label=translate(lang, "staff-drills-qr-label") inner_html=sheet.qr_svg.clone()></div>
                            </div>
                            <div id="teacher-controls" data-live="">
                                <Controls sheet=sheet.clone() lang/>
                            </div>
                            <h2>{tr("staff-drills-pupils-heading")}</h2>
                            <div id="teacher-pupils" data-live="">
                                <Pupils sheet=sheet.clone() lang/>
                            </div>
                            <h2>{tr("staff-drills-answers-heading")}</h2>
                            <div id="teacher-tallies" data-live="">
                                <Tallies scenario=sheet.scenario.clone() tallies=sheet.tallies.clone() lang/>
                            </div>
                        </section>
                    </StaffFrame>
                }.into_any()
            })}
        </Suspense>
    }
}

/// `482913` as `482 913`: easier to read off a projector.
fn spaced(code: &str) -> String {
    let (left, right) = code.split_at(code.len() / 2);
    format!("{left} {right}")
}

#[component]
fn Controls(sheet: TeacherSheet, lang: Lang) -> impl IntoView {
    let action = |name: &'static str, key: &'static str, class: &'static str| {
        view! {
            <form action=StaffDrillAct::url() method="post" class="inline-form">
                <CsrfField/>
                <input type="hidden" name="code" value=sheet.code.clone()/>
                <input type="hidden" name="action" value=name/>
                <button type="submit" class=class>{translate(lang, key)}</button>
            </form>
        }
    };
    let result = &sheet.result;
    view! {
        <p class="session-state">
            {translate(lang, if sheet.open { "staff-drills-open-now" } else { "staff-drills-closed" })}
            " · "{translate(lang, &format!("staff-drills-pacing-{}", sheet.pacing.key()))}
            " · "{sheet.school.clone()}
            " · "{translate_with(lang, "staff-drills-closes-at", &[("time", sheet.closes_at.clone().into())])}
        </p>
        <p class="session-result">
            {translate_with(lang, "staff-drills-result-line", &[
                ("participants", result.participants.into()),
                ("finished", result.finished.into()),
                ("safe", result.safe.into()),
            ])}
        </p>
        <div class="button-row">
            {(sheet.open && sheet.pacing == Pacing::StepByStep).then(|| view! {
                <p class="hint">{translate_with(lang, "staff-drills-released", &[("released", sheet.released.into())])}</p>
                {action("release", "staff-drills-release", "button button--primary")}
            })}
            {(sheet.open && !sheet.exercise_fired).then(|| action("exercise", "staff-drills-exercise", "button exercise-button"))}
            {sheet.exercise_fired.then(|| view! { <p class="hint">{translate(lang, "staff-drills-exercise-fired")}</p> })}
            <a class="button" href=format!("/staff/drills/{}/results", sheet.code)>{translate(lang, "staff-drills-results-link")}</a>
            <a class="button" href=format!("/staff/drills/{}/results.csv", sheet.code) download>{translate(lang, "staff-drills-csv")}</a>
            {sheet.open.then(|| action("end", "staff-drills-end", "button button--danger"))}
        </div>
    }
}

fn state_of(pupil: &PupilProgress, lang: Lang) -> String {
    match pupil.outcome {
        Some(Outcome::Safe) => translate(lang, "staff-drills-pupil-safe"),
        Some(Outcome::Lesson) => translate(lang, "staff-drills-pupil-lesson"),
        None => translate_with(lang, "staff-drills-pupil-at", &[("n", (pupil.decisions + 1).into())]),
    }
}

/// Who has joined and where each is: the teacher's own screen (names are here, not on the
/// projected results).
#[component]
fn Pupils(sheet: TeacherSheet, lang: Lang) -> impl IntoView {
    if sheet.pupils.is_empty() {
        return view! { <p class="empty-state">{translate(lang, "staff-drills-nobody-yet")}</p> }.into_any();
    }
    view! {
        <table class="pupil-table">
            <thead><tr>
                <th scope="col">{translate(lang, "staff-drills-col-nickname")}</th>
                <th scope="col">{translate(lang, "staff-drills-col-where")}</th>
                <th scope="col">{translate(lang, "staff-drills-col-right")}</th>
                <th scope="col"><span class="visually-hidden">{translate(lang, "staff-drills-remove")}</span></th>
            </tr></thead>
            <tbody>
                {sheet.pupils.iter().map(|pupil| view! {
                    <tr data-pupil=pupil.nickname.clone()>
                        <td>{pupil.nickname.clone()}</td>
                        <td>{state_of(pupil, lang)}</td>
                        <td>{format!("{} / {}", pupil.correct, pupil.decisions)}</td>
                        <td>
                            <form action=StaffDrillAct::url() method="post" class="inline-form">
                                <CsrfField/>
                                <input type="hidden" name="code" value=sheet.code.clone()/>
                                <input type="hidden" name="action" value="remove"/>
                                <input type="hidden" name="pupil" value=pupil.id.to_string()/>
                                <button type="submit" class="button button--quiet"
                                    aria-label=translate_with(lang, "staff-drills-remove-label", &[("nickname", pupil.nickname.clone().into())])>
                                    {translate(lang, "staff-drills-remove")}
                                </button>
                            </form>
                        </td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// How each step was answered, without names: a bar and the count for each choice, and ✓/✗
/// with "right"/"wrong" in words beside it (never colour alone).
#[component]
fn Tallies(scenario: Scenario, tallies: Vec<StepTally>, lang: Lang) -> impl IntoView {
    let english = lang == Lang::En;
    if tallies.is_empty() {
        return view! { <p class="empty-state">{translate(lang, "staff-drills-no-answers")}</p> }.into_any();
    }
    view! {
        <ol class="tally-list">
            {tallies.into_iter().filter_map(|tally| {
                let step = scenario.step(&tally.step)?.clone();
                let total: usize = tally.choices.iter().map(|(_, n)| n).sum::<usize>() + tally.timed_out;
                // A <progress> bar, not a styled width: the page's CSP allows no inline styles.
                let bar = move |count: usize| view! { <progress class="tally__bar" max=total.max(1).to_string() value=count.to_string() aria-hidden="true"></progress> };
                Some(view! {
                    <li class="tally" data-step=tally.step.clone()>
                        <p class="tally__situation">{step.situation.in_language(english).to_owned()}</p>
                        <ul>
                            {tally.choices.iter().filter_map(|(id, count)| {
                                let choice = step.choices.iter().find(|c| &c.id == id)?;
                                let mark = translate(lang, if choice.correct { "staff-drills-mark-right" } else { "staff-drills-mark-wrong" });
                                Some(view! {
                                    <li class="tally__choice" data-correct=if choice.correct { "yes" } else { "no" } data-choice=id.clone() data-count=count.to_string()>
                                        <span class="tally__label">{if choice.correct { "✓ " } else { "✗ " }}{mark}" · "{choice.label.in_language(english).to_owned()}</span>
                                        {bar(*count)}
                                        <span class="tally__count">{count.to_string()}</span>
                                    </li>
                                })
                            }).collect_view()}
                            {(tally.timed_out > 0).then(|| view! {
                                <li class="tally__choice" data-correct="no" data-choice="_" data-count=tally.timed_out.to_string()>
                                    <span class="tally__label">"✗ "{translate(lang, "drills-player-time-up")}</span>
                                    {bar(tally.timed_out)}
                                    <span class="tally__count">{tally.timed_out.to_string()}</span>
                                </li>
                            })}
                        </ul>
                        {tally.mean_ms.map(|ms| view! {
                            <p class="hint">{translate_with(lang, "staff-drills-mean-time", &[("seconds", format!("{:.1}", ms as f64 / 1000.0).into())])}</p>
                        })}
                    </li>
                })
            }).collect_view()}
        </ol>
    }
    .into_any()
}

/// `/staff/drills/{code}/results`: for the projector. No pupil's name.
#[component]
pub fn TeacherResultsPage() -> impl IntoView {
    let lang = use_preferences().get_untracked().lang;
    let sheet = session_resource();
    view! {
        <Title text=title("staff-drills-results-title")/>
        <Suspense>
            {move || Suspend::new(async move {
                let Ok(Some(sheet)) = sheet.await else { return view! { <NotFoundPage/> }.into_any() };
                let result = sheet.result.clone();
                view! {
                    <section class="page class-results" aria-labelledby="page-heading">
                        <p class="breadcrumb"><a href=format!("/staff/drills/{}", sheet.code)>{tr("staff-drills-back")}</a></p>
                        <h1 id="page-heading">{sheet.scenario.title.in_language(lang == Lang::En).to_owned()}</h1>
                        <p class="class-results__line">
                            {translate_with(lang, "staff-drills-result-line", &[
                                ("participants", result.participants.into()),
                                ("finished", result.finished.into()),
                                ("safe", result.safe.into()),
                            ])}
                        </p>
                        {result.mean_percent.map(|percent| view! {
                            <p class="class-results__score">{translate_with(lang, "staff-drills-mean-score", &[("percent", percent.into())])}</p>
                        })}
                        <h2>{tr("staff-drills-answers-heading")}</h2>
                        <Tallies scenario=sheet.scenario.clone() tallies=sheet.tallies.clone() lang/>
                        <h2>{tr("drills-player-remember")}</h2>
                        <ol class="drill-remember">
                            {sheet.scenario.remember.iter().map(|w| view! { <li>{w.in_language(lang == Lang::En).to_owned()}</li> }).collect_view()}
                        </ol>
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}
