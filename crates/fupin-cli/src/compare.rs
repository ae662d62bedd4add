//! `fupin compare`: what-if — the same figures under two policies, a policy and its overrides,
//! or two years; which checks flip, by how much the values move, which scores and ranks change.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use fupin::assessment::UnitsInput;
use fupin::compare::{self, Scenario};
use fupin::tasks::TasksInput;

use crate::common::{self, CliError, CliResult, Format, OutputArgs};
use crate::report::YearFlags;

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

fn side_name(policy: &fupin::Policy, data: &fupin::data::PlanData, extra: &[String]) -> String {
    let mut name = format!("{} · {}", policy.meta.name, data.meta.name);
    if !extra.is_empty() {
        name.push_str(&format!(" + {}", extra.join(", ")));
    }
    name
}

/// Run `fupin compare`.
pub fn run(args: &CompareArgs) -> CliResult {
    args.output.text_only("compare")?;
    let before = common::load_policy(args.policy.as_ref())?;
    let after = match &args.with {
        Some(path) => common::load_policy(Some(path))?,
        None => before.clone(),
    };
    let sets = args
        .sets
        .iter()
        .map(|s| fupin::overlay::parse_set(s))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| CliError::input(e.to_string()))?;
    let after = after
        .with_overrides(&sets)
        .map_err(|e| CliError::input(format!("--set: {e}")))?;
    let data = crate::report::load_data(args.data.as_ref())?;
    let with_data = match &args.with_data {
        Some(path) => crate::report::load_data(Some(path))?,
        None => data.clone(),
    };
    // Each side's data must be of its policy's year, as for `fupin report`.
    crate::report::check_year(
        &before,
        &data,
        args.data.as_deref(),
        YearFlags {
            data: "--data",
            policy: "--policy",
            policy_given: args.policy.is_some(),
        },
    )?;
    crate::report::check_year(
        &after,
        &with_data,
        args.with_data.as_deref().or(args.data.as_deref()),
        YearFlags {
            data: "--with-data",
            policy: "--with",
            policy_given: args.with.is_some(),
        },
    )?;
    let tasks = match &args.tasks {
        Some(path) => {
            let (text, format) = common::read_input(path, common::TOML_OR_JSON)?;
            let input = if format == fupin_io::Format::Toml {
                TasksInput::from_toml(&text)
            } else {
                TasksInput::from_json(&text)
            };
            Some(input.map_err(|e| CliError::file(path, e))?)
        }
        None => None,
    };
    let units = match &args.units {
        Some(path) => {
            let (text, format) = common::read_input(path, common::TOML_OR_JSON)?;
            let input = if format == fupin_io::Format::Toml {
                UnitsInput::from_toml(&text)
            } else {
                UnitsInput::from_json(&text)
            };
            Some(input.map_err(|e| CliError::file(path, e))?)
        }
        None => None,
    };
    let side = |name: String, policy, data| Scenario {
        name,
        policy,
        data,
        tasks: tasks.as_ref(),
        units: units.as_ref(),
    };
    let a = compare::evaluate(&side(side_name(&before, &data, &[]), &before, &data))
        .map_err(fupin::Error::from)?;
    let b = compare::evaluate(&side(
        side_name(&after, &with_data, &args.sets),
        &after,
        &with_data,
    ))
    .map_err(fupin::Error::from)?;
    let c = compare::compare(&a, &b);
    let lang = args.output.lang.into();
    match args.output.format {
        Format::Json => common::print_json(&c)?,
        Format::Text => out!("{}", c.to_text(lang)),
        Format::Markdown | Format::Xlsx => out!("{}", c.to_markdown(lang)),
    }
    Ok(ExitCode::from(if args.strict && c.now_failing > 0 {
        common::RULE_FAILED
    } else {
        common::OK
    }))
}
