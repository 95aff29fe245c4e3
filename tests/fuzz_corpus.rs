//! Replays every input committed under `tests/fuzz/corpus/` through the fuzz targets'
//! own code (`huiqi::fuzzing`), so `cargo test` on stable Rust, with no cargo-fuzz,
//! keeps what the fuzzers found fixed. The long fuzz runs are `tests/fuzz/run.sh`.

use std::path::{Path, PathBuf};

fn replay(target: &str, run: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz/corpus").join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("corpus entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no corpus for {target} in {}", dir.display());
    for file in &files {
        let data = std::fs::read(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        // Name the input that broke, not just the assertion.
        if std::panic::catch_unwind(|| run(&data)).is_err() {
            panic!("{target} fails on {}", file.display());
        }
    }
}

#[test]
fn evaluate_profile_corpus() {
    replay("evaluate_profile", huiqi::fuzzing::evaluate_profile);
}

#[test]
fn load_bundle_corpus() {
    replay("load_bundle", huiqi::fuzzing::load_bundle);
}

#[test]
fn share_link_corpus() {
    replay("share_link", huiqi::fuzzing::share_link);
}

#[test]
fn rule_expression_corpus() {
    replay("rule_expression", huiqi::fuzzing::rule_expression);
}

/// The seeds of the bundle fuzzer are valid bundles, so it starts past the validator.
#[test]
fn bundle_seeds_are_valid() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz/corpus/load_bundle");
    for name in ["binjiang-2024-nine-benefits.json", "hangzhou-2025-four-benefits.json", "one-city-document-with-cap.json"] {
        let text = std::fs::read_to_string(dir.join(name)).expect("seed bundle");
        if let Err(errors) = huiqi::Bundle::from_json(&text, "seed") {
            panic!("{name}: {errors:?}");
        }
    }
}
