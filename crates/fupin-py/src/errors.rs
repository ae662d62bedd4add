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
use pyo3::types::{PyDict, PyList, PyModule};

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

/// Every problem of a core error, as the dicts `FupinError` keeps (`path`, `code`, `message`,
/// `value`); `.errors()` gives them in pydantic's shape.
fn problems<'py>(py: Python<'py>, e: &fupin::Error) -> PyResult<Bound<'py, PyList>> {
    let list = PyList::empty(py);
    for f in e.field_errors() {
        let d = PyDict::new(py);
        d.set_item("path", f.path)?;
        d.set_item("code", f.code.as_str())?;
        d.set_item("message", f.message)?;
        d.set_item("value", f.value)?;
        list.append(d)?;
    }
    Ok(list)
}

/// Keyword fields of an exception: name → value (`None` leaves the class's default).
type Fields = Vec<(&'static str, Option<Py<PyAny>>)>;

/// The exception class of a core error, and its own fields beyond the common ones.
fn class_of(py: Python<'_>, e: &fupin::Error) -> (&'static str, Fields) {
    use fupin::assessment::ScoreError as Score;
    use fupin::tasks::TasksError as Tasks;
    match e {
        fupin::Error::Policy(_) | fupin::Error::Score(Score::InvalidCard(_)) => {
            ("PolicyError", vec![])
        }
        fupin::Error::Data(_)
        | fupin::Error::Score(Score::Input(_))
        | fupin::Error::Tasks(Tasks::Input(_)) => ("DataError", vec![]),
        fupin::Error::Money(_) | fupin::Error::Tasks(_) => ("AmountError", vec![]),
        fupin::Error::Spending(_) => ("SpendingError", vec![]),
        fupin::Error::Calendar(_) => ("CalendarError", vec![]),
        fupin::Error::Score(s) => ("ScoreError", vec![("item", obj(py, s.item()))]),
        fupin::Error::Approval(a) => (
            "ApprovalError",
            vec![
                ("kind", obj(py, a.kind())),
                ("project", obj(py, a.project())),
                ("actor", obj(py, a.actor().map(|x| x.id.clone()))),
                ("clause", obj(py, a.clause().to_string())),
                ("message_zh", obj(py, a.message(fupin::Lang::Zh))),
            ],
        ),
        fupin::Error::Audit(a) => (
            "AuditError",
            vec![
                ("line", obj(py, a.line())),
                ("seq", obj(py, a.seq())),
                ("kind", obj(py, a.kind())),
                ("message_zh", obj(py, a.message(fupin::Lang::Zh))),
            ],
        ),
        fupin::Error::Project(_) => ("ProjectError", vec![]),
        _ => ("FupinError", vec![]),
    }
}

/// Map any core error to its exception class, with its fields: `path`, `value` and `code` of
/// its first problem, every problem for `.errors()`, and the class's own (`item`, `kind`, …).
pub fn to_py_err(e: impl Into<fupin::Error>) -> PyErr {
    let e = e.into();
    let message = e.to_string();
    Python::attach(|py| {
        let (class, mut fields) = class_of(py, &e);
        let first = e.field_errors().into_iter().next();
        if let Some(f) = first {
            let path = (!f.path.is_empty()).then_some(f.path);
            fields.push(("path", obj(py, path)));
            fields.push(("value", obj(py, f.value)));
            fields.push(("code", obj(py, f.code.as_str())));
        }
        fields.push((
            "problems",
            problems(py, &e).ok().map(|l| l.into_any().unbind()),
        ));
        raise(class, message, &fields)
    })
}
