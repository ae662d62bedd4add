//! The versioned JSON contract `fupin/1`: every document an operation answers with, written
//! the same way by every face.
//!
//! Every document carries `"format": "fupin/1"` ([`FORMAT`]) as its first key. Within `fupin/1`
//! fields are only ever *added*: a field is never renamed, removed or given another type, an
//! enum value is never removed, and decimals stay strings (`"247.77"`, never a float). A change
//! that would break a reader bumps the version to `fupin/2`. Readers should ignore fields they
//! do not know. (CHANGELOG.md repeats this promise.)
//!
//! [`to_json`] gives the text, [`write_json`] writes the same bytes as they are produced (a
//! batch of many scores is never held whole). Characters a terminal would act on (escape,
//! delete, C1 controls, bidi overrides; see [`fupin::render::is_unsafe_char`]) are written as
//! JSON escapes (`\u001b`, `\u202e`), so the text is the same JSON value and safe to print.

use std::io::Write;

use serde::Serialize;

use crate::problem::Problem;

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

/// The versioned document as every face writes it: pretty JSON (two-space indent) and a final
/// newline.
///
/// `body` must serialise as a JSON object (a struct or a map): every document of the contract
/// does.
#[must_use]
pub fn to_json<T: Serialize + ?Sized>(body: &T) -> String {
    let mut out = Vec::new();
    match write_json(&mut out, body) {
        Ok(()) => String::from_utf8(out).unwrap_or_default(),
        // The contract's documents are plain data with string keys; a failure here is a bug,
        // reported as a problem document rather than a panic.
        Err(e) => {
            let mut out = Vec::new();
            let problem = Problem::internal(&format!("cannot write JSON: {e}"));
            let _ = write_json(&mut out, &problem);
            String::from_utf8(out).unwrap_or_default()
        }
    }
}

/// Write [`to_json`]'s bytes to `out` as they are produced, then flush.
///
/// # Errors
/// What `out` returns (a closed pipe, a full disk), or a value that cannot be JSON.
pub fn write_json<W: Write, T: Serialize + ?Sized>(mut out: W, body: &T) -> std::io::Result<()> {
    write_plain(&mut out, &Versioned::new(body))?;
    out.flush()
}

/// A document written as it is, without the `format` key (a policy or plan data, which must
/// read back as input): pretty JSON and a final newline, escaped as [`to_json`] escapes.
///
/// # Errors
/// As [`write_json`].
pub fn write_unversioned<W: Write, T: Serialize + ?Sized>(
    mut out: W,
    body: &T,
) -> std::io::Result<()> {
    write_plain(&mut out, body)?;
    out.flush()
}

fn write_plain<W: Write, T: Serialize + ?Sized>(out: &mut W, body: &T) -> std::io::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(&mut *out, SafeJson::default());
    body.serialize(&mut ser).map_err(std::io::Error::from)?;
    out.write_all(b"\n")
}

/// serde_json's pretty formatter (two-space indent), escaping in strings what a terminal would
/// act on.
#[derive(Default)]
struct SafeJson(serde_json::ser::PrettyFormatter<'static>);

impl serde_json::ser::Formatter for SafeJson {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object_value(w)
    }
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        if !fragment.chars().any(fupin::render::is_unsafe_char) {
            return w.write_all(fragment.as_bytes());
        }
        for c in fragment.chars() {
            if fupin::render::is_unsafe_char(c) {
                for unit in c.encode_utf16(&mut [0; 2]) {
                    write!(w, "\\u{unit:04x}")?;
                }
            } else {
                w.write_all(c.encode_utf8(&mut [0; 4]).as_bytes())?;
            }
        }
        Ok(())
    }
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

    #[test]
    fn what_a_terminal_would_act_on_is_escaped_and_the_text_stays_json() {
        let text = to_json(&Doc {
            answer: "\u{1b}[2J\u{7f}\u{202e}x",
        });
        assert!(text.contains(r"\u001b[2J\u007f\u202ex"), "{text}");
        assert!(
            !text
                .chars()
                .any(|c| c != '\n' && fupin::render::is_unsafe_char(c))
        );
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back["answer"], "\u{1b}[2J\u{7f}\u{202e}x");
    }

    #[test]
    fn streamed_and_whole_text_are_the_same_bytes() {
        let mut out = Vec::new();
        write_json(&mut out, &Doc { answer: "甲县" }).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            to_json(&Doc { answer: "甲县" })
        );
    }
}
