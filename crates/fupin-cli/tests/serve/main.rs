//! `fupin serve` as another system sees it: the real binary on a free loopback port.
//!
//! - `e2e`: every endpoint called, each answer byte-identical to the command's `--format json`
//!   for the same input;
//! - `hostile`: truncated, mistyped, huge, deeply nested and slow requests get a problem
//!   document (never a 5xx, a hang or a crash);
//! - `lifecycle`: flags and environment, graceful shutdown on SIGTERM.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // tests may panic

mod e2e;
mod hostile;
mod http;
mod lifecycle;
mod web;
