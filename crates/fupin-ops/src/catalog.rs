//! The catalog: every operation once, with its id, route, summary and command.
//!
//! The service's router and its OpenAPI document, the command line's test that every
//! operation has a door, and Python read this one table, so they cannot drift.
//!
//! `fupin_ops::for_each_operation!` hands every operation's type to a macro
//! (for code generic over operations, e.g. a router); [`catalog`] lists them as values; and
//! [`run_json`] runs one by id on a JSON body and writes the contract's JSON.

use schemars::SchemaGenerator;
use serde_json::Value;

use crate::operation::{Env, Operation, Outcome, Route, Verdict};
use crate::problem::{Problem, ProblemKind};

/// Call `$m! { Op1, Op2, … }` with the path of every operation's type, in the catalog's order.
///
/// ```
/// macro_rules! ids { ($($op:path),*) => { [$(<$op as fupin_ops::Operation>::ID),*] } }
/// let ids = fupin_ops::for_each_operation!(ids);
/// assert_eq!(ids[0], "report");
/// assert!(ids.contains(&"approvals.targets"));
/// ```
#[macro_export]
macro_rules! for_each_operation {
    ($m:ident) => {
        $m! {
            $crate::ops::report::Report,
            $crate::ops::assessment::Score,
            $crate::ops::tasks::TasksCheck,
            $crate::ops::assessment::Assess,
            $crate::ops::years::YearEnd,
            $crate::ops::years::Compare,
            $crate::ops::cases::Test,
            $crate::ops::spending::SpendingBulletin,
            $crate::ops::spending::SpendingAllocation,
            $crate::ops::calendar::Calendar,
            $crate::ops::policy::PolicyShow,
            $crate::ops::policy::PolicyValidate,
            $crate::ops::policy::PolicyDiff,
            $crate::ops::policy::DataShow,
            $crate::ops::policy::DataCheck,
            $crate::ops::approvals::ApprovalsVerify,
            $crate::ops::approvals::ApprovalsReplay,
            $crate::ops::approvals::ApprovalsHead,
            $crate::ops::approvals::ApprovalsQuery,
            $crate::ops::approvals::ApprovalsTargets,
            $crate::ops::projects::Inspection
        }
    };
}

/// One operation as a value: what the router, OpenAPI and the faces' tests need.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    /// [`Operation::ID`].
    pub id: &'static str,
    /// [`Operation::ROUTE`].
    pub route: Route,
    /// [`Operation::SUMMARY`] (zh, en).
    pub summary: (&'static str, &'static str),
    /// [`Operation::COMMAND`].
    pub command: &'static str,
    /// The request's JSON Schema (as serde reads it), its definitions going to the generator.
    pub request_schema: fn(&mut SchemaGenerator) -> Value,
    /// The answer's JSON Schema (as serde writes it, with `format` when versioned).
    pub output_schema: fn(&mut SchemaGenerator) -> Value,
}

fn schema_of<T: schemars::JsonSchema>(g: &mut SchemaGenerator) -> Value {
    g.subschema_for::<T>().to_value()
}

/// The catalog entry of an operation.
#[must_use]
pub fn entry<O: Operation>() -> Entry {
    Entry {
        id: O::ID,
        route: O::ROUTE,
        summary: O::SUMMARY,
        command: O::COMMAND,
        request_schema: schema_of::<O::Request>,
        output_schema: schema_of::<O::Output>,
    }
}

/// Every operation, in the catalog's order.
#[must_use]
pub fn catalog() -> Vec<Entry> {
    macro_rules! entries {
        ($($op:path),*) => { vec![$(entry::<$op>()),*] };
    }
    for_each_operation!(entries)
}

/// The catalog entry with this id.
#[must_use]
pub fn find(id: &str) -> Option<Entry> {
    catalog().into_iter().find(|e| e.id == id)
}

/// Read a JSON request body and run one operation: the typed result.
///
/// # Errors
/// The body's problem (`fupin_ops::request_json`) or the operation's.
pub fn run_body<O: Operation>(env: &Env, body: &[u8]) -> Result<O::Output, Problem> {
    O::run(env, crate::input::request_json(body)?)
}

/// What [`run_json`] answers: the contract's JSON text and the result's verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonAnswer {
    /// The document, as every face writes it.
    pub json: String,
    /// The result's verdict.
    pub verdict: Verdict,
}

/// Run the operation `id` on a JSON request body and write its answer as the contract's JSON
/// (unversioned for a document that reads back as input): the same bytes every face writes.
///
/// # Errors
/// An unknown id ([`ProblemKind::NotFound`]), the body's problem or the operation's.
pub fn run_json(env: &Env, id: &str, body: &[u8]) -> Result<JsonAnswer, Problem> {
    fn answer<O: Operation>(env: &Env, body: &[u8]) -> Result<JsonAnswer, Problem> {
        let out = run_body::<O>(env, body)?;
        let mut bytes = Vec::new();
        crate::print::print(
            &out,
            crate::print::OutputFormat::Json,
            &crate::operation::Show::default(),
            &mut bytes,
        )
        .map_err(|e| Problem::internal(&e.to_string()))?;
        Ok(JsonAnswer {
            json: String::from_utf8(bytes).map_err(|e| Problem::internal(&e.to_string()))?,
            verdict: out.verdict(),
        })
    }
    macro_rules! dispatch {
        ($($op:path),*) => {
            $(if id == <$op as Operation>::ID {
                return answer::<$op>(env, body);
            })*
        };
    }
    for_each_operation!(dispatch);
    Err(Problem::new(
        ProblemKind::NotFound,
        format!("no operation `{id}`"),
    ))
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn ids_routes_and_commands_are_unique_and_the_existing_paths_are_kept() {
        let all = catalog();
        assert_eq!(all.len(), 21);
        let ids: HashSet<_> = all.iter().map(|e| e.id).collect();
        let routes: HashSet<_> = all.iter().map(|e| (e.route.method, e.route.path)).collect();
        let commands: HashSet<_> = all.iter().map(|e| e.command).collect();
        assert_eq!((ids.len(), routes.len(), commands.len()), (21, 21, 21));
        for path in [
            "/v1/report",
            "/v1/score",
            "/v1/tasks/check",
            "/v1/spending/bulletin",
            "/v1/spending/allocation",
            "/v1/calendar",
            "/v1/policy",
            "/v1/policy/validate",
            "/v1/policy/compare",
            "/v1/approvals/verify",
            "/v1/approvals/replay",
        ] {
            assert!(all.iter().any(|e| e.route.path == path), "{path}");
        }
        for e in &all {
            assert!(
                !e.summary.0.is_empty() && !e.summary.1.is_empty(),
                "{}",
                e.id
            );
            assert!(e.route.path.starts_with("/v1/"), "{}", e.id);
        }
    }

    #[test]
    fn every_operation_has_schemas_without_a_component_that_only_refers_to_itself() {
        let mut g = crate::schema::generator_at(crate::schema::Direction::Input, "/$defs");
        for e in catalog() {
            let s = (e.request_schema)(&mut g);
            assert!(s.is_object(), "{}", e.id);
        }
        let defs = g.take_definitions(true);
        for (name, schema) in &defs {
            let own = format!("#/$defs/{name}");
            let text = schema.to_string();
            if let Some(any) = schema.get("anyOf").and_then(Value::as_array) {
                assert!(
                    !any.iter()
                        .all(|s| s.get("$ref").and_then(Value::as_str) == Some(&own)),
                    "{name} only refers to itself: {text}"
                );
            }
        }
    }

    #[test]
    fn run_json_answers_what_to_json_writes_and_refuses_an_unknown_id() {
        let env = Env::new();
        let a = run_json(&env, "report", b"{}").unwrap();
        let r = crate::ops::report::Report::run(&env, crate::ops::report::ReportRequest::default())
            .unwrap();
        assert_eq!(a.json, crate::contract::to_json(&r));
        assert_eq!(a.verdict, Verdict::Failed);
        let p = run_json(&env, "nope", b"{}").unwrap_err();
        assert_eq!(p.status, 404);
    }
}
