//! What every result class shares, written once: `to_dict`, `to_json`, `to_text`,
//! `to_markdown`, `to_html` and `_repr_html_` ([`rendered!`]), and pickling ([`pickled!`]).
//!
//! A class pickles as its core value's JSON (exact decimal strings) and is rebuilt by its
//! `_from_state` static method through `fupin._pickle.restore`, so results travel to process
//! pools and Dask workers unchanged.

use fupin::Lang;
use pyo3::prelude::*;
use serde::Serialize;

use crate::errors::FupinError;

/// `"zh"` or `"en"`.
pub fn lang(lang: &str) -> PyResult<Lang> {
    match lang {
        "zh" => Ok(Lang::Zh),
        "en" => Ok(Lang::En),
        other => Err(FupinError::new_err(format!(
            "lang must be \"zh\" or \"en\", not {other:?}"
        ))),
    }
}

/// A core result that renders as text, Markdown and HTML in Chinese or English.
pub trait Rendered: Serialize {
    /// Plain text.
    fn text(&self, lang: Lang) -> String;
    /// Markdown.
    fn markdown(&self, lang: Lang) -> String;
    /// HTML.
    fn html(&self, lang: Lang) -> String;
}

macro_rules! impl_rendered {
    ($($t:ty),* $(,)?) => {$(
        impl Rendered for $t {
            fn text(&self, lang: Lang) -> String {
                self.to_text(lang)
            }
            fn markdown(&self, lang: Lang) -> String {
                self.to_markdown(lang)
            }
            fn html(&self, lang: Lang) -> String {
                self.to_html(lang)
            }
        }
    )*};
}
impl_rendered!(
    fupin::report::Report,
    fupin::assessment::ScoreReport,
    fupin::tasks::TasksReport,
    fupin::spending::Bulletin,
);

/// `to_dict`, `to_json`, `to_text`, `to_markdown`, `to_html` and `_repr_html_` (Chinese) for a
/// class whose `$get(&self) -> PyResult<&T>` gives its [`Rendered`] core value.
macro_rules! rendered {
    ($class:ty, $get:ident) => {
        #[pyo3::pymethods]
        impl $class {
            /// As a dict, decimals as `decimal.Decimal`.
            fn to_dict<'py>(
                &self,
                py: pyo3::Python<'py>,
            ) -> pyo3::PyResult<pyo3::Bound<'py, pyo3::PyAny>> {
                crate::to_py::to_py(py, self.$get()?)
            }
            /// As JSON text (decimals as strings).
            fn to_json(&self) -> pyo3::PyResult<String> {
                crate::to_py::to_json_string(self.$get()?)
            }
            /// As plain text, in `"zh"` or `"en"`.
            #[pyo3(signature = (lang = "zh"))]
            fn to_text(&self, lang: &str) -> pyo3::PyResult<String> {
                Ok(crate::render::Rendered::text(
                    self.$get()?,
                    crate::render::lang(lang)?,
                ))
            }
            /// As Markdown, in `"zh"` or `"en"`.
            #[pyo3(signature = (lang = "zh"))]
            fn to_markdown(&self, lang: &str) -> pyo3::PyResult<String> {
                Ok(crate::render::Rendered::markdown(
                    self.$get()?,
                    crate::render::lang(lang)?,
                ))
            }
            /// As HTML (headings and tables), in `"zh"` or `"en"`.
            #[pyo3(signature = (lang = "zh"))]
            fn to_html(&self, lang: &str) -> pyo3::PyResult<String> {
                Ok(crate::render::Rendered::html(
                    self.$get()?,
                    crate::render::lang(lang)?,
                ))
            }
            fn _repr_html_(&self) -> pyo3::PyResult<String> {
                Ok(crate::render::Rendered::html(self.$get()?, fupin::Lang::Zh))
            }
        }
    };
}
pub(crate) use rendered;

/// Pickling for a class: `$state(&self)` gives a serialisable state, `$restore(state) ->
/// PyResult<Self>` rebuilds the class from it (`$state_ty` is what the JSON reads back as).
macro_rules! pickled {
    ($class:ty, $state_ty:ty, |$s:ident| $state:expr, |$v:ident| $restore:expr) => {
        #[pyo3::pymethods]
        impl $class {
            fn __reduce__<'py>(
                slf: &pyo3::Bound<'py, Self>,
            ) -> pyo3::PyResult<(
                pyo3::Bound<'py, pyo3::PyAny>,
                (pyo3::Bound<'py, pyo3::types::PyType>, String),
            )> {
                let py = slf.py();
                let $s = &*slf.borrow();
                let state = serde_json::to_string(&$state)
                    .map_err(|e| crate::errors::FupinError::new_err(e.to_string()))?;
                let restore = crate::render::restore_fn(py)?;
                Ok((restore, (slf.get_type(), state)))
            }

            /// Rebuild from the state `__reduce__` gave (used by pickle).
            #[staticmethod]
            fn _from_state(state: &str) -> pyo3::PyResult<Self> {
                let $v: $state_ty = serde_json::from_str(state)
                    .map_err(|e| crate::errors::FupinError::new_err(e.to_string()))?;
                $restore
            }
        }
    };
    ($class:ty, $core:ty) => {
        crate::render::pickled!($class, $core, |s| s.0, |v| Ok(Self(v.into())));
    };
}
pub(crate) use pickled;

static RESTORE: pyo3::sync::PyOnceLock<pyo3::Py<pyo3::PyAny>> = pyo3::sync::PyOnceLock::new();

/// `fupin._pickle.restore`, looked up once per process.
pub fn restore_fn(py: pyo3::Python<'_>) -> pyo3::PyResult<pyo3::Bound<'_, pyo3::PyAny>> {
    use pyo3::prelude::*;
    RESTORE
        .get_or_try_init(py, || {
            py.import("fupin._pickle")?
                .getattr("restore")
                .map(Bound::unbind)
        })
        .map(|f| f.bind(py).clone())
}
