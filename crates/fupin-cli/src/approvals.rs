//! `fupin approvals`: replay and verify approval-chain event logs (M6, M8, task 8).
//!
//! A log is JSON Lines, one [`fupin::audit::Event`] a line, as `examples/approvals_2020.jsonl`.
//! `verify` checks the hash chain (exit 1 naming the tampered line); `replay` runs the rules over
//! the events and prints every project's state (exit 1 naming the first illegal event). A line
//! that is not an event exits 2, naming the file and the line.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};
use fupin::Lang;
use fupin::approval::ProjectApproval;
use fupin::audit::{self, Event};
use fupin::render::{Align, Table};

use crate::common::{self, CliError, CliResult, LangArg};

/// Replay or verify an approval-chain event log.
#[derive(Debug, Args)]
pub struct ApprovalsArgs {
    #[command(subcommand)]
    command: ApprovalsCommand,
}

#[derive(Debug, Subcommand)]
enum ApprovalsCommand {
    /// Rebuild every project's state from an event log by running the rules of the approval
    /// chain (入库 → 乡申报 → 县审核 → 市复核 → 安排资金 → 批准实施). Prints each project's state,
    /// and the first event the rules refuse (exit 1). Hashes are not checked: run `verify`.
    Replay {
        /// Event log, JSON Lines.
        file: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ReplayFormat::Text)]
        format: ReplayFormat,
        /// Language of labels and messages.
        #[arg(long, value_enum, default_value_t = LangArg::Zh)]
        lang: LangArg,
        /// Policy file (TOML or JSON) whose `[approval]` rules and project guard apply; default:
        /// the embedded 2020 policy.
        #[arg(long, value_name = "FILE")]
        policy: Option<PathBuf>,
    },
    /// Check the log's SHA-256 hash chain: exit 0 with the chain's head, 1 naming the first
    /// edited, removed, inserted or reordered event, 2 for a line that is not an event.
    Verify {
        /// Event log, JSON Lines.
        file: PathBuf,
        /// The head hash recorded elsewhere: also detects events removed from or added to the end.
        #[arg(long, value_name = "HASH")]
        head: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ReplayFormat::Text)]
        format: ReplayFormat,
        /// Language of the message about a broken chain.
        #[arg(long, value_enum, default_value_t = LangArg::Zh)]
        lang: LangArg,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ReplayFormat {
    Text,
    Json,
}

/// Run `fupin approvals …`.
pub fn run(args: &ApprovalsArgs) -> CliResult {
    match &args.command {
        ApprovalsCommand::Replay {
            file,
            format,
            lang,
            policy,
        } => replay(file, *format, (*lang).into(), policy.as_ref()),
        ApprovalsCommand::Verify {
            file,
            head,
            format,
            lang,
        } => verify(file, head.as_deref(), *format, (*lang).into()),
    }
}

fn load(path: &Path) -> Result<Vec<Event>, CliError> {
    let (text, _) = common::read_main_input(path, &[fupin_io::Format::Jsonl])?;
    audit::from_jsonl(&text).map_err(|e| CliError::file(path, e))
}

fn rule_failed(path: &Path, message: impl std::fmt::Display) -> CliError {
    CliError {
        code: common::RULE_FAILED,
        ..CliError::in_file(path, message)
    }
}

fn verify(path: &Path, head: Option<&str>, format: ReplayFormat, lang: Lang) -> CliResult {
    let events = load(path)?;
    let out = fupin_contract::output::verify(&events, head, lang);
    if format == ReplayFormat::Json {
        common::print_json(&out)?;
    }
    match (&out.error, &out.head) {
        (Some(e), _) => Err(rule_failed(path, &e.message)),
        (None, Some(hash)) => {
            if format == ReplayFormat::Text {
                outln!(
                    "{}: ok — {} events, head {hash}",
                    path.display(),
                    out.events
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        (None, None) => Err(rule_failed(path, "the chain has no head")),
    }
}

fn mark(done: bool) -> String {
    if done { "✓" } else { "✗" }.to_owned()
}

fn table(states: &[&ProjectApproval], lang: Lang) -> Table {
    let zh = lang == Lang::Zh;
    let h = |z: &'static str, e: &'static str| if zh { z } else { e };
    let mut t = Table::new(vec![
        (h("项目", "project"), Align::Left),
        (h("县", "county"), Align::Left),
        (h("乡镇", "township"), Align::Left),
        (h("阶段", "stage"), Align::Left),
        (h("申请", "requested"), Align::Right),
        (h("核定", "approved"), Align::Right),
        (h("安排", "arranged"), Align::Right),
        (h("审核", "rev."), Align::Left),
        (h("备案", "filed"), Align::Left),
        (h("公开", "publ."), Align::Left),
    ]);
    let amount = |a: Option<fupin::Amount>| {
        a.map_or_else(
            || "-".to_owned(),
            |a| a.display_in(fupin::Unit::Wan, lang).to_string(),
        )
    };
    for s in states {
        t.row(vec![
            s.project.id.clone(),
            s.project.county.clone(),
            s.project.township.clone(),
            s.stage.label().get(lang).to_owned(),
            amount(Some(s.project.requested)),
            amount(s.approved),
            amount(s.arranged),
            mark(s.targets.reviewed.is_some()),
            mark(s.targets.filed.is_some()),
            mark(s.targets.published.is_some()),
        ]);
    }
    t
}

fn replay(path: &Path, format: ReplayFormat, lang: Lang, policy: Option<&PathBuf>) -> CliResult {
    let policy = common::load_policy(policy)?;
    let events = load(path)?;
    let r = fupin_contract::output::replay(&events, &policy, lang);
    match format {
        ReplayFormat::Json => common::print_json(&r)?,
        ReplayFormat::Text => {
            let states: Vec<_> = r.projects.values().collect();
            out!("{}", table(&states, lang).to_text());
            outln!(
                "{}",
                if lang == Lang::Zh {
                    "本库规则（方案未作规定，可在政策文件 [approval] 中修改）："
                } else {
                    "Library rules (not the plan's; set them in the policy's [approval] section):"
                }
            );
            for l in policy.approval.library_rules() {
                outln!("  {}", l.get(lang));
            }
        }
    }
    match r.error {
        Some(e) => Err(rule_failed(path, e.message)),
        None => Ok(ExitCode::SUCCESS),
    }
}
