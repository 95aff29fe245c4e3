//! Turns the human-written rule files (`rules/*.toml`) into one JSON bundle that the
//! library embeds (plus the documents' `left_out` clauses, kept apart in coverage.json). The compilation is the library's `src/compile.rs` (TOML syntax, with file and line); everything
//! semantic — unknown facts, types, citations, dates — is checked by the library's
//! loader, which `cargo test` and `huiqi check` run.

// The library's own calendar code, so the build date is computed the same way.
#[allow(dead_code)]
#[path = "src/date.rs"]
mod date;
// The library's rule compiler: the same code as `huiqi build` and the studio.
#[allow(dead_code)]
#[path = "src/compile.rs"]
mod compile;
use std::{env, fs, path::Path};

/// The rule files under `rules/` (and `rules/facts/`) as (name, text) pairs.
fn read_rules(rules: &Path) -> Vec<(String, String)> {
    let mut files = Vec::new();
    for (dir, prefix) in [(rules.to_path_buf(), ""), (rules.join("facts"), "facts/")] {
        println!("cargo:rerun-if-changed={}", dir.display());
        let Ok(entries) = fs::read_dir(&dir) else { continue };
        for entry in entries {
            let path = entry.expect("rules/ entry").path();
            if path.extension().is_some_and(|x| x == "toml") && path.is_file() {
                println!("cargo:rerun-if-changed={}", path.display());
                let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                files.push((format!("{prefix}{}", path.file_name().unwrap().to_string_lossy()), text));
            }
        }
    }
    files
}

fn main() {
    let files = read_rules(Path::new("rules"));
    let pairs: Vec<(&str, &str)> = files.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
    let compiled = compile::compile(&pairs).unwrap_or_else(|errors| {
        let all: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        panic!("\n{}", all.join("\n"))
    });

    let out = env::var("OUT_DIR").unwrap();
    let out = Path::new(&out);
    fs::write(out.join("bundle.json"), &compiled.bundle_json).unwrap();
    fs::write(out.join("bundle.sha256"), &compiled.hash).unwrap();
    fs::write(out.join("coverage.json"), &compiled.coverage_json).unwrap();
    fs::write(out.join("cases.json"), &compiled.cases_json).unwrap();
    fs::write(out.join("bundle.built"), build_date()).unwrap();
}

/// The UTC day of this build, shown by the JS API's `bundleInfo()`. Honours
/// SOURCE_DATE_EPOCH so a reproducible build can pin it. Kept out of the bundle itself,
/// so the bundle's hash depends on the rules alone.
fn build_date() -> String {
    println!("cargo:rerun-if-env-changed=SOURCE_DATE_EPOCH");
    let seconds = env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.parse::<i64>().ok())
        .unwrap_or_else(|| {
            let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
            now.map(|d| d.as_secs() as i64).unwrap_or(0)
        });
    date::Date::from_unix_days(seconds.div_euclid(86_400)).map(|d| d.to_string()).unwrap_or_default()
}
