//! Server functions of the drill pages: the scenarios on offer, and one scenario to play in the
//! resident's language with the path of choices taken so far (the JavaScript-off drill carries
//! it in the address). The scenarios come from the server as a [`ScenarioLibrary`] in context.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{
    domain::{
        drills::{Scenario, Source},
        hazards::Hazard,
    },
    error::AppError,
};

/// One scenario in the list, in the resident's language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DrillCard {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub hazard: Hazard,
    /// Decisions on the right path: how long the drill is.
    pub decisions: usize,
}

/// A scenario to play.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DrillSheet {
    /// The scenario with the resident's language only, for the player.
    pub scenario: Scenario,
    pub sources: Vec<Source>,
    /// The choices taken so far, each a choice id, in order.
    pub path: Vec<String>,
    /// The address asked for a path this scenario does not have: the drill starts again.
    pub path_refused: bool,
}

/// Every scenario, in the order of the files.
#[server]
pub async fn drill_list() -> Result<Vec<DrillCard>, AppError> {
    ssr::drill_list()
}

/// The scenario `id` after the choices of `path` (ids joined by '.') and then `pick`; `None`
/// when there is no such scenario.
#[server]
pub async fn drill_play(
    id: String,
    path: Option<String>,
    pick: Option<String>,
) -> Result<Option<DrillSheet>, AppError> {
    ssr::drill_play(&id, path.as_deref(), pick.as_deref())
}

/// The path's separator in the address: choice ids are lower-case letters, digits and '-'.
pub const PATH_SEPARATOR: char = '.';

#[cfg(feature = "ssr")]
mod ssr {
    use std::sync::Arc;

    use leptos::prelude::*;

    use super::{DrillCard, DrillSheet, PATH_SEPARATOR};
    use crate::{
        domain::{
            drills::{DrillRun, Scenario, ScenarioLibrary},
            preferences::Lang,
        },
        error::AppError,
        shell::request_preferences,
    };

    fn library() -> Result<Arc<ScenarioLibrary>, AppError> {
        use_context::<Arc<ScenarioLibrary>>().ok_or_else(|| AppError::new("drills-error-unavailable"))
    }

    pub fn drill_list() -> Result<Vec<DrillCard>, AppError> {
        let english = request_preferences().lang == Lang::En;
        Ok(library()?
            .all()
            .iter()
            .map(|scenario| DrillCard {
                id: scenario.id.clone(),
                title: scenario.title.in_language(english).to_owned(),
                summary: scenario.summary.in_language(english).to_owned(),
                hazard: scenario.hazard,
                decisions: scenario.main_path_decisions().unwrap_or_default(),
            })
            .collect())
    }

    pub fn drill_play(
        id: &str,
        path: Option<&str>,
        pick: Option<&str>,
    ) -> Result<Option<DrillSheet>, AppError> {
        let english = request_preferences().lang == Lang::En;
        let library = library()?;
        let Some(scenario) = library.get(id) else {
            return Ok(None);
        };
        let mut picks: Vec<String> = path
            .unwrap_or_default()
            .split(PATH_SEPARATOR)
            .filter(|pick| !pick.is_empty())
            .map(str::to_owned)
            .chain(pick.filter(|pick| !pick.is_empty()).map(str::to_owned))
            .collect();
        // A path the scenario does not have (an old link, a changed file): start again, and say so.
        let path_refused = DrillRun::replay(scenario, picks.iter().map(String::as_str), 0).is_err();
        if path_refused {
            picks.clear();
        }
        Ok(Some(DrillSheet {
            // The player needs no sources: the page lists them.
            scenario: Scenario { sources: Vec::new(), ..scenario.in_one_language(english) },
            sources: scenario.sources.clone(),
            path: picks,
            path_refused,
        }))
    }
}
