//! `fupin spending bulletin`: the monthly spending-progress bulletin (M4, G4) from a ledger file.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};
use fupin::data::PlanData;
use fupin::spending::{
    AllocationPolicy, Bulletin, LedgerTotals, Schedule, SpendingError, YearMonth, allocation,
    bulletin, ledger::unit_names,
};
use fupin::{Amount, Policy};

use fupin_io::Format as IoFormat;

use crate::common::{self, CliError, CliResult, Format, OutputArgs};

/// Spending progress (支出进度): monthly ledgers and the monthly bulletin (G4, M4).
#[derive(Debug, Args)]
pub struct SpendingArgs {
    #[command(subcommand)]
    command: SpendingCommand,
}

#[derive(Debug, Subcommand)]
enum SpendingCommand {
    /// The monthly bulletin (月统计月通报): units ranked by cumulative progress, the change on the
    /// month before, the city total and — with a schedule — the units behind it and what they
    /// still have to spend. Try it on the illustrative example:
    /// `fupin spending bulletin --ledger examples/ledger_2020.csv --month 2020-06
    /// --schedule examples/schedule_example.toml`.
    Bulletin(BulletinArgs),
    /// Next year's allocation tied to a bulletin (M4 奖优惩劣): base weights adjusted by the
    /// user's reward/penalty parameters (the plan gives none), the total apportioned exactly to
    /// the fen by largest remainder.
    Allocate(AllocateArgs),
}

/// Arguments of `fupin spending bulletin`.
#[derive(Debug, Args)]
pub struct BulletinArgs {
    /// Ledger file: CSV with columns month, county, [project], [fund_source], allocated, spent
    /// (or JSON, an array of such objects), or a workbook (.xlsx, .xls, .ods) — told by the
    /// content, not the extension —
    /// whose sheet has those columns under Chinese or English headers (月份, 县(市)区, 资金来源,
    /// 下达（万元）, 支出（万元）).
    #[arg(long, value_name = "FILE")]
    ledger: PathBuf,
    /// The month to report, YYYY-MM (progress is cumulative to its last day).
    #[arg(long, value_name = "YYYY-MM")]
    month: YearMonth,
    /// Required progress by date (TOML or JSON, told by its content). The plan gives no figure: without
    /// this (or a [spending.schedule] in the policy) there is no comparison with a schedule.
    #[arg(long, value_name = "FILE")]
    schedule: Option<PathBuf>,
    /// Policy file (its year is the ledger's year; its [spending.schedule] is used when no
    /// --schedule is given); default: the embedded 2020 Chaoyang plan.
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
    /// Plan data file whose county-level units the ledger may name; default: the embedded 2020
    /// data (Chaoyang's seven units).
    #[arg(long, value_name = "FILE")]
    data: Option<PathBuf>,
    #[command(flatten)]
    output: OutputArgs,
    /// Exit with status 1 when any unit is behind schedule.
    #[arg(long)]
    strict: bool,
}

/// The units of `--data` (checked to be of the policy's year), or of the embedded data.
fn load_units(path: Option<&PathBuf>, year: i32) -> Result<Vec<String>, CliError> {
    let Some(path) = path else {
        return Ok(unit_names(&PlanData::chaoyang_2020()));
    };
    let (text, format) = common::read_input(path, common::TOML_OR_JSON)?;
    let data = if format == IoFormat::Json {
        PlanData::from_json(&text)
    } else {
        PlanData::from_toml(&text)
    };
    let data = data
        .and_then(|d| d.check_year(year).map(|()| d))
        .map_err(|e| CliError::file(path, e))?;
    Ok(unit_names(&data))
}

/// The ledger's monthly totals, read row by row (CSV and JSON are never held as rows).
fn load_ledger(path: &Path, year: i32, units: &[String]) -> Result<LedgerTotals, CliError> {
    let (text, format) =
        match common::read_main(path, &[IoFormat::Csv, IoFormat::Json, IoFormat::Workbook])? {
            common::Input::Workbook(bytes) => {
                return fupin_xlsx::ledger_from_bytes(&bytes, year, units)
                    .map_err(|e| common::workbook_error(path, &e))?
                    .totals()
                    .map_err(|e| CliError::file(path, e));
            }
            common::Input::Text(text, format) => (text, format),
        };
    if format == IoFormat::Json {
        LedgerTotals::from_json(&text, year, units)
    } else {
        LedgerTotals::from_csv(&text, year, units)
    }
    .map_err(|e| CliError::file(path, e))
}

/// The bulletin of `--month`, its errors blamed on what caused them: the month, the schedule
/// (a point outside the ledger's year) or the ledger (a unit spending more than allocated).
fn make_bulletin(
    ledger: &LedgerTotals,
    ledger_path: &Path,
    month: YearMonth,
    schedule: Option<&Schedule>,
    schedule_path: Option<&PathBuf>,
) -> Result<Bulletin, CliError> {
    bulletin::bulletin(ledger, month, schedule).map_err(|e| match &e {
        SpendingError::MonthOutsideYear { .. } => {
            CliError::from(fupin::Error::from(e.clone())).prefixed(&format!("--month {month}"))
        }
        SpendingError::Field {
            what: "schedule", ..
        } => match schedule_path {
            Some(path) => CliError::file(path, e),
            None => CliError::from(fupin::Error::from(e.clone()))
                .prefixed("the policy's [spending.schedule]"),
        },
        _ => CliError::file(ledger_path, e),
    })
}

/// The schedule from `--schedule FILE`, else the policy's (if any).
fn load_schedule(path: Option<&PathBuf>, policy: &Policy) -> Result<Option<Schedule>, CliError> {
    let Some(path) = path else {
        return Ok(policy.spending.schedule.clone());
    };
    let (text, format) = common::read_input(path, common::TOML_OR_JSON)?;
    let s = if format == IoFormat::Json {
        Schedule::from_json(&text)
    } else {
        Schedule::from_toml(&text)
    };
    Ok(Some(s.map_err(|e| CliError::file(path, e))?))
}

/// Run `fupin spending …`.
pub fn run(args: &SpendingArgs) -> CliResult {
    match &args.command {
        SpendingCommand::Bulletin(b) => run_bulletin(b),
        SpendingCommand::Allocate(a) => run_allocate(a),
    }
}

fn run_bulletin(args: &BulletinArgs) -> CliResult {
    let policy = common::load_policy(args.policy.as_ref())?;
    let units = load_units(args.data.as_ref(), policy.meta.year)?;
    let ledger = load_ledger(&args.ledger, policy.meta.year, &units)?;
    let schedule = load_schedule(args.schedule.as_ref(), &policy)?;
    let b = make_bulletin(
        &ledger,
        &args.ledger,
        args.month,
        schedule.as_ref(),
        args.schedule.as_ref(),
    )?;
    let lang = args.output.lang.into();
    match args.output.format {
        Format::Json => args.output.emit_text(&fupin_ops::to_json(&b))?,
        Format::Text => args.output.emit_text(&b.to_text(lang))?,
        Format::Markdown => args.output.emit_text(&b.to_markdown(lang))?,
        Format::Xlsx => args.output.emit_workbook(
            &fupin_xlsx::write::bulletin(&b, &policy, lang).map_err(|e| common::xlsx_error(&e))?,
        )?,
    }
    Ok(ExitCode::from(
        if args.strict && b.behind_schedule().next().is_some() {
            common::RULE_FAILED
        } else {
            common::OK
        },
    ))
}

/// Arguments of `fupin spending allocate`.
#[derive(Debug, Args)]
pub struct AllocateArgs {
    /// Ledger file: CSV, JSON or a workbook, told by its content (as for `spending bulletin`).
    #[arg(long, value_name = "FILE")]
    ledger: PathBuf,
    /// The month whose bulletin decides rewards and penalties (usually December), YYYY-MM.
    #[arg(long, value_name = "YYYY-MM")]
    month: YearMonth,
    /// Base weights: CSV with columns county and base (an amount: "2500万元" or yuan), one row
    /// per unit of the ledger.
    #[arg(long, value_name = "FILE")]
    base: PathBuf,
    /// The total to apportion, e.g. "3亿元" or "300000000" (yuan).
    #[arg(long, value_name = "AMOUNT")]
    total: Amount,
    /// Reward/penalty parameters (TOML or JSON, told by its content): reward_top, reward,
    /// penalty_bottom, penalty, penalise_behind_schedule, step. Default: the policy's
    /// [spending.allocation], else none (each unit gets its base share).
    #[arg(long, value_name = "FILE")]
    params: Option<PathBuf>,
    /// Required progress by date, for penalise_behind_schedule (TOML or JSON, told by its
    /// content).
    #[arg(long, value_name = "FILE")]
    schedule: Option<PathBuf>,
    /// Policy file; default: the embedded 2020 Chaoyang plan.
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
    /// Plan data file whose county-level units the ledger may name; default: the embedded data.
    #[arg(long, value_name = "FILE")]
    data: Option<PathBuf>,
    #[command(flatten)]
    output: OutputArgs,
}

fn run_allocate(args: &AllocateArgs) -> CliResult {
    args.output.text_only("fupin spending allocate")?;
    let policy = common::load_policy(args.policy.as_ref())?;
    let units = load_units(args.data.as_ref(), policy.meta.year)?;
    let ledger = load_ledger(&args.ledger, policy.meta.year, &units)?;
    let schedule = load_schedule(args.schedule.as_ref(), &policy)?;
    let b = make_bulletin(
        &ledger,
        &args.ledger,
        args.month,
        schedule.as_ref(),
        args.schedule.as_ref(),
    )?;
    let (base, _) = common::read_input(&args.base, &[IoFormat::Csv])?;
    let base = allocation::base_from_csv(&base).map_err(|e| CliError::file(&args.base, e))?;
    let params = match &args.params {
        Some(path) => {
            let (text, format) = common::read_input(path, common::TOML_OR_JSON)?;
            let p = if format == IoFormat::Json {
                AllocationPolicy::from_json(&text)
            } else {
                AllocationPolicy::from_toml(&text)
            };
            Some(p.map_err(|e| CliError::file(path, e))?)
        }
        None => policy.spending.allocation.clone(),
    };
    let plan = fupin::spending::adjust_allocation(&b, &base, args.total, params.as_ref()).map_err(
        |e| {
            // Blame the input the problem is in: the total, the parameters or the weights.
            let path = fupin::Error::from(e.clone())
                .field_errors()
                .first()
                .map(|f| f.path.clone())
                .unwrap_or_default();
            if path == "total" {
                CliError::from(fupin::Error::from(e))
                    .prefixed(&format!("--total {}", args.total.as_yuan()))
            } else if path.starts_with("spending.allocation") {
                match &args.params {
                    Some(p) => CliError::file(p, e),
                    None => CliError::from(fupin::Error::from(e))
                        .prefixed("the policy's [spending.allocation]"),
                }
            } else {
                CliError::file(&args.base, e)
            }
        },
    )?;
    match args.output.format {
        Format::Json => common::print_json(&plan)?,
        Format::Text => out!("{}", plan.to_text(args.output.lang.into())),
        Format::Markdown | Format::Xlsx => {
            out!("{}", plan.to_markdown(args.output.lang.into()));
        }
    }
    Ok(ExitCode::from(common::OK))
}
