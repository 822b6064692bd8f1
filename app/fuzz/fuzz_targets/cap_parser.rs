//! Fuzzes the CAP reader with arbitrary bytes: it must never panic, loop or blow the stack,
//! whatever arrives (a refusal with a reason is the right answer to garbage).
#![no_main]

use libfuzzer_sys::fuzz_target;
use safejdz_app::domain::cap::{ParseOptions, parse_alert, split_envelope};

fuzz_target!(|data: &[u8]| {
    let options = ParseOptions::default();
    let _ = parse_alert(data, &options);
    let _ = split_envelope(data, &options);
});
