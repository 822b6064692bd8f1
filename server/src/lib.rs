//! Safe Jingdezhen server: configuration, storage, HTTP (pages, server functions, static
//! assets, health), and the command line. The binary `safejdz` is a thin `main` over this.

// Rendering the app's pages instantiates deeply nested Leptos view types here.
#![recursion_limit = "256"]

pub mod alerts;
pub mod api;
pub mod cli;
pub mod commands;
pub mod config;
pub mod delivery;
pub mod feeds;
pub mod http;
pub mod ingest;
pub mod signatures;
pub mod sources;
pub mod storage;
pub mod telemetry;
