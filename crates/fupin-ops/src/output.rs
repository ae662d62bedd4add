//! The documents of the contract that are not a core type as they are, and the functions that
//! make them, under the names the service's handlers use (each lives with its operation in
//! `fupin_ops::ops`).

pub use crate::ops::approvals::{ReplayError, ReplayOutput, VerifyOutput, replay, verify};
pub use crate::ops::assessment::{ScoreOutput, UnitError, score_units};
pub use crate::ops::calendar::{CalendarDue, CalendarStatus};
pub use crate::ops::policy::{
    PolicyChange, PolicyComparison, PolicyName, PolicyValidation, compare_policies,
};

/// Every problem of a library error as field errors (never empty).
#[must_use]
pub fn field_errors(e: &fupin::Error) -> Vec<crate::problem::ProblemField> {
    e.field_errors()
}
