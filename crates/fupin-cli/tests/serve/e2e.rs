//! Every endpoint, called as another system calls it; each answer is the command's
//! `--format json` output for the same input, byte for byte.

use std::path::Path;

use super::http::{Server, example, fupin};

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_owned()
}

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap()
}

/// The command's stdout, which must have succeeded (or exited `code`).
fn cli(args: &[&str], code: i32) -> String {
    let o = fupin(args);
    assert_eq!(
        o.status.code(),
        Some(code),
        "fupin {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

/// `POST path body` answers 200 with exactly the command's output.
fn same(server: &Server, path: &str, body: &str, args: &[&str], code: i32) {
    let r = server.post(path, body);
    assert_eq!(r.status, 200, "{path}: {}", r.text());
    assert_eq!(r.header("content-type"), Some("application/json"));
    let expected = cli(args, code);
    assert_eq!(r.text(), expected, "{path} differs from fupin {args:?}");
    assert!(
        r.text().starts_with("{\n  \"format\": \"fupin/1\",\n"),
        "{path}"
    );
}

const SCHEDULE: &str = r#"{"name": "示例进度表（非方案规定） / example schedule, not the plan's",
  "points": [{"by": "2020-03-31", "required": "20%"}, {"by": "2020-06-30", "required": "50%"},
             {"by": "2020-09-30", "required": "75%"}, {"by": "2020-12-31", "required": "100%"}]}"#;

const BASE_CSV: &str = "county,base\n朝阳县,2500万元\n建平县,2500万元\n喀左县,2500万元\n\
                        北票市,2500万元\n凌源市,2500万元\n双塔区,1000万元\n龙城区,1000万元\n";

#[test]
fn every_endpoint_answers_what_the_command_prints() {
    let server = Server::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();

    // Health and docs.
    let h = server.get("/healthz");
    assert_eq!(h.status, 200);
    assert_eq!(h.json()["status"], "ok");
    let docs = server.get("/");
    assert_eq!(docs.status, 200);
    assert!(
        docs.header("content-type")
            .unwrap()
            .starts_with("text/html")
    );

    // Report: embedded, with inline data, with an inline policy.
    same(
        &server,
        "/v1/report",
        "{}",
        &["report", "--format", "json"],
        0,
    );
    let data = cli(&["data", "show", "--format", "json"], 0);
    let data_file = write(d, "data.json", &data);
    let policy = cli(&["policy", "show", "--format", "json"], 0);
    let policy_file = write(d, "policy.json", &policy);
    same(
        &server,
        "/v1/report",
        &format!(r#"{{"data": {data}, "policy": {policy}}}"#),
        &[
            "report",
            "--data",
            &data_file,
            "--policy",
            &policy_file,
            "--format",
            "json",
        ],
        0,
    );

    // Scores: cards a and b, many units; a card given inline.
    for card in ["a", "b"] {
        let input = example(&format!("score_{card}.json"));
        same(
            &server,
            "/v1/score",
            &format!(r#"{{"card": "{card}", "input": {}}}"#, read(&input)),
            &[
                "score", "--card", card, "--input", &input, "--format", "json",
            ],
            0,
        );
    }
    let card_a = serde_json::to_string(
        &serde_json::from_str::<serde_json::Value>(&policy).unwrap()["assessment"]["cards"][0],
    )
    .unwrap();
    let card_file = write(d, "card.json", &card_a);
    same(
        &server,
        "/v1/score",
        &format!(
            r#"{{"card": {card_a}, "input": {}}}"#,
            read(&example("score_a.json"))
        ),
        &[
            "score",
            "--card",
            &card_file,
            "--input",
            &example("score_a.json"),
            "--format",
            "json",
        ],
        0,
    );

    // Tasks.
    let tasks = example("tasks_2020.json");
    same(
        &server,
        "/v1/tasks/check",
        &format!(r#"{{"input": {}}}"#, read(&tasks)),
        &["tasks", "check", "--input", &tasks, "--format", "json"],
        0,
    );

    // Spending: the bulletin from a JSON ledger and from the CSV file's text; the allocation.
    let schedule = write(d, "schedule.json", SCHEDULE);
    let ledger_json = example("ledger_2020.json");
    same(
        &server,
        "/v1/spending/bulletin",
        &format!(
            r#"{{"ledger": {}, "month": "2020-06", "schedule": {SCHEDULE}}}"#,
            read(&ledger_json)
        ),
        &[
            "spending",
            "bulletin",
            "--ledger",
            &ledger_json,
            "--month",
            "2020-06",
            "--schedule",
            &schedule,
            "--format",
            "json",
        ],
        0,
    );
    let ledger_csv = example("ledger_2020.csv");
    same(
        &server,
        "/v1/spending/bulletin",
        &format!(
            r#"{{"ledger": {}, "month": "2020-05"}}"#,
            serde_json::to_string(&read(&ledger_csv)).unwrap()
        ),
        &[
            "spending",
            "bulletin",
            "--ledger",
            &ledger_csv,
            "--month",
            "2020-05",
            "--format",
            "json",
        ],
        0,
    );
    let base_file = write(d, "base.csv", BASE_CSV);
    let base_json: Vec<serde_json::Value> = BASE_CSV
        .lines()
        .skip(1)
        .map(|l| {
            let (county, base) = l.split_once(',').unwrap();
            serde_json::json!({"county": county, "base": base})
        })
        .collect();
    same(
        &server,
        "/v1/spending/allocation",
        &format!(
            r#"{{"ledger": {}, "month": "2020-06", "base": {}, "total": "3亿元"}}"#,
            read(&ledger_json),
            serde_json::to_string(&base_json).unwrap()
        ),
        &[
            "spending",
            "allocate",
            "--ledger",
            &ledger_json,
            "--month",
            "2020-06",
            "--base",
            &base_file,
            "--total",
            "3亿元",
            "--format",
            "json",
        ],
        0,
    );

    // Calendar: due in a range; statuses on a date with records of completion.
    same(
        &server,
        "/v1/calendar",
        r#"{"from": "2020-04-01", "to": "2020-09-30"}"#,
        &[
            "calendar",
            "--from",
            "2020-04-01",
            "--to",
            "2020-09-30",
            "--format",
            "json",
        ],
        0,
    );
    let done = r#"{"M5.rectification": "2020-07-20", "M4.monthly_bulletin@2020-07": "2020-08-01"}"#;
    let done_file = write(d, "done.json", &format!(r#"{{"done": {done}}}"#));
    same(
        &server,
        "/v1/calendar",
        &format!(
            r#"{{"from": "2020-04-01", "to": "2020-09-30", "on": "2020-08-10", "done": {done}}}"#
        ),
        &[
            "calendar",
            "--from",
            "2020-04-01",
            "--to",
            "2020-09-30",
            "--on",
            "2020-08-10",
            "--done",
            &done_file,
            "--format",
            "json",
        ],
        0,
    );

    // Policy: the embedded one, a validation.
    let embedded = server.get("/v1/policy");
    assert_eq!(embedded.status, 200);
    assert_eq!(embedded.text(), policy);
    same(
        &server,
        "/v1/policy/validate",
        &policy,
        &["policy", "check", &policy_file, "--format", "json"],
        0,
    );
    let raised = policy.replacen(
        "\"input_growth_target\": \"0.20\"",
        "\"input_growth_target\": \"0.25\"",
        1,
    );
    assert!(raised != policy, "the test changes one parameter");
    let raised_file = write(d, "raised.json", &raised);
    same(
        &server,
        "/v1/policy/compare",
        &format!(r#"{{"new": {raised}}}"#),
        &["policy", "diff", "--new", &raised_file, "--format", "json"],
        0,
    );
    let c = server
        .post(
            "/v1/policy/compare",
            &format!(r#"{{"old": {raised}, "new": {raised}}}"#),
        )
        .json();
    assert_eq!(c["same"], true);
    let c = server
        .post("/v1/policy/compare", &format!(r#"{{"new": {raised}}}"#))
        .json();
    assert_eq!(c["changes"].as_array().unwrap().len(), 1, "{c}");
    let list = server.get("/v1/policies").json();
    assert_eq!(list["format"], "fupin/1");
    assert_eq!(list["policies"], serde_json::json!([]));

    // Approvals: the log's events as a JSON array.
    let log = example("approvals_2020.jsonl");
    let registry_file = example("registry_2020.toml");
    let events = format!("[{}]", read(&log).trim_end().replace('\n', ","));
    let registry: serde_json::Value = toml::from_str(&read(&registry_file)).unwrap();
    same(
        &server,
        "/v1/approvals/verify",
        &format!(r#"{{"events": {events}, "registry": {registry}}}"#),
        &[
            "approvals",
            "verify",
            &log,
            "--registry",
            &registry_file,
            "--format",
            "json",
        ],
        0,
    );
    same(
        &server,
        "/v1/approvals/replay",
        &format!(r#"{{"events": {events}, "lang": "en", "registry": {registry}}}"#),
        &[
            "approvals",
            "replay",
            &log,
            "--registry",
            &registry_file,
            "--format",
            "json",
            "--lang",
            "en",
        ],
        0,
    );
}

#[test]
fn a_policy_is_named_from_the_directory_given_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let raised = fupin::policy::CHAOYANG_2020_TOML.replace(
        "input_growth_target = \"20%\"",
        "input_growth_target = \"300%\"",
    );
    assert_ne!(raised, fupin::policy::CHAOYANG_2020_TOML);
    write(dir.path(), "strict2020.toml", &raised);
    let server = Server::start(&["--policy-dir", dir.path().to_str().unwrap()]);
    let list = server.get("/v1/policies").json();
    assert_eq!(list["policies"][0]["name"], "strict2020");
    assert_eq!(server.get("/v1/policies/strict2020").status, 200);
    server.get("/v1/policies/nope").problem(404);

    let named = server
        .post("/v1/report", r#"{"policy": "strict2020"}"#)
        .json();
    let embedded = server.post("/v1/report", "{}").json();
    let growth = |v: &serde_json::Value| {
        v["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == "M1.city_growth")
            .unwrap()["passed"]
            .clone()
    };
    assert_eq!(growth(&embedded), true);
    assert_eq!(
        growth(&named),
        false,
        "247.77% < 300%: the named policy was used"
    );

    let unknown = server
        .post("/v1/report", r#"{"policy": "nope"}"#)
        .problem(422);
    assert_eq!(unknown["errors"][0]["path"], "policy");
    assert_eq!(unknown["errors"][0]["value"], "nope");
    assert!(unknown["detail"].as_str().unwrap().contains("strict2020"));
}

#[test]
fn data_of_another_year_than_the_policy_are_refused_as_the_command_refuses_them() {
    let server = Server::start(&[]);
    let data = fupin(&["data", "show", "--format", "json"]);
    let data =
        String::from_utf8(data.stdout)
            .unwrap()
            .replacen("\"year\": 2020", "\"year\": 2021", 1);
    assert!(data.contains("\"year\": 2021"), "{data}");
    let p = server
        .post("/v1/report", &format!(r#"{{"data": {data}}}"#))
        .problem(422);
    assert_eq!(p["errors"][0]["code"], "year_mismatch", "{p}");
    assert_eq!(p["errors"][0]["path"], "data.meta.year");
    assert!(
        p["detail"]
            .as_str()
            .unwrap()
            .contains("the data are for 2021, the policy for 2020"),
        "{p}"
    );
}

mod table {
    use std::sync::Arc;

    use arrow_array::cast::AsArray;
    use arrow_array::types::Decimal128Type;
    use arrow_array::{ArrayRef, BooleanArray, RecordBatch, StringArray, UInt32Array};
    use arrow_ipc::reader::StreamReader;
    use arrow_ipc::writer::StreamWriter;

    use super::super::http::Server;

    const ARROW: &str = "application/vnd.apache.arrow.stream";

    fn body(units: &[&str], annual: &[&str]) -> Vec<u8> {
        let n = units.len();
        let text = |v: &[&str]| Arc::new(StringArray::from(v.to_vec())) as ArrayRef;
        let batch = RecordBatch::try_from_iter(vec![
            ("unit", text(units)),
            ("annual_targets", text(annual)),
            ("daily_responsibility", text(&vec!["18"; n])),
            ("over_completion", text(&vec!["135%"; n])),
            ("upward_funds", text(&vec!["6"; n])),
            (
                "commendations.provincial",
                Arc::new(UInt32Array::from(vec![3; n])) as ArrayRef,
            ),
            (
                "commendations.national",
                Arc::new(UInt32Array::from(vec![1; n])) as ArrayRef,
            ),
            ("innovation", text(&vec!["1.5"; n])),
            (
                "vetoed",
                Arc::new(BooleanArray::from(vec![false; n])) as ArrayRef,
            ),
        ])
        .unwrap();
        let mut buf = Vec::new();
        let mut w = StreamWriter::try_new(&mut buf, &batch.schema()).unwrap();
        w.write(&batch).unwrap();
        w.finish().unwrap();
        drop(w);
        buf
    }

    #[test]
    fn a_table_of_units_is_scored_as_the_json_endpoint_scores_each() {
        let server = Server::start(&[]);
        let r = server.call(
            "POST",
            "/v1/score/table?card=a",
            Some(ARROW),
            &body(&["甲", "乙"], &["72", "60.5"]),
        );
        assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
        assert_eq!(r.header("content-type"), Some(ARROW));
        let reader = StreamReader::try_new(std::io::Cursor::new(r.body), None).unwrap();
        let batches: Vec<RecordBatch> = reader.collect::<Result<_, _>>().unwrap();
        let out = &batches[0];
        assert_eq!(out.num_rows(), 2);
        let totals = out
            .column_by_name("total")
            .unwrap()
            .as_primitive::<Decimal128Type>();
        let total = |i: usize| {
            let scale = u32::try_from(totals.scale()).unwrap();
            rust_decimal::Decimal::from_i128_with_scale(totals.value(i), scale).normalize()
        };
        // The JSON endpoint, one unit at a time, agrees.
        for (i, annual) in ["72", "60.5"].iter().enumerate() {
            let json = server
                .post(
                    "/v1/score",
                    &format!(
                        r#"{{"card": "a", "input": {{"unit": "u", "items": {{"annual_targets": "{annual}", "daily_responsibility": "18"}},
                        "bonuses": {{"over_completion": {{"completion": "135%"}}, "upward_funds": {{"points": "6"}},
                        "commendations": {{"counts": {{"provincial": 3, "national": 1}}}}, "innovation": {{"points": "1.5"}}}}}}}}"#
                    ),
                )
                .json();
            assert_eq!(json["reports"][0]["total"], total(i).to_string(), "{json}");
        }
        let ranks = out.column_by_name("rank").unwrap();
        assert_eq!(ranks.len(), 2);
    }

    #[test]
    fn a_bad_cell_names_its_row_column_and_value() {
        let server = Server::start(&[]);
        let p = server
            .call(
                "POST",
                "/v1/score/table",
                Some(ARROW),
                &body(&["甲", "乙"], &["72", "7,5"]),
            )
            .problem(422);
        assert_eq!(p["errors"][0]["path"], "[1].annual_targets", "{p}");
        assert_eq!(p["errors"][0]["value"], "7,5", "never read as 75");
        server
            .call("POST", "/v1/score/table", Some(ARROW), b"not arrow")
            .problem(400);
        server
            .call(
                "POST",
                "/v1/score/table?card=z",
                Some(ARROW),
                &body(&["甲"], &["1"]),
            )
            .problem(422);
        server
            .call("POST", "/v1/score/table", Some("application/json"), b"{}")
            .problem(415);
    }
}
