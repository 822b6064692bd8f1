//! Drills: virtual safety drills to practise alone or in a live class session.

mod drills_page;

pub use drills_page::DrillsPage;
