#![no_main]
//! Fuzz target `ledger_json`: see `fupin_fuzz::ledger_json`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| fupin_fuzz::ledger_json(data));
