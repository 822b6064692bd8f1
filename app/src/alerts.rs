//! Warnings: the home page. The warning pipeline (feed → matching → resident) lands here.

mod warnings_page;

pub use warnings_page::WarningsPage;
