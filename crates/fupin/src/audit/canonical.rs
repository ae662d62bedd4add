//! RFC 8785 JSON Canonicalization Scheme (JCS) for the values an approval event holds.
//!
//! The bytes an event's hash and signature cover are the event's JCS form: object members
//! sorted by the UTF-16 code units of their names, no whitespace, strings with the minimal
//! escapes of ECMAScript's `JSON.stringify` (`\"`, `\\`, `\b`, `\f`, `\n`, `\r`, `\t`, other
//! controls as `\u00xx`; everything else as UTF-8), and numbers as ECMAScript prints them. The
//! events hold integers only (amounts and times are strings), so a number must be an integer of
//! at most 2^53 − 1 in magnitude — the range in which ECMAScript prints an integer exactly as
//! written; any other number is refused rather than printed in a form another implementation
//! might not reproduce.

use std::fmt::Write as _;

use serde_json::Value;

/// The largest integer ECMAScript represents exactly (2^53 − 1).
const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// A value that has no canonical form here: a fraction or an integer outside ±(2^53 − 1).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the number {number} has no canonical form: only integers up to 2^53 − 1 in magnitude")]
pub struct CanonicalError {
    /// The number as given.
    pub number: String,
}

/// The RFC 8785 canonical text of a JSON value.
///
/// # Errors
/// [`CanonicalError`] for a number that is not an integer within ±(2^53 − 1).
///
/// # Example
/// ```
/// use fupin::audit::canonical_json;
/// let v = serde_json::json!({"b": [1, "é\n"], "a": null});
/// assert_eq!(canonical_json(&v).unwrap(), r#"{"a":null,"b":[1,"é\n"]}"#);
/// ```
pub fn canonical_json(value: &Value) -> Result<String, CanonicalError> {
    let mut out = String::new();
    write(value, &mut out)?;
    Ok(out)
}

fn write(v: &Value, out: &mut String) -> Result<(), CanonicalError> {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            let fits = n.as_u64().is_some_and(|u| u <= MAX_SAFE_INTEGER)
                || n.as_i64()
                    .is_some_and(|i| i.unsigned_abs() <= MAX_SAFE_INTEGER);
            if !fits {
                return Err(CanonicalError {
                    number: n.to_string(),
                });
            }
            let _ = write!(out, "{n}");
        }
        Value::String(s) => string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(item, out)?;
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut members: Vec<(Vec<u16>, &String, &Value)> = map
                .iter()
                .map(|(k, v)| (k.encode_utf16().collect(), k, v))
                .collect();
            members.sort_by(|a, b| a.0.cmp(&b.0));
            out.push('{');
            for (i, (_, k, v)) in members.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                string(k, out);
                out.push(':');
                write(v, out)?;
            }
            out.push('}');
        }
    }
    Ok(())
}

fn string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn members_sort_by_utf16_code_units_as_rfc_8785_section_3_2_3_shows() {
        // RFC 8785 §3.2.3: the surrogate pair of U+1F600 sorts before U+FB33 in UTF-16,
        // although its code point is larger.
        let v: Value = serde_json::from_str(
            r#"{"\u20ac":"Euro Sign","\r":"Carriage Return","\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One","\ud83d\ude00":"Emoji: Grinning Face","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis"}"#,
        )
        .unwrap();
        let names: Vec<String> = {
            let c = canonical_json(&v).unwrap();
            let back: serde_json::Map<String, Value> = serde_json::from_str(&c).unwrap();
            // serde_json's map is sorted by bytes; read the order from the text instead.
            let mut keys: Vec<(usize, String)> = back
                .keys()
                .map(|k| {
                    (
                        c.find(&format!("\"{}\":", k.replace('\r', "\\r"))).unwrap(),
                        k.clone(),
                    )
                })
                .collect();
            keys.sort();
            keys.into_iter().map(|(_, k)| k).collect()
        };
        assert_eq!(
            names,
            [
                "\r",
                "1",
                "\u{80}",
                "\u{f6}",
                "\u{20ac}",
                "\u{1f600}",
                "\u{fb33}"
            ]
        );
    }

    #[test]
    fn strings_use_the_minimal_escapes_of_json_stringify() {
        let v = Value::String("a\"b\\c\u{8}\u{c}\n\r\t\u{1}\u{1f}\u{7f}é/€".into());
        assert_eq!(
            canonical_json(&v).unwrap(),
            "\"a\\\"b\\\\c\\b\\f\\n\\r\\t\\u0001\\u001f\u{7f}é/€\""
        );
    }

    #[test]
    fn numbers_are_safe_integers_only() {
        assert_eq!(
            canonical_json(&serde_json::json!([0, -3, 9007199254740991_u64])).unwrap(),
            "[0,-3,9007199254740991]"
        );
        for bad in ["9007199254740992", "1.5", "-9007199254740992"] {
            let v: Value = serde_json::from_str(bad).unwrap();
            assert!(canonical_json(&v).is_err(), "{bad}");
        }
    }

    fn any_json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            (-1000i64..1000).prop_map(Value::from),
            any::<String>().prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 64, 8, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::btree_map(any::<String>(), inner, 0..6)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn canonical_text_parses_back_to_the_same_value_and_is_a_fixed_point(v in any_json()) {
            let c = canonical_json(&v).unwrap();
            let back: Value = serde_json::from_str(&c).unwrap();
            prop_assert_eq!(&back, &v);
            prop_assert_eq!(canonical_json(&back).unwrap(), c);
        }
    }
}
