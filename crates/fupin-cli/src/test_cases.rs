//! `fupin test`: run policy case files (an input and the outcome expected per clause) against a
//! policy — the way a policy officer pins the rules.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use fupin::cases::{self, CaseFile, CaseResult};
use serde::Serialize;

use crate::common::{self, CliError, CliResult, Format, OutputArgs};

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

#[derive(Serialize)]
struct FileResult {
    file: String,
    cases: Vec<CaseResult>,
}

#[derive(Serialize)]
struct Output<'a> {
    policy: &'a str,
    cases: usize,
    failed: usize,
    files: &'a [FileResult],
}

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
    args.output.text_only("test")?;
    let sets = args
        .sets
        .iter()
        .map(|s| fupin::overlay::parse_set(s))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| CliError::input(e.to_string()))?;
    let policy = common::load_policy(args.policy.as_ref())?
        .with_overrides(&sets)
        .map_err(|e| CliError::input(format!("--set: {e}")))?;
    let policy_name = if args.sets.is_empty() {
        policy.meta.name.clone()
    } else {
        format!("{} + {}", policy.meta.name, args.sets.join(", "))
    };
    let mut files = Vec::new();
    for p in &args.paths {
        collect(p, &mut files, 0)?;
    }
    if files.is_empty() {
        return Err(CliError::input("no case files (*.toml) found"));
    }
    let mut results = Vec::new();
    for path in &files {
        let (text, _) = common::read_input(path, &[fupin_io::Format::Toml])?;
        let file = CaseFile::from_toml(&text).map_err(|e| CliError::file(path, e))?;
        results.push(FileResult {
            file: path.display().to_string(),
            cases: cases::run_file(&policy, &file),
        });
    }
    let total: usize = results.iter().map(|f| f.cases.len()).sum();
    let failed = results
        .iter()
        .flat_map(|f| &f.cases)
        .filter(|c| !c.passed())
        .count();
    let lang: fupin::Lang = args.output.lang.into();
    if args.output.format == Format::Json {
        common::print_json(&Output {
            policy: &policy_name,
            cases: total,
            failed,
            files: &results,
        })?;
    } else {
        for f in &results {
            outln!("{}", f.file);
            for c in &f.cases {
                outln!("  {} {}", if c.passed() { "✓" } else { "✗" }, c.name);
                if let Some(e) = &c.error {
                    outln!("      {}: {e}", tr(lang, "无法运行", "cannot run"));
                }
                for e in c.expectations.iter().filter(|e| !e.passed) {
                    outln!(
                        "      {} {} — {} {}",
                        tr(lang, "预期", "expected"),
                        e.what,
                        tr(lang, "实际", "found"),
                        e.found.as_deref().unwrap_or("")
                    );
                }
            }
        }
        outln!(
            "{}",
            match lang {
                fupin::Lang::Zh => format!(
                    "政策：{policy_name}。共 {total} 个案例：{} 个通过，{failed} 个未通过。",
                    total - failed
                ),
                fupin::Lang::En => format!(
                    "Policy: {policy_name}. {total} cases: {} passed, {failed} failed.",
                    total - failed
                ),
            }
        );
    }
    Ok(ExitCode::from(if failed > 0 {
        common::RULE_FAILED
    } else {
        common::OK
    }))
}

fn tr(lang: fupin::Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        fupin::Lang::Zh => zh,
        fupin::Lang::En => en,
    }
}
