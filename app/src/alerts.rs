//! Warnings: the home page and one warning's page, where the warning pipeline (feed → matching
//! → resident) lands.

mod api;
mod live;
mod warning_page;
mod warnings_page;

pub use api::{
    ForgetPlace, HistoryEntry, HomePage, HomeWarnings, LoadWarning, SavePlace, WarningDetail, forget_place,
    home_warnings, load_warning, save_place,
};
#[cfg(feature = "ssr")]
pub use api::{Pending, WarningsBackend, WarningsInForce};
pub use warning_page::WarningPage;
pub use warnings_page::WarningsPage;
