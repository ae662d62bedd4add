//! The command-line examples of the README and the manual run as shown.
//!
//! Every ```` ```console ```` block of `README.md`, `docs/*.md` and the crates' READMEs is a
//! session: each `$ fupin …` line runs against the built binary, in a scratch directory holding
//! copies of `examples/` and `tests/bad-inputs/` (so `-o 通报.xlsx` and `> my-policy.toml` write there, and a later line
//! of the same block reads what an earlier one wrote), and the lines shown under it are what it
//! prints — standard output, then standard error — line for line (trailing spaces aside), a line
//! `...` standing for any number of lines. A command with no lines under it must only succeed.
//! A command exits 0 unless its comment says `# exit N`.
//!
//! A block that cannot run here (it starts a service, needs a key made at random, calls `curl`
//! or `cargo`) is marked on the line before it with `<!-- not run: the reason -->`; a block that
//! is neither marked nor runnable fails this test, saying why.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // a failing test may panic; slices are within their bounds

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The Markdown files whose console blocks are run.
fn pages() -> Vec<PathBuf> {
    let root = root();
    let mut files = vec![root.join("README.md")];
    for dir in ["docs", "crates"] {
        let mut entries: Vec<PathBuf> = fs::read_dir(root.join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                let readme = p.join("README.md");
                if readme.is_file() {
                    files.push(readme);
                }
            } else if p.extension().is_some_and(|x| x == "md") {
                files.push(p);
            }
        }
    }
    files
}

/// A ```` ```console ```` block: where it is, its lines, and the reason it is not run, if any.
struct Block {
    place: String,
    lines: Vec<String>,
    not_run: Option<String>,
}

fn console_blocks(file: &Path) -> Vec<Block> {
    let text = fs::read_to_string(file).unwrap();
    let name = file
        .strip_prefix(root())
        .unwrap_or(file)
        .display()
        .to_string();
    let mut blocks = Vec::new();
    let mut lines = text.lines().enumerate();
    let mut before = "";
    while let Some((n, line)) = lines.next() {
        if line.trim_start().starts_with("```") {
            let lang = line.trim_start().trim_start_matches('`').trim();
            let mut body = Vec::new();
            for (_, l) in lines.by_ref() {
                if l.trim_start().starts_with("```") {
                    break;
                }
                body.push(l.to_owned());
            }
            if lang == "console" {
                let not_run = before
                    .trim()
                    .strip_prefix("<!-- not run:")
                    .and_then(|r| r.strip_suffix("-->"))
                    .map(|r| r.trim().to_owned());
                blocks.push(Block {
                    place: format!("{name}:{}", n + 1),
                    lines: body,
                    not_run,
                });
            }
            before = "";
        } else if !line.trim().is_empty() {
            before = line;
        }
    }
    blocks
}

/// A command line of a block: its words, where its standard output goes, the exit status it
/// expects.
struct Run {
    shown: String,
    words: Vec<String>,
    stdout_to: Option<String>,
    status: i32,
}

/// Split a command line as a POSIX shell would for the subset the docs use: words, '…' and
/// "…" quotes, `> FILE`, a `# comment`. Anything else a shell would interpret is refused.
fn parse(line: &str) -> Result<Run, String> {
    let mut words: Vec<String> = Vec::new();
    let mut word: Option<String> = None;
    let mut comment = "";
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            ' ' | '\t' => {
                if let Some(w) = word.take() {
                    words.push(w);
                }
            }
            '#' if word.is_none() => {
                comment = line[i + 1..].trim();
                break;
            }
            '\'' => {
                let w = word.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        Some((_, '\'')) => break,
                        Some((_, c)) => w.push(c),
                        None => return Err("an unclosed ' quote".into()),
                    }
                }
            }
            '"' => {
                let w = word.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        Some((_, '"')) => break,
                        Some((_, '\\')) => match chars.next() {
                            Some((_, c @ ('"' | '\\' | '$' | '`'))) => w.push(c),
                            Some((_, c)) => {
                                w.push('\\');
                                w.push(c);
                            }
                            None => return Err("an unclosed \" quote".into()),
                        },
                        Some((_, '$' | '`')) => {
                            return Err("a substitution inside \"…\"".into());
                        }
                        Some((_, c)) => w.push(c),
                        None => return Err("an unclosed \" quote".into()),
                    }
                }
            }
            '>' if word.is_none() => words.push(">".into()),
            '|' | '<' | ';' | '&' | '$' | '`' | '(' | ')' | '*' | '?' | '\\' | '>' => {
                return Err(format!("shell syntax `{c}`"));
            }
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    if let Some(w) = word.take() {
        words.push(w);
    }
    let mut stdout_to = None;
    if let Some(at) = words.iter().position(|w| w == ">") {
        match &words[at..] {
            [_, file] => stdout_to = Some(file.clone()),
            _ => return Err("`>` must be followed by one file, at the end".into()),
        }
        words.truncate(at);
    }
    if words.first().map(String::as_str) != Some("fupin") {
        return Err(format!(
            "`{}` is not a fupin command",
            words.first().map_or("", String::as_str)
        ));
    }
    let status = match comment.strip_prefix("exit ") {
        Some(n) => n
            .split_whitespace()
            .next()
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| format!("a bad `# exit N` comment: {comment}"))?,
        None => 0,
    };
    words.remove(0);
    Ok(Run {
        shown: line.to_owned(),
        words,
        stdout_to,
        status,
    })
}

/// The commands of a block, each with the lines shown under it.
fn session(block: &Block) -> Result<Vec<(Run, Vec<String>)>, String> {
    let mut out: Vec<(Run, Vec<String>)> = Vec::new();
    let mut lines = block.lines.iter();
    while let Some(line) = lines.next() {
        if let Some(cmd) = line.strip_prefix("$ ") {
            let mut cmd = cmd.trim_end().to_owned();
            while let Some(head) = cmd.strip_suffix('\\') {
                let next = lines.next().ok_or("a `\\` on the last line")?;
                cmd = format!("{head} {}", next.trim());
            }
            out.push((parse(&cmd)?, Vec::new()));
        } else {
            match out.last_mut() {
                Some((_, shown)) => shown.push(line.clone()),
                None => return Err("output before the first `$ ` line".into()),
            }
        }
    }
    if out.is_empty() {
        return Err("no `$ fupin …` line".into());
    }
    Ok(out)
}

/// Whether `actual` reads as `expected`, where a line `...` stands for any number of lines.
fn matches(expected: &[String], actual: &[&str]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((e, rest)) if e.trim() == "..." => {
            (0..=actual.len()).any(|i| matches(rest, &actual[i..]))
        }
        Some((e, rest)) => actual
            .split_first()
            .is_some_and(|(a, tail)| a.trim_end() == e.trim_end() && matches(rest, tail)),
    }
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let target = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_dir(&p, &target);
        } else {
            fs::copy(&p, &target).unwrap();
        }
    }
}

/// Run one block; every failure is described.
fn run_block(block: &Block, failures: &mut Vec<String>) {
    let commands = match session(block) {
        Ok(c) => c,
        Err(why) => {
            failures.push(format!(
                "{}: cannot run ({why}); mark it `<!-- not run: reason -->` or make it runnable",
                block.place
            ));
            return;
        }
    };
    let scratch = tempfile::tempdir().unwrap();
    for dir in ["examples", "tests/bad-inputs"] {
        copy_dir(&root().join(dir), &scratch.path().join(dir));
    }
    for (run, shown) in commands {
        let out = Command::new(env!("CARGO_BIN_EXE_fupin"))
            .args(&run.words)
            .current_dir(scratch.path())
            .env_remove("FUPIN_MAX_INPUT_BYTES")
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        let mut printed = String::new();
        match &run.stdout_to {
            Some(file) => fs::write(scratch.path().join(file), &out.stdout).unwrap(),
            None => printed.push_str(&stdout),
        }
        printed.push_str(&stderr);
        let code = out.status.code().unwrap_or(-1);
        let mut why = String::new();
        if code != run.status {
            let _ = write!(why, "exit {code}, expected {}; ", run.status);
        }
        let actual: Vec<&str> = printed.lines().collect();
        if !shown.is_empty() && !matches(&shown, &actual) {
            let _ = write!(why, "the lines shown are not what it prints; ");
        }
        if !why.is_empty() {
            failures.push(format!(
                "{}: `{}`: {why}it printed:\n{printed}",
                block.place, run.shown
            ));
        }
    }
}

#[test]
fn every_console_block_of_the_docs_runs_as_shown() {
    let mut failures = Vec::new();
    let (mut ran, mut not_run) = (0, 0);
    for page in pages() {
        for block in console_blocks(&page) {
            match &block.not_run {
                Some(reason) if reason.is_empty() => {
                    failures.push(format!("{}: `not run` without a reason", block.place));
                }
                Some(_) => not_run += 1,
                None => {
                    ran += 1;
                    run_block(&block, &mut failures);
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {ran} blocks fail:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    // The manual shows the command at work: most of its sessions run.
    assert!(
        ran >= 10 && ran > not_run,
        "{ran} blocks run, {not_run} not"
    );
}

#[test]
fn the_session_reader_reads_what_a_shell_would() {
    let run = parse(r#"fupin score --card a --input "my file.json" --lang en   # exit 2"#).unwrap();
    assert_eq!(
        run.words,
        [
            "score",
            "--card",
            "a",
            "--input",
            "my file.json",
            "--lang",
            "en"
        ]
    );
    assert_eq!(run.status, 2);
    let run = parse("fupin policy show > 'my policy.toml'").unwrap();
    assert_eq!(run.words, ["policy", "show"]);
    assert_eq!(run.stdout_to.as_deref(), Some("my policy.toml"));
    for bad in [
        "curl -s localhost:8080/healthz",
        "fupin report | head",
        "fupin score --input \"$(cat x)\"",
        "fupin report > a b",
        "fupin report 'open",
    ] {
        assert!(parse(bad).is_err(), "{bad}");
    }
    let shown = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    assert!(matches(&shown(&["a", "...", "d"]), &["a", "b", "c", "d  "]));
    assert!(matches(&shown(&["...", "c", "..."]), &["a", "b", "c", "d"]));
    assert!(!matches(&shown(&["a", "c"]), &["a", "b", "c"]));
    assert!(!matches(&shown(&["a", "..."]), &["b"]));
}
