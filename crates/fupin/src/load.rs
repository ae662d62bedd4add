//! Reading TOML and JSON with errors that name the field path.
//!
//! Shared by [`crate::policy`] and [`crate::data`]: a parse or type error becomes a
//! [`FieldError`] carrying the dotted path of the offending field (`funds.quota.county`), so a
//! finance officer editing a file knows exactly which line to fix.

use serde::de::DeserializeOwned;

/// A problem with one field of an input file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("field `{path}`: {message}")]
pub struct FieldError {
    /// Dotted path of the field, e.g. `counties[2].last_year`; `(top level)` for the whole file.
    pub path: String,
    /// What is wrong, including the value where there is one.
    pub message: String,
}

impl FieldError {
    /// An error about the field at `path`.
    #[must_use]
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            message: message.into(),
        }
    }
}

fn path_of<E>(e: &serde_path_to_error::Error<E>) -> String {
    let p = e.path().to_string();
    if p == "." || p.is_empty() {
        "(top level)".to_owned()
    } else {
        p
    }
}

/// Deserialise `T` from TOML text.
pub(crate) fn from_toml<T: DeserializeOwned>(text: &str) -> Result<T, FieldError> {
    let de = toml::Deserializer::parse(text)
        .map_err(|e| FieldError::new("(syntax)", one_line(&e.to_string())))?;
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = path_of(&e);
        FieldError::new(path, one_line(&e.into_inner().to_string()))
    })
}

/// Deserialise `T` from JSON text.
pub(crate) fn from_json<T: DeserializeOwned>(text: &str) -> Result<T, FieldError> {
    let de = &mut serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = path_of(&e);
        FieldError::new(path, one_line(&e.into_inner().to_string()))
    })
}

/// Collapse a multi-line parser message (toml quotes the source) into one line.
fn one_line(s: &str) -> String {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('|'))
        .collect::<Vec<_>>()
        .join("; ")
}
