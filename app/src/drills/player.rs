//! The drill player, as an island: plays a scenario in place with the domain's engine, counts
//! down a timed step and moves on when the time runs out, keeps the path in the address (a
//! reload keeps the place) and the result on the device, and reads the step aloud. Without
//! JavaScript the same HTML is a form: each choice a button that asks the server for the next
//! step, the time limit shown and not enforced.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::{api::PATH_SEPARATOR, picture::StepPicture};
use crate::{
    domain::drills::{DrillRun, Outcome, Scenario, TIMED_OUT},
    i18n::fill,
};

/// The player's words, translated on the server. `{n}`, `{seconds}`, `{correct}`,
/// `{decisions}` are filled in by the player.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlayerTexts {
    /// "Step {n}".
    pub step: String,
    pub question: String,
    /// "In real life you would have {seconds} seconds": shown with JavaScript off.
    pub time_limit: String,
    /// "{seconds} seconds left".
    pub time_left: String,
    pub time_up: String,
    pub time_up_feedback: String,
    pub right: String,
    pub wrong: String,
    pub safe: String,
    pub lesson: String,
    /// "{correct} of {decisions} decisions right".
    pub score: String,
    pub remember: String,
    pub review: String,
    pub again: String,
    pub all_drills: String,
    pub read_aloud: String,
    /// "Last time on this phone: {correct} of {decisions}".
    pub last_time: String,
}

/// What the last move was, shown above the next step.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Feedback {
    correct: bool,
    label: String,
    text: String,
}

/// The feedback of the run's last answer.
fn feedback_of(scenario: &Scenario, run: &DrillRun, english: bool, texts: &PlayerTexts) -> Option<Feedback> {
    let answer = run.answers.last()?;
    let step = scenario.step(&answer.step)?;
    Some(match &answer.choice {
        Some(id) => {
            let choice = step.choices.iter().find(|c| &c.id == id)?;
            Feedback {
                correct: choice.correct,
                label: choice.label.in_language(english).to_owned(),
                text: choice.feedback.in_language(english).to_owned(),
            }
        }
        None => {
            Feedback { correct: false, label: texts.time_up.clone(), text: texts.time_up_feedback.clone() }
        }
    })
}

/// The path of a run as the address carries it.
fn path_of(run: &DrillRun) -> String {
    let picks: Vec<&str> = run.answers.iter().map(|a| a.choice.as_deref().unwrap_or(TIMED_OUT)).collect();
    picks.join(&PATH_SEPARATOR.to_string())
}

/// The player. `path` is where the run stands (the choices so far); `english` picks the words
/// of the one-language `scenario`.
// An island in the server build and in the `islands-drills` bundle; elsewhere a plain component
// that nothing in the browser calls.
#[cfg_attr(any(feature = "ssr", feature = "islands-drills"), island)]
#[cfg_attr(not(any(feature = "ssr", feature = "islands-drills")), component)]
pub fn DrillPlayer(
    scenario: Scenario,
    path: Vec<String>,
    english: bool,
    texts: PlayerTexts,
) -> impl IntoView {
    let initial = DrillRun::replay(&scenario, path.iter().map(String::as_str), 0)
        .unwrap_or_else(|_| DrillRun::start(&scenario, 0));
    let feedback = RwSignal::new(feedback_of(&scenario, &initial, english, &texts));
    let run = RwSignal::new(initial);
    let scenario = StoredValue::new(scenario);
    let texts = StoredValue::new(texts);
    // Set by the browser only: seconds left on a timed step, and the result kept last time.
    let seconds_left = RwSignal::new(None::<i64>);
    let last_time = RwSignal::new(None::<String>);
    let action = scenario.with_value(|s| format!("/drills/{}", s.id));

    #[cfg(feature = "hydrate")]
    browser::wake(browser::Player { scenario, texts, run, feedback, seconds_left, last_time, english });

    let choose = move |choice: String| {
        #[cfg(feature = "hydrate")]
        browser::choose(
            browser::Player { scenario, texts, run, feedback, seconds_left, last_time, english },
            choice,
        );
        #[cfg(not(feature = "hydrate"))]
        let _ = choice;
    };

    let now_view = move || {
        let (scenario_now, run_now) = (scenario.get_value(), run.get());
        let texts_now = texts.get_value();
        let Some(step) = scenario_now.step(&run_now.step).cloned() else {
            return ().into_any();
        };
        let words = |w: &crate::domain::drills::Words| w.in_language(english).to_owned();
        if let Some(outcome) = step.outcome {
            let score = run_now.score(&scenario_now);
            let (correct, decisions) = score.as_ref().map(|s| (s.correct, s.decisions)).unwrap_or_default();
            let review: Vec<(bool, String, String)> = run_now
                .answers
                .iter()
                .filter_map(|answer| {
                    let step = scenario_now.step(&answer.step)?;
                    Some(match &answer.choice {
                        Some(id) => {
                            let choice = step.choices.iter().find(|c| &c.id == id)?;
                            (choice.correct, words(&choice.label), words(&choice.feedback))
                        }
                        None => (false, texts_now.time_up.clone(), texts_now.time_up_feedback.clone()),
                    })
                })
                .collect();
            let heading =
                if outcome == Outcome::Safe { texts_now.safe.clone() } else { texts_now.lesson.clone() };
            return view! {
                <div class="drill-end" data-outcome=if outcome == Outcome::Safe { "safe" } else { "lesson" }>
                    <h2 id="drill-now" tabindex="-1">
                        <span aria-hidden="true">{if outcome == Outcome::Safe { "✓ " } else { "! " }}</span>
                        {heading}
                    </h2>
                    <p class="drill-situation">{words(&step.situation)}</p>
                    <p class="drill-score">
                        {fill(&texts_now.score, &[("correct", correct.to_string()), ("decisions", decisions.to_string())])}
                    </p>
                    <h3>{texts_now.remember.clone()}</h3>
                    <ol class="drill-remember">
                        {scenario_now.remember.iter().map(|w| view! { <li>{words(w)}</li> }).collect_view()}
                    </ol>
                    <h3>{texts_now.review.clone()}</h3>
                    <ol class="drill-review">
                        {review.into_iter().map(|(right, label, why)| view! {
                            <li data-correct=if right { "yes" } else { "no" }>
                                <strong>{if right { format!("✓ {}", texts_now.right) } else { format!("✗ {}", texts_now.wrong) }}</strong>
                                " " {label}
                                <p>{why}</p>
                            </li>
                        }).collect_view()}
                    </ol>
                    <p class="drill-actions">
                        <a class="button button--primary" href=format!("/drills/{}", scenario_now.id)>{texts_now.again.clone()}</a>
                        <a class="button button--quiet" href="/drills">{texts_now.all_drills.clone()}</a>
                    </p>
                </div>
            }
            .into_any();
        }
        let number = run_now.answers.len() + 1;
        let limit = step.time_limit_seconds;
        let path = path_of(&run_now);
        view! {
            <div class="drill-step">
                <h2 id="drill-now" tabindex="-1">{fill(&texts_now.step, &[("n", number.to_string())])}</h2>
                <StepPicture picture=step.illustration.clone() english=english/>
                <p class="drill-situation">{words(&step.situation)}</p>
                {limit.map(|seconds| view! {
                    <p class="drill-timer" role="timer">
                        <span aria-hidden="true">"⏱ "</span>
                        {move || match seconds_left.get() {
                            Some(left) => fill(&texts.with_value(|t| t.time_left.clone()), &[("seconds", left.to_string())]),
                            None => fill(&texts.with_value(|t| t.time_limit.clone()), &[("seconds", seconds.to_string())]),
                        }}
                    </p>
                })}
                <form class="drill-choices" method="get" action=action.clone()>
                    <input type="hidden" name="path" value=path/>
                    <p class="drill-question">{texts_now.question.clone()}</p>
                    {step.choices.iter().map(|choice| {
                        let id = choice.id.clone();
                        view! {
                            <button type="submit" class="drill-choice" name="pick" value=choice.id.clone()
                                on:click=move |event| {
                                    event.prevent_default();
                                    choose(id.clone());
                                }>
                                {words(&choice.label)}
                            </button>
                        }
                    }).collect_view()}
                </form>
            </div>
        }
        .into_any()
    };

    let speak = move |_| {
        #[cfg(feature = "hydrate")]
        browser::read_aloud(scenario, run, english);
    };

    view! {
        <div class="drill-player">
            {move || last_time.get().map(|text| view! { <p class="hint drill-last-time">{text}</p> })}
            {move || feedback.get().map(|f| view! {
                <div class="drill-feedback" data-correct=if f.correct { "yes" } else { "no" } role="status">
                    <p><strong>{if f.correct { format!("✓ {}", texts.with_value(|t| t.right.clone())) } else { format!("✗ {}", texts.with_value(|t| t.wrong.clone())) }}</strong>
                    " " {f.label}</p>
                    <p>{f.text}</p>
                </div>
            })}
            {now_view}
            <button type="button" class="button button--quiet needs-js" on:click=speak>{texts.with_value(|t| t.read_aloud.clone())}</button>
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    //! The player's browser side: the clock, the countdown, the address, the device's store
    //! and speech.

    use leptos::prelude::*;
    use serde::{Deserialize, Serialize};
    use wasm_bindgen::JsCast;

    use super::{Feedback, PlayerTexts, feedback_of, fill, path_of};
    use crate::domain::drills::{DrillError, DrillRun, Outcome, Scenario};

    /// Where results are kept on the device (localStorage).
    const RESULTS_KEY: &str = "sjdz-drill-results";

    #[derive(Clone, Copy)]
    pub struct Player {
        pub scenario: StoredValue<Scenario>,
        pub texts: StoredValue<PlayerTexts>,
        pub run: RwSignal<DrillRun>,
        pub feedback: RwSignal<Option<Feedback>>,
        pub seconds_left: RwSignal<Option<i64>>,
        pub last_time: RwSignal<Option<String>>,
        pub english: bool,
    }

    /// One kept result.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    struct KeptResult {
        correct: usize,
        decisions: usize,
        safe: bool,
        at_ms: i64,
    }

    fn now_ms() -> i64 {
        js_sys::Date::now() as i64
    }

    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok().flatten()
    }

    fn kept() -> std::collections::BTreeMap<String, KeptResult> {
        storage()
            .and_then(|s| s.get_item(RESULTS_KEY).ok().flatten())
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default()
    }

    /// The island woke: the current step starts now, the countdown runs, and the result of
    /// last time shows at the start.
    pub fn wake(player: Player) {
        Effect::new(move |first: Option<()>| {
            if first.is_some() {
                return;
            }
            player.run.update_untracked(|run| run.step_since_ms = now_ms());
            if player.run.with_untracked(|run| run.answers.is_empty()) {
                let id = player.scenario.with_value(|s| s.id.clone());
                if let Some(result) = kept().get(&id) {
                    let text = player.texts.with_value(|t| t.last_time.clone());
                    player.last_time.set(Some(fill(
                        &text,
                        &[
                            ("correct", result.correct.to_string()),
                            ("decisions", result.decisions.to_string()),
                        ],
                    )));
                }
            }
            gloo_timers::callback::Interval::new(250, move || tick(player)).forget();
            tick(player);
        });
    }

    /// Updates the countdown; when it reaches zero, the run moves on as the time ran out.
    fn tick(player: Player) {
        let now = now_ms();
        let deadline = player.scenario.with_value(|s| player.run.with_untracked(|run| run.deadline_ms(s)));
        let Some(deadline) = deadline else {
            if player.seconds_left.get_untracked().is_some() {
                player.seconds_left.set(None);
            }
            return;
        };
        let left = ((deadline - now).max(0) + 999) / 1000;
        if player.seconds_left.get_untracked() != Some(left) {
            player.seconds_left.set(Some(left));
        }
        if now >= deadline {
            let mut run = player.run.get_untracked();
            let moved = player.scenario.with_value(|s| run.time_out(s, now)).unwrap_or(false);
            if moved {
                moved_on(player, run);
            }
        }
    }

    pub fn choose(player: Player, choice: String) {
        let mut run = player.run.get_untracked();
        let result = player.scenario.with_value(|s| run.choose(s, &choice, now_ms(), true).map(|_| ()));
        match result {
            Ok(()) | Err(DrillError::TooLate) => moved_on(player, run),
            Err(_) => {}
        }
    }

    /// After a move: the feedback, the new step, the address, the kept result at the end, and
    /// the focus on the new step so a screen reader and a small screen both go there.
    fn moved_on(player: Player, run: DrillRun) {
        let feedback = player
            .scenario
            .with_value(|s| player.texts.with_value(|t| feedback_of(s, &run, player.english, t)));
        let score = player.scenario.with_value(|s| run.score(s));
        let path = path_of(&run);
        let id = player.scenario.with_value(|s| s.id.clone());
        player.seconds_left.set(None);
        player.last_time.set(None);
        player.feedback.set(feedback);
        player.run.set(run);
        // The address carries the path, so a reload (or a lost connection) keeps the place.
        if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
            let url = format!("/drills/{id}?path={path}");
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
        }
        // After the new step is drawn (the view updates on the next tick).
        gloo_timers::callback::Timeout::new(0, || {
            let element = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id("drill-now"))
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
            if let Some(element) = element {
                let _ = element.focus();
            }
        })
        .forget();
        if let Some(score) = score {
            let mut results = kept();
            results.insert(
                id,
                KeptResult {
                    correct: score.correct,
                    decisions: score.decisions,
                    safe: score.outcome == Outcome::Safe,
                    at_ms: now_ms(),
                },
            );
            if let (Some(storage), Ok(text)) = (storage(), serde_json::to_string(&results)) {
                let _ = storage.set_item(RESULTS_KEY, &text);
            }
        }
        tick(player);
    }

    /// Reads the step (its situation and choices) or the ending (and what to remember).
    pub fn read_aloud(scenario: StoredValue<Scenario>, run: RwSignal<DrillRun>, english: bool) {
        let text = scenario.with_value(|s| {
            run.with_untracked(|run| {
                let Some(step) = s.step(&run.step) else { return String::new() };
                let mut parts = vec![step.situation.in_language(english).to_owned()];
                parts.extend(step.choices.iter().map(|c| c.label.in_language(english).to_owned()));
                if step.outcome.is_some() {
                    parts.extend(s.remember.iter().map(|w| w.in_language(english).to_owned()));
                }
                parts.join("。 ")
            })
        });
        if let (Some(synthesis), Ok(utterance)) = (
            web_sys::window().and_then(|w| w.speech_synthesis().ok()),
            web_sys::SpeechSynthesisUtterance::new_with_text(&text),
        ) {
            utterance.set_lang(if english { "en" } else { "zh-CN" });
            synthesis.cancel();
            synthesis.speak(&utterance);
        }
    }
}
