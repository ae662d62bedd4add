//! The documents of the contract that are not a core type as they are: a batch of scores with
//! the units refused, the calendar's lists, the approval log's verification and replay, a
//! policy's validation. Core results ([`fupin::report::Report`], [`fupin::tasks::TasksReport`],
//! [`fupin::spending::Bulletin`], …) are documents as they are, versioned by [`crate::to_json`].

use std::collections::BTreeMap;

use chrono::NaiveDate;
use fupin::Lang;
use fupin::approval::ProjectApproval;
use fupin::assessment::{self, RankEntry, ScoreInput, ScoreReport, Scorecard};
use fupin::audit::{self, AuditError, ChainHead, CheckOptions, Event};
use fupin::calendar::{Obligation, ObligationStatus};
use serde::Serialize;

use crate::problem::{Problem, ProblemField};

/// Every problem of a library error as field errors (never empty).
#[must_use]
pub fn field_errors(e: &fupin::Error) -> Vec<ProblemField> {
    e.field_errors()
}

/// Units scored on one card, ranked; with the units that could not be scored.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ScoreOutput {
    /// The card's id.
    pub card: String,
    /// One report per unit scored, in input order (refused units left out).
    pub reports: Vec<ScoreReport>,
    /// The ranking of the scored units; `index` points into `reports`.
    pub ranking: Vec<RankEntry>,
    /// One entry per unit refused, naming its row of the input and every problem; empty when
    /// every unit was scored.
    pub errors: Vec<UnitError>,
}

/// A unit that could not be scored.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct UnitError {
    /// The unit's index in the input (from 0).
    pub row: usize,
    /// The unit's name as given.
    pub unit: String,
    /// What is wrong with it.
    pub problem: Problem,
}

impl ScoreOutput {
    /// Whether any unit was refused.
    #[must_use]
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    /// Whether any scored unit failed by the one-vote veto.
    #[must_use]
    pub fn any_vetoed(&self) -> bool {
        self.reports.iter().any(ScoreReport::failed)
    }
}

/// Score `inputs` on `card` and rank them.
///
/// With `keep_going`, a unit whose scores are refused is listed in
/// [`ScoreOutput::errors`] and the rest are scored and ranked; without it the first refusal is
/// the error, with the unit's row and name in its path.
///
/// # Errors
/// Without `keep_going`: the first unit's problem, its paths under `{prefix}[row]`.
pub fn score_units(
    card: &Scorecard,
    inputs: &[ScoreInput],
    keep_going: bool,
    prefix: &str,
) -> Result<ScoreOutput, Problem> {
    let mut reports = Vec::with_capacity(inputs.len());
    let mut errors = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (row, input) in inputs.iter().enumerate() {
        // Each unit is scored and ranked once: a name given twice is refused like a bad score.
        let scored = assessment::score(card, input).and_then(|r| {
            if seen.insert(r.unit.clone()) {
                Ok(r)
            } else {
                Err(assessment::ScoreError::DuplicateUnit {
                    unit: r.unit.clone(),
                })
            }
        });
        match scored {
            Ok(r) => reports.push(r),
            Err(e) => {
                let at = format!("{prefix}[{row}]");
                let problem = Problem::from(fupin::Error::from(e)).within(&at);
                if !keep_going {
                    return Err(problem);
                }
                errors.push(UnitError {
                    row,
                    unit: input.unit.clone(),
                    problem,
                });
            }
        }
    }
    let ranking = assessment::rank(&reports)
        .map_err(|e| Problem::from(fupin::Error::from(e)).within(prefix))?;
    Ok(ScoreOutput {
        card: card.id.clone(),
        reports,
        ranking,
        errors,
    })
}

/// The obligations due in a range (`fupin calendar` without `--on`).
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct CalendarDue {
    /// First due date listed.
    pub from: NaiveDate,
    /// Last due date listed.
    pub to: NaiveDate,
    /// The obligations, by due date.
    pub obligations: Vec<Obligation>,
}

/// The status of each obligation due in a range on a date (`fupin calendar --on`).
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct CalendarStatus {
    /// First due date listed.
    pub from: NaiveDate,
    /// Last due date listed.
    pub to: NaiveDate,
    /// The date asked about.
    pub on: NaiveDate,
    /// Whether any obligation is overdue on that date.
    pub overdue: bool,
    /// Each obligation and its status.
    pub statuses: Vec<ObligationStatus>,
}

impl CalendarStatus {
    /// The document for `statuses`.
    #[must_use]
    pub fn new(
        from: NaiveDate,
        to: NaiveDate,
        on: NaiveDate,
        statuses: Vec<ObligationStatus>,
    ) -> Self {
        let overdue = statuses
            .iter()
            .any(|s| s.status == fupin::calendar::Status::Overdue);
        Self {
            from,
            to,
            on,
            overdue,
            statuses,
        }
    }
}

/// The first event of a log that the rules or the hash chain refuse.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
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
}

/// Every project's state after replaying a log (`fupin approvals replay`).
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
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
    pub library_rules: Vec<fupin::Label>,
    /// Whether hashes, signatures and anchors were verified first.
    pub verified: bool,
    /// Caveats: unsigned events (hash chain only), roles as claimed, no anchor.
    pub warnings: Vec<fupin::Label>,
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
    let mut warnings = vec![fupin::Label::new(
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

/// A log checked (`fupin approvals verify`): hashes, signatures, registry, rules, anchors.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
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
    pub warnings: Vec<fupin::Label>,
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
    let mut warnings: Vec<fupin::Label> =
        checked.warnings.iter().map(audit::Warning::label).collect();
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

/// A policy that was read and validated.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct PolicyValidation {
    /// Always `true`: an invalid policy is a problem document instead.
    pub valid: bool,
    /// The policy's name.
    pub name: String,
    /// The year it is for.
    pub year: i32,
    /// The scorecards it defines.
    pub cards: Vec<String>,
}

impl PolicyValidation {
    /// The document for a valid policy.
    #[must_use]
    pub fn new(policy: &fupin::Policy) -> Self {
        Self {
            valid: true,
            name: policy.meta.name.clone(),
            year: policy.meta.year,
            cards: policy
                .assessment
                .cards
                .iter()
                .map(|c| c.id.clone())
                .collect(),
        }
    }
}

/// One parameter that differs between two policies.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct PolicyChange {
    /// Where, as a path into the policy (`funds.quota.county`, `assessment.cards[a].bonus.cap`:
    /// list entries with an `id` are named by it, others by position).
    pub path: String,
    /// The value in the first policy (`null`: absent there).
    pub old: serde_json::Value,
    /// The value in the second policy (`null`: absent there).
    pub new: serde_json::Value,
}

/// The policy a comparison names.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct PolicyName {
    /// The policy's name (meta.name).
    pub name: String,
    /// Its year.
    pub year: i32,
}

/// What differs between two policies (`fupin policy diff`, `POST /v1/policy/compare`).
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct PolicyComparison {
    /// The first policy.
    pub old: PolicyName,
    /// The second policy.
    pub new: PolicyName,
    /// Whether every parameter is the same (equal decimals written differently, `"0.2"` and
    /// `"0.20"`, are the same).
    pub same: bool,
    /// Every parameter that differs, in the policy's order.
    pub changes: Vec<PolicyChange>,
}

/// Compare two policies parameter by parameter.
#[must_use]
pub fn compare_policies(old: &fupin::Policy, new: &fupin::Policy) -> PolicyComparison {
    let a = serde_json::to_value(old).unwrap_or(serde_json::Value::Null);
    let b = serde_json::to_value(new).unwrap_or(serde_json::Value::Null);
    let mut changes = Vec::new();
    diff_values("", &a, &b, &mut changes);
    let name = |p: &fupin::Policy| PolicyName {
        name: p.meta.name.clone(),
        year: p.meta.year,
    };
    PolicyComparison {
        old: name(old),
        new: name(new),
        same: changes.is_empty(),
        changes,
    }
}

fn same_leaf(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    if a == b {
        return true;
    }
    match (a.as_str(), b.as_str()) {
        (Some(x), Some(y)) => matches!(
            (fupin::money::parse_number(x), fupin::money::parse_number(y)),
            (Ok(p), Ok(q)) if p == q
        ),
        _ => false,
    }
}

fn key_of(v: &serde_json::Value) -> Option<&str> {
    v.get("id").and_then(serde_json::Value::as_str)
}

fn diff_values(
    path: &str,
    a: &serde_json::Value,
    b: &serde_json::Value,
    out: &mut Vec<PolicyChange>,
) {
    use serde_json::Value as V;
    let at = |k: &str| {
        if path.is_empty() {
            k.to_owned()
        } else {
            format!("{path}.{k}")
        }
    };
    match (a, b) {
        (V::Object(x), V::Object(y)) => {
            for (k, va) in x {
                diff_values(&at(k), va, y.get(k).unwrap_or(&V::Null), out);
            }
            for (k, vb) in y.iter().filter(|(k, _)| !x.contains_key(*k)) {
                diff_values(&at(k), &V::Null, vb, out);
            }
        }
        (V::Array(x), V::Array(y)) if x.iter().chain(y).all(|v| key_of(v).is_some()) => {
            for va in x {
                let id = key_of(va).unwrap_or_default();
                let vb = y.iter().find(|v| key_of(v) == Some(id)).unwrap_or(&V::Null);
                diff_values(&format!("{path}[{id}]"), va, vb, out);
            }
            for vb in y
                .iter()
                .filter(|v| !x.iter().any(|va| key_of(va) == key_of(v)))
            {
                diff_values(
                    &format!("{path}[{}]", key_of(vb).unwrap_or_default()),
                    &V::Null,
                    vb,
                    out,
                );
            }
        }
        (V::Array(x), V::Array(y)) => {
            for i in 0..x.len().max(y.len()) {
                diff_values(
                    &format!("{path}[{i}]"),
                    x.get(i).unwrap_or(&V::Null),
                    y.get(i).unwrap_or(&V::Null),
                    out,
                );
            }
        }
        _ if same_leaf(a, b) => {}
        _ => out.push(PolicyChange {
            path: path.to_owned(),
            old: a.clone(),
            new: b.clone(),
        }),
    }
}
