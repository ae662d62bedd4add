//! `fupin tasks`: the task table's completions, card A's annual points, and the T3/T10 checks.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use fupin_ops::Env;
use fupin_ops::input::Kind;
use fupin_ops::ops::tasks::{TasksCheck, TasksRequest};

use crate::common::{self, CliResult, Origin, OutputArgs, file_or};

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
    let input = common::read_main(Kind::TasksInput, &args.input)?;
    let request = TasksRequest {
        input: input.tasks_input()?,
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
    common::run::<TasksCheck>(&Env::new(), request, &printing, &origins)
}
