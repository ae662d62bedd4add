//! The audit trail of the approval chain: a hash-chained event log, its verification and replay.
//!
//! Clauses: **M6** 三(六) (the chain 入库 → 乡申报 → 县审核 → 市复核 → 安排资金 → 批准实施) and
//! **G5** 二(五) (whole-process supervision of the funds): every transition of
//! [`crate::approval`] appends an [`Event`] — project, stage before and after, action, actor,
//! time, comment — to an [`AuditLog`].
//!
//! # The chain
//! Each event carries `prev_hash`, the hash of the event before it (64 zeros, [`GENESIS`], for the
//! first), and `hash` = SHA-256 of `prev_hash` followed by the event's *canonical JSON* (every
//! field but the two hashes, object keys sorted, no spaces), in lowercase hex. [`verify`] recomputes
//! the chain and names the first line that was edited, removed, inserted or reordered. Removing
//! or appending events at the *end* of a log leaves a valid shorter or longer chain: keep the
//! [`ChainHead`] (count and last hash) somewhere else and check it with [`verify_head`].
//!
//! # Replay
//! [`replay`] rebuilds every project's [`ProjectApproval`] from the events by running the rules
//! again, and refuses the first event the rules forbid or whose recorded stages disagree with
//! them, naming its line. It does not check hashes: verify first.
//!
//! Events serialise to JSON Lines ([`AuditLog::to_jsonl`], [`from_jsonl`]).
//!
//! # Example
//! ```
//! use fupin::audit::{from_jsonl, replay, verify, AuditLog};
//! use fupin::approval::Stage;
//!
//! let log = AuditLog::sample_2020();
//! let text = log.to_jsonl();
//! let events = from_jsonl(&text)?;
//! assert_eq!(verify(&events)?, log.head());
//! let states = replay(&events)?;
//! assert_eq!(states["JP-2020-001"].stage, Stage::Approved);
//!
//! // Change one amount in the file: verify names the line.
//! let forged = text.replacen("\"1000000\"", "\"1200000\"", 1);
//! let err = verify(&from_jsonl(&forged)?).unwrap_err();
//! assert!(err.to_string().contains("line"), "{err}");
//! # Ok::<(), fupin::audit::AuditError>(())
//! ```

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::approval::{
    Action, Actor, ApprovalError, ProjectApproval, Stage, Timestamp, transition,
};
use crate::money::Lang;
use crate::projects::ProjectLibrary;

/// The `prev_hash` of the first event: 64 zeros.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One transition of one project, chained to the event before it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// Position in the log, from 0.
    pub seq: u64,
    /// Project id.
    pub project: String,
    /// Stage before (none for entry into the library).
    pub from: Option<Stage>,
    /// Stage after.
    pub to: Stage,
    /// What was done.
    pub action: Action,
    /// Who did it.
    pub actor: Actor,
    /// When.
    pub at: Timestamp,
    /// Free comment (reasons for a return, document numbers, …).
    #[serde(default)]
    pub comment: String,
    /// Hash of the previous event, or [`GENESIS`].
    pub prev_hash: String,
    /// SHA-256 of `prev_hash` and this event's canonical JSON, lowercase hex.
    pub hash: String,
}

#[derive(Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
struct Body<'a> {
    seq: u64,
    project: &'a str,
    from: Option<Stage>,
    to: Stage,
    action: &'a Action,
    actor: &'a Actor,
    at: &'a Timestamp,
    comment: &'a str,
}

impl Event {
    /// The event's canonical JSON: every field except `prev_hash` and `hash`, keys sorted, no
    /// spaces.
    #[must_use]
    pub fn canonical_json(&self) -> String {
        let body = Body {
            seq: self.seq,
            project: &self.project,
            from: self.from,
            to: self.to,
            action: &self.action,
            actor: &self.actor,
            at: &self.at,
            comment: &self.comment,
        };
        // Plain data with string keys: serialisation to a JSON value cannot fail.
        let value = serde_json::to_value(&body).unwrap_or(serde_json::Value::Null);
        let mut out = String::new();
        write_canonical(&value, &mut out);
        out
    }

    /// The hash the event should carry: SHA-256 of its `prev_hash` and canonical JSON.
    #[must_use]
    pub fn expected_hash(&self) -> String {
        let mut h = Sha256::new();
        h.update(self.prev_hash.as_bytes());
        h.update(self.canonical_json().as_bytes());
        hex::encode(h.finalize())
    }
}

fn write_canonical(v: &serde_json::Value, out: &mut String) {
    use serde_json::Value as V;
    match v {
        V::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (i, (k, v)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&V::String(k.clone()).to_string());
                out.push(':');
                write_canonical(v, out);
            }
            out.push('}');
        }
        V::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(v, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// The end of a chain: how many events and the last hash. Keep it apart from the log to detect
/// events removed from, or added to, its end.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ChainHead {
    /// Number of events.
    pub count: usize,
    /// Hash of the last event ([`GENESIS`] for an empty log).
    pub hash: String,
}

/// How a chain was tampered with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Tampering {
    /// The event does not match its own hash: a field (or a hash) was changed.
    Edited {
        /// The event's (claimed) sequence number.
        seq: u64,
    },
    /// The event was changed and its hash recomputed: the next event no longer links to it.
    Rehashed {
        /// The event's sequence number.
        seq: u64,
    },
    /// Events are missing before this line.
    Removed {
        /// First missing sequence number.
        first: u64,
        /// Last missing sequence number.
        last: u64,
    },
    /// The event at this line is not part of the chain: it was inserted.
    Inserted {
        /// Its (claimed) sequence number.
        seq: u64,
    },
    /// The event at this line belongs later in the chain.
    Reordered {
        /// Its sequence number.
        seq: u64,
    },
    /// The log has another number of events than its recorded head.
    CountMismatch {
        /// The head's count.
        expected: usize,
        /// Events in the log.
        found: usize,
    },
    /// The last hash differs from the recorded head.
    HeadMismatch {
        /// The head's hash.
        expected: String,
        /// The log's last hash.
        found: String,
    },
}

/// A log that cannot be read, verified or replayed. Lines are counted from 1.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AuditError {
    /// A line that is not an event.
    #[error("line {line}: not a valid event: {message}")]
    Malformed {
        /// The line.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The hash chain is broken.
    #[error("line {line}: {}", tampering_message(tampering, *line))]
    Tampered {
        /// The line (for a removal, the line after the gap; for a head mismatch, the last line).
        line: usize,
        /// What was found.
        tampering: Tampering,
    },
    /// An event the rules forbid.
    #[error("line {line} (event {seq}): {error}")]
    Illegal {
        /// The line.
        line: usize,
        /// The event's sequence number.
        seq: u64,
        /// Why the rules refuse it.
        error: ApprovalError,
    },
    /// An event whose recorded stages differ from those the rules give.
    #[error("line {line} (event {seq}), project {project}: the event records {} → {} but the rules give {} → {}",
        stage_name(*recorded_from), recorded_to, stage_name(*computed_from), computed_to)]
    Inconsistent {
        /// The line.
        line: usize,
        /// The event's sequence number.
        seq: u64,
        /// Project id.
        project: String,
        /// Stage before, as recorded.
        recorded_from: Option<Stage>,
        /// Stage after, as recorded.
        recorded_to: Stage,
        /// Stage before, by the rules.
        computed_from: Option<Stage>,
        /// Stage after, by the rules.
        computed_to: Stage,
    },
}

impl AuditError {
    /// The line the error is about (from 1).
    #[must_use]
    pub const fn line(&self) -> usize {
        match self {
            Self::Malformed { line, .. }
            | Self::Tampered { line, .. }
            | Self::Illegal { line, .. }
            | Self::Inconsistent { line, .. } => *line,
        }
    }

    /// The message in a language (an illegal event's reason in that language).
    #[must_use]
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (Self::Illegal { line, seq, error }, Lang::Zh) => {
                format!("第 {line} 行（事件 {seq}）：{}", error.message(Lang::Zh))
            }
            _ => self.to_string(),
        }
    }
}

fn stage_name(s: Option<Stage>) -> String {
    s.map_or_else(|| "(none)".to_owned(), |s| s.to_string())
}

fn tampering_message(t: &Tampering, line: usize) -> String {
    match t {
        Tampering::Edited { seq } => {
            format!("event {seq} does not match its hash: it was edited")
        }
        Tampering::Rehashed { seq } => format!(
            "event {seq} was edited and re-hashed: the event on line {} no longer links to it",
            line + 1
        ),
        Tampering::Removed { first, last } if first == last => {
            format!("event {first} was removed before this line")
        }
        Tampering::Removed { first, last } => {
            format!("events {first}–{last} were removed before this line")
        }
        Tampering::Inserted { seq } => {
            format!("the event (claiming number {seq}) is not part of the chain: it was inserted")
        }
        Tampering::Reordered { seq } => {
            format!("event {seq} is out of order: it belongs later in the chain")
        }
        Tampering::CountMismatch { expected, found } => format!(
            "the log has {found} events but its recorded head says {expected}: events were removed from or added to its end"
        ),
        Tampering::HeadMismatch { expected, found } => {
            format!(
                "the chain ends at {found}, not at the recorded head {expected}: events were removed from or added to its end, or the log was replaced"
            )
        }
    }
}

/// Check the hash chain; the head of a valid chain.
///
/// # Errors
/// [`AuditError::Tampered`] for the first broken line.
pub fn verify(events: &[Event]) -> Result<ChainHead, AuditError> {
    let mut position: HashMap<&str, usize> = HashMap::with_capacity(events.len());
    for (i, e) in events.iter().enumerate() {
        position.entry(e.hash.as_str()).or_insert(i);
    }
    let mut prev = GENESIS;
    let mut expected_seq = 0u64;
    let mut prev_seq = 0u64;
    for (i, e) in events.iter().enumerate() {
        let line = i + 1;
        let tampered = |tampering| AuditError::Tampered { line, tampering };
        if e.expected_hash() != e.hash {
            return Err(tampered(Tampering::Edited { seq: e.seq }));
        }
        if e.prev_hash != prev {
            return Err(match position.get(e.prev_hash.as_str()) {
                Some(&j) if j > i => tampered(Tampering::Reordered { seq: e.seq }),
                // The events between the one this links to and this one are not in the chain.
                Some(&j) => {
                    let first = j + 1;
                    AuditError::Tampered {
                        line: first + 1,
                        tampering: Tampering::Inserted {
                            seq: events.get(first).map_or(e.seq, |x| x.seq),
                        },
                    }
                }
                None if e.prev_hash == GENESIS => AuditError::Tampered {
                    line: 1,
                    tampering: Tampering::Inserted {
                        seq: events.first().map_or(0, |x| x.seq),
                    },
                },
                None if e.seq > expected_seq => tampered(Tampering::Removed {
                    first: expected_seq,
                    last: e.seq - 1,
                }),
                None if i == 0 => tampered(Tampering::Edited { seq: e.seq }),
                None => AuditError::Tampered {
                    line: i,
                    tampering: Tampering::Rehashed { seq: prev_seq },
                },
            });
        }
        if e.seq != expected_seq {
            return Err(tampered(Tampering::Edited { seq: e.seq }));
        }
        prev = &e.hash;
        prev_seq = e.seq;
        expected_seq = e.seq.saturating_add(1);
    }
    Ok(ChainHead {
        count: events.len(),
        hash: prev.to_owned(),
    })
}

/// Check the hash chain and that it ends at a recorded head.
///
/// # Errors
/// As [`verify`]; then [`Tampering::CountMismatch`] or [`Tampering::HeadMismatch`].
pub fn verify_head(events: &[Event], head: &ChainHead) -> Result<(), AuditError> {
    let found = verify(events)?;
    let line = events.len().max(1);
    if found.count != head.count {
        return Err(AuditError::Tampered {
            line,
            tampering: Tampering::CountMismatch {
                expected: head.count,
                found: found.count,
            },
        });
    }
    if found.hash != head.hash {
        return Err(AuditError::Tampered {
            line,
            tampering: Tampering::HeadMismatch {
                expected: head.hash.clone(),
                found: found.hash,
            },
        });
    }
    Ok(())
}

/// The result of replaying a log as far as it goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replay {
    /// Every project's state after the last event replayed.
    pub states: BTreeMap<String, ProjectApproval>,
    /// The first event refused, if any; replay stops there.
    pub error: Option<AuditError>,
}

/// Rebuild every project's state from the events, stopping at the first illegal one.
#[must_use]
pub fn replay_partial(events: &[Event]) -> Replay {
    let mut states = BTreeMap::new();
    for (i, e) in events.iter().enumerate() {
        if let Err(error) = replay_one(&mut states, i + 1, e) {
            return Replay {
                states,
                error: Some(error),
            };
        }
    }
    Replay {
        states,
        error: None,
    }
}

/// Rebuild every project's state from the events.
///
/// # Errors
/// [`AuditError::Illegal`] for the first event the rules refuse, [`AuditError::Inconsistent`]
/// for one whose recorded stages are not those the rules give.
pub fn replay(events: &[Event]) -> Result<BTreeMap<String, ProjectApproval>, AuditError> {
    let r = replay_partial(events);
    match r.error {
        Some(e) => Err(e),
        None => Ok(r.states),
    }
}

fn replay_one(
    states: &mut BTreeMap<String, ProjectApproval>,
    line: usize,
    e: &Event,
) -> Result<(), AuditError> {
    let illegal = |error| AuditError::Illegal {
        line,
        seq: e.seq,
        error,
    };
    let current = states.get(&e.project);
    let next = match (&e.action, current) {
        (Action::Enter { project }, None) if project.id == e.project => {
            ProjectApproval::begin(project.clone(), &e.actor, e.at).map_err(illegal)?
        }
        (Action::Enter { .. }, Some(_)) => {
            return Err(illegal(ApprovalError::AlreadyEntered {
                project: e.project.clone(),
            }));
        }
        (Action::Enter { project }, None) => {
            return Err(AuditError::Malformed {
                line,
                message: format!(
                    "the event is about project `{}` but enters project `{}`",
                    e.project, project.id
                ),
            });
        }
        (_, None) => {
            return Err(illegal(ApprovalError::NotInLibrary {
                project: e.project.clone(),
                county: String::new(),
            }));
        }
        (action, Some(state)) => transition(state, action, &e.actor, e.at).map_err(illegal)?,
    };
    let from = current.map(|s| s.stage);
    if e.from != from || e.to != next.stage {
        return Err(AuditError::Inconsistent {
            line,
            seq: e.seq,
            project: e.project.clone(),
            recorded_from: e.from,
            recorded_to: e.to,
            computed_from: from,
            computed_to: next.stage,
        });
    }
    states.insert(e.project.clone(), next);
    Ok(())
}

/// Read events from JSON Lines: one event per line, so that line *n* is event *n − 1* and
/// every error's line is the file's line. Blank lines are allowed only at the end.
///
/// # Errors
/// [`AuditError::Malformed`] naming the line.
pub fn from_jsonl(text: &str) -> Result<Vec<Event>, AuditError> {
    let mut out = Vec::new();
    let body = text.trim_end();
    for (i, line) in body.lines().enumerate() {
        if line.trim().is_empty() {
            return Err(AuditError::Malformed {
                line: i + 1,
                message: "empty line: a log has one event on every line".into(),
            });
        }
        let event = serde_json::from_str(line).map_err(|e| AuditError::Malformed {
            line: i + 1,
            message: e.to_string(),
        })?;
        out.push(event);
    }
    Ok(out)
}

/// Write events as JSON Lines.
#[must_use]
pub fn to_jsonl(events: &[Event]) -> String {
    let mut out = String::new();
    for e in events {
        // An event is plain data with string keys: serialisation cannot fail.
        let _ = writeln!(out, "{}", serde_json::to_string(e).unwrap_or_default());
    }
    out
}

/// An append-only log of transitions with the projects' current states.
///
/// Every method that acts runs the rules of [`crate::approval`] first: a refused action leaves
/// the log unchanged.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditLog {
    events: Vec<Event>,
    states: BTreeMap<String, ProjectApproval>,
}

impl AuditLog {
    /// An empty log.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// A log continued from verified events.
    ///
    /// # Errors
    /// The errors of [`verify`] and [`replay`].
    pub fn from_events(events: Vec<Event>) -> Result<Self, AuditError> {
        verify(&events)?;
        let states = replay(&events)?;
        Ok(Self { events, states })
    }

    /// The events.
    #[must_use]
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// Every project's current state, by id.
    #[must_use]
    pub const fn states(&self) -> &BTreeMap<String, ProjectApproval> {
        &self.states
    }

    /// The head of the chain, to keep apart from the log.
    #[must_use]
    pub fn head(&self) -> ChainHead {
        ChainHead {
            count: self.events.len(),
            hash: self
                .events
                .last()
                .map_or_else(|| GENESIS.to_owned(), |e| e.hash.clone()),
        }
    }

    /// The log as JSON Lines.
    #[must_use]
    pub fn to_jsonl(&self) -> String {
        to_jsonl(&self.events)
    }

    /// 入库 — a project of a county's library enters the chain (see
    /// [`ProjectApproval::enter`]).
    ///
    /// # Errors
    /// [`ApprovalError::AlreadyEntered`], or the errors of [`ProjectApproval::enter`].
    pub fn enter(
        &mut self,
        library: &ProjectLibrary,
        project_id: &str,
        actor: &Actor,
        at: Timestamp,
        comment: &str,
    ) -> Result<&ProjectApproval, ApprovalError> {
        if self.states.contains_key(project_id) {
            return Err(ApprovalError::AlreadyEntered {
                project: project_id.to_owned(),
            });
        }
        let state = ProjectApproval::enter(library, project_id, actor, at)?;
        let action = Action::Enter {
            project: state.project.clone(),
        };
        Ok(self.push(None, state, action, actor, at, comment))
    }

    /// Take a step on a project already in the chain, and record it.
    ///
    /// # Errors
    /// [`ApprovalError::NotInLibrary`] for a project that never entered (and for
    /// [`Action::Enter`], which goes through [`AuditLog::enter`]); the errors of [`transition`].
    pub fn record(
        &mut self,
        project_id: &str,
        action: Action,
        actor: &Actor,
        at: Timestamp,
        comment: &str,
    ) -> Result<&ProjectApproval, ApprovalError> {
        let Some(state) = self.states.get(project_id) else {
            let county = match &action {
                Action::Enter { project } => project.county.clone(),
                _ => String::new(),
            };
            return Err(ApprovalError::NotInLibrary {
                project: project_id.to_owned(),
                county,
            });
        };
        let next = transition(state, &action, actor, at)?;
        let from = Some(state.stage);
        Ok(self.push(from, next, action, actor, at, comment))
    }

    fn push(
        &mut self,
        from: Option<Stage>,
        state: ProjectApproval,
        action: Action,
        actor: &Actor,
        at: Timestamp,
        comment: &str,
    ) -> &ProjectApproval {
        let mut event = Event {
            seq: self.events.len() as u64,
            project: state.project.id.clone(),
            from,
            to: state.stage,
            action,
            actor: actor.clone(),
            at,
            comment: comment.to_owned(),
            prev_hash: self.head().hash,
            hash: String::new(),
        };
        event.hash = event.expected_hash();
        self.events.push(event);
        let slot = self
            .states
            .entry(state.project.id.clone())
            .or_insert_with(|| state.clone());
        *slot = state;
        slot
    }

    /// An illustrative 2020 log for three fictional projects of 建平县, 朝阳县 and 喀左县, with
    /// fictional officials: one goes the plan's whole path to 批准实施, one is returned by the
    /// city and applied for again, one is rejected by its county. Shipped as
    /// `examples/approvals_2020.jsonl`.
    #[must_use]
    #[allow(clippy::expect_used)] // fixed data, checked by the tests
    pub fn sample_2020() -> Self {
        sample::build().expect("the sample log follows the rules")
    }
}

mod sample;

/// The county libraries behind [`AuditLog::sample_2020`]: 建平县, 朝阳县 and 喀左县, one
/// fictional project each, admitted under the embedded 2020 policy.
#[must_use]
#[allow(clippy::expect_used)] // fixed data, checked by the tests
pub fn sample_2020_libraries() -> Vec<ProjectLibrary> {
    sample::libraries()
        .expect("the sample projects meet the embedded policy")
        .into()
}

#[cfg(test)]
mod tests;
