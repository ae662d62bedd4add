//! The bodies of fupin's fuzz targets, one per parser (issue #10, "Prove it stays fixed").
//!
//! Each body takes the fuzzer's bytes and must never panic, hang or allocate without bound;
//! where a parser has a writer, what parses must write and read back the same (round trip),
//! and where two readers read one format (the ledger's rows and its streamed totals), they
//! must agree (differential). The cargo-fuzz binaries in `fuzz_targets/` call these bodies;
//! `crates/fupin/tests/it/fuzz_replay.rs` includes this file (`#[path]`) and replays the seeds,
//! the bad-input corpus and `fuzz/regressions/` through every body on stable, in `cargo test`.
//!
//! Only crates the core already depends on are used here, so that the replay test builds
//! with the core's own dependencies.
#![allow(clippy::panic)] // a target reports a broken property by panicking: that is the point

use std::sync::OnceLock;

use fupin::assessment::{self, ScoreInput};
use fupin::audit;
use fupin::calendar::{self, DoneList};
use fupin::data::PlanData;
use fupin::money::{Amount, Ratio, parse_number};
use fupin::spending::{Ledger, LedgerTotals, Schedule, YearMonth, bulletin};
use fupin::tasks::{self, TasksInput};
use fupin::{Lang, Policy};

/// A target's body: the fuzzer's bytes in, a panic when a property breaks.
pub type Body = fn(&[u8]);

/// Every target: its name (the cargo-fuzz binary and its corpus directory) and its body.
pub const TARGETS: &[(&str, Body)] = &[
    ("amount", amount),
    ("ratio", ratio),
    ("policy_toml", policy_toml),
    ("policy_json", policy_json),
    ("plan_data", plan_data),
    ("score_input", score_input),
    ("tasks_input", tasks_input),
    ("ledger_csv", ledger_csv),
    ("ledger_json", ledger_json),
    ("schedule", schedule),
    ("calendar_done", calendar_done),
    ("approvals", approvals),
];

/// The embedded 2020 plan, built once.
fn policy() -> &'static Policy {
    static POLICY: OnceLock<Policy> = OnceLock::new();
    POLICY.get_or_init(Policy::chaoyang_2020)
}

/// The embedded 2020 data's units, the ledgers' units.
fn units() -> &'static [String] {
    static UNITS: OnceLock<Vec<String>> = OnceLock::new();
    UNITS.get_or_init(|| fupin::spending::ledger::unit_names(&PlanData::chaoyang_2020()))
}

/// The sample 2020 registry of officials, for replaying signed logs.
fn registry() -> &'static fupin::approval::Registry {
    static REGISTRY: OnceLock<fupin::approval::Registry> = OnceLock::new();
    REGISTRY.get_or_init(audit::sample_2020_registry)
}

/// The year of the embedded plan, the ledgers' year.
const YEAR: i32 = 2020;

fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

/// What loads writes as JSON that `load` reads back the same.
fn json_round_trip<T, E>(what: &str, value: &T, load: impl Fn(&str) -> Result<T, E>)
where
    T: serde::Serialize + PartialEq,
{
    let json = serde_json::to_string(value).unwrap_or_default();
    assert!(
        load(&json).ok().as_ref() == Some(value),
        "{what}: the JSON written does not read back the same: {json}"
    );
}

fn months() -> impl Iterator<Item = YearMonth> {
    (1..=12).filter_map(|m| YearMonth::new(YEAR, m))
}

/// Amount text (`"2,500万元"`, `"7.5 yi"`, `"1000"`): what parses shows exactly and reads back
/// the same, through its exact text and through JSON; display never panics.
pub fn amount(data: &[u8]) {
    let Some(s) = text(data) else { return };
    let Ok(a) = s.parse::<Amount>() else { return };
    let exact = a.exact().to_string();
    assert_eq!(
        exact.parse::<Amount>().ok(),
        Some(a),
        "exact text {exact:?} of {s:?}"
    );
    let json = serde_json::to_string(&a).unwrap_or_default();
    assert_eq!(
        serde_json::from_str::<Amount>(&json).ok(),
        Some(a),
        "JSON {json} of {s:?}"
    );
    for unit in [fupin::Unit::Yuan, fupin::Unit::Wan, fupin::Unit::Yi] {
        let _ = a.display_in(unit, Lang::En).to_string();
    }
}

/// Ratio and plain number text (`"22.5%"`, `"0.2"`, `"1,000"`): what parses reads back the
/// same from its exact text and from JSON.
pub fn ratio(data: &[u8]) {
    let Some(s) = text(data) else { return };
    if let Ok(n) = parse_number(s) {
        assert_eq!(parse_number(&n.to_string()).ok(), Some(n), "number {s:?}");
    }
    let Ok(r) = s.parse::<Ratio>() else { return };
    let _ = r.to_string();
    if r.as_percent().is_ok() {
        let exact = r.exact();
        assert_eq!(
            exact.parse::<Ratio>().ok(),
            Some(r),
            "exact text {exact:?} of {s:?}"
        );
    }
    let json = serde_json::to_string(&r).unwrap_or_default();
    assert_eq!(
        serde_json::from_str::<Ratio>(&json).ok(),
        Some(r),
        "JSON {json} of {s:?}"
    );
}

/// What a policy that loads must survive: a JSON and TOML round trip, and the 2020 data's
/// report under it (an error is fine, a panic is not).
fn check_policy(p: &Policy) {
    json_round_trip("policy", p, Policy::from_json);
    match toml::to_string(p) {
        Ok(t) => assert_eq!(
            Policy::from_toml(&t).as_ref().ok(),
            Some(p),
            "policy TOML round trip:\n{t}"
        ),
        Err(e) => panic!("a loaded policy does not write as TOML: {e}"),
    }
    if let Ok(r) = fupin::report::report(p, &PlanData::chaoyang_2020()) {
        let _ = r.to_text(Lang::Zh);
    }
}

/// A policy file in TOML.
pub fn policy_toml(data: &[u8]) {
    let Some(s) = text(data) else { return };
    if let Ok(p) = Policy::from_toml(s) {
        check_policy(&p);
    }
}

/// A policy file in JSON.
pub fn policy_json(data: &[u8]) {
    let Some(s) = text(data) else { return };
    if let Ok(p) = Policy::from_json(s) {
        check_policy(&p);
    }
}

/// One year's plan data, TOML or JSON: round trip, year check, the 2020 plan's report.
pub fn plan_data(data: &[u8]) {
    let Some(s) = text(data) else { return };
    for d in [PlanData::from_toml(s), PlanData::from_json(s)]
        .into_iter()
        .flatten()
    {
        json_round_trip("plan data", &d, PlanData::from_json);
        let _ = d.check_year(YEAR);
        if let Ok(r) = fupin::report::report(policy(), &d) {
            let _ = (
                r.to_text(Lang::En),
                r.to_markdown(Lang::Zh),
                r.to_html(Lang::Zh),
            );
        }
    }
}

/// Units' scores (a JSON object or array): round trip, then scored on every card of the
/// 2020 plan, one at a time and as a batch, and ranked.
pub fn score_input(data: &[u8]) {
    let Some(s) = text(data) else { return };
    let Ok(inputs) = ScoreInput::many_from_json(s) else {
        return;
    };
    json_round_trip("score input", &inputs, ScoreInput::many_from_json);
    for card in &policy().assessment.cards {
        let reports: Vec<_> = inputs
            .iter()
            .filter_map(|i| assessment::score(card, i).ok())
            .collect();
        for r in &reports {
            let _ = r.to_text(Lang::Zh);
        }
        if let Ok(ranking) = assessment::rank(&reports) {
            let _ = assessment::ranking_table(&reports, &ranking, Lang::En).to_markdown();
        }
        let _ = assessment::score_batch(card, &inputs);
    }
}

/// Task actuals, JSON or TOML: round trip, then checked against the 2020 task table (the
/// endless loop of issue #10 item 2 lived here).
pub fn tasks_input(data: &[u8]) {
    let Some(s) = text(data) else { return };
    for input in [TasksInput::from_json(s), TasksInput::from_toml(s)]
        .into_iter()
        .flatten()
    {
        json_round_trip("tasks input", &input, TasksInput::from_json);
        if let Ok(r) = tasks::check_tasks(policy(), &input) {
            let _ = (r.to_text(Lang::Zh), r.to_markdown(Lang::En));
        }
    }
}

/// A ledger read whole and streamed must agree: both refuse or both accept, with the same
/// monthly totals and the same bulletin every month; the whole ledger writes JSON that reads
/// back the same.
fn check_ledger(
    whole: Result<Ledger, impl std::fmt::Debug>,
    streamed: Result<LedgerTotals, impl std::fmt::Debug>,
) {
    let (ledger, totals) = match (whole, streamed) {
        (Ok(l), Ok(t)) => (l, t),
        (Err(_), Err(_)) => return,
        (l, t) => panic!("the readers disagree: whole {l:?}, streamed {t:?}"),
    };
    assert!(
        ledger.totals().ok().as_ref() == Some(&totals),
        "monthly totals differ"
    );
    let json = ledger.to_json();
    assert!(
        serde_json::from_str::<Ledger>(&json).ok().as_ref() == Some(&ledger),
        "ledger JSON round trip: {json}"
    );
    let rows = serde_json::to_string(ledger.entries()).unwrap_or_default();
    assert!(
        Ledger::from_json(&rows, YEAR, units()).ok().as_ref() == Some(&ledger),
        "ledger rows round trip: {rows}"
    );
    for month in months() {
        let a = bulletin::bulletin(&ledger, month, None);
        let b = bulletin::bulletin(&totals, month, None);
        assert_eq!(a, b, "bulletin of {month}");
        if let Ok(b) = b {
            let _ = (
                b.to_text(Lang::Zh),
                b.to_markdown(Lang::En),
                b.to_html(Lang::Zh),
            );
        }
    }
}

/// A ledger in CSV.
pub fn ledger_csv(data: &[u8]) {
    let Some(s) = text(data) else { return };
    check_ledger(
        Ledger::from_csv(s, YEAR, units()),
        LedgerTotals::from_csv(s, YEAR, units()),
    );
}

/// A ledger in JSON.
pub fn ledger_json(data: &[u8]) {
    let Some(s) = text(data) else { return };
    check_ledger(
        Ledger::from_json(s, YEAR, units()),
        LedgerTotals::from_json(s, YEAR, units()),
    );
}

/// The example ledger, for the schedule target's bulletins.
fn example_ledger() -> Option<&'static LedgerTotals> {
    static LEDGER: OnceLock<Option<LedgerTotals>> = OnceLock::new();
    LEDGER
        .get_or_init(|| {
            let csv = include_str!("../../examples/ledger_2020.csv");
            LedgerTotals::from_csv(csv, YEAR, units()).ok()
        })
        .as_ref()
}

/// A spending schedule, TOML or JSON: round trip, every month's requirement, and the example
/// ledger's bulletin under it.
pub fn schedule(data: &[u8]) {
    let Some(s) = text(data) else { return };
    for sched in [Schedule::from_toml(s), Schedule::from_json(s)]
        .into_iter()
        .flatten()
    {
        json_round_trip("schedule", &sched, Schedule::from_json);
        for month in months() {
            let _ = sched.required_for(month);
            if let Some(ledger) = example_ledger()
                && let Ok(b) = bulletin::bulletin(ledger, month, Some(&sched))
            {
                let _ = b.to_text(Lang::En);
            }
        }
    }
}

/// A calendar's done file, TOML or JSON: round trip, then the statuses of 2020's obligations
/// on a few dates.
pub fn calendar_done(data: &[u8]) {
    let Some(s) = text(data) else { return };
    for done in [DoneList::from_toml(s), DoneList::from_json(s)]
        .into_iter()
        .flatten()
    {
        json_round_trip("done list", &done, DoneList::from_json);
        let day = |m, d| chrono::NaiveDate::from_ymd_opt(YEAR, m, d);
        let (Some(from), Some(to)) = (day(1, 1), day(12, 31)) else {
            return;
        };
        for on in [day(3, 31), day(7, 1), day(12, 31)].into_iter().flatten() {
            if let Ok(st) = calendar::status_on(&policy().calendar, from, to, on, &done.done) {
                let _ = calendar::status_table(&st, Lang::Zh).to_text();
            }
        }
    }
}

/// An approval log in JSON Lines: what reads writes back the same; verifying and replaying
/// it (whole and partially) ends with a result or a typed error.
pub fn approvals(data: &[u8]) {
    let Some(s) = text(data) else { return };
    let Ok(events) = audit::from_jsonl(s) else {
        return;
    };
    let written = audit::to_jsonl(&events);
    assert_eq!(
        audit::from_jsonl(&written).ok().as_ref(),
        Some(&events),
        "log JSONL round trip"
    );
    let _ = audit::verify(&events);
    let _ = audit::replay(&events, policy(), None);
    let _ = audit::replay_partial(&events, policy(), Some(registry()));
    let opts = audit::CheckOptions::new(policy()).maybe_registry(Some(registry()));
    let _ = audit::check(&events, &opts);
}
