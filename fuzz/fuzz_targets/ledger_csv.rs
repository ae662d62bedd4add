#![no_main]
//! Fuzz target `ledger_csv`: see `fupin_fuzz::ledger_csv`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| fupin_fuzz::ledger_csv(data));
