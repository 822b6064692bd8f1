//! Drills: virtual safety drills to practise alone (the list, and one drill played by an
//! island that works as plain forms without JavaScript); live class sessions come next.

pub mod api;
mod drill_page;
mod drills_page;
mod player;

pub use drill_page::DrillPage;
pub use drills_page::DrillsPage;
pub use player::{DrillPlayer, PlayerTexts};

/// The bundle of the drill pages' islands (the `islands-drills` feature).
pub const DRILLS_BUNDLE: &str = "drills";
