//! Safe Jingdezhen server, by feature: `warnings` (sources, signatures, ingest, store, the
//! public API, feeds, the alert hub and its stream) and `notify` (Web Push and operator
//! gateways, fed by the hub), on a shared `platform` (database, router layers, assets, API
//! errors, ETags, health, telemetry) that names no feature. `state` composes the features,
//! `tasks` starts and stops every background task, `router` and `pages` assemble the HTTP
//! surface, `config` the configuration; the binary `safejdz` is a thin `main` over this.
//! `shelters`, `drills`, `learn` and `staff` are where those features will go.

// Rendering the app's pages instantiates deeply nested Leptos view types here.
#![recursion_limit = "256"]

pub mod api;
pub mod cli;
pub mod commands;
pub mod config;
pub mod pages;
pub mod router;
pub mod state;
pub mod tasks;

pub mod platform;

pub mod drills;
pub mod learn;
pub mod notify;
pub mod shelters;
pub mod staff;
pub mod warnings;
