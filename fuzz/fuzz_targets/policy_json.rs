#![no_main]
//! Fuzz target `policy_json`: see `fupin_fuzz::policy_json`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| fupin_fuzz::policy_json(data));
