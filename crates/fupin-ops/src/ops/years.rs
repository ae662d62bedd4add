//! `year-end` and `compare`: M1c's year-end check feeding next year's allocation; what-if on
//! two policies, a policy and its overrides, or two years.

use fupin::Policy;
use fupin::assessment::UnitsInput;
use fupin::compare::{self, Comparison, Scenario};
use fupin::data::PlanData;
use fupin::tasks::TasksInput;
use fupin::years::{YearEndLink, YearEndWeights};
use schemars::JsonSchema;
use serde::Deserialize;

use crate::input::wire::PolicyMember;
use crate::input::{BaseWeight, member};
use crate::operation::{Env, Operation, Outcome, PolicyArg, Route, Show, Verdict};
use crate::problem::Problem;

/// `year-end`: the year-end check of each county-level unit's input (M1c) and next year's
/// base weights — units that met the standard × (1 + reward), the others × (1 − penalty),
/// with the caller's parameters (the plan says the result is a basis for next year's
/// allocation, not how; without a link nothing changes).
#[derive(Debug)]
pub struct YearEnd;

/// `POST /v1/year-end`: M1c's year-end check and next year's base weights (`fupin year-end`).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct YearEndRequest {
    /// Base weights, one per unit of the data.
    pub base: Vec<BaseWeight>,
    /// The link's parameters: `basis` (`quota` or `quota_and_growth`), `reward`, `penalty`;
    /// default: none (no adjustment).
    #[serde(default, deserialize_with = "member::opt_doc")]
    #[schemars(with = "Option<YearEndLink>")]
    pub link: Option<YearEndLink>,
    /// The plan data of the year checked; default: the embedded 2020 figures.
    #[serde(default, deserialize_with = "member::opt_doc")]
    #[schemars(with = "Option<PlanData>")]
    pub data: Option<PlanData>,
    /// The policy: absent for the embedded 2020 Chaoyang plan, a name of the service's
    /// `--policy-dir`, or a policy object inline.
    #[serde(default)]
    #[schemars(with = "Option<PolicyMember>")]
    pub policy: PolicyArg,
}

impl Operation for YearEnd {
    const ID: &'static str = "year-end";
    const ROUTE: Route = Route::post("/v1/year-end");
    const SUMMARY: (&'static str, &'static str) = (
        "年终县级投入达标检查与次年分配基数（M1c）",
        "M1c's year-end check of county input and next year's base weights",
    );
    const COMMAND: &'static str = "year-end";
    type Request = YearEndRequest;
    type Output = YearEndWeights;

    /// The data must be of the policy's year.
    fn run(env: &Env, request: YearEndRequest) -> Result<YearEndWeights, Problem> {
        let policy = env.policy(&request.policy, "policy")?;
        let data = request.data.as_ref().unwrap_or(env.embedded_data());
        super::same_year(policy, data, "data")?;
        let base: Vec<_> = request
            .base
            .into_iter()
            .map(|w| (w.county, w.base))
            .collect();
        let link = request.link.unwrap_or_default();
        fupin::years::year_end_weights(policy, data, &base, &link)
            .map_err(|e| Problem::from(fupin::Error::from(e)).about("base"))
    }
}

impl Outcome for YearEndWeights {
    fn to_text(&self, show: &Show) -> String {
        YearEndWeights::to_text(self, show.lang)
    }
}

/// `compare`: the same figures under two sides — two policies, a policy and `set` overrides,
/// or two years — and what changes: every check that flips or whose value moves, every unit
/// whose score or rank changes.
#[derive(Debug)]
pub struct Compare;

/// `POST /v1/compare`: what-if on two sides (`fupin compare`). The second side is the first
/// with `with` (another policy), `set` overrides and/or `with_data` (another year's figures,
/// with that year's policy in `with`).
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScenarioRequest {
    /// The first side's policy: absent for the embedded 2020 Chaoyang plan, a name of the
    /// service's `--policy-dir`, or a policy object inline.
    #[serde(default)]
    #[schemars(with = "Option<PolicyMember>")]
    pub policy: PolicyArg,
    /// The second side's policy (a whole policy, or an overlay with `extends`); default: the
    /// first side's.
    #[serde(default)]
    #[schemars(with = "Option<PolicyMember>")]
    pub with: Option<PolicyArg>,
    /// Values of the second side's policy changed, `PATH=VALUE` each
    /// (`funds.quota.county=3000万元`, `tasks.tasks[t3.factories].target.count.value=41`).
    #[serde(default)]
    pub set: Vec<String>,
    /// The first side's plan data; default: the embedded 2020 figures.
    #[serde(default, deserialize_with = "member::opt_doc")]
    #[schemars(with = "Option<PlanData>")]
    pub data: Option<PlanData>,
    /// The second side's plan data (another year: give that year's policy in `with`);
    /// default: the first side's.
    #[serde(default, deserialize_with = "member::opt_doc")]
    #[schemars(with = "Option<PlanData>")]
    pub with_data: Option<PlanData>,
    /// Task-table figures, checked on both sides.
    #[serde(default, deserialize_with = "member::opt_doc")]
    #[schemars(with = "Option<TasksInput>")]
    pub tasks: Option<TasksInput>,
    /// Units' scores per card, scored and ranked on both sides.
    #[serde(default, deserialize_with = "member::opt_doc")]
    #[schemars(with = "Option<UnitsInput>")]
    pub units: Option<UnitsInput>,
}

/// `policy` with the `set` overrides applied (problems about `set`).
pub(crate) fn with_sets(policy: &Policy, sets: &[String]) -> Result<Policy, Problem> {
    let sets = sets
        .iter()
        .map(|s| fupin::overlay::parse_set(s))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| Problem::from(fupin::Error::from(e)).about("set"))?;
    if sets.is_empty() {
        return Ok(policy.clone());
    }
    policy
        .with_overrides(&sets)
        .map_err(|e| Problem::from(fupin::Error::from(e)).about("set"))
}

fn side_name(policy: &Policy, data: &PlanData, extra: &[String]) -> String {
    let mut name = format!("{} · {}", policy.meta.name, data.meta.name);
    if !extra.is_empty() {
        name.push_str(&format!(" + {}", extra.join(", ")));
    }
    name
}

impl Operation for Compare {
    const ID: &'static str = "compare";
    const ROUTE: Route = Route::post("/v1/compare");
    const SUMMARY: (&'static str, &'static str) = (
        "假设比较：两个政策、政策与改动、或两个年度",
        "What-if: two policies, a policy and overrides, or two years — what changes",
    );
    const COMMAND: &'static str = "compare";
    type Request = ScenarioRequest;
    type Output = Comparison;

    /// Each side's data must be of its policy's year (`year_mismatch` under `data` for the
    /// first side, `with_data` for the second, whose data are the first's unless given).
    fn run(env: &Env, request: ScenarioRequest) -> Result<Comparison, Problem> {
        let before = env.policy(&request.policy, "policy")?;
        let after = match &request.with {
            Some(w) => env.policy(w, "with")?,
            None => before,
        };
        let after = with_sets(after, &request.set)?;
        let data = request.data.as_ref().unwrap_or(env.embedded_data());
        let with_data = request.with_data.as_ref().unwrap_or(data);
        super::same_year(before, data, "data")?;
        // The second side's data (the first side's unless given) under the second's policy.
        super::same_year(&after, with_data, "with_data")?;
        let side = |name: String, policy, data| Scenario {
            name,
            policy,
            data,
            tasks: request.tasks.as_ref(),
            units: request.units.as_ref(),
        };
        let a = compare::evaluate(&side(side_name(before, data, &[]), before, data))
            .map_err(|e| Problem::from(fupin::Error::from(e)))?;
        let b = compare::evaluate(&side(
            side_name(&after, with_data, &request.set),
            &after,
            with_data,
        ))
        .map_err(|e| Problem::from(fupin::Error::from(e)))?;
        Ok(compare::compare(&a, &b))
    }
}

impl Outcome for Comparison {
    fn verdict(&self) -> Verdict {
        if self.now_failing > 0 {
            Verdict::Failed
        } else {
            Verdict::Passed
        }
    }

    fn to_text(&self, show: &Show) -> String {
        Comparison::to_text(self, show.lang)
    }

    fn to_markdown(&self, show: &Show) -> String {
        Comparison::to_markdown(self, show.lang)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_higher_county_quota_makes_three_counties_fail() {
        let req = ScenarioRequest {
            set: vec!["funds.quota.county=3000万元".into()],
            ..ScenarioRequest::default()
        };
        let c = Compare::run(&Env::new(), req).unwrap();
        assert_eq!((c.checks_compared, c.now_failing), (21, 3));
        assert_eq!(c.verdict(), Verdict::Failed);
    }

    #[test]
    fn a_bad_override_is_a_problem_about_set() {
        let req = ScenarioRequest {
            set: vec!["funds.quota.conty=3000万元".into()],
            ..ScenarioRequest::default()
        };
        let p = Compare::run(&Env::new(), req).unwrap_err();
        assert_eq!(p.member(), Some("set"));
        assert!(p.detail.contains("funds.quota.conty"), "{}", p.detail);
    }

    #[test]
    fn another_years_data_needs_that_years_policy() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../examples/chaoyang_2021_data.toml"
        ))
        .unwrap();
        let d = crate::input::read::<PlanData>(crate::input::Given::new("d.toml", text)).unwrap();
        let req = ScenarioRequest {
            with_data: Some(d),
            ..ScenarioRequest::default()
        };
        let p = Compare::run(&Env::new(), req).unwrap_err();
        assert_eq!(p.member(), Some("with_data"));
        assert_eq!(p.errors[0].code, fupin::ErrorCode::YEAR_MISMATCH);
    }

    #[test]
    fn year_end_weights_penalise_the_units_short_of_their_quota() {
        let data = PlanData::chaoyang_2020();
        let base = data
            .counties
            .iter()
            .map(|c| BaseWeight {
                county: c.name.clone(),
                base: fupin::Amount::wan(2_500),
            })
            .collect();
        let link: YearEndLink =
            crate::request_json::<YearEndRequest>(br#"{"base": [], "link": {"penalty": "10%"}}"#)
                .unwrap()
                .link
                .unwrap();
        let w = YearEnd::run(
            &Env::new(),
            YearEndRequest {
                base,
                link: Some(link),
                data: None,
                policy: PolicyArg::Embedded,
            },
        )
        .unwrap();
        let kazuo = w.rows.iter().find(|r| r.county == "喀左县").unwrap();
        assert_eq!(kazuo.weight, fupin::Amount::wan(2_250));
        // A penalty above 100 % is refused under the member.
        let p =
            crate::request_json::<YearEndRequest>(br#"{"base": [], "link": {"penalty": "120%"}}"#)
                .unwrap_err();
        assert_eq!(p.errors[0].path, "link.penalty");
    }
}
