//! The server's integration tests, one binary (each test file is a module): linked once instead
//! of once per file, which keeps `target/` and the test build small. Run one file's tests with
//! `cargo test -p safejdz-server --test integration <module>::`.

mod support;

mod api;
mod cap_corpus;
mod config;
mod crash;
mod drills;
mod drills_class;
mod gateways;
mod http;
mod learn;
mod openapi;
mod poll;
mod shelters;
mod shelters_api;
mod shelters_console;
mod signatures;
mod staff;
mod staff_publishing;
mod storage;
mod stored_alerts;
mod stream;
mod warnings_pages;
mod webpush_fanout;
mod webpush_settings;
