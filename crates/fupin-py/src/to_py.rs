//! The core's types straight into Python objects, with exact decimals.
//!
//! A serde `Serializer` producing Python objects, as pythonize's `Pythonizer` does — structs and
//! maps → `dict`, sequences → `list`, unit variants → their snake_case name — plus the one hook
//! pythonize has no place for: amounts, ratios and points serialise as a newtype named
//! [`fupin::money::DECIMAL_MARKER`] around their decimal text, and become `decimal.Decimal`
//! here, never floats. Nothing goes through JSON text on the way.

use std::fmt;

use pyo3::BoundObject;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};
use serde::ser::{self, Serialize};

/// Convert any serialisable value into Python objects.
pub fn to_py<'py, T: Serialize + ?Sized>(
    py: Python<'py>,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    value.serialize(PySer { py }).map_err(|e| e.0)
}

/// Any serialisable value as pretty JSON text (decimals as strings), for `to_json()` methods.
pub fn to_json_string<T: Serialize + ?Sized>(value: &T) -> PyResult<String> {
    serde_json::to_string_pretty(value)
        .map_err(|e| crate::errors::FupinError::new_err(e.to_string()))
}

/// A conversion failure carrying the Python exception.
#[derive(Debug)]
pub struct Error(PyErr);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Self(crate::errors::FupinError::new_err(msg.to_string()))
    }
}

impl From<PyErr> for Error {
    fn from(e: PyErr) -> Self {
        Self(e)
    }
}

type R<'py> = Result<Bound<'py, PyAny>, Error>;

static DECIMAL: PyOnceLock<Py<pyo3::types::PyType>> = PyOnceLock::new();

#[derive(Clone, Copy)]
struct PySer<'py> {
    py: Python<'py>,
}

impl<'py> PySer<'py> {
    fn obj<T>(self, v: T) -> R<'py>
    where
        T: IntoPyObject<'py>,
        PyErr: From<T::Error>,
    {
        Ok(v.into_pyobject(self.py)
            .map_err(PyErr::from)?
            .into_any()
            .into_bound())
    }

    fn dict(self, variant: Option<&'static str>) -> Map<'py> {
        Map {
            ser: self,
            dict: PyDict::new(self.py),
            key: None,
            variant,
        }
    }

    fn seq(self, len: usize, tuple: bool) -> Seq<'py> {
        Seq {
            ser: self,
            items: Vec::with_capacity(len),
            tuple,
        }
    }
}

/// The scalar methods that are one conversion each.
macro_rules! scalars {
    ($($method:ident($t:ty)),* $(,)?) => {
        $(fn $method(self, v: $t) -> R<'py> {
            self.obj(v)
        })*
    };
}

impl<'py> ser::Serializer for PySer<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    type SerializeSeq = Seq<'py>;
    type SerializeTuple = Seq<'py>;
    type SerializeTupleStruct = Seq<'py>;
    type SerializeTupleVariant = Seq<'py>;
    type SerializeMap = Map<'py>;
    type SerializeStruct = Map<'py>;
    type SerializeStructVariant = Map<'py>;

    scalars!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_i128(i128),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_u128(u128),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_bytes(&[u8]),
    );

    fn serialize_char(self, v: char) -> R<'py> {
        self.obj(v.to_string())
    }
    fn serialize_str(self, v: &str) -> R<'py> {
        Ok(PyString::new(self.py, v).into_any())
    }
    fn serialize_none(self) -> R<'py> {
        Ok(self.py.None().into_bound(self.py))
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> R<'py> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> R<'py> {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _name: &'static str) -> R<'py> {
        self.serialize_none()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> R<'py> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> R<'py> {
        let inner = value.serialize(self)?;
        if name != fupin::money::DECIMAL_MARKER {
            return Ok(inner);
        }
        // The marker wraps the exact decimal text: `Decimal(text)`, the constructor looked up
        // once per process.
        Ok(DECIMAL
            .import(self.py, "decimal", "Decimal")?
            .call1((inner,))?)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> R<'py> {
        let dict = PyDict::new(self.py);
        dict.set_item(variant, value.serialize(self)?)?;
        Ok(dict.into_any())
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Seq<'py>, Error> {
        Ok(self.seq(len.unwrap_or(0), false))
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq<'py>, Error> {
        Ok(self.seq(len, true))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Seq<'py>, Error> {
        Ok(self.seq(len, true))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        len: usize,
    ) -> Result<Seq<'py>, Error> {
        Ok(self.seq(len, true))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Map<'py>, Error> {
        Ok(self.dict(None))
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Map<'py>, Error> {
        Ok(self.dict(None))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Map<'py>, Error> {
        Ok(self.dict(Some(variant)))
    }
}

/// Collects a sequence (a list, or a tuple for Rust tuples).
struct Seq<'py> {
    ser: PySer<'py>,
    items: Vec<Bound<'py, PyAny>>,
    tuple: bool,
}

macro_rules! seq_impl {
    ($($trait:ident::$method:ident),*) => {$(
        impl<'py> ser::$trait for Seq<'py> {
            type Ok = Bound<'py, PyAny>;
            type Error = Error;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
                self.items.push(value.serialize(self.ser)?);
                Ok(())
            }
            fn end(self) -> R<'py> {
                if self.tuple {
                    Ok(PyTuple::new(self.ser.py, self.items)?.into_any())
                } else {
                    Ok(PyList::new(self.ser.py, self.items)?.into_any())
                }
            }
        }
    )*};
}
seq_impl!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

/// Collects a map or struct into a dict; a struct variant is wrapped as `{variant: {...}}`.
struct Map<'py> {
    ser: PySer<'py>,
    dict: Bound<'py, PyDict>,
    key: Option<Bound<'py, PyAny>>,
    variant: Option<&'static str>,
}

impl<'py> Map<'py> {
    fn field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Error> {
        self.dict.set_item(key, value.serialize(self.ser)?)?;
        Ok(())
    }

    fn finish(self) -> R<'py> {
        let Some(variant) = self.variant else {
            return Ok(self.dict.into_any());
        };
        let outer = PyDict::new(self.ser.py);
        outer.set_item(variant, self.dict)?;
        Ok(outer.into_any())
    }
}

impl<'py> ser::SerializeMap for Map<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.key = Some(key.serialize(self.ser)?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let key = self
            .key
            .take()
            .ok_or_else(|| <Error as ser::Error>::custom("a map value without a key"))?;
        self.dict.set_item(key, value.serialize(self.ser)?)?;
        Ok(())
    }
    fn end(self) -> R<'py> {
        self.finish()
    }
}

macro_rules! struct_impl {
    ($($trait:ident),*) => {$(
        impl<'py> ser::$trait for Map<'py> {
            type Ok = Bound<'py, PyAny>;
            type Error = Error;
            fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Error> {
                self.field(key, value)
            }
            fn end(self) -> R<'py> {
                self.finish()
            }
        }
    )*};
}
struct_impl!(SerializeStruct, SerializeStructVariant);
