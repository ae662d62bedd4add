//! `fupin assess`: each unit's whole assessment — cards A and B held separately, who assesses
//! each, the one-vote veto on the unit, one ranking per card, the results' status (annex 2,
//! 考核方式 and 结果运用).

use std::path::PathBuf;

use clap::Args;
use fupin::assessment::UnitsInput;
use fupin_ops::Env;
use fupin_ops::input::Readable;
use fupin_ops::ops::assessment::{Assess, AssessRequest};

use crate::common::{self, CliResult, Origin, OutputArgs, file_or};

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
    let input = common::read_main(UnitsInput::KIND, &args.input)?;
    let request = AssessRequest {
        input: UnitsInput::read(&input)?,
        policy: common::policy(args.policy.as_ref())?,
    };
    let origins = [
        ("input", Origin::File(args.input.clone())),
        (
            "policy",
            file_or(args.policy.as_ref(), "the embedded policy"),
        ),
    ];
    let printing = args.output.print(args.output.format).strict(args.strict);
    let printing = printing
        .explain(args.explain)
        .source(&args.input, Some(&input));
    common::run::<Assess>(&Env::new(), request, &printing, &origins)
}
