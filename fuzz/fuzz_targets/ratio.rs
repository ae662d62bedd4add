#![no_main]
//! Fuzz target `ratio`: see `fupin_fuzz::ratio`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| fupin_fuzz::ratio(data));
