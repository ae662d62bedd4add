//! The one place Rust errors become Python exceptions.
//!
//! The exception classes are Python classes (`fupin/errors.py`): a `#[pyclass(extends =
//! PyValueError)]` needs Python ≥ 3.12 under the stable ABI, and the wheel supports 3.11. Each
//! carries its data as fields (`path`, `value`, `clause`, and `item`, `row`, `kind`, … where
//! they apply) and pickles with them. [`to_py_err`] maps every core error; the marker types
//! ([`DataError`], …) raise one class with a message.

use pyo3::BoundObject;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyModule};

static MODULE: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

/// Build an exception of class `class` of `fupin.errors` with `message` and keyword fields.
fn raise(class: &str, message: String, fields: &[(&str, Option<Py<PyAny>>)]) -> PyErr {
    Python::attach(|py| {
        let build = || -> PyResult<PyErr> {
            let module =
                MODULE.get_or_try_init(py, || py.import("fupin.errors").map(Bound::unbind))?;
            let kwargs = PyDict::new(py);
            for (name, value) in fields {
                if let Some(value) = value {
                    kwargs.set_item(*name, value)?;
                }
            }
            let instance = module
                .bind(py)
                .getattr(class)?
                .call((message,), Some(&kwargs))?;
            Ok(PyErr::from_value(instance))
        };
        build().unwrap_or_else(|e| e)
    })
}

fn obj<'py>(py: Python<'py>, v: impl IntoPyObject<'py>) -> Option<Py<PyAny>> {
    v.into_pyobject(py).ok().map(|b| b.into_any().unbind())
}

macro_rules! classes {
    ($($name:ident),* $(,)?) => {$(
        #[doc = concat!("`fupin.", stringify!($name), "`, raised with a message.")]
        pub struct $name;

        impl $name {
            #[doc = concat!("A `", stringify!($name), "` with this message.")]
            pub fn new_err(message: impl Into<String>) -> PyErr {
                raise(stringify!($name), message.into(), &[])
            }
        }
    )*};
}
classes!(FupinError, PolicyError, DataError);

/// Set `.path` on an exception (a `TypeError` from reading, a table error).
pub fn set_path(err: &PyErr, path: &str) {
    set(err, "path", path);
}

/// Set `.value` (the offending value as given) on an exception.
pub fn set_value(err: &PyErr, value: &str) {
    set(err, "value", value);
}

/// Set an attribute on an exception instance.
pub fn set(err: &PyErr, name: &str, value: impl for<'py> IntoPyObject<'py>) {
    Python::attach(|py| {
        // Setting an attribute on a fresh exception instance cannot fail in practice; if it
        // did, the exception is still raised, without the attribute.
        if let Some(value) = obj(py, value) {
            let _ = err.value(py).setattr(name, value);
        }
    });
}

/// A field error of an area: the class, the message and its `path` (and, once the core
/// carries them, its exact `value` and `code`).
fn field(class: &str, message: String, f: &fupin::FieldError) -> PyErr {
    Python::attach(|py| raise(class, message, &[("path", obj(py, f.path.as_str()))]))
}

/// Map any core error to its exception class, with its fields.
pub fn to_py_err(e: impl Into<fupin::Error>) -> PyErr {
    use fupin::assessment::ScoreError as Score;
    use fupin::tasks::TasksError as Tasks;

    let e = e.into();
    let message = e.to_string();
    Python::attach(|py| match &e {
        fupin::Error::Policy(p) => raise("PolicyError", message, &[("path", obj(py, p.path()))]),
        fupin::Error::Data(d) => raise("DataError", message, &[("path", obj(py, d.path()))]),
        fupin::Error::Money(_) => raise("AmountError", message, &[]),
        fupin::Error::Spending(fupin::spending::SpendingError::Field { error, .. }) => {
            field("SpendingError", message, error)
        }
        fupin::Error::Spending(fupin::spending::SpendingError::Cell(c)) => {
            let path = match c.at {
                fupin::spending::ledger::RowRef::Record(i) => format!("[{i}].{}", c.column.name),
                fupin::spending::ledger::RowRef::Line(n) => format!("line {n}.{}", c.column.name),
            };
            raise(
                "SpendingError",
                message,
                &[
                    ("path", obj(py, path)),
                    ("value", obj(py, c.value.as_str())),
                ],
            )
        }
        fupin::Error::Spending(_) => raise("SpendingError", message, &[]),
        fupin::Error::Calendar(_) => raise("CalendarError", message, &[]),
        fupin::Error::Score(Score::InvalidCard(f)) => field("PolicyError", message, f),
        fupin::Error::Score(Score::Input(f)) | fupin::Error::Tasks(Tasks::Input(f)) => {
            field("DataError", message, f)
        }
        fupin::Error::Score(s) => raise("ScoreError", message, &[("item", obj(py, s.item()))]),
        fupin::Error::Tasks(_) => raise("AmountError", message, &[]),
        fupin::Error::Approval(a) => raise(
            "ApprovalError",
            message,
            &[
                ("kind", obj(py, a.kind())),
                ("project", obj(py, a.project())),
                ("actor", obj(py, a.actor().map(|x| x.id.clone()))),
                ("clause", obj(py, a.clause().to_string())),
                ("message_zh", obj(py, a.message(fupin::Lang::Zh))),
            ],
        ),
        fupin::Error::Audit(a) => {
            use fupin::audit::AuditError as Audit;
            let kind = match a {
                Audit::Malformed { .. } => "malformed",
                Audit::Tampered { .. } => "tampered",
                Audit::Illegal { .. } => "illegal",
                _ => "inconsistent",
            };
            raise(
                "AuditError",
                message,
                &[
                    ("line", obj(py, a.line())),
                    ("kind", obj(py, kind)),
                    ("message_zh", obj(py, a.message(fupin::Lang::Zh))),
                ],
            )
        }
        fupin::Error::Project(_) => raise("ProjectError", message, &[]),
        _ => raise("FupinError", message, &[]),
    })
}
