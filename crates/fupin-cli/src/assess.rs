//! `fupin assess`: each unit's whole assessment — cards A and B held separately, who assesses
//! each, the one-vote veto on the unit, one ranking per card, the results' status (annex 2,
//! 考核方式 and 结果运用).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use fupin::assessment::{self, Outcome, UnitsInput};

use crate::common::{self, CliError, CliResult, Format, OutputArgs};

/// Assess units (市直部门) on every card they hold: each card is scored and ranked on its own,
/// by the bodies the method names; a unit's veto fails each of its cards; `status` says which
/// step the results have reached (summarised → executive meeting → standing committee).
#[derive(Debug, Args)]
pub struct AssessArgs {
    /// The units: JSON or TOML, `{"status": "summarised", "units": [{"unit": …,
    /// "cards": {"a": {"items": …, "bonuses": …}, "b": {…}}, "veto": {"reason": …}}]}`.
    #[arg(long, value_name = "FILE")]
    input: PathBuf,
    /// Policy file (TOML or JSON); default: the embedded 2020 Chaoyang plan.
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
    #[command(flatten)]
    output: OutputArgs,
    /// Show the plan's words on how the cards are assessed and the results used.
    #[arg(long)]
    explain: bool,
    /// Exit with status 1 when any unit is vetoed.
    #[arg(long)]
    strict: bool,
}

/// Run `fupin assess`.
pub fn run(args: &AssessArgs) -> CliResult {
    args.output.text_only("assess")?;
    let policy = common::load_policy(args.policy.as_ref())?;
    let (text, format) = common::read_main_input(&args.input, common::TOML_OR_JSON)?;
    let input = if format == fupin_io::Format::Toml {
        UnitsInput::from_toml(&text)
    } else {
        UnitsInput::from_json(&text)
    }
    .map_err(|e| CliError::file(&args.input, e))?;
    let r = assessment::assess_units(&policy.assessment, &input)
        .map_err(|e| CliError::file(&args.input, e))?;
    let lang = args.output.lang.into();
    match args.output.format {
        Format::Json => common::print_json(&r)?,
        Format::Text => out!("{}", r.to_text(lang)),
        Format::Markdown | Format::Xlsx => out!("{}", r.to_markdown(lang)),
    }
    if args.explain && args.output.format != Format::Json {
        outln!();
        for key in ["assessment.method", "assessment.results"] {
            if let Some(words) = policy.clause_text(key, None, fupin::ClauseId::A) {
                crate::explain::words(words, lang)?;
            }
        }
    }
    let vetoed = r.units.iter().any(|u| u.outcome == Outcome::Vetoed);
    Ok(ExitCode::from(if args.strict && vetoed {
        common::RULE_FAILED
    } else {
        common::OK
    }))
}
