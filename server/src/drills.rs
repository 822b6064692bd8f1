//! Drills: virtual safety drills (issue 13). `scenarios` reads and checks the scenario files;
//! [`Drills`] is the feature's state: the scenarios (the pages read them as a
//! `ScenarioLibrary`) and the live class sessions (`class_sessions`, served to the app by
//! `class_console`, streamed and exported by `class_routes`, recorded by `records`; the
//! teacher's simulated warning is made by `exercise`).

pub mod class_console;
pub mod class_routes;
pub mod class_sessions;
pub mod exercise;
pub mod records;
pub mod scenarios;

use std::sync::Arc;

use safejdz_app::domain::drills::ScenarioLibrary;

/// The drills feature's state.
#[derive(Clone)]
pub struct Drills {
    pub library: Arc<ScenarioLibrary>,
    pub sessions: class_sessions::ClassSessions,
}

impl Drills {
    /// The shipped scenarios. `serve` refuses to start when a file is bad (and a test reads
    /// them all), so a bad file here is only a command's concern: it gets an empty library
    /// and an error in the log.
    pub fn shipped() -> Drills {
        let scenarios = scenarios::all().unwrap_or_else(|problems| {
            tracing::error!(problems = %problems.join("; "), "drill scenarios refused");
            Vec::new()
        });
        let library = Arc::new(ScenarioLibrary::new(scenarios));
        Drills { sessions: class_sessions::ClassSessions::new(library.clone()), library }
    }
}
