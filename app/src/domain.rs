//! The pure domain: rules with no I/O, no clock reads and no Leptos, so they compile for both
//! targets and are tested with plain `cargo test`.

pub mod boundaries;
pub mod campaigns;
pub mod cap;
pub mod class_sessions;
pub mod compose;
pub mod datum;
pub mod directions;
pub mod divisions;
pub mod drills;
pub mod geo;
pub mod hazards;
pub mod learn;
pub mod lifecycle;
pub mod map;
pub mod matching;
pub mod notifications;
pub mod places;
pub mod preferences;
pub mod shelters;
pub mod staff;
pub mod township_seats;
pub mod url;
pub mod warnings;
