//! Drills: virtual safety drills (issue 13). `scenarios` reads and checks the scenario files;
//! [`Drills`] is the feature's state, which the pages read as a `ScenarioLibrary`. Live class
//! sessions and their store come next.

pub mod class_sessions;
pub mod exercise;
pub mod scenarios;

use std::sync::Arc;

use safejdz_app::domain::drills::ScenarioLibrary;

/// The drills feature's state.
#[derive(Clone)]
pub struct Drills {
    pub library: Arc<ScenarioLibrary>,
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
        Drills { library: Arc::new(ScenarioLibrary::new(scenarios)) }
    }
}
