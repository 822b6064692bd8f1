//! Safe Jingdezhen server: configuration, storage, HTTP (pages, server functions, static
//! assets, health), and the command line. The binary `safejdz` is a thin `main` over this.

pub mod cli;
pub mod config;
pub mod http;
pub mod storage;
pub mod telemetry;
