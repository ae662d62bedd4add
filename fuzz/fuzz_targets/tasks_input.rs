#![no_main]
//! Fuzz target `tasks_input`: see `fupin_fuzz::tasks_input`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| fupin_fuzz::tasks_input(data));
