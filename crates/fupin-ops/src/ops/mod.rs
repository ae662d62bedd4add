//! Every operation, one file per area, one function per operation.
//!
//! | file | operations |
//! | --- | --- |
//! | [`report`] | `report` |
//! | [`assessment`] | `score`, `assess` |
//! | [`tasks`] | `tasks.check` |
//! | [`years`] | `year-end`, `compare` |
//! | [`cases`] | `test` |
//! | [`spending`] | `spending.bulletin`, `spending.allocation` |
//! | [`calendar`] | `calendar` |
//! | [`policy`] | `policy.show`, `policy.validate`, `policy.diff`, `data.show`, `data.check` |
//! | [`approvals`] | `approvals.verify`, `approvals.replay`, `approvals.head`, `approvals.query`, `approvals.targets` |
//! | [`projects`] | `inspection` |

use fupin::Policy;
use fupin::data::PlanData;

use crate::problem::Problem;

pub mod approvals;
pub mod assessment;
pub mod calendar;
pub mod cases;
pub mod policy;
pub mod projects;
pub mod report;
pub mod spending;
pub mod tasks;
pub mod years;

/// The precondition of every operation that judges a year's figures: the plan data are of
/// the policy's year (figures of one year judged by another year's thresholds would be
/// misread). A problem about `member` (code `year_mismatch`).
pub(crate) fn same_year(policy: &Policy, data: &PlanData, member: &str) -> Result<(), Problem> {
    data.check_year(policy.meta.year)
        .map_err(|e| Problem::sub(e, member))
}

/// The text of the plan's words under each check (`--explain`), in `lang`.
pub(crate) fn explained(checks: &[fupin::Check], lang: fupin::Lang) -> String {
    crate::print::explain_checks(checks, lang)
}
