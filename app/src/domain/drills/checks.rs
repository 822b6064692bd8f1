//! The rules a scenario file must pass (docs/DRILLS.md), each problem named by step and field:
//! words in both languages, sources, choices and their links, pictures, timed steps, that every
//! step is reachable and every path ends, both kinds of ending, and a long enough right path.

use std::collections::{BTreeMap, BTreeSet};

use super::{MIN_MAIN_PATH_DECISIONS, Outcome, Scenario, Step, Words};

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

impl Scenario {
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
