#![no_main]
//! Fuzz target `calendar_done`: see `fupin_fuzz::calendar_done`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| fupin_fuzz::calendar_done(data));
