//! # fupin-ops — every operation of fupin, once
//!
//! What other systems read and write: the documents the `fupin` command prints with
//! `--format json` and the service (`fupin serve`) answers with, the requests the service takes,
//! and errors as data ([`Problem`], RFC 9457 problem details). The command and the service build
//! their JSON here and nowhere else, so the same input gives the same bytes from both.
//!
//! Every document carries `"format": "fupin/1"` ([`FORMAT`]) as its first key. Within `fupin/1`
//! fields are only ever *added*: a field is never renamed, removed or given another type, an
//! enum value is never removed, and decimals stay strings (`"247.77"`, never a float). A change
//! that would break a reader bumps the version to `fupin/2`. Readers should ignore fields they
//! do not know. (CHANGELOG.md repeats this promise.)
//!
//! This crate is pure: no I/O, clock or global state. It parses request and input text, calls
//! the rules of [`fupin`] and serialises the results.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod output;
pub mod problem;
pub mod request;
pub mod schema;

use serde::Serialize;

pub use output::{
    CalendarDue, CalendarStatus, PolicyComparison, PolicyValidation, ReplayError, ReplayOutput,
    ScoreOutput, UnitError, VerifyOutput,
};
pub use problem::{Problem, ProblemField, ProblemKind};

/// The version of the JSON contract that this build writes: the value of every document's
/// `format` key.
pub const FORMAT: &str = "fupin/1";

/// A document with its format version: `{"format": "fupin/1", …the fields of the body…}`.
#[derive(Debug, Serialize)]
pub struct Versioned<'a, T: ?Sized> {
    /// Always [`FORMAT`].
    pub format: &'static str,
    /// The document.
    #[serde(flatten)]
    pub body: &'a T,
}

impl<'a, T: ?Sized> Versioned<'a, T> {
    /// Version a document.
    pub const fn new(body: &'a T) -> Self {
        Self {
            format: FORMAT,
            body,
        }
    }
}

/// The versioned document as the command and the service write it: pretty JSON (two-space
/// indent) and a final newline.
///
/// `body` must serialise as a JSON object (a struct or a map): every document of the contract
/// does.
#[must_use]
pub fn to_json<T: Serialize + ?Sized>(body: &T) -> String {
    let mut text = match serde_json::to_string_pretty(&Versioned::new(body)) {
        Ok(text) => text,
        // The contract's documents are plain data with string keys; a failure here is a bug,
        // reported as a problem document rather than a panic.
        Err(e) => serde_json::to_string_pretty(&Versioned::new(&Problem::internal(&format!(
            "cannot write JSON: {e}"
        ))))
        .unwrap_or_default(),
    };
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Doc {
        answer: &'static str,
    }

    #[test]
    fn format_comes_first_and_the_text_ends_with_a_newline() {
        let text = to_json(&Doc { answer: "42.00" });
        assert_eq!(
            text,
            "{\n  \"format\": \"fupin/1\",\n  \"answer\": \"42.00\"\n}\n"
        );
    }
}
