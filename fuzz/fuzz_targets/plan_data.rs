#![no_main]
//! Fuzz target `plan_data`: see `fupin_fuzz::plan_data`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| fupin_fuzz::plan_data(data));
