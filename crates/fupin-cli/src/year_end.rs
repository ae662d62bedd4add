//! `fupin year-end`: M1c's year-end check of county input and the base weights it gives for
//! next year's allocation (三(一): 将达标结果作为2021年分配扶贫资金的重要依据).

use std::path::PathBuf;

use clap::Args;
use fupin_ops::input::BaseWeights;
use fupin_ops::ops::years::{YearEnd, YearEndRequest};
use fupin_ops::{Env, Operation};

use crate::common::{self, CliError, CliResult, Origin, OutputArgs, file_or};

/// The year-end check of each county-level unit's input (M1c) and next year's base weights:
/// units that met the standard × (1 + reward), the others × (1 − penalty), with YOUR parameters
/// (the plan says the result is a basis for next year's allocation, not how; without `--link`
/// nothing changes). `--csv` prints the weights as a base file for `fupin spending allocate`,
/// which ties the same allocation to the spending bulletin (M4).
#[derive(Debug, Args)]
pub struct YearEndArgs {
    /// Plan data of the year checked (default: the embedded 2020 figures).
    #[arg(long, value_name = "FILE")]
    data: Option<PathBuf>,
    /// Policy file (TOML or JSON); default: the embedded 2020 Chaoyang plan.
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
    /// Base weights, CSV with columns `county,base` (amounts: `2500万元` or yuan).
    #[arg(long, value_name = "FILE")]
    base: PathBuf,
    /// Link parameters, TOML or JSON: `basis = "quota"|"quota_and_growth"`, `reward = "5%"`,
    /// `penalty = "10%"`. None by default: no adjustment.
    #[arg(long, value_name = "FILE")]
    link: Option<PathBuf>,
    /// Print only the weights as CSV (`county,base`), for `fupin spending allocate --base`.
    #[arg(long)]
    csv: bool,
    #[command(flatten)]
    output: OutputArgs,
}

/// Run `fupin year-end`.
pub fn run(args: &YearEndArgs) -> CliResult {
    let data = common::plan_data(args.data.as_ref())?;
    let hint = |p| {
        let data = args.data.as_deref().zip(data.as_ref());
        common::year_hint(p, data, "--data", "--policy", args.policy.is_some())
    };
    let request = YearEndRequest {
        base: common::read_doc::<BaseWeights>(&args.base)?.0,
        link: args
            .link
            .as_ref()
            .map(|l| common::read_doc(l))
            .transpose()?,
        data: data.clone(),
        policy: common::policy(args.policy.as_ref())?,
    };
    let origins = [
        ("base", Origin::File(args.base.clone())),
        ("data", file_or(args.data.as_ref(), "the embedded data")),
        (
            "policy",
            file_or(args.policy.as_ref(), "the embedded policy"),
        ),
    ];
    let printing = args.output.print(args.output.format);
    let env = Env::new();
    if !args.csv {
        return common::run_with::<YearEnd>(&env, request, &printing, &origins, hint);
    }
    // The weights alone, as a base file for `fupin spending allocate --base`.
    let w = YearEnd::run(&env, request)
        .map_err(|p| CliError::from(common::locate(hint(p), &origins)))?;
    common::write_out(&w.to_csv())?;
    Ok(std::process::ExitCode::SUCCESS)
}
