//! `test`: policy case files (an input and the outcome expected per clause) run against a
//! policy — the way a policy officer pins the rules.

use fupin::Lang;
use fupin::cases::{self, CaseFile, CaseResult};
use fupin::render::tr;
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};

use crate::input::member;
use crate::input::wire::PolicyMember;
use crate::operation::{Env, Operation, Outcome, PolicyArg, Route, Show, Verdict};
use crate::problem::Problem;

/// `test`: run case files against a policy. Each case starts from the embedded plan data
/// (changing what it needs), may add task figures and units' scores, and says what it expects
/// of each check or score.
#[derive(Debug)]
pub struct Test;

/// `POST /v1/test`: run policy case files against a policy (`fupin test`).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TestRequest {
    /// The case files, in order.
    pub files: Vec<CaseFileArg>,
    /// The policy under test: absent for the embedded 2020 Chaoyang plan, a name of the
    /// service's `--policy-dir`, or a policy object inline (an overlay with `extends` works).
    #[serde(default)]
    #[schemars(with = "Option<PolicyMember>")]
    pub policy: PolicyArg,
    /// Parameters of the policy under test changed, `PATH=VALUE` each
    /// (`tasks.factories.employment_min=59`): the cases that pin that number fail.
    #[serde(default)]
    pub set: Vec<String>,
}

/// One case file: its name and its cases.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseFileArg {
    /// The file's name, as the results name it.
    pub name: String,
    /// The cases: on the wire, the text of the TOML case file (`[[cases]]`).
    #[serde(rename = "toml", deserialize_with = "case_toml")]
    #[schemars(with = "String")]
    pub file: CaseFile,
}

fn case_toml<'de, D: Deserializer<'de>>(d: D) -> Result<CaseFile, D::Error> {
    let text = String::deserialize(d)?;
    CaseFile::from_toml(&text).map_err(|e| member::carry(&Problem::from(fupin::Error::from(e))))
}

/// One case file's results.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct FileResult {
    /// The file's name.
    pub file: String,
    /// Each case's result, in the file's order.
    pub cases: Vec<CaseResult>,
}

/// The results of every case file (`fupin test --format json`).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct TestOutput {
    /// The policy under test (its name, and the overrides).
    pub policy: String,
    /// How many cases ran.
    pub cases: usize,
    /// How many did not hold.
    pub failed: usize,
    /// Each file's results.
    pub files: Vec<FileResult>,
}

impl Operation for Test {
    const ID: &'static str = "test";
    const ROUTE: Route = Route::post("/v1/test");
    const SUMMARY: (&'static str, &'static str) = (
        "以案例文件（输入与各条款预期结果）检验政策",
        "Run policy case files (input + expected outcome per clause) against a policy",
    );
    const COMMAND: &'static str = "test";
    type Request = TestRequest;
    type Output = TestOutput;

    fn run(env: &Env, request: TestRequest) -> Result<TestOutput, Problem> {
        let policy = super::years::with_sets(env.policy(&request.policy, "policy")?, &request.set)?;
        let name = if request.set.is_empty() {
            policy.meta.name.clone()
        } else {
            format!("{} + {}", policy.meta.name, request.set.join(", "))
        };
        if request.files.is_empty() {
            return Err(Problem::invalid("no case files (*.toml) given", vec![]).about("files"));
        }
        let files: Vec<FileResult> = request
            .files
            .into_iter()
            .map(|f| FileResult {
                cases: cases::run_file(&policy, &f.file),
                file: f.name,
            })
            .collect();
        let cases = files.iter().map(|f| f.cases.len()).sum();
        let failed = files
            .iter()
            .flat_map(|f| &f.cases)
            .filter(|c| !c.passed())
            .count();
        Ok(TestOutput {
            policy: name,
            cases,
            failed,
            files,
        })
    }
}

impl Outcome for TestOutput {
    fn verdict(&self) -> Verdict {
        if self.failed > 0 {
            Verdict::Rejected
        } else {
            Verdict::Passed
        }
    }

    fn to_text(&self, show: &Show) -> String {
        let lang = show.lang;
        let mut out = String::new();
        for f in &self.files {
            out.push_str(&format!("{}\n", f.file));
            for c in &f.cases {
                out.push_str(&format!(
                    "  {} {}\n",
                    if c.passed() { "✓" } else { "✗" },
                    c.name
                ));
                if let Some(e) = &c.error {
                    out.push_str(&format!(
                        "      {}: {e}\n",
                        tr(lang, "无法运行", "cannot run")
                    ));
                }
                for e in c.expectations.iter().filter(|e| !e.passed) {
                    out.push_str(&format!(
                        "      {} {} — {} {}\n",
                        tr(lang, "预期", "expected"),
                        e.what,
                        tr(lang, "实际", "found"),
                        e.found.as_deref().unwrap_or("")
                    ));
                }
            }
        }
        let (total, failed, policy) = (self.cases, self.failed, &self.policy);
        out.push_str(&match lang {
            Lang::Zh => format!(
                "政策：{policy}。共 {total} 个案例：{} 个通过，{failed} 个未通过。\n",
                total - failed
            ),
            Lang::En => format!(
                "Policy: {policy}. {total} cases: {} passed, {failed} failed.\n",
                total - failed
            ),
        });
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> Vec<CaseFileArg> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/cases");
        let mut names: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        names.sort();
        names
            .into_iter()
            .map(|p| CaseFileArg {
                name: p.display().to_string(),
                file: crate::input::read(crate::input::Given::new(
                    p.display().to_string(),
                    std::fs::read(&p).unwrap(),
                ))
                .unwrap(),
            })
            .collect()
    }

    #[test]
    fn the_plans_cases_hold_and_a_mutated_policy_fails_them() {
        let run = |set: Vec<String>| {
            Test::run(
                &Env::new(),
                TestRequest {
                    files: files(),
                    policy: PolicyArg::Embedded,
                    set,
                },
            )
            .unwrap()
        };
        let ok = run(vec![]);
        assert!(ok.cases > 0);
        assert_eq!(ok.failed, 0);
        assert_eq!(ok.verdict(), Verdict::Passed);
        let bad = run(vec!["tasks.factories.employment_min=59".into()]);
        assert!(bad.failed > 0);
        assert_eq!(bad.verdict(), Verdict::Rejected);
        assert!(bad.policy.ends_with("+ tasks.factories.employment_min=59"));
    }

    #[test]
    fn a_case_file_on_the_wire_is_toml_text_named_in_a_problem() {
        let body = r#"{"files": [{"name": "x.toml", "toml": "[[cases]]\nnme = 1\n"}]}"#;
        let p = crate::request_json::<TestRequest>(body.as_bytes()).unwrap_err();
        assert!(
            p.errors[0].path.starts_with("files[0].toml"),
            "{:?}",
            p.errors
        );
    }
}
