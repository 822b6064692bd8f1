//! What every feature uses and that uses no feature: the database (`store`), the layers every
//! response gets (`http`), static assets, the API error envelope, ETags, the database's part of
//! health, and telemetry.

pub mod api_error;
pub mod assets;
pub mod etag;
pub mod health;
pub mod http;
pub mod openapi;
pub mod outbox;
pub mod secret;
pub mod store;
pub mod telemetry;
