#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // a failing test may panic

//! Tests of fupin-xlsx: the example workbooks (generated here, checked for drift), reading
//! workbooks exactly, and writing workbooks that read back the same.

mod examples;
mod reading;
mod writing;

use std::path::PathBuf;

/// A file of the repository's `examples/`.
pub fn example(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name)
}

/// The seven units of the embedded 2020 data.
pub fn units() -> Vec<String> {
    fupin::spending::ledger::unit_names(&fupin::data::PlanData::chaoyang_2020())
}
