//! `fupin report`: every funds and integration check of one year (G1–G3, M1–M3, task 8).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use fupin::data::PlanData;

use crate::common::{self, CliError, CliResult, Format, OutputArgs};

/// Check a year's fund figures against the plan: input growth, county quotas and the budget
/// adjustment owed, upward funds, integration ratio. With no arguments it runs the embedded
/// 2020 Chaoyang plan and figures.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Policy file (TOML, or JSON by extension); default: the embedded 2020 Chaoyang plan.
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
    /// Plan data file (TOML, or JSON by extension); default: the embedded 2020 figures.
    #[arg(long, value_name = "FILE")]
    data: Option<PathBuf>,
    #[command(flatten)]
    output: OutputArgs,
    /// Exit with status 1 when any check fails.
    #[arg(long)]
    strict: bool,
}

fn load_data(path: Option<&PathBuf>) -> Result<PlanData, CliError> {
    let Some(path) = path else {
        return Ok(PlanData::chaoyang_2020());
    };
    let (text, format) = common::read_input(path, common::TOML_OR_JSON)?;
    let data = if format == fupin_io::Format::Json {
        PlanData::from_json(&text)
    } else {
        PlanData::from_toml(&text)
    };
    data.map_err(|e| CliError::file(path, e))
}

/// Run `fupin report`.
pub fn run(args: &ReportArgs) -> CliResult {
    let policy = common::load_policy(args.policy.as_ref())?;
    let data = load_data(args.data.as_ref())?;
    let report = fupin::report::report(&policy, &data)?;
    let lang = args.output.lang.into();
    match args.output.format {
        Format::Json => args.output.emit_text(&fupin_contract::to_json(&report))?,
        Format::Text => args.output.emit_text(&report.to_text(lang))?,
        Format::Markdown => args.output.emit_text(&report.to_markdown(lang))?,
        Format::Xlsx => args.output.emit_workbook(
            &fupin_xlsx::write::report(&report, lang).map_err(|e| common::xlsx_error(&e))?,
        )?,
    }
    Ok(ExitCode::from(if args.strict && !report.passed() {
        common::RULE_FAILED
    } else {
        common::OK
    }))
}
