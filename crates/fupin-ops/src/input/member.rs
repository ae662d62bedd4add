//! Request members that are core documents, read by the core's own readers.
//!
//! A request's `data`, `policy`, `input`, `schedule`, … are captured as JSON values (from any
//! self-describing deserializer: a JSON body, a Python object) and read by the same function
//! that reads the document from a file (`PlanData::from_json`, `Policy::from_json`, …), so the
//! rules of the one reader hold on every path: floats refused where a decimal is expected,
//! every invalid field named, overlays resolved, names checked.
//!
//! The core's problems (every field error, with its path) must reach the face whole, but a
//! deserializer's error is a message. They travel through it as a *carried* problem: the
//! member's reader writes the problem into the message between two marks ([`carry`]) and the
//! request readers ([`super::request_json`], [`super::request_from`]) take it out again
//! ([`uncarry`]), putting its paths under the member's path. No one else sees the marks.

use std::fmt;

use serde::de::{Deserialize, Deserializer, Error};
use serde_json::Value;

use crate::problem::Problem;

/// Starts and ends a carried problem inside a deserializer's message.
const MARK: &str = "\u{1}fupin-problem\u{1}";

/// A problem carried through a deserializer's error message.
struct Carried<'a>(&'a Problem);

impl fmt::Display for Carried<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let wire = (&self.0.detail, &self.0.errors);
        let json = serde_json::to_string(&wire).map_err(|_| fmt::Error)?;
        write!(f, "{MARK}{json}{MARK}")
    }
}

/// A deserializer's error carrying `problem` (paths relative to the member).
pub(crate) fn carry<E: Error>(problem: &Problem) -> E {
    E::custom(Carried(problem))
}

/// The problem a deserializer's message carries, if it carries one.
pub(crate) fn uncarry(message: &str) -> Option<Problem> {
    let start = message.find(MARK)? + MARK.len();
    let rest = message.get(start..)?;
    let end = rest.find(MARK)?;
    let (detail, errors): (String, Vec<fupin::FieldError>) =
        serde_json::from_str(rest.get(..end)?).ok()?;
    Some(Problem::invalid(detail, errors))
}

/// Capture a member as a JSON value.
///
/// # Errors
/// What the deserializer says (a JSON body's syntax was checked before).
pub(crate) fn capture<'de, D: Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
    Value::deserialize(d)
}

/// Read a captured member with a core reader, on the value's JSON text; its problem is carried.
///
/// # Errors
/// The reader's error, carried.
pub(crate) fn read<E: Error, T>(
    value: &Value,
    reader: impl FnOnce(&str) -> Result<T, Problem>,
) -> Result<T, E> {
    reader(&value.to_string()).map_err(|p| carry(&p))
}

/// `integer `1``, `an array`: a value's kind, as serde names it in messages.
pub(crate) fn kind(v: &Value) -> String {
    match v {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => format!("boolean `{b}`"),
        Value::Number(n) if n.is_f64() => format!("floating point `{n}`"),
        Value::Number(n) => format!("integer `{n}`"),
        Value::String(s) => format!("string {s:?}"),
        Value::Array(_) => "sequence".to_owned(),
        Value::Object(_) => "map".to_owned(),
    }
}

/// A member read by a core reader: `#[serde(deserialize_with = "member::doc")]` on a field of a
/// type implementing [`FromJson`].
///
/// # Errors
/// The reader's problem, carried.
pub(crate) fn doc<'de, D: Deserializer<'de>, T: FromJson>(d: D) -> Result<T, D::Error> {
    let value = capture(d)?;
    read(&value, T::from_json)
}

/// An optional member read by a core reader (`null` is none).
///
/// # Errors
/// As [`doc`].
pub(crate) fn opt_doc<'de, D: Deserializer<'de>, T: FromJson>(d: D) -> Result<Option<T>, D::Error> {
    match capture(d)? {
        Value::Null => Ok(None),
        value => read(&value, T::from_json).map(Some),
    }
}

/// A core document with its JSON reader.
pub(crate) trait FromJson: Sized {
    /// Read the document from JSON text.
    fn from_json(text: &str) -> Result<Self, Problem>;
}

macro_rules! from_json {
    ($($t:ty => $f:path;)*) => {
        $(impl FromJson for $t {
            fn from_json(text: &str) -> Result<Self, Problem> {
                $f(text).map_err(|e| Problem::from(fupin::Error::from(e)))
            }
        })*
    };
}

from_json! {
    fupin::spending::Schedule => fupin::spending::Schedule::from_json;
    fupin::spending::AllocationPolicy => fupin::spending::AllocationPolicy::from_json;
    fupin::tasks::TasksInput => fupin::tasks::TasksInput::from_json;
    fupin::assessment::UnitsInput => fupin::assessment::UnitsInput::from_json;
    fupin::assessment::Scorecard => fupin::assessment::Scorecard::from_json;
    fupin::calendar::DoneList => fupin::calendar::DoneList::from_json;
    fupin::years::YearEndLink => fupin::years::YearEndLink::from_json;
    Vec<fupin::assessment::ScoreInput> => fupin::assessment::ScoreInput::many_from_json;
}

impl FromJson for fupin::Policy {
    fn from_json(text: &str) -> Result<Self, Problem> {
        Self::from_json(text).map_err(|e| Problem::from(fupin::Error::from(e)))
    }
}

macro_rules! serde_json_doc {
    ($($t:ty;)*) => {
        $(impl FromJson for $t {
            fn from_json(text: &str) -> Result<Self, Problem> {
                fupin::load::from_json(text)
                    .map_err(|e| Problem::invalid(e.to_string(), e.into_iter().collect()))
            }
        })*
    };
}

serde_json_doc! {
    fupin::projects::ProjectLibrary;
    fupin::projects::InspectionWeights;
}

impl FromJson for fupin::approval::Registry {
    fn from_json(text: &str) -> Result<Self, Problem> {
        Self::from_json(text).map_err(|e| Problem::invalid(e.to_string(), e.problems))
    }
}

impl FromJson for fupin::data::PlanData {
    /// Plan data as a file is read: `last_year_from` may name an embedded year.
    fn from_json(text: &str) -> Result<Self, Problem> {
        super::plan::plan_data_text(text, true, &mut super::plan::no_prior_file)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_travels_through_a_message_whole() {
        let e = fupin::FieldError::new("counties[2].this_year", "`-1` is negative");
        let p = Problem::invalid("1 problem", vec![e.clone()]);
        let message = format!("{} at line 3 column 9", Carried(&p));
        let back = uncarry(&message).unwrap();
        assert_eq!(back.errors, vec![e]);
        assert_eq!(back.detail, "1 problem");
        assert!(uncarry("invalid type: integer `1`").is_none());
    }
}
