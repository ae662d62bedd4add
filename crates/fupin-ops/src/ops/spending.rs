//! `spending.bulletin` and `spending.allocation`: the monthly spending-progress bulletin (M4,
//! G4) and next year's allocation tied to it (M4 奖优惩劣).

use fupin::data::PlanData;
use fupin::spending::allocation::AllocationPlan;
use fupin::spending::ledger::unit_names;
use fupin::spending::{
    AllocationPolicy, Bulletin, LedgerTotals, Schedule, SpendingError, YearMonth,
};
use fupin::{Amount, Policy};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::input::wire::{LedgerMember, PolicyMember};
use crate::input::{BaseWeight, LedgerArg, member};
use crate::operation::{Env, Operation, Outcome, PolicyArg, Route, Show, Verdict};
use crate::problem::Problem;

/// `spending.bulletin`: the monthly bulletin (月统计月通报) — units ranked by cumulative
/// progress, the change on the month before, the city total and, with a schedule, the units
/// behind it and what they still have to spend.
#[derive(Debug)]
pub struct SpendingBulletin;

/// `POST /v1/spending/bulletin`: the monthly spending-progress bulletin (`fupin spending
/// bulletin`).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BulletinRequest {
    /// The ledger: an array of rows `{month, county, [project], [fund_source], allocated, spent}`,
    /// or the text of a ledger CSV file as one string.
    #[schemars(with = "LedgerMember")]
    pub ledger: LedgerArg,
    /// The month to report, `YYYY-MM`.
    pub month: YearMonth,
    /// Required progress by date; default: the policy's, else none.
    #[serde(default, deserialize_with = "member::opt_doc")]
    #[schemars(with = "Option<fupin::spending::Schedule>")]
    pub schedule: Option<Schedule>,
    /// The policy: absent for the embedded 2020 Chaoyang plan, a name of the service's
    /// `--policy-dir`, or a policy object inline.
    #[serde(default)]
    #[schemars(with = "Option<PolicyMember>")]
    pub policy: PolicyArg,
    /// Plan data whose county-level units the ledger may name; default: the embedded 2020 data.
    #[serde(default, deserialize_with = "member::opt_doc")]
    #[schemars(with = "Option<fupin::data::PlanData>")]
    pub data: Option<PlanData>,
}

/// The bulletin, and the policy it was made under (for the workbook; not serialised).
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(transparent)]
pub struct BulletinOutput {
    /// The bulletin.
    pub bulletin: Bulletin,
    /// The policy (the workbook cites it and its checks).
    #[serde(skip)]
    #[schemars(skip)]
    pub policy: Option<Box<Policy>>,
}

/// The ledger's monthly totals for the policy's year and the data's units.
fn totals(ledger: LedgerArg, year: i32, units: &[String]) -> Result<LedgerTotals, Problem> {
    let read = match ledger {
        LedgerArg::Csv(text) => LedgerTotals::from_csv(&text, year, units),
        LedgerArg::Json(text) => LedgerTotals::from_json(&text, year, units),
        LedgerArg::Workbook(bytes) => {
            return fupin_xlsx::ledger_from_bytes(&bytes, year, units)
                .map_err(|e| super::assessment::workbook_problem(&e, "ledger"))?
                .totals()
                .map_err(|e| Problem::sub(e, "ledger"));
        }
    };
    read.map_err(|e| Problem::sub(e, "ledger"))
}

/// The schedule given, or the policy's, and the member it came from.
fn schedule_of(given: Option<Schedule>, policy: &Policy) -> (Option<Schedule>, &'static str) {
    match given {
        Some(s) => (Some(s), "schedule"),
        None => (policy.spending.schedule.clone(), "policy"),
    }
}

/// A bulletin of the request's month, its errors blamed on what caused them: the month, the
/// schedule (a point outside the ledger's year) or the ledger.
fn bulletin_of(
    env: &Env,
    policy: &Policy,
    ledger: LedgerArg,
    data: Option<&PlanData>,
    month: YearMonth,
    schedule: Option<Schedule>,
) -> Result<Bulletin, Problem> {
    if let Some(d) = data {
        super::same_year(policy, d, "data")?;
    }
    let units = unit_names(data.unwrap_or(env.embedded_data()));
    let ledger = totals(ledger, policy.meta.year, &units)?;
    let (schedule, from) = schedule_of(schedule, policy);
    fupin::spending::bulletin::bulletin(&ledger, month, schedule.as_ref()).map_err(|e| {
        let blame = match &e {
            SpendingError::MonthOutsideYear { .. } => "month",
            SpendingError::Field {
                what: "schedule", ..
            } => from,
            _ => "ledger",
        };
        let mut p = Problem::from(fupin::Error::from(e));
        if blame == "policy" {
            p.detail = format!("[spending.schedule]: {}", p.detail);
        }
        p.about(blame)
    })
}

impl Operation for SpendingBulletin {
    const ID: &'static str = "spending.bulletin";
    const ROUTE: Route = Route::post("/v1/spending/bulletin");
    const SUMMARY: (&'static str, &'static str) = (
        "支出进度月统计月通报",
        "Spending progress: the monthly bulletin from a ledger",
    );
    const COMMAND: &'static str = "spending bulletin";
    type Request = BulletinRequest;
    type Output = BulletinOutput;

    /// Given plan data must be of the policy's year (the ledger's year is the policy's).
    fn run(env: &Env, request: BulletinRequest) -> Result<BulletinOutput, Problem> {
        let policy = env.policy(&request.policy, "policy")?;
        let bulletin = bulletin_of(
            env,
            policy,
            request.ledger,
            request.data.as_ref(),
            request.month,
            request.schedule,
        )?;
        Ok(BulletinOutput {
            bulletin,
            policy: Some(Box::new(policy.clone())),
        })
    }
}

impl Outcome for BulletinOutput {
    fn verdict(&self) -> Verdict {
        if self.bulletin.behind_schedule().next().is_some() {
            Verdict::Failed
        } else {
            Verdict::Passed
        }
    }

    fn to_text(&self, show: &Show) -> String {
        self.bulletin.to_text(show.lang)
    }

    fn to_markdown(&self, show: &Show) -> String {
        self.bulletin.to_markdown(show.lang)
    }

    fn to_xlsx(&self, show: &Show) -> Option<Result<Vec<u8>, fupin_xlsx::Error>> {
        let embedded;
        let policy = match &self.policy {
            Some(p) => p,
            None => {
                embedded = Policy::chaoyang_2020();
                &embedded
            }
        };
        Some(fupin_xlsx::write::bulletin(
            &self.bulletin,
            policy,
            show.lang,
        ))
    }
}

/// `spending.allocation`: next year's allocation tied to a bulletin — base weights adjusted by
/// the caller's reward and penalty parameters (the plan gives none), the total apportioned
/// exactly to the fen by largest remainder.
#[derive(Debug)]
pub struct SpendingAllocation;

/// `POST /v1/spending/allocation`: next year's allocation tied to a bulletin (`fupin spending
/// allocate`).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AllocationRequest {
    /// The ledger, as for the bulletin.
    #[schemars(with = "LedgerMember")]
    pub ledger: LedgerArg,
    /// The month whose bulletin decides rewards and penalties, `YYYY-MM`.
    pub month: YearMonth,
    /// Base weights, one per unit of the ledger.
    pub base: Vec<BaseWeight>,
    /// The total to apportion (`"3亿元"` or yuan).
    pub total: Amount,
    /// Reward and penalty parameters; default: the policy's, else none.
    #[serde(default, deserialize_with = "member::opt_doc")]
    #[schemars(with = "Option<fupin::spending::AllocationPolicy>")]
    pub params: Option<AllocationPolicy>,
    /// Required progress by date; default: the policy's, else none.
    #[serde(default, deserialize_with = "member::opt_doc")]
    #[schemars(with = "Option<fupin::spending::Schedule>")]
    pub schedule: Option<Schedule>,
    /// The policy: absent for the embedded 2020 Chaoyang plan, a name of the service's
    /// `--policy-dir`, or a policy object inline.
    #[serde(default)]
    #[schemars(with = "Option<PolicyMember>")]
    pub policy: PolicyArg,
    /// Plan data whose county-level units the ledger may name; default: the embedded 2020 data.
    #[serde(default, deserialize_with = "member::opt_doc")]
    #[schemars(with = "Option<fupin::data::PlanData>")]
    pub data: Option<PlanData>,
}

impl Operation for SpendingAllocation {
    const ID: &'static str = "spending.allocation";
    const ROUTE: Route = Route::post("/v1/spending/allocation");
    const SUMMARY: (&'static str, &'static str) = (
        "与通报挂钩的次年资金分配（奖优惩劣）",
        "Next year's allocation tied to a bulletin (rewards and penalties)",
    );
    const COMMAND: &'static str = "spending allocate";
    type Request = AllocationRequest;
    type Output = AllocationPlan;

    fn run(env: &Env, request: AllocationRequest) -> Result<AllocationPlan, Problem> {
        let policy = env.policy(&request.policy, "policy")?;
        let bulletin = bulletin_of(
            env,
            policy,
            request.ledger,
            request.data.as_ref(),
            request.month,
            request.schedule,
        )?;
        let (params, params_from) = match request.params {
            Some(p) => (Some(p), "params"),
            None => (policy.spending.allocation.clone(), "policy"),
        };
        let base: Vec<_> = request
            .base
            .into_iter()
            .map(|w| (w.county, w.base))
            .collect();
        fupin::spending::adjust_allocation(&bulletin, &base, request.total, params.as_ref())
            .map_err(|e| {
                // Blame the input the problem is in: the total, the parameters or the weights.
                let e = fupin::Error::from(e);
                let path = e
                    .field_errors()
                    .first()
                    .map(|f| f.path.clone())
                    .unwrap_or_default();
                let blame = if path == "total" {
                    "total"
                } else if path.starts_with("spending.allocation") {
                    params_from
                } else {
                    "base"
                };
                Problem::from(e).about(blame)
            })
    }
}

impl Outcome for AllocationPlan {
    fn to_text(&self, show: &Show) -> String {
        AllocationPlan::to_text(self, show.lang)
    }

    fn to_markdown(&self, show: &Show) -> String {
        AllocationPlan::to_markdown(self, show.lang)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example(name: &str) -> String {
        std::fs::read_to_string(format!(
            "{}/../../examples/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    }

    fn bulletin(body: &serde_json::Value) -> Result<BulletinOutput, Problem> {
        crate::request_json::<BulletinRequest>(body.to_string().as_bytes())
            .and_then(|r| SpendingBulletin::run(&Env::new(), r))
    }

    #[test]
    fn the_ledger_as_csv_text_or_as_rows_gives_one_bulletin() {
        let csv = example("ledger_2020.csv");
        let rows: serde_json::Value = serde_json::from_str(&example("ledger_2020.json")).unwrap();
        let a = bulletin(&serde_json::json!({"ledger": csv, "month": "2020-06"})).unwrap();
        let b = bulletin(&serde_json::json!({"ledger": rows, "month": "2020-06"})).unwrap();
        assert_eq!(crate::contract::to_json(&a), crate::contract::to_json(&b));
        assert_eq!(
            a.verdict(),
            Verdict::Passed,
            "no schedule: nothing behind it"
        );
    }

    #[test]
    fn problems_are_blamed_on_the_month_the_ledger_or_the_data() {
        let csv = example("ledger_2020.csv");
        let p = bulletin(&serde_json::json!({"ledger": csv, "month": "2021-01"})).unwrap_err();
        assert_eq!(p.member(), Some("month"));
        let p = bulletin(&serde_json::json!({"ledger": "month,county\n", "month": "2020-06"}))
            .unwrap_err();
        assert_eq!(p.member(), Some("ledger"));
        let mut data: serde_json::Value =
            serde_json::from_str(&PlanData::chaoyang_2020().to_json()).unwrap();
        data["meta"]["year"] = 2021.into();
        let p = bulletin(&serde_json::json!({"ledger": csv, "month": "2020-06", "data": data}))
            .unwrap_err();
        assert_eq!(p.member(), Some("data"));
        assert_eq!(p.errors[0].code, fupin::ErrorCode::YEAR_MISMATCH);
    }

    #[test]
    fn the_allocation_conserves_the_total_and_names_a_missing_unit() {
        let csv = example("ledger_2020.csv");
        let base: Vec<_> = unit_names(&PlanData::chaoyang_2020())
            .into_iter()
            .map(|c| serde_json::json!({"county": c, "base": "2500万元"}))
            .collect();
        let body =
            serde_json::json!({"ledger": csv, "month": "2020-06", "base": base, "total": "3亿元"});
        let req = crate::request_json::<AllocationRequest>(body.to_string().as_bytes()).unwrap();
        let plan = SpendingAllocation::run(&Env::new(), req).unwrap();
        let sum = plan
            .rows
            .iter()
            .try_fold(Amount::ZERO, |s, r| s.checked_add(r.amount))
            .unwrap();
        assert_eq!(sum, Amount::wan(30_000));
        let body = serde_json::json!({"ledger": csv, "month": "2020-06", "base": &base[1..], "total": "3亿元"});
        let req = crate::request_json::<AllocationRequest>(body.to_string().as_bytes()).unwrap();
        let p = SpendingAllocation::run(&Env::new(), req).unwrap_err();
        assert_eq!(p.member(), Some("base"));
    }
}
