//! # fupin — poverty-alleviation fund rules as exact, pure functions
//!
//! The rules of the Chaoyang City Finance Bureau's 2020 plan for supporting poverty alleviation
//! (朝财农〔2020〕67号) and its task table and assessment method, as functions that take data and
//! return traceable results. Every amount is an exact decimal ([`money`]), every number of the
//! plan is a parameter ([`policy`]), and every result cites its clause ([`check`]).
//!
//! | module | clauses |
//! | --- | --- |
//! | [`money`] | exact amounts in 元/万元/亿元, ratios, percentage points |
//! | [`policy`] | every parameter of the plan, from TOML or JSON |
//! | [`compare`] | what-if: two policies, a policy and its overrides, or two years — which checks flip, how far values move, which scores and ranks change |
//! | [`cases`] | policy tests a policy officer writes: case files (input, expected outcome per clause) run against a policy |
//! | [`overlay`] | partial policies (`extends = "chaoyang-2020"`) and one-value overrides, for what-if |
//! | [`data`] | one year's fund figures (M1, M1c, M2, M3) |
//! | [`funds`] | G1, M1, M1c, task 8, G2/M2 |
//! | [`integration`] | G3, M3 |
//! | [`report`] | all of the above for one year |
//! | [`projects`] | M6 project libraries, special-fund eligibility, mid-year inspection; M8 |
//! | [`approval`] | M6, task 8 approval chain 入库 → … → 批准实施; M8 performance targets |
//! | [`audit`] | M6, G5 hash-chained audit trail of the approval chain, verify and replay |
//! | [`spending`] | G4, M4: monthly ledger, schedule, bulletin, allocation link |
//! | [`calendar`] | M5, task 8, O1, M4, M1c: dated obligations and their status |
//! | [`assessment`] | scorecards A and B, bonus caps, one-vote veto, ranking (annex 2 assessment method) |
//! | [`tasks`] | task table T2–T10: targets, completion, annual points; T3/T10 rule checks; M9 contracted townships and poor villages |
//! | [`years`] | several years: last year's figures from the prior year's data; M1c's year-end check feeding next year's allocation |
//! | [`load`] | the strict readers of JSON and TOML text every input goes through: a BOM skipped, a key given twice or a second document refused, errors naming the field path |
//! | [`goals`] | P, M0, T3, T6: the preamble's people, the edge villages' water, every poor household's house, every graduate |
//!
//! # Layers
//! Modules import downwards only, and no two modules import each other, directly or through
//! others (the repository's `scripts/layers` checks every crate):
//!
//! 1. vocabulary — the shape of a problem ([`FieldError`], [`ErrorCode`], [`Problems`]) and the
//!    name rule ([`check_name`]); [`money`]; range validators; [`check`]; [`render`]; the
//!    strict readers of text;
//! 2. the areas — [`data`], [`funds`], [`integration`], [`projects`], [`approval`], [`audit`],
//!    [`spending`], [`calendar`], [`assessment`], [`tasks`] (with [`goals`]): each owns its
//!    section of the policy (`funds::FundsPolicy`, …) and takes that section, never the whole
//!    [`Policy`];
//! 3. [`policy`] (with [`overlay`]): the sections gathered;
//! 4. [`report`], [`years`], [`compare`], [`cases`]: what combines areas under a whole policy;
//! 5. [`Error`], the umbrella of every area's error, which nothing below imports.
//!
//! Nothing here does I/O, reads a clock or keeps global state; bad input is a typed error that
//! names the field and the value, never a panic.
//!
//! # Example
//! ```
//! use fupin::{data::PlanData, money::Lang, policy::Policy, report::report};
//!
//! let r = report(&Policy::chaoyang_2020(), &PlanData::chaoyang_2020())?;
//! let m1 = r.checks.iter().find(|c| c.id == "M1.city_growth").unwrap();
//! assert!(m1.passed);
//! assert_eq!(m1.actual.display(Lang::Zh), "247.77%"); // 25,500 vs 7,332.5 万元
//! # Ok::<(), fupin::Error>(())
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod approval;
pub mod assessment;
pub mod audit;
pub mod calendar;
pub mod cases;
pub mod check;
pub mod compare;
pub mod data;
mod embedded;
mod error;
pub mod funds;
pub mod integration;
pub mod load;
pub mod money;
pub mod policy;
pub mod projects;
#[cfg(test)]
mod readers_tests;
pub mod render;
pub mod report;
#[cfg(feature = "schema")]
mod schema;
pub mod spending;
pub mod tasks;
mod validate;
mod vocab;
pub mod years;

pub use check::{Check, ClauseId, Label, Value};
pub use error::Error;
pub use money::{Amount, Lang, PercentagePoints, Ratio, Unit};
pub use policy::Policy;
pub use policy::overlay;
pub use tasks::goals;
#[doc(hidden)]
pub use vocab::hostile;
pub use vocab::{ErrorCode, FieldError, FieldErrors, Problems, check_name, check_text, name_key};

/// The README's Rust examples, run as doc tests so the front page never lies.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct ReadmeDoctests;

/// The crate's own README (its page on crates.io), run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct CrateReadmeDoctests;

/// The manual's page on embedding the rules in Rust (`docs/rust.md`), run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/rust.md")]
pub struct DocsRust;
