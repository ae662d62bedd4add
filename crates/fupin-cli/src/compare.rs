//! `fupin compare`: what-if — the same figures under two policies, a policy and its overrides,
//! or two years; which checks flip, by how much the values move, which scores and ranks change.

use std::path::PathBuf;

use clap::Args;
use fupin_ops::Env;
use fupin_ops::ops::years::{Compare, ScenarioRequest};

use crate::common::{self, CliResult, Origin, OutputArgs, file_or};

/// Compare two sides and list what changes: every check that flips (✓→✗, ✗→✓) or whose value
/// moves, with the change in yuan or percentage points; every unit whose score or rank on a card
/// changes. The second side is the first with `--with` (another policy, or an overlay with
/// `extends = "chaoyang-2020"`), `--set PATH=VALUE` overrides, and/or `--with-data` (another
/// year's figures, e.g. examples/chaoyang_2021_data.toml, with `--with` that year's policy, e.g.
/// examples/policy_2021.toml: each side's data must be of its policy's year).
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The first side's policy; default: the embedded 2020 Chaoyang plan.
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
    /// The second side's policy (a whole policy, or an overlay); default: the first side's.
    #[arg(long, value_name = "FILE")]
    with: Option<PathBuf>,
    /// Change one value of the second side's policy, e.g. `funds.quota.county=3000万元` or
    /// `tasks.tasks[t3.factories].target.count.value=41`. Repeatable.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    sets: Vec<String>,
    /// The first side's plan data; default: the embedded 2020 figures.
    #[arg(long, value_name = "FILE")]
    data: Option<PathBuf>,
    /// The second side's plan data (another year: give that year's policy with `--with`);
    /// default: the first side's.
    #[arg(long = "with-data", value_name = "FILE")]
    with_data: Option<PathBuf>,
    /// Task-table figures (as `fupin tasks check` reads them), checked on both sides.
    #[arg(long, value_name = "FILE")]
    tasks: Option<PathBuf>,
    /// Units' scores per card (as `fupin assess` reads them), scored and ranked on both sides.
    #[arg(long, value_name = "FILE")]
    units: Option<PathBuf>,
    #[command(flatten)]
    output: OutputArgs,
    /// Exit with status 1 when any check that passes on the first side fails on the second.
    #[arg(long)]
    strict: bool,
}

/// Run `fupin compare`.
pub fn run(args: &CompareArgs) -> CliResult {
    let data = common::plan_data(args.data.as_ref())?;
    let with_data = common::plan_data(args.with_data.as_ref())?;
    // Each side's data must be of its policy's year: the hint names that side's options.
    let with_file = args.with_data.as_ref().or(args.data.as_ref());
    let hint = |p: fupin_ops::Problem| {
        if p.member() == Some("with_data") {
            let d = with_file
                .map(PathBuf::as_path)
                .zip(with_data.as_ref().or(data.as_ref()));
            common::year_hint(p, d, "--with-data", "--with", args.with.is_some())
        } else {
            let d = args.data.as_deref().zip(data.as_ref());
            common::year_hint(p, d, "--data", "--policy", args.policy.is_some())
        }
    };
    let request = ScenarioRequest {
        policy: common::policy(args.policy.as_ref())?,
        with: args
            .with
            .as_ref()
            .map(|w| common::policy(Some(w)))
            .transpose()?,
        set: args.sets.clone(),
        data: data.clone(),
        with_data: with_data.clone(),
        tasks: args
            .tasks
            .as_ref()
            .map(|t| common::read_doc(t))
            .transpose()?,
        units: args
            .units
            .as_ref()
            .map(|u| common::read_doc(u))
            .transpose()?,
    };
    let origins = [
        ("set", Origin::Named("--set".into())),
        (
            "policy",
            file_or(args.policy.as_ref(), "the embedded policy"),
        ),
        ("with", file_or(args.with.as_ref(), "--with")),
        ("data", file_or(args.data.as_ref(), "the embedded data")),
        ("with_data", file_or(with_file, "the embedded data")),
    ];
    let printing = args.output.print(args.output.format).strict(args.strict);
    common::run_with::<Compare>(&Env::new(), request, &printing, &origins, hint)
}
