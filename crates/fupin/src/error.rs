//! The crate's umbrella error, at the top of the layers: nothing below imports it.
//!
//! Functions of one area return that area's error ([`MoneyError`], [`PolicyError`],
//! [`DataError`], …); [`Error`] gathers them for callers that combine areas, such as the CLI,
//! the Python binding and the service, which map each variant to one exit code, exception
//! class or HTTP problem. Whatever the area, a problem with input is also a [`FieldError`] (the
//! vocabulary, `vocab.rs`): [`Error::field_errors`] gives every problem of an error in that
//! shape.
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

use crate::approval::ApprovalError;
use crate::audit::AuditError;
use crate::calendar::CalendarError;
use crate::data::DataError;
use crate::money::MoneyError;
use crate::policy::PolicyError;
use crate::projects::ProjectError;
use crate::spending::SpendingError;
use crate::vocab::{ErrorCode, FieldError};

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
            Self::Project(ProjectError::Name { error, .. }) => vec![error.clone()],
            Self::Project(ProjectError::MissingField { field, .. }) => vec![FieldError::coded(
                ErrorCode::EMPTY,
                field.clone(),
                None,
                self.to_string(),
            )],
            Self::Project(ProjectError::Duplicate { project, .. }) => vec![FieldError::coded(
                ErrorCode::DUPLICATE,
                "id",
                Some(project.clone()),
                self.to_string(),
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

impl From<crate::report::ReportError> for Error {
    fn from(e: crate::report::ReportError) -> Self {
        match e {
            crate::report::ReportError::Data(e) => Self::Data(e),
            crate::report::ReportError::Money(e) => Self::Money(e),
        }
    }
}

impl From<crate::compare::CompareError> for Error {
    fn from(e: crate::compare::CompareError) -> Self {
        match e {
            crate::compare::CompareError::Report(e) => e.into(),
            crate::compare::CompareError::Tasks(e) => Self::Tasks(e),
            crate::compare::CompareError::Score(e) => Self::Score(e),
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
