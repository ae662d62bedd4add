//! `schemas/openapi.json` is exactly the document the service serves (rewrite it with
//! `FUPIN_WRITE_SCHEMAS=1 cargo test -p fupin-ops -p fupin-server`), and it is a valid
//! OpenAPI 3.1 document whose every reference resolves.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;

use serde_json::Value;

#[test]
fn openapi_json_matches_the_types_and_routes() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas/openapi.json");
    let text = fupin_server::openapi::text();
    if std::env::var_os("FUPIN_WRITE_SCHEMAS").is_some() {
        std::fs::write(&path, &text).unwrap();
        return;
    }
    let old = std::fs::read_to_string(&path).unwrap_or_default();
    if old != text {
        let first = old
            .lines()
            .zip(text.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        let show = |t: &str| {
            t.lines()
                .skip(first.saturating_sub(2))
                .take(6)
                .collect::<Vec<_>>()
                .join("\n")
        };
        panic!(
            "schemas/openapi.json drifted from the types and routes (first difference at line {}):\n\
             - {}\n+ {}\nrewrite it with FUPIN_WRITE_SCHEMAS=1 cargo test -p fupin-ops -p fupin-server",
            first + 1,
            show(&old),
            show(&text)
        );
    }
}

fn refs<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
    match v {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get("$ref") {
                out.push(r);
            }
            m.values().for_each(|x| refs(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
        _ => {}
    }
}

#[test]
fn every_reference_resolves_and_every_operation_answers_problems() {
    let doc = fupin_server::openapi::document();
    assert_eq!(doc["openapi"], "3.1.0");
    let mut all = Vec::new();
    refs(&doc, &mut all);
    assert!(!all.is_empty());
    for r in all {
        let pointer = r
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("external ref {r}"));
        assert!(doc.pointer(pointer).is_some(), "{r} does not resolve");
    }
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            assert!(op["responses"]["default"].is_object(), "{method} {path}");
            assert!(op["operationId"].is_string(), "{method} {path}");
        }
    }
    // Each component schema is a valid JSON Schema.
    for (name, schema) in doc["components"]["schemas"].as_object().unwrap() {
        assert!(schema.is_object() || schema.is_boolean(), "{name}");
    }
}
