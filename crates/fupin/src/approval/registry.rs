//! [`Registry`]: who may act in the approval chain — each actor's name, role, level and
//! jurisdiction, public key and period of validity, kept in a file the office controls.
//!
//! Replay and verification take an actor's role and jurisdiction from the registry, never from
//! the event, and refuse an event whose actor is unknown, not yet or no longer registered at the
//! event's time, or acting outside the registry's grant (the rules of [`crate::approval`] on
//! the registered role and jurisdiction, and the registry's own list of steps when it has one).
//!
//! The file is TOML or JSON, one `[[actors]]` table each:
//!
//! ```toml
//! [[actors]]
//! id = "jp-czj-li"                # unique; the events name the actor by it
//! name = "李科长"
//! role = "finance"                # township | finance | poverty_office | leading_group
//! level = "county"                # township | county | city
//! county = "建平县"               # for the county and township levels
//! # township = "朱碌科镇"         # for the township level
//! public_key = "…64 hex digits…" # Ed25519, as `fupin keys new` prints it
//! valid_from = 2020-01-01         # a date (the whole day, UTC) or an RFC 3339 time
//! valid_to = 2020-12-31           # optional; inclusive
//! # steps = ["review", "return"]  # optional: narrows the grant to these steps
//! ```
//!
//! # Example
//! ```
//! use fupin::approval::Registry;
//! let reg = Registry::from_toml(r#"
//! [[actors]]
//! id = "jp-czj-li"
//! name = "李科长"
//! role = "finance"
//! level = "county"
//! county = "建平县"
//! valid_from = 2020-01-01
//! valid_to = 2020-06-30
//! "#)?;
//! let at = "2020-07-01T09:00:00Z".parse().unwrap();
//! let e = reg.resolve("jp-czj-li", at).unwrap_err();
//! assert!(e.to_string().contains("2020-06-30"), "{e}");
//! # Ok::<(), fupin::approval::RegistryError>(())
//! ```

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use ed25519_dalek::VerifyingKey;
use serde::{Deserialize, Serialize};

use super::{Actor, Jurisdiction, Level, Role, Step, Timestamp};
use crate::{ErrorCode, FieldError};

/// One registered actor: who they are, where and as what they may act, their key and period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisteredActor {
    /// Id, name, role and jurisdiction.
    pub actor: Actor,
    /// The Ed25519 public key their events are signed with, if registered.
    pub public_key: Option<VerifyingKey>,
    /// First moment of validity (inclusive), if any.
    pub valid_from: Option<Timestamp>,
    /// Last moment of validity (inclusive), if any.
    pub valid_to: Option<Timestamp>,
    /// The steps the grant is narrowed to, if any (otherwise the approval rules alone decide).
    pub steps: Option<Vec<Step>>,
    /// `valid_from` and `valid_to` as written, for messages.
    written: (Option<String>, Option<String>),
}

impl RegisteredActor {
    /// Whether the registration covers a moment.
    #[must_use]
    pub fn valid_at(&self, at: Timestamp) -> bool {
        self.valid_from.is_none_or(|f| at >= f) && self.valid_to.is_none_or(|t| at <= t)
    }

    /// The public key in lowercase hex, if registered.
    #[must_use]
    pub fn public_key_hex(&self) -> Option<String> {
        self.public_key.map(|k| hex::encode(k.as_bytes()))
    }
}

/// Why an actor cannot act at an event's time.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ActorProblem {
    /// No actor with the id is registered.
    #[error("actor `{id}` is not in the registry")]
    Unknown {
        /// The id.
        id: String,
    },
    /// The registration starts after the event.
    #[error("actor `{id}` is registered from {from}, after the event's time {at}")]
    NotYetValid {
        /// The id.
        id: String,
        /// `valid_from` as written.
        from: String,
        /// The event's time.
        at: Timestamp,
    },
    /// The registration ended before the event.
    #[error("actor `{id}`'s registration ended on {to}, before the event's time {at}")]
    Expired {
        /// The id.
        id: String,
        /// `valid_to` as written.
        to: String,
        /// The event's time.
        at: Timestamp,
    },
}

/// A registry file that cannot be read: every problem found, each naming its field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", .problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
pub struct RegistryError {
    /// The problems, each with its path (`actors[2].public_key`).
    pub problems: Vec<FieldError>,
}

/// The registry of actors, by id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Registry {
    actors: BTreeMap<String, RegisteredActor>,
}

#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(
    feature = "schema",
    schemars(
        rename = "Registry",
        description = "登记表 — the registry of actors: who may take which step, where, with which public key, and when."
    )
)]
#[serde(deny_unknown_fields)]
struct RawRegistry {
    #[serde(default)]
    actors: Vec<RawActor>,
}

#[derive(Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
struct RawActor {
    id: String,
    name: String,
    role: Role,
    level: Level,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    county: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    township: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    public_key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    valid_from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    valid_to: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    steps: Option<Vec<Step>>,
}

/// Refuse control characters (a name that clears the terminal or adds a table row), blank names,
/// and whatever else the name rule refuses ([`crate::check_name`]: spaces around a name,
/// zero-width and bidirectional characters).
pub(crate) fn check_text(path: &str, value: &str, problems: &mut Vec<FieldError>) {
    if value.trim().is_empty() {
        problems.push(FieldError::coded(
            ErrorCode::EMPTY,
            path,
            Some(value.to_owned()),
            "must not be blank",
        ));
    } else if value.chars().any(char::is_control) {
        problems.push(FieldError::coded(
            ErrorCode::CONTROL_CHARACTER,
            path,
            Some(value.escape_debug().to_string()),
            format!(
                "\"{}\" contains a control character; names may hold none",
                value.escape_debug()
            ),
        ));
    } else if let Err(e) = crate::check_name(path, value) {
        problems.push(e);
    }
}

/// A moment from `2020-01-01` (the start, or with `end` the end, of the day in UTC) or an
/// RFC 3339 time.
fn moment(text: &str, end: bool) -> Option<Timestamp> {
    if let Ok(d) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        let t = if end {
            d.and_hms_nano_opt(23, 59, 59, 999_999_999)?
        } else {
            d.and_hms_opt(0, 0, 0)?
        };
        return Some(t.and_utc());
    }
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// TOML dates become their text, so that both `2020-01-01` and `"2020-01-01"` read.
fn toml_to_json(v: toml::Value) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        toml::Value::String(s) => J::String(s),
        toml::Value::Integer(i) => J::from(i),
        toml::Value::Float(f) => J::String(f.to_string()),
        toml::Value::Boolean(b) => J::Bool(b),
        toml::Value::Datetime(d) => J::String(d.to_string()),
        toml::Value::Array(a) => J::Array(a.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => {
            J::Object(t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect())
        }
    }
}

impl Registry {
    /// Read a registry from TOML.
    ///
    /// # Errors
    /// [`RegistryError`] with every problem found.
    pub fn from_toml(text: &str) -> Result<Self, RegistryError> {
        let value: toml::Value = toml::from_str(text).map_err(|e| RegistryError {
            problems: vec![FieldError::new("", e.message().to_owned())],
        })?;
        Self::from_value(toml_to_json(value))
    }

    /// Read a registry from JSON (`{"actors": [...]}`).
    ///
    /// # Errors
    /// [`RegistryError`] with every problem found.
    pub fn from_json(text: &str) -> Result<Self, RegistryError> {
        let value =
            crate::load::json_value(text).map_err(|e| RegistryError { problems: vec![e] })?;
        Self::from_value(value)
    }

    fn from_value(value: serde_json::Value) -> Result<Self, RegistryError> {
        let raw: RawRegistry =
            serde_path_to_error::deserialize(value).map_err(|e| RegistryError {
                problems: vec![FieldError::new(e.path().to_string(), e.inner().to_string())],
            })?;
        let mut problems = Vec::new();
        let mut actors = BTreeMap::new();
        let mut keys = std::collections::HashSet::new();
        for (i, a) in raw.actors.into_iter().enumerate() {
            let at = |f: &str| format!("actors[{i}].{f}");
            let before = problems.len();
            check_text(&at("id"), &a.id, &mut problems);
            check_text(&at("name"), &a.name, &mut problems);
            let place = |f: &str, v: &Option<String>, problems: &mut Vec<FieldError>| match v {
                Some(s) => {
                    check_text(&at(f), s, problems);
                    s.clone()
                }
                None => {
                    problems.push(FieldError::new(
                        at(f),
                        format!("is required for an actor at {} level", a.level.label().en),
                    ));
                    String::new()
                }
            };
            let jurisdiction = match a.level {
                Level::City => Jurisdiction::City,
                Level::County => Jurisdiction::County {
                    county: place("county", &a.county, &mut problems),
                },
                Level::Township => Jurisdiction::Township {
                    county: place("county", &a.county, &mut problems),
                    township: place("township", &a.township, &mut problems),
                },
            };
            if a.level != Level::Township && a.township.is_some() {
                problems.push(FieldError::new(
                    at("township"),
                    format!("an actor at {} level has no township", a.level.label().en),
                ));
            }
            if a.level == Level::City && a.county.is_some() {
                problems.push(FieldError::new(at("county"), "a city actor has no county"));
            }
            let public_key = a.public_key.as_deref().and_then(|k| {
                let key = hex::decode(k.trim())
                    .ok()
                    .and_then(|b| <[u8; 32]>::try_from(b).ok())
                    .and_then(|b| VerifyingKey::from_bytes(&b).ok());
                if key.is_none() {
                    problems.push(FieldError::new(
                        at("public_key"),
                        format!("`{}` is not an Ed25519 public key (64 hex digits, as `fupin keys new` prints)", k.escape_debug()),
                    ));
                }
                key
            });
            let mut time = |f: &str, v: &Option<String>, end: bool| {
                v.as_deref().and_then(|s| {
                    let t = moment(s, end);
                    if t.is_none() {
                        problems.push(FieldError::new(
                            at(f),
                            format!(
                                "`{}` is not a date (2020-01-01) or an RFC 3339 time",
                                s.escape_debug()
                            ),
                        ));
                    }
                    t
                })
            };
            let valid_from = time("valid_from", &a.valid_from, false);
            let valid_to = time("valid_to", &a.valid_to, true);
            if let (Some(f), Some(t)) = (valid_from, valid_to)
                && f > t
            {
                problems.push(FieldError::new(at("valid_to"), "is before valid_from"));
            }
            if actors.contains_key(&a.id) || !keys.insert(crate::name_key(&a.id).into_owned()) {
                problems.push(FieldError::coded(
                    ErrorCode::DUPLICATE,
                    at("id"),
                    Some(a.id.clone()),
                    format!("`{}` is registered twice", a.id),
                ));
            }
            if problems.len() == before {
                actors.insert(
                    a.id.clone(),
                    RegisteredActor {
                        actor: Actor {
                            id: a.id,
                            name: a.name,
                            role: a.role,
                            jurisdiction,
                        },
                        public_key,
                        valid_from,
                        valid_to,
                        steps: a.steps,
                        written: (a.valid_from, a.valid_to),
                    },
                );
            }
        }
        if problems.is_empty() {
            Ok(Self { actors })
        } else {
            Err(RegistryError { problems })
        }
    }

    /// The registry as TOML, in the file format above.
    #[must_use]
    pub fn to_toml(&self) -> String {
        #[derive(Serialize)]
        struct Out<'a> {
            actors: Vec<RawActor>,
            #[serde(skip)]
            _p: std::marker::PhantomData<&'a ()>,
        }
        let actors = self
            .actors
            .values()
            .map(|r| {
                let (county, township) = match &r.actor.jurisdiction {
                    Jurisdiction::City => (None, None),
                    Jurisdiction::County { county } => (Some(county.clone()), None),
                    Jurisdiction::Township { county, township } => {
                        (Some(county.clone()), Some(township.clone()))
                    }
                };
                RawActor {
                    id: r.actor.id.clone(),
                    name: r.actor.name.clone(),
                    role: r.actor.role,
                    level: r.actor.level(),
                    county,
                    township,
                    public_key: r.public_key_hex(),
                    valid_from: r.written.0.clone(),
                    valid_to: r.written.1.clone(),
                    steps: r.steps.clone(),
                }
            })
            .collect();
        toml::to_string(&Out {
            actors,
            _p: std::marker::PhantomData,
        })
        .unwrap_or_default()
    }

    /// Add an actor (for registries built in code). Replaces one with the same id.
    pub fn insert(&mut self, actor: Actor, public_key: Option<VerifyingKey>) {
        self.actors.insert(
            actor.id.clone(),
            RegisteredActor {
                actor,
                public_key,
                valid_from: None,
                valid_to: None,
                steps: None,
                written: (None, None),
            },
        );
    }

    /// The registered actors, by id.
    pub fn actors(&self) -> impl ExactSizeIterator<Item = &RegisteredActor> {
        self.actors.values()
    }

    /// The actor with an id, whatever the time.
    #[must_use]
    pub fn get(&self, id: &str) -> Option<&RegisteredActor> {
        self.actors.get(id)
    }

    /// The actor with an id, if registered and valid at a moment.
    ///
    /// # Errors
    /// [`ActorProblem`]: unknown, not yet valid, or expired.
    pub fn resolve(&self, id: &str, at: Timestamp) -> Result<&RegisteredActor, ActorProblem> {
        let r = self
            .actors
            .get(id)
            .ok_or_else(|| ActorProblem::Unknown { id: id.to_owned() })?;
        if let Some(from) = r.valid_from
            && at < from
        {
            return Err(ActorProblem::NotYetValid {
                id: id.to_owned(),
                from: r.written.0.clone().unwrap_or_else(|| from.to_rfc3339()),
                at,
            });
        }
        if let Some(to) = r.valid_to
            && at > to
        {
            return Err(ActorProblem::Expired {
                id: id.to_owned(),
                to: r.written.1.clone().unwrap_or_else(|| to.to_rfc3339()),
                at,
            });
        }
        Ok(r)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Registry {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Registry".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        RawRegistry::json_schema(generator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";

    #[test]
    fn a_registry_reads_from_toml_and_json_with_dates_either_way() {
        let toml = format!(
            r#"
[[actors]]
id = "zlk-zhang"
name = "张乡长"
role = "township"
level = "township"
county = "建平县"
township = "朱碌科镇"
public_key = "{KEY}"
valid_from = 2020-01-01
valid_to = "2020-12-31"
steps = ["apply", "withdraw"]

[[actors]]
id = "cyc-nyk-wang"
name = "王科长"
role = "finance"
level = "city"
valid_from = "2020-03-01T08:00:00+08:00"
"#
        );
        let reg = Registry::from_toml(&toml).unwrap();
        let z = reg.get("zlk-zhang").unwrap();
        assert_eq!(z.public_key_hex().as_deref(), Some(KEY));
        assert_eq!(
            z.actor.jurisdiction,
            Jurisdiction::Township {
                county: "建平县".into(),
                township: "朱碌科镇".into()
            }
        );
        let t = |s: &str| s.parse::<Timestamp>().unwrap();
        assert!(reg.resolve("zlk-zhang", t("2020-12-31T23:59:59Z")).is_ok());
        assert!(matches!(
            reg.resolve("zlk-zhang", t("2021-01-01T00:00:00Z")),
            Err(ActorProblem::Expired { .. })
        ));
        assert!(matches!(
            reg.resolve("cyc-nyk-wang", t("2020-02-29T23:59:59Z")),
            Err(ActorProblem::NotYetValid { .. })
        ));
        assert!(matches!(
            reg.resolve("nobody", t("2020-05-01T00:00:00Z")),
            Err(ActorProblem::Unknown { .. })
        ));
        // TOML out, TOML in.
        assert_eq!(Registry::from_toml(&reg.to_toml()).unwrap(), reg);
        let json = r#"{"actors":[{"id":"a","name":"甲","role":"finance","level":"city"}]}"#;
        assert_eq!(Registry::from_json(json).unwrap().actors().len(), 1);
    }

    #[test]
    fn every_problem_of_a_registry_is_named_at_once() {
        let toml = "[[actors]]\nid = \"a\"\nname = \"\\u001b[2J ALL CHECKS PASSED\"\nrole = \"finance\"\nlevel = \"county\"\npublic_key = \"xyz\"\nvalid_from = \"2020-13-01\"\n\n[[actors]]\nid = \"a\"\nname = \"乙\"\nrole = \"finance\"\nlevel = \"city\"\ncounty = \"建平县\"\n";
        let e = Registry::from_toml(toml).unwrap_err();
        let paths: Vec<&str> = e.problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "actors[0].name",
                "actors[0].county",
                "actors[0].public_key",
                "actors[0].valid_from",
                "actors[1].county",
                "actors[1].id", // the id is repeated even though the first entry was refused
            ],
            "{e}"
        );
        assert!(e.to_string().contains("control character"), "{e}");
        assert!(!e.to_string().contains('\u{1b}'), "the message escapes it");
        let e = Registry::from_toml(
            "[[actors]]\nid = \"a\"\nname = \"甲\"\nrole = \"mayor\"\nlevel = \"city\"\n",
        )
        .unwrap_err();
        assert!(e.to_string().contains("actors[0].role"), "{e}");
    }
}
