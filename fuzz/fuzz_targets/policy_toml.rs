#![no_main]
//! Fuzz target `policy_toml`: see `fupin_fuzz::policy_toml`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| fupin_fuzz::policy_toml(data));
