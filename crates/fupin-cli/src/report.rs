//! `fupin report`: every funds and integration check of one year (G1–G3, M1–M3, task 8).

use std::path::PathBuf;

use clap::Args;
use fupin_ops::ops::report::{Report, ReportRequest};

use fupin_ops::Env;

use crate::common::{self, CliResult, OutputArgs, file_or};

/// Check a year's fund figures against the plan: input growth, county quotas and the budget
/// adjustment owed, upward funds, integration ratio. With no arguments it runs the embedded
/// 2020 Chaoyang plan and figures.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Policy file (TOML or JSON); default: the embedded 2020 Chaoyang plan.
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
    /// Plan data file (TOML or JSON); default: the embedded 2020 figures. A file
    /// with `last_year_from = "2020"` (or a path) takes its last-year figures from that year's
    /// data (see examples/chaoyang_2021_data.toml).
    #[arg(long, value_name = "FILE")]
    data: Option<PathBuf>,
    #[command(flatten)]
    output: OutputArgs,
    /// Show, under the results, the sentence of the plan (in its Chinese) each check comes
    /// from. JSON always carries it as `clause_text`.
    #[arg(long)]
    explain: bool,
    /// Exit with status 1 when any check fails.
    #[arg(long)]
    strict: bool,
}

/// Run `fupin report`.
pub fn run(args: &ReportArgs) -> CliResult {
    let data = common::plan_data(args.data.as_ref())?;
    let hint = |p| {
        let data = args.data.as_deref().zip(data.as_ref());
        common::year_hint(p, data, "--data", "--policy", args.policy.is_some())
    };
    let request = ReportRequest {
        policy: common::policy(args.policy.as_ref())?,
        data: data.clone(),
    };
    let origins = [
        ("data", file_or(args.data.as_ref(), "the embedded data")),
        (
            "policy",
            file_or(args.policy.as_ref(), "the embedded policy"),
        ),
    ];
    let printing = args.output.print(args.output.format);
    let printing = printing.explain(args.explain).strict(args.strict);
    common::run_with::<Report>(&Env::new(), request, &printing, &origins, hint)
}
