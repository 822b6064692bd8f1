//! Virtual safety drills (issue 13): a scenario is a graph of steps; each step shows a situation
//! and two to four choices, each leading to a next step with feedback that says why it is right
//! or wrong; a step may have a time limit (the shaking lasts seconds); an ending step closes
//! the drill with its outcome. This module holds the scenario's model, its validation (every
//! problem named by step and field), and the engine: a run's state, its transitions and
//! time-outs from a clock passed in, and its score. Pure: the server checks the scenario files
//! with it, and the browser's player runs it.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::hazards::Hazard;

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

/// A problem with a scenario: the step (none: the scenario itself), the field, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioProblem {
    pub step: Option<String>,
    pub field: &'static str,
    pub why: String,
}

impl std::fmt::Display for ScenarioProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.step {
            Some(step) => write!(f, "step {step}, field {}: {}", self.field, self.why),
            None => write!(f, "field {}: {}", self.field, self.why),
        }
    }
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

    /// Decisions on the path of right choices: what a full score needs at least.
    pub fn main_path_decisions(&self) -> Option<usize> {
        self.main_path()
    }

    /// Every problem; empty when the scenario can be played. Checks the words in both
    /// languages, the sources, 2 to 4 choices per step, every link, that every step is
    /// reachable and every path ends (no circles), a timed step, both kinds of ending, and a
    /// main path of at least [`MIN_MAIN_PATH_DECISIONS`] decisions.
    pub fn problems(&self) -> Vec<ScenarioProblem> {
        let mut problems = Vec::new();
        let mut add = |step: Option<&str>, field: &'static str, why: String| {
            problems.push(ScenarioProblem { step: step.map(str::to_owned), field, why })
        };
        let url_safe = |text: &str| {
            !text.is_empty() && text.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        };
        if !url_safe(&self.id) {
            add(None, "id", format!("{:?} is not lower-case letters, digits and '-'", self.id));
        }
        for (field, words) in [("title", &self.title), ("summary", &self.summary)] {
            if words.is_blank() {
                add(None, field, "needs words in both zh and en".into());
            }
        }
        if self.sources.is_empty() {
            add(None, "sources", "names no official source".into());
        }
        for source in &self.sources {
            if source.title.trim().is_empty()
                || !(source.url.starts_with("https://") || source.url.starts_with("http://"))
            {
                add(None, "sources", format!("{:?} needs a title and a web address", source.title));
            }
        }
        if self.remember.len() != 3 || self.remember.iter().any(Words::is_blank) {
            add(None, "remember", "needs three things to remember, in both zh and en".into());
        }
        let mut ids = BTreeSet::new();
        for step in &self.steps {
            if !url_safe(&step.id) {
                add(Some(&step.id), "id", "is not lower-case letters, digits and '-'".into());
            }
            if !ids.insert(step.id.as_str()) {
                add(Some(&step.id), "id", "is used by two steps".into());
            }
        }
        if !ids.contains(self.start.as_str()) {
            add(None, "start", format!("{:?} is not a step", self.start));
        }
        for step in &self.steps {
            let here = Some(step.id.as_str());
            if step.situation.is_blank() {
                add(here, "situation", "needs words in both zh and en".into());
            }
            if let Some(picture) = &step.illustration {
                let name_ok = picture.file.strip_suffix(".svg").is_some_and(url_safe);
                if !name_ok {
                    add(
                        here,
                        "illustration",
                        format!(
                            "{:?} is not lower-case letters, digits and '-' ending in .svg",
                            picture.file
                        ),
                    );
                }
                if picture.alt.is_blank() {
                    add(here, "illustration", "needs alt words in both zh and en".into());
                }
            }
            match (step.outcome, step.choices.len()) {
                (Some(_), 0) => {}
                (Some(_), _) => add(here, "choices", "an ending has no choices".into()),
                (None, 2..=4) => {}
                (None, n) => add(here, "choices", format!("has {n}; a step offers 2 to 4")),
            }
            let mut choice_ids = BTreeSet::new();
            for choice in &step.choices {
                if !url_safe(&choice.id) {
                    add(
                        here,
                        "choices",
                        format!("choice {:?} is not lower-case letters, digits and '-'", choice.id),
                    );
                }
                if !choice_ids.insert(choice.id.as_str()) {
                    add(here, "choices", format!("choice {:?} is there twice", choice.id));
                }
                if choice.label.is_blank() || choice.feedback.is_blank() {
                    add(
                        here,
                        "choices",
                        format!("choice {:?} needs label and feedback in zh and en", choice.id),
                    );
                }
                if !ids.contains(choice.next.as_str()) {
                    add(
                        here,
                        "choices",
                        format!("choice {:?} leads to {:?}, not a step", choice.id, choice.next),
                    );
                }
            }
            if step.outcome.is_none() && !step.choices.iter().any(|c| c.correct) {
                add(here, "choices", "has no right choice".into());
            }
            match (step.time_limit_seconds, &step.on_timeout) {
                (None, None) => {}
                (Some(seconds), Some(next))
                    if (3..=120).contains(&seconds) && ids.contains(next.as_str()) => {}
                (Some(_), Some(next)) if !ids.contains(next.as_str()) => {
                    add(here, "on_timeout", format!("{next:?} is not a step"))
                }
                (Some(seconds), Some(_)) => {
                    add(here, "time_limit_seconds", format!("{seconds} is not 3 to 120 seconds"))
                }
                _ => add(here, "on_timeout", "a time limit and where it leads go together".into()),
            }
        }
        if !problems.is_empty() {
            return problems;
        }
        // The graph: every step reachable, no circle, and every path to an ending.
        let reachable = self.reachable();
        for step in &self.steps {
            if !reachable.contains(step.id.as_str()) {
                problems.push(ScenarioProblem {
                    step: Some(step.id.clone()),
                    field: "id",
                    why: "cannot be reached from the start".into(),
                });
            }
        }
        if let Some(step) = self.circle() {
            problems.push(ScenarioProblem {
                step: Some(step),
                field: "choices",
                why: "leads back to itself: a path must end".into(),
            });
            return problems;
        }
        if !self.steps.iter().any(|s| s.time_limit_seconds.is_some()) {
            problems.push(ScenarioProblem { step: None, field: "steps", why: "has no timed step".into() });
        }
        for outcome in [Outcome::Safe, Outcome::Lesson] {
            if !self.steps.iter().any(|s| s.outcome == Some(outcome)) {
                problems.push(ScenarioProblem {
                    step: None,
                    field: "steps",
                    why: format!("has no {outcome:?} ending"),
                });
            }
        }
        match self.main_path() {
            Some(decisions) if decisions >= MIN_MAIN_PATH_DECISIONS => {}
            Some(decisions) => problems.push(ScenarioProblem {
                step: None,
                field: "steps",
                why: format!("the right choices reach a safe ending in {decisions} decisions; at least {MIN_MAIN_PATH_DECISIONS}"),
            }),
            None => problems.push(ScenarioProblem {
                step: None,
                field: "steps",
                why: "the right choices do not reach a safe ending".into(),
            }),
        }
        problems
    }

    fn next_steps(step: &Step) -> impl Iterator<Item = &str> {
        step.choices.iter().map(|c| c.next.as_str()).chain(step.on_timeout.as_deref())
    }

    fn reachable(&self) -> BTreeSet<&str> {
        let mut seen = BTreeSet::from([self.start.as_str()]);
        let mut queue = vec![self.start.as_str()];
        while let Some(id) = queue.pop() {
            for next in self.step(id).into_iter().flat_map(Self::next_steps) {
                if seen.insert(next) {
                    queue.push(next);
                }
            }
        }
        seen
    }

    /// A step on a circle, if there is one (depth-first, colouring steps in progress).
    fn circle(&self) -> Option<String> {
        fn visit<'a>(
            scenario: &'a Scenario,
            id: &'a str,
            state: &mut BTreeMap<&'a str, bool>,
        ) -> Option<String> {
            match state.get(id) {
                Some(true) => return Some(id.to_owned()),
                Some(false) => return None,
                None => {}
            }
            state.insert(id, true);
            for next in scenario.step(id).into_iter().flat_map(Scenario::next_steps) {
                if let Some(found) = visit(scenario, next, state) {
                    return Some(found);
                }
            }
            state.insert(id, false);
            None
        }
        let mut state = BTreeMap::new();
        self.steps.iter().find_map(|step| visit(self, &step.id, &mut state))
    }

    /// Decisions on the path of right choices from the start, when it reaches a safe ending
    /// (the first right choice of each step; the graph has no circle).
    fn main_path(&self) -> Option<usize> {
        let mut step = self.step(&self.start)?;
        let mut decisions = 0;
        while step.outcome.is_none() {
            let right = step.choices.iter().find(|c| c.correct)?;
            decisions += 1;
            step = self.step(&right.next)?;
        }
        (step.outcome == Some(Outcome::Safe)).then_some(decisions)
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
