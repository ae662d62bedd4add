//! `fupin score`: score units on scorecard A, B or a card file, and rank them (annex 2,
//! assessment method).

use std::path::{Path, PathBuf};

use clap::Args;
use fupin::assessment::Scorecard;
use fupin_ops::input::{CardArg, Kind};
use fupin_ops::ops::assessment::{Score, ScoreRequest};
use fupin_ops::{Env, PolicyArg};

use crate::common::{self, CliError, CliResult, Origin, OutputArgs, file_or};

/// Score one or more units on a scorecard and rank them. Every line is explained: item points
/// against their maxima, each bonus line raw and capped, the bonus total capped, the one-vote
/// veto. A score above its maximum, negative, above a discretionary cap or for an unknown item
/// is refused (exit 2) naming the item — never clamped.
#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// The card: `a` (industry work), `b` (stationing, contracting and pairing) — ids of the
    /// policy's cards — or a card file (TOML or JSON, told by its content; `-` reads standard
    /// input).
    #[arg(long, value_name = "a|b|FILE")]
    card: String,
    /// The units' scores: a JSON object or an array of objects
    /// (`{"unit": …, "items": {id: "points"}, "bonuses": {id: {"completion"|"counts"|"points": …}},
    /// "veto": {"reason": …}}`), or a workbook (.xlsx, .xls, .ods) with a row per unit: 单位, a
    /// column per item and bonus input named by its id or label, 一票否决 (see
    /// examples/score_a.xlsx).
    #[arg(long, value_name = "FILE")]
    input: PathBuf,
    /// Policy file (TOML or JSON, told by its content); default: the embedded 2020 Chaoyang
    /// plan.
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
    #[command(flatten)]
    output: OutputArgs,
    /// Exit with status 1 when any unit is vetoed.
    #[arg(long)]
    strict: bool,
    /// Score every unit that can be scored and report each refused unit (in `errors` with
    /// `--format json`, on standard error otherwise), exiting 2 if any was refused. The default.
    #[arg(long, conflicts_with = "fail_fast")]
    keep_going: bool,
    /// Stop at the first unit whose scores are refused (exit 2), printing nothing else.
    #[arg(long)]
    fail_fast: bool,
}

/// A card of the policy by id, else a card file.
fn card(arg: &str, env: &Env, policy: &PolicyArg) -> Result<CardArg, CliError> {
    let path = Path::new(arg);
    let is_id = env.policy(policy, "policy")?.assessment.card(arg).is_some();
    if is_id || (arg != "-" && !path.exists()) {
        return Ok(CardArg::Id(arg.to_owned()));
    }
    Ok(CardArg::Inline(Box::new(common::read_doc::<Scorecard>(
        path,
    )?)))
}

/// Run `fupin score`.
pub fn run(args: &ScoreArgs) -> CliResult {
    let env = Env::new();
    let policy = common::policy(args.policy.as_ref())?;
    let input = common::read_main(Kind::ScoreInputs, &args.input)?;
    let request = ScoreRequest {
        card: card(&args.card, &env, &policy)?,
        input: input.score_inputs()?,
        policy,
        fail_fast: args.fail_fast,
    };
    let origins = [
        ("input", Origin::File(args.input.clone())),
        ("card", Origin::Named("--card".into())),
        (
            "policy",
            file_or(args.policy.as_ref(), "the embedded policy"),
        ),
    ];
    let printing = args.output.print(args.output.format).strict(args.strict);
    let printing = printing.source(&args.input, Some(&input));
    common::run::<Score>(&env, request, &printing, &origins)
}
