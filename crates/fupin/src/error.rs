//! The crate's error type: one variant per area, each wrapping that area's own error.
//!
//! Functions of one area return that area's error ([`MoneyError`], [`PolicyError`],
//! [`DataError`], …); [`Error`] gathers them for callers that combine areas, such as the CLI
//! and the Python binding, which map each variant to one exit code or exception class.

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
