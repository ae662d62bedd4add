//! The exception hierarchy, and the one place Rust errors become Python exceptions.
//!
//! `FupinError(ValueError)` is the base; each area of the core has a subclass. Field errors
//! carry the offending field's dotted path as `.path`.

use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

create_exception!(
    fupin,
    FupinError,
    PyValueError,
    "Base of every error fupin raises."
);
create_exception!(
    fupin,
    PolicyError,
    FupinError,
    "A policy is invalid; `.path` names the field."
);
create_exception!(
    fupin,
    DataError,
    FupinError,
    "Input data are invalid; `.path` names the field."
);
create_exception!(
    fupin,
    AmountError,
    FupinError,
    "An amount or ratio cannot be read, or exact arithmetic overflowed."
);

create_exception!(
    fupin,
    SpendingError,
    FupinError,
    "A spending ledger, schedule or allocation input is invalid (the message names the row, column and value)."
);
create_exception!(
    fupin,
    CalendarError,
    FupinError,
    "A calendar query or record of completion is invalid."
);
create_exception!(
    fupin,
    ScoreError,
    FupinError,
    "A unit's scores are invalid for its card; `.item` names the item."
);

fn with_path(err: PyErr, path: &str) -> PyErr {
    Python::attach(|py| {
        // Setting an attribute on a fresh exception instance cannot fail in practice; if it
        // did, the exception is still raised, without `.path`.
        let _ = err.value(py).setattr("path", path);
    });
    err
}

/// Map any core error to its exception class.
pub fn to_py_err(e: impl Into<fupin::Error>) -> PyErr {
    let e = e.into();
    let message = e.to_string();
    match &e {
        fupin::Error::Policy(p) => with_path(PolicyError::new_err(message), p.path()),
        fupin::Error::Data(d) => with_path(DataError::new_err(message), d.path()),
        fupin::Error::Money(_) => AmountError::new_err(message),
        fupin::Error::Approval(_) | fupin::Error::Audit(_) | fupin::Error::Project(_) => {
            crate::approvals::to_py_err(&e)
        }
        fupin::Error::Spending(_) => SpendingError::new_err(message),
        fupin::Error::Calendar(_) => CalendarError::new_err(message),
        fupin::Error::Score(fupin::assessment::ScoreError::InvalidCard(f)) => {
            with_path(PolicyError::new_err(message), &f.first().path)
        }
        fupin::Error::Score(fupin::assessment::ScoreError::Input(f)) => {
            with_path(DataError::new_err(message), &f.first().path)
        }
        fupin::Error::Score(s) => {
            let err = ScoreError::new_err(message);
            Python::attach(|py| {
                // As in `with_path`: the exception is raised even if the attribute is not set.
                let _ = err.value(py).setattr("item", s.item());
            });
            err
        }
        fupin::Error::Tasks(fupin::tasks::TasksError::Input(f)) => {
            with_path(DataError::new_err(message), &f.first().path)
        }
        fupin::Error::Tasks(_) => AmountError::new_err(message),
        _ => FupinError::new_err(message),
    }
}

/// Register the exception classes on the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("FupinError", py.get_type::<FupinError>())?;
    m.add("PolicyError", py.get_type::<PolicyError>())?;
    m.add("DataError", py.get_type::<DataError>())?;
    m.add("AmountError", py.get_type::<AmountError>())?;
    m.add("SpendingError", py.get_type::<SpendingError>())?;
    m.add("CalendarError", py.get_type::<CalendarError>())?;
    m.add("ScoreError", py.get_type::<ScoreError>())?;
    Ok(())
}
