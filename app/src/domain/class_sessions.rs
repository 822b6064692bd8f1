//! Class drill sessions (issue 13): a teacher runs one scenario for a whole class. Pupils join
//! with a six-digit code and a nickname (no account, no personal data) and play on their own
//! phones; the teacher's screen shows who is where and how each step was answered. This module
//! is the session's rules, pure: the code, nicknames, pacing (self-paced, or step by step as
//! the teacher releases each decision), each pupil's run through the engine, time-outs, the
//! tallies per step (no names: they are shown to the class), and the results.

use serde::{Deserialize, Serialize};

use super::drills::{DrillError, DrillRun, Outcome, Scenario};

/// Digits of a session's code.
pub const CODE_DIGITS: usize = 6;

/// Pupils in one session at most (a class is up to 60; groups a little larger fit).
pub const MAX_PUPILS: usize = 100;

/// Characters of a nickname at most.
pub const NICKNAME_MAX_CHARS: usize = 16;

/// A session's code: six digits, what pupils type at `/join`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SessionCode(String);

impl SessionCode {
    /// The code of a random number (the caller draws it from a secure source).
    pub fn from_random(number: u64) -> SessionCode {
        SessionCode(format!("{:06}", number % 1_000_000))
    }

    /// What a pupil typed: six digits, spaces and dashes ignored ("482 913", "482-913").
    pub fn parse(text: &str) -> Option<SessionCode> {
        let digits: String = text.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
        (digits.len() == CODE_DIGITS && digits.chars().all(|c| c.is_ascii_digit()))
            .then_some(SessionCode(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// How the class moves through the drill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Pacing {
    /// Each pupil at their own speed.
    SelfPaced,
    /// Everyone answers decision N only once the teacher has released it.
    StepByStep,
}

impl Pacing {
    pub fn key(self) -> &'static str {
        match self {
            Pacing::SelfPaced => "self-paced",
            Pacing::StepByStep => "step-by-step",
        }
    }

    pub fn from_key(key: &str) -> Option<Pacing> {
        [Pacing::SelfPaced, Pacing::StepByStep].into_iter().find(|p| p.key() == key)
    }
}

/// Why a nickname was refused; `message_id` names the words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NicknameProblem {
    Empty,
    TooLong,
    /// Control characters or markup.
    NotPlainText,
}

impl NicknameProblem {
    pub fn message_id(self) -> &'static str {
        match self {
            NicknameProblem::Empty => "join-error-nickname-empty",
            NicknameProblem::TooLong => "join-error-nickname-long",
            NicknameProblem::NotPlainText => "join-error-nickname-text",
        }
    }
}

/// A nickname as shown: trimmed, inner spaces collapsed, 1 to [`NICKNAME_MAX_CHARS`] characters.
pub fn nickname(text: &str) -> Result<String, NicknameProblem> {
    let name = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(NicknameProblem::Empty);
    }
    if name.chars().count() > NICKNAME_MAX_CHARS {
        return Err(NicknameProblem::TooLong);
    }
    if name.chars().any(|c| c.is_control() || matches!(c, '<' | '>' | '"' | '\\')) {
        return Err(NicknameProblem::NotPlainText);
    }
    Ok(name)
}

/// One pupil of a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pupil {
    /// Their number in this session, from 1.
    pub id: u32,
    pub nickname: String,
    pub joined_ms: i64,
    pub run: DrillRun,
    /// The teacher removed the nickname: it takes no part and is not counted.
    pub removed: bool,
}

/// Why a move in a session was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SessionError {
    #[error("the session has ended or expired")]
    Closed,
    #[error("the session is full")]
    Full,
    #[error("that nickname is taken in this session")]
    NicknameTaken,
    #[error("no such pupil in this session")]
    NoSuchPupil,
    #[error("the teacher removed this pupil")]
    Removed,
    #[error("the teacher has not released this step yet")]
    NotYet,
    #[error(transparent)]
    Drill(#[from] DrillError),
}

/// A class session: the scenario, the pacing, and every pupil's run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassSession {
    pub code: SessionCode,
    pub scenario: String,
    pub pacing: Pacing,
    pub opened_ms: i64,
    pub expires_ms: i64,
    /// Step by step: how many decisions the teacher has released (the first is at opening).
    pub released: usize,
    pub ended: bool,
    pub pupils: Vec<Pupil>,
}

/// How one step was answered, without names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepTally {
    pub step: String,
    /// Per choice of the step, in its order: (choice id, pupils who took it).
    pub choices: Vec<(String, usize)>,
    pub timed_out: usize,
    /// Mean time to answer, in milliseconds, over those who answered.
    pub mean_ms: Option<i64>,
}

/// Where one pupil is, for the teacher's own screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PupilProgress {
    pub id: u32,
    pub nickname: String,
    pub decisions: usize,
    pub step: String,
    pub finished: bool,
    pub correct: usize,
    pub outcome: Option<Outcome>,
}

/// The class's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassResult {
    pub participants: usize,
    pub finished: usize,
    pub safe: usize,
    /// Mean score of those who finished, 0 to 100.
    pub mean_percent: Option<u32>,
}

impl ClassSession {
    /// A new session of `scenario`, open until `now_ms + lifetime_ms`.
    pub fn open(
        code: SessionCode,
        scenario: &Scenario,
        pacing: Pacing,
        now_ms: i64,
        lifetime_ms: i64,
    ) -> ClassSession {
        ClassSession {
            code,
            scenario: scenario.id.clone(),
            pacing,
            opened_ms: now_ms,
            expires_ms: now_ms + lifetime_ms,
            released: 1,
            ended: false,
            pupils: Vec::new(),
        }
    }

    pub fn is_open(&self, now_ms: i64) -> bool {
        !self.ended && now_ms < self.expires_ms
    }

    fn active(&self) -> impl Iterator<Item = &Pupil> {
        self.pupils.iter().filter(|p| !p.removed)
    }

    /// A pupil joins with `nickname` (already checked by [`nickname`]); their number.
    pub fn join(&mut self, scenario: &Scenario, nickname: &str, now_ms: i64) -> Result<u32, SessionError> {
        if !self.is_open(now_ms) {
            return Err(SessionError::Closed);
        }
        if self.active().any(|p| p.nickname.to_lowercase() == nickname.to_lowercase()) {
            return Err(SessionError::NicknameTaken);
        }
        if self.active().count() >= MAX_PUPILS {
            return Err(SessionError::Full);
        }
        let id = self.pupils.iter().map(|p| p.id).max().unwrap_or(0) + 1;
        self.pupils.push(Pupil {
            id,
            nickname: nickname.to_owned(),
            joined_ms: now_ms,
            run: DrillRun::start(scenario, now_ms),
            removed: false,
        });
        Ok(id)
    }

    fn pupil_mut(&mut self, id: u32) -> Result<&mut Pupil, SessionError> {
        let pupil = self.pupils.iter_mut().find(|p| p.id == id).ok_or(SessionError::NoSuchPupil)?;
        if pupil.removed { Err(SessionError::Removed) } else { Ok(pupil) }
    }

    /// Whether pupil `id` may answer now (step by step: their next decision is released).
    pub fn may_answer(&self, id: u32) -> bool {
        self.pupils.iter().find(|p| p.id == id).is_some_and(|pupil| {
            !pupil.removed && (self.pacing == Pacing::SelfPaced || pupil.run.answers.len() < self.released)
        })
    }

    /// Pupil `id` takes `choice` at `now_ms`; the time limit is enforced (a late answer is a
    /// time-out and the run moves on as one).
    pub fn answer(
        &mut self,
        scenario: &Scenario,
        id: u32,
        choice: &str,
        now_ms: i64,
    ) -> Result<(), SessionError> {
        if !self.is_open(now_ms) {
            return Err(SessionError::Closed);
        }
        if !self.may_answer(id) {
            self.pupil_mut(id)?;
            return Err(SessionError::NotYet);
        }
        let pupil = self.pupil_mut(id)?;
        pupil.run.choose(scenario, choice, now_ms, true)?;
        Ok(())
    }

    /// Moves on every pupil whose step's time has run out; how many moved.
    pub fn time_out(&mut self, scenario: &Scenario, now_ms: i64) -> usize {
        let pacing = self.pacing;
        let released = self.released;
        self.pupils
            .iter_mut()
            .filter(|p| !p.removed && (pacing == Pacing::SelfPaced || p.run.answers.len() < released))
            .map(|p| p.run.time_out(scenario, now_ms).unwrap_or(false))
            .filter(|moved| *moved)
            .count()
    }

    /// Step by step: the teacher releases the next decision. A pupil waiting for it starts its
    /// clock now (a timed step counts from its release, not from their arrival).
    pub fn release_next(&mut self, now_ms: i64) {
        self.released += 1;
        let released = self.released;
        for pupil in self.pupils.iter_mut().filter(|p| p.run.answers.len() + 1 == released) {
            pupil.run.step_since_ms = now_ms;
        }
    }

    /// The teacher removes a nickname; `false` when there is no such pupil.
    pub fn remove(&mut self, id: u32) -> bool {
        self.pupils.iter_mut().find(|p| p.id == id).map(|p| p.removed = true).is_some()
    }

    pub fn end(&mut self) {
        self.ended = true;
    }

    /// Where each pupil is, in joining order: for the teacher's own screen only.
    pub fn progress(&self, scenario: &Scenario) -> Vec<PupilProgress> {
        self.active()
            .map(|pupil| {
                let score = pupil.run.score(scenario);
                PupilProgress {
                    id: pupil.id,
                    nickname: pupil.nickname.clone(),
                    decisions: pupil.run.answers.len(),
                    step: pupil.run.step.clone(),
                    finished: score.is_some(),
                    correct: pupil.run.answers.iter().filter(|a| a.correct).count(),
                    outcome: score.map(|s| s.outcome),
                }
            })
            .collect()
    }

    /// How each step was answered, in the scenario's order of steps (endings and steps nobody
    /// reached left out). No names: this is what the class sees.
    pub fn tallies(&self, scenario: &Scenario) -> Vec<StepTally> {
        scenario
            .steps
            .iter()
            .filter(|step| step.outcome.is_none())
            .filter_map(|step| {
                let answers: Vec<_> =
                    self.active().flat_map(|p| p.run.answers.iter()).filter(|a| a.step == step.id).collect();
                if answers.is_empty() {
                    return None;
                }
                let choices = step
                    .choices
                    .iter()
                    .map(|c| {
                        (c.id.clone(), answers.iter().filter(|a| a.choice.as_deref() == Some(&c.id)).count())
                    })
                    .collect();
                let timed_out = answers.iter().filter(|a| a.choice.is_none()).count();
                let answered: Vec<i64> =
                    answers.iter().filter(|a| a.choice.is_some()).map(|a| a.took_ms).collect();
                let mean_ms =
                    (!answered.is_empty()).then(|| answered.iter().sum::<i64>() / answered.len() as i64);
                Some(StepTally { step: step.id.clone(), choices, timed_out, mean_ms })
            })
            .collect()
    }

    /// The class's result: who took part, finished, ended safe, and the mean score.
    pub fn result(&self, scenario: &Scenario) -> ClassResult {
        let scores: Vec<_> = self.active().filter_map(|p| p.run.score(scenario)).collect();
        let mean_percent =
            (!scores.is_empty()).then(|| scores.iter().map(|s| s.percent).sum::<u32>() / scores.len() as u32);
        ClassResult {
            participants: self.active().count(),
            finished: scores.len(),
            safe: scores.iter().filter(|s| s.outcome == Outcome::Safe).count(),
            mean_percent,
        }
    }
}

#[cfg(test)]
#[path = "class_sessions_tests.rs"]
mod tests;
