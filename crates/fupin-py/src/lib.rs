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
