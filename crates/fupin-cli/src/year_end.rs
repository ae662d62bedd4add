//! `fupin year-end`: M1c's year-end check of county input and the base weights it gives for
//! next year's allocation (三(一): 将达标结果作为2021年分配扶贫资金的重要依据).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use fupin::years::{self, YearEndLink};

use crate::common::{self, CliError, CliResult, Format, OutputArgs};

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
    /// Link parameters, TOML: `basis = "quota"|"quota_and_growth"`, `reward = "5%"`,
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
    args.output.text_only("year-end")?;
    let policy = common::load_policy(args.policy.as_ref())?;
    let data = crate::report::load_data(args.data.as_ref())?;
    let (base, _) = common::read_input(&args.base, &[fupin_io::Format::Csv])?;
    let base = fupin::spending::allocation::base_from_csv(&base)
        .map_err(|e| CliError::file(&args.base, e))?;
    let link = match &args.link {
        Some(path) => {
            let (text, _) = common::read_input(path, &[fupin_io::Format::Toml])?;
            YearEndLink::from_toml(&text).map_err(|e| CliError::file(path, e))?
        }
        None => YearEndLink::default(),
    };
    let w = years::year_end_weights(&policy, &data, &base, &link)
        .map_err(|e| CliError::file(&args.base, e))?;
    if args.csv {
        out!("{}", w.to_csv());
    } else if args.output.format == Format::Json {
        common::print_json(&w)?;
    } else {
        out!("{}", w.to_text(args.output.lang.into()));
    }
    Ok(ExitCode::from(common::OK))
}
