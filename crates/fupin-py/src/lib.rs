//! Python bindings of fupin: conversion and error mapping only; the rules live in `fupin`, the
//! whole-table column code in `fupin-arrow`.
//!
//! The compiled module is `fupin._fupin`; the public package `fupin` re-exports it. Each module
//! registers its own classes and functions (`register`), so a new binding is one line here.

use pyo3::prelude::*;

mod approvals;
mod arrow;
mod assessment;
mod compare;
mod errors;
mod excel;
mod from_py;
mod plan;
mod render;
mod spending;
mod tables;
mod to_py;

/// The extension's own memory (Rust's, never Python's objects) comes from mimalloc, which keeps
/// freed pages for the next call: the columns `score_table` and the other table functions hand
/// to Arrow are tens of megabytes, and with glibc every call paid first-touch page faults on
/// fresh pages again (about 40 % of a full `score_table` call, measured with `perf`).
/// `local_dynamic_tls`: the extension is loaded into a running interpreter (dlopen), where the
/// initial-exec TLS model can run out of static TLS space.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The compiled core of the `fupin` package.
#[pymodule]
fn _fupin(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    plan::register(m)?;
    assessment::register(m)?;
    spending::register(m)?;
    tables::register(m)?;
    approvals::register(m)?;
    compare::register(m)?;
    excel::register(m)?;
    Ok(())
}
