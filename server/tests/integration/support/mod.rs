//! What the integration tests share: databases per test (SQLite, PostgreSQL), an API client,
//! a local Web Push service, and the staff console's app and browser.

pub mod api_client;
pub mod databases;
pub mod push_service;
pub mod staff_app;
