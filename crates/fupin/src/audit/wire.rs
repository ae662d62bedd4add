//! The log's wire format (M6 三(六) 档案化, G5): an [`Event`] as one JSON line, the bytes its hash
//! and signature cover, and JSON Lines in and out.
//!
//! An event is one [`EventBody`] — what was done to which project, by whom, when — framed by
//! its place in the chain (`seq`, the stages before and after, `prev_hash`) and its proof
//! (`hash`, `signature`). Every form of an event is written from that one body: the stored line
//! of format 1 (unsigned, the actor as claimed, in its historical field order) and of format 2
//! (`"v":2`, the actor's id, RFC 8785 canonical JSON), the bytes format 1 hashes, and the bytes
//! format 2 hashes and signs. A draft to append ([`Draft`]) is a body too.

use std::fmt::Write as _;

use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use serde::de::DeserializeOwned;
use serde::ser::SerializeStruct as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest, Sha256};

use super::{AuditError, SignatureProblem, Tampering, canonical_json};
use crate::approval::{Action, Actor, Stage, Timestamp};

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

/// 事件内容 — what one step of the chain says: the project, what was done, who did it, when,
/// and why. The one body every form of an event shares: an [`Event`] of the log (`Who` =
/// [`EventActor`], `What` = [`Action`]), its lines of format 1 (the [`Actor`] as claimed) and 2
/// (the actor's id), and a [`Draft`] to append (the actor's id, a [`DraftAction`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct EventBody<Who = EventActor, What = Action> {
    /// Project id.
    pub project: String,
    /// What was done.
    pub action: What,
    /// Who did it.
    pub actor: Who,
    /// When.
    pub at: Timestamp,
    /// Free comment (reasons for a return, document numbers, …).
    #[serde(default)]
    pub comment: String,
}

/// What to do, as the actor writes it in an event file: the next step of a project, an
/// [`EventBody`] with the actor's registered id and a [`DraftAction`].
///
/// ```json
/// {"project": "JP-2020-001", "action": {"kind": "recheck", "approved": "100万元"},
///  "actor": "cyc-nyk-wang", "at": "2020-04-08T10:00:00+08:00", "comment": "核定 100 万元"}
/// ```
///
/// `action` may be a plain name (`"apply"`); for `"enter"` the project comes from the
/// county's library.
pub type Draft = EventBody<String, DraftAction>;

/// The action of a [`Draft`]: entry (the project taken from the library) or any other step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DraftAction {
    /// 入库, with the project from the county's library.
    Enter,
    /// Any other step.
    Step(Action),
}

impl<'de> Deserialize<'de> for DraftAction {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        let v = match v {
            serde_json::Value::String(kind) => serde_json::json!({ "kind": kind }),
            other => other,
        };
        if v.get("kind").and_then(serde_json::Value::as_str) == Some("enter") {
            return match v.as_object().map(serde_json::Map::len) {
                Some(1) => Ok(Self::Enter),
                _ => Err(serde::de::Error::custom(
                    "`enter` takes no other field: the project is taken from the county's library (--library)",
                )),
            };
        }
        serde_json::from_value(v)
            .map(Self::Step)
            .map_err(serde::de::Error::custom)
    }
}

/// One transition of one project: its [`EventBody`], chained to the event before it, and signed
/// by its actor (format 2) or not (format 1).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Event {
    /// Position in the log, from 0.
    pub seq: u64,
    /// Stage before (none for entry into the library).
    pub from: Option<Stage>,
    /// Stage after.
    pub to: Stage,
    /// What was done to which project, by whom, when.
    pub body: EventBody,
    /// Hash of the previous event, or [`super::GENESIS`].
    pub prev_hash: String,
    /// SHA-256 of the event's bytes (format 2: [`Event::signed_bytes`]), lowercase hex.
    pub hash: String,
    /// Ed25519 signature of [`Event::signed_bytes`] by the actor, lowercase hex (format 2).
    pub signature: Option<String>,
}

/// An event reads as its body: `event.project` is `event.body.project` (and so for `action`,
/// `actor`, `at` and `comment`).
impl std::ops::Deref for Event {
    type Target = EventBody;

    fn deref(&self) -> &EventBody {
        &self.body
    }
}

impl std::ops::DerefMut for Event {
    fn deref_mut(&mut self) -> &mut EventBody {
        &mut self.body
    }
}

/// One form of an event, written from its body: format 2 (`v`, the actor's id) or 1 (the actor
/// as claimed); with `prev_hash` or not; with its proof (`hash`, and a signature if any) or not.
struct Wire<'a> {
    event: &'a Event,
    signed: bool,
    chained: bool,
    proof: bool,
}

impl Serialize for Wire<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (e, b) = (self.event, &self.event.body);
        let mut w = s.serialize_struct("Event", 12)?;
        if self.signed {
            w.serialize_field("v", &2_u8)?;
        }
        w.serialize_field("seq", &e.seq)?;
        w.serialize_field("project", &b.project)?;
        w.serialize_field("from", &e.from)?;
        w.serialize_field("to", &e.to)?;
        w.serialize_field("action", &b.action)?;
        if self.signed {
            w.serialize_field("actor", b.actor.id())?;
        } else {
            match &b.actor {
                EventActor::Claimed(a) => w.serialize_field("actor", a)?,
                EventActor::Id(id) => w.serialize_field(
                    "actor",
                    &Actor::city(id.clone(), id.clone(), crate::approval::Role::Finance),
                )?,
            }
        }
        w.serialize_field("at", &b.at)?;
        w.serialize_field("comment", &b.comment)?;
        if self.chained {
            w.serialize_field("prev_hash", &e.prev_hash)?;
        }
        if self.proof {
            w.serialize_field("hash", &e.hash)?;
            if let (true, Some(signature)) = (self.signed, &e.signature) {
                w.serialize_field("signature", signature)?;
            }
        }
        w.end()
    }
}

/// JCS of a form of an event (integers below 2^53, strings): cannot fail in practice.
fn jcs(w: &Wire<'_>) -> String {
    serde_json::to_value(w)
        .ok()
        .and_then(|v| canonical_json(&v).ok())
        .unwrap_or_default()
}

/// A field of a line, taken out of its object.
fn take<T: DeserializeOwned>(
    m: &mut serde_json::Map<String, serde_json::Value>,
    key: &str,
) -> Result<Option<T>, String> {
    m.remove(key)
        .map(|v| serde_json::from_value(v).map_err(|e| format!("field `{key}`: {e}")))
        .transpose()
}

fn need<T>(v: Option<T>, key: &str) -> Result<T, String> {
    v.ok_or_else(|| format!("missing field `{key}`"))
}

impl Event {
    /// Whether the event is signed (format 2).
    #[must_use]
    pub const fn is_signed(&self) -> bool {
        self.signature.is_some()
    }

    const fn wire(&self, signed: bool, chained: bool, proof: bool) -> Wire<'_> {
        Wire {
            event: self,
            signed,
            chained,
            proof,
        }
    }

    /// The bytes a format-2 event's hash and signature cover: the RFC 8785 canonical JSON of
    /// the event without `hash` and `signature`.
    #[must_use]
    pub fn signed_bytes(&self) -> Vec<u8> {
        jcs(&self.wire(true, true, false)).into_bytes()
    }

    /// The event's canonical JSON as format 1 hashes it: every field except `prev_hash` and
    /// `hash`, keys sorted, no spaces (the JCS form of those fields).
    #[must_use]
    pub fn canonical_json(&self) -> String {
        match &self.body.actor {
            EventActor::Claimed(_) => jcs(&self.wire(false, false, false)),
            EventActor::Id(_) => String::from_utf8(self.signed_bytes()).unwrap_or_default(),
        }
    }

    /// The hash the event should carry: for a signed event, SHA-256 of
    /// [`Event::signed_bytes`]; for an unsigned one, SHA-256 of its `prev_hash` and
    /// [`Event::canonical_json`].
    #[must_use]
    pub fn expected_hash(&self) -> String {
        let mut h = Sha256::new();
        if self.is_signed() || matches!(self.body.actor, EventActor::Id(_)) {
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
        match &self.body.actor {
            EventActor::Claimed(_) if !self.is_signed() => {
                serde_json::to_string(&self.wire(false, true, true)).unwrap_or_default()
            }
            _ => jcs(&self.wire(true, true, true)),
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
    /// its own canonical form; text fields follow the name rule (a comment may hold line
    /// breaks and tabs).
    pub(super) fn from_line(line: &str) -> Result<(Self, bool), String> {
        let v = crate::load::json_value(line).map_err(|e| e.message)?;
        let serde_json::Value::Object(mut m) = v else {
            return Err("an event is a JSON object".into());
        };
        let signed = m.contains_key("v");
        if signed {
            let v: u8 = need(take(&mut m, "v")?, "v")?;
            if v != 2 {
                return Err(format!("format `v` = {v} is not known (2 is)"));
            }
        }
        let seq = need(take(&mut m, "seq")?, "seq")?;
        let from = take::<Option<Stage>>(&mut m, "from")?.flatten();
        let to = need(take(&mut m, "to")?, "to")?;
        let prev_hash = need(take(&mut m, "prev_hash")?, "prev_hash")?;
        let hash = take::<Option<String>>(&mut m, "hash")?.flatten();
        let signature = if signed {
            take::<Option<String>>(&mut m, "signature")?.flatten()
        } else {
            None
        };
        let rest = serde_json::Value::Object(m);
        let (body, hash) = if signed {
            let b: EventBody<String> = serde_json::from_value(rest).map_err(|e| e.to_string())?;
            let (Some(hash), Some(_)) = (hash, &signature) else {
                return Err("a format-2 event needs `hash` and `signature`".into());
            };
            (with_actor(b, EventActor::Id), hash)
        } else {
            let b: EventBody<Actor> = serde_json::from_value(rest).map_err(|e| e.to_string())?;
            (with_actor(b, EventActor::Claimed), need(hash, "hash")?)
        };
        let event = Self {
            seq,
            from,
            to,
            body,
            prev_hash,
            hash,
            signature,
        };
        event.check_text()?;
        let canonical = signed && event.to_line() == line;
        Ok((event, canonical))
    }

    /// Names, ids and places follow the name rule ([`crate::check_name`]: no control,
    /// zero-width or bidirectional character, no space around); a comment may hold line breaks
    /// and tabs.
    pub(super) fn check_text(&self) -> Result<(), String> {
        let mut fields: Vec<(&str, &str)> = vec![
            ("project", &self.body.project),
            ("actor", self.body.actor.id()),
        ];
        if let EventActor::Claimed(a) = &self.body.actor {
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
        if let Action::Enter { project } = &self.body.action {
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
            .body
            .comment
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
        {
            return Err(format!(
                "`comment` = \"{}\" contains a control character other than a line break or tab",
                self.body.comment.escape_debug()
            ));
        }
        Ok(())
    }
}

/// The body with its actor as the event names them.
fn with_actor<Who>(b: EventBody<Who>, actor: impl FnOnce(Who) -> EventActor) -> EventBody {
    EventBody {
        project: b.project,
        action: b.action,
        actor: actor(b.actor),
        at: b.at,
        comment: b.comment,
    }
}

impl Serialize for Event {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.wire(self.is_signed(), true, true).serialize(s)
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

/// The two formats of a line, for the JSON Schema only: the frame around one [`EventBody`].
#[cfg(feature = "schema")]
mod schema {
    use super::{Actor, EventBody, Stage};

    #[derive(schemars::JsonSchema)]
    #[schemars(
        rename = "UnsignedEvent",
        description = "An approval event of format 1 (unsigned, hash chain only): the actor as it claims to be."
    )]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    pub(super) struct Unsigned {
        seq: u64,
        from: Option<Stage>,
        to: Stage,
        #[serde(flatten)]
        body: EventBody<Actor>,
        prev_hash: String,
        hash: String,
    }

    #[derive(schemars::JsonSchema)]
    #[schemars(
        rename = "SignedEvent",
        description = "An approval event of format 2 (`v` = 2): the actor by registry id, hash and Ed25519 signature over the RFC 8785 canonical bytes."
    )]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    pub(super) struct Signed {
        v: u8,
        seq: u64,
        from: Option<Stage>,
        to: Stage,
        #[serde(flatten)]
        body: EventBody<String>,
        prev_hash: String,
        hash: Option<String>,
        signature: Option<String>,
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
            "oneOf": [
                generator.subschema_for::<schema::Signed>(),
                generator.subschema_for::<schema::Unsigned>()
            ],
        })
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
