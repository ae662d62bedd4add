//! `fupin tasks`: the task table's completions, card A's annual points, and the T3/T10 checks.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use fupin::tasks::{self, TasksInput};

use crate::common::{self, CliError, CliResult, Format, OutputArgs};

/// Task-table targets (annex 2, tasks 2–10) and their rule checks.
#[derive(Debug, Args)]
pub struct TasksArgs {
    #[command(subcommand)]
    command: TasksCommand,
}

#[derive(Debug, Subcommand)]
enum TasksCommand {
    /// Check reported figures: each task's completion, card A's annual-target points (by the
    /// library's stated default rule) and the over-completion for its bonus, and the rule checks
    /// (social assistance, training, factories, village collective economy).
    Check(CheckArgs),
}

#[derive(Debug, Args)]
struct CheckArgs {
    /// Reported figures (JSON or TOML): `actuals`, `social_assistance`,
    /// `training`, `factories`, `villages` — each optional; or a workbook of the task actuals,
    /// one row per task (任务 — id or name — and 实际完成, a money task with its unit).
    #[arg(long, value_name = "FILE")]
    input: PathBuf,
    /// Policy file (TOML or JSON); default: the embedded 2020 Chaoyang plan.
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
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

/// Run `fupin tasks …`.
pub fn run(args: &TasksArgs) -> CliResult {
    let TasksCommand::Check(args) = &args.command;
    args.output.text_only("fupin tasks check")?;
    let policy = common::load_policy(args.policy.as_ref())?;
    let formats = [
        fupin_io::Format::Json,
        fupin_io::Format::Toml,
        fupin_io::Format::Workbook,
    ];
    let main = common::read_main(&args.input, &formats)?;
    let read_as = match &main {
        common::Input::Workbook(_) => None,
        common::Input::Text(_, format) => Some(*format),
    };
    let input = match main {
        // A workbook holds the task actuals: one row per task.
        common::Input::Workbook(bytes) => Ok(TasksInput {
            name: args.input.display().to_string(),
            actuals: fupin_xlsx::Workbook::from_bytes("task actuals", &bytes)
                .and_then(|book| fupin_xlsx::read_task_actuals(&book, &policy.tasks.tasks))
                .map_err(|e| common::workbook_error(&args.input, &e))?,
            ..TasksInput::default()
        }),
        common::Input::Text(text, fupin_io::Format::Toml) => TasksInput::from_toml(&text),
        common::Input::Text(text, _) => TasksInput::from_json(&text),
    }
    .map_err(|e| CliError::file(&args.input, e))?;
    let report = tasks::check_tasks(&policy, &input).map_err(|e| CliError::file(&args.input, e))?;
    let lang = args.output.lang.into();
    match args.output.format {
        Format::Json => common::print_json(&report)?,
        Format::Text => out!("{}", report.to_text(lang)),
        Format::Markdown | Format::Xlsx => out!("{}", report.to_markdown(lang)),
    }
    if matches!(args.output.format, Format::Text | Format::Markdown) {
        goals_not_given(&policy, &input, read_as, lang)?;
    }
    if args.explain && args.output.format != Format::Json {
        crate::explain::checks(&report.checks, lang)?;
    }
    Ok(ExitCode::from(if args.strict && !report.passed() {
        common::RULE_FAILED
    } else {
        common::OK
    }))
}

/// The plan's goals (P, M0, T3, T6) the figures say nothing about: named with their number, so
/// a reader sees where 7,088 people and the other goals are checked.
fn goals_not_given(
    policy: &fupin::Policy,
    input: &TasksInput,
    read_as: Option<fupin_io::Format>,
    lang: fupin::Lang,
) -> Result<(), CliError> {
    let missing: Vec<&fupin::goals::Goal> = policy
        .goals
        .iter()
        .filter(|g| !input.goals.contains_key(&g.id))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let example = match read_as {
        Some(fupin_io::Format::Toml) => {
            "[goals]\n\"P.lifted_out\" = { actual = \"7100\" }\n\"T3.poor_housing_all\" = { done = 850, of = 850 }"
        }
        Some(_) => {
            "\"goals\": {\"P.lifted_out\": {\"actual\": \"7100\"}, \"T3.poor_housing_all\": {\"done\": 850, \"of\": 850}}"
        }
        None => fupin::render::tr(
            lang,
            "（工作簿只载任务实际完成数；目标请用 JSON 或 TOML 文件的 goals 给出）",
            "(a workbook carries the task actuals only: give goals under `goals` in a JSON or TOML file)",
        ),
    };
    outln!(
        "\n{}",
        fupin::render::tr(
            lang,
            "未给出数字、因此未检查的方案目标：",
            "Goals of the plan not checked, as the figures give none:"
        )
    );
    for g in missing {
        outln!(
            "  {} {}  {}  {}",
            g.clause,
            g.clause.section(),
            g.id,
            g.describe(lang)
        );
    }
    outln!(
        "{}\n{example}",
        fupin::render::tr(
            lang,
            "在输入中给出，例如：",
            "Give them in the input, e.g.:"
        )
    );
    Ok(())
}
