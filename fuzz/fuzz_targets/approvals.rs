#![no_main]
//! Fuzz target `approvals`: see `fupin_fuzz::approvals`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| fupin_fuzz::approvals(data));
