//! What an operation is: a typed request, one function to a typed result or a [`Problem`], and
//! what every face needs to show the result ([`Outcome`]).
//!
//! A face (the command line, the service, Python) builds the request from its medium, calls
//! [`Operation::run`] with the [`Env`] it was started with, and shows the result: JSON through
//! `fupin_ops::to_json` (the same bytes on every face), text, Markdown or a workbook through
//! `fupin_ops::print`, and an exit code or status from [`Outcome::verdict`].

use std::collections::BTreeMap;
use std::fmt;

use fupin::data::PlanData;
use fupin::{Label, Lang, Policy};
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};

use crate::problem::{Problem, field};

/// An HTTP method of a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`: the request has no body (its members come from the path or the query).
    Get,
    /// `POST`: the request is the JSON body (or a form, where the route takes one).
    Post,
}

impl Method {
    /// `GET` or `POST`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
        }
    }
}

/// Where the service serves an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Route {
    /// The method.
    pub method: Method,
    /// The path (`/v1/report`).
    pub path: &'static str,
}

impl Route {
    /// `POST path`.
    #[must_use]
    pub const fn post(path: &'static str) -> Self {
        Self {
            method: Method::Post,
            path,
        }
    }

    /// `GET path`.
    #[must_use]
    pub const fn get(path: &'static str) -> Self {
        Self {
            method: Method::Get,
            path,
        }
    }
}

/// One operation of fupin: a typed request, one function, a typed result.
///
/// Every operation is listed once in `fupin_ops::catalog`, which the service's router and OpenAPI
/// document, the command line's test and Python read.
pub trait Operation {
    /// The operation's id: `report`, `spending.bulletin`, `approvals.verify`.
    const ID: &'static str;
    /// The service's route for it (existing paths are kept).
    const ROUTE: Route;
    /// What it does, in Chinese and English (the OpenAPI summary, the help's first line).
    const SUMMARY: (&'static str, &'static str);
    /// The command line's subcommand: `report`, `spending bulletin`, `approvals verify`.
    const COMMAND: &'static str;
    /// The request: unknown members refused, the policy as a [`PolicyArg`], core documents as
    /// the core's types (each read by the core's own reader, so a request member, a file and a
    /// Python object give one outcome).
    type Request: DeserializeOwned + JsonSchema + Send;
    /// The result: a document of the contract (serialised with `fupin_ops::to_json`) that knows
    /// its verdict and how to be shown.
    type Output: Outcome + Serialize + JsonSchema + Send;

    /// Run the operation: check its preconditions, call the rules.
    ///
    /// # Errors
    /// A [`Problem`] naming the request member (and within it the field and the value) that
    /// is invalid, or the precondition that does not hold.
    fn run(env: &Env, request: Self::Request) -> Result<Self::Output, Problem>;
}

/// What a result says about the rules it judged: the command's exit code, a page's colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Verdict {
    /// Every rule judged holds, or there was nothing to judge.
    Passed,
    /// A rule of the plan failed (a check, a veto, a unit behind schedule, an overdue
    /// obligation): the command exits 1 with `--strict`, 0 without; the service answers 200.
    Failed,
    /// What was checked does not hold, and that is the answer asked for (a policy case that
    /// fails, an approval log that was tampered with): the command exits 1 whatever `--strict`.
    Rejected,
    /// Part of the input was refused and the rest computed (units of a batch): the command
    /// exits 2 after writing the result.
    Refused,
}

impl Verdict {
    /// The command's exit code: 0 ok, 1 a rule failed (`Failed` with `strict`, or `Rejected`),
    /// 2 bad input.
    #[must_use]
    pub const fn exit_code(self, strict: bool) -> u8 {
        match self {
            Self::Passed => 0,
            Self::Failed if strict => 1,
            Self::Failed => 0,
            Self::Rejected => 1,
            Self::Refused => 2,
        }
    }

    /// The worse of two verdicts.
    #[must_use]
    pub const fn and(self, other: Self) -> Self {
        const fn rank(v: Verdict) -> u8 {
            match v {
                Verdict::Passed => 0,
                Verdict::Failed => 1,
                Verdict::Rejected => 2,
                Verdict::Refused => 3,
            }
        }
        if rank(other) > rank(self) {
            other
        } else {
            self
        }
    }
}

/// How a result is shown: the language, whether to add the plan's words, and the name of
/// what was read (a file), for results that name it.
#[derive(Debug, Clone, Default)]
pub struct Show {
    /// The language of labels.
    pub lang: Lang,
    /// Add, under the results, the sentence of the plan each check comes from.
    pub explain: bool,
    /// The name of the main input (a file; `None` for a request body).
    pub source: Option<String>,
    /// The main input's format, when it was a file (an example is shown in it).
    pub source_format: Option<fupin_io::Format>,
}

impl Show {
    /// Show in `lang`.
    #[must_use]
    pub fn new(lang: Lang) -> Self {
        Self {
            lang,
            ..Self::default()
        }
    }

    /// The main input's name, or `what` when there is none.
    #[must_use]
    pub fn source_or<'a>(&'a self, what: &'a str) -> &'a str {
        self.source.as_deref().unwrap_or(what)
    }
}

/// A result of an operation: its verdict, what a person must be told beside it, and how it is
/// printed.
///
/// Printing lives in one place (`fupin_ops::print`); a result provides the text and Markdown
/// (and, for a few, a workbook). The JSON is the serialised result, versioned by
/// `fupin_ops::to_json` — or, for a document that must read back as input (a policy, plan
/// data), the document itself ([`Outcome::versioned`]).
pub trait Outcome {
    /// What the result says about the rules.
    fn verdict(&self) -> Verdict {
        Verdict::Passed
    }

    /// Why the verdict is [`Verdict::Rejected`] or [`Verdict::Refused`], for a person (the
    /// command writes it on standard error after the result).
    fn complaint(&self, lang: Lang) -> Option<String> {
        let _ = lang;
        None
    }

    /// Caveats to tell a person beside the result (unsigned events, roles as claimed).
    fn warnings(&self) -> Vec<Label> {
        Vec::new()
    }

    /// Whether the JSON carries the contract's `format` key (`false` for a document that
    /// must read back as input).
    fn versioned(&self) -> bool {
        true
    }

    /// The result for a terminal.
    fn to_text(&self, show: &Show) -> String;

    /// The result as Markdown (default: the text).
    fn to_markdown(&self, show: &Show) -> String {
        self.to_text(show)
    }

    /// The result as an Excel workbook, for the results an officer sends on (`None`: the
    /// result has no workbook).
    ///
    /// # Errors
    /// A workbook that cannot be assembled (a bug).
    fn to_xlsx(&self, show: &Show) -> Option<Result<Vec<u8>, fupin_xlsx::Error>> {
        let _ = show;
        None
    }
}

/// Where a request's policy comes from: the `policy` member (and `old`, `new`, `with`).
///
/// On the wire: absent or `null` → [`PolicyArg::Embedded`]; a string → [`PolicyArg::Named`];
/// an object → [`PolicyArg::Inline`], read by the core's reader ([`Policy::from_json`]: an
/// overlay with `extends` works, every invalid field is a problem under the member).
#[derive(Debug, Clone, Default)]
pub enum PolicyArg {
    /// None given: the embedded 2020 Chaoyang plan.
    #[default]
    Embedded,
    /// A policy by name: an embedded one (`chaoyang-2020`), or one of the service's
    /// `--policy-dir`.
    Named(String),
    /// A policy given whole (read from a file by the command line, from an object by Python
    /// or from a request member).
    Inline(Box<Policy>),
}

impl From<Policy> for PolicyArg {
    fn from(p: Policy) -> Self {
        Self::Inline(Box::new(p))
    }
}

impl PolicyArg {
    /// Whether a policy was given (not the embedded default).
    #[must_use]
    pub const fn is_given(&self) -> bool {
        !matches!(self, Self::Embedded)
    }
}

/// As on the wire: `null`, the name, or the policy.
impl Serialize for PolicyArg {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Embedded => s.serialize_none(),
            Self::Named(name) => s.serialize_str(name),
            Self::Inline(p) => p.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for PolicyArg {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match crate::input::member::capture(d)? {
            serde_json::Value::Null => Ok(Self::Embedded),
            serde_json::Value::String(name) => Ok(Self::Named(name)),
            value @ serde_json::Value::Object(_) => {
                crate::input::member::read::<D::Error, _>(&value, |text| {
                    <Policy as crate::input::member::FromJson>::from_json(text)
                })
                .map(Self::from)
            }
            other => Err(serde::de::Error::custom(format!(
                "invalid type: {}, expected a policy's name or a policy object",
                crate::input::member::kind(&other)
            ))),
        }
    }
}

/// The name of the embedded policy, as a request may give it.
pub const EMBEDDED_POLICY: &str = "chaoyang-2020";

/// What an operation runs with: the embedded plan and figures, and the policies a face was
/// started with (the service's `--policy-dir`), by name.
///
/// Reading the embedded plan takes a millisecond; a face makes one `Env` and keeps it.
#[derive(Debug, Clone)]
pub struct Env {
    embedded: Policy,
    data: PlanData,
    named: BTreeMap<String, Policy>,
}

impl Default for Env {
    fn default() -> Self {
        Self::new()
    }
}

impl Env {
    /// The embedded 2020 plan and figures, no named policy.
    #[must_use]
    pub fn new() -> Self {
        Self::with_policies(BTreeMap::new())
    }

    /// The embedded plan and figures, and `named` policies.
    #[must_use]
    pub fn with_policies(named: BTreeMap<String, Policy>) -> Self {
        Self {
            embedded: Policy::chaoyang_2020(),
            data: PlanData::chaoyang_2020(),
            named,
        }
    }

    /// The embedded 2020 Chaoyang policy.
    #[must_use]
    pub const fn embedded_policy(&self) -> &Policy {
        &self.embedded
    }

    /// The embedded 2020 figures.
    #[must_use]
    pub const fn embedded_data(&self) -> &PlanData {
        &self.data
    }

    /// The named policies.
    #[must_use]
    pub const fn named(&self) -> &BTreeMap<String, Policy> {
        &self.named
    }

    /// The policy a request refers to.
    ///
    /// # Errors
    /// A name that is neither embedded nor named, as a problem at `member` (code
    /// `unknown_name`).
    pub fn policy<'a>(&'a self, arg: &'a PolicyArg, member: &str) -> Result<&'a Policy, Problem> {
        match arg {
            PolicyArg::Embedded => Ok(&self.embedded),
            PolicyArg::Inline(p) => Ok(p),
            PolicyArg::Named(name) => {
                if let Some(p) = self.named.get(name) {
                    return Ok(p);
                }
                if name == EMBEDDED_POLICY {
                    return Ok(&self.embedded);
                }
                let known: Vec<&str> = self.named.keys().map(String::as_str).collect();
                let message = if known.is_empty() {
                    format!(
                        "no policy named `{name}`: the service was started without --policy-dir"
                    )
                } else {
                    format!("no policy named `{name}`; known: {}", known.join(", "))
                };
                Err(Problem::invalid(
                    message.clone(),
                    vec![field("unknown_name", member, Some(name.clone()), message)],
                ))
            }
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Passed => "passed",
            Self::Failed => "failed",
            Self::Rejected => "rejected",
            Self::Refused => "refused",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_follow_the_verdict_and_strict() {
        assert_eq!(Verdict::Passed.exit_code(true), 0);
        assert_eq!(Verdict::Failed.exit_code(false), 0);
        assert_eq!(Verdict::Failed.exit_code(true), 1);
        assert_eq!(Verdict::Rejected.exit_code(false), 1);
        assert_eq!(Verdict::Refused.exit_code(false), 2);
        assert_eq!(Verdict::Failed.and(Verdict::Refused), Verdict::Refused);
        assert_eq!(Verdict::Rejected.and(Verdict::Passed), Verdict::Rejected);
    }

    #[test]
    fn a_named_policy_is_found_or_named_in_the_problem() {
        let env = Env::new();
        let arg = PolicyArg::Named("chaoyang-2020".into());
        assert_eq!(env.policy(&arg, "policy").unwrap().meta.year, 2020);
        let arg = PolicyArg::Named("x".into());
        let p = env.policy(&arg, "policy").unwrap_err();
        assert_eq!(
            (p.errors[0].path.as_str(), p.errors[0].code.as_str()),
            ("policy", "unknown_name")
        );
        assert!(p.detail.contains("without --policy-dir"), "{}", p.detail);
    }
}
