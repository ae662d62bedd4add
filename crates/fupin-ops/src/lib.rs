//! # fupin-ops — every operation of fupin, once
//!
//! Each thing fupin does — the year's report, scoring, the task checks, the assessment, the
//! year-end link, what-if comparisons, policy case files, the spending bulletin and the
//! allocation, the calendar, showing and checking policies and plan data, the approval log's
//! verification, replay, head, queries and M8 target check, the mid-year inspection — is an
//! [`Operation`] here: a typed request, one function `run(&Env, Request) -> Result<Output,
//! Problem>` that checks its preconditions (data of the policy's year, a head that is a hash,
//! …) and calls the rules of [`fupin`], and a result that knows its [`Verdict`] and how it is
//! printed ([`Outcome`], [`print()`]).
//!
//! The command line, the service (`fupin serve`) and the Python binding are doors onto these
//! operations: they turn their medium into the request and the result into their medium, and
//! nothing else. So the same input gives the same answer — the same JSON bytes
//! ([`to_json`]) — on every face.
//!
//! | module | what |
//! | --- | --- |
//! | [`operation`] | [`Operation`], [`Outcome`], [`Verdict`], [`Env`], [`PolicyArg`], [`Show`] |
//! | [`catalog`] | every operation once: id, route, summary, command ([`for_each_operation!`], [`catalog::catalog`], [`catalog::run_json`]) |
//! | [`ops`] | the operations, one file per area |
//! | [`input`] | the one reader: given bytes (a file, an upload) and request bodies to typed values |
//! | [`problem`] | errors as data: RFC 9457 problem details with every field error |
//! | [`contract`] | the versioned JSON contract `fupin/1` ([`FORMAT`], [`to_json`]) |
//! | [`print`](mod@print) | the one printer: JSON, text, Markdown, workbook |
//! | [`schema`] | the JSON Schemas of every document, from the types |
//!
//! # Example
//! ```
//! use fupin_ops::{Env, Operation, Outcome, Verdict};
//! use fupin_ops::ops::report::{Report, ReportRequest};
//!
//! let env = Env::new();
//! // From a JSON body, as the service reads it…
//! let request: ReportRequest = fupin_ops::request_json(br#"{"policy": "chaoyang-2020"}"#)?;
//! let report = Report::run(&env, request)?;
//! assert_eq!(report.checks.iter().filter(|c| c.passed).count(), 18);
//! assert_eq!(report.verdict(), Verdict::Failed); // 3 of 21 checks fail: exit 1 with --strict
//! // …or built in code, as the command line and Python do: the same document.
//! let again = Report::run(&env, ReportRequest::default())?;
//! assert_eq!(fupin_ops::to_json(&report), fupin_ops::to_json(&again));
//! # Ok::<(), fupin_ops::Problem>(())
//! ```
//!
//! This crate is pure: no file, clock or global state. The bytes of a file are the face's
//! ([`input::Given`]).

#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod catalog;
pub mod contract;
pub mod input;
#[doc(hidden)]
pub mod legacy;
pub mod operation;
pub mod ops;
pub mod output;
pub mod print;
pub mod problem;
pub mod schema;

pub use contract::{FORMAT, Versioned, to_json, write_json};
pub use input::{request_from, request_json};
pub use operation::{Env, Method, Operation, Outcome, PolicyArg, Route, Show, Verdict};
pub use output::{
    CalendarDue, CalendarStatus, PolicyComparison, PolicyValidation, ReplayError, ReplayOutput,
    ScoreOutput, UnitError, VerifyOutput,
};
pub use print::{OutputFormat, PrintError, print};
pub use problem::{Problem, ProblemField, ProblemKind};
