//! Shelters: the city's register of emergency shelters (应急避难场所) and each one's state as
//! volunteers report it. `store` keeps them (SQLite and PostgreSQL), `import` reads a register
//! file (CSV or GeoJSON, every problem named by line or feature and field; all or nothing),
//! `export` writes it back out, `pages` serves the resident pages. The volunteers' reports and
//! the console's import build on these.

pub mod export;
pub mod import;
pub mod pages;
pub mod store;
