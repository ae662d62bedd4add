//! `fupin report`: every funds and integration check of one year (G1–G3, M1–M3, task 8).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use fupin::data::PlanData;
use fupin::years;

use crate::common::{self, CliError, CliResult, Format, OutputArgs};

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

/// The plan data of `--data FILE` (TOML or JSON), or the embedded 2020 figures.
/// A file with `last_year_from = "2020"` (or a path, relative to the file) takes the last-year
/// figures it leaves out from that year's data.
pub(crate) fn load_data(path: Option<&PathBuf>) -> Result<PlanData, CliError> {
    match path {
        None => Ok(PlanData::chaoyang_2020()),
        Some(path) => load_data_file(path, 0),
    }
}

fn load_data_file(path: &Path, depth: usize) -> Result<PlanData, CliError> {
    let (text, format) = common::read_input(path, common::TOML_OR_JSON)?;
    let json = format == fupin_io::Format::Json;
    let reference = years::prior_reference(&text, json).map_err(|e| CliError::file(path, e))?;
    let prior = match reference {
        None => None,
        Some(r) => Some(match years::embedded_data(&r) {
            Some(d) => d,
            None if depth >= 8 => {
                return Err(CliError::in_file(
                    path,
                    "last_year_from: more than 8 years chained",
                ));
            }
            None => {
                let file = path.parent().unwrap_or(Path::new(".")).join(&r);
                load_data_file(&file, depth + 1)?
            }
        }),
    };
    years::with_prior(&text, json, prior.as_ref()).map_err(|e| CliError::file(path, e))
}

/// The options of a command that give a side's plan data and policy, for [`check_year`]'s hint.
pub(crate) struct YearFlags<'a> {
    /// The option that gives the data (`--data`, `--with-data`).
    pub data: &'a str,
    /// The option that gives the policy (`--policy`, `--with`).
    pub policy: &'a str,
    /// Whether the user gave that policy (otherwise it is the embedded one).
    pub policy_given: bool,
}

/// Refuse plan data of another year than the policy's (`PlanData::check_year`, code
/// `year_mismatch`): figures of one year judged by the thresholds of another would be misread.
/// When the policy is the embedded one, the message says how to give the data's year a policy
/// (an overlay, as examples/policy_2021.toml); when the data are the embedded ones, which option
/// gives the policy's year its data.
pub(crate) fn check_year(
    policy: &fupin::Policy,
    data: &PlanData,
    data_path: Option<&Path>,
    flags: YearFlags<'_>,
) -> Result<(), CliError> {
    data.check_year(policy.meta.year)
        .map_err(|e| match data_path {
            Some(path) if !flags.policy_given => {
                let mut e = CliError::file(path, e);
                e.message.push_str(&format!(
                    " — for {0}, pass a policy of {0} with {1}: an overlay of the embedded plan is \
                 enough (`extends = \"chaoyang-2020\"` and `[meta] year = {0}`, as in \
                 examples/policy_2021.toml)",
                    data.meta.year, flags.policy
                ));
                e
            }
            Some(path) => CliError::file(path, e),
            None => CliError::from(fupin::Error::from(e)).prefixed(&format!(
                "the embedded {} data (give {} for the policy's year)",
                data.meta.year, flags.data
            )),
        })
}

/// Run `fupin report`.
pub fn run(args: &ReportArgs) -> CliResult {
    let policy = common::load_policy(args.policy.as_ref())?;
    let data = load_data(args.data.as_ref())?;
    check_year(
        &policy,
        &data,
        args.data.as_deref(),
        YearFlags {
            data: "--data",
            policy: "--policy",
            policy_given: args.policy.is_some(),
        },
    )?;
    let report = fupin::report::report(&policy, &data)?;
    let lang = args.output.lang.into();
    match args.output.format {
        Format::Json => args.output.emit_text(&fupin_ops::to_json(&report))?,
        Format::Text => args.output.emit_text(&report.to_text(lang))?,
        Format::Markdown => args.output.emit_text(&report.to_markdown(lang))?,
        Format::Xlsx => args.output.emit_workbook(
            &fupin_xlsx::write::report(&report, lang).map_err(|e| common::xlsx_error(&e))?,
        )?,
    }
    if args.explain && args.output.format != Format::Json {
        crate::explain::checks(&report.checks, args.output.lang.into())?;
    }
    Ok(ExitCode::from(if args.strict && !report.passed() {
        common::RULE_FAILED
    } else {
        common::OK
    }))
}
