//! [`check`] — the whole verification of a log — recorded heads ([`Anchor`]), warnings, and
//! [`append`]: the next signed event, checked against the rules on the replayed state.

use std::collections::BTreeMap;

use ed25519_dalek::SigningKey;
use serde::{Deserialize, Serialize};

use super::verify::{Stepped, step};
use super::{
    AuditError, ChainHead, Draft, DraftAction, Event, EventActor, EventBody, SignatureProblem,
    resolve_actor, verify,
};
use crate::Label;
use crate::approval::{Action, ActorProblem, ApprovalError, ChainRules, ProjectApproval, Registry};
use crate::projects::{Eligibility, ProjectLibrary};

/// A head recorded elsewhere (`count hash`, as `fupin approvals head` prints it), read from a
/// file of anchors.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Anchor {
    /// The line of the anchors file (from 1).
    pub line: usize,
    /// The recorded head.
    pub head: ChainHead,
}

/// What the log says about one anchor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum AnchorStatus {
    /// The log holds the anchored history unchanged and grew by `grew_by` events since.
    Kept {
        /// The anchor.
        anchor: Anchor,
        /// Events added since.
        grew_by: usize,
    },
}

/// A log that disagrees with a recorded head.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AnchorProblem {
    /// The log is shorter than an anchor recorded: events were removed from its end.
    #[error(
        "anchor line {}: the log holds {found} events, but {} were recorded (head {}): events {found}–{} were removed from its end (truncated)",
        anchor.line, anchor.head.count, anchor.head.hash, anchor.head.count - 1
    )]
    Truncated {
        /// The anchor.
        anchor: Anchor,
        /// Events in the log.
        found: usize,
    },
    /// The event at an anchor's position is not the one recorded: history was rewritten at or
    /// before it, after the last anchor that still holds.
    #[error(
        "anchor line {}: event {} is not the one recorded (head {}, found {found}): history was rewritten between event {since} and event {} (the last anchor kept ends before event {since})",
        anchor.line, anchor.head.count - 1, anchor.head.hash, anchor.head.count - 1
    )]
    Rewritten {
        /// The anchor.
        anchor: Anchor,
        /// The hash the log has there.
        found: String,
        /// The first event that may have been rewritten: the count of the last anchor kept
        /// before this one (0 when none).
        since: usize,
    },
}

impl AnchorProblem {
    /// The anchors file's line.
    #[must_use]
    pub const fn line(&self) -> usize {
        match self {
            Self::Truncated { anchor, .. } | Self::Rewritten { anchor, .. } => anchor.line,
        }
    }

    /// The first event the problem concerns.
    #[must_use]
    pub const fn seq(&self) -> Option<u64> {
        match self {
            Self::Truncated { found, .. } => Some(*found as u64),
            Self::Rewritten { since, .. } => Some(*since as u64),
        }
    }
}

/// Read a file of anchors: one head a line, `COUNT HASH` (as `fupin approvals head` prints
/// it; text after the hash is ignored, e.g. a date) or `{"count": …, "hash": …}`; `#` comments
/// and blank lines are skipped.
///
/// # Errors
/// A message naming the line, for a line that is neither.
pub fn parse_anchors(text: &str) -> Result<Vec<Anchor>, String> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let l = raw.trim().trim_start_matches('\u{feff}');
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        let head = if l.starts_with('{') {
            serde_json::from_str::<ChainHead>(l).ok()
        } else {
            let mut parts = l.split_whitespace();
            match (parts.next().map(str::parse::<usize>), parts.next()) {
                (Some(Ok(count)), Some(hash)) => Some(ChainHead {
                    count,
                    hash: hash.to_owned(),
                }),
                _ => None,
            }
        };
        match head {
            Some(h) if is_hash(&h.hash) => out.push(Anchor { line, head: h }),
            _ => {
                return Err(format!(
                    "line {line}: `{}` is not a recorded head: write `COUNT HASH` (64 lowercase hex digits), as `fupin approvals head` prints it",
                    raw.escape_debug()
                ));
            }
        }
    }
    Ok(out)
}

/// Whether a text is a SHA-256 hash in lowercase hex.
#[must_use]
pub fn is_hash(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A caveat of a log that verifies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Warning {
    /// Events without a signature: their chain proves nothing against someone who can write
    /// the file.
    Unsigned {
        /// How many (always the first ones).
        count: usize,
    },
    /// Unsigned events replayed with the roles and jurisdictions they claim (no registry).
    ClaimedRoles,
    /// No anchor was given: events removed from the end cannot be seen.
    NoAnchor,
}

impl Warning {
    /// The warning in Chinese and English.
    #[must_use]
    pub fn label(&self) -> Label {
        match self {
            Self::Unsigned { count } => Label {
                zh: format!("前 {count} 条事件未签名，仅校验哈希链（unsigned, hash chain only）：能写入该文件的人可以重建这部分链；请另行保存链头（fupin approvals head）").into(),
                en: format!("unsigned, hash chain only: the first {count} events carry no signature, so anyone who can write the file can rebuild that part of the chain; keep heads elsewhere (fupin approvals head)").into(),
            },
            Self::ClaimedRoles => Label::new(
                "未提供人员登记表：未签名事件的角色和辖区按事件自述认定，未经核实",
                "no registry: the roles and jurisdictions of unsigned events are taken as the events claim them, unverified",
            ),
            Self::NoAnchor => Label::new(
                "未提供链头记录（--anchor）：无法发现从末尾删除的事件",
                "no anchor given (--anchor): events removed from the end cannot be detected",
            ),
        }
    }
}

/// What [`check`] checks against.
#[derive(Debug, Clone, Copy)]
pub struct CheckOptions<'a> {
    /// The approval rules and project guard that apply (a whole `&Policy` converts).
    pub policy: ChainRules<'a>,
    /// The registry of actors (needed for signed events).
    pub registry: Option<&'a Registry>,
    /// Recorded heads.
    pub anchors: &'a [Anchor],
    /// Whether a log without events is accepted.
    pub allow_empty: bool,
}

impl<'a> CheckOptions<'a> {
    /// Options with a policy, no registry, no anchors, an empty log refused.
    #[must_use]
    pub fn new(policy: impl Into<ChainRules<'a>>) -> Self {
        Self {
            policy: policy.into(),
            registry: None,
            anchors: &[],
            allow_empty: false,
        }
    }

    /// With a registry of actors.
    #[must_use]
    pub const fn registry(mut self, registry: &'a Registry) -> Self {
        self.registry = Some(registry);
        self
    }

    /// With a registry of actors if there is one.
    #[must_use]
    pub const fn maybe_registry(mut self, registry: Option<&'a Registry>) -> Self {
        self.registry = registry;
        self
    }

    /// With recorded heads.
    #[must_use]
    pub const fn anchors(mut self, anchors: &'a [Anchor]) -> Self {
        self.anchors = anchors;
        self
    }

    /// Whether an empty log is accepted.
    #[must_use]
    pub const fn allow_empty(mut self, allow: bool) -> Self {
        self.allow_empty = allow;
        self
    }
}

/// A log that passed [`check`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    /// Its head.
    pub head: ChainHead,
    /// Every project's state.
    pub states: BTreeMap<String, ProjectApproval>,
    /// Signed events.
    pub signed: usize,
    /// Unsigned (format 1) events.
    pub unsigned: usize,
    /// Each anchor, kept.
    pub anchors: Vec<AnchorStatus>,
    /// Caveats to show with the result.
    pub warnings: Vec<Warning>,
}

/// Check a log completely, first failure first: not empty (unless allowed); the hash chain
/// ([`verify`]); every signature, with the key the registry holds for the actor at the event's
/// time; the anchors; then the rules, replayed on the registry's actors.
///
/// # Errors
/// [`AuditError`], naming the line and the event.
pub fn check(events: &[Event], opts: &CheckOptions<'_>) -> Result<Checked, AuditError> {
    if events.is_empty() && !opts.allow_empty {
        return Err(AuditError::Empty);
    }
    let head = verify(events)?;
    check_signatures(events, opts.registry)?;
    let anchors = check_anchors(events, opts.anchors)?;
    let states = super::verify::replay(events, opts.policy, opts.registry)?;
    let signed = events.iter().filter(|e| e.is_signed()).count();
    let unsigned = events.len() - signed;
    let mut warnings = Vec::new();
    if unsigned > 0 {
        warnings.push(Warning::Unsigned { count: unsigned });
        if opts.registry.is_none() {
            warnings.push(Warning::ClaimedRoles);
        }
    }
    if opts.anchors.is_empty() {
        warnings.push(Warning::NoAnchor);
    }
    Ok(Checked {
        head,
        states,
        signed,
        unsigned,
        anchors,
        warnings,
    })
}

fn check_signatures(events: &[Event], registry: Option<&Registry>) -> Result<(), AuditError> {
    for (i, e) in events.iter().enumerate() {
        if !e.is_signed() {
            continue;
        }
        let line = i + 1;
        let actor = e.body.actor.id().to_owned();
        let registry = registry.ok_or_else(|| AuditError::NeedsRegistry {
            line,
            seq: e.seq,
            actor: actor.clone(),
        })?;
        let r = registry
            .resolve(&actor, e.body.at)
            .map_err(|problem| AuditError::Actor {
                line,
                seq: e.seq,
                project: e.body.project.clone(),
                problem,
            })?;
        let bad = |problem| AuditError::Signature {
            line,
            seq: e.seq,
            project: e.body.project.clone(),
            actor: actor.clone(),
            problem,
        };
        let key = r.public_key.ok_or_else(|| bad(SignatureProblem::NoKey))?;
        e.verify_signature(&key).map_err(bad)?;
    }
    Ok(())
}

fn check_anchors(events: &[Event], anchors: &[Anchor]) -> Result<Vec<AnchorStatus>, AuditError> {
    let mut sorted: Vec<&Anchor> = anchors.iter().collect();
    sorted.sort_by_key(|a| a.head.count);
    let mut kept_before = 0;
    let mut out = Vec::new();
    for a in sorted {
        let n = a.head.count;
        let found = if n == 0 {
            Some(super::GENESIS.to_owned())
        } else {
            events.get(n - 1).map(|e| e.hash.clone())
        };
        match found {
            None => {
                return Err(AuditError::Anchor {
                    problem: AnchorProblem::Truncated {
                        anchor: a.clone(),
                        found: events.len(),
                    },
                });
            }
            Some(h) if h != a.head.hash => {
                return Err(AuditError::Anchor {
                    problem: AnchorProblem::Rewritten {
                        anchor: a.clone(),
                        found: h,
                        since: kept_before,
                    },
                });
            }
            Some(_) => {
                kept_before = n;
                out.push(AnchorStatus::Kept {
                    anchor: a.clone(),
                    grew_by: events.len() - n,
                });
            }
        }
    }
    Ok(out)
}

/// Why an event cannot be appended. Nothing is written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AppendError {
    /// The log as it is does not check: nothing is appended to a log that fails.
    #[error("the log does not verify, so nothing was appended: {0}")]
    Log(AuditError),
    /// The draft's actor cannot act at its time.
    #[error("{0}")]
    Actor(ActorProblem),
    /// The key does not belong to the draft's actor.
    #[error(
        "the key does not belong to `{actor}`: its public key is {key}, the registry holds {}",
        registered.as_deref().unwrap_or("no key for the actor")
    )]
    Key {
        /// The draft's actor.
        actor: String,
        /// The key's public key, hex.
        key: String,
        /// The registered key, hex.
        registered: Option<String>,
    },
    /// The step is refused by the rules.
    #[error("{0}")]
    Refused(ApprovalError),
    /// The registry does not grant the actor the step.
    #[error("the registry does not grant `{actor}` the step '{}'", step.label().en)]
    NotGranted {
        /// The actor.
        actor: String,
        /// The step.
        step: crate::approval::Step,
    },
    /// Entry needs the county's library.
    #[error("entering project `{0}` needs the county's project library (--library FILE)")]
    NoLibrary(String),
    /// A draft that cannot be an event (control characters, a mismatch).
    #[error("{0}")]
    Draft(String),
    /// [`super::AuditLog::append`] on a log without a registry.
    #[error("the log has no registry of actors to sign against")]
    NoRegistry,
}

/// The next event of a log: the log is checked ([`check`], an empty log accepted), the draft's
/// actor resolved in the registry at the draft's time, the key matched to the registered one,
/// the step checked against the rules on the replayed state, then the event is signed and
/// chained (seq = the number of events, `prev_hash` = the head). The caller stores it.
///
/// # Errors
/// [`AppendError`]; nothing is changed.
pub fn append<'a>(
    events: &[Event],
    draft: &Draft,
    key: &SigningKey,
    registry: &Registry,
    policy: impl Into<ChainRules<'a>>,
    library: Option<&ProjectLibrary>,
) -> Result<Event, AppendError> {
    let policy = policy.into();
    let checked = check(
        events,
        &CheckOptions::new(policy)
            .registry(registry)
            .allow_empty(true),
    )
    .map_err(AppendError::Log)?;
    next_event(
        events,
        &checked.states,
        draft,
        key,
        registry,
        policy,
        library,
    )
}

/// [`append`] on states already replayed.
pub(super) fn next_event(
    events: &[Event],
    states: &BTreeMap<String, ProjectApproval>,
    draft: &Draft,
    key: &SigningKey,
    registry: &Registry,
    policy: ChainRules<'_>,
    library: Option<&ProjectLibrary>,
) -> Result<Event, AppendError> {
    let r = registry
        .resolve(&draft.actor, draft.at)
        .map_err(AppendError::Actor)?;
    let public = hex::encode(key.verifying_key().as_bytes());
    if r.public_key_hex().as_deref() != Some(public.as_str()) {
        return Err(AppendError::Key {
            actor: draft.actor.clone(),
            key: public,
            registered: r.public_key_hex(),
        });
    }
    let action = match &draft.action {
        DraftAction::Step(a) => a.clone(),
        DraftAction::Enter => {
            let library = library.ok_or_else(|| AppendError::NoLibrary(draft.project.clone()))?;
            match library.eligible_for_special_funds(&draft.project, policy.projects) {
                Ok(Eligibility::InLibrary(p)) => Action::Enter { project: p.into() },
                Ok(Eligibility::Exception(_))
                | Err(crate::projects::ProjectError::NotInLibrary { .. }) => {
                    return Err(AppendError::Refused(ApprovalError::NotInLibrary {
                        project: draft.project.clone(),
                        county: library.county().to_owned(),
                    }));
                }
                Err(e) => {
                    return Err(AppendError::Refused(ApprovalError::Entry {
                        project: draft.project.clone(),
                        reason: e.to_string(),
                    }));
                }
            }
        }
    };
    if let Some(steps) = &r.steps
        && !steps.contains(&action.step())
    {
        return Err(AppendError::NotGranted {
            actor: draft.actor.clone(),
            step: action.step(),
        });
    }
    let mut event = Event {
        seq: events.len() as u64,
        from: states.get(&draft.project).map(|s| s.stage),
        to: crate::approval::Stage::InLibrary,
        body: EventBody {
            project: draft.project.clone(),
            action,
            actor: EventActor::Id(draft.actor.clone()),
            at: draft.at,
            comment: draft.comment.clone(),
        },
        prev_hash: ChainHead::of(events).hash,
        hash: String::new(),
        signature: None,
    };
    event.check_text().map_err(AppendError::Draft)?;
    let next = step(states, &event, &r.actor, policy).map_err(|e| match e {
        Stepped::Illegal(e) => AppendError::Refused(e),
        Stepped::Mismatch(m) => AppendError::Draft(m),
    })?;
    event.to = next.stage;
    event.sign(key);
    // The event resolves as it will on replay (the same registry, the same time).
    resolve_actor(&event, events.len() + 1, Some(registry)).map_err(AppendError::Log)?;
    Ok(event)
}
