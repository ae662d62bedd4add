#![no_main]
//! Fuzz target `score_input`: see `fupin_fuzz::score_input`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| fupin_fuzz::score_input(data));
