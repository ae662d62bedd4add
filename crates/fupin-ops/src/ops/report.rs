//! `report`: every funds and integration check of one year (G1–G3, M1–M3, task 8).

use fupin::data::PlanData;
use fupin::report::Report as YearReport;
use schemars::JsonSchema;
use serde::Deserialize;

use crate::input::member;
use crate::input::wire::PolicyMember;
use crate::operation::{Env, Operation, Outcome, PolicyArg, Route, Show, Verdict};
use crate::problem::Problem;

/// `report`: check a year's fund figures against the plan — input growth, county quotas and
/// the budget adjustment owed, upward funds, integration ratio.
#[derive(Debug)]
pub struct Report;

/// `POST /v1/report`: the funds and integration checks of one year (`fupin report`).
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportRequest {
    /// The policy: absent for the embedded 2020 Chaoyang plan, a name of the service's
    /// `--policy-dir`, or a policy object inline.
    #[serde(default)]
    #[schemars(with = "Option<PolicyMember>")]
    pub policy: PolicyArg,
    /// The year's plan data (the JSON of `fupin data show --format json`); default: the embedded
    /// 2020 figures.
    #[serde(default, deserialize_with = "member::opt_doc")]
    #[schemars(with = "Option<fupin::data::PlanData>")]
    pub data: Option<PlanData>,
}

impl Operation for Report {
    const ID: &'static str = "report";
    const ROUTE: Route = Route::post("/v1/report");
    const SUMMARY: (&'static str, &'static str) = (
        "资金投入、县级定额、向上争取和整合比例检查",
        "Check fund input, county quotas, upward funds and integration",
    );
    const COMMAND: &'static str = "report";
    type Request = ReportRequest;
    type Output = YearReport;

    /// The data must be of the policy's year (`year_mismatch` under `data`).
    fn run(env: &Env, request: ReportRequest) -> Result<YearReport, Problem> {
        let policy = env.policy(&request.policy, "policy")?;
        let data = request.data.as_ref().unwrap_or(env.embedded_data());
        super::same_year(policy, data, "data")?;
        fupin::report::report(policy, data).map_err(|e| Problem::sub(e, "data"))
    }
}

impl Outcome for YearReport {
    fn verdict(&self) -> Verdict {
        if self.passed() {
            Verdict::Passed
        } else {
            Verdict::Failed
        }
    }

    fn to_text(&self, show: &Show) -> String {
        let mut text = YearReport::to_text(self, show.lang);
        if show.explain {
            text.push_str(&super::explained(&self.checks, show.lang));
        }
        text
    }

    fn to_markdown(&self, show: &Show) -> String {
        let mut text = YearReport::to_markdown(self, show.lang);
        if show.explain {
            text.push_str(&super::explained(&self.checks, show.lang));
        }
        text
    }

    fn to_xlsx(&self, show: &Show) -> Option<Result<Vec<u8>, fupin_xlsx::Error>> {
        Some(fupin_xlsx::write::report(self, show.lang))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_plan_passes_18_of_21_checks_with_m1_at_247_77_percent() {
        let r = Report::run(&Env::new(), ReportRequest::default()).unwrap();
        assert_eq!(r.checks.len(), 21);
        assert_eq!(r.checks.iter().filter(|c| c.passed).count(), 18);
        let m1 = r.checks.iter().find(|c| c.id == "M1.city_growth").unwrap();
        assert_eq!(m1.actual.display(fupin::Lang::Zh), "247.77%");
        assert_eq!(r.verdict(), Verdict::Failed);
    }

    #[test]
    fn data_of_another_year_than_the_policy_is_refused_under_data() {
        let mut data = PlanData::chaoyang_2020();
        data.meta.year = 2021;
        let req = ReportRequest {
            data: Some(data),
            ..ReportRequest::default()
        };
        let p = Report::run(&Env::new(), req).unwrap_err();
        assert_eq!(p.member(), Some("data"));
        assert_eq!(p.errors[0].code, fupin::ErrorCode::YEAR_MISMATCH);
        assert!(p.errors[0].path.starts_with("data"), "{:?}", p.errors);
        assert!(p.detail.contains("2021"), "{}", p.detail);
    }

    #[test]
    fn a_request_body_names_the_member_path_of_a_bad_field() {
        let p = crate::request_json::<ReportRequest>(br#"{"data": {"meta": 1}}"#).unwrap_err();
        assert_eq!(p.status, 422);
        assert_eq!(
            (p.errors[0].path.as_str(), p.errors[0].code.as_str()),
            ("data.meta", "invalid_type")
        );
        let p = crate::request_json::<ReportRequest>(br#"{"dta": {}}"#).unwrap_err();
        assert_eq!(p.errors[0].code.as_str(), "unknown_field");
        let p = crate::request_json::<ReportRequest>(br#"{"policy": "x"}"#)
            .and_then(|r| Report::run(&Env::new(), r))
            .unwrap_err();
        assert_eq!(p.errors[0].path, "policy");
    }
}
