//! `fupin approvals`: keep, append to, verify and replay approval-chain logs (M6, M8, task 8,
//! G5).
//!
//! A log is a JSON Lines file (`*.jsonl`) or an SQLite database (`*.db`, the store for a
//! running office), one [`fupin::audit::Event`] per line or row. `append` checks a step
//! against the rules on the replayed log, signs it with the actor's key and appends it;
//! `head` prints the log's head to keep elsewhere; `verify` checks hashes, signatures, the
//! registry, the rules and recorded heads (`--anchor`); `replay` does the same, then prints
//! every project's state; `targets` checks each project's performance targets (M8); `query`
//! lists a project's events or a county's projects at a stage. Exit 0 ok, 1 a log that fails
//! its checks (naming the line and the event), 2 bad input (a line that is not an event, a
//! malformed `--head`, a missing file).
//!
//! `verify`, `replay`, `head`, `query` and `targets` are doors onto the operations of
//! `fupin_ops::ops::approvals` (the log read through its store); `append`, `import` and
//! `export` write a store and sign with a private key, so they stay here.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};
use fupin::Lang;
use fupin::approval::{Registry, Stage};
use fupin::audit::{self, AuditError, ChainHead, CheckOptions, Draft, Event};
use fupin::projects::ProjectLibrary;
use fupin_ops::Env;
use fupin_ops::input::Anchors;
use fupin_ops::ops::approvals::{
    ApprovalsHead, ApprovalsQuery, ApprovalsReplay, ApprovalsRequest, ApprovalsTargets,
    ApprovalsVerify, QueryRequest,
};
use fupin_store::{Store, StoreError};

use crate::common::{self, CliError, CliResult, Format, LangArg, Origin, Printing, store_error};

/// Keep, append to, verify and replay an approval-chain log.
#[derive(Debug, Args)]
pub struct ApprovalsArgs {
    #[command(subcommand)]
    command: ApprovalsCommand,
}

/// What every checking subcommand takes.
#[derive(Debug, Args)]
struct CheckArgs {
    /// The registry of actors (TOML or JSON): roles, jurisdictions, public keys, validity.
    /// Needed for a signed log.
    #[arg(long, value_name = "FILE")]
    registry: Option<PathBuf>,
    /// A file of recorded heads (`COUNT HASH` a line, as `fupin approvals head` prints them):
    /// the log must only have grown since each. Repeatable.
    #[arg(long, value_name = "FILE")]
    anchor: Vec<PathBuf>,
    /// Policy file (TOML or JSON) whose `[approval]` rules and project guard apply; default:
    /// the embedded 2020 policy.
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
    /// Accept a log without events (otherwise an error).
    #[arg(long)]
    allow_empty: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReplayFormat::Text)]
    format: ReplayFormat,
    /// Language of labels and messages.
    #[arg(long, value_enum, default_value_t = LangArg::Zh)]
    lang: LangArg,
}

#[derive(Debug, Subcommand)]
enum ApprovalsCommand {
    /// Append one step: check it against the rules on the replayed log with the actor the
    /// registry holds, sign it with the actor's key, chain it and append it atomically (an
    /// appender waits for another; the chain never forks). Creates the log if it does not
    /// exist (`.db`: SQLite, otherwise JSON Lines).
    Append {
        /// The log (`.jsonl` or `.db`).
        log: PathBuf,
        /// The step, JSON: {"project", "action", "actor", "at" (default: now), "comment"}; `-`
        /// reads standard input.
        #[arg(long, value_name = "FILE")]
        event: PathBuf,
        /// The actor's private key file (`fupin keys new`).
        #[arg(long, value_name = "FILE")]
        key: PathBuf,
        /// The registry of actors.
        #[arg(long, value_name = "FILE")]
        registry: PathBuf,
        /// The county's project library (JSON or TOML), for `enter`.
        #[arg(long, value_name = "FILE")]
        library: Option<PathBuf>,
        /// Policy file; default: the embedded 2020 policy.
        #[arg(long, value_name = "FILE")]
        policy: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ReplayFormat::Text)]
        format: ReplayFormat,
        /// Language of messages.
        #[arg(long, value_enum, default_value_t = LangArg::Zh)]
        lang: LangArg,
    },
    /// Print the log's head, `COUNT HASH`, to keep elsewhere (append it to an anchors file).
    /// The hash chain is checked first, and with `--registry` the signatures and rules too.
    Head {
        /// The log.
        log: PathBuf,
        #[command(flatten)]
        check: CheckArgs,
    },
    /// Check a log: hash chain, signatures against the registry, the registry's grants, the
    /// rules, and recorded heads. Exit 0 with the head; 1 naming the first tampered, forged or
    /// illegal event, or the anchor the log no longer holds; 2 for bad input.
    Verify {
        /// The log.
        log: PathBuf,
        /// A head hash recorded elsewhere: the log must end exactly there.
        #[arg(long, value_name = "HASH")]
        head: Option<String>,
        #[command(flatten)]
        check: CheckArgs,
    },
    /// Rebuild every project's state by running the rules of the approval chain (入库 → 乡申报
    /// → 县审核 → 市复核 → 安排资金 → 批准实施), after verifying the log as `verify` does.
    Replay {
        /// The log.
        log: PathBuf,
        /// Skip the hash, signature and anchor checks (the rules still run).
        #[arg(long)]
        unverified: bool,
        #[command(flatten)]
        check: CheckArgs,
    },
    /// Copy a JSON Lines log into a new SQLite database, line for line (`export` gives the
    /// same bytes back). The log is checked first.
    Import {
        /// The JSON Lines log.
        jsonl: PathBuf,
        /// The database to create or fill (must hold no event).
        db: PathBuf,
        #[command(flatten)]
        check: CheckArgs,
    },
    /// Write a log as JSON Lines to standard output, byte for byte as stored.
    Export {
        /// The log.
        log: PathBuf,
    },
    /// The M8 check of each project of a log: its performance targets reviewed by the finance
    /// department, filed with the city leading group and published (on the states the log
    /// replays to, after verifying it as `verify` does).
    Targets {
        /// The log.
        log: PathBuf,
        #[command(flatten)]
        check: CheckArgs,
        /// Exit with status 1 when any project's targets are not reviewed, filed and published.
        #[arg(long)]
        strict: bool,
    },
    /// Query a log: the events of a project, or the projects of a county at a stage.
    Query {
        /// The log.
        log: PathBuf,
        /// A project's events.
        #[arg(long, conflicts_with_all = ["county", "stage"])]
        project: Option<String>,
        /// The county whose projects to list (with --stage).
        #[arg(long, requires = "stage")]
        county: Option<String>,
        /// The stage: in_library, applied, reviewed, rechecked, funds_arranged, approved,
        /// returned, rejected, withdrawn.
        #[arg(long, requires = "county")]
        stage: Option<String>,
        /// Output format (text: one event or project a line).
        #[arg(long, value_enum, default_value_t = ReplayFormat::Text)]
        format: ReplayFormat,
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
        ApprovalsCommand::Append {
            log,
            event,
            key,
            registry,
            library,
            policy,
            format,
            lang,
        } => append(
            log,
            event,
            key,
            registry,
            library.as_deref(),
            policy.as_ref(),
            *format,
            (*lang).into(),
        ),
        ApprovalsCommand::Head { log, check } => {
            let request = check.request(log, None, false)?;
            common::run::<ApprovalsHead>(&Env::new(), request, &check.printing(log, false), &[])
        }
        ApprovalsCommand::Verify { log, head, check } => {
            let request = check.request(log, head.clone(), false)?;
            let origins = [("head", Origin::Named("--head".into()))];
            let printing = check.printing(log, false);
            common::run::<ApprovalsVerify>(&Env::new(), request, &printing, &origins)
        }
        ApprovalsCommand::Replay {
            log,
            unverified,
            check,
        } => {
            let request = check.request(log, None, *unverified)?;
            let printing = check.printing(log, false);
            common::run::<ApprovalsReplay>(&Env::new(), request, &printing, &[])
        }
        ApprovalsCommand::Targets { log, check, strict } => {
            let request = check.request(log, None, false)?;
            let printing = check.printing(log, *strict);
            common::run::<ApprovalsTargets>(&Env::new(), request, &printing, &[])
        }
        ApprovalsCommand::Import { jsonl, db, check } => import(jsonl, db, check),
        ApprovalsCommand::Export { log } => {
            common::write_out(&open(log)?.export_jsonl().map_err(store_error)?)?;
            Ok(ExitCode::SUCCESS)
        }
        ApprovalsCommand::Query {
            log,
            project,
            county,
            stage,
            format,
        } => {
            let stage = stage.as_deref().map(parse_stage).transpose()?;
            let request = QueryRequest {
                events: load_events(log)?,
                project: project.clone(),
                county: county.clone(),
                stage,
            };
            let printing = Printing::stdout((*format).into(), Lang::Zh);
            common::run::<ApprovalsQuery>(&Env::new(), request, &printing, &[])
        }
    }
}

fn open(path: &Path) -> Result<Store, CliError> {
    if !path.exists() {
        return Err(CliError::in_file(path, "cannot read: no such file"));
    }
    Store::open(path).map_err(store_error)
}

/// The log's events, read through its store (JSON Lines or SQLite).
fn load_events(path: &Path) -> Result<Vec<Event>, CliError> {
    open(path)?.events().map_err(store_error)
}

fn rule_failed(path: &Path, message: impl std::fmt::Display) -> CliError {
    CliError::in_file(path, message).with_code(common::RULE_FAILED)
}

fn audit_failed(path: &Path, e: &AuditError, lang: Lang) -> CliError {
    let code = if e.is_malformed() {
        common::BAD_INPUT
    } else {
        common::RULE_FAILED
    };
    CliError::in_file(path, e.message(lang)).with_code(code)
}

fn load_registry(path: &Path) -> Result<Registry, CliError> {
    common::read_doc::<Registry>(path)
}

fn parse_stage(stage: &str) -> Result<Stage, CliError> {
    serde_json::from_value(serde_json::Value::String(stage.to_owned())).map_err(|_| {
        CliError::input(format!(
            "--stage \"{}\" is not a stage: in_library, applied, reviewed, rechecked, funds_arranged, approved, returned, rejected, withdrawn",
            stage.escape_debug()
        ))
    })
}

impl CheckArgs {
    /// The request of a checking subcommand: the log's events and the options.
    fn request(
        &self,
        log: &Path,
        head: Option<String>,
        unverified: bool,
    ) -> Result<ApprovalsRequest, CliError> {
        let mut anchors = Vec::new();
        for p in &self.anchor {
            anchors.extend(common::read_doc::<Anchors>(p)?.0);
        }
        Ok(ApprovalsRequest {
            head,
            lang: fupin::Lang::from(self.lang).into(),
            registry: self.registry.as_deref().map(load_registry).transpose()?,
            policy: common::policy(self.policy.as_ref())?,
            anchors,
            allow_empty: self.allow_empty,
            unverified,
            events: load_events(log)?,
        })
    }

    fn printing(&self, log: &Path, strict: bool) -> Printing {
        Printing::stdout(self.format.into(), self.lang.into())
            .source(log, None)
            .strict(strict)
    }
}

impl From<ReplayFormat> for Format {
    fn from(f: ReplayFormat) -> Self {
        match f {
            ReplayFormat::Text => Self::Text,
            ReplayFormat::Json => Self::Json,
        }
    }
}

fn warn(warnings: &[fupin::Label], lang: Lang) {
    for w in warnings {
        eprintln!("warning: {}", w.get(lang));
    }
}

fn read_event(path: &Path) -> Result<String, CliError> {
    if path == Path::new("-") {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s).map_err(|e| {
            CliError::input(format!("cannot read the event from standard input: {e}"))
        })?;
        return Ok(s);
    }
    common::read_text(path)
}

/// The step file: JSON with `at` defaulting to now (the only clock read, here in the CLI).
fn draft(path: &Path) -> Result<Draft, CliError> {
    let text = read_event(path)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut v: serde_json::Value =
        serde_json::from_str(text).map_err(|e| CliError::in_file(path, e))?;
    if let Some(o) = v.as_object_mut() {
        o.entry("at")
            .or_insert_with(|| chrono::Utc::now().to_rfc3339().into());
    }
    serde_path_to_error::deserialize(v)
        .map_err(|e| CliError::in_file(path, format!("`{}`: {}", e.path(), e.inner())))
}

#[allow(clippy::too_many_arguments)]
fn append(
    log: &Path,
    event: &Path,
    key: &Path,
    registry: &Path,
    library: Option<&Path>,
    policy: Option<&PathBuf>,
    format: ReplayFormat,
    lang: Lang,
) -> CliResult {
    let draft = draft(event)?;
    let (key_actor, key) = crate::keys::load(key)?;
    if key_actor != draft.actor {
        return Err(CliError::input(format!(
            "the key is `{key_actor}`'s, but the step is by `{}`: each actor signs with their own key",
            draft.actor.escape_debug()
        )));
    }
    let registry = load_registry(registry)?;
    let policy = common::policy_value(policy)?;
    let library = library
        .map(common::read_doc::<ProjectLibrary>)
        .transpose()?;
    let store = Store::open(log).map_err(store_error)?;
    let e = store
        .append(|events| audit::append(events, &draft, &key, &registry, &policy, library.as_ref()))
        .map_err(|e| match &e {
            StoreError::Append { error, .. } => match error.as_ref() {
                audit::AppendError::Refused(a) => rule_failed(log, a.message(lang)),
                audit::AppendError::Log(a) => audit_failed(log, a, lang),
                audit::AppendError::Key { .. } | audit::AppendError::NoLibrary(_) => {
                    CliError::input(e.to_string())
                }
                _ => store_error(e),
            },
            _ => store_error(e),
        })?;
    let head = ChainHead {
        count: usize::try_from(e.seq)
            .unwrap_or(usize::MAX)
            .saturating_add(1),
        hash: e.hash.clone(),
    };
    match format {
        ReplayFormat::Json => common::print_json(&serde_json::json!({
            "appended": e,
            "head": head,
        }))?,
        ReplayFormat::Text => {
            outln!(
                "{}: appended event {} — {} {}, {} → {}, signed by {}",
                log.display(),
                e.seq,
                e.project,
                e.action.step().label().get(lang),
                e.from
                    .map_or_else(|| "-".to_owned(), |s| s.label().get(lang).to_owned()),
                e.to.label().get(lang).to_owned(),
                e.actor.id()
            );
            outln!("head {} {}", head.count, head.hash);
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn import(jsonl: &Path, db: &Path, c: &CheckArgs) -> CliResult {
    let policy = common::policy_value(c.policy.as_ref())?;
    let registry = c.registry.as_deref().map(load_registry).transpose()?;
    let mut anchors = Vec::new();
    for p in &c.anchor {
        anchors.extend(common::read_doc::<Anchors>(p)?.0);
    }
    let options = CheckOptions::new(&policy)
        .maybe_registry(registry.as_ref())
        .anchors(&anchors)
        .allow_empty(c.allow_empty);
    let lang = c.lang.into();
    let text = common::read_text(jsonl)?;
    let store = Store::open(db).map_err(store_error)?;
    let Store::Sqlite(sqlite) = &store else {
        return Err(CliError::in_file(
            db,
            "is not an SQLite database (name it .db to create one)",
        ));
    };
    let n = sqlite
        .import_jsonl(&text, |events| {
            audit::check(events, &options).map(|checked| warn_checked(&checked, lang))
        })
        .map_err(store_error)?;
    outln!(
        "{}: imported {n} events from {}",
        db.display(),
        jsonl.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn warn_checked(c: &audit::Checked, lang: Lang) {
    let labels: Vec<_> = c.warnings.iter().map(audit::Warning::label).collect();
    warn(&labels, lang);
}
