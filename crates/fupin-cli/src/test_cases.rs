//! `fupin test`: run policy case files (an input and the outcome expected per clause) against a
//! policy — the way a policy officer pins the rules.

use std::path::{Path, PathBuf};

use clap::Args;
use fupin_ops::Env;
use fupin_ops::ops::cases::{CaseFileArg, Test, TestRequest};

use crate::common::{self, CliError, CliResult, Origin, OutputArgs, file_or};

/// Run case files against a policy: each case starts from the embedded plan data (changing what
/// it needs), may add task figures and units' scores, and says what it expects of each check or
/// score. Exit 0 when every case holds, 1 when any does not, 2 for a file that cannot be read.
/// examples/cases/ holds the plan's own figures as cases.
#[derive(Debug, Args)]
pub struct TestArgs {
    /// Case files (TOML with `[[cases]]`), or directories of them (every `*.toml`, recursively).
    #[arg(required = true, value_name = "CASES")]
    paths: Vec<PathBuf>,
    /// The policy under test (TOML or JSON; an overlay with `extends` works); default: the
    /// embedded 2020 Chaoyang plan.
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
    /// Change one parameter of the policy under test (repeatable), e.g.
    /// `--set tasks.factories.employment_min=59`: the cases that pin that number fail.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    sets: Vec<String>,
    #[command(flatten)]
    output: OutputArgs,
}

/// The case files under `path` (itself, or every `*.toml` below a directory), sorted.
fn collect(path: &Path, out: &mut Vec<PathBuf>, depth: usize) -> Result<(), CliError> {
    if path.is_dir() {
        if depth > 16 {
            return Err(CliError::in_file(path, "directories nested too deep"));
        }
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|e| CliError::in_file(path, format!("cannot read the directory: {e}")))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for e in entries {
            if e.is_dir() || e.extension().is_some_and(|x| x == "toml") {
                collect(&e, out, depth + 1)?;
            }
        }
    } else {
        out.push(path.to_owned());
    }
    Ok(())
}

/// Run `fupin test`.
pub fn run(args: &TestArgs) -> CliResult {
    let mut paths = Vec::new();
    for p in &args.paths {
        collect(p, &mut paths, 0)?;
    }
    if paths.is_empty() {
        return Err(CliError::input("no case files (*.toml) found"));
    }
    let files = paths
        .iter()
        .map(|p| {
            Ok(CaseFileArg {
                name: p.display().to_string(),
                file: common::read_doc(p)?,
            })
        })
        .collect::<Result<Vec<_>, CliError>>()?;
    let request = TestRequest {
        files,
        policy: common::policy(args.policy.as_ref())?,
        set: args.sets.clone(),
    };
    let origins = [
        ("set", Origin::Named("--set".into())),
        (
            "policy",
            file_or(args.policy.as_ref(), "the embedded policy"),
        ),
    ];
    let printing = args.output.print(args.output.format);
    common::run::<Test>(&Env::new(), request, &printing, &origins)
}
