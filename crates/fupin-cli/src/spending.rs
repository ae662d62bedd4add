//! `fupin spending bulletin` and `fupin spending allocate`: the monthly spending-progress
//! bulletin (M4, G4) from a ledger file, and next year's allocation tied to it.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use fupin::Amount;
use fupin::spending::YearMonth;
use fupin_ops::Env;
use fupin_ops::input::{BaseWeights, Kind};
use fupin_ops::ops::spending::{
    AllocationRequest, BulletinRequest, SpendingAllocation, SpendingBulletin,
};

use crate::common::{self, CliResult, Origin, Origins, OutputArgs, file_or};

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

/// What the bulletin and the allocation both read.
#[derive(Debug, Args)]
struct LedgerArgs {
    /// Ledger file: CSV with columns month, county, [project], [fund_source], allocated, spent
    /// (or JSON, an array of such objects), or a workbook (.xlsx, .xls, .ods) — told by the
    /// content, not the extension — whose sheet has those columns under Chinese or English
    /// headers (月份, 县(市)区, 资金来源, 下达（万元）, 支出（万元）).
    #[arg(long, value_name = "FILE")]
    ledger: PathBuf,
    /// The month to report, YYYY-MM (progress is cumulative to its last day; for the
    /// allocation, usually December).
    #[arg(long, value_name = "YYYY-MM")]
    month: YearMonth,
    /// Required progress by date (TOML or JSON, told by its content). The plan gives no figure:
    /// without this (or a [spending.schedule] in the policy) there is no comparison with a
    /// schedule.
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
}

/// Arguments of `fupin spending bulletin`.
#[derive(Debug, Args)]
pub struct BulletinArgs {
    #[command(flatten)]
    ledger: LedgerArgs,
    #[command(flatten)]
    output: OutputArgs,
    /// Exit with status 1 when any unit is behind schedule.
    #[arg(long)]
    strict: bool,
}

/// Arguments of `fupin spending allocate`.
#[derive(Debug, Args)]
pub struct AllocateArgs {
    #[command(flatten)]
    ledger: LedgerArgs,
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
    #[command(flatten)]
    output: OutputArgs,
}

/// Run `fupin spending …`.
pub fn run(args: &SpendingArgs) -> CliResult {
    match &args.command {
        SpendingCommand::Bulletin(b) => bulletin(b),
        SpendingCommand::Allocate(a) => allocate(a),
    }
}

/// The bulletin's request and where its members came from.
fn bulletin_request(l: &LedgerArgs) -> Result<(BulletinRequest, Origins), common::CliError> {
    let request = BulletinRequest {
        ledger: common::read_main(Kind::Ledger, &l.ledger)?.into_ledger(),
        month: l.month,
        schedule: l
            .schedule
            .as_ref()
            .map(|s| common::read_doc(s))
            .transpose()?,
        policy: common::policy(l.policy.as_ref())?,
        data: common::plan_data(l.data.as_ref())?,
    };
    let origins = vec![
        ("ledger", Origin::File(l.ledger.clone())),
        ("month", Origin::Named(format!("--month {}", l.month))),
        ("schedule", file_or(l.schedule.as_ref(), "--schedule")),
        ("policy", file_or(l.policy.as_ref(), "the embedded policy")),
        ("data", file_or(l.data.as_ref(), "the embedded data")),
    ];
    Ok((request, origins))
}

fn bulletin(args: &BulletinArgs) -> CliResult {
    let (request, origins) = bulletin_request(&args.ledger)?;
    let printing = args.output.print(args.output.format).strict(args.strict);
    common::run::<SpendingBulletin>(&Env::new(), request, &printing, &origins)
}

fn allocate(args: &AllocateArgs) -> CliResult {
    let (b, mut origins) = bulletin_request(&args.ledger)?;
    let request = AllocationRequest {
        ledger: b.ledger,
        month: b.month,
        base: common::read_doc::<BaseWeights>(&args.base)?.0,
        total: args.total,
        params: args
            .params
            .as_ref()
            .map(|p| common::read_doc(p))
            .transpose()?,
        schedule: b.schedule,
        policy: b.policy,
        data: b.data,
    };
    origins.extend([
        ("base", Origin::File(args.base.clone())),
        (
            "total",
            Origin::Named(format!("--total {}", args.total.as_yuan())),
        ),
        ("params", file_or(args.params.as_ref(), "--params")),
    ]);
    let printing = args.output.print(args.output.format);
    common::run::<SpendingAllocation>(&Env::new(), request, &printing, &origins)
}
