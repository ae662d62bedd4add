//! Partial policies and one-value overrides: what-if without copying the whole policy.
//!
//! A **policy overlay** is a policy file that starts with `extends = "chaoyang-2020"` (an embedded
//! policy: [`Policy::embedded`]) and gives only what differs. It is merged onto its base:
//! tables key by key; arrays of tables whose elements have an `id` (tasks, cards, sections,
//! items, bonus rules, deadlines, goals) element by element — an element with a known `id` is
//! merged into it, a new `id` is appended; any other array replaces the base's. The merged
//! policy is then validated like any other, so an overlay cannot produce an invalid policy.
//!
//! An **override** sets one value by its path: `funds.quota.county=3000万元`, with an array
//! element named by its id in brackets (`tasks.tasks[t3.factories].target.count.value=41`).
//! The path must exist (a misspelt path is an error, never a new key), and the value is read as
//! the field reads it (an amount, a ratio, a whole number).
//!
//! # Example
//! ```
//! use fupin::{Amount, Policy};
//! use fupin::policy::UnitKind;
//!
//! let overlay = Policy::from_toml(r#"
//!     extends = "chaoyang-2020"
//!     [meta]
//!     name = "what if the county quota were 3,000 万元"
//!     [funds.quota]
//!     county = "3000万元"
//!     [[tasks.tasks]]
//!     id = "t3.factories"
//!     target.count = { value = "41", unit = "factories" }
//! "#)?;
//! assert_eq!(overlay.funds.quota.of(UnitKind::County), Amount::wan(3_000));
//! assert_eq!(overlay.funds.quota.of(UnitKind::District), Amount::wan(1_000)); // from the base
//! assert_eq!(overlay.tasks.factories_target(), Some(41));
//! assert_eq!(overlay.tasks.tasks.len(), 10);
//!
//! let set = Policy::chaoyang_2020().with_overrides(&[("funds.quota.county".into(), "3000万元".into())])?;
//! assert_eq!(set.funds.quota, overlay.funds.quota);
//! let typo = Policy::chaoyang_2020().with_overrides(&[("funds.quota.conty".into(), "1".into())]);
//! assert!(typo.unwrap_err().to_string().contains("funds.quota.conty"));
//! # Ok::<(), fupin::policy::PolicyError>(())
//! ```

use serde_json::{Map, Value};

use super::{Policy, PolicyError};
use crate::load::FieldError;

/// The names an overlay's `extends` may give, and the embedded policy each stands for.
pub const EMBEDDED: &[(&str, i32)] = &[("chaoyang-2020", 2020), ("2020", 2020)];

fn err(path: impl Into<String>, message: impl Into<String>) -> PolicyError {
    PolicyError(FieldError::new(path, message).into())
}

impl Policy {
    /// An embedded policy by name (`chaoyang-2020`) or year (`2020`).
    ///
    /// # Example
    /// ```
    /// assert_eq!(fupin::Policy::embedded("2020").unwrap().meta.year, 2020);
    /// assert!(fupin::Policy::embedded("2019").is_none());
    /// ```
    #[must_use]
    pub fn embedded(name: &str) -> Option<Self> {
        EMBEDDED
            .iter()
            .find(|(n, _)| *n == name.trim())
            .map(|_| Self::chaoyang_2020())
    }

    /// The embedded policy of a year, if there is one (2020).
    #[must_use]
    pub fn for_year(year: i32) -> Option<Self> {
        (year == 2020).then(Self::chaoyang_2020)
    }

    /// This policy with one value changed per `(path, value)`.
    ///
    /// # Errors
    /// [`PolicyError`] naming the path: it does not exist, the value cannot be read as the
    /// field's type, or the changed policy is invalid.
    pub fn with_overrides(&self, sets: &[(String, String)]) -> Result<Self, PolicyError> {
        let mut v = serde_json::to_value(self).map_err(|e| err("(policy)", e.to_string()))?;
        for (path, value) in sets {
            set_path(&mut v, path, value)?;
        }
        Self::from_json(&v.to_string())
    }
}

/// Read `path=value` (an override as the command line gives it).
///
/// # Errors
/// [`PolicyError`] when there is no `=` or the path is empty.
///
/// # Example
/// ```
/// let (path, value) = fupin::overlay::parse_set("funds.quota.county=3000万元").unwrap();
/// assert_eq!((path.as_str(), value.as_str()), ("funds.quota.county", "3000万元"));
/// ```
pub fn parse_set(arg: &str) -> Result<(String, String), PolicyError> {
    match arg.split_once('=') {
        Some((p, v)) if !p.trim().is_empty() => Ok((p.trim().to_owned(), v.trim().to_owned())),
        _ => Err(err(
            "--set",
            format!("`{arg}` is not PATH=VALUE, e.g. funds.quota.county=3000万元"),
        )),
    }
}

/// Split `a.b[x.y].c` into `a`, `b`, `[x.y]`, `c`.
fn segments(path: &str) -> Result<Vec<String>, PolicyError> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = path.chars();
    while let Some(c) = chars.next() {
        match c {
            '.' => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            '[' => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                let mut key = String::from("[");
                loop {
                    match chars.next() {
                        Some(']') => break,
                        Some(k) => key.push(k),
                        None => return Err(err(path, "an unclosed `[` in the path")),
                    }
                }
                out.push(key);
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    if out.is_empty() {
        return Err(err(path, "the path is empty"));
    }
    Ok(out)
}

fn set_path(root: &mut Value, path: &str, value: &str) -> Result<(), PolicyError> {
    let mut at = root;
    for seg in segments(path)? {
        at = match seg.strip_prefix('[') {
            Some(key) => {
                let Value::Array(items) = at else {
                    return Err(err(
                        path,
                        format!("`[{key}]` names an element of a non-list"),
                    ));
                };
                let pos = items
                    .iter()
                    .position(|e| e.get("id").and_then(Value::as_str) == Some(key))
                    .or_else(|| key.parse::<usize>().ok());
                let ids: Vec<String> = items
                    .iter()
                    .filter_map(|e| e.get("id").and_then(Value::as_str).map(str::to_owned))
                    .collect();
                pos.and_then(|i| items.get_mut(i)).ok_or_else(|| {
                    err(
                        path,
                        format!("no element `{key}` (known: {})", ids.join(", ")),
                    )
                })?
            }
            None => match at {
                Value::Object(m) => m
                    .get_mut(&seg)
                    .ok_or_else(|| err(path, format!("no field `{seg}` here")))?,
                _ => return Err(err(path, format!("`{seg}` names a field of a plain value"))),
            },
        };
    }
    *at = match at {
        Value::Number(_) => value
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| err(path, format!("`{value}` is not a whole number")))?,
        Value::Bool(_) => match value {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => return Err(err(path, format!("`{value}` is not true or false"))),
        },
        Value::String(_) | Value::Null => Value::String(value.to_owned()),
        Value::Object(_) | Value::Array(_) => {
            return Err(err(
                path,
                "names a table or a list: give the path of one value",
            ));
        }
    };
    Ok(())
}

/// TOML to JSON, with dates as their text.
pub(crate) fn toml_to_json(v: toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        // Floats are kept so that the loader refuses them with its own advice.
        toml::Value::Float(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => {
            Value::Object(t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect())
        }
    }
}

/// Merge `top` onto `base`: objects key by key, arrays of objects with ids element by element,
/// anything else replaced.
pub(crate) fn merge(base: &mut Value, top: Value) {
    match (base, top) {
        (Value::Object(b), Value::Object(t)) => merge_objects(b, t),
        (Value::Array(b), Value::Array(t)) if is_keyed(b) && is_keyed(&t) => {
            for item in t {
                let id = item.get("id").and_then(Value::as_str).map(str::to_owned);
                match b
                    .iter_mut()
                    .find(|e| e.get("id").and_then(Value::as_str) == id.as_deref())
                {
                    Some(slot) => merge(slot, item),
                    None => b.push(item),
                }
            }
        }
        (b, t) => *b = t,
    }
}

fn merge_objects(b: &mut Map<String, Value>, t: Map<String, Value>) {
    for (k, v) in t {
        match b.get_mut(&k) {
            Some(slot) => merge(slot, v),
            None => {
                b.insert(k, v);
            }
        }
    }
}

fn is_keyed(items: &[Value]) -> bool {
    !items.is_empty()
        && items
            .iter()
            .all(|e| e.get("id").and_then(Value::as_str).is_some())
}

/// If `doc` is an overlay (it has `extends`), the merged policy; `None` for a whole policy.
pub(crate) fn resolve(mut doc: Value) -> Result<Option<Policy>, PolicyError> {
    let Some(extends) = doc.as_object_mut().and_then(|m| m.remove("extends")) else {
        return Ok(None);
    };
    let name = extends.as_str().ok_or_else(|| {
        err(
            "extends",
            "give the name of an embedded policy, e.g. \"chaoyang-2020\"",
        )
    })?;
    let base = Policy::embedded(name).ok_or_else(|| {
        let names: Vec<&str> = EMBEDDED.iter().map(|(n, _)| *n).collect();
        err(
            "extends",
            format!(
                "`{name}` is not an embedded policy (known: {})",
                names.join(", ")
            ),
        )
    })?;
    let mut merged = serde_json::to_value(&base).map_err(|e| err("(policy)", e.to_string()))?;
    merge(&mut merged, doc);
    Policy::from_json(&merged.to_string()).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_overlay_refuses_a_repeated_key_and_skips_a_byte_order_mark() {
        let e = Policy::from_json(
            r#"{"extends": "chaoyang-2020", "meta": {"year": 2021, "year": 2022}}"#,
        )
        .unwrap_err();
        assert_eq!(e.0.first().code, crate::ErrorCode::DUPLICATE_KEY, "{e}");
        assert_eq!(e.0.first().path, "meta");
        let p = Policy::from_json("\u{feff}{\"extends\": \"chaoyang-2020\"}").unwrap();
        assert_eq!(p.meta.year, 2020);
        assert!(Policy::from_toml("\u{feff}extends = \"chaoyang-2020\"\n").is_ok());
    }
    use crate::money::{Amount, Ratio};

    #[test]
    fn an_overlay_changes_only_what_it_gives() {
        let p = Policy::from_toml(
            "extends = \"2020\"\n[upward]\ngrowth_target = \"25%\"\n[[goals]]\nid = \"P.lifted_out\"\nrule.at_least = { value = \"7000\", unit = \"people\" }\n",
        )
        .unwrap();
        let base = Policy::chaoyang_2020();
        assert_eq!(p.upward.growth_target, Ratio::percent(25));
        assert_eq!(p.funds, base.funds);
        assert_eq!(p.goals.len(), base.goals.len());
        assert_eq!(
            p.goals[0].label, base.goals[0].label,
            "merged, not replaced"
        );
        assert_ne!(p.goals[0].rule, base.goals[0].rule);
        assert_eq!(p.plan_text, base.plan_text);
    }

    #[test]
    fn a_bad_overlay_is_named() {
        let e = Policy::from_toml("extends = \"2019\"\n").unwrap_err();
        assert_eq!(e.path(), "extends");
        let e =
            Policy::from_toml("extends = \"2020\"\n[funds.quota]\ncounty = \"-1\"\n").unwrap_err();
        assert_eq!(e.path(), "funds.quota.county");
        let e = Policy::from_toml("extends = \"2020\"\n[funds]\nquota_typo = \"1\"\n").unwrap_err();
        assert!(e.to_string().contains("quota_typo"), "{e}");
        let e =
            Policy::from_json(r#"{"extends": "chaoyang-2020", "upward": {"growth_target": 0.2}}"#)
                .unwrap_err();
        assert_eq!(e.path(), "upward.growth_target");
    }

    #[test]
    fn overrides_reach_list_elements_by_id_and_keep_types() {
        let p = Policy::chaoyang_2020()
            .with_overrides(&[
                (
                    "tasks.tasks[t3.factories].target.count.value".into(),
                    "41".into(),
                ),
                ("tasks.factories.employment_min".into(), "59".into()),
                (
                    "calendar.deadlines[M5.rectification].due".into(),
                    "2020-08-31".into(),
                ),
            ])
            .unwrap();
        assert_eq!(p.tasks.factories_target(), Some(41));
        assert_eq!(p.tasks.factories.employment_min, 59);
        assert_eq!(p.calendar.deadlines[1].due.to_string(), "2020-08-31");
        for (path, value, says) in [
            ("tasks.factories.employment_min", "59.5", "whole number"),
            (
                "tasks.tasks[t9.nothing].weight",
                "1",
                "no element `t9.nothing`",
            ),
            ("funds.quota", "1", "table or a list"),
            ("funds.quota.county", "lots", "lots"),
        ] {
            let e = Policy::chaoyang_2020()
                .with_overrides(&[(path.into(), value.into())])
                .unwrap_err();
            assert!(e.to_string().contains(says), "{path}: {e}");
        }
        assert_eq!(
            Policy::chaoyang_2020()
                .with_overrides(&[("funds.quota.district".into(), "1200万元".into())])
                .unwrap()
                .funds
                .quota
                .district,
            Amount::wan(1_200)
        );
        assert!(parse_set("nothing").is_err());
    }
}
