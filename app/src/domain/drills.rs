//! Virtual safety drills (issue 13): a scenario is a graph of steps; each step shows a situation
//! and two to four choices, each leading to a next step with feedback that says why it is right
//! or wrong; a step may have a time limit (the shaking lasts seconds); an ending step closes
//! the drill with its outcome. This module holds the scenario's model, its validation (`checks`: every
//! problem named by step and field), and the engine: a run's state, its transitions and
//! time-outs from a clock passed in, and its score. Pure: the server checks the scenario files
//! with it, and the browser's player runs it.

use serde::{Deserialize, Serialize};

use super::hazards::Hazard;

mod checks;

pub use checks::ScenarioProblem;

/// Words in both languages of the app.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Words {
    pub zh: String,
    pub en: String,
}

impl Words {
    pub fn in_language(&self, english: bool) -> &str {
        if english { &self.en } else { &self.zh }
    }

    fn is_blank(&self) -> bool {
        self.zh.trim().is_empty() || self.en.trim().is_empty()
    }
}

/// An official public source the scenario follows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// The publisher and title, e.g. "中国地震局：地震应急避险指南".
    pub title: String,
    pub url: String,
}

/// How a drill ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Everyone safe: what the drill teaches.
    Safe,
    /// What went wrong, told without gore (this is for children too).
    Lesson,
}

/// One choice of a step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub id: String,
    pub label: Words,
    /// The step it leads to.
    pub next: String,
    /// The right thing to do here.
    pub correct: bool,
    /// Why it is right or wrong.
    pub feedback: Words,
}

/// A picture of a step's situation: an SVG file of `public/illustrations/` (no words inside, so
/// one drawing serves both languages) and the words that stand for it when it is not seen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Illustration {
    /// The file's name, e.g. `earthquake-under-desk.svg`.
    pub file: String,
    /// What the picture shows, for screen readers and when it does not load.
    pub alt: Words,
}

impl Illustration {
    /// Where the site serves it.
    pub fn href(&self) -> String {
        format!("{ILLUSTRATIONS_PATH}/{}", self.file)
    }
}

/// The URL folder of the illustrations (`public/illustrations/` in the repository).
pub const ILLUSTRATIONS_PATH: &str = "/illustrations";

/// One step: a situation and its choices, or an ending.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub id: String,
    pub situation: Words,
    /// A picture of the situation, where one helps.
    #[serde(default)]
    pub illustration: Option<Illustration>,
    /// Seconds to choose; when they pass, the run goes to `on_timeout` (a drill's real limit:
    /// the shaking lasts seconds).
    #[serde(default)]
    pub time_limit_seconds: Option<u32>,
    /// Where a run goes when the time limit passes without a choice.
    #[serde(default)]
    pub on_timeout: Option<String>,
    /// Empty for an ending.
    #[serde(default)]
    pub choices: Vec<Choice>,
    /// Set for an ending, and only for one.
    #[serde(default)]
    pub outcome: Option<Outcome>,
}

/// A scenario, as a scenario file holds it (both languages inside).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scenario {
    /// The URL name, e.g. `earthquake-classroom`.
    pub id: String,
    pub title: Words,
    pub summary: Words,
    pub hazard: Hazard,
    /// The official guidance it follows (at least one).
    pub sources: Vec<Source>,
    /// The first step's id.
    pub start: String,
    /// The three things to remember, shown at the end.
    pub remember: Vec<Words>,
    pub steps: Vec<Step>,
}

/// A path's mark for a step whose time ran out (not a choice id: those are letters, digits
/// and '-').
pub const TIMED_OUT: &str = "_";

/// Fewest decisions on the path of right choices from the start to a safe ending.
pub const MIN_MAIN_PATH_DECISIONS: usize = 6;

impl Scenario {
    pub fn step(&self, id: &str) -> Option<&Step> {
        self.steps.iter().find(|step| step.id == id)
    }

    /// The same scenario with the words of one language only (the other left empty): what the
    /// browser's player gets, translated on the server and half the size.
    pub fn in_one_language(&self, english: bool) -> Scenario {
        let keep = |words: &Words| {
            let text = words.in_language(english).to_owned();
            if english {
                Words { zh: String::new(), en: text }
            } else {
                Words { zh: text, en: String::new() }
            }
        };
        Scenario {
            title: keep(&self.title),
            summary: keep(&self.summary),
            remember: self.remember.iter().map(keep).collect(),
            steps: self
                .steps
                .iter()
                .map(|step| Step {
                    situation: keep(&step.situation),
                    illustration: step
                        .illustration
                        .as_ref()
                        .map(|picture| Illustration { alt: keep(&picture.alt), ..picture.clone() }),
                    choices: step
                        .choices
                        .iter()
                        .map(|choice| Choice {
                            label: keep(&choice.label),
                            feedback: keep(&choice.feedback),
                            ..choice.clone()
                        })
                        .collect(),
                    ..step.clone()
                })
                .collect(),
            ..self.clone()
        }
    }
}

/// One answer of a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    pub step: String,
    /// None: the time ran out.
    pub choice: Option<String>,
    pub correct: bool,
    pub took_ms: i64,
}

/// A run of a scenario: where it is and what was answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrillRun {
    pub scenario: String,
    pub step: String,
    /// When the current step was shown, in milliseconds since the Unix epoch: the clock is
    /// passed in as that number, which the browser's `Date.now()` and the server's clock both
    /// give (and it keeps chrono's time zones out of the player's bundle).
    pub step_since_ms: i64,
    pub answers: Vec<Answer>,
}

/// Why a move was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DrillError {
    #[error("the run is not of this scenario")]
    OtherScenario,
    #[error("the run is at an unknown step")]
    UnknownStep,
    #[error("the drill has ended")]
    Ended,
    #[error("the step has no such choice")]
    NoSuchChoice,
    /// The choice came after the step's time limit: the run moved on as the time ran out.
    #[error("the time ran out before the choice")]
    TooLate,
}

/// A run's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Score {
    pub correct: usize,
    pub decisions: usize,
    /// 0 to 100, rounded down.
    pub percent: u32,
    pub outcome: Outcome,
}

impl DrillRun {
    /// A new run at the scenario's start.
    pub fn start(scenario: &Scenario, now_ms: i64) -> DrillRun {
        DrillRun {
            scenario: scenario.id.clone(),
            step: scenario.start.clone(),
            step_since_ms: now_ms,
            answers: Vec::new(),
        }
    }

    fn current<'a>(&self, scenario: &'a Scenario) -> Result<&'a Step, DrillError> {
        if scenario.id != self.scenario {
            return Err(DrillError::OtherScenario);
        }
        scenario.step(&self.step).ok_or(DrillError::UnknownStep)
    }

    /// When the current step's time runs out, if it has a limit.
    pub fn deadline_ms(&self, scenario: &Scenario) -> Option<i64> {
        let step = self.current(scenario).ok()?;
        step.time_limit_seconds.map(|s| self.step_since_ms + i64::from(s) * 1000)
    }

    fn advance(&mut self, answer: Answer, next: &str, now_ms: i64) {
        self.answers.push(answer);
        self.step = next.to_owned();
        self.step_since_ms = now_ms;
    }

    /// Takes `choice` at `now`. A choice after the step's deadline counts as the time running
    /// out, when `enforce_time` (the player in the browser); the JavaScript-off drill shows the
    /// limit without enforcing it.
    pub fn choose<'a>(
        &mut self,
        scenario: &'a Scenario,
        choice: &str,
        now_ms: i64,
        enforce_time: bool,
    ) -> Result<&'a Choice, DrillError> {
        let step = self.current(scenario)?;
        if step.outcome.is_some() {
            return Err(DrillError::Ended);
        }
        if enforce_time && self.deadline_ms(scenario).is_some_and(|deadline| now_ms > deadline) {
            self.time_out(scenario, now_ms)?;
            return Err(DrillError::TooLate);
        }
        let picked = step.choices.iter().find(|c| c.id == choice).ok_or(DrillError::NoSuchChoice)?;
        let took_ms = (now_ms - self.step_since_ms).max(0);
        let answer = Answer {
            step: step.id.clone(),
            choice: Some(picked.id.clone()),
            correct: picked.correct,
            took_ms,
        };
        self.advance(answer, &picked.next, now_ms);
        Ok(picked)
    }

    /// The time ran out on the current step (a wrong answer); `Ok(false)` when it has no limit
    /// or the limit has not passed.
    pub fn time_out(&mut self, scenario: &Scenario, now_ms: i64) -> Result<bool, DrillError> {
        let step = self.current(scenario)?;
        let (Some(deadline), Some(next)) = (self.deadline_ms(scenario), step.on_timeout.clone()) else {
            return Ok(false);
        };
        if now_ms < deadline {
            return Ok(false);
        }
        let took_ms = (now_ms - self.step_since_ms).max(0);
        let answer = Answer { step: step.id.clone(), choice: None, correct: false, took_ms };
        self.advance(answer, &next, now_ms);
        Ok(true)
    }

    /// The run after `picks`, the choice ids in order ([`TIMED_OUT`] where the time ran out), from the start at `now_ms` with no time
    /// limit enforced: the JavaScript-off drill carries its path in the page's address and
    /// replays it for each step.
    pub fn replay<'a>(
        scenario: &Scenario,
        picks: impl IntoIterator<Item = &'a str>,
        now_ms: i64,
    ) -> Result<DrillRun, DrillError> {
        let mut run = DrillRun::start(scenario, now_ms);
        for pick in picks {
            if pick == TIMED_OUT {
                let deadline = run.deadline_ms(scenario).ok_or(DrillError::NoSuchChoice)?;
                run.time_out(scenario, deadline)?;
            } else {
                run.choose(scenario, pick, now_ms, false)?;
            }
        }
        Ok(run)
    }

    /// Whether the run stands on an ending.
    pub fn ended(&self, scenario: &Scenario) -> bool {
        self.current(scenario).is_ok_and(|step| step.outcome.is_some())
    }

    /// The result, once the run stands on an ending.
    pub fn score(&self, scenario: &Scenario) -> Option<Score> {
        let outcome = self.current(scenario).ok()?.outcome?;
        let decisions = self.answers.len();
        let correct = self.answers.iter().filter(|a| a.correct).count();
        let percent = (correct * 100).checked_div(decisions).unwrap_or(0) as u32;
        Some(Score { correct, decisions, percent, outcome })
    }
}

/// The scenarios the server offers, checked; the server provides it to the pages.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScenarioLibrary {
    scenarios: Vec<Scenario>,
}

impl ScenarioLibrary {
    pub fn new(scenarios: Vec<Scenario>) -> ScenarioLibrary {
        ScenarioLibrary { scenarios }
    }

    pub fn all(&self) -> &[Scenario] {
        &self.scenarios
    }

    pub fn get(&self, id: &str) -> Option<&Scenario> {
        self.scenarios.iter().find(|scenario| scenario.id == id)
    }
}

#[cfg(test)]
#[path = "drills_tests.rs"]
pub(crate) mod tests;
