//! Python objects → the JSON the core reads: exact, or refused.
//!
//! `dict`/`list`/`tuple`/`str`/`int`/`bool`/`None` map to JSON as they are; `decimal.Decimal`
//! becomes its exact decimal string; `date`/`datetime` their ISO text. A `float` is refused
//! with a message naming where it was, since a binary float is not an exact amount.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDate, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde_json::Value;

use crate::errors::DataError;

/// Convert a Python value to JSON; `path` names it in errors (`counties[2].this_year`).
pub fn to_json(obj: &Bound<'_, PyAny>, path: &str) -> PyResult<Value> {
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if obj.is_instance_of::<PyInt>() {
        if let Ok(i) = obj.extract::<i64>() {
            return Ok(Value::from(i));
        }
        return Ok(Value::String(obj.str()?.to_string()));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Value::String(s.to_string()));
    }
    if obj.is_instance_of::<PyFloat>() {
        let at = if path.is_empty() { "(top level)" } else { path };
        return Err(DataError::new_err(format!(
            "field `{at}`: the float {} is not exact: pass a decimal.Decimal or a string such as \"{}\"",
            obj.repr()?,
            obj.str()?
        )));
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        let mut map = serde_json::Map::with_capacity(d.len());
        for (k, v) in d.iter() {
            let key = k.str()?.to_string();
            let sub = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            map.insert(key, to_json(&v, &sub)?);
        }
        return Ok(Value::Object(map));
    }
    if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        let mut items = Vec::new();
        for (i, v) in obj.try_iter()?.enumerate() {
            items.push(to_json(&v?, &format!("{path}[{i}]"))?);
        }
        return Ok(Value::Array(items));
    }
    if obj.is_instance_of::<PyDate>() {
        return Ok(Value::String(obj.call_method0("isoformat")?.extract()?));
    }
    let type_name = obj.get_type().name()?.to_string();
    if type_name == "Decimal" {
        return Ok(Value::String(obj.str()?.to_string()));
    }
    Err(PyTypeError::new_err(format!(
        "field `{path}`: cannot use a value of type {type_name}"
    )))
}

/// Convert a Python value to JSON text.
pub fn to_json_text(obj: &Bound<'_, PyAny>) -> PyResult<String> {
    Ok(to_json(obj, "")?.to_string())
}
