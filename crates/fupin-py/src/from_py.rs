//! Python objects straight into the core's types: exact, bounded, or refused with the path.
//!
//! A serde `Deserializer` over Python objects (the shape of pythonize's `Depythonizer`), wrapped
//! in `serde_path_to_error` so every refusal names its field (`counties[2].this_year`). It is
//! stricter than pythonize, on purpose — a money library must not guess:
//!
//! - `decimal.Decimal` becomes its exact text (pythonize refuses it); a `float` is refused, with
//!   its path and value, since a binary float is not an exact amount;
//! - only `bool` reads as a bool (pythonize takes any object's truth: `"no"` would be `True`),
//!   and a `str` is never a sequence of characters;
//! - nesting is bounded at [`MAX_DEPTH`] and a container that contains itself is refused, so a
//!   self-referencing dict or a list nested 10,000 deep is an error, not a stack overflow;
//! - a dict where a list is expected, a list where a dict is expected, bytes, sets or other
//!   objects raise `TypeError`; everything else is a value error of the target's area.
//!
//! Dates become ISO text; integers of any size that fit 128 bits are read exactly (numpy
//! integers too, through `__index__`); dict keys must be strings.

use std::cell::RefCell;
use std::fmt;

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{
    PyBool, PyDate, PyDateTime, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple, PyType,
};
use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, Unexpected, Visitor};

/// How deep containers may nest (a score input nests 4 deep; a policy 6).
pub const MAX_DEPTH: usize = 128;

/// Why a value could not be read.
#[derive(Debug)]
pub enum DeError {
    /// A value the target refuses: serde's message, a float, too deep, a cycle. `value` is the
    /// offending Python value's `repr`, when there is one.
    Value {
        /// A short snake_case code (`float`, `unknown_field`, `too_deep`, …).
        code: &'static str,
        /// What is wrong.
        message: String,
        /// The value as given.
        value: Option<String>,
    },
    /// A Python object of the wrong kind for the place (a list where a dict is expected).
    Type(String),
    /// Python raised while the value was read.
    Py(PyErr),
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Value { message, .. } | Self::Type(message) => f.write_str(message),
            Self::Py(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for DeError {}

impl DeError {
    fn value(code: &'static str, message: impl fmt::Display) -> Self {
        Self::Value {
            code,
            message: message.to_string(),
            value: None,
        }
    }
}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        // The core's own refusals (a float in a decimal field, an amount that is not one) say
        // which they are in the message; serde's error type carries no code.
        let message = msg.to_string();
        let code = if message.contains("binary float") {
            "float"
        } else {
            "invalid"
        };
        Self::value(code, message)
    }

    /// A container where a scalar is expected, or a scalar where a container is: `TypeError`.
    fn invalid_type(unexp: Unexpected<'_>, exp: &dyn de::Expected) -> Self {
        let message = format!("invalid type: {unexp}, expected {exp}");
        match unexp {
            Unexpected::Seq | Unexpected::Map => Self::Type(message),
            _ => Self::value("invalid_type", message),
        }
    }

    fn invalid_value(unexp: Unexpected<'_>, exp: &dyn de::Expected) -> Self {
        Self::value(
            "invalid_value",
            format!("invalid value: {unexp}, expected {exp}"),
        )
    }

    fn invalid_length(len: usize, exp: &dyn de::Expected) -> Self {
        Self::value(
            "invalid_length",
            format!("invalid length {len}, expected {exp}"),
        )
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        Self::value(
            "unknown_variant",
            format!(
                "unknown variant `{variant}`, expected one of {}",
                quoted(expected)
            ),
        )
    }

    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        Self::value(
            "unknown_field",
            format!(
                "unknown field `{field}`, expected one of {}",
                quoted(expected)
            ),
        )
    }

    fn missing_field(field: &'static str) -> Self {
        Self::value("missing_field", format!("missing field `{field}`"))
    }

    fn duplicate_field(field: &'static str) -> Self {
        Self::value("duplicate_key", format!("duplicate field `{field}`"))
    }
}

fn quoted(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl From<PyErr> for DeError {
    fn from(e: PyErr) -> Self {
        Self::Py(e)
    }
}

/// A value that could not be read, with the path where it was.
#[derive(Debug)]
pub struct LoadError {
    /// Dotted path of the field (`counties[2].this_year`), `(top level)` for the whole value.
    pub path: String,
    /// What went wrong.
    pub error: DeError,
}

impl LoadError {
    /// The Python exception: a value problem as the area's exception (through
    /// `errors::to_py_err`, with `.path`, `.value`, `.code` and `.errors()`), a wrong kind of
    /// object as `TypeError` with `.path`.
    pub fn into_py(self, area: impl FnOnce(fupin::FieldErrors) -> fupin::Error) -> PyErr {
        match self.error {
            DeError::Value {
                code,
                message,
                value,
            } => {
                let problem = fupin::FieldError::coded(
                    fupin::ErrorCode::new(code),
                    self.path.clone(),
                    value,
                    message,
                );
                crate::errors::to_py_err(area(problem.into()))
            }
            DeError::Type(message) => {
                let err = PyTypeError::new_err(format!("field `{}`: {message}", self.path));
                crate::errors::set_path(&err, &self.path);
                err
            }
            DeError::Py(e) => e,
        }
    }
}

/// Read a core type from a Python object.
///
/// # Errors
/// [`LoadError`] with the path of the first value refused.
pub fn load<T: DeserializeOwned>(obj: &Bound<'_, PyAny>) -> Result<T, LoadError> {
    load_at(obj, "")
}

/// As [`load`], for a value found at `prefix` (an argument's name: `library`, `params`).
///
/// # Errors
/// [`LoadError`] with the path of the first value refused, under `prefix`.
pub fn load_at<T: DeserializeOwned>(obj: &Bound<'_, PyAny>, prefix: &str) -> Result<T, LoadError> {
    let walk = Walk::default();
    serde_path_to_error::deserialize(PyDe {
        obj: obj.clone(),
        walk: &walk,
    })
    .map_err(|e| {
        let inner = e.path().to_string();
        let path = match (prefix, inner.as_str()) {
            ("", ".") => "(top level)".to_owned(),
            ("", _) => inner,
            (_, ".") => prefix.to_owned(),
            (_, _) if inner.starts_with('[') => format!("{prefix}{inner}"),
            _ => format!("{prefix}.{inner}"),
        };
        LoadError {
            path,
            error: e.into_inner(),
        }
    })
}

/// The containers on the path being read (by address), for the depth bound and cycles.
#[derive(Default)]
struct Walk {
    open: RefCell<Vec<usize>>,
}

/// A container on the path; leaves it when dropped.
struct Open<'a>(&'a Walk);

impl Drop for Open<'_> {
    fn drop(&mut self) {
        self.0.open.borrow_mut().pop();
    }
}

impl Walk {
    fn enter(&self, obj: &Bound<'_, PyAny>) -> Result<Open<'_>, DeError> {
        let mut open = self.open.borrow_mut();
        let at = obj.as_ptr() as usize;
        if open.contains(&at) {
            return Err(DeError::value(
                "cycle",
                "this container contains itself (a reference cycle): pass plain nested data",
            ));
        }
        if open.len() >= MAX_DEPTH {
            return Err(DeError::value(
                "too_deep",
                format!("nested more than {MAX_DEPTH} levels deep"),
            ));
        }
        open.push(at);
        Ok(Open(self))
    }
}

static DECIMAL: PyOnceLock<Py<PyType>> = PyOnceLock::new();

fn is_decimal(obj: &Bound<'_, PyAny>) -> PyResult<bool> {
    let py = obj.py();
    let decimal = DECIMAL.import(py, "decimal", "Decimal")?;
    obj.is_instance(decimal)
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map_or_else(|_| "object".to_owned(), |n| n.to_string())
}

fn repr(obj: &Bound<'_, PyAny>) -> Option<String> {
    obj.repr().ok().map(|r| {
        let r = r.to_string();
        // A value is quoted in a message, not pasted: keep it to a line.
        if r.chars().count() > 80 {
            format!("{}…", r.chars().take(80).collect::<String>())
        } else {
            r
        }
    })
}

/// Attach the offending value to a value error raised at a leaf.
fn at_value<T>(obj: &Bound<'_, PyAny>, r: Result<T, DeError>) -> Result<T, DeError> {
    r.map_err(|e| match e {
        DeError::Value {
            code,
            message,
            value: None,
        } => DeError::Value {
            code,
            message,
            value: repr(obj),
        },
        other => other,
    })
}

fn wrong_kind(obj: &Bound<'_, PyAny>, expected: &str) -> DeError {
    DeError::Type(format!("expected {expected}, got {}", type_name(obj)))
}

/// One Python value to deserialize.
struct PyDe<'a, 'py> {
    obj: Bound<'py, PyAny>,
    walk: &'a Walk,
}

impl<'a, 'py> PyDe<'a, 'py> {
    fn child(&self, obj: Bound<'py, PyAny>) -> Self {
        Self {
            obj,
            walk: self.walk,
        }
    }

    /// An integer of any Python integer type, exactly.
    fn int<'de, V: Visitor<'de>>(
        &self,
        int: &Bound<'py, PyAny>,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        let r = if let Ok(v) = int.extract::<i64>() {
            visitor.visit_i64(v)
        } else if let Ok(v) = int.extract::<u64>() {
            visitor.visit_u64(v)
        } else if let Ok(v) = int.extract::<i128>() {
            visitor.visit_i128(v)
        } else {
            return Err(DeError::Value {
                code: "out_of_range",
                message: "the integer is too large for an exact decimal (at most 28 digits)"
                    .to_owned(),
                value: repr(int),
            });
        };
        at_value(&self.obj, r)
    }

    fn str<'de, V: Visitor<'de>>(
        &self,
        s: &Bound<'py, PyString>,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        at_value(&self.obj, visitor.visit_str(&s.to_cow()?))
    }

    /// A date as `YYYY-MM-DD`; a datetime as ISO 8601 (a naive midnight reads as its date, so a
    /// `datetime` serves where a date is expected).
    fn date<'de, V: Visitor<'de>>(&self, visitor: V) -> Result<V::Value, DeError> {
        let obj = &self.obj;
        let text: String = if obj.is_instance_of::<PyDateTime>() {
            let naive_midnight = obj.getattr("tzinfo")?.is_none()
                && obj
                    .call_method0("time")?
                    .call_method0("isoformat")?
                    .extract::<String>()?
                    == "00:00:00";
            if naive_midnight {
                obj.call_method0("date")?
                    .call_method0("isoformat")?
                    .extract()?
            } else {
                obj.call_method0("isoformat")?.extract()?
            }
        } else {
            obj.call_method0("isoformat")?.extract()?
        };
        at_value(obj, visitor.visit_str(&text))
    }

    fn map<'de, V: Visitor<'de>>(self, expected: &str, visitor: V) -> Result<V::Value, DeError> {
        let Ok(dict) = self.obj.cast::<PyDict>() else {
            return Err(wrong_kind(&self.obj, expected));
        };
        let _open = self.walk.enter(&self.obj)?;
        // A private copy: code run while reading (a numpy integer's `__index__`) cannot change
        // the dict under the iterator.
        let items = dict.copy()?;
        let len = items.len();
        let iter = items.iter();
        visitor.visit_map(MapAccess {
            iter,
            len,
            value: None,
            walk: self.walk,
        })
    }

    fn seq<'de, V: Visitor<'de>>(
        self,
        expected_len: Option<usize>,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        let obj = &self.obj;
        let items: Vec<Bound<'py, PyAny>> = if let Ok(list) = obj.cast::<PyList>() {
            list.iter().collect()
        } else if let Ok(tuple) = obj.cast::<PyTuple>() {
            tuple.iter().collect()
        } else {
            return Err(wrong_kind(obj, "a list"));
        };
        if let Some(n) = expected_len.filter(|&n| n != items.len()) {
            return Err(de::Error::invalid_length(
                items.len(),
                &n.to_string().as_str(),
            ));
        }
        let _open = self.walk.enter(obj)?;
        visitor.visit_seq(SeqAccess {
            items: items.into_iter(),
            walk: self.walk,
        })
    }
}

impl<'de> de::Deserializer<'de> for PyDe<'_, '_> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let obj = &self.obj;
        if obj.is_none() {
            visitor.visit_unit()
        } else if let Ok(b) = obj.cast::<PyBool>() {
            at_value(obj, visitor.visit_bool(b.is_true()))
        } else if obj.is_instance_of::<PyInt>() {
            self.int(obj, visitor)
        } else if let Ok(s) = obj.cast::<PyString>() {
            self.str(s, visitor)
        } else if obj.is_instance_of::<PyFloat>() {
            Err(DeError::Value {
                code: "float",
                message: format!(
                    "the float {} is not exact: pass a decimal.Decimal or a string such as \"{}\"",
                    obj.repr()?,
                    obj.str()?
                ),
                value: repr(obj),
            })
        } else if obj.is_instance_of::<PyDict>() {
            self.map("a dict", visitor)
        } else if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
            self.seq(None, visitor)
        } else if is_decimal(obj)? {
            at_value(obj, visitor.visit_str(&obj.str()?.to_cow()?))
        } else if obj.is_instance_of::<PyDate>() {
            self.date(visitor)
        } else if obj.hasattr("__index__")? {
            // numpy and other exact integer types.
            let int = obj.call_method0("__index__")?;
            self.int(&int, visitor)
        } else {
            Err(DeError::Type(format!(
                "cannot use a value of type {}: pass a dict, list, str, int, bool, None, decimal.Decimal or date",
                type_name(obj)
            )))
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.obj.cast::<PyBool>() {
            Ok(b) => visitor.visit_bool(b.is_true()),
            Err(_) => self.deserialize_any(visitor),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.obj.cast::<PyString>() {
            Ok(s) => self.str(s, visitor),
            Err(_) => self.deserialize_any(visitor),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if self.obj.is_none() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.seq(None, visitor)
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.seq(Some(len), visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.seq(Some(len), visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.map("a dict", visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.map("a dict", visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        let obj = &self.obj;
        if let Ok(s) = obj.cast::<PyString>() {
            let variant = s.to_cow()?;
            return at_value(
                obj,
                visitor.visit_enum(IntoDeserializer::<DeError>::into_deserializer(&*variant)),
            );
        }
        let Ok(dict) = obj.cast::<PyDict>() else {
            return Err(wrong_kind(obj, "a str or a dict with one key"));
        };
        let mut items = dict.iter();
        let (Some((key, value)), None) = (items.next(), items.next()) else {
            return Err(de::Error::invalid_length(
                dict.len(),
                &"a dict with exactly one key",
            ));
        };
        let _open = self.walk.enter(obj)?;
        let key = key
            .cast_into::<PyString>()
            .map_err(|e| wrong_kind(&e.into_inner(), "a str key"))?;
        visitor.visit_enum(EnumAccess {
            key,
            value: self.child(value),
        })
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.obj.cast::<PyString>() {
            Ok(s) => self.str(s, visitor),
            Err(_) => Err(wrong_kind(&self.obj, "a str key")),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char bytes byte_buf unit unit_struct
    }
}

struct MapAccess<'a, 'py> {
    iter: pyo3::types::iter::BoundDictIterator<'py>,
    len: usize,
    value: Option<Bound<'py, PyAny>>,
    walk: &'a Walk,
}

impl<'de> de::MapAccess<'de> for MapAccess<'_, '_> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        let Some((key, value)) = self.iter.next() else {
            return Ok(None);
        };
        self.value = Some(value);
        let Ok(key) = key.cast::<PyString>() else {
            return Err(DeError::Type(format!(
                "dict keys must be strings, got {} {}",
                type_name(&key),
                repr(&key).unwrap_or_default()
            )));
        };
        seed.deserialize(IntoDeserializer::<DeError>::into_deserializer(
            &*key.to_cow()?,
        ))
        .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        let value = self
            .value
            .take()
            .ok_or_else(|| DeError::value("invalid", "a value without a key"))?;
        seed.deserialize(PyDe {
            obj: value,
            walk: self.walk,
        })
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.len)
    }
}

struct SeqAccess<'a, 'py> {
    items: std::vec::IntoIter<Bound<'py, PyAny>>,
    walk: &'a Walk,
}

impl<'de> de::SeqAccess<'de> for SeqAccess<'_, '_> {
    type Error = DeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DeError> {
        self.items
            .next()
            .map(|obj| {
                seed.deserialize(PyDe {
                    obj,
                    walk: self.walk,
                })
            })
            .transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct EnumAccess<'a, 'py> {
    key: Bound<'py, PyString>,
    value: PyDe<'a, 'py>,
}

impl<'a, 'py, 'de> de::EnumAccess<'de> for EnumAccess<'a, 'py> {
    type Error = DeError;
    type Variant = PyDe<'a, 'py>;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Self::Variant), DeError> {
        let variant = seed.deserialize(IntoDeserializer::<DeError>::into_deserializer(
            &*self.key.to_cow()?,
        ))?;
        Ok((variant, self.value))
    }
}

impl<'de> de::VariantAccess<'de> for PyDe<'_, '_> {
    type Error = DeError;

    fn unit_variant(self) -> Result<(), DeError> {
        de::Deserialize::deserialize(self)
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, DeError> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, DeError> {
        self.seq(Some(len), visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.map("a dict", visitor)
    }
}
