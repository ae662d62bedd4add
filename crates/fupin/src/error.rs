//! The crate's error type, and the one shape every problem with input takes.
//!
//! Functions of one area return that area's error ([`MoneyError`], [`PolicyError`],
//! [`DataError`], …); [`Error`] gathers them for callers that combine areas, such as the CLI,
//! the Python binding and the service, which map each variant to one exit code, exception
//! class or HTTP problem.
//!
//! Whatever the area, a problem with input is also a [`FieldError`]: the dotted `path` of the
//! field, a short snake_case [`ErrorCode`], a `message` a finance officer understands and the
//! exact `value` as given (never rounded). [`Error::field_errors`] gives every problem of an
//! error in that shape; the validation of a whole input (a policy, plan data, a schedule …)
//! collects **every** problem into a non-empty [`FieldErrors`] rather than stopping at the
//! first.
//!
//! # Example
//! ```
//! use fupin::{ErrorCode, Policy};
//!
//! let text = fupin::policy::CHAOYANG_2020_TOML
//!     .replace("input_growth_target = \"20%\"", "input_growth_target = \"-1%\"")
//!     .replace("county = \"2500万元\"", "county = \"-1\"");
//! let err = fupin::Error::from(Policy::from_toml(&text).unwrap_err());
//! let problems = err.field_errors();
//! assert_eq!(problems.len(), 2); // both are reported, not only the first
//! assert_eq!(problems[0].path, "funds.input_growth_target");
//! assert_eq!(problems[0].code, ErrorCode::OUT_OF_RANGE);
//! assert_eq!(problems[1].path, "funds.quota.county");
//! assert_eq!(problems[1].value.as_deref(), Some("-1")); // exact, in yuan
//! ```

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::approval::ApprovalError;
use crate::audit::AuditError;
use crate::calendar::CalendarError;
use crate::data::DataError;
use crate::money::MoneyError;
use crate::policy::PolicyError;
use crate::projects::ProjectError;
use crate::spending::SpendingError;

/// Any error of the library.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Exact arithmetic overflowed, or a number could not be read.
    #[error(transparent)]
    Money(#[from] MoneyError),
    /// A policy file is invalid.
    #[error(transparent)]
    Policy(#[from] PolicyError),
    /// Plan data are invalid.
    #[error(transparent)]
    Data(#[from] DataError),
    /// A project cannot enter a library or receive special funds (M6).
    #[error(transparent)]
    Project(#[from] ProjectError),
    /// An approval step is refused (M6, M8, task 8).
    #[error(transparent)]
    Approval(#[from] ApprovalError),
    /// An audit log is malformed, tampered with or illegal.
    #[error(transparent)]
    Audit(#[from] AuditError),
    /// A spending ledger, schedule or allocation input is invalid.
    #[error(transparent)]
    Spending(#[from] SpendingError),
    /// A calendar query or record of completion is invalid.
    #[error(transparent)]
    Calendar(#[from] CalendarError),
    /// A scorecard or a unit's scores are invalid.
    #[error(transparent)]
    Score(#[from] crate::assessment::ScoreError),
    /// Task-table figures are invalid.
    #[error(transparent)]
    Tasks(#[from] crate::tasks::TasksError),
}

impl Error {
    /// Every problem of the error as [`FieldError`]s (never empty): the list of a validation
    /// that collected several, or the one problem of any other error, with its path (empty
    /// when the error is about no field), code, message and value. This is what the CLI's
    /// `--format json`, Python's `.errors()` and the service's problem details report.
    #[must_use]
    pub fn field_errors(&self) -> Vec<FieldError> {
        match self {
            Self::Money(e) => vec![e.to_field_error("")],
            Self::Policy(e) => e.errors().to_vec(),
            Self::Data(e) => e.errors().to_vec(),
            Self::Spending(e) => e.field_errors(),
            Self::Calendar(CalendarError::Field(list)) => list.to_vec(),
            Self::Score(e) => e.field_errors(),
            Self::Tasks(crate::tasks::TasksError::Input(list)) => list.to_vec(),
            Self::Tasks(crate::tasks::TasksError::Money(e)) => vec![e.to_field_error("")],
            Self::Approval(e) => vec![FieldError::coded(
                ErrorCode::new(e.kind()),
                "",
                None,
                e.to_string(),
            )],
            Self::Audit(e) => vec![FieldError::coded(
                audit_code(e),
                format!("line {}", e.line()),
                None,
                e.to_string(),
            )],
            // Variants without a field of their own (and any added later) report as `invalid`.
            #[allow(unreachable_patterns)]
            Self::Project(_) | Self::Calendar(_) | Self::Tasks(_) => {
                vec![FieldError::coded(
                    ErrorCode::INVALID,
                    "",
                    None,
                    self.to_string(),
                )]
            }
        }
    }
}

fn audit_code(e: &AuditError) -> ErrorCode {
    match e {
        AuditError::Malformed { .. } => ErrorCode::SYNTAX,
        AuditError::Tampered { .. } => ErrorCode::new("tampered"),
        AuditError::Illegal { error, .. } => ErrorCode::new(error.kind()),
        _ => ErrorCode::INCONSISTENT,
    }
}

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
    CONTROL_CHARACTER = "control_character", "A name holds a control character or a line break.";
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

/// Check a name or other one-line text from input (a county, an actor, a unit, a project):
/// refuse control characters and line breaks, Unicode line separators and bidirectional
/// overrides ([`crate::render::is_unsafe_char`]) — an actor named `"\u{1b}[2J…"` would clear
/// the terminal of whoever replays the log, a county named `"x\n| fake | row |"` would add a
/// row to a report. Emptiness and uniqueness are the caller's to check.
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
/// ```
///
/// # Errors
/// A [`FieldError`] of code [`ErrorCode::CONTROL_CHARACTER`] at `path`, with the exact value.
pub fn check_name(path: &str, value: &str) -> Result<(), FieldError> {
    match value
        .chars()
        .enumerate()
        .find(|(_, c)| crate::render::is_unsafe_char(*c))
    {
        None => Ok(()),
        Some((i, c)) => Err(FieldError::coded(
            ErrorCode::CONTROL_CHARACTER,
            path,
            Some(value.to_owned()),
            format!(
                "`{}` contains a control character (U+{:04X}) at character {}: names may not contain control characters or line breaks",
                crate::render::escape_text(value),
                u32::from(c),
                i + 1
            ),
        )),
    }
}
