//! Python bindings of fupin: conversion and error mapping only; the rules live in `fupin`.
//!
//! The compiled module is `fupin._fupin`; the public package `fupin` re-exports it.

use pyo3::prelude::*;

mod approvals;
mod arrow;
mod assessment;
mod errors;
mod excel;
mod from_py;
mod plan;
mod spending;
mod tables;
mod to_py;

/// The compiled core of the `fupin` package.
#[pymodule]
fn _fupin(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    errors::register(m)?;
    approvals::register(m)?;
    m.add_class::<plan::Policy>()?;
    m.add_class::<plan::PlanData>()?;
    m.add_class::<plan::Check>()?;
    m.add_class::<plan::Report>()?;
    m.add_function(wrap_pyfunction!(plan::report, m)?)?;
    m.add_function(wrap_pyfunction!(tables::check_funds_table, m)?)?;
    m.add_function(wrap_pyfunction!(tables::score_table, m)?)?;
    m.add_function(wrap_pyfunction!(tables::spending_progress_table, m)?)?;
    m.add_class::<spending::Ledger>()?;
    m.add_class::<spending::Schedule>()?;
    m.add_class::<spending::Bulletin>()?;
    m.add_function(wrap_pyfunction!(spending::bulletin, m)?)?;
    m.add_function(wrap_pyfunction!(spending::adjust_allocation, m)?)?;
    m.add_function(wrap_pyfunction!(spending::obligations_due, m)?)?;
    m.add_function(wrap_pyfunction!(spending::obligation_status, m)?)?;
    m.add_class::<assessment::Scorecard>()?;
    m.add_class::<assessment::ScoreReport>()?;
    m.add_class::<assessment::RankEntry>()?;
    m.add_class::<assessment::TasksReport>()?;
    m.add_function(wrap_pyfunction!(assessment::score, m)?)?;
    m.add_function(wrap_pyfunction!(assessment::rank, m)?)?;
    m.add_function(wrap_pyfunction!(assessment::check_tasks, m)?)?;
    m.add_function(wrap_pyfunction!(excel::scores_to_excel, m)?)?;
    Ok(())
}
