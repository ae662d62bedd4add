//! Integration tests of the core crate, one module per area (one test binary links faster).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // a failing test may panic

mod docs;
mod fuzz_replay;
mod roundtrip;
