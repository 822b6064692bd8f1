//! A pupil's side of a class session: `/join` (the code and a nickname; no account, no
//! personal data) and `/class` (their step, as plain forms; the server enforces a timed step's
//! limit: an answer after it counts as the time running out, and the once-a-second tick moves
//! on a pupil who does not answer, which the teacher sees. The page does not reload itself: a
//! refresh the pupil did not ask for fails WCAG 2.2.1 and loses their place in what they read).
//! With JavaScript, `LiveUpdates`
//! listens to the class's stream and swaps in the server's new page when the teacher releases
//! a step, fires the exercise warning or ends the session. A reload, or a lost connection,
//! comes back to the same place: the cookie's ticket finds the pupil's run on the server.

use leptos::{prelude::*, server_fn::ServerFn as _};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{
    class_api::{
        CLASS_PUPIL_STREAM_PATH, ClassAnswer, ClassJoin, ClassLeave, ClassState, ExerciseBanner, PupilSheet,
        class_sheet,
    },
    picture::StepPicture,
};
use crate::{
    alerts::LiveUpdates,
    domain::{
        class_sessions::{CODE_DIGITS, NICKNAME_MAX_CHARS},
        drills::{Outcome, Scenario},
        preferences::Lang,
    },
    i18n::{title, tr, translate, translate_with, use_preferences},
    shell::{FormErrorNotice, IslandsBundle},
};

/// `/join`: the code (prefilled from the QR code's `?code=`) and a nickname.
#[component]
pub fn JoinPage() -> impl IntoView {
    let lang = use_preferences().get_untracked().lang;
    let (code, nickname) = use_query_map()
        .with_untracked(|q| (q.get("code").unwrap_or_default(), q.get("nickname").unwrap_or_default()));
    view! {
        <Title text=title("join-title")/>
        <section class="page join" aria-labelledby="page-heading">
            <h1 id="page-heading">{tr("join-heading")}</h1>
            <p class="lead">{tr("join-lead")}</p>
            <FormErrorNotice/>
            <form action=ClassJoin::url() method="post" class="join-form">
                <label for="join-code">{tr("join-code")}</label>
                <input id="join-code" name="code" type="text" inputmode="numeric" autocomplete="off"
                    pattern="[0-9 -]*" maxlength="9" required value=code
                    aria-describedby="join-code-hint"/>
                <p id="join-code-hint" class="hint">
                    {translate_with(lang, "join-code-hint", &[("digits", CODE_DIGITS.into())])}
                </p>
                <label for="join-nickname">{tr("join-nickname")}</label>
                <input id="join-nickname" name="nickname" type="text" autocomplete="off" required
                    maxlength=NICKNAME_MAX_CHARS.to_string() value=nickname aria-describedby="join-nickname-hint"/>
                <p id="join-nickname-hint" class="hint">
                    {translate_with(lang, "join-nickname-hint", &[("max", NICKNAME_MAX_CHARS.into())])}
                </p>
                <button type="submit" class="button button--primary">{tr("join-submit")}</button>
            </form>
        </section>
    }
}

/// `/class`: the pupil's step in their session.
#[component]
pub fn ClassPage() -> impl IntoView {
    let sheet = Resource::new_blocking(|| (), |()| class_sheet());
    view! {
        <Title text=title("class-title")/>
        <Suspense>
            {move || Suspend::new(async move {
                match sheet.await {
                    Ok(Some(sheet)) => view! { <ClassSheet sheet/> }.into_any(),
                    Ok(None) => view! {
                        <section class="page" aria-labelledby="page-heading">
                            <h1 id="page-heading">{tr("class-heading")}</h1>
                            <p class="empty-state">{tr("class-not-joined")}</p>
                            <p><a class="button button--primary" href="/join">{tr("class-join-link")}</a></p>
                        </section>
                    }.into_any(),
                    Err(_) => view! {
                        <section class="page"><p class="empty-state" role="alert">{tr("drills-error-unavailable")}</p></section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ClassSheet(sheet: PupilSheet) -> impl IntoView {
    let lang = use_preferences().get_untracked().lang;
    let english = lang == Lang::En;
    let banner_prefix = translate(lang, "class-exercise-prefix");
    view! {
        <IslandsBundle name=crate::alerts::WARNINGS_BUNDLE/>
        <section class="page class" aria-labelledby="page-heading">
            <p class="class-who">
                {translate_with(lang, "class-who", &[("nickname", sheet.nickname.clone().into()), ("code", sheet.code.clone().into())])}
            </p>
            <h1 id="page-heading">{sheet.scenario.title.in_language(english).to_owned()}</h1>
            <LiveUpdates stream=CLASS_PUPIL_STREAM_PATH.to_owned() banner_prefix sound=true vibrate=true/>
            <FormErrorNotice/>
            <div id="class-live" data-live="">
                {sheet.exercise.clone().map(|banner| view! { <Exercise banner/> })}
                <Progress sheet=sheet.clone() lang/>
            </div>
            <form action=ClassLeave::url() method="post" class="class-leave">
                <button type="submit" class="button button--quiet">{tr("class-leave")}</button>
            </form>
        </section>
    }
}

/// The drill banner of the exercise warning: dashed and striped, "EXERCISE" in words, never
/// only a colour.
#[component]
fn Exercise(banner: ExerciseBanner) -> impl IntoView {
    let announce = banner.headline.clone();
    view! {
        <div class="exercise-banner" role="alert" data-announce=banner.key.clone() data-announce-text=announce>
            <p class="exercise-banner__tag">{tr("class-exercise-tag")}</p>
            <p class="exercise-banner__event"><strong>{banner.event}</strong></p>
            <p class="exercise-banner__headline">{banner.headline}</p>
            <p>{banner.description}</p>
            <p>{banner.instruction}</p>
        </div>
    }
}

/// The last answer's feedback (what the pupil needs before the next step).
fn last_feedback(scenario: &Scenario, sheet: &PupilSheet, lang: Lang) -> Option<AnyView> {
    let english = lang == Lang::En;
    let answer = sheet.run.answers.last()?;
    let step = scenario.step(&answer.step)?;
    let (correct, label, text) = match &answer.choice {
        Some(id) => {
            let choice = step.choices.iter().find(|c| &c.id == id)?;
            (
                choice.correct,
                choice.label.in_language(english).to_owned(),
                choice.feedback.in_language(english).to_owned(),
            )
        }
        None => (
            false,
            translate(lang, "drills-player-time-up"),
            translate(lang, "drills-player-time-up-feedback"),
        ),
    };
    let verdict = translate(lang, if correct { "drills-player-right" } else { "drills-player-wrong" });
    Some(
        view! {
            <div class="drill-feedback" data-correct=if correct { "yes" } else { "no" }>
                <p><strong>{format!("{} {verdict}", if correct { "✓" } else { "✗" })}</strong>" "{label}</p>
                <p>{text}</p>
            </div>
        }
        .into_any(),
    )
}

#[component]
fn Progress(sheet: PupilSheet, lang: Lang) -> impl IntoView {
    let english = lang == Lang::En;
    let scenario = &sheet.scenario;
    let words = |w: &crate::domain::drills::Words| w.in_language(english).to_owned();
    if sheet.state == ClassState::Removed {
        return view! { <p class="notice" role="status">{tr("class-removed")}</p> }.into_any();
    }
    let feedback = last_feedback(scenario, &sheet, lang);
    let Some(step) = scenario.step(&sheet.run.step).cloned() else { return ().into_any() };
    if let Some(outcome) = step.outcome {
        let score = sheet.run.score(scenario);
        let (correct, decisions) = score.as_ref().map(|s| (s.correct, s.decisions)).unwrap_or_default();
        let safe = outcome == Outcome::Safe;
        return view! {
            {feedback}
            <div class="drill-end" data-outcome=if safe { "safe" } else { "lesson" }>
                <h2>
                    <span aria-hidden="true">{if safe { "✓ " } else { "! " }}</span>
                    {translate(lang, if safe { "drills-player-safe" } else { "drills-player-lesson" })}
                </h2>
                <p class="drill-situation">{words(&step.situation)}</p>
                <p class="drill-score">
                    {translate_with(lang, "drills-player-score", &[("correct", correct.into()), ("decisions", decisions.into())])}
                </p>
                <h3>{tr("drills-player-remember")}</h3>
                <ol class="drill-remember">
                    {scenario.remember.iter().map(|w| view! { <li>{words(w)}</li> }).collect_view()}
                </ol>
                <p class="hint">{tr("class-finished")}</p>
            </div>
        }
        .into_any();
    }
    if sheet.state == ClassState::Closed {
        return view! { {feedback}<p class="notice" role="status">{tr("class-closed")}</p> }.into_any();
    }
    if sheet.waiting {
        return view! {
            {feedback}
            <p class="notice class-waiting" role="status">{tr("class-waiting")}</p>
        }
        .into_any();
    }
    let number = sheet.run.answers.len() + 1;
    view! {
        {feedback}
        <div class="drill-step">
            <h2 id="drill-now">{translate_with(lang, "drills-player-step", &[("n", number.into())])}</h2>
            <StepPicture picture=step.illustration.clone() english=english/>
            <p class="drill-situation">{words(&step.situation)}</p>
            {sheet.seconds_left.map(|seconds| view! {
                <p class="drill-timer" role="timer">
                    <span aria-hidden="true">"⏱ "</span>
                    {translate_with(lang, "class-time-left", &[("seconds", seconds.max(0).into())])}
                </p>
            })}
            <form class="drill-choices" method="post" action=ClassAnswer::url()>
                <input type="hidden" name="step" value=step.id.clone()/>
                <p class="drill-question">{tr("drills-player-question")}</p>
                {step.choices.iter().map(|choice| view! {
                    <button type="submit" class="drill-choice" name="choice" value=choice.id.clone()>
                        {words(&choice.label)}
                    </button>
                }).collect_view()}
            </form>
        </div>
    }
    .into_any()
}
