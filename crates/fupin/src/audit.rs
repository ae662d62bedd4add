//! The audit trail of the approval chain: signed, hash-chained events, an actor registry,
//! anchored heads, verification and replay.
//!
//! Clauses: **M6** 三(六) (the chain 入库 → 乡申报 → 县审核 → 市复核 → 安排资金 → 批准实施, in
//! procedural, archived libraries — 程序化、档案化) and **G5** 二(五) (whole-process supervision
//! of the funds): every transition of [`crate::approval`] is an [`Event`] — project, stage before
//! and after, action, actor, time, comment — that proves who took the step and that nothing was
//! removed.
//!
//! # Signed events (format 2)
//! An event names its actor by id only; the actor's role and jurisdiction come from the
//! [`Registry`], never from the event. Its bytes are the **RFC 8785 (JCS)** canonical JSON of
//! the event without `hash` and `signature` ([`Event::signed_bytes`]): `"v":2`, `seq`,
//! `project`, `from`, `to`, `action`, `actor`, `at`, `comment` and `prev_hash`. The same bytes
//! are hashed (`hash` = SHA-256, lowercase hex) and signed by the actor (`signature` = Ed25519,
//! lowercase hex, checked with `verify_strict`). The line stored is the JCS form of the whole
//! event, so a line that is not byte for byte its own canonical form was edited
//! ([`Tampering::NotCanonical`]): any change of any byte is detected.
//!
//! # Unsigned events (format 1, before signatures)
//! Older logs carry the actor's role and jurisdiction as the event claims them, and `hash` =
//! SHA-256 of `prev_hash` followed by the canonical JSON of the other fields. They still verify,
//! as "unsigned, hash chain only", with a [`Warning`] in every result: anyone who can write the
//! file can rebuild such a chain. A log may start with unsigned events and continue signed; an
//! unsigned event after a signed one is refused ([`Tampering::UnsignedAfterSigned`]).
//!
//! # Checking a log
//! [`check`] verifies, in order: the hash chain ([`verify`], naming the first line edited,
//! removed, inserted or reordered), every signature against the registry's key of the actor
//! registered at the event's time, the recorded heads ([`Anchor`]s: the log only grew since
//! each, or it was rewritten before one — and where — or truncated), and then replays the
//! rules on the registered actors. [`append`] does all that on the log as it is, then checks
//! the new step against the rules on the replayed state, signs it, and chains it.
//!
//! # Example
//! ```
//! use fupin::audit::{self, check, from_jsonl, CheckOptions, AuditLog};
//! use fupin::approval::Stage;
//!
//! let log = AuditLog::sample_2020();
//! let registry = audit::sample_2020_registry();
//! let text = log.to_jsonl();
//! let events = from_jsonl(&text)?;
//! let checked = check(&events, &CheckOptions::new(log.policy()).registry(&registry))?;
//! assert_eq!(checked.head, log.head());
//! assert_eq!(checked.states["JP-2020-001"].stage, Stage::Approved);
//!
//! // Change one amount in the file: the line no longer matches its hash.
//! let forged = text.replacen("\"1000000\"", "\"1200000\"", 1);
//! let err = check(&from_jsonl(&forged)?, &CheckOptions::new(log.policy()).registry(&registry))
//!     .unwrap_err();
//! assert!(err.to_string().contains("line"), "{err}");
//! # Ok::<(), fupin::audit::AuditError>(())
//! ```
use ed25519_dalek::SigningKey;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::approval::{Actor, ActorProblem, ApprovalError, Stage, Step};
use crate::money::Lang;
use crate::projects::ProjectLibrary;

mod canonical;
mod log;
mod trail;
mod verify;
mod wire;
pub use canonical::{CanonicalError, canonical_json};
pub use log::AuditLog;
pub use trail::{
    Anchor, AnchorProblem, AnchorStatus, AppendError, CheckOptions, Checked, Warning, append,
    check, is_hash, parse_anchors,
};
pub use verify::{Replay, replay, replay_partial, resolve_actor, verify, verify_head};
pub use wire::{Draft, DraftAction, Event, EventActor, EventBody, from_jsonl, to_jsonl};

/// The `prev_hash` of the first event: 64 zeros.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Why a signature does not verify.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignatureProblem {
    /// The event carries none.
    Missing,
    /// Not 128 lowercase hex digits.
    Malformed,
    /// Not made by the registered key over the event's bytes.
    Invalid,
    /// The registry holds no public key for the actor.
    NoKey,
}

impl SignatureProblem {
    fn message(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Self::Missing, Lang::En) => "carries no signature",
            (Self::Missing, Lang::Zh) => "没有签名",
            (Self::Malformed, Lang::En) => "has a signature that is not 128 lowercase hex digits",
            (Self::Malformed, Lang::Zh) => "签名格式错误（应为 128 位小写十六进制）",
            (Self::Invalid, Lang::En) => {
                "has a signature that does not verify with the actor's registered key: the event was changed, or not signed by that actor"
            }
            (Self::Invalid, Lang::Zh) => "签名与登记的公钥不符：事件被改动，或并非由该人员签署",
            (Self::NoKey, Lang::En) => {
                "is signed, but the registry holds no public key for its actor"
            }
            (Self::NoKey, Lang::Zh) => "已签名，但登记表中没有该人员的公钥",
        }
    }
}

/// The example key of an actor of the sample log: derived from the actor's id by SHA-256 of a
/// fixed, published text. **Anyone can compute it**: it signs the shipped example only and
/// must never sign a real log.
#[must_use]
pub fn example_key(actor_id: &str) -> SigningKey {
    let seed = Sha256::digest(format!(
        "fupin example key, public, never for real use: {actor_id}"
    ));
    SigningKey::from_bytes(&seed.into())
}

/// The end of a chain: how many events and the last hash. Keep it apart from the log to detect
/// events removed from, or added to, its end (`fupin approvals head`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ChainHead {
    /// Number of events.
    pub count: usize,
    /// Hash of the last event ([`GENESIS`] for an empty log).
    pub hash: String,
}

impl ChainHead {
    /// The head of a list of events (not checked).
    #[must_use]
    pub fn of(events: &[Event]) -> Self {
        Self {
            count: events.len(),
            hash: events
                .last()
                .map_or_else(|| GENESIS.to_owned(), |e| e.hash.clone()),
        }
    }
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
    /// A signed event's line is not byte for byte the canonical form of its content: it was
    /// edited after it was written (spaces, escapes, order of fields).
    NotCanonical {
        /// The event's sequence number.
        seq: u64,
    },
    /// An unsigned event after a signed one: signatures cannot be dropped from a log.
    UnsignedAfterSigned {
        /// The event's sequence number.
        seq: u64,
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
    /// The log holds no event (an error unless an empty log is asked for).
    #[error("the log holds no event (an empty log is accepted only when asked for)")]
    Empty,
    /// A signed event, checked without a registry to take its actor from.
    #[error(
        "line {line} (event {seq}): the event is signed by `{actor}`; a registry of actors is needed to check it"
    )]
    NeedsRegistry {
        /// The line.
        line: usize,
        /// The event's sequence number.
        seq: u64,
        /// The actor's id.
        actor: String,
    },
    /// The event's actor is unknown, or not registered at the event's time.
    #[error("line {line} (event {seq}), project {project}: {problem}")]
    Actor {
        /// The line.
        line: usize,
        /// The event's sequence number.
        seq: u64,
        /// Project id.
        project: String,
        /// What the registry says.
        problem: ActorProblem,
    },
    /// A signature that is missing, malformed or does not verify.
    #[error("line {line} (event {seq}), project {project}, actor `{actor}`: the event {}", problem.message(Lang::En))]
    Signature {
        /// The line.
        line: usize,
        /// The event's sequence number.
        seq: u64,
        /// Project id.
        project: String,
        /// The actor's id.
        actor: String,
        /// What is wrong.
        problem: SignatureProblem,
    },
    /// An unsigned event whose claimed role or jurisdiction differs from the registry's.
    #[error(
        "line {line} (event {seq}), project {project}: the event claims {} for `{actor}`, but the registry grants {}",
        claimed.describe(Lang::En), registered.describe(Lang::En)
    )]
    Claim {
        /// The line.
        line: usize,
        /// The event's sequence number.
        seq: u64,
        /// Project id.
        project: String,
        /// The actor's id.
        actor: String,
        /// The actor as the event claims it.
        claimed: Box<Actor>,
        /// The actor as registered.
        registered: Box<Actor>,
    },
    /// A step outside the steps the registry grants the actor.
    #[error(
        "line {line} (event {seq}), project {project}: the registry does not grant `{actor}` the step '{}'",
        step.label().en
    )]
    NotGranted {
        /// The line.
        line: usize,
        /// The event's sequence number.
        seq: u64,
        /// Project id.
        project: String,
        /// The actor's id.
        actor: String,
        /// The step.
        step: Step,
    },
    /// The log does not agree with a recorded head.
    #[error("{problem}")]
    Anchor {
        /// What was found.
        problem: trail::AnchorProblem,
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
            | Self::Inconsistent { line, .. }
            | Self::NeedsRegistry { line, .. }
            | Self::Actor { line, .. }
            | Self::Signature { line, .. }
            | Self::Claim { line, .. }
            | Self::NotGranted { line, .. } => *line,
            Self::Anchor { problem } => problem.line(),
            Self::Empty => 0,
        }
    }

    /// The sequence number of the event the error names, where it names one.
    #[must_use]
    pub const fn seq(&self) -> Option<u64> {
        match self {
            Self::Illegal { seq, .. }
            | Self::Inconsistent { seq, .. }
            | Self::NeedsRegistry { seq, .. }
            | Self::Actor { seq, .. }
            | Self::Signature { seq, .. }
            | Self::Claim { seq, .. }
            | Self::NotGranted { seq, .. } => Some(*seq),
            Self::Tampered { tampering, .. } => match tampering {
                Tampering::Edited { seq }
                | Tampering::Rehashed { seq }
                | Tampering::Inserted { seq }
                | Tampering::Reordered { seq }
                | Tampering::NotCanonical { seq }
                | Tampering::UnsignedAfterSigned { seq } => Some(*seq),
                Tampering::Removed { first, .. } => Some(*first),
                _ => None,
            },
            Self::Anchor { problem } => problem.seq(),
            Self::Malformed { .. } | Self::Empty => None,
        }
    }

    /// A short machine name of the kind of error: `malformed`, `tampered`, `illegal`,
    /// `inconsistent`, `empty`, `needs_registry`, `actor`, `signature`, `claim`,
    /// `not_granted`, `anchor`.
    #[must_use]
    pub const fn kind(&self) -> &'static str {
        match self {
            Self::Malformed { .. } => "malformed",
            Self::Tampered { .. } => "tampered",
            Self::Illegal { .. } => "illegal",
            Self::Inconsistent { .. } => "inconsistent",
            Self::Empty => "empty",
            Self::NeedsRegistry { .. } => "needs_registry",
            Self::Actor { .. } => "actor",
            Self::Signature { .. } => "signature",
            Self::Claim { .. } => "claim",
            Self::NotGranted { .. } => "not_granted",
            Self::Anchor { .. } => "anchor",
        }
    }

    /// Whether the error is about the input's form (exit 2 on the command line) rather than a
    /// log that fails its checks (exit 1).
    #[must_use]
    pub const fn is_malformed(&self) -> bool {
        matches!(
            self,
            Self::Malformed { .. } | Self::Empty | Self::NeedsRegistry { .. }
        )
    }

    /// The message in a language (an illegal event's reason in that language).
    #[must_use]
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (Self::Illegal { line, seq, error }, Lang::Zh) => {
                format!("第 {line} 行（事件 {seq}）：{}", error.message(Lang::Zh))
            }
            (
                Self::Signature {
                    line,
                    seq,
                    project,
                    actor,
                    problem,
                },
                Lang::Zh,
            ) => format!(
                "第 {line} 行（事件 {seq}），项目 {project}，人员 {actor}：该事件{}",
                problem.message(Lang::Zh)
            ),
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
        Tampering::NotCanonical { seq } => format!(
            "event {seq} is not stored in its canonical form (RFC 8785): the line was edited after it was signed"
        ),
        Tampering::UnsignedAfterSigned { seq } => format!(
            "event {seq} is unsigned but follows signed events: a signed log takes signed events only (was a forged event added?)"
        ),
        Tampering::HeadMismatch { expected, found } => {
            format!(
                "the chain ends at {found}, not at the recorded head {expected}: events were removed from or added to its end, or the log was replaced"
            )
        }
    }
}

mod sample;
pub use sample::sample_2020_registry;

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
