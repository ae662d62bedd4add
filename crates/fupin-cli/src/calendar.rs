//! `fupin calendar`: the plan's dated obligations (M5, task 8, O1, M4, M1c) and their status.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::Args;
use fupin::calendar::{self, DoneList};

use crate::common::{self, CliError, CliResult, Format, OutputArgs};

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

fn load_done(path: Option<&PathBuf>) -> Result<BTreeMap<String, NaiveDate>, CliError> {
    let Some(path) = path else {
        return Ok(BTreeMap::new());
    };
    let (text, format) = common::read_main_input(path, common::TOML_OR_JSON)?;
    let done = if format == fupin_io::Format::Json {
        DoneList::from_json(&text)
    } else {
        DoneList::from_toml(&text)
    };
    Ok(done.map_err(|e| CliError::file(path, e))?.done)
}

/// Run `fupin calendar`.
pub fn run(args: &CalendarArgs) -> CliResult {
    args.output.text_only("fupin calendar")?;
    let policy = common::load_policy(args.policy.as_ref())?;
    let cal = &policy.calendar;
    let lang = args.output.lang.into();
    let render = |t: &fupin::render::Table| match args.output.format {
        Format::Markdown => t.to_markdown(),
        _ => t.to_text(),
    };
    let Some(on) = args.on else {
        let due = calendar::due_between(cal, args.from, args.to)
            .map_err(|e| CliError::input(e.to_string()))?;
        match args.output.format {
            Format::Json => common::print_json(&fupin_ops::CalendarDue {
                from: args.from,
                to: args.to,
                obligations: due,
            })?,
            _ => out!("{}", render(&calendar::obligations_table(&due, lang))),
        }
        return Ok(ExitCode::from(common::OK));
    };
    let done = load_done(args.done.as_ref())?;
    let statuses =
        calendar::status_on(cal, args.from, args.to, on, &done).map_err(|e| match &args.done {
            Some(path) => CliError::file(path, e),
            None => CliError::input(e.to_string()),
        })?;
    let failed = statuses.iter().any(|s| s.status.is_failure());
    match args.output.format {
        Format::Json => common::print_json(&fupin_ops::CalendarStatus::new(
            args.from, args.to, on, statuses,
        ))?,
        _ => out!("{}", render(&calendar::status_table(&statuses, lang))),
    }
    Ok(ExitCode::from(if args.strict && failed {
        common::RULE_FAILED
    } else {
        common::OK
    }))
}
