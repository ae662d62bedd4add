//! The clause map (`docs/clauses.md`) covers every clause id and check id of the code, and
//! everything it names exists; the README and docs link only to files in the repository and
//! cite the plan, not files outside it.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use fupin::data::PlanData;
use fupin::goals::GoalInput;
use fupin::tasks::{TasksInput, check_tasks};
use fupin::{Policy, report};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read(path: &str) -> String {
    fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The `ClauseId` variants, read from the enum's source (a new variant without a row fails).
fn clause_ids() -> Vec<String> {
    let src = read("crates/fupin/src/check.rs");
    let start = src.find("pub enum ClauseId {").expect("ClauseId enum");
    let body = &src[start..];
    let end = body.find("\n}").expect("end of ClauseId");
    body[..end]
        .lines()
        .skip(1)
        .map(str::trim)
        .filter(|l| !l.starts_with("//") && l.ends_with(','))
        .map(|l| l.trim_end_matches(',').to_owned())
        .collect()
}

/// Every `code span` of a Markdown text.
fn code_spans(text: &str) -> Vec<&str> {
    text.split('`').skip(1).step_by(2).collect()
}

/// String literals of the form `"<clause id>.<snake_case>"` in the library's non-test source.
fn check_ids_in_source(ids: &[String], dir: &Path, out: &mut BTreeSet<String>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            check_ids_in_source(ids, &path, out);
            continue;
        }
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.ends_with(".rs") || name == "tests.rs" || name == "fixtures.rs" {
            continue;
        }
        let text = fs::read_to_string(&path).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        for lit in code.split('"').skip(1).step_by(2) {
            let Some((clause, rest)) = lit.split_once('.') else {
                continue;
            };
            if ids.iter().any(|c| c == clause)
                && !rest.is_empty()
                && rest
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            {
                out.insert(lit.to_owned());
            }
        }
    }
}

/// The ids of every check the library gives on the embedded plan, the example task figures and
/// a figure for every goal of the policy.
fn check_ids_produced(policy: &Policy) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    let r = report::report(policy, &PlanData::chaoyang_2020()).unwrap();
    ids.extend(r.checks.iter().map(|c| c.id.to_string()));
    let mut input: TasksInput = serde_json::from_str(&read("examples/tasks_2020.json")).unwrap();
    for g in &policy.goals {
        let share = serde_json::to_string(&g.rule).unwrap().contains("share");
        let figure = if share {
            GoalInput::share(1, 1)
        } else {
            GoalInput::count("1")
        };
        input.goals.insert(g.id.clone(), figure);
    }
    let t = check_tasks(policy, &input).unwrap();
    ids.extend(t.checks.iter().map(|c| c.id.to_string()));
    ids
}

#[test]
fn every_clause_id_and_check_has_a_row() {
    let doc = read("docs/clauses.md");
    let spans: BTreeSet<&str> = code_spans(&doc).into_iter().collect();
    let ids = clause_ids();
    assert!(ids.len() >= 30, "read {} clause ids: {ids:?}", ids.len());
    let mut missing = Vec::new();
    for id in &ids {
        if !doc.lines().any(|l| l.starts_with(&format!("| `{id}` |"))) {
            missing.push(format!("clause {id}: no row `| `{id}` | …`"));
        }
    }
    let policy = Policy::chaoyang_2020();
    let mut named: BTreeSet<String> = BTreeSet::new();
    check_ids_in_source(&ids, &root().join("crates/fupin/src"), &mut named);
    named.extend(check_ids_produced(&policy));
    named.extend(policy.goals.iter().map(|g| g.id.clone()));
    named.extend(policy.tasks.tasks.iter().map(|t| t.id.clone()));
    named.extend(policy.calendar.deadlines.iter().map(|d| d.id.clone()));
    named.extend(policy.calendar.recurring.iter().map(|r| r.id.clone()));
    for card in &policy.assessment.cards {
        named.extend(card.items().map(|(_, item)| item.id.clone()));
        named.extend(card.bonus.rules.iter().map(|r| r.id.clone()));
    }
    for id in &named {
        if !spans.contains(id.as_str()) {
            missing.push(format!("check or id `{id}` is not in docs/clauses.md"));
        }
    }
    assert!(missing.is_empty(), "docs/clauses.md misses: {missing:#?}");
    assert!(named.contains("T3.target") && named.contains("M6.in_library"));
}

/// Every rule of the approval chain that the plan does not state (L1–L8, `ApprovalRules`) has a
/// row in the clause map naming its parameter: a new field of `[approval]` without a row fails.
#[test]
fn every_library_rule_of_the_approval_chain_has_a_row() {
    let doc = read("docs/clauses.md");
    let spans: BTreeSet<&str> = code_spans(&doc).into_iter().collect();
    let rules = fupin::approval::ApprovalRules::default();
    let mut missing = Vec::new();
    for label in rules.library_rules() {
        let id = label
            .en
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_owned();
        if !doc.lines().any(|l| l.starts_with(&format!("| {id} "))) {
            missing.push(format!("rule {id}: no row `| {id} …`"));
        }
    }
    let fields = serde_json::to_value(&rules).unwrap();
    let fields = fields.as_object().expect("ApprovalRules is a table");
    assert!(fields.len() >= 8, "read {} fields", fields.len());
    for key in fields.keys() {
        if !spans
            .iter()
            .any(|s| s.starts_with(&format!("approval.{key}")))
        {
            missing.push(format!(
                "parameter `approval.{key}` is not in docs/clauses.md"
            ));
        }
    }
    assert!(missing.is_empty(), "docs/clauses.md misses: {missing:#?}");
}

/// A `path` or `path::name` span of the clause map: the file exists, and the name is a function,
/// type or constant in it (a test is a function).
#[test]
fn every_file_function_and_test_named_here_exists() {
    let doc = read("docs/clauses.md");
    let exts = [".rs", ".py", ".toml", ".md", ".json", ".jsonl", ".csv"];
    let mut checked = 0;
    let mut bad = Vec::new();
    for span in code_spans(&doc) {
        let (file, name) = match span.split_once("::") {
            Some((f, n)) if exts.iter().any(|e| f.ends_with(e)) => (f, Some(n)),
            _ if span.contains('/') && exts.iter().any(|e| span.ends_with(e)) => (span, None),
            _ => continue,
        };
        checked += 1;
        let Ok(text) = fs::read_to_string(root().join(file)) else {
            bad.push(format!("{span}: no file {file}"));
            continue;
        };
        if let Some(name) = name {
            let found = [
                format!("fn {name}("),
                format!("fn {name}<"),
                format!("struct {name} "),
                format!("struct {name}("),
                format!("struct {name}<"),
                format!("enum {name} "),
                format!("const {name}:"),
                format!("def {name}("),
            ]
            .iter()
            .any(|p| text.contains(p.as_str()));
            if !found {
                bad.push(format!("{span}: no `{name}` in {file}"));
            }
        }
    }
    assert!(checked >= 100, "only {checked} references read");
    assert!(
        bad.is_empty(),
        "docs/clauses.md names what is not there: {bad:#?}"
    );
}

/// The README, the changelog, every page of the manual, the examples' notes and each crate's
/// README.
fn markdown_files() -> Vec<PathBuf> {
    let mut files = vec![root().join("README.md"), root().join("CHANGELOG.md")];
    for dir in ["docs", "examples", "examples/cases", "tests/bad-inputs"] {
        for e in fs::read_dir(root().join(dir)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "md") {
                files.push(p);
            }
        }
    }
    for e in fs::read_dir(root().join("crates")).unwrap() {
        let readme = e.unwrap().path().join("README.md");
        if readme.is_file() {
            files.push(readme);
        }
    }
    files.sort();
    files
}

/// The info strings of a Markdown text's fenced code blocks, in order.
fn fence_infos(text: &str) -> Vec<String> {
    let mut infos = Vec::new();
    let mut open = false;
    for line in text.lines() {
        let l = line.trim_start();
        if let Some(rest) = l.strip_prefix("```") {
            if !open {
                infos.push(rest.trim().to_owned());
            }
            open = !open;
        }
    }
    infos
}

/// Every page with Rust blocks is run as doc tests: the core's `lib.rs` includes it under
/// `cfg(doctest)`. A block with no language would be read as Rust by rustdoc and left untested
/// elsewhere, so every block names its language.
#[test]
fn every_page_with_rust_blocks_is_a_doc_test() {
    let lib = read("crates/fupin/src/lib.rs");
    let root = root().canonicalize().unwrap();
    let mut bad = Vec::new();
    let mut included = 0;
    for file in markdown_files() {
        let rel = file
            .canonicalize()
            .unwrap()
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let text = fs::read_to_string(&file).unwrap();
        let infos = fence_infos(&text);
        if infos.iter().any(String::is_empty) {
            bad.push(format!(
                "{rel}: a code block without a language (```rust, ```text, …)"
            ));
        }
        if !infos.iter().any(|i| i == "rust" || i.starts_with("rust,")) {
            continue;
        }
        // From crates/fupin/src/lib.rs: `../README.md` is the crate's own, the rest from the root.
        let from_lib = if rel == "crates/fupin/README.md" {
            "../README.md".to_owned()
        } else {
            format!("../../../{rel}")
        };
        if lib.contains(&format!("#[doc = include_str!(\"{from_lib}\")]")) {
            included += 1;
        } else {
            bad.push(format!(
                "{rel} has Rust blocks: include it in crates/fupin/src/lib.rs as a doc test"
            ));
        }
    }
    assert!(included >= 3, "only {included} pages run as doc tests");
    assert!(bad.is_empty(), "{bad:#?}");
}

/// The anchors of a Markdown text's headings, as GitHub makes them: lowercase, spaces to `-`,
/// punctuation other than `-` and `_` dropped (letters of any script kept).
fn heading_anchors(text: &str) -> Vec<String> {
    let mut fenced = false;
    let mut anchors = Vec::new();
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        }
        let Some(title) = line.strip_prefix('#') else {
            continue;
        };
        if fenced {
            continue;
        }
        let title = title.trim_start_matches('#').trim();
        anchors.push(
            title
                .to_lowercase()
                .chars()
                .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
                .map(|c| if c == ' ' { '-' } else { c })
                .collect(),
        );
    }
    anchors
}

/// Every relative link of the README and the docs resolves to a file inside the repository,
/// and a link to a heading (`page.md#heading`) to a heading of that page.
#[test]
fn relative_links_resolve_inside_the_repository() {
    let root = root().canonicalize().unwrap();
    let mut bad = Vec::new();
    let mut links = 0;
    for file in markdown_files() {
        let text = fs::read_to_string(&file).unwrap();
        for part in text.split("](").skip(1) {
            let Some(end) = part.find(')') else { continue };
            let target = part[..end].split_whitespace().next().unwrap_or_default();
            if target.is_empty()
                || target.starts_with('#')
                || target.contains("://")
                || target.starts_with("mailto:")
            {
                continue;
            }
            links += 1;
            let (path, fragment) = target.split_once('#').unwrap_or((target, ""));
            let resolved = file.parent().unwrap().join(path);
            match resolved.canonicalize() {
                Ok(p) if p.starts_with(&root) => {
                    let is_md = p.extension().is_some_and(|x| x == "md");
                    if is_md && !fragment.is_empty() {
                        let anchors = heading_anchors(&fs::read_to_string(&p).unwrap());
                        if !anchors.iter().any(|a| a == fragment) {
                            bad.push(format!(
                                "{}: `{target}`: no heading `#{fragment}` in {path}",
                                file.display()
                            ));
                        }
                    }
                }
                Ok(p) => bad.push(format!(
                    "{}: `{target}` leaves the repository ({})",
                    file.display(),
                    p.display()
                )),
                Err(_) => bad.push(format!("{}: `{target}` does not exist", file.display())),
            }
        }
    }
    assert!(links > 0, "no relative link read");
    assert!(bad.is_empty(), "{bad:#?}");
}

/// The project cites the plan by its number and its own clause map, never files outside it.
#[test]
fn nothing_points_outside_the_repository() {
    let mut files = markdown_files();
    let mut stack = vec![
        root().join("crates"),
        root().join("python"),
        root().join("tests"),
        root().join("examples"),
        root().join("benches"),
    ];
    while let Some(dir) = stack.pop() {
        for e in fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            if p.is_dir() {
                if name != "target" && !name.starts_with('.') {
                    stack.push(p);
                }
            } else if [".rs", ".toml", ".py", ".pyi", ".md"]
                .iter()
                .any(|x| name.ends_with(x))
            {
                files.push(p);
            }
        }
    }
    // Spelled in pieces, so that this file is held to the rule like every other.
    const OUTSIDE: [&str; 2] = [concat!("..", "/shared"), concat!("DOMAIN", ".md")];
    let mut bad = Vec::new();
    for file in &files {
        let text = fs::read_to_string(file).unwrap_or_default();
        for needle in OUTSIDE {
            if text.contains(needle) {
                bad.push(format!("{}: mentions `{needle}`", file.display()));
            }
        }
    }
    assert!(files.len() > 50, "read only {} files", files.len());
    assert!(
        bad.is_empty(),
        "cite docs/clauses.md and 朝财农〔2020〕67号 instead: {bad:#?}"
    );
}
