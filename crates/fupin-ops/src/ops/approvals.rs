//! `approvals.verify`, `approvals.replay`, `approvals.head`, `approvals.query`,
//! `approvals.targets`: an approval-chain log checked, replayed and queried (M6, M8, task 8,
//! G5).
//!
//! A log's events come from a JSON Lines file (the command line reads it, or its SQLite store)
//! or a request's `events`, read by one reader ([`fupin::audit::from_jsonl`]). Writing to a
//! log (`append`, `import`, `export`) and keys need a file store and a private key: they stay
//! with the command line and Python.

use std::collections::BTreeMap;

use fupin::approval::{ProjectApproval, Registry, Stage};
use fupin::audit::{self, Anchor, AuditError, ChainHead, CheckOptions, Event};
use fupin::render::{Align, Table};
use fupin::{Check, Label, Lang, Policy};
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};

use crate::input::member;
use crate::input::wire::PolicyMember;
use crate::operation::{Env, Operation, Outcome, PolicyArg, Route, Show, Verdict};
use crate::problem::{Problem, field};

/// The language of messages in a response.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum LangParam {
    /// 中文 (the default, as on the command line).
    #[default]
    Zh,
    /// English.
    En,
}

impl From<LangParam> for Lang {
    fn from(l: LangParam) -> Self {
        match l {
            LangParam::Zh => Self::Zh,
            LangParam::En => Self::En,
        }
    }
}

impl From<Lang> for LangParam {
    fn from(l: Lang) -> Self {
        match l {
            Lang::Zh => Self::Zh,
            Lang::En => Self::En,
        }
    }
}

/// `POST /v1/approvals/verify`, `…/replay`, `…/head`, `…/targets`: an approval-chain log.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ApprovalsRequest {
    /// The events, in order (each line of a `.jsonl` log is one).
    #[serde(deserialize_with = "events")]
    #[schemars(with = "Vec<fupin::audit::Event>")]
    pub events: Vec<Event>,
    /// For verify: the head hash recorded elsewhere, to detect events cut from or added to the
    /// end.
    #[serde(default)]
    pub head: Option<String>,
    /// The language of the error message.
    #[serde(default)]
    pub lang: LangParam,
    /// The registry of actors, `{"actors": [...]}` as in a registry file (needed for a signed
    /// log).
    #[serde(default, deserialize_with = "member::opt_doc")]
    #[schemars(with = "Option<fupin::approval::Registry>", extend("default" = null))]
    pub registry: Option<Registry>,
    /// The policy whose `[approval]` rules and project guard apply: absent for the embedded
    /// 2020 Chaoyang plan, a name of the service's `--policy-dir`, or a policy object inline.
    #[serde(default)]
    #[schemars(with = "Option<PolicyMember>")]
    pub policy: PolicyArg,
    /// Heads recorded elsewhere (`{"count", "hash"}`, as `approvals head` gives them): the log
    /// must only have grown since each.
    #[serde(default, deserialize_with = "anchors")]
    #[schemars(with = "Vec<ChainHead>")]
    pub anchors: Vec<Anchor>,
    /// Accept a log without events (otherwise an error).
    #[serde(default)]
    pub allow_empty: bool,
    /// For replay: skip the hash, signature and anchor checks (the rules still run).
    #[serde(default)]
    pub unverified: bool,
}

/// The events of a request, read as the lines of a log: event *n* is line *n + 1*.
fn events<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Event>, D::Error> {
    let values: Vec<serde_json::Value> = Vec::deserialize(d)?;
    let mut text = String::new();
    for v in &values {
        text.push_str(&v.to_string());
        text.push('\n');
    }
    audit::from_jsonl(&text).map_err(|e| {
        let at = format!("[{}]", e.line().saturating_sub(1));
        member::carry(&Problem::sub(e, &at))
    })
}

fn anchors<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Anchor>, D::Error> {
    let heads: Vec<ChainHead> = Vec::deserialize(d)?;
    Ok(heads
        .into_iter()
        .enumerate()
        .map(|(i, head)| Anchor { line: i + 1, head })
        .collect())
}

impl ApprovalsRequest {
    fn options<'a>(&'a self, policy: &'a Policy) -> CheckOptions<'a> {
        CheckOptions::new(policy)
            .maybe_registry(self.registry.as_ref())
            .anchors(&self.anchors)
            .allow_empty(self.allow_empty)
    }

    /// The recorded head, checked to be a hash.
    fn head(&self) -> Result<Option<String>, Problem> {
        self.head
            .as_deref()
            .map(|h| {
                let h = h.trim().to_ascii_lowercase();
                if audit::is_hash(&h) {
                    Ok(h)
                } else {
                    let message = format!(
                        "\"{}\" is not a head hash: 64 hex digits, as `fupin approvals head` prints after the count",
                        h.escape_debug()
                    );
                    Err(Problem::invalid(
                        message.clone(),
                        vec![field("invalid", "head", Some(h), message)],
                    )
                    .about("head"))
                }
            })
            .transpose()
    }
}

/// The first event of a log that the rules or the hash chain refuse.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ReplayError {
    /// The line of the log (from 1; the event's position + 1).
    pub line: usize,
    /// What is wrong, in the language asked for.
    pub message: String,
    /// The event's `seq`, when the event could be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seq: Option<u64>,
    /// The project, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub project: Option<String>,
    /// A short snake_case kind (`wrong_level`, `tampered`, `inconsistent`, …).
    pub kind: String,
    /// The clause the refused step breaks, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clause: Option<String>,
    /// Whether the input is malformed (exit 2) rather than failing its checks (exit 1).
    #[serde(skip)]
    pub malformed: bool,
}

impl ReplayError {
    /// The error as data, its message in `lang`.
    #[must_use]
    pub fn new(e: &AuditError, lang: Lang) -> Self {
        let mut out = Self {
            line: e.line(),
            message: e.message(lang),
            seq: e.seq(),
            project: None,
            kind: e.kind().to_owned(),
            clause: None,
            malformed: e.is_malformed(),
        };
        match e {
            AuditError::Illegal { seq, error, .. } => {
                out.seq = Some(*seq);
                out.project = Some(error.project().to_owned());
                error.kind().clone_into(&mut out.kind);
                out.clause = Some(error.clause().to_string());
            }
            AuditError::Inconsistent { seq, project, .. } => {
                out.seq = Some(*seq);
                out.project = Some(project.clone());
                "inconsistent".clone_into(&mut out.kind);
            }
            AuditError::Tampered { .. } => "tampered".clone_into(&mut out.kind),
            AuditError::Malformed { .. } => "syntax".clone_into(&mut out.kind),
            _ => {}
        }
        out
    }

    const fn verdict(&self) -> Verdict {
        if self.malformed {
            Verdict::Refused
        } else {
            Verdict::Rejected
        }
    }
}

/// A log checked (`fupin approvals verify`): hashes, signatures, registry, rules, anchors.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct VerifyOutput {
    /// Whether the log passed every check (and ends at the recorded head, when one was given).
    pub ok: bool,
    /// How many events the log has.
    pub events: usize,
    /// The chain's head: the last event's hash (or the genesis hash for an empty log), when the
    /// log passed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub head: Option<String>,
    /// Signed events.
    pub signed: usize,
    /// Unsigned events (hash chain only).
    pub unsigned: usize,
    /// Each recorded head the log still holds, and how much it grew since.
    pub anchors: Vec<audit::AnchorStatus>,
    /// Caveats: unsigned events (hash chain only), roles as claimed, no anchor.
    pub warnings: Vec<Label>,
    /// The first edited, removed, inserted, reordered, forged or illegal event, or the anchor
    /// the log no longer holds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ReplayError>,
}

/// Check `events` ([`audit::check`]), and that they end at `head` when one is given.
#[must_use]
pub fn verify(
    events: &[Event],
    opts: &CheckOptions<'_>,
    head: Option<&str>,
    lang: Lang,
) -> VerifyOutput {
    let failed = |e: &AuditError| VerifyOutput {
        ok: false,
        events: events.len(),
        head: None,
        signed: 0,
        unsigned: 0,
        anchors: Vec::new(),
        warnings: Vec::new(),
        error: Some(ReplayError::new(e, lang)),
    };
    let checked = match audit::check(events, opts) {
        Ok(c) => c,
        Err(e) => return failed(&e),
    };
    if let Some(expected) = head {
        let recorded = ChainHead {
            count: checked.head.count,
            hash: expected.trim().to_ascii_lowercase(),
        };
        if let Err(e) = audit::verify_head(events, &recorded) {
            return failed(&e);
        }
    }
    let mut warnings: Vec<Label> = checked.warnings.iter().map(audit::Warning::label).collect();
    if head.is_some() {
        warnings.retain(|w| w.en != audit::Warning::NoAnchor.label().en);
    }
    VerifyOutput {
        ok: true,
        events: events.len(),
        head: Some(checked.head.hash),
        signed: checked.signed,
        unsigned: checked.unsigned,
        anchors: checked.anchors,
        warnings,
        error: None,
    }
}

/// `approvals.verify`: check a log — hash chain, signatures against the registry, the
/// registry's grants, the rules, and recorded heads.
#[derive(Debug)]
pub struct ApprovalsVerify;

impl Operation for ApprovalsVerify {
    const ID: &'static str = "approvals.verify";
    const ROUTE: Route = Route::post("/v1/approvals/verify");
    const SUMMARY: (&'static str, &'static str) = (
        "校验审批链日志：哈希链、签名、登记册、规则、链头",
        "Check an approval log: hash chain, signatures, registry, rules, recorded heads",
    );
    const COMMAND: &'static str = "approvals verify";
    type Request = ApprovalsRequest;
    type Output = VerifyOutput;

    /// A `head` must be a hash (64 hex digits); a signed log needs its registry (the core's
    /// check).
    fn run(env: &Env, request: ApprovalsRequest) -> Result<VerifyOutput, Problem> {
        let head = request.head()?;
        let policy = env.policy(&request.policy, "policy")?;
        Ok(verify(
            &request.events,
            &request.options(policy),
            head.as_deref(),
            request.lang.into(),
        ))
    }
}

impl Outcome for VerifyOutput {
    fn verdict(&self) -> Verdict {
        self.error
            .as_ref()
            .map_or(Verdict::Passed, ReplayError::verdict)
    }

    fn complaint(&self, _: Lang) -> Option<String> {
        self.error.as_ref().map(|e| e.message.clone())
    }

    fn warnings(&self) -> Vec<Label> {
        self.warnings.clone()
    }

    fn to_text(&self, show: &Show) -> String {
        let (Some(hash), None) = (&self.head, &self.error) else {
            return String::new();
        };
        let source = show.source_or("log");
        let mut out = if show.lang == Lang::Zh {
            let signed = if self.unsigned == 0 {
                "全部已签名".to_owned()
            } else {
                format!(
                    "{} 条已签名，{} 条未签名（仅哈希链）",
                    self.signed, self.unsigned
                )
            };
            format!(
                "{source}：通过 — 共 {} 条事件（{signed}），链头 {} {hash}\n",
                self.events, self.events
            )
        } else {
            let signed = if self.unsigned == 0 {
                "all signed".to_owned()
            } else {
                format!(
                    "{} signed, {} unsigned (hash chain only)",
                    self.signed, self.unsigned
                )
            };
            format!(
                "{source}: ok — {} events ({signed}), head {} {hash}\n",
                self.events, self.events
            )
        };
        for a in &self.anchors {
            let audit::AnchorStatus::Kept { anchor, grew_by } = a;
            out.push_str(&format!(
                "  anchor line {} ({} events): kept; the log grew by {grew_by} since\n",
                anchor.line, anchor.head.count
            ));
        }
        out
    }
}

/// Every project's state after replaying a log (`fupin approvals replay`).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ReplayOutput {
    /// How many events the log has.
    pub events: usize,
    /// Each project's state after the events before the first refused one, by project id
    /// (none when the log fails verification).
    pub projects: BTreeMap<String, ProjectApproval>,
    /// The first event the rules refuse, or the first failure of verification.
    pub error: Option<ReplayError>,
    /// The approval rules in force that the plan does not state (L1–L8), labelled as the
    /// library's.
    pub library_rules: Vec<Label>,
    /// Whether hashes, signatures and anchors were verified first.
    pub verified: bool,
    /// Caveats: unsigned events (hash chain only), roles as claimed, no anchor.
    pub warnings: Vec<Label>,
}

/// Replay `events` by the rules of the approval chain under the options' policy and registry;
/// with `verify`, after checking hashes, signatures and anchors ([`audit::check`]).
#[must_use]
pub fn replay(events: &[Event], opts: &CheckOptions<'_>, verify: bool, lang: Lang) -> ReplayOutput {
    let library_rules = opts.policy.approval.library_rules();
    if verify {
        return match audit::check(events, opts) {
            Ok(c) => ReplayOutput {
                events: events.len(),
                projects: c.states,
                error: None,
                library_rules,
                verified: true,
                warnings: c.warnings.iter().map(audit::Warning::label).collect(),
            },
            Err(e) => ReplayOutput {
                events: events.len(),
                projects: BTreeMap::new(),
                error: Some(ReplayError::new(&e, lang)),
                library_rules,
                verified: true,
                warnings: Vec::new(),
            },
        };
    }
    let r = audit::replay_partial(events, opts.policy, opts.registry);
    let mut warnings = vec![Label::new(
        "未校验哈希、签名和链头（--unverified）",
        "hashes, signatures and anchors not verified (--unverified)",
    )];
    if events.is_empty() && !opts.allow_empty {
        return ReplayOutput {
            events: 0,
            projects: BTreeMap::new(),
            error: Some(ReplayError::new(&AuditError::Empty, lang)),
            library_rules,
            verified: false,
            warnings,
        };
    }
    if opts.registry.is_none() && events.iter().any(|e| !e.is_signed()) {
        warnings.push(audit::Warning::ClaimedRoles.label());
    }
    ReplayOutput {
        events: events.len(),
        error: r.error.as_ref().map(|e| ReplayError::new(e, lang)),
        projects: r.states,
        library_rules,
        verified: false,
        warnings,
    }
}

/// `approvals.replay`: rebuild every project's state by running the rules of the approval
/// chain (入库 → 乡申报 → 县审核 → 市复核 → 安排资金 → 批准实施), after verifying the log as
/// `verify` does (unless `unverified`).
#[derive(Debug)]
pub struct ApprovalsReplay;

impl Operation for ApprovalsReplay {
    const ID: &'static str = "approvals.replay";
    const ROUTE: Route = Route::post("/v1/approvals/replay");
    const SUMMARY: (&'static str, &'static str) = (
        "按审批链规则重放日志，给出每个项目的状态",
        "Replay an approval log by the rules: every project's state",
    );
    const COMMAND: &'static str = "approvals replay";
    type Request = ApprovalsRequest;
    type Output = ReplayOutput;

    fn run(env: &Env, request: ApprovalsRequest) -> Result<ReplayOutput, Problem> {
        let policy = env.policy(&request.policy, "policy")?;
        Ok(replay(
            &request.events,
            &request.options(policy),
            !request.unverified,
            request.lang.into(),
        ))
    }
}

fn mark(done: bool) -> String {
    if done { "✓" } else { "✗" }.to_owned()
}

/// The projects' states as a table.
fn states_table(states: &[&ProjectApproval], lang: Lang) -> Table {
    let h = |z: &'static str, e: &'static str| fupin::render::tr(lang, z, e);
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

impl Outcome for ReplayOutput {
    fn verdict(&self) -> Verdict {
        self.error
            .as_ref()
            .map_or(Verdict::Passed, ReplayError::verdict)
    }

    fn complaint(&self, _: Lang) -> Option<String> {
        self.error.as_ref().map(|e| e.message.clone())
    }

    fn warnings(&self) -> Vec<Label> {
        self.warnings.clone()
    }

    fn to_text(&self, show: &Show) -> String {
        let lang = show.lang;
        let states: Vec<_> = self.projects.values().collect();
        let mut out = states_table(&states, lang).to_text();
        out.push_str(fupin::render::tr(
            lang,
            "本库规则（方案未作规定，可在政策文件 [approval] 中修改）：",
            "Library rules (not the plan's; set them in the policy's [approval] section):",
        ));
        out.push('\n');
        for rule in &self.library_rules {
            out.push_str(&format!("  {}\n", rule.get(lang)));
        }
        for w in &self.warnings {
            out.push_str(&format!("warning: {}\n", w.get(lang)));
        }
        out
    }
}

/// `approvals.head`: the log's head, `COUNT HASH`, to keep elsewhere. The hash chain is checked
/// first, and with a registry the signatures and rules too.
#[derive(Debug)]
pub struct ApprovalsHead;

/// A log's head (`fupin approvals head`), or why the log has none that can be trusted.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct HeadOutput {
    /// How many events the log has, when it passed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<usize>,
    /// The last event's hash (the genesis hash for an empty log), when it passed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hash: Option<String>,
    /// Whether the log passed the checks.
    pub ok: bool,
    /// Caveats: unsigned events, signatures not checked without a registry.
    pub warnings: Vec<Label>,
    /// The first failure, when the log did not pass.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ReplayError>,
}

impl Operation for ApprovalsHead {
    const ID: &'static str = "approvals.head";
    const ROUTE: Route = Route::post("/v1/approvals/head");
    const SUMMARY: (&'static str, &'static str) = (
        "审批链日志的链头（条数和哈希），供另行保存",
        "An approval log's head (count and hash), to keep elsewhere",
    );
    const COMMAND: &'static str = "approvals head";
    type Request = ApprovalsRequest;
    type Output = HeadOutput;

    fn run(env: &Env, request: ApprovalsRequest) -> Result<HeadOutput, Problem> {
        let policy = env.policy(&request.policy, "policy")?;
        let lang = request.lang.into();
        let events = &request.events;
        let checked = if request.registry.is_some() {
            audit::check(events, &request.options(policy).allow_empty(true)).map(|c| {
                let unsigned = c
                    .warnings
                    .iter()
                    .filter(|w| matches!(w, audit::Warning::Unsigned { .. }))
                    .map(audit::Warning::label)
                    .collect();
                (c.head, unsigned)
            })
        } else {
            audit::verify(events).map(|head| {
                let mut warnings = Vec::new();
                let unsigned = events.iter().filter(|e| !e.is_signed()).count();
                if unsigned > 0 {
                    warnings.push(audit::Warning::Unsigned { count: unsigned }.label());
                }
                if events.iter().any(Event::is_signed) {
                    warnings.push(Label::new(
                        "未提供登记册，未校验签名：链头仅对应哈希链",
                        "signatures not checked (no --registry): the head is of the hash chain only",
                    ));
                }
                (head, warnings)
            })
        };
        Ok(match checked {
            Ok((head, warnings)) => HeadOutput {
                count: Some(head.count),
                hash: Some(head.hash),
                ok: true,
                warnings,
                error: None,
            },
            Err(e) => HeadOutput {
                count: None,
                hash: None,
                ok: false,
                warnings: Vec::new(),
                error: Some(ReplayError::new(&e, lang)),
            },
        })
    }
}

impl Outcome for HeadOutput {
    fn verdict(&self) -> Verdict {
        self.error
            .as_ref()
            .map_or(Verdict::Passed, ReplayError::verdict)
    }

    fn complaint(&self, _: Lang) -> Option<String> {
        self.error.as_ref().map(|e| e.message.clone())
    }

    fn warnings(&self) -> Vec<Label> {
        self.warnings.clone()
    }

    fn to_text(&self, _: &Show) -> String {
        match (self.count, &self.hash) {
            (Some(count), Some(hash)) => format!("{count} {hash}\n"),
            _ => String::new(),
        }
    }
}

/// `approvals.query`: the events of a project, or the projects of a county at a stage.
#[derive(Debug)]
pub struct ApprovalsQuery;

/// `POST /v1/approvals/query`: query a log (`fupin approvals query`). Give `project`, or
/// `county` with `stage`.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QueryRequest {
    /// The events, in order.
    #[serde(deserialize_with = "events")]
    #[schemars(with = "Vec<fupin::audit::Event>")]
    pub events: Vec<Event>,
    /// A project whose events to list.
    #[serde(default)]
    pub project: Option<String>,
    /// The county whose projects to list (with `stage`).
    #[serde(default)]
    pub county: Option<String>,
    /// The stage of the projects to list (with `county`).
    #[serde(default)]
    pub stage: Option<Stage>,
}

/// The answer to a query of a log.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum QueryOutput {
    /// A project's events.
    Events {
        /// The project.
        project: String,
        /// Its events, in the log's order.
        events: Vec<Event>,
    },
    /// The projects of a county whose latest event put them at a stage.
    Projects {
        /// The county.
        county: String,
        /// The stage.
        stage: Stage,
        /// The projects, by id.
        projects: Vec<String>,
    },
}

/// Each project's county (from its entry event) and the stage its latest event put it at.
fn latest_stages(events: &[Event]) -> BTreeMap<&str, (&str, Stage)> {
    let mut county: BTreeMap<&str, &str> = BTreeMap::new();
    let mut out = BTreeMap::new();
    for e in events {
        if let fupin::approval::Action::Enter { project } = &e.action {
            county.insert(&e.project, &project.county);
        }
        let c = county.get(e.project.as_str()).copied().unwrap_or_default();
        out.insert(e.project.as_str(), (c, e.to));
    }
    out
}

impl Operation for ApprovalsQuery {
    const ID: &'static str = "approvals.query";
    const ROUTE: Route = Route::post("/v1/approvals/query");
    const SUMMARY: (&'static str, &'static str) = (
        "查询审批链日志：某项目的事件，或某县处于某阶段的项目",
        "Query an approval log: a project's events, or a county's projects at a stage",
    );
    const COMMAND: &'static str = "approvals query";
    type Request = QueryRequest;
    type Output = QueryOutput;

    /// `project`, or `county` with `stage`.
    fn run(_: &Env, request: QueryRequest) -> Result<QueryOutput, Problem> {
        match (request.project, request.county, request.stage) {
            (Some(project), None, None) => Ok(QueryOutput::Events {
                events: request
                    .events
                    .into_iter()
                    .filter(|e| e.project == project)
                    .collect(),
                project,
            }),
            (None, Some(county), Some(stage)) => {
                let projects = latest_stages(&request.events)
                    .into_iter()
                    .filter(|(_, (c, s))| *c == county && *s == stage)
                    .map(|(p, _)| p.to_owned())
                    .collect();
                Ok(QueryOutput::Projects {
                    county,
                    stage,
                    projects,
                })
            }
            _ => {
                let message = "give `project`, or `county` with `stage`";
                Err(Problem::invalid(
                    message,
                    vec![field("missing_field", "", None, message)],
                ))
            }
        }
    }
}

impl Outcome for QueryOutput {
    fn to_text(&self, _: &Show) -> String {
        let mut out = String::new();
        match self {
            Self::Events { events, .. } => {
                for e in events {
                    out.push_str(&e.to_line());
                    out.push('\n');
                }
            }
            Self::Projects { projects, .. } => {
                for p in projects {
                    out.push_str(p);
                    out.push('\n');
                }
            }
        }
        out
    }
}

/// `approvals.targets`: the M8 check of each project of a log — its performance targets
/// reviewed by the finance department, filed with the city leading group and published — on
/// the states the log replays to (verified first).
#[derive(Debug)]
pub struct ApprovalsTargets;

/// The M8 check of every project of a log.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct TargetsOutput {
    /// How many events the log has.
    pub events: usize,
    /// One M8 check per project (`subject`: the project's id), by project id.
    pub checks: Vec<Check>,
    /// Whether every project's targets are reviewed, filed and published.
    pub passed: bool,
    /// The first failure of the log's verification, when it did not pass (then no check).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ReplayError>,
    /// Caveats: unsigned events (hash chain only), roles as claimed, no anchor.
    pub warnings: Vec<Label>,
}

impl Operation for ApprovalsTargets {
    const ID: &'static str = "approvals.targets";
    const ROUTE: Route = Route::post("/v1/approvals/targets");
    const SUMMARY: (&'static str, &'static str) = (
        "绩效目标经审核、备案并公开（M8），按审批链日志逐项目检查",
        "M8: each project's performance targets reviewed, filed and published, from an approval log",
    );
    const COMMAND: &'static str = "approvals targets";
    type Request = ApprovalsRequest;
    type Output = TargetsOutput;

    fn run(env: &Env, request: ApprovalsRequest) -> Result<TargetsOutput, Problem> {
        let policy = env.policy(&request.policy, "policy")?;
        let r = replay(
            &request.events,
            &request.options(policy),
            !request.unverified,
            request.lang.into(),
        );
        let checks = if r.error.is_some() {
            Vec::new()
        } else {
            fupin::approval::check_performance_targets(r.projects.values())
        };
        Ok(TargetsOutput {
            events: r.events,
            passed: r.error.is_none() && checks.iter().all(|c| c.passed),
            checks,
            error: r.error,
            warnings: r.warnings,
        })
    }
}

impl Outcome for TargetsOutput {
    fn verdict(&self) -> Verdict {
        match &self.error {
            Some(e) => e.verdict(),
            None if self.passed => Verdict::Passed,
            None => Verdict::Failed,
        }
    }

    fn complaint(&self, _: Lang) -> Option<String> {
        self.error.as_ref().map(|e| e.message.clone())
    }

    fn warnings(&self) -> Vec<Label> {
        self.warnings.clone()
    }

    fn to_text(&self, show: &Show) -> String {
        let lang = show.lang;
        let h = |z: &'static str, e: &'static str| fupin::render::tr(lang, z, e);
        let mut t = Table::new(vec![
            (h("结果", "result"), Align::Left),
            (h("条款", "clause"), Align::Left),
            (h("项目", "project"), Align::Left),
            (h("完成", "done"), Align::Right),
            (h("说明", "note"), Align::Left),
        ]);
        for c in &self.checks {
            t.row(vec![
                mark(c.passed),
                c.clause.to_string(),
                c.subject.clone().unwrap_or_default(),
                format!("{} / {}", c.actual.display(lang), c.threshold.display(lang)),
                c.note
                    .as_ref()
                    .map(|n| n.get(lang).to_owned())
                    .unwrap_or_default(),
            ]);
        }
        let passed = self.checks.iter().filter(|c| c.passed).count();
        let mut out = t.to_text();
        out.push_str(&match lang {
            Lang::Zh => format!(
                "M8 绩效目标经财政审核、报市扶贫领导小组备案并公开：{} 个项目中 {passed} 个已全部完成。\n",
                self.checks.len()
            ),
            Lang::En => format!(
                "M8 performance targets reviewed, filed and published: {passed} of {} projects.\n",
                self.checks.len()
            ),
        });
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example(name: &str) -> String {
        std::fs::read_to_string(format!(
            "{}/../../examples/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    }

    fn request(extra: &str) -> ApprovalsRequest {
        let log = example("approvals_2020.jsonl");
        let lines: Vec<&str> = log.lines().collect();
        let registry: toml::Value = toml::from_str(&example("registry_2020.toml")).unwrap();
        let body = format!(
            "{{\"events\": [{}], \"registry\": {}{extra}}}",
            lines.join(","),
            serde_json::to_string(&registry).unwrap()
        );
        crate::input::request_json(body.as_bytes()).unwrap()
    }

    #[test]
    fn the_signed_example_verifies_with_its_registry_and_its_head_is_kept() {
        let out = ApprovalsVerify::run(&Env::new(), request("")).unwrap();
        assert!(out.ok, "{:?}", out.error);
        assert_eq!((out.events, out.signed, out.unsigned), (18, 18, 0));
        let head = ApprovalsHead::run(&Env::new(), request("")).unwrap();
        assert_eq!(head.count, Some(18));
        assert_eq!(head.hash, out.head);
        let with_head = format!(", \"head\": \"{}\"", out.head.unwrap());
        assert!(
            ApprovalsVerify::run(&Env::new(), request(&with_head))
                .unwrap()
                .ok
        );
    }

    #[test]
    fn a_bad_head_and_a_signed_log_without_registry_are_refused() {
        let p = ApprovalsVerify::run(&Env::new(), request(", \"head\": \"xyz\"")).unwrap_err();
        assert_eq!(p.errors[0].path, "head");
        let mut r = request("");
        r.registry = None;
        let out = ApprovalsVerify::run(&Env::new(), r).unwrap();
        assert!(!out.ok);
        // Without its registry a signed log cannot be checked: bad input (exit 2).
        assert_eq!(out.verdict(), Verdict::Refused);
        assert!(out.complaint(Lang::En).unwrap().contains("registry"));
    }

    #[test]
    fn an_edited_event_is_found_on_its_line() {
        let mut r = request("");
        r.events[2].comment.push_str(" (edited)");
        let out = ApprovalsVerify::run(&Env::new(), r).unwrap();
        assert_eq!(out.error.as_ref().unwrap().line, 3);
        assert_eq!(out.verdict(), Verdict::Rejected);
    }

    #[test]
    fn a_malformed_event_is_named_by_its_index() {
        let p =
            crate::request_json::<ApprovalsRequest>(br#"{"events": [{"seq": "x"}]}"#).unwrap_err();
        assert!(p.errors[0].path.starts_with("events[0]"), "{:?}", p.errors);
    }

    #[test]
    fn replay_and_targets_run_on_the_verified_states() {
        let r = ApprovalsReplay::run(&Env::new(), request("")).unwrap();
        assert!(r.error.is_none());
        assert!(r.verified);
        let t = ApprovalsTargets::run(&Env::new(), request("")).unwrap();
        assert_eq!(t.checks.len(), r.projects.len());
        assert!(
            t.checks
                .iter()
                .all(|c| c.id == "M8.targets_filed_published")
        );
        assert_eq!(t.passed, t.checks.iter().all(|c| c.passed));
        assert_eq!(
            t.verdict(),
            if t.passed {
                Verdict::Passed
            } else {
                Verdict::Failed
            }
        );
    }

    #[test]
    fn a_query_lists_a_projects_events_or_a_countys_projects_at_a_stage() {
        let log = request("");
        let q = QueryRequest {
            events: log.events.clone(),
            project: Some("JP-2020-001".into()),
            ..QueryRequest::default()
        };
        let QueryOutput::Events { events, .. } = ApprovalsQuery::run(&Env::new(), q).unwrap()
        else {
            panic!("events");
        };
        assert!(!events.is_empty());
        assert!(events.iter().all(|e| e.project == "JP-2020-001"));
        let stage = events.last().unwrap().to;
        let q = QueryRequest {
            events: log.events,
            county: Some("建平县".into()),
            stage: Some(stage),
            ..QueryRequest::default()
        };
        let QueryOutput::Projects { projects, .. } = ApprovalsQuery::run(&Env::new(), q).unwrap()
        else {
            panic!("projects");
        };
        assert!(projects.contains(&"JP-2020-001".to_owned()));
        let p = ApprovalsQuery::run(&Env::new(), QueryRequest::default()).unwrap_err();
        assert_eq!(p.status, 422);
    }
}
