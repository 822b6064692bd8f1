//! The live class sessions of this server, held in memory: each session's rules are the
//! domain's `ClassSession`; this registry adds who opened it (teacher, school), the pupils'
//! rejoin tokens (only their SHA-256 is kept), the exercise warning the teacher fired, and two
//! change signals per session: `teacher` moves on every change (a pupil's answer reaches the
//! teacher's screen through it), `class` only on what every pupil must see (a released step,
//! the exercise banner, the end), so a pupil's page is not refreshed by others' answers.
//!
//! One mutex guards the registry: every operation is a few microseconds of the domain's
//! engine, so 100 sessions of 60 pupils do not queue on it (bench/class_sessions.rs).
//! Sessions live as long as the process: a restart ends them (docs/DRILLS.md).

use std::{
    collections::{HashMap, VecDeque},
    sync::{Arc, Mutex, MutexGuard},
    time::Duration,
};

use rand_core::{OsRng, RngCore};
use safejdz_app::domain::{
    class_sessions::{ClassSession, Pacing, SessionCode, SessionError, nickname},
    drills::{Scenario, ScenarioLibrary},
};
use sha2::{Digest, Sha256};
use tokio::sync::watch;

/// How long a session is open for pupils: a lesson, with room to spare.
pub const SESSION_LIFETIME: Duration = Duration::from_secs(3 * 3600);

/// How long a session's results stay after it closed (the teacher's results page and CSV).
pub const RESULTS_KEPT: Duration = Duration::from_secs(24 * 3600);

/// Sessions open at once on this server at most (the issue asks for 100; room for more).
pub const MAX_SESSIONS: usize = 1000;

/// Sessions one teacher may have open at once.
pub const MAX_SESSIONS_PER_TEACHER: usize = 5;

/// Wrong codes one address may type in [`JOIN_WINDOW`] before `/join` pauses for it. A class
/// behind one school address mistypes a few; someone trying codes in turn needs thousands.
pub const JOIN_FAILURES_ALLOWED: usize = 30;
pub const JOIN_WINDOW: Duration = Duration::from_secs(10 * 60);

/// The simulated warning a teacher fired for the session's pupils (CAP status `Exercise`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExerciseWarning {
    pub fired_ms: i64,
    /// The CAP message, status `Exercise`, as the pupils' banner shows it.
    pub cap_xml: String,
}

/// One session and what the server keeps beside its rules.
#[derive(Debug, Clone)]
pub struct HeldSession {
    pub session: ClassSession,
    pub teacher_id: i64,
    pub teacher_name: String,
    pub school: String,
    pub exercise: Option<ExerciseWarning>,
    /// The closed session is in the record of drills held.
    pub recorded: bool,
    tokens: HashMap<u32, [u8; 32]>,
}

struct Entry {
    held: HeldSession,
    teacher: watch::Sender<u64>,
    class: watch::Sender<u64>,
}

impl Entry {
    fn changed(&self, for_class: bool) {
        self.teacher.send_modify(|version| *version += 1);
        if for_class {
            self.class.send_modify(|version| *version += 1);
        }
    }
}

#[derive(Default)]
struct Registry {
    sessions: HashMap<SessionCode, Entry>,
    join_failures: HashMap<String, VecDeque<i64>>,
}

/// Why the registry refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClassError {
    #[error("no open session has that code")]
    UnknownCode,
    #[error("too many wrong codes from this address; wait a few minutes")]
    TooManyTries,
    #[error("this server has as many sessions as it takes")]
    TooManySessions,
    #[error("this teacher has as many sessions open as allowed")]
    TooManyOfYours,
    #[error("no such scenario")]
    UnknownScenario,
    #[error("the nickname was refused: {0}")]
    Nickname(&'static str),
    #[error("the pupil's token does not match")]
    NotThisPupil,
    #[error("the step has moved on since the page was shown")]
    Stale,
    #[error(transparent)]
    Session(#[from] SessionError),
}

/// A pupil's proof of who they are in a session: kept in their cookie.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PupilTicket {
    pub code: SessionCode,
    pub pupil: u32,
    pub token: String,
}

impl PupilTicket {
    /// `code.pupil.token`, as the cookie carries it.
    pub fn to_cookie(&self) -> String {
        format!("{}.{}.{}", self.code.as_str(), self.pupil, self.token)
    }

    pub fn from_cookie(value: &str) -> Option<PupilTicket> {
        let mut parts = value.splitn(3, '.');
        let code = SessionCode::parse(parts.next()?)?;
        let pupil = parts.next()?.parse().ok()?;
        let token = parts.next()?.to_owned();
        (token.len() == 32 && token.bytes().all(|b| b.is_ascii_hexdigit())).then_some(PupilTicket {
            code,
            pupil,
            token,
        })
    }
}

fn token_hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// The server's class sessions.
#[derive(Clone)]
pub struct ClassSessions {
    library: Arc<ScenarioLibrary>,
    registry: Arc<Mutex<Registry>>,
}

/// What a teacher opens.
#[derive(Debug, Clone)]
pub struct Opening {
    pub scenario: String,
    pub pacing: Pacing,
    pub teacher_id: i64,
    pub teacher_name: String,
    pub school: String,
}

impl ClassSessions {
    pub fn new(library: Arc<ScenarioLibrary>) -> ClassSessions {
        ClassSessions { library, registry: Arc::default() }
    }

    pub fn library(&self) -> &ScenarioLibrary {
        &self.library
    }

    fn lock(&self) -> MutexGuard<'_, Registry> {
        // A panic while holding the lock leaves consistent data (every change is one call of
        // the domain, which checks before it changes): carry on rather than fail every pupil.
        self.registry.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn scenario(&self, id: &str) -> Result<&Scenario, ClassError> {
        self.library.get(id).ok_or(ClassError::UnknownScenario)
    }

    /// Opens a session; its code, drawn from the system's secure random source.
    pub fn open(&self, opening: Opening, now_ms: i64) -> Result<SessionCode, ClassError> {
        let scenario = self.scenario(&opening.scenario)?;
        let mut registry = self.lock();
        let open = |e: &&Entry| e.held.session.is_open(now_ms);
        if registry.sessions.values().filter(open).count() >= MAX_SESSIONS {
            return Err(ClassError::TooManySessions);
        }
        let mine =
            registry.sessions.values().filter(open).filter(|e| e.held.teacher_id == opening.teacher_id);
        if mine.count() >= MAX_SESSIONS_PER_TEACHER {
            return Err(ClassError::TooManyOfYours);
        }
        let code = loop {
            let code = SessionCode::from_random(OsRng.next_u64());
            if !registry.sessions.contains_key(&code) {
                break code;
            }
        };
        let lifetime = SESSION_LIFETIME.as_millis() as i64;
        let session = ClassSession::open(code.clone(), scenario, opening.pacing, now_ms, lifetime);
        let held = HeldSession {
            session,
            teacher_id: opening.teacher_id,
            teacher_name: opening.teacher_name,
            school: opening.school,
            exercise: None,
            recorded: false,
            tokens: HashMap::new(),
        };
        let entry = Entry { held, teacher: watch::channel(0).0, class: watch::channel(0).0 };
        registry.sessions.insert(code.clone(), entry);
        Ok(code)
    }

    /// A pupil joins session `code` (as typed) from `address`; their ticket. A wrong code
    /// counts against the address; too many pause it.
    pub fn join(
        &self,
        code: &str,
        typed_nickname: &str,
        address: &str,
        now_ms: i64,
    ) -> Result<PupilTicket, ClassError> {
        let mut registry = self.lock();
        let window = JOIN_WINDOW.as_millis() as i64;
        let failures = registry.join_failures.entry(address.to_owned()).or_default();
        while failures.front().is_some_and(|at| *at <= now_ms - window) {
            failures.pop_front();
        }
        if failures.len() >= JOIN_FAILURES_ALLOWED {
            return Err(ClassError::TooManyTries);
        }
        let open_code = SessionCode::parse(code)
            .filter(|code| registry.sessions.get(code).is_some_and(|e| e.held.session.is_open(now_ms)));
        let Some(code) = open_code else {
            registry.join_failures.entry(address.to_owned()).or_default().push_back(now_ms);
            return Err(ClassError::UnknownCode);
        };
        let name = nickname(typed_nickname).map_err(|problem| ClassError::Nickname(problem.message_id()))?;
        let entry = registry.sessions.get_mut(&code).ok_or(ClassError::UnknownCode)?;
        let scenario = self.library.get(&entry.held.session.scenario).ok_or(ClassError::UnknownScenario)?;
        let pupil = entry.held.session.join(scenario, &name, now_ms)?;
        let mut random = [0u8; 16];
        OsRng.fill_bytes(&mut random);
        let token: String = random.iter().map(|b| format!("{b:02x}")).collect();
        entry.held.tokens.insert(pupil, token_hash(&token));
        entry.changed(false);
        Ok(PupilTicket { code, pupil, token })
    }

    /// The session of a pupil's ticket, after moving on whoever ran out of time.
    pub fn for_pupil(&self, ticket: &PupilTicket, now_ms: i64) -> Result<HeldSession, ClassError> {
        self.with_pupil(ticket, now_ms, |_, _| Ok(false)).map(|(held, _)| held)
    }

    /// The pupil answers `choice` at `step` (the step their page showed: a second tap on an old
    /// page is refused as stale, not taken as the next step's answer).
    pub fn answer(
        &self,
        ticket: &PupilTicket,
        step: &str,
        choice: &str,
        now_ms: i64,
    ) -> Result<(), ClassError> {
        self.with_pupil(ticket, now_ms, |held, scenario| {
            let pupil = held.session.pupils.iter().find(|p| p.id == ticket.pupil);
            if pupil.is_none_or(|p| p.run.step != step) {
                return Err(ClassError::Stale);
            }
            held.session.answer(scenario, ticket.pupil, choice, now_ms)?;
            Ok(true)
        })
        .map(|_| ())
    }

    fn with_pupil(
        &self,
        ticket: &PupilTicket,
        now_ms: i64,
        change: impl FnOnce(&mut HeldSession, &Scenario) -> Result<bool, ClassError>,
    ) -> Result<(HeldSession, bool), ClassError> {
        let mut registry = self.lock();
        let entry = registry.sessions.get_mut(&ticket.code).ok_or(ClassError::UnknownCode)?;
        if entry.held.tokens.get(&ticket.pupil) != Some(&token_hash(&ticket.token)) {
            return Err(ClassError::NotThisPupil);
        }
        let scenario = self.library.get(&entry.held.session.scenario).ok_or(ClassError::UnknownScenario)?;
        let timed_out = entry.held.session.time_out(scenario, now_ms) > 0;
        let changed = change(&mut entry.held, scenario)?;
        if changed || timed_out {
            entry.changed(false);
        }
        Ok((entry.held.clone(), changed))
    }

    /// The session `code` for its teacher (or an admin: `any_teacher`).
    pub fn for_teacher(
        &self,
        code: &str,
        teacher_id: i64,
        any_teacher: bool,
        now_ms: i64,
    ) -> Result<HeldSession, ClassError> {
        self.teacher_acts(code, teacher_id, any_teacher, now_ms, |_| Ok(false))
    }

    /// A teacher's change to session `code`: `act` says whether every pupil must see it.
    pub fn teacher_acts(
        &self,
        code: &str,
        teacher_id: i64,
        any_teacher: bool,
        now_ms: i64,
        act: impl FnOnce(&mut HeldSession) -> Result<bool, ClassError>,
    ) -> Result<HeldSession, ClassError> {
        let code = SessionCode::parse(code).ok_or(ClassError::UnknownCode)?;
        let mut registry = self.lock();
        let entry = registry
            .sessions
            .get_mut(&code)
            .filter(|e| any_teacher || e.held.teacher_id == teacher_id)
            .ok_or(ClassError::UnknownCode)?;
        let scenario = self.library.get(&entry.held.session.scenario).ok_or(ClassError::UnknownScenario)?;
        let timed_out = entry.held.session.time_out(scenario, now_ms) > 0;
        let before = (entry.held.session.clone(), entry.held.exercise.clone());
        let for_class = act(&mut entry.held)?;
        if for_class || timed_out || (entry.held.session.clone(), entry.held.exercise.clone()) != before {
            entry.changed(for_class);
        }
        Ok(entry.held.clone())
    }

    /// The sessions a teacher opened (an admin: all), newest first.
    pub fn of_teacher(&self, teacher_id: i64, any_teacher: bool) -> Vec<HeldSession> {
        let registry = self.lock();
        let mut sessions: Vec<HeldSession> = registry
            .sessions
            .values()
            .filter(|e| any_teacher || e.held.teacher_id == teacher_id)
            .map(|e| e.held.clone())
            .collect();
        sessions.sort_by_key(|held| std::cmp::Reverse(held.session.opened_ms));
        sessions
    }

    /// Changes the teacher's screen of `code` must show; `None` without such a session.
    pub fn watch_teacher(&self, code: &SessionCode) -> Option<watch::Receiver<u64>> {
        self.lock().sessions.get(code).map(|e| e.teacher.subscribe())
    }

    /// Changes every pupil of `code` must see.
    pub fn watch_class(&self, code: &SessionCode) -> Option<watch::Receiver<u64>> {
        self.lock().sessions.get(code).map(|e| e.class.subscribe())
    }

    /// Once a second: moves on pupils whose time ran out (their teacher sees it), and hands back
    /// the sessions that closed and are not yet recorded (marked recorded: the caller stores
    /// them). Drops sessions whose results are past keeping.
    pub fn tick(&self, now_ms: i64) -> Vec<HeldSession> {
        let mut registry = self.lock();
        let kept = RESULTS_KEPT.as_millis() as i64;
        registry.sessions.retain(|_, entry| entry.held.session.expires_ms + kept > now_ms);
        let window = JOIN_WINDOW.as_millis() as i64;
        registry.join_failures.retain(|_, failures| failures.back().is_some_and(|at| *at > now_ms - window));
        let mut closed = Vec::new();
        for entry in registry.sessions.values_mut() {
            let Some(scenario) = self.library.get(&entry.held.session.scenario) else { continue };
            if entry.held.session.is_open(now_ms) {
                if entry.held.session.time_out(scenario, now_ms) > 0 {
                    entry.changed(false);
                }
            } else if !entry.held.recorded {
                entry.held.recorded = true;
                // The pupils' pages show the end even when it came by expiry.
                entry.changed(true);
                closed.push(entry.held.clone());
            }
        }
        closed
    }
}

#[cfg(test)]
#[path = "class_sessions_tests.rs"]
mod tests;
