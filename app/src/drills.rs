//! Drills: virtual safety drills to practise alone (the list, and one drill played by an
//! island that works as plain forms without JavaScript), and live class sessions: pupils at
//! `/join` and `/class`, teachers at `/staff/drills`.

pub mod api;
pub mod class_api;
mod class_page;
mod drill_page;
mod drills_page;
mod picture;
mod player;
mod teacher_pages;

pub use class_page::{ClassPage, JoinPage};
pub use drill_page::DrillPage;
pub use drills_page::DrillsPage;
pub use player::{DrillPlayer, PlayerTexts};
pub use teacher_pages::{TeacherDrillsPage, TeacherResultsPage, TeacherSessionPage};

/// The bundle of the drill pages' islands (the `islands-drills` feature).
pub const DRILLS_BUNDLE: &str = "drills";
