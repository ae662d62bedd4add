//! `fupin approvals`: keep, append to, verify and replay approval-chain logs (M6, M8, task 8,
//! G5).
//!
//! A log is a JSON Lines file (`*.jsonl`) or an SQLite database (`*.db`, the store for a
//! running office), one [`fupin::audit::Event`] per line or row. `append` checks a step
//! against the rules on the replayed log, signs it with the actor's key and appends it;
//! `head` prints the log's head to keep elsewhere; `verify` checks hashes, signatures, the
//! registry, the rules and recorded heads (`--anchor`); `replay` does the same, then prints
//! every project's state. Exit 0 ok, 1 a log that fails its checks (naming the line and the
//! event), 2 bad input (a line that is not an event, a malformed `--head`, a missing file).

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};
use fupin::Lang;
use fupin::approval::{ProjectApproval, Registry, Stage};
use fupin::audit::{self, Anchor, AuditError, ChainHead, CheckOptions, Draft, Event};
use fupin::projects::ProjectLibrary;
use fupin::render::{Align, Table};
use fupin_store::{Store, StoreError};

use crate::common::{self, CliError, CliResult, LangArg};

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
        ApprovalsCommand::Head { log, check } => head(log, check),
        ApprovalsCommand::Verify { log, head, check } => verify(log, head.as_deref(), check),
        ApprovalsCommand::Replay {
            log,
            unverified,
            check,
        } => replay(log, *unverified, check),
        ApprovalsCommand::Import { jsonl, db, check } => import(jsonl, db, check),
        ApprovalsCommand::Export { log } => {
            out!("{}", open(log)?.export_jsonl().map_err(store_error)?);
            Ok(ExitCode::SUCCESS)
        }
        ApprovalsCommand::Query {
            log,
            project,
            county,
            stage,
        } => query(log, project.as_deref(), county.as_deref(), stage.as_deref()),
    }
}

fn open(path: &Path) -> Result<Store, CliError> {
    if !path.exists() {
        return Err(CliError::in_file(path, "cannot read: no such file"));
    }
    Store::open(path).map_err(store_error)
}

fn store_error(e: StoreError) -> CliError {
    let code = match &e {
        StoreError::Log { error, .. } if !error.is_malformed() => common::RULE_FAILED,
        StoreError::Append { .. } => common::RULE_FAILED,
        _ => common::BAD_INPUT,
    };
    with_code(CliError::input(e.to_string()), code)
}

fn with_code(e: CliError, code: u8) -> CliError {
    CliError { code, ..e }
}

fn load_events(path: &Path) -> Result<Vec<Event>, CliError> {
    open(path)?.events().map_err(store_error)
}

fn rule_failed(path: &Path, message: impl std::fmt::Display) -> CliError {
    with_code(CliError::in_file(path, message), common::RULE_FAILED)
}

fn audit_failed(path: &Path, e: &AuditError, lang: Lang) -> CliError {
    let code = if e.is_malformed() {
        common::BAD_INPUT
    } else {
        common::RULE_FAILED
    };
    with_code(CliError::in_file(path, e.message(lang)), code)
}

/// Read a registry (TOML or JSON, told by its content).
pub fn load_registry(path: &Path) -> Result<Registry, CliError> {
    let (text, format) = common::read_input(path, common::TOML_OR_JSON)?;
    let r = if format == fupin_io::Format::Json {
        Registry::from_json(&text)
    } else {
        Registry::from_toml(&text)
    };
    r.map_err(|e| CliError::in_file(path, e))
}

fn load_anchors(paths: &[PathBuf]) -> Result<Vec<Anchor>, CliError> {
    let mut out = Vec::new();
    for p in paths {
        let text = std::fs::read_to_string(p)
            .map_err(|e| CliError::in_file(p, format!("cannot read: {e}")))?;
        out.extend(audit::parse_anchors(&text).map_err(|e| CliError::in_file(p, e))?);
    }
    Ok(out)
}

/// The inputs of a check, loaded.
struct Loaded {
    policy: fupin::Policy,
    registry: Option<Registry>,
    anchors: Vec<Anchor>,
    allow_empty: bool,
    format: ReplayFormat,
    lang: Lang,
}

impl Loaded {
    fn new(c: &CheckArgs) -> Result<Self, CliError> {
        Ok(Self {
            policy: common::load_policy(c.policy.as_ref())?,
            registry: c.registry.as_deref().map(load_registry).transpose()?,
            anchors: load_anchors(&c.anchor)?,
            allow_empty: c.allow_empty,
            format: c.format,
            lang: c.lang.into(),
        })
    }

    fn options(&self) -> CheckOptions<'_> {
        CheckOptions::new(&self.policy)
            .maybe_registry(self.registry.as_ref())
            .anchors(&self.anchors)
            .allow_empty(self.allow_empty)
    }
}

fn warn(warnings: &[fupin::Label], lang: Lang) {
    for w in warnings {
        eprintln!("warning: {}", w.get(lang));
    }
}

fn head(path: &Path, c: &CheckArgs) -> CliResult {
    let l = Loaded::new(c)?;
    let events = load_events(path)?;
    let head = if l.registry.is_some() {
        let checked = audit::check(&events, &l.options().allow_empty(true))
            .map_err(|e| audit_failed(path, &e, l.lang))?;
        let unsigned: Vec<_> = checked
            .warnings
            .iter()
            .filter(|w| matches!(w, audit::Warning::Unsigned { .. }))
            .map(audit::Warning::label)
            .collect();
        warn(&unsigned, l.lang);
        checked.head
    } else {
        let head = audit::verify(&events).map_err(|e| audit_failed(path, &e, l.lang))?;
        let unsigned = events.iter().filter(|e| !e.is_signed()).count();
        if unsigned > 0 {
            warn(
                &[audit::Warning::Unsigned { count: unsigned }.label()],
                l.lang,
            );
        }
        if events.iter().any(Event::is_signed) {
            eprintln!(
                "warning: signatures not checked (no --registry): the head is of the hash chain only"
            );
        }
        head
    };
    match l.format {
        ReplayFormat::Json => common::print_json(&head)?,
        ReplayFormat::Text => outln!("{} {}", head.count, head.hash),
    }
    Ok(ExitCode::SUCCESS)
}

fn verify(path: &Path, head: Option<&str>, c: &CheckArgs) -> CliResult {
    let head = head
        .map(|h| {
            let h = h.trim().to_ascii_lowercase();
            if audit::is_hash(&h) {
                Ok(h)
            } else {
                Err(CliError::input(format!(
                    "--head \"{}\" is not a head hash: 64 hex digits, as `fupin approvals head` prints after the count",
                    h.escape_debug()
                )))
            }
        })
        .transpose()?;
    let l = Loaded::new(c)?;
    let events = load_events(path)?;
    let out = fupin_ops::output::verify(&events, &l.options(), head.as_deref(), l.lang);
    if l.format == ReplayFormat::Json {
        common::print_json(&out)?;
    }
    warn(&out.warnings, l.lang);
    match (&out.error, &out.head) {
        (Some(e), _) => Err(with_code(
            CliError::in_file(path, &e.message),
            if e.malformed {
                common::BAD_INPUT
            } else {
                common::RULE_FAILED
            },
        )),
        (None, Some(hash)) => {
            if l.format == ReplayFormat::Text {
                if l.lang == Lang::Zh {
                    let signed = if out.unsigned == 0 {
                        "全部已签名".to_owned()
                    } else {
                        format!(
                            "{} 条已签名，{} 条未签名（仅哈希链）",
                            out.signed, out.unsigned
                        )
                    };
                    outln!(
                        "{}：通过 — 共 {} 条事件（{signed}），链头 {} {hash}",
                        path.display(),
                        out.events,
                        out.events
                    );
                } else {
                    let signed = if out.unsigned == 0 {
                        "all signed".to_owned()
                    } else {
                        format!(
                            "{} signed, {} unsigned (hash chain only)",
                            out.signed, out.unsigned
                        )
                    };
                    outln!(
                        "{}: ok — {} events ({signed}), head {} {hash}",
                        path.display(),
                        out.events,
                        out.events
                    );
                }
                for a in &out.anchors {
                    let audit::AnchorStatus::Kept { anchor, grew_by } = a;
                    outln!(
                        "  anchor line {} ({} events): kept; the log grew by {grew_by} since",
                        anchor.line,
                        anchor.head.count
                    );
                }
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

fn replay(path: &Path, unverified: bool, c: &CheckArgs) -> CliResult {
    let l = Loaded::new(c)?;
    let events = load_events(path)?;
    let r = fupin_ops::output::replay(&events, &l.options(), !unverified, l.lang);
    match l.format {
        ReplayFormat::Json => common::print_json(&r)?,
        ReplayFormat::Text => {
            let states: Vec<_> = r.projects.values().collect();
            out!("{}", table(&states, l.lang).to_text());
            outln!(
                "{}",
                if l.lang == Lang::Zh {
                    "本库规则（方案未作规定，可在政策文件 [approval] 中修改）："
                } else {
                    "Library rules (not the plan's; set them in the policy's [approval] section):"
                }
            );
            for rule in &r.library_rules {
                outln!("  {}", rule.get(l.lang));
            }
            for w in &r.warnings {
                outln!("warning: {}", w.get(l.lang));
            }
        }
    }
    warn(&r.warnings, l.lang);
    match r.error {
        Some(e) => Err(with_code(
            CliError::in_file(path, &e.message),
            if e.malformed {
                common::BAD_INPUT
            } else {
                common::RULE_FAILED
            },
        )),
        None => Ok(ExitCode::SUCCESS),
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
    Ok(common::read_input(path, &[fupin_io::Format::Json])?.0)
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

fn load_library(path: &Path) -> Result<ProjectLibrary, CliError> {
    let (text, format) = common::read_input(path, common::TOML_OR_JSON)?;
    let lib = if format == fupin_io::Format::Json {
        serde_json::from_str(&text).map_err(|e| e.to_string())
    } else {
        toml::from_str(&text).map_err(|e| e.to_string())
    };
    lib.map_err(|e| CliError::in_file(path, e))
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
    let policy = common::load_policy(policy)?;
    let library = library.map(load_library).transpose()?;
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
    let l = Loaded::new(c)?;
    let (text, _) = common::read_input(jsonl, &[fupin_io::Format::Jsonl])?;
    let store = Store::open(db).map_err(store_error)?;
    let Store::Sqlite(sqlite) = &store else {
        return Err(CliError::in_file(
            db,
            "is not an SQLite database (name it .db to create one)",
        ));
    };
    let n = sqlite
        .import_jsonl(&text, |events| {
            audit::check(events, &l.options()).map(|checked| warn_checked(&checked, l.lang))
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

fn query(
    path: &Path,
    project: Option<&str>,
    county: Option<&str>,
    stage: Option<&str>,
) -> CliResult {
    let store = open(path)?;
    if let Some(p) = project {
        let events: Vec<Event> = match &store {
            Store::Sqlite(db) => db.events_of_project(p).map_err(store_error)?,
            Store::Jsonl(_) => store
                .events()
                .map_err(store_error)?
                .into_iter()
                .filter(|e| e.project == p)
                .collect(),
        };
        for e in events {
            outln!("{}", e.to_line());
        }
        return Ok(ExitCode::SUCCESS);
    }
    let (Some(county), Some(stage)) = (county, stage) else {
        return Err(CliError::input("give --project, or --county with --stage"));
    };
    let stage: Stage = serde_json::from_value(serde_json::Value::String(stage.to_owned()))
        .map_err(|_| {
            CliError::input(format!(
                "--stage \"{}\" is not a stage: in_library, applied, reviewed, rechecked, funds_arranged, approved, returned, rejected, withdrawn",
                stage.escape_debug()
            ))
        })?;
    let projects = match &store {
        Store::Sqlite(db) => db.projects_at(county, stage).map_err(store_error)?,
        Store::Jsonl(_) => fupin_store::latest_stages(&store.events().map_err(store_error)?)
            .into_iter()
            .filter(|(_, (c, s))| c == county && *s == stage)
            .map(|(p, _)| p)
            .collect(),
    };
    for p in projects {
        outln!("{p}");
    }
    Ok(ExitCode::SUCCESS)
}
