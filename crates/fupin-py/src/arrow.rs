//! Arrow tables across the Python boundary (the PyCapsule interface: pyarrow, polars, pandas ≥
//! 2.2). The columns themselves are read and written by `fupin-arrow`; this module only moves
//! record batches in and out and maps its errors.

use arrow_array::RecordBatch;
use pyo3::prelude::*;
use pyo3_arrow::PyTable;

use crate::errors::{DataError, FupinError};

const TABLE_HINT: &str = "expected a table: a pyarrow.Table, a polars.DataFrame or a pandas.DataFrame \
     (any object with __arrow_c_stream__)";

/// Read any object that speaks the Arrow C stream interface.
pub fn columns(obj: &Bound<'_, PyAny>) -> PyResult<fupin_arrow::Columns> {
    if !obj.hasattr("__arrow_c_stream__")? {
        let ty = obj.get_type().name()?.to_string();
        return Err(DataError::new_err(format!("got a {ty}: {TABLE_HINT}")));
    }
    let (batches, schema) = obj.extract::<PyTable>()?.into_inner();
    Ok(fupin_arrow::Columns::new(schema, batches))
}

/// A `fupin_arrow` error as the exception of its kind: a cell or column → `DataError` with
/// `.path` (`[row].column`) and `.row`; a row the rules refuse → the core's exception, its
/// message prefixed with the row (and unit).
pub fn to_py_err(e: fupin_arrow::Error) -> PyErr {
    let message = e.to_string();
    let row = e.row();
    let path = match (row, e.column()) {
        (Some(r), Some(c)) => Some(format!("[{r}].{c}")),
        (None, Some(c)) => Some(c.to_owned()),
        _ => None,
    };
    let err = match e {
        fupin_arrow::Error::Row { source, .. } => {
            let err = crate::errors::to_py_err(*source);
            Python::attach(|py| {
                // Setting attributes on a fresh exception cannot fail in practice; if it did,
                // the exception is still raised, with the core's message.
                let _ = err.value(py).setattr("args", (message,));
            });
            err
        }
        fupin_arrow::Error::Core(source) => crate::errors::to_py_err(*source),
        fupin_arrow::Error::Build(_) => FupinError::new_err(message),
        _ => DataError::new_err(message),
    };
    Python::attach(|py| {
        // As above: the exception is raised even if an attribute is not set.
        if let Some(row) = row {
            let _ = err.value(py).setattr("row", row);
        }
        if let Some(path) = path {
            let _ = err.value(py).setattr("path", path);
        }
    });
    err
}

/// A result batch as a `pyarrow.Table` (requires pyarrow ≥ 14).
pub fn to_pyarrow(py: Python<'_>, batch: RecordBatch) -> PyResult<Bound<'_, PyAny>> {
    let schema = batch.schema();
    PyTable::try_new(vec![batch], schema)?.into_pyarrow(py)
}

/// Convert a `pyarrow.Table` to a pandas or polars DataFrame (whichever is asked for).
pub fn to_frame<'py>(table: Bound<'py, PyAny>, library: &str) -> PyResult<Bound<'py, PyAny>> {
    let py = table.py();
    match library {
        "pandas" => table.call_method0("to_pandas"),
        "polars" => py.import("polars")?.call_method1("from_arrow", (table,)),
        "pyarrow" => Ok(table),
        other => Err(FupinError::new_err(format!(
            "library must be \"pandas\", \"polars\" or \"pyarrow\", not {other:?}"
        ))),
    }
}

/// A report's checks as a `pyarrow.Table` (see `fupin_arrow::checks_schema`).
pub fn checks<'py>(py: Python<'py>, checks: &[fupin::Check]) -> PyResult<Bound<'py, PyAny>> {
    to_pyarrow(py, fupin_arrow::checks(checks).map_err(to_py_err)?)
}
