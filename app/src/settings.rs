//! Settings: language, elderly mode and contrast, remembered in a cookie so that the server
//! renders every page with them.

mod api;
mod page;

pub use api::{SavePreferences, save_preferences};
pub use page::SettingsPage;
