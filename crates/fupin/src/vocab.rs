//! The vocabulary every area speaks: the one shape of a problem with input, and the name rule.
//!
//! Whatever the area, a problem with input is a [`FieldError`]: the dotted `path` of the field,
//! a short snake_case [`ErrorCode`], a `message` a finance officer understands and the exact
//! `value` as given (never rounded). The validation of a whole input (a policy, plan data, a
//! schedule …) collects **every** problem ([`Problems`]) into a non-empty [`FieldErrors`] rather
//! than stopping at the first.
//!
//! **The name rule** ([`check_name`], [`name_key`]) is one rule for every name the library reads
//! — counties, units, projects, actors, townships, villages: not empty; no space before or after
//! (refused, not trimmed: `建平县 ` and `建平县` would be two counties); no control character, line
//! break, bidirectional control (U+202A–U+202E, U+2066–U+2069) or zero-width character (U+200B–
//! U+200D, U+2060, U+FEFF). A name is kept as written and compared in Unicode normalisation form
//! C (NFC), so `e\u{301}` and `é` are one name, and a second is a duplicate.
//!
//! This module imports nothing of the crate: every area may use it.

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Serialize};

/// A short, stable, snake_case name of the kind of a problem (`float`, `unknown_field`, …),
/// for programs that react to errors. The constants below are the library's own; areas with
/// their own kinds (the approval chain's `wrong_level`, `same_actor`, …) use [`ErrorCode::new`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct ErrorCode(Cow<'static, str>);

macro_rules! codes {
    ($($name:ident = $text:literal, $doc:literal;)*) => {
        impl ErrorCode {
            $(#[doc = $doc] pub const $name: Self = Self(Cow::Borrowed($text));)*

            /// Every code the library defines, with what it means (for docs and schemas).
            pub const KNOWN: &'static [(&'static str, &'static str)] = &[$(($text, $doc),)*];
        }
    };
}

codes! {
    SYNTAX = "syntax", "The text is not valid JSON, TOML or CSV.";
    ENCODING = "encoding", "The bytes are not text in a known encoding (UTF-8; GBK where stated).";
    TOO_LARGE = "too_large", "The input is larger than the size cap.";
    TOO_DEEP = "too_deep", "The input nests deeper than the depth limit, or refers to itself.";
    UNKNOWN_FIELD = "unknown_field", "A field the format does not have (often a misspelling).";
    MISSING_FIELD = "missing_field", "A required field is absent.";
    DUPLICATE_KEY = "duplicate_key", "A key appears twice in one JSON object or TOML table.";
    INVALID_TYPE = "invalid_type", "A value of the wrong type (a list where a table is expected, …).";
    FLOAT = "float", "A binary floating-point number where an exact decimal is expected.";
    INVALID_NUMBER = "invalid_number", "Text that is not a decimal number (a misplaced comma included: `7,5`).";
    INVALID_AMOUNT = "invalid_amount", "Text that is not an amount of money.";
    INVALID_RATIO = "invalid_ratio", "Text that is not a ratio.";
    INVALID_DATE = "invalid_date", "Text that is not a date (`YYYY-MM-DD`) or month (`YYYY-MM`).";
    OUT_OF_RANGE = "out_of_range", "A value outside its allowed range.";
    NEGATIVE = "negative", "A negative amount or count where only zero or more make sense.";
    NOT_INTEGER = "not_integer", "A count that must be a whole number is not.";
    EMPTY = "empty", "A required text is empty or blank.";
    DUPLICATE = "duplicate", "A name, id or row that must be unique appears twice.";
    UNKNOWN_NAME = "unknown_name", "A name or id that refers to nothing known (an unknown county, card, item …).";
    CONTROL_CHARACTER = "control_character", "A name holds a control character, a line break, or an invisible (zero-width) or bidirectional control character.";
    WHITESPACE = "whitespace", "A name has a space before or after it (refused, not trimmed).";
    OVERFLOW = "overflow", "Exact arithmetic would overflow the decimal range.";
    YEAR_MISMATCH = "year_mismatch", "Inputs of different years are combined.";
    INCONSISTENT = "inconsistent", "Fields that contradict each other (spending above allocation, …).";
    INVALID = "invalid", "Any other problem with a value.";
}

impl ErrorCode {
    /// A code of an area's own (`"wrong_level"`); snake_case by convention.
    #[must_use]
    pub const fn new(code: &'static str) -> Self {
        Self(Cow::Borrowed(code))
    }

    /// The code's text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A problem with one field of an input.
///
/// # Example
/// ```
/// use fupin::{ErrorCode, FieldError};
/// let e = FieldError::coded(ErrorCode::NEGATIVE, "city.last_year", Some("-1".into()),
///     "value -1 元 must not be negative");
/// assert_eq!(e.to_string(), "field `city.last_year`: value -1 元 must not be negative");
/// assert_eq!(serde_json::to_string(&e).unwrap(),
///     r#"{"path":"city.last_year","code":"negative","message":"value -1 元 must not be negative","value":"-1"}"#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FieldError {
    /// Dotted path of the field, e.g. `counties[2].last_year`; `(top level)` for the whole
    /// input, `(syntax)` for text that cannot be parsed, `line 3.spent` for a CSV cell, and
    /// empty for an error about no field.
    pub path: String,
    /// The kind of problem.
    pub code: ErrorCode,
    /// What is wrong, in words a finance officer understands, quoting the value.
    pub message: String,
    /// The offending value exactly as given (or, for an amount checked after reading, its exact
    /// canonical text in yuan) — never rounded; `None` when there is no single value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "field `{}`: {}", self.path, self.message)
        }
    }
}

impl FieldError {
    /// An error about the field at `path`, of code [`ErrorCode::INVALID`] and no value.
    #[must_use]
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self::coded(ErrorCode::INVALID, path, None, message)
    }

    /// An error with every part given.
    #[must_use]
    pub fn coded(
        code: ErrorCode,
        path: impl Into<String>,
        value: Option<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            path: path.into(),
            code,
            message: message.into(),
            value,
        }
    }

    /// The same error with another code.
    #[must_use]
    pub fn with_code(mut self, code: ErrorCode) -> Self {
        self.code = code;
        self
    }

    /// The same error with the offending value.
    #[must_use]
    pub fn with_value(mut self, value: impl Into<String>) -> Self {
        self.value = Some(value.into());
        self
    }

    /// The same error with `prefix.` put before its path (`prefix` alone for an empty path).
    #[must_use]
    pub fn under(mut self, prefix: &str) -> Self {
        if prefix.is_empty() {
            return self;
        }
        self.path = if self.path.is_empty() || self.path == "(top level)" {
            prefix.to_owned()
        } else if self.path.starts_with('[') {
            format!("{prefix}{}", self.path)
        } else {
            format!("{prefix}.{}", self.path)
        };
        self
    }
}

/// A non-empty list of problems with one input: what a validation that collects every problem
/// returns. Displays as the one problem, or as a count followed by one problem per line.
///
/// # Example
/// ```
/// use fupin::{FieldError, FieldErrors};
/// let one = FieldErrors::from(FieldError::new("a", "bad"));
/// assert_eq!(one.to_string(), "field `a`: bad");
/// let two = FieldErrors::try_from(vec![FieldError::new("a", "bad"), FieldError::new("b", "worse")]).unwrap();
/// assert_eq!(two.to_string(), "2 problems:\n  - field `a`: bad\n  - field `b`: worse");
/// assert_eq!(two.first().path, "a");
/// assert!(FieldErrors::try_from(Vec::new()).is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    /// The first problem.
    #[must_use]
    #[allow(clippy::indexing_slicing)] // never empty by construction
    pub fn first(&self) -> &FieldError {
        &self.0[0]
    }

    /// Every problem, in the order found.
    #[must_use]
    pub fn as_slice(&self) -> &[FieldError] {
        &self.0
    }

    /// Every problem, in the order found.
    #[must_use]
    pub fn to_vec(&self) -> Vec<FieldError> {
        self.0.clone()
    }

    /// How many problems (at least 1).
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Always `false`: the list is never empty.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The problems, in order.
    pub fn iter(&self) -> std::slice::Iter<'_, FieldError> {
        self.0.iter()
    }

    /// Every problem with `prefix.` put before its path.
    #[must_use]
    pub fn under(self, prefix: &str) -> Self {
        Self(self.0.into_iter().map(|e| e.under(prefix)).collect())
    }
}

impl From<FieldError> for FieldErrors {
    fn from(e: FieldError) -> Self {
        Self(vec![e])
    }
}

impl TryFrom<Vec<FieldError>> for FieldErrors {
    type Error = Vec<FieldError>;

    /// The list, unless it is empty (then it is given back).
    fn try_from(v: Vec<FieldError>) -> Result<Self, Vec<FieldError>> {
        if v.is_empty() { Err(v) } else { Ok(Self(v)) }
    }
}

impl<'a> IntoIterator for &'a FieldErrors {
    type Item = &'a FieldError;
    type IntoIter = std::slice::Iter<'a, FieldError>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl IntoIterator for FieldErrors {
    type Item = FieldError;
    type IntoIter = std::vec::IntoIter<FieldError>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.as_slice() {
            [one] => one.fmt(f),
            all => {
                write!(f, "{} problems:", all.len())?;
                for e in all {
                    write!(f, "\n  - {e}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for FieldErrors {}

/// Collects the problems of a validation, so that every one is reported at once.
///
/// # Example
/// ```
/// use fupin::{FieldError, Problems};
/// let mut p = Problems::new();
/// p.check(Ok(()));
/// p.check(Err(FieldError::new("a", "bad")));
/// p.push(FieldError::new("b", "worse"));
/// assert_eq!(p.finish().unwrap_err().len(), 2);
/// assert!(Problems::new().finish().is_ok());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Problems(Vec<FieldError>);

impl Problems {
    /// No problems yet.
    #[must_use]
    pub const fn new() -> Self {
        Self(Vec::new())
    }

    /// Record a problem.
    pub fn push(&mut self, e: FieldError) {
        self.0.push(e);
    }

    /// Record the problem of a check that stops at its first, if it failed.
    pub fn check(&mut self, r: Result<(), FieldError>) {
        if let Err(e) = r {
            self.0.push(e);
        }
    }

    /// Record every problem of a check that collects them, if it failed.
    pub fn check_all(&mut self, r: Result<(), FieldErrors>) {
        if let Err(e) = r {
            self.0.extend(e);
        }
    }

    /// Whether nothing was recorded.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok` if nothing was recorded, else every problem.
    ///
    /// # Errors
    /// The problems recorded.
    pub fn finish(self) -> Result<(), FieldErrors> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(FieldErrors(self.0))
        }
    }
}

/// Whether a character must not appear raw in a name: a control character (C0, DEL, C1 —
/// escape sequences, line breaks, tabs), a Unicode line or paragraph separator, or a
/// bidirectional override or isolate (which reorder what a reader sees).
#[must_use]
pub fn is_unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Whether a character is invisible and of zero width (U+200B–U+200D, U+2060, U+FEFF): two names
/// that differ only by one look the same.
#[must_use]
pub const fn is_zero_width(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}')
}

/// Text with every [unsafe character](is_unsafe_char) shown as its escape (`\n`, `\t`,
/// `\u{1b}`) and the backslash doubled only where it would make an escape ambiguous; plain
/// text is returned as is, without copying.
///
/// # Example
/// ```
/// use fupin::render::escape_text;
/// assert_eq!(escape_text("建平县"), "建平县");
/// assert_eq!(escape_text("\u{1b}[2JALL CHECKS PASSED"), "\\u{1b}[2JALL CHECKS PASSED");
/// assert_eq!(escape_text("a\n| fake | row |"), "a\\n| fake | row |");
/// ```
#[must_use]
pub fn escape_text(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe_char) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_unsafe_char(c) => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Text with every unsafe or zero-width character shown as its escape, for messages.
fn shown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in escape_text(s).chars() {
        if is_zero_width(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// Check one-line text from input that is not a name (a data set's title, a note): refuse
/// control characters, line breaks, Unicode line separators and bidirectional controls
/// ([`is_unsafe_char`]) — a title `"x\n| fake | row |"` would add a row to a report. It may be
/// empty, and spaces around it are kept.
///
/// # Errors
/// A [`FieldError`] of code [`ErrorCode::CONTROL_CHARACTER`] at `path`, with the exact value.
pub fn check_text(path: &str, value: &str) -> Result<(), FieldError> {
    match value.chars().enumerate().find(|(_, c)| is_unsafe_char(*c)) {
        None => Ok(()),
        Some((i, c)) => Err(FieldError::coded(
            ErrorCode::CONTROL_CHARACTER,
            path,
            Some(value.to_owned()),
            format!(
                "`{}` contains a control character (U+{:04X}) at character {}: names may not contain control characters or line breaks",
                escape_text(value),
                u32::from(c),
                i + 1
            ),
        )),
    }
}

/// The name rule, for a county, a unit, a project, an actor, a township, a village …: refuse
/// control characters and line breaks, Unicode line separators and bidirectional controls
/// ([`is_unsafe_char`]) — an actor named `"\u{1b}[2J…"` would clear the terminal of whoever
/// replays the log, a county named `"x\n| fake | row |"` would add a row to a report —,
/// zero-width characters ([`is_zero_width`]), an empty or blank name, and spaces before or after
/// it (refused, not trimmed: `建平县 ` would be a second 建平县). Uniqueness is the caller's to
/// check, on [`name_key`]s.
///
/// # Example
/// ```
/// use fupin::{check_name, ErrorCode};
/// assert!(check_name("counties[0].name", "建平县").is_ok());
/// let e = check_name("actor.name", "\u{1b}[2JALL CHECKS PASSED").unwrap_err();
/// assert_eq!(e.code, ErrorCode::CONTROL_CHARACTER);
/// assert_eq!(e.value.as_deref(), Some("\u{1b}[2JALL CHECKS PASSED")); // exact, as given
/// assert_eq!(e.to_string(),
///     "field `actor.name`: `\\u{1b}[2JALL CHECKS PASSED` contains a control character (U+001B) \
///      at character 1: names may not contain control characters or line breaks");
/// assert_eq!(check_name("counties[0].name", "建平县 ").unwrap_err().code, ErrorCode::WHITESPACE);
/// assert_eq!(check_name("counties[0].name", "建平\u{200b}县").unwrap_err().code,
///     ErrorCode::CONTROL_CHARACTER);
/// assert_eq!(check_name("counties[0].name", "").unwrap_err().code, ErrorCode::EMPTY);
/// ```
///
/// # Errors
/// A [`FieldError`] at `path` with the exact value: [`ErrorCode::CONTROL_CHARACTER`] for a
/// control, bidirectional or zero-width character, [`ErrorCode::EMPTY`] for an empty or blank
/// name, [`ErrorCode::WHITESPACE`] for a space before or after it.
pub fn check_name(path: &str, value: &str) -> Result<(), FieldError> {
    check_text(path, value)?;
    let refuse = |code, message: String| {
        Err(FieldError::coded(
            code,
            path,
            Some(value.to_owned()),
            message,
        ))
    };
    if let Some((i, c)) = value.chars().enumerate().find(|(_, c)| is_zero_width(*c)) {
        return refuse(
            ErrorCode::CONTROL_CHARACTER,
            format!(
                "`{}` contains an invisible zero-width character (U+{:04X}) at character {}: a name that looks the same as another would be a different name",
                shown(value),
                u32::from(c),
                i + 1
            ),
        );
    }
    if value.trim().is_empty() {
        return refuse(
            ErrorCode::EMPTY,
            "a name is required, and this one is empty".into(),
        );
    }
    if value.trim() != value {
        return refuse(
            ErrorCode::WHITESPACE,
            format!(
                "`{value}` has a space before or after it: write the name without it (it is not trimmed, so `{}` and `{value}` would be two names)",
                value.trim()
            ),
        );
    }
    Ok(())
}

/// The form two names are compared in: Unicode normalisation form C (NFC), so that a name
/// typed with a combining accent (`e\u{301}`) and the same name with the precomposed letter
/// (`é`) are one name. Borrowed when the name is already in NFC (every Chinese name).
///
/// # Example
/// ```
/// use fupin::name_key;
/// assert_eq!(name_key("e\u{301}"), name_key("é"));
/// assert_eq!(name_key("建平县"), "建平县");
/// ```
#[must_use]
pub fn name_key(value: &str) -> Cow<'_, str> {
    use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};
    match is_nfc_quick(value.chars()) {
        IsNormalized::Yes => Cow::Borrowed(value),
        _ => {
            let nfc: String = value.nfc().collect();
            if nfc == value {
                Cow::Borrowed(value)
            } else {
                Cow::Owned(nfc)
            }
        }
    }
}

/// Hostile names and what every reader answers to each: the table the core's tests run through
/// each validator, and that the faces' tests can run through each door.
#[doc(hidden)]
pub mod hostile {
    use super::ErrorCode;

    /// `(what, name, the code every reader refuses it with)`.
    pub const NAMES: &[(&str, &str, ErrorCode)] = &[
        ("trailing space", "名 ", ErrorCode::WHITESPACE),
        ("leading space", " 名", ErrorCode::WHITESPACE),
        (
            "ideographic space after",
            "名\u{3000}",
            ErrorCode::WHITESPACE,
        ),
        (
            "zero-width space",
            "名\u{200b}",
            ErrorCode::CONTROL_CHARACTER,
        ),
        (
            "byte order mark inside",
            "名\u{feff}",
            ErrorCode::CONTROL_CHARACTER,
        ),
        (
            "right-to-left override",
            "\u{202e}名",
            ErrorCode::CONTROL_CHARACTER,
        ),
        ("bell", "名\u{7}", ErrorCode::CONTROL_CHARACTER),
        ("line break", "名\n| 假 |", ErrorCode::CONTROL_CHARACTER),
        ("empty", "", ErrorCode::EMPTY),
    ];

    /// One name in two spellings, decomposed and composed: the second is a duplicate wherever
    /// names must be unique ([`ErrorCode::DUPLICATE`]).
    pub const SAME_NAME: (&str, &str) = ("e\u{301}", "é");
}
