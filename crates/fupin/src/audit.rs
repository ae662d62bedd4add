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

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest, Sha256};

use crate::approval::{
    Action, Actor, ActorProblem, ApprovalError, ChainPolicy, ChainRules, ProjectApproval, Registry,
    Stage, Step, Timestamp,
};
use crate::money::Lang;
use crate::projects::{ProjectError, ProjectLibrary};

mod canonical;
mod trail;
pub use canonical::{CanonicalError, canonical_json};
pub use trail::{
    Anchor, AnchorProblem, AnchorStatus, AppendError, CheckOptions, Checked, Draft, DraftAction,
    Warning, append, check, is_hash, parse_anchors,
};

/// The `prev_hash` of the first event: 64 zeros.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who took a step, as the event names them.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum EventActor {
    /// A signed event names its actor by id; role and jurisdiction come from the registry.
    Id(String),
    /// An unsigned (format 1) event carries the actor's role and jurisdiction as it claims them.
    Claimed(Actor),
}

impl EventActor {
    /// The actor's id.
    #[must_use]
    pub fn id(&self) -> &str {
        match self {
            Self::Id(id) => id,
            Self::Claimed(a) => &a.id,
        }
    }
}

/// One transition of one project, chained to the event before it, and signed by its actor
/// (format 2) or not (format 1).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
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
    pub actor: EventActor,
    /// When.
    pub at: Timestamp,
    /// Free comment (reasons for a return, document numbers, …).
    pub comment: String,
    /// Hash of the previous event, or [`GENESIS`].
    pub prev_hash: String,
    /// SHA-256 of the event's bytes (format 2: [`Event::signed_bytes`]), lowercase hex.
    pub hash: String,
    /// Ed25519 signature of [`Event::signed_bytes`] by the actor, lowercase hex (format 2).
    pub signature: Option<String>,
}

/// Format 1 on the wire, in its historical field order.
#[derive(Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(
    feature = "schema",
    schemars(
        rename = "UnsignedEvent",
        description = "An approval event of format 1 (unsigned, hash chain only): the actor as it claims to be."
    )
)]
#[serde(deny_unknown_fields)]
struct Unsigned {
    seq: u64,
    project: String,
    from: Option<Stage>,
    to: Stage,
    action: Action,
    actor: Actor,
    at: Timestamp,
    #[serde(default)]
    comment: String,
    prev_hash: String,
    hash: String,
}

/// Format 2 on the wire.
#[derive(Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(
    feature = "schema",
    schemars(
        rename = "SignedEvent",
        description = "An approval event of format 2 (`v` = 2): the actor by registry id, hash and Ed25519 signature over the RFC 8785 canonical bytes."
    )
)]
#[serde(deny_unknown_fields)]
struct Signed {
    v: u8,
    seq: u64,
    project: String,
    from: Option<Stage>,
    to: Stage,
    action: Action,
    actor: String,
    at: Timestamp,
    comment: String,
    prev_hash: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    hash: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    signature: Option<String>,
}

#[derive(Serialize)]
struct UnsignedBody<'a> {
    seq: u64,
    project: &'a str,
    from: Option<Stage>,
    to: Stage,
    action: &'a Action,
    actor: &'a Actor,
    at: &'a Timestamp,
    comment: &'a str,
}

/// Plain data with string keys, integers and strings: turning it into a JSON value cannot fail.
fn value<T: Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or(serde_json::Value::Null)
}

/// JCS of a value the events hold (integers below 2^53, strings): cannot fail in practice.
fn jcs(v: &serde_json::Value) -> String {
    canonical_json(v).unwrap_or_default()
}

impl Event {
    /// Whether the event is signed (format 2).
    #[must_use]
    pub const fn is_signed(&self) -> bool {
        self.signature.is_some()
    }

    fn signed_wire(&self, with_proof: bool) -> Signed {
        Signed {
            v: 2,
            seq: self.seq,
            project: self.project.clone(),
            from: self.from,
            to: self.to,
            action: self.action.clone(),
            actor: self.actor.id().to_owned(),
            at: self.at,
            comment: self.comment.clone(),
            prev_hash: self.prev_hash.clone(),
            hash: with_proof.then(|| self.hash.clone()),
            signature: if with_proof {
                self.signature.clone()
            } else {
                None
            },
        }
    }

    /// The bytes a format-2 event's hash and signature cover: the RFC 8785 canonical JSON of
    /// the event without `hash` and `signature`.
    #[must_use]
    pub fn signed_bytes(&self) -> Vec<u8> {
        jcs(&value(&self.signed_wire(false))).into_bytes()
    }

    /// The event's canonical JSON as format 1 hashes it: every field except `prev_hash` and
    /// `hash`, keys sorted, no spaces (the JCS form of those fields).
    #[must_use]
    pub fn canonical_json(&self) -> String {
        match &self.actor {
            EventActor::Claimed(actor) => jcs(&value(&UnsignedBody {
                seq: self.seq,
                project: &self.project,
                from: self.from,
                to: self.to,
                action: &self.action,
                actor,
                at: &self.at,
                comment: &self.comment,
            })),
            EventActor::Id(_) => String::from_utf8(self.signed_bytes()).unwrap_or_default(),
        }
    }

    /// The hash the event should carry: for a signed event, SHA-256 of
    /// [`Event::signed_bytes`]; for an unsigned one, SHA-256 of its `prev_hash` and
    /// [`Event::canonical_json`].
    #[must_use]
    pub fn expected_hash(&self) -> String {
        let mut h = Sha256::new();
        if self.is_signed() || matches!(self.actor, EventActor::Id(_)) {
            h.update(self.signed_bytes());
        } else {
            h.update(self.prev_hash.as_bytes());
            h.update(self.canonical_json().as_bytes());
        }
        hex::encode(h.finalize())
    }

    /// The line the event is stored as: for a signed event the RFC 8785 form of the whole
    /// event; for an unsigned one its historical JSON.
    #[must_use]
    pub fn to_line(&self) -> String {
        match &self.actor {
            EventActor::Claimed(_) if !self.is_signed() => {
                serde_json::to_string(&self.unsigned_wire()).unwrap_or_default()
            }
            _ => jcs(&value(&self.signed_wire(true))),
        }
    }

    fn unsigned_wire(&self) -> Unsigned {
        let actor = match &self.actor {
            EventActor::Claimed(a) => a.clone(),
            EventActor::Id(id) => {
                Actor::city(id.clone(), id.clone(), crate::approval::Role::Finance)
            }
        };
        Unsigned {
            seq: self.seq,
            project: self.project.clone(),
            from: self.from,
            to: self.to,
            action: self.action.clone(),
            actor,
            at: self.at,
            comment: self.comment.clone(),
            prev_hash: self.prev_hash.clone(),
            hash: self.hash.clone(),
        }
    }

    /// Sign a format-2 event with the actor's key: sets `hash` and `signature` over
    /// [`Event::signed_bytes`]. Pure: Ed25519 signing is deterministic.
    pub fn sign(&mut self, key: &SigningKey) {
        let bytes = self.signed_bytes();
        self.hash = hex::encode(Sha256::digest(&bytes));
        self.signature = Some(hex::encode(key.sign(&bytes).to_bytes()));
    }

    /// Check the signature with a public key (`verify_strict`).
    ///
    /// # Errors
    /// [`SignatureProblem`]: none, not 128 lowercase hex digits, or not made by the key over these
    /// bytes.
    pub fn verify_signature(&self, key: &VerifyingKey) -> Result<(), SignatureProblem> {
        let text = self.signature.as_deref().ok_or(SignatureProblem::Missing)?;
        // Lowercase only, as written: `hex` would read "D" as "d", and a byte of the stored log
        // could then change without a check noticing.
        if !text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            return Err(SignatureProblem::Malformed);
        }
        let bytes = hex::decode(text)
            .ok()
            .and_then(|b| <[u8; 64]>::try_from(b).ok())
            .ok_or(SignatureProblem::Malformed)?;
        key.verify_strict(&self.signed_bytes(), &Signature::from_bytes(&bytes))
            .map_err(|_| SignatureProblem::Invalid)
    }

    /// Read one line: format 2 if it has `"v": 2`, format 1 otherwise. A format-2 line must be
    /// its own canonical form; text fields may hold no control character (a comment may hold
    /// line breaks and tabs).
    fn from_line(line: &str) -> Result<(Self, bool), String> {
        let v = crate::load::json_value(line).map_err(|e| e.message)?;
        let signed = v.get("v").is_some();
        let event = if signed {
            let w: Signed = serde_json::from_value(v).map_err(|e| e.to_string())?;
            if w.v != 2 {
                return Err(format!("format `v` = {} is not known (2 is)", w.v));
            }
            let (Some(hash), Some(signature)) = (w.hash, w.signature) else {
                return Err("a format-2 event needs `hash` and `signature`".into());
            };
            Self {
                seq: w.seq,
                project: w.project,
                from: w.from,
                to: w.to,
                action: w.action,
                actor: EventActor::Id(w.actor),
                at: w.at,
                comment: w.comment,
                prev_hash: w.prev_hash,
                hash,
                signature: Some(signature),
            }
        } else {
            let w: Unsigned = serde_json::from_value(v).map_err(|e| e.to_string())?;
            Self {
                seq: w.seq,
                project: w.project,
                from: w.from,
                to: w.to,
                action: w.action,
                actor: EventActor::Claimed(w.actor),
                at: w.at,
                comment: w.comment,
                prev_hash: w.prev_hash,
                hash: w.hash,
                signature: None,
            }
        };
        event.check_text()?;
        let canonical = signed && event.to_line() == line;
        Ok((event, canonical))
    }

    /// Names, ids and places follow the name rule ([`crate::check_name`]: no control,
    /// zero-width or bidirectional character, no space around); a comment may hold line breaks
    /// and tabs.
    fn check_text(&self) -> Result<(), String> {
        let mut fields: Vec<(&str, &str)> =
            vec![("project", &self.project), ("actor", self.actor.id())];
        if let EventActor::Claimed(a) = &self.actor {
            fields.push(("actor.name", &a.name));
            match &a.jurisdiction {
                crate::approval::Jurisdiction::City => {}
                crate::approval::Jurisdiction::County { county } => {
                    fields.push(("actor.jurisdiction.county", county))
                }
                crate::approval::Jurisdiction::Township { county, township } => {
                    fields.push(("actor.jurisdiction.county", county));
                    fields.push(("actor.jurisdiction.township", township));
                }
            }
        }
        if let Action::Enter { project } = &self.action {
            for (f, v) in [
                ("action.project.id", &project.id),
                ("action.project.name", &project.name),
                ("action.project.county", &project.county),
                ("action.project.township", &project.township),
            ] {
                fields.push((f, v));
            }
        }
        for (field, v) in fields {
            if v.chars().any(char::is_control) {
                return Err(format!(
                    "`{field}` = \"{}\" contains a control character; names may hold none",
                    v.escape_debug()
                ));
            }
            // The name rule (spaces around, zero-width and bidirectional characters); an empty
            // place (a county-level actor's township) is left to the rules of the chain.
            if !v.is_empty()
                && let Err(e) = crate::check_name(field, v)
            {
                return Err(e.to_string());
            }
        }
        if self
            .comment
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
        {
            return Err(format!(
                "`comment` = \"{}\" contains a control character other than a line break or tab",
                self.comment.escape_debug()
            ));
        }
        Ok(())
    }
}

impl Serialize for Event {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.is_signed() {
            self.signed_wire(true).serialize(s)
        } else {
            self.unsigned_wire().serialize(s)
        }
    }
}

impl<'de> Deserialize<'de> for Event {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        let line = v.to_string();
        Self::from_line(&line)
            .map(|(e, _)| e)
            .map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Event {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Event".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "One approval event, one line of a JSON Lines log: format 2 (signed, \
                            `v` = 2) or format 1 (unsigned, hash chain only; still read so that \
                            old logs verify).",
            "oneOf": [generator.subschema_for::<Signed>(), generator.subschema_for::<Unsigned>()],
        })
    }
}

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

/// Check the hash chain (hashes and links only: [`check`] also verifies signatures, anchors and
/// the rules); the head of a valid chain.
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
    let mut signed = false;
    for (i, e) in events.iter().enumerate() {
        let line = i + 1;
        let tampered = |tampering| AuditError::Tampered { line, tampering };
        if signed && !e.is_signed() {
            return Err(tampered(Tampering::UnsignedAfterSigned { seq: e.seq }));
        }
        signed |= e.is_signed();
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

/// Rebuild every project's state from the events under a policy's approval rules and project
/// amount guard, taking each actor from the registry when one is given, stopping at the first
/// illegal event. Hashes, signatures and anchors are not checked here: [`check`] does all.
#[must_use]
pub fn replay_partial<'a>(
    events: &[Event],
    policy: impl Into<ChainRules<'a>>,
    registry: Option<&Registry>,
) -> Replay {
    let policy = policy.into();
    let mut states = BTreeMap::new();
    for (i, e) in events.iter().enumerate() {
        if let Err(error) = replay_one(&mut states, i + 1, e, policy, registry) {
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

/// Rebuild every project's state from the events (see [`replay_partial`]).
///
/// # Errors
/// [`AuditError::Illegal`] for the first event the rules refuse, [`AuditError::Inconsistent`]
/// for one whose recorded stages are not those the rules give; the actor errors of
/// [`resolve_actor`].
pub fn replay<'a>(
    events: &[Event],
    policy: impl Into<ChainRules<'a>>,
    registry: Option<&Registry>,
) -> Result<BTreeMap<String, ProjectApproval>, AuditError> {
    let r = replay_partial(events, policy, registry);
    match r.error {
        Some(e) => Err(e),
        None => Ok(r.states),
    }
}

/// The actor who took an event's step, with the role and jurisdiction that count: the
/// registry's (the event's claim, for an unsigned event, must agree with it); without a
/// registry, an unsigned event's claim.
///
/// # Errors
/// [`AuditError::NeedsRegistry`] for a signed event without a registry; [`AuditError::Actor`]
/// for an actor unknown or not registered at the event's time; [`AuditError::Claim`] for an
/// unsigned event whose claim differs from the registry.
pub fn resolve_actor<'a>(
    e: &'a Event,
    line: usize,
    registry: Option<&'a Registry>,
) -> Result<&'a Actor, AuditError> {
    let Some(registry) = registry else {
        return match &e.actor {
            EventActor::Claimed(a) => Ok(a),
            EventActor::Id(id) => Err(AuditError::NeedsRegistry {
                line,
                seq: e.seq,
                actor: id.clone(),
            }),
        };
    };
    let r = registry
        .resolve(e.actor.id(), e.at)
        .map_err(|problem| AuditError::Actor {
            line,
            seq: e.seq,
            project: e.project.clone(),
            problem,
        })?;
    if let EventActor::Claimed(claimed) = &e.actor
        && (claimed.role != r.actor.role || claimed.jurisdiction != r.actor.jurisdiction)
    {
        return Err(AuditError::Claim {
            line,
            seq: e.seq,
            project: e.project.clone(),
            actor: claimed.id.clone(),
            claimed: Box::new(claimed.clone()),
            registered: Box::new(r.actor.clone()),
        });
    }
    if let Some(steps) = &r.steps {
        let step = e.action.step();
        if !steps.contains(&step) {
            return Err(AuditError::NotGranted {
                line,
                seq: e.seq,
                project: e.project.clone(),
                actor: r.actor.id.clone(),
                step,
            });
        }
    }
    Ok(&r.actor)
}

fn replay_one(
    states: &mut BTreeMap<String, ProjectApproval>,
    line: usize,
    e: &Event,
    policy: ChainRules<'_>,
    registry: Option<&Registry>,
) -> Result<(), AuditError> {
    let actor = resolve_actor(e, line, registry)?;
    let next = step(states, e, actor, policy).map_err(|error| match error {
        Stepped::Illegal(error) => AuditError::Illegal {
            line,
            seq: e.seq,
            error,
        },
        Stepped::Mismatch(message) => AuditError::Malformed { line, message },
    })?;
    let current = states.get(&e.project);
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

enum Stepped {
    Illegal(ApprovalError),
    Mismatch(String),
}

/// The state after an event's action by an actor, under the policy (no I/O).
fn step(
    states: &BTreeMap<String, ProjectApproval>,
    e: &Event,
    actor: &Actor,
    policy: ChainRules<'_>,
) -> Result<ProjectApproval, Stepped> {
    let current = states.get(&e.project);
    match (&e.action, current) {
        (Action::Enter { project }, None) if project.id == e.project => {
            if project.requested > policy.projects.max_requested {
                return Err(Stepped::Illegal(ApprovalError::Entry {
                    project: project.id.clone(),
                    reason: ProjectError::AboveMaximum {
                        project: project.id.clone(),
                        value: project.requested,
                        max: policy.projects.max_requested,
                    }
                    .to_string(),
                }));
            }
            policy
                .approval
                .begin(project.clone(), actor, e.at)
                .map_err(Stepped::Illegal)
        }
        (Action::Enter { .. }, Some(_)) => Err(Stepped::Illegal(ApprovalError::AlreadyEntered {
            project: e.project.clone(),
        })),
        (Action::Enter { project }, None) => Err(Stepped::Mismatch(format!(
            "the event is about project `{}` but enters project `{}`",
            e.project, project.id
        ))),
        (_, None) => Err(Stepped::Illegal(ApprovalError::NotInLibrary {
            project: e.project.clone(),
            county: String::new(),
        })),
        (action, Some(state)) => policy
            .approval
            .transition(state, action, actor, e.at)
            .map_err(Stepped::Illegal),
    }
}

/// Read events from JSON Lines: one event per line, so that line *n* is event *n − 1* and
/// every error's line is the file's line. Blank lines are allowed only at the end. A signed
/// event must be stored in its canonical form.
///
/// # Errors
/// [`AuditError::Malformed`] naming the line; [`AuditError::Tampered`]
/// ([`Tampering::NotCanonical`]) for a signed line edited after signing.
pub fn from_jsonl(text: &str) -> Result<Vec<Event>, AuditError> {
    let original = text;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Vec::new();
    let body = text.trim_end_matches(['\n', '\r', ' ', '\t']);
    for (i, line) in body.split('\n').enumerate() {
        if body.is_empty() {
            break;
        }
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            return Err(AuditError::Malformed {
                line: i + 1,
                message: "empty line: a log has one event on every line".into(),
            });
        }
        let (event, canonical) =
            Event::from_line(line).map_err(|message| AuditError::Malformed {
                line: i + 1,
                message,
            })?;
        if event.is_signed() && !canonical {
            return Err(AuditError::Tampered {
                line: i + 1,
                tampering: Tampering::NotCanonical { seq: event.seq },
            });
        }
        out.push(event);
    }
    // A signed log is stored exactly as written: one line end after each line, nothing else.
    if out.iter().any(Event::is_signed) && original != original_form(body) {
        return Err(AuditError::Tampered {
            line: out.len(),
            tampering: Tampering::NotCanonical {
                seq: out.last().map_or(0, |e| e.seq),
            },
        });
    }
    Ok(out)
}

/// The lines of a text, each with one line end: the form a log is written in.
fn original_form(body: &str) -> String {
    let mut s = String::with_capacity(body.len() + 1);
    s.push_str(body);
    s.push('\n');
    s
}

/// Write events as JSON Lines, each as [`Event::to_line`].
#[must_use]
pub fn to_jsonl(events: &[Event]) -> String {
    let mut out = String::new();
    for e in events {
        let _ = writeln!(out, "{}", e.to_line());
    }
    out
}

/// An approval log in memory with the projects' current states, the policy it follows and the
/// registry of its actors.
///
/// [`AuditLog::append`] adds a signed event (the way a log grows from now on);
/// [`AuditLog::enter`] and [`AuditLog::record`] add unsigned (format 1) events, for logs that
/// have no signature yet. Every method that acts runs the rules of [`crate::approval`] first:
/// a refused action leaves the log unchanged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditLog {
    events: Vec<Event>,
    states: BTreeMap<String, ProjectApproval>,
    policy: ChainPolicy,
    registry: Option<Registry>,
}

impl Default for AuditLog {
    fn default() -> Self {
        Self::new()
    }
}

impl AuditLog {
    /// An empty log under the embedded 2020 policy's approval rules.
    #[must_use]
    pub fn new() -> Self {
        Self::with_policy(ChainPolicy::chaoyang_2020())
    }

    /// An empty log under a policy's approval rules and project entry requirements.
    #[must_use]
    pub fn with_policy(policy: impl Into<ChainPolicy>) -> Self {
        Self {
            events: Vec::new(),
            states: BTreeMap::new(),
            policy: policy.into(),
            registry: None,
        }
    }

    /// The log with a registry of actors: signed events take their actors from it.
    #[must_use]
    pub fn with_registry(mut self, registry: Registry) -> Self {
        self.registry = Some(registry);
        self
    }

    /// A log continued from events, after [`check`] (hashes, signatures, rules; an empty list
    /// is accepted).
    ///
    /// # Errors
    /// The errors of [`check`].
    pub fn open(
        events: Vec<Event>,
        policy: impl Into<ChainPolicy>,
        registry: Option<Registry>,
    ) -> Result<Self, AuditError> {
        let policy = policy.into();
        let opts = CheckOptions::new(&policy)
            .maybe_registry(registry.as_ref())
            .allow_empty(true);
        let states = check(&events, &opts)?.states;
        Ok(Self {
            events,
            states,
            policy,
            registry,
        })
    }

    /// A log continued from unsigned events under a policy ([`AuditLog::open`] without a
    /// registry).
    ///
    /// # Errors
    /// The errors of [`check`].
    pub fn from_events(
        events: Vec<Event>,
        policy: impl Into<ChainPolicy>,
    ) -> Result<Self, AuditError> {
        Self::open(events, policy, None)
    }

    /// The sections of the policy whose rules the log follows.
    #[must_use]
    pub const fn policy(&self) -> &ChainPolicy {
        &self.policy
    }

    /// The registry of actors, if the log has one.
    #[must_use]
    pub const fn registry(&self) -> Option<&Registry> {
        self.registry.as_ref()
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
        ChainHead::of(&self.events)
    }

    /// The log as JSON Lines.
    #[must_use]
    pub fn to_jsonl(&self) -> String {
        to_jsonl(&self.events)
    }

    /// Append a signed event: the draft's step is checked against the rules on the current
    /// states with the actor the registry holds, signed with the actor's key, and chained.
    ///
    /// # Errors
    /// The errors of [`append`]; [`AppendError::NoRegistry`] for a log without a registry.
    pub fn append(
        &mut self,
        draft: &Draft,
        key: &SigningKey,
        library: Option<&ProjectLibrary>,
    ) -> Result<&ProjectApproval, AppendError> {
        let registry = self.registry.as_ref().ok_or(AppendError::NoRegistry)?;
        let event = trail::next_event(
            &self.events,
            &self.states,
            draft,
            key,
            registry,
            self.policy.rules(),
            library,
        )?;
        self.push_event(event)
    }

    fn push_event(&mut self, event: Event) -> Result<&ProjectApproval, AppendError> {
        let actor = resolve_actor(&event, self.events.len() + 1, self.registry.as_ref())
            .map_err(AppendError::Log)?
            .clone();
        let next =
            step(&self.states, &event, &actor, self.policy.rules()).map_err(|e| match e {
                Stepped::Illegal(e) => AppendError::Refused(e),
                Stepped::Mismatch(m) => AppendError::Draft(m),
            })?;
        let id = event.project.clone();
        self.events.push(event);
        let slot = self.states.entry(id).or_insert_with(|| next.clone());
        *slot = next;
        Ok(slot)
    }

    /// 入库 — a project of a county's library enters the chain, recorded as an **unsigned**
    /// event (see [`ProjectApproval::enter`]; [`AuditLog::append`] signs).
    ///
    /// # Errors
    /// [`ApprovalError::AlreadyEntered`], [`ApprovalError::SignatureRequired`] on a signed log,
    /// or the errors of [`ProjectApproval::enter`].
    pub fn enter(
        &mut self,
        library: &ProjectLibrary,
        project_id: &str,
        actor: &Actor,
        at: Timestamp,
        comment: &str,
    ) -> Result<&ProjectApproval, ApprovalError> {
        self.unsigned_allowed(project_id)?;
        if self.states.contains_key(project_id) {
            return Err(ApprovalError::AlreadyEntered {
                project: project_id.to_owned(),
            });
        }
        let state =
            self.policy
                .approval
                .enter(library, &self.policy.projects, project_id, actor, at)?;
        let action = Action::Enter {
            project: state.project.clone(),
        };
        Ok(self.push(None, state, action, actor, at, comment))
    }

    fn unsigned_allowed(&self, project: &str) -> Result<(), ApprovalError> {
        if self.events.iter().any(Event::is_signed) {
            return Err(ApprovalError::SignatureRequired {
                project: project.to_owned(),
            });
        }
        Ok(())
    }

    /// Take a step on a project already in the chain, and record it as an **unsigned** event.
    ///
    /// # Errors
    /// [`ApprovalError::NotInLibrary`] for a project that never entered (and for
    /// [`Action::Enter`], which goes through [`AuditLog::enter`]);
    /// [`ApprovalError::SignatureRequired`] on a signed log; the errors of
    /// [`crate::approval::transition`].
    pub fn record(
        &mut self,
        project_id: &str,
        action: Action,
        actor: &Actor,
        at: Timestamp,
        comment: &str,
    ) -> Result<&ProjectApproval, ApprovalError> {
        self.unsigned_allowed(project_id)?;
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
        let next = self.policy.approval.transition(state, &action, actor, at)?;
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
            actor: EventActor::Claimed(actor.clone()),
            at,
            comment: comment.to_owned(),
            prev_hash: self.head().hash,
            hash: String::new(),
            signature: None,
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
    /// fictional officials of [`sample_2020_registry`], signed with their [`example_key`]s:
    /// one goes the plan's whole path to 批准实施, one is returned by the city and applied for
    /// again, one is rejected by its county. Shipped as `examples/approvals_2020.jsonl`.
    #[must_use]
    #[allow(clippy::expect_used)] // fixed data, checked by the tests
    pub fn sample_2020() -> Self {
        sample::build().expect("the sample log follows the rules")
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
