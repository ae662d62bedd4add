//! `fupin` — the Chaoyang 2020 poverty-alleviation fund rules on the command line.
//!
//! Each subcommand is a door onto an operation of `fupin_ops` (its own module turns flags into
//! the request, [`common::run`] runs and prints it); `main` prints errors (naming the file,
//! the field and the value) and maps them to exit codes: 0 ok, 1 a rule failed under
//! `--strict` (or a chain was tampered with), 2 bad input.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[macro_use]
mod common;

mod approvals;
mod assess;
mod calendar;
mod compare;
mod inspection;
mod keys;
mod policy;
mod report;
mod score;
mod serve;
mod spending;
mod tasks;
mod test_cases;
mod year_end;

/// fupin (扶贫): poverty-alleviation fund rules of 朝财农〔2020〕67号 as exact, tested functions.
///
/// Run `fupin report` to check the embedded 2020 Chaoyang plan. Every result cites its clause
/// (G1…, M1…, T#; see docs/clauses.md). Amounts are exact decimals; `--format json` writes them as
/// strings. Exit status: 0 ok, 1 a rule failed (with --strict), 2 bad input.
#[derive(Debug, Parser)]
#[command(name = "fupin", version, about, long_about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Format of the command's main input (--input, --ledger, the log, --done, the file
    /// checked); default: told from its content. Any input file may be `-` for standard input.
    #[arg(long, global = true, value_enum, value_name = "FORMAT")]
    input_format: Option<common::InputFormat>,
    /// Largest input read, in bytes or with a unit (64K, 100M, 2G); default 256M, or the
    /// environment variable FUPIN_MAX_INPUT_BYTES.
    #[arg(long, global = true, value_name = "SIZE", value_parser = size)]
    max_input_size: Option<u64>,
}

fn size(text: &str) -> Result<u64, String> {
    fupin_io::parse_size(text).ok_or_else(|| {
        format!("`{text}` is not a size: write bytes (1000000) or with a unit (64K, 100M, 2G)")
    })
}

/// The size cap from `--max-input-size`, else `FUPIN_MAX_INPUT_BYTES`, else the default.
fn limits(cli: &Cli) -> Result<fupin_io::Limits, common::CliError> {
    if let Some(max_bytes) = cli.max_input_size {
        return Ok(fupin_io::Limits { max_bytes });
    }
    let env = std::env::var(fupin_io::MAX_BYTES_ENV).ok();
    fupin_io::Limits::from_env_value(env.as_deref())
        .map_err(|e| common::CliError::input(e.to_string()))
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check fund input, county quotas, upward funds and integration (G1–G3, M1–M3, task 8).
    Report(report::ReportArgs),
    /// Show the embedded policy parameters or validate a policy file.
    Policy(policy::PolicyArgs),
    /// Show the embedded 2020 plan figures or validate a plan data file.
    Data(policy::DataArgs),
    /// Keep an approval-chain log: append signed steps, print its head, verify, replay, import,
    /// export, query (M6, M8, task 8, G5).
    Approvals(approvals::ApprovalsArgs),
    /// Make an actor's signing key (`keys new --actor ID`) or show its public key.
    Keys(keys::KeysArgs),
    /// Spending progress: the monthly bulletin from a ledger (G4, M4).
    Spending(spending::SpendingArgs),
    /// The plan's dated obligations and their status on a date (M5, task 8, O1, M4, M1c).
    Calendar(calendar::CalendarArgs),
    /// Score units on scorecard A or B (or a card file) and rank them (annex 2 assessment).
    Score(score::ScoreArgs),
    /// Task-table completions, card A's annual points and the T3/T10/M9 rule checks.
    Tasks(tasks::TasksArgs),
    /// Each unit's whole assessment: cards held separately, the unit's veto, per-card ranking.
    Assess(assess::AssessArgs),
    /// M1c's year-end check of county input and next year's base weights (your parameters).
    YearEnd(year_end::YearEndArgs),
    /// Run policy case files (input + expected outcome per clause) against a policy.
    Test(test_cases::TestArgs),
    /// What-if: two policies, a policy and `--set` overrides, or two years — what changes.
    Compare(compare::CompareArgs),
    /// The mid-year inspection and ranking of the counties' project libraries (M6).
    Inspection(inspection::InspectionArgs),
    /// Serve every area over HTTP (JSON in, the command's JSON out; Arrow for score tables).
    Serve(serve::ServeArgs),
}

/// Whether the command line asks for JSON output (`--format json` or `--format=json`): then an
/// error is written to standard output as a problem document as well.
fn wants_json(args: &[String]) -> bool {
    args.windows(2).any(|w| {
        w.first().is_some_and(|a| a == "--format") && w.get(1).is_some_and(|v| v == "json")
    }) || args.iter().any(|a| a == "--format=json")
}

/// Print an error as RFC 9457 problem details on standard output (`--format json`).
fn print_problem(problem: &fupin_ops::Problem) {
    use std::io::Write;
    // A closed pipe or a full disk: the exit code and standard error still say what happened.
    let _ = std::io::stdout()
        .lock()
        .write_all(fupin_ops::to_json(problem).as_bytes());
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args_os()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let json = wants_json(&args);
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => {
            if json && e.use_stderr() {
                let rendered = e.render().to_string();
                let first = rendered
                    .lines()
                    .take_while(|l| !l.trim().is_empty())
                    .map(str::trim)
                    .collect::<Vec<_>>()
                    .join(" ");
                print_problem(&fupin_ops::Problem::new(
                    fupin_ops::ProblemKind::MalformedRequest,
                    format!(
                        "the command line cannot be read: {}",
                        first.trim_start_matches("error: ")
                    ),
                ));
            }
            e.exit();
        }
    };
    let result = limits(&cli).and_then(|limits| {
        common::set_input_settings(common::InputSettings {
            format: cli.input_format,
            limits,
        });
        run(&cli.command)
    });
    match result {
        Ok(code) => code,
        Err(e) => {
            if json && e.code == common::BAD_INPUT && !e.reported {
                print_problem(&e.to_problem());
            }
            if !e.message.is_empty() {
                eprintln!("error: {}", fupin_ops::print::safe_text(&e.message));
            }
            ExitCode::from(e.code)
        }
    }
}

fn run(command: &Command) -> common::CliResult {
    match command {
        Command::Report(args) => report::run(args),
        Command::Policy(args) => policy::run_policy(args),
        Command::Data(args) => policy::run_data(args),
        Command::Approvals(args) => approvals::run(args),
        Command::Keys(args) => keys::run(args),
        Command::Spending(args) => spending::run(args),
        Command::Calendar(args) => calendar::run(args),
        Command::Score(args) => score::run(args),
        Command::Tasks(args) => tasks::run(args),
        Command::Assess(args) => assess::run(args),
        Command::YearEnd(args) => year_end::run(args),
        Command::Test(args) => test_cases::run(args),
        Command::Compare(args) => compare::run(args),
        Command::Inspection(args) => inspection::run(args),
        Command::Serve(args) => serve::run(args),
    }
}
