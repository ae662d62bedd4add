#![no_main]
//! Fuzz target `schedule`: see `fupin_fuzz::schedule`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| fupin_fuzz::schedule(data));
