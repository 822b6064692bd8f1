//! Shelters: the nearest open emergency shelter with room, and the way there.

mod shelters_page;

pub use shelters_page::SheltersPage;
