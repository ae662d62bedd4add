//! Arrow tables across the Python boundary (the PyCapsule interface: pyarrow, polars, pandas ≥
//! 2.2). The columns themselves are read and written by `fupin-arrow`; this module only moves
//! record batches in and out and maps its errors.

use std::sync::Arc;

use arrow_array::{ArrayRef, RecordBatch, StructArray};
use arrow_schema::Field;
use pyo3::exceptions::PyModuleNotFoundError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3_arrow::PyTable;
use pyo3_arrow::ffi::{ArrayIterator, to_stream_pycapsule};

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

static PYARROW: PyOnceLock<bool> = PyOnceLock::new();

/// Whether pyarrow can be imported (looked up once per process).
fn has_pyarrow(py: Python<'_>) -> bool {
    *PYARROW.get_or_init(py, || py.import("pyarrow").is_ok())
}

/// The hint when pyarrow is needed and missing.
pub fn pyarrow_missing(what: &str) -> PyErr {
    let err = PyModuleNotFoundError::new_err(format!(
        "{what} needs pyarrow: pip install 'fupin[arrow]' (polars users: pl.DataFrame(result) \
         reads fupin's tables without it)"
    ));
    crate::errors::set(&err, "name", "pyarrow");
    err
}

/// A result batch as a `pyarrow.Table` when pyarrow is installed, else as an [`ArrowTable`]
/// (any Arrow library reads either through `__arrow_c_stream__`).
pub fn to_pyarrow(py: Python<'_>, batch: RecordBatch) -> PyResult<Bound<'_, PyAny>> {
    if has_pyarrow(py) {
        let schema = batch.schema();
        return PyTable::try_new(vec![batch], schema)?.into_pyarrow(py);
    }
    Ok(Bound::new(py, ArrowTable(batch))?.into_any())
}

/// A table of results, for environments without pyarrow: polars (`pl.DataFrame(table)`),
/// DuckDB, pandas ≥ 2.2 or nanoarrow read it through the Arrow PyCapsule interface
/// (`__arrow_c_stream__`), without a copy. With pyarrow installed, fupin returns
/// `pyarrow.Table` instead.
#[pyclass(module = "fupin", frozen)]
pub struct ArrowTable(RecordBatch);

#[pymethods]
impl ArrowTable {
    /// The Arrow C stream of the table (the PyCapsule interface).
    #[pyo3(signature = (requested_schema = None))]
    fn __arrow_c_stream__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, pyo3::types::PyCapsule>>,
    ) -> PyResult<Bound<'py, pyo3::types::PyCapsule>> {
        let schema = self.0.schema();
        let array: ArrayRef = Arc::new(StructArray::from(self.0.clone()));
        let field = Arc::new(Field::new_struct("", schema.fields().clone(), false));
        let reader = Box::new(ArrayIterator::new(std::iter::once(Ok(array)), field));
        Ok(to_stream_pycapsule(py, reader, requested_schema)?)
    }

    /// Number of rows.
    #[getter]
    fn num_rows(&self) -> usize {
        self.0.num_rows()
    }

    /// The columns' names, in order.
    #[getter]
    fn column_names(&self) -> Vec<String> {
        self.0
            .schema()
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect()
    }

    fn __len__(&self) -> usize {
        self.0.num_rows()
    }

    /// As a `pyarrow.Table` (needs pyarrow: `pip install 'fupin[arrow]'`).
    fn to_pyarrow<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        if !has_pyarrow(py) {
            return Err(pyarrow_missing("ArrowTable.to_pyarrow()"));
        }
        let schema = self.0.schema();
        PyTable::try_new(vec![self.0.clone()], schema)?.into_pyarrow(py)
    }

    /// As a `polars.DataFrame` (no pyarrow needed).
    fn to_polars<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        slf.py().import("polars")?.call_method1("DataFrame", (slf,))
    }

    fn __reduce__(&self) -> PyResult<()> {
        Err(pyo3::exceptions::PyTypeError::new_err(
            "an ArrowTable does not pickle: convert it first (table.to_polars(), or install pyarrow, \
             with which fupin returns picklable pyarrow Tables)",
        ))
    }

    fn __repr__(&self) -> String {
        format!(
            "ArrowTable({} rows: {})",
            self.0.num_rows(),
            self.column_names().join(", ")
        )
    }
}

/// A result table as a pandas or polars DataFrame or a pyarrow Table (whichever is asked for);
/// polars reads it through the PyCapsule interface, without pyarrow.
pub fn to_frame<'py>(table: Bound<'py, PyAny>, library: &str) -> PyResult<Bound<'py, PyAny>> {
    let py = table.py();
    match library {
        "pandas" if has_pyarrow(py) => table.call_method0("to_pandas"),
        "pyarrow" if has_pyarrow(py) => Ok(table),
        "pandas" | "pyarrow" => Err(pyarrow_missing(&format!("to_frame({library:?})"))),
        "polars" => py.import("polars")?.call_method1("DataFrame", (table,)),
        other => Err(FupinError::new_err(format!(
            "library must be \"pandas\", \"polars\" or \"pyarrow\", not {other:?}"
        ))),
    }
}

/// A report's checks as a `pyarrow.Table` (see `fupin_arrow::checks_schema`).
pub fn checks<'py>(py: Python<'py>, checks: &[fupin::Check]) -> PyResult<Bound<'py, PyAny>> {
    to_pyarrow(py, fupin_arrow::checks(checks).map_err(to_py_err)?)
}
