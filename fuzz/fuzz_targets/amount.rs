#![no_main]
//! Fuzz target `amount`: see `fupin_fuzz::amount`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| fupin_fuzz::amount(data));
