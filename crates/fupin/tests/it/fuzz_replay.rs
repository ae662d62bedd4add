//! The fuzz targets' bodies (`fuzz/src/lib.rs`) on stable, in `cargo test`: every seed the
//! campaign starts from (`examples/`, the embedded plan and data), every file of the bad-input
//! corpus (`tests/bad-inputs/`) and every input a campaign ever found (`fuzz/regressions/`)
//! goes through every target — none may panic, and each target's round trips must hold.
//! The long campaign is `scripts/fuzz`.

#[path = "../../../../fuzz/src/lib.rs"]
mod targets;

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every file under `dir`, sorted, recursively.
fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn replay(dirs: &[&str]) -> usize {
    let mut all = Vec::new();
    for d in dirs {
        files(&root().join(d), &mut all);
    }
    let mut failed = Vec::new();
    for path in &all {
        let bytes = std::fs::read(path).unwrap();
        for (name, body) in targets::TARGETS {
            if let Err(e) = std::panic::catch_unwind(|| body(&bytes)) {
                let why = e
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| e.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                    .unwrap_or_default();
                failed.push(format!("{name} on {}: {why}", path.display()));
            }
        }
    }
    assert!(
        failed.is_empty(),
        "{} failures:\n{}",
        failed.len(),
        failed.join("\n")
    );
    all.len()
}

#[test]
fn the_seeds_pass_every_fuzz_target() {
    let n = replay(&["examples", "crates/fupin/data"]);
    assert!(n >= 10, "only {n} seeds");
}

#[test]
fn the_bad_input_corpus_passes_every_fuzz_target() {
    let n = replay(&["tests/bad-inputs"]);
    assert!(n >= 100, "only {n} bad inputs");
}

#[test]
fn every_input_a_campaign_found_passes_every_fuzz_target() {
    replay(&["fuzz/regressions"]);
}

/// Each target's name is a binary of the fuzz crate.
#[test]
fn every_target_has_a_cargo_fuzz_binary() {
    for (name, _) in targets::TARGETS {
        let bin = root().join("fuzz/fuzz_targets").join(format!("{name}.rs"));
        assert!(bin.exists(), "{} is missing", bin.display());
    }
}
