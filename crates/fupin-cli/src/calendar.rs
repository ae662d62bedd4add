//! `fupin calendar`: the plan's dated obligations (M5, task 8, O1, M4, M1c) and their status.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Args;
use fupin_ops::Env;
use fupin_ops::input::{Done, Readable};
use fupin_ops::ops::calendar::{Calendar, CalendarRequest};

use crate::common::{self, CliResult, Origin, OutputArgs, file_or};

/// List the obligations due between two dates — inspections and rectifications (M5, task 8),
/// monthly dispatch, quarterly meetings and reports, summaries (O1), the monthly bulletin (M4),
/// the year-end check (M1c) — and, with --on, the status of each on that date.
#[derive(Debug, Args)]
pub struct CalendarArgs {
    /// First due date to list, YYYY-MM-DD.
    #[arg(long, value_name = "DATE")]
    from: NaiveDate,
    /// Last due date to list, YYYY-MM-DD.
    #[arg(long, value_name = "DATE")]
    to: NaiveDate,
    /// Report the status of each obligation on this date (done on time, done late, overdue,
    /// not yet due).
    #[arg(long, value_name = "DATE")]
    on: Option<NaiveDate>,
    /// What was done when (TOML or JSON, told by its content): a [done] table of
    /// `"M5.rectification" = "2020-07-20"` and `"O1.quarter_end_report@2020-Q2" = "2020-06-30"`.
    #[arg(long, value_name = "FILE", requires = "on")]
    done: Option<PathBuf>,
    /// Policy file whose [calendar] is used; default: the embedded 2020 Chaoyang plan.
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
    #[command(flatten)]
    output: OutputArgs,
    /// Exit with status 1 when any obligation is overdue on the --on date, or was done before
    /// its window opened.
    #[arg(long, requires = "on")]
    strict: bool,
}

/// Run `fupin calendar`.
pub fn run(args: &CalendarArgs) -> CliResult {
    let done = match &args.done {
        Some(path) => Some(Done::read(&common::read_main(Done::KIND, path)?)?.0),
        None => None,
    };
    let request = CalendarRequest {
        from: args.from,
        to: args.to,
        on: args.on,
        done,
        policy: common::policy(args.policy.as_ref())?,
    };
    let origins = [
        ("done", file_or(args.done.as_ref(), "--done")),
        (
            "from",
            Origin::Named(format!("--from {} --to {}", args.from, args.to)),
        ),
        (
            "policy",
            file_or(args.policy.as_ref(), "the embedded policy"),
        ),
    ];
    let printing = args.output.print(args.output.format).strict(args.strict);
    common::run::<Calendar>(&Env::new(), request, &printing, &origins)
}
