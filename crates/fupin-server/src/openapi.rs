//! `/openapi.json`: the OpenAPI 3.1 document, built from the same schemars schemas as
//! `schemas/` (one derive per type: the two documents cannot drift apart), and the routes table
//! below. A test keeps `schemas/openapi.json` equal to it.

use std::collections::{BTreeMap, BTreeSet};

use fupin_ops::schema::{Direction, documents, generator_at};
use serde_json::{Map, Value, json};

const COMPONENTS: &str = "/components/schemas";
const REF: &str = "#/components/schemas/";

/// What an operation reads.
enum Body {
    None,
    Json(&'static str),
    Arrow,
}

/// What an operation answers with on success.
enum Answer {
    Json(&'static str),
    JsonOneOf(&'static [&'static str]),
    Component(&'static str),
    Arrow,
    Html,
    AnyJson,
}

struct Operation {
    method: &'static str,
    path: &'static str,
    id: &'static str,
    tag: &'static str,
    summary: &'static str,
    body: Body,
    answer: Answer,
}

const fn op(
    method: &'static str,
    path: &'static str,
    id: &'static str,
    tag: &'static str,
    summary: &'static str,
    body: Body,
    answer: Answer,
) -> Operation {
    Operation {
        method,
        path,
        id,
        tag,
        summary,
        body,
        answer,
    }
}

fn operations() -> Vec<Operation> {
    use Answer as A;
    use Body as B;
    vec![
        op(
            "get",
            "/healthz",
            "healthz",
            "service",
            "Health check",
            B::None,
            A::Component("Health"),
        ),
        op(
            "get",
            "/",
            "docs",
            "service",
            "The docs page",
            B::None,
            A::Html,
        ),
        op(
            "get",
            "/openapi.json",
            "openapi",
            "service",
            "This document",
            B::None,
            A::AnyJson,
        ),
        op(
            "post",
            "/v1/report",
            "report",
            "funds",
            "Funds and integration checks of one year (G1–G3, M1–M3, task 8) — `fupin report`",
            B::Json("report-request"),
            A::Json("report"),
        ),
        op(
            "post",
            "/v1/score",
            "score",
            "assessment",
            "Score one unit or many on a scorecard and rank them (A, B) — `fupin score`",
            B::Json("score-request"),
            A::Json("score"),
        ),
        op(
            "post",
            "/v1/score/table",
            "score_table",
            "assessment",
            "Score a table of units, column at a time (Arrow IPC stream in and out)",
            B::Arrow,
            A::Arrow,
        ),
        op(
            "post",
            "/v1/tasks/check",
            "tasks_check",
            "tasks",
            "Task-table completions, card A's annual points, the T3/T10/M9 checks — `fupin tasks check`",
            B::Json("tasks-request"),
            A::Json("tasks-report"),
        ),
        op(
            "post",
            "/v1/spending/bulletin",
            "spending_bulletin",
            "spending",
            "The monthly spending-progress bulletin (G4, M4) — `fupin spending bulletin`",
            B::Json("bulletin-request"),
            A::Json("bulletin"),
        ),
        op(
            "post",
            "/v1/spending/allocation",
            "spending_allocation",
            "spending",
            "Next year's allocation tied to a bulletin (M4) — `fupin spending allocate`",
            B::Json("allocation-request"),
            A::Json("allocation"),
        ),
        op(
            "post",
            "/v1/calendar",
            "calendar",
            "calendar",
            "Obligations due in a range, and their status on a date (M5, task 8, O1, M4, M1c) — `fupin calendar`",
            B::Json("calendar-request"),
            A::JsonOneOf(&["calendar-due", "calendar-status"]),
        ),
        op(
            "get",
            "/v1/policy",
            "policy_embedded",
            "policy",
            "The embedded 2020 Chaoyang policy — `fupin policy show --format json`",
            B::None,
            A::Json("policy"),
        ),
        op(
            "get",
            "/v1/policies",
            "policy_list",
            "policy",
            "The policies of the service's --policy-dir",
            B::None,
            A::Component("PolicyList"),
        ),
        op(
            "get",
            "/v1/policies/{name}",
            "policy_named",
            "policy",
            "A policy of the service's --policy-dir, by name",
            B::None,
            A::Json("policy"),
        ),
        op(
            "post",
            "/v1/policy/validate",
            "policy_validate",
            "policy",
            "Validate a policy — `fupin policy check --format json`",
            B::Json("policy"),
            A::Json("policy-validation"),
        ),
        op(
            "post",
            "/v1/policy/compare",
            "policy_compare",
            "policy",
            "Compare two policies parameter by parameter — `fupin policy diff --format json`",
            B::Json("policy-compare-request"),
            A::Json("policy-comparison"),
        ),
        op(
            "post",
            "/v1/approvals/verify",
            "approvals_verify",
            "approvals",
            "Check an approval log's hash chain (M6, G5) — `fupin approvals verify`",
            B::Json("approvals-request"),
            A::Json("approvals-verify"),
        ),
        op(
            "post",
            "/v1/approvals/replay",
            "approvals_replay",
            "approvals",
            "Replay an approval log by the rules of the chain (M6, M8, task 8) — `fupin approvals replay`",
            B::Json("approvals-request"),
            A::Json("approvals-replay"),
        ),
    ]
}

/// `Component` name of a document: `score-request` → `ScoreRequest`; written documents get
/// `Document` (they carry the `format` key their type's own schema does not).
fn component_name(doc: &str, direction: Direction) -> String {
    let mut out = String::new();
    for part in doc.split('-') {
        let mut chars = part.chars();
        if let Some(c) = chars.next() {
            out.extend(c.to_uppercase());
            out.push_str(chars.as_str());
        }
    }
    if direction == Direction::Output {
        out.push_str("Document");
    }
    out
}

fn refs(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get("$ref")
                && let Some(name) = r.strip_prefix(REF)
            {
                out.insert(name.to_owned());
            }
            m.values().for_each(|x| refs(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
        _ => {}
    }
}

fn rename_refs(v: &mut Value, renamed: &BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get_mut("$ref")
                && let Some(name) = r.strip_prefix(REF)
                && renamed.contains(name)
            {
                *r = format!("{REF}{name}Output");
            }
            m.values_mut().for_each(|x| rename_refs(x, renamed));
        }
        Value::Array(a) => a.iter_mut().for_each(|x| rename_refs(x, renamed)),
        _ => {}
    }
}

/// Every component: the input documents and their definitions as serde reads them, the output
/// documents and theirs as serde writes them. A definition that reads differently than it is
/// written (an amount reads `"2500万元"`, writes `"25000000"`) — or that refers to one that
/// does — gets a second component, `NameOutput`.
fn components() -> (Map<String, Value>, BTreeMap<&'static str, String>) {
    let mut gen_in = generator_at(Direction::Input, COMPONENTS);
    let mut gen_out = generator_at(Direction::Output, COMPONENTS);
    let mut docs_in = Map::new();
    let mut docs_out = Map::new();
    let mut names = BTreeMap::new();
    for d in documents() {
        let name = component_name(d.name, d.direction);
        match d.direction {
            Direction::Input => docs_in.insert(name.clone(), (d.body)(&mut gen_in)),
            Direction::Output => docs_out.insert(name.clone(), (d.body)(&mut gen_out)),
        };
        names.insert(d.name, name);
    }
    let defs_in = gen_in.take_definitions(true);
    let mut defs_out = gen_out.take_definitions(true);

    // Definitions to rename on the output side: those that differ, then those referring to one.
    let mut renamed: BTreeSet<String> = defs_out
        .iter()
        .filter(|(k, v)| defs_in.get(*k).is_some_and(|i| i != *v))
        .map(|(k, _)| k.clone())
        .collect();
    loop {
        let more: Vec<String> = defs_out
            .iter()
            .filter(|(k, _)| defs_in.contains_key(*k) && !renamed.contains(*k))
            .filter(|(_, v)| {
                let mut r = BTreeSet::new();
                refs(v, &mut r);
                r.iter().any(|x| renamed.contains(x))
            })
            .map(|(k, _)| k.clone())
            .collect();
        if more.is_empty() {
            break;
        }
        renamed.extend(more);
    }
    let mut all = Map::new();
    all.extend(defs_in);
    for (k, mut v) in std::mem::take(&mut defs_out) {
        rename_refs(&mut v, &renamed);
        let key = if renamed.contains(&k) {
            format!("{k}Output")
        } else {
            k
        };
        all.insert(key, v);
    }
    all.extend(docs_in);
    for (k, mut v) in docs_out {
        rename_refs(&mut v, &renamed);
        all.insert(k, v);
    }
    all.insert(
        "Health".into(),
        json!({
            "type": "object",
            "required": ["format", "status", "version"],
            "properties": {
                "format": {"const": fupin_ops::FORMAT},
                "status": {"const": "ok"},
                "version": {"type": "string", "description": "The service's version."}
            }
        }),
    );
    let entry = json!({
        "type": "object",
        "required": ["name", "title", "year"],
        "properties": {
            "name": {"type": "string", "description": "The name requests use (`\"policy\": NAME`); empty for the embedded policy."},
            "title": {"type": "string", "description": "The policy's own name (meta.name)."},
            "year": {"type": "integer", "format": "int32"}
        }
    });
    all.insert(
        "PolicyList".into(),
        json!({
            "type": "object",
            "required": ["format", "embedded", "policies"],
            "properties": {
                "format": {"const": fupin_ops::FORMAT},
                "embedded": entry,
                "policies": {"type": "array", "items": entry}
            }
        }),
    );
    (all, names)
}

fn json_content(schema: Value) -> Value {
    json!({"application/json": {"schema": schema}})
}

/// The OpenAPI 3.1 document.
#[must_use]
pub fn document() -> Value {
    let (components, names) = components();
    // Every name used below is a document of `documents()`; the test resolves every reference.
    let component = |doc: &str| {
        let name = names.get(doc).map_or(doc, String::as_str);
        json!({"$ref": format!("{REF}{name}")})
    };
    let problem = json!({
        "description": "A problem (RFC 9457): every field error with its path, code and value.",
        "content": {"application/problem+json": {"schema": component("problem")}}
    });
    let arrow_schema = json!({"type": "string", "format": "binary"});
    let mut paths: BTreeMap<&str, Map<String, Value>> = BTreeMap::new();
    for o in operations() {
        let mut operation = Map::new();
        operation.insert("operationId".into(), o.id.into());
        operation.insert("summary".into(), o.summary.into());
        operation.insert("tags".into(), json!([o.tag]));
        match o.body {
            Body::None => {}
            Body::Json(doc) => {
                operation.insert(
                    "requestBody".into(),
                    json!({"required": true, "content": json_content(component(doc))}),
                );
            }
            Body::Arrow => {
                operation.insert(
                    "requestBody".into(),
                    json!({"required": true, "content": {
                        "application/vnd.apache.arrow.stream": {"schema": arrow_schema}
                    }}),
                );
            }
        }
        if o.path.contains('{') {
            operation.insert(
                "parameters".into(),
                json!([{"name": "name", "in": "path", "required": true, "schema": {"type": "string"}}]),
            );
        }
        if o.id == "score_table" {
            operation.insert(
                "parameters".into(),
                json!([
                    {"name": "card", "in": "query", "required": false, "schema": {"type": "string", "default": "a"},
                     "description": "The card's id in the policy."},
                    {"name": "policy", "in": "query", "required": false, "schema": {"type": "string"},
                     "description": "A policy of the service's --policy-dir; default: the embedded 2020 plan."}
                ]),
            );
        }
        let ok = match o.answer {
            Answer::Json(doc) => {
                json!({"description": "The document the command prints.", "content": json_content(component(doc))})
            }
            Answer::JsonOneOf(docs) => {
                let one_of: Vec<Value> = docs.iter().map(|d| component(d)).collect();
                json!({"description": "The document the command prints.", "content": json_content(json!({"oneOf": one_of}))})
            }
            Answer::Component(name) => {
                json!({"description": "OK", "content": json_content(json!({"$ref": format!("{REF}{name}")}))})
            }
            Answer::Arrow => {
                json!({"description": "The scores, one row per unit (Arrow IPC stream).", "content": {
                    "application/vnd.apache.arrow.stream": {"schema": arrow_schema}
                }})
            }
            Answer::Html => {
                json!({"description": "HTML", "content": {"text/html": {"schema": {"type": "string"}}}})
            }
            Answer::AnyJson => {
                json!({"description": "JSON", "content": {"application/json": {"schema": {"type": "object"}}}})
            }
        };
        let mut responses = Map::new();
        responses.insert("200".into(), ok);
        responses.insert("default".into(), problem.clone());
        operation.insert("responses".into(), Value::Object(responses));
        paths
            .entry(o.path)
            .or_default()
            .insert(o.method.into(), Value::Object(operation));
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "fupin — Chaoyang 2020 poverty-alleviation fund rules (朝财农〔2020〕67号)",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Every area of the plan over HTTP: JSON in, the `fupin` command's JSON out, byte for byte. \
                Every JSON document starts with `\"format\": \"fupin/1\"`; within fupin/1 fields are only added. \
                Decimals are strings. `policy` in a request: absent (the embedded 2020 plan), a name of the \
                service's --policy-dir, or a policy object inline. Errors are RFC 9457 problem details.",
            "license": {"name": "MIT OR Apache-2.0", "identifier": "MIT OR Apache-2.0"}
        },
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "paths": paths,
        "components": {"schemas": components}
    })
}

/// The document as served and as written to `schemas/openapi.json`.
#[must_use]
pub fn text() -> String {
    let mut t = serde_json::to_string_pretty(&document()).unwrap_or_default();
    t.push('\n');
    t
}
