//! Reading TOML and JSON with errors that name the field path.
//!
//! Shared by every area that reads a file: a parse or type error becomes a [`FieldError`]
//! carrying the dotted path of the offending field (`funds.quota.county`), a code and the
//! value, so a finance officer editing a file knows exactly which line to fix.
//!
//! Both readers skip a leading UTF-8 byte-order mark (Windows editors write one). JSON is
//! strict where serde is lenient: a key given twice in one object is refused (serde would keep
//! the last one, so `"annual_targets": "1", "annual_targets": "80"` would score 80), anything
//! after the first value (a document pasted twice) is refused, and nesting deeper than 128
//! levels is refused by the parser.
//!
//! The module is public so that the layers above (the operations crate reading request bodies)
//! read with exactly these rules; areas read their own types through their `from_json` and
//! `from_toml`.

use std::collections::HashSet;
use std::fmt;

use chrono::NaiveDate;

use serde::de::{DeserializeOwned, DeserializeSeed, MapAccess, SeqAccess, Visitor};

pub(crate) use crate::vocab::{ErrorCode, FieldError, FieldErrors};

/// The byte-order mark some editors put at the start of UTF-8 text.
pub const BOM: char = '\u{feff}';

/// `text` without a leading byte-order mark.
pub fn strip_bom(text: &str) -> &str {
    text.strip_prefix(BOM).unwrap_or(text)
}

fn path_of<E>(e: &serde_path_to_error::Error<E>) -> String {
    let p = e.path().to_string();
    if p == "." || p.is_empty() {
        "(top level)".to_owned()
    } else {
        p
    }
}

/// A field error from a deserialiser's message: the code and value read off the message
/// (serde's wording for unknown, missing and duplicate fields and wrong types; the money
/// types' wording for floats and bad numbers).
pub fn from_message(path: String, message: &str) -> FieldError {
    let message = one_line(message);
    let (code, value) = classify(&message);
    FieldError::coded(code, path, value, message)
}

/// Deserialise `T` from TOML text.
///
/// # Errors
/// A [`FieldError`] of code `syntax` or `duplicate_key` for text that is not TOML, else the
/// first field that does not read, with its path and value.
pub fn from_toml<T: DeserializeOwned>(text: &str) -> Result<T, FieldErrors> {
    let text = strip_bom(text);
    let de = toml::Deserializer::parse(text).map_err(|e| {
        let message = one_line(&e.to_string());
        let code = if message.contains("duplicate key") {
            ErrorCode::DUPLICATE_KEY
        } else {
            ErrorCode::SYNTAX
        };
        FieldError::coded(code, "(syntax)", None, message)
    })?;
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = path_of(&e);
        from_message(path, &e.into_inner().to_string()).into()
    })
}

/// Deserialise `T` from JSON text, refusing keys given twice in one object and anything but
/// whitespace after the value.
///
/// # Errors
/// A [`FieldError`] of code `syntax` (with the line and column) for text that is not one JSON
/// value, `duplicate_key` naming the object and the key, `too_deep`, else the first field that
/// does not read, with its path and value.
pub fn from_json<T: DeserializeOwned>(text: &str) -> Result<T, FieldErrors> {
    let text = strip_bom(text);
    let de = &mut serde_json::Deserializer::from_str(text);
    match serde_path_to_error::deserialize(&mut *de) {
        Ok(v) => {
            check_duplicate_keys(text)?;
            // A second document (pasted twice, concatenated files) is refused, not dropped.
            de.end().map_err(|e| {
                FieldError::coded(
                    ErrorCode::SYNTAX,
                    "(syntax)",
                    None,
                    format!("{e}: only one JSON value may be given"),
                )
            })?;
            Ok(v)
        }
        Err(e) => {
            // A duplicate key earlier in the text may be the cause (serde's own "duplicate
            // field" names a struct field, not a map key): report it first if there is one.
            check_duplicate_keys(text)?;
            let path = path_of(&e);
            let inner = e.into_inner();
            let mut err = from_message(path, &inner.to_string());
            if err.code == ErrorCode::TOO_DEEP {
                // The path would be 128 levels of `[0]`; the message gives line and column.
                err.path = "(syntax)".to_owned();
            } else if inner.is_syntax() || inner.is_eof() {
                err = err.with_code(ErrorCode::SYNTAX);
                if err.path == "(top level)" {
                    err.path = "(syntax)".to_owned();
                }
            }
            Err(err.into())
        }
    }
}

/// A JSON value from text, as strictly as [`from_json`]: a leading byte-order mark skipped, a
/// key given twice in one object and anything after the value refused. Every JSON parse of the
/// core goes through [`from_json`] or this.
///
/// # Errors
/// A [`FieldError`] of code `duplicate_key`, `too_deep` or `syntax`.
pub fn json_value(text: &str) -> Result<serde_json::Value, FieldError> {
    let text = strip_bom(text);
    check_duplicate_keys(text)?;
    let mut de = serde_json::Deserializer::from_str(text);
    let v = serde::Deserialize::deserialize(&mut de).map_err(|e: serde_json::Error| {
        let code = if e.to_string().contains("recursion limit") {
            ErrorCode::TOO_DEEP
        } else {
            ErrorCode::SYNTAX
        };
        FieldError::coded(code, "(syntax)", None, one_line(&e.to_string()))
    })?;
    de.end().map_err(|e| {
        FieldError::coded(
            ErrorCode::SYNTAX,
            "(syntax)",
            None,
            format!("{e}: only one JSON value may be given"),
        )
    })?;
    Ok(v)
}

/// Refuse JSON text where one object gives a key twice (naming the object's path and the key).
/// Text that is not JSON at all passes: the real parse reports it.
///
/// # Errors
/// The first repeated key, code `duplicate_key`, its object's path and the key as the value.
pub fn check_duplicate_keys(text: &str) -> Result<(), FieldError> {
    let mut de = serde_json::Deserializer::from_str(strip_bom(text));
    let mut found = None;
    let _ = Walk {
        path: String::new(),
        found: &mut found,
    }
    .deserialize(&mut de);
    match found {
        Some((path, key)) => Err(FieldError::coded(
            ErrorCode::DUPLICATE_KEY,
            if path.is_empty() {
                "(top level)".to_owned()
            } else {
                path
            },
            Some(key.clone()),
            format!("key `{key}` is given twice in the same object; keep one"),
        )),
        None => Ok(()),
    }
}

/// Walks a JSON value, remembering the first repeated key of an object.
struct Walk<'f> {
    path: String,
    found: &'f mut Option<(String, String)>,
}

/// Stops the walk once a duplicate is found.
#[derive(Debug)]
struct Stop;

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("stop")
    }
}

impl<'de> DeserializeSeed<'de> for Walk<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Walk<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut i = 0_usize;
        loop {
            let path = format!("{}[{i}]", self.path);
            let more = seq.next_element_seed(Walk {
                path,
                found: &mut *self.found,
            })?;
            if more.is_none() {
                return Ok(());
            }
            if self.found.is_some() {
                return Err(serde::de::Error::custom(Stop));
            }
            i += 1;
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut keys = HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            let path = if self.path.is_empty() {
                key.clone()
            } else {
                format!("{}.{key}", self.path)
            };
            if !keys.insert(key.clone()) {
                *self.found = Some((self.path.clone(), key));
                return Err(serde::de::Error::custom(Stop));
            }
            map.next_value_seed(Walk {
                path,
                found: &mut *self.found,
            })?;
            if self.found.is_some() {
                return Err(serde::de::Error::custom(Stop));
            }
        }
        Ok(())
    }
}

/// Dates read from text (`"2020-06-30"`) or from TOML's own dates (`by = 2020-06-30`, which
/// the TOML reader hands over as a one-entry table); a TOML date with a time is refused.
/// Use with `#[serde(deserialize_with = "crate::load::date")]`; [`option_date`] and
/// [`date_map`] do the same for optional dates and maps of dates.
pub(crate) fn date<'de, D: serde::Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    d.deserialize_any(DateVisitor)
}

/// An optional date, as [`date`].
pub(crate) fn option_date<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<NaiveDate>, D::Error> {
    struct Opt;
    impl<'de> Visitor<'de> for Opt {
        type Value = Option<NaiveDate>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a date such as 2020-06-30")
        }
        fn visit_none<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            date(d).map(Some)
        }
    }
    d.deserialize_option(Opt)
}

/// A map of dates, as [`date`].
pub(crate) fn date_map<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<std::collections::BTreeMap<String, NaiveDate>, D::Error> {
    struct Dated(NaiveDate);
    impl<'de> serde::Deserialize<'de> for Dated {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            date(d).map(Self)
        }
    }
    let map: std::collections::BTreeMap<String, Dated> = serde::Deserialize::deserialize(d)?;
    Ok(map.into_iter().map(|(k, v)| (k, v.0)).collect())
}

/// The key under which the TOML reader hands over a native date or time.
const TOML_DATETIME: &str = "$__toml_private_datetime";

struct DateVisitor;

impl DateVisitor {
    fn parse<E: serde::de::Error>(text: &str) -> Result<NaiveDate, E> {
        NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
            if text.contains(['T', 't', ' ', ':']) {
                E::custom(format!(
                    "`{text}` is a date and time: give the date alone, e.g. 2020-06-30"
                ))
            } else {
                E::custom(format!(
                    "`{text}` is not a date: write YYYY-MM-DD, e.g. 2020-06-30"
                ))
            }
        })
    }
}

impl<'de> Visitor<'de> for DateVisitor {
    type Value = NaiveDate;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a date such as 2020-06-30")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<NaiveDate, E> {
        Self::parse(v)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<NaiveDate, A::Error> {
        match map.next_key::<String>()? {
            Some(k) if k == TOML_DATETIME => {
                let text: String = map.next_value()?;
                Self::parse(&text)
            }
            _ => Err(serde::de::Error::custom(
                "expected a date such as 2020-06-30, not a table",
            )),
        }
    }
}

/// The code and value of a deserialiser's message: serde's own wording for unknown, missing
/// and duplicate fields and wrong types; the money types' wording for floats and bad numbers.
fn classify(message: &str) -> (ErrorCode, Option<String>) {
    let quoted = || {
        let start = message.find('`')? + 1;
        let len = message.get(start..)?.find('`')?;
        message.get(start..start + len).map(str::to_owned)
    };
    let after = |marker: &str| -> Option<String> {
        let start = message.find(marker)? + marker.len();
        let rest = message.get(start..)?;
        Some(rest.split([' ', ',']).next().unwrap_or(rest).to_owned())
    };
    if message.starts_with("unknown field") {
        (ErrorCode::UNKNOWN_FIELD, quoted())
    } else if message.starts_with("missing field") {
        (ErrorCode::MISSING_FIELD, None)
    } else if message.starts_with("duplicate field") || message.contains("duplicate key") {
        (ErrorCode::DUPLICATE_KEY, quoted())
    } else if message.starts_with("unknown variant") {
        (ErrorCode::INVALID, quoted())
    } else if message.starts_with("invalid type") {
        (ErrorCode::INVALID_TYPE, None)
    } else if message.contains("is a binary float") {
        (ErrorCode::FLOAT, after("the number "))
    } else if message.contains("is not an amount") {
        (ErrorCode::INVALID_AMOUNT, quoted())
    } else if message.contains("is not a ratio") {
        (ErrorCode::INVALID_RATIO, quoted())
    } else if message.contains("is not a decimal number")
        || message.contains("a comma may only separate thousands")
    {
        (ErrorCode::INVALID_NUMBER, quoted())
    } else if message.contains("far more than any budget")
        || message.contains("has more digits than an exact decimal holds")
    {
        (ErrorCode::OUT_OF_RANGE, quoted())
    } else if message.contains("overflows the exact decimal range") {
        (ErrorCode::OVERFLOW, None)
    } else if message.contains("recursion limit exceeded") {
        (ErrorCode::TOO_DEEP, None)
    } else if message.contains("is not a date") || message.contains("is a date and time") {
        (ErrorCode::INVALID_DATE, quoted())
    } else if message.contains("input contains invalid characters")
        || message.contains("premature end of input")
        || message.contains("trailing input")
    {
        (ErrorCode::INVALID_DATE, None)
    } else {
        (ErrorCode::INVALID, None)
    }
}

/// Collapse a multi-line parser message (toml quotes the source) into one line.
fn one_line(s: &str) -> String {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('|'))
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Doc {
        items: BTreeMap<String, String>,
        #[serde(default)]
        n: Option<crate::Amount>,
    }

    #[test]
    fn a_json_key_given_twice_is_refused_with_its_path() {
        let e = from_json::<Doc>(r#"{"items": {"annual_targets": "1", "annual_targets": "80"}}"#)
            .unwrap_err();
        let e = e.first();
        assert_eq!(e.code, ErrorCode::DUPLICATE_KEY);
        assert_eq!(e.path, "items");
        assert_eq!(e.value.as_deref(), Some("annual_targets"));
        // A struct field twice, and a key twice at the top level.
        let e = from_json::<Doc>(r#"{"items": {}, "items": {}}"#).unwrap_err();
        assert_eq!(e.first().code, ErrorCode::DUPLICATE_KEY);
        assert_eq!(e.first().path, "(top level)");
        // Escapes that spell the same key are the same key.
        let e = from_json::<Doc>(r#"{"items": {"a": "1", "\u0061": "2"}}"#).unwrap_err();
        assert_eq!(e.first().code, ErrorCode::DUPLICATE_KEY);
        // Deep inside an array.
        let e = check_duplicate_keys(r#"[{"a": [{}, {"b": 1, "b": 2}]}]"#).unwrap_err();
        assert_eq!(e.path, "[0].a[1]");
    }

    #[test]
    fn a_second_json_document_is_refused_not_dropped() {
        for text in [
            r#"{"items": {}} {"items": {"a": "1"}}"#,
            "{\"items\": {}}\n{\"items\": {}}\n",
            r#"{"items": {}} x"#,
        ] {
            let e = from_json::<Doc>(text).unwrap_err();
            assert_eq!(e.first().code, ErrorCode::SYNTAX, "{text}: {e}");
            assert!(e.to_string().contains("only one JSON value"), "{e}");
        }
        // Whitespace after the value is fine.
        assert!(from_json::<Doc>("{\"items\": {}}\n\n  ").is_ok());
    }

    #[derive(Debug, serde::Deserialize)]
    struct Dates {
        #[serde(deserialize_with = "date")]
        by: NaiveDate,
        #[serde(default, deserialize_with = "option_date")]
        starts: Option<NaiveDate>,
        #[serde(default, deserialize_with = "date_map")]
        done: std::collections::BTreeMap<String, NaiveDate>,
    }

    #[test]
    fn native_toml_dates_are_dates() {
        // Issue #10.8: `by = 2020-06-30` (a TOML date, not a string) was refused.
        let d: Dates =
            from_toml("by = 2020-06-30\nstarts = 2020-04-11\n[done]\n\"M5\" = 2020-07-20\n")
                .unwrap();
        assert_eq!(d.by.to_string(), "2020-06-30");
        assert_eq!(d.starts.unwrap().to_string(), "2020-04-11");
        assert_eq!(d.done["M5"].to_string(), "2020-07-20");
        let d: Dates = from_toml("by = \"2020-06-30\"\n").unwrap();
        assert_eq!(
            (d.by.to_string(), d.starts),
            ("2020-06-30".to_owned(), None)
        );
        let d: Dates = from_json(r#"{"by": "2020-06-30", "starts": null}"#).unwrap();
        assert_eq!(d.starts, None);
        for (text, want) in [
            ("by = 2020-06-30T10:00:00\n", "is a date and time"),
            ("by = 10:00:00\n", "is a date and time"),
            ("by = \"2020-02-30\"\n", "`2020-02-30` is not a date"),
            ("by = 20200630\n", "a date such as 2020-06-30"),
        ] {
            let e = from_toml::<Dates>(text).unwrap_err();
            assert!(e.to_string().contains(want), "{text}: {e}");
            assert_eq!(e.first().path, "by");
        }
    }

    #[test]
    fn a_byte_order_mark_is_skipped() {
        let d: Doc = from_json("\u{feff}{\"items\": {}}").unwrap();
        assert!(d.items.is_empty());
        let d: Doc = from_toml("\u{feff}[items]\na = \"1\"\n").unwrap();
        assert_eq!(d.items.len(), 1);
    }

    #[test]
    fn errors_carry_codes_and_values() {
        let e = from_json::<Doc>(r#"{"items": {}, "itemz": 1}"#).unwrap_err();
        assert_eq!(
            (e.first().code.as_str(), e.first().value.as_deref()),
            ("unknown_field", Some("itemz"))
        );
        let e = from_json::<Doc>(r"{}").unwrap_err();
        assert_eq!(e.first().code, ErrorCode::MISSING_FIELD);
        let e = from_json::<Doc>(r#"{"items": {}, "n": 0.1}"#).unwrap_err();
        assert_eq!(
            (e.first().code.as_str(), e.first().value.as_deref()),
            ("float", Some("0.1"))
        );
        assert_eq!(e.first().path, "n");
        let e = from_json::<Doc>(r#"{"items": {}, "n": "7,5"}"#).unwrap_err();
        assert_eq!(
            (e.first().code.as_str(), e.first().value.as_deref()),
            ("invalid_number", Some("7,5"))
        );
        let e = from_json::<Doc>(r#"{"items": {"#).unwrap_err();
        assert_eq!(e.first().code, ErrorCode::SYNTAX);
        let deep = "[".repeat(200) + &"]".repeat(200);
        let e = from_json::<Vec<serde_json::Value>>(&deep).unwrap_err();
        assert_eq!(e.first().code, ErrorCode::TOO_DEEP, "{e}");
        let e = from_toml::<Doc>("[items]\na = \"1\"\na = \"2\"\n").unwrap_err();
        assert_eq!(e.first().code, ErrorCode::DUPLICATE_KEY, "{e}");
    }
}
