//! JSON Schemas of the types whose serde is written by hand (feature `schema`): the money types
//! here, and the helpers ([`decimal`], [`open_enum`], [`DecimalText`]) each area uses for its own
//! hand-written types (points, months, reported figures, project categories and fund sources).
//!
//! Every other serialised type derives `schemars::JsonSchema` beside its serde derive. The types
//! here read more than they write: an amount reads `"2500万元"`, `"25000000"` or an integer of
//! yuan, and always writes the exact decimal string of yuan. So each schema says what the type
//! *writes* when the generator describes output (the serialize contract), and what it *reads*
//! when it describes input — never a float in either.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use crate::money::{Amount, PercentagePoints, Ratio};

/// An exact decimal written as a string: `"-12.5"`, `"0.35"`, `"25000000"`.
pub(crate) const DECIMAL_PATTERN: &str = r"^-?[0-9]+(\.[0-9]+)?$";

fn is_decimal(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let mut parts = digits.splitn(2, '.');
    let whole = parts.next().unwrap_or("");
    let frac = parts.next();
    !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

/// A decimal: written as a string; read from a string or an integer, never a float.
pub(crate) fn decimal(
    generator: &SchemaGenerator,
    description: &str,
    reads: &str,
    examples: &[&str],
) -> Schema {
    if generator.contract().is_serialize() {
        json_schema!({
            "type": "string",
            "pattern": DECIMAL_PATTERN,
            "description": format!("{description} Written as an exact decimal string (never a float)."),
            "examples": examples.iter().filter(|e| is_decimal(e)).collect::<Vec<_>>(),
        })
    } else {
        json_schema!({
            "type": ["string", "integer"],
            "description": format!("{description} {reads} A JSON float (`0.35`) is refused: exact decimals are strings."),
            "examples": examples,
        })
    }
}

impl JsonSchema for Amount {
    fn schema_name() -> Cow<'static, str> {
        "Amount".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        decimal(
            generator,
            "An amount of money in yuan (元), exact.",
            "Reads a string with an optional unit (`\"2500万元\"`, `\"7.5亿元\"`, `\"25000000\"`, \
             `\"25,000,000元\"`) or an integer of yuan.",
            &["25000000", "2500万元"],
        )
    }
}

impl JsonSchema for Ratio {
    fn schema_name() -> Cow<'static, str> {
        "Ratio".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        decimal(
            generator,
            "A ratio, exact: 0.35 is 35 %.",
            "Reads a percentage (`\"35%\"`) or a fraction (`\"0.35\"`) as a string, or an integer.",
            &["0.35", "35%"],
        )
    }
}

impl JsonSchema for PercentagePoints {
    fn schema_name() -> Cow<'static, str> {
        "PercentagePoints".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        decimal(
            generator,
            "A difference of percentages in percentage points (pp), exact.",
            "Reads a decimal string (`\"5\"`) or an integer.",
            &["5", "-2.45"],
        )
    }
}

/// A decimal written and read as a string only (fields with `decimal_str`).
pub(crate) struct DecimalText;

impl JsonSchema for DecimalText {
    fn schema_name() -> Cow<'static, str> {
        "DecimalText".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": DECIMAL_PATTERN,
            "description": "An exact decimal as a string.",
            "examples": ["1", "0.2"],
        })
    }
}

pub(crate) fn open_enum(known: &[&str], description: &str) -> Schema {
    json_schema!({
        "type": "string",
        "minLength": 1,
        "description": description,
        "examples": known,
    })
}
