//! One outcome per hostile input, whatever the core reader: the name rule ([`crate::hostile`],
//! each name through every validator that reads names) and strict JSON (a document pasted twice,
//! a repeated key, a leading byte-order mark) through every JSON reader.

use serde_json::{Value, json};

use crate::approval::Registry;
use crate::assessment::{ScoreInput, UnitsInput, assess_units, rank, score};
use crate::data::PlanData;
use crate::hostile::{NAMES, SAME_NAME};
use crate::projects::{ProjectLibrary, ProjectsPolicy};
use crate::spending::Ledger;
use crate::tasks::{TasksInput, check_tasks};
use crate::{Error, ErrorCode, FieldError, Policy};

fn codes(errors: &[FieldError]) -> Vec<ErrorCode> {
    errors.iter().map(|e| e.code.clone()).collect()
}

/// A reader of one name: the codes it refuses it with (empty: accepted).
type NameReader = fn(&str) -> Vec<ErrorCode>;

fn plan_data(name: &str) -> Vec<ErrorCode> {
    let mut d = PlanData::chaoyang_2020();
    d.counties[0].name = name.to_owned();
    d.validate().map_or_else(|e| codes(e.errors()), |()| vec![])
}

fn scored_unit(name: &str) -> ScoreInput {
    let policy = Policy::chaoyang_2020();
    let card = policy.assessment.card("b").unwrap();
    let mut s = ScoreInput::new(name);
    for (_, it) in card.items() {
        s.items.insert(it.id.clone(), it.max);
    }
    s
}

fn score_input(name: &str) -> Vec<ErrorCode> {
    let policy = Policy::chaoyang_2020();
    let card = policy.assessment.card("b").unwrap();
    score(card, &scored_unit(name)).map_or_else(|e| codes(&e.field_errors()), |_| vec![])
}

fn units_text(names: &[&str]) -> String {
    let units: Vec<Value> = names
        .iter()
        .map(|n| {
            let s = scored_unit(n);
            json!({"unit": n, "cards": {"b": {"items": s.items}}})
        })
        .collect();
    json!({ "units": units }).to_string()
}

fn units_input(name: &str) -> Vec<ErrorCode> {
    let policy = Policy::chaoyang_2020();
    match UnitsInput::from_json(&units_text(&[name])) {
        Err(e) => codes(&e.field_errors()),
        Ok(u) => assess_units(&policy.assessment, &u)
            .map_or_else(|e| codes(&e.field_errors()), |_| vec![]),
    }
}

fn tasks_text(village: &str) -> String {
    let mut v: Value =
        serde_json::from_str(include_str!("../../../examples/tasks_2020.json")).unwrap();
    v["villages"][0]["name"] = json!(village);
    v.to_string()
}

fn tasks_input(name: &str) -> Vec<ErrorCode> {
    let input = TasksInput::from_json(&tasks_text(name)).unwrap();
    check_tasks(&Policy::chaoyang_2020(), &input)
        .map_or_else(|e| codes(&Error::from(e).field_errors()), |_| vec![])
}

fn registry_text(ids: &[&str]) -> String {
    let actors: Vec<Value> = ids
        .iter()
        .map(|id| json!({"id": id, "name": "王科长", "role": "finance", "level": "city"}))
        .collect();
    json!({ "actors": actors }).to_string()
}

fn registry(name: &str) -> Vec<ErrorCode> {
    Registry::from_json(&registry_text(&[name])).map_or_else(|e| codes(&e.problems), |_| vec![])
}

fn library_text(county: &str, ids: &[&str], township: &str) -> String {
    let mut v: Value =
        serde_json::from_str(include_str!("../../../examples/library_jianping_2020.json")).unwrap();
    let project = v["projects"][0].clone();
    v["county"] = json!(county);
    v["projects"] = Value::Array(
        ids.iter()
            .map(|id| {
                let mut p = project.clone();
                p["id"] = json!(id);
                p["county"] = json!(county);
                p["township"] = json!(township);
                p
            })
            .collect(),
    );
    v.to_string()
}

fn admit(county: &str, ids: &[&str], township: &str) -> Vec<ErrorCode> {
    let v: Value = serde_json::from_str(&library_text(county, ids, township)).unwrap();
    let policy: ProjectsPolicy = Policy::chaoyang_2020().projects;
    let mut lib = ProjectLibrary::new(county);
    for p in v["projects"].as_array().unwrap() {
        let p = serde_json::from_value(p.clone()).unwrap();
        if let Err(e) = lib.admit(p, &policy) {
            return codes(&Error::from(e).field_errors());
        }
    }
    vec![]
}

fn project_township(name: &str) -> Vec<ErrorCode> {
    admit("建平县", &["JP-1"], name)
}

fn ledger(name: &str) -> Vec<ErrorCode> {
    let units = ["朝阳县".to_owned(), name.to_owned()];
    let rows = json!([
        {"month": "2020-01", "county": name, "allocated": "1万元", "spent": "0"}
    ]);
    Ledger::from_json(&rows.to_string(), 2020, &units[..1])
        .map_or_else(|e| codes(&e.field_errors()), |_| vec![])
}

fn allocation_base(name: &str) -> Vec<ErrorCode> {
    let units: Vec<String> = PlanData::chaoyang_2020()
        .counties
        .iter()
        .map(|c| c.name.clone())
        .collect();
    let ledger = Ledger::from_json(
        include_str!("../../../examples/ledger_2020.json"),
        2020,
        &units,
    )
    .unwrap();
    let b = crate::spending::bulletin::bulletin(&ledger, "2020-12".parse().unwrap(), None).unwrap();
    crate::spending::adjust_allocation(
        &b,
        &[(name.to_owned(), crate::Amount::wan(1))],
        crate::Amount::wan(100),
        None,
    )
    .map_or_else(|e| codes(&e.field_errors()), |_| vec![])
}

const READERS: &[(&str, NameReader)] = &[
    ("plan data: counties[].name", plan_data),
    ("score input: unit", score_input),
    ("units input: units[].unit", units_input),
    ("task input: villages[].name", tasks_input),
    ("registry: actors[].id", registry),
    ("project library: projects[].township", project_township),
    ("ledger: county cell", ledger),
    ("allocation: base county", allocation_base),
];

#[test]
fn every_hostile_name_has_one_outcome_in_every_reader() {
    let mut wrong = Vec::new();
    for (what, name, want) in NAMES {
        for (reader, read) in READERS {
            let got = read(name);
            if got.first() != Some(want) {
                wrong.push(format!(
                    "{reader} × {what} ({name:?}): want {want}, got {got:?}"
                ));
            }
        }
    }
    for (reader, read) in READERS {
        let got = read("新县");
        if !got.is_empty()
            && *reader != "ledger: county cell"
            && *reader != "allocation: base county"
        {
            wrong.push(format!("{reader} refuses a plain name: {got:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn a_name_in_two_spellings_is_a_duplicate_wherever_names_are_unique() {
    let (a, b) = SAME_NAME;
    assert_ne!(a, b);
    let mut d = PlanData::chaoyang_2020();
    d.counties[0].name = a.to_owned();
    d.counties[1].name = b.to_owned();
    let data = codes(d.validate().unwrap_err().errors());
    let units = {
        let u = UnitsInput::from_json(&units_text(&[a, b])).unwrap();
        codes(
            &assess_units(&Policy::chaoyang_2020().assessment, &u)
                .unwrap_err()
                .field_errors(),
        )
    };
    let ranked = {
        let policy = Policy::chaoyang_2020();
        let card = policy.assessment.card("b").unwrap();
        let reports = [
            score(card, &scored_unit(a)).unwrap(),
            score(card, &scored_unit(b)).unwrap(),
        ];
        codes(&rank(&reports).unwrap_err().field_errors())
    };
    let tasks = {
        let mut v: Value = serde_json::from_str(&tasks_text(a)).unwrap();
        let mut second = v["villages"][0].clone();
        second["name"] = json!(b);
        v["villages"].as_array_mut().unwrap().push(second);
        let input = TasksInput::from_json(&v.to_string()).unwrap();
        codes(
            &Error::from(check_tasks(&Policy::chaoyang_2020(), &input).unwrap_err()).field_errors(),
        )
    };
    let actors = codes(
        &Registry::from_json(&registry_text(&[a, b]))
            .unwrap_err()
            .problems,
    );
    let projects = admit("建平县", &[a, b], "朱碌科镇");
    for (what, got) in [
        ("plan data", data),
        ("units", units),
        ("ranking", ranked),
        ("task input", tasks),
        ("registry", actors),
        ("project library", projects),
    ] {
        assert_eq!(got.first(), Some(&ErrorCode::DUPLICATE), "{what}: {got:?}");
    }
}

#[test]
fn an_audit_line_with_a_hostile_name_is_refused_naming_the_rule() {
    let line = crate::audit::AuditLog::sample_2020().to_jsonl();
    let first = line.lines().next().unwrap();
    for (what, name, _) in NAMES {
        if name.is_empty() {
            continue; // an empty place is left to the chain's rules
        }
        let mut v: Value = serde_json::from_str(first).unwrap();
        v["actor"] = json!(name);
        let e = crate::audit::from_jsonl(&format!("{v}\n")).unwrap_err();
        assert_eq!(e.kind(), "malformed", "{what}: {e}");
    }
}

/// Where the first `"key": "value"` member of a JSON text starts and ends.
fn first_string_member(text: &str) -> (usize, usize) {
    let b = text.as_bytes();
    let string_end = |mut i: usize| {
        i += 1;
        while b[i] != b'"' {
            i += if b[i] == b'\\' { 2 } else { 1 };
        }
        i + 1
    };
    let skip = |mut i: usize| {
        while b[i].is_ascii_whitespace() {
            i += 1;
        }
        i
    };
    let mut i = 0;
    loop {
        if b[i] == b'"' {
            let key_end = string_end(i);
            let colon = skip(key_end);
            if b[colon] == b':' {
                let value = skip(colon + 1);
                if b[value] == b'"' {
                    return (i, string_end(value));
                }
            }
            i = key_end;
        } else {
            i += 1;
        }
    }
}

fn map(r: Result<(), crate::Error>) -> Result<(), Vec<ErrorCode>> {
    r.map_err(|e| codes(&e.field_errors()))
}

/// Every JSON reader of the core, as `text → Ok or the codes of its problems`.
/// A JSON reader: text in, `Ok` or the codes of its problems.
type JsonReader = fn(&str) -> Result<(), Vec<ErrorCode>>;

fn json_readers() -> Vec<(&'static str, String, JsonReader)> {
    let policy = Policy::chaoyang_2020();
    let card = serde_json::to_string(policy.assessment.card("a").unwrap()).unwrap();
    let schedule = crate::spending::Schedule::from_toml(include_str!(
        "../../../examples/schedule_example.toml"
    ))
    .unwrap();
    let registry: toml::Value =
        toml::from_str(include_str!("../../../examples/registry_2020.toml")).unwrap();
    let registry = serde_json::to_string(&registry).unwrap();
    vec![
        ("policy", policy.to_json(), |t| {
            map(Policy::from_json(t).map(|_| ()).map_err(Into::into))
        }),
        ("plan data", PlanData::chaoyang_2020().to_json(), |t| {
            map(PlanData::from_json(t).map(|_| ()).map_err(Into::into))
        }),
        ("scorecard", card, |t| {
            map(crate::assessment::Scorecard::from_json(t)
                .map(|_| ())
                .map_err(Into::into))
        }),
        (
            "score inputs",
            include_str!("../../../examples/score_a.json").to_owned(),
            |t| {
                map(ScoreInput::many_from_json(t)
                    .map(|_| ())
                    .map_err(Into::into))
            },
        ),
        (
            "units input",
            include_str!("../../../examples/units_2020.json").to_owned(),
            |t| map(UnitsInput::from_json(t).map(|_| ()).map_err(Into::into)),
        ),
        (
            "task input",
            include_str!("../../../examples/tasks_2020.json").to_owned(),
            |t| map(TasksInput::from_json(t).map(|_| ()).map_err(Into::into)),
        ),
        ("schedule", serde_json::to_string(&schedule).unwrap(), |t| {
            map(crate::spending::Schedule::from_json(t)
                .map(|_| ())
                .map_err(Into::into))
        }),
        (
            "calendar done list",
            r#"{"done": {"M5.rectification": "2020-07-20"}}"#.to_owned(),
            |t| {
                map(crate::calendar::DoneList::from_json(t)
                    .map(|_| ())
                    .map_err(Into::into))
            },
        ),
        ("registry", registry, |t| {
            Registry::from_json(t)
                .map(|_| ())
                .map_err(|e| codes(&e.problems))
        }),
        (
            "ledger",
            include_str!("../../../examples/ledger_2020.json").to_owned(),
            |t| {
                let units: Vec<String> = PlanData::chaoyang_2020()
                    .counties
                    .iter()
                    .map(|c| c.name.clone())
                    .collect();
                map(Ledger::from_json(t, 2020, &units)
                    .map(|_| ())
                    .map_err(Into::into))
            },
        ),
        (
            "years: plan data with its prior year",
            PlanData::chaoyang_2020().to_json(),
            |t| {
                map(crate::years::with_prior(t, true, None)
                    .map(|_| ())
                    .map_err(Into::into))
            },
        ),
    ]
}

#[test]
fn every_json_reader_refuses_a_second_document_and_a_repeated_key_and_takes_a_bom() {
    let mut wrong = Vec::new();
    for (what, text, read) in json_readers() {
        if let Err(e) = read(&text) {
            wrong.push(format!("{what}: the valid text is refused: {e:?}"));
            continue;
        }
        if let Err(e) = read(&format!("\u{feff}{text}")) {
            wrong.push(format!("{what}: a leading BOM is refused: {e:?}"));
        }
        let twice = format!("{text}\n{text}");
        if read(&twice).is_ok() {
            wrong.push(format!("{what}: a document pasted twice is read"));
        }
        // The first member with a string value, given twice in its object.
        let (start, end) = first_string_member(&text);
        let member = &text[start..end];
        let repeated = format!("{}{member}, {}", &text[..start], &text[start..]);
        match read(&repeated) {
            Err(codes) if codes.first() == Some(&ErrorCode::DUPLICATE_KEY) => {}
            other => wrong.push(format!("{what}: repeated key `{member}`: {other:?}")),
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
