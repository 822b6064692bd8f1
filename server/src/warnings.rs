//! Warnings: CAP messages from the city's sources (polled feeds, pushes, files), their
//! signatures, ingest and store; the warnings in force as pages, the public API, the Atom feed
//! and GeoJSON read them; the alert hub tells of every change and the stream serves it.

pub mod alerts;
pub mod api;
pub mod feeds;
pub mod hub;
pub mod ingest;
pub mod recent;
pub mod signatures;
pub mod sources;
pub mod state;
pub mod store;
pub mod stream;

pub use state::Warnings;
