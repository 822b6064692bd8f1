//! Shelters: the nearest open emergency shelter with room, and the way there. `/shelters` lists
//! them nearest first with filters and a map; `/shelters/{id}` shows one with its "take me
//! there" links. Both are server components (the only island is "use my location", from the
//! warnings bundle) and work with JavaScript off.

mod api;
mod shelter_page;
mod shelters_page;
mod words;

#[cfg(feature = "ssr")]
pub use api::{RegisterError, RegisterPending, SheltersBackend};
pub use api::{
    ShelterDetail, ShelterList, ShelterListItem, ShelterListPage, ShelterMap, ShelterSheet, TakeMeThere,
    shelter_detail, shelter_list,
};
pub use shelter_page::ShelterPage;
pub use shelters_page::SheltersPage;
