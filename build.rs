//! Turns the human-written rule files (`rules/*.toml`) into one JSON bundle that the
//! library embeds (plus the documents' `left_out` clauses, kept apart in coverage.json). Only TOML syntax is checked here (with file and line); everything
//! semantic — unknown facts, types, citations, dates — is checked by the library's
//! loader, which `cargo test` and `huiqi check` run.

use sha2::{Digest, Sha256};

// The library's own calendar code, so the build date is computed the same way.
#[allow(dead_code)]
#[path = "src/date.rs"]
mod date;
use std::{env, fs, path::Path};

fn read_toml(path: &Path) -> serde_json::Value {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let value: toml::Value =
        toml::from_str(&text).unwrap_or_else(|e| panic!("\n{}: {e}", path.display()));
    serde_json::to_value(value).expect("TOML values are JSON-representable")
}

fn main() {
    let rules = Path::new("rules");
    println!("cargo:rerun-if-changed=rules");

    let mut files: Vec<_> = fs::read_dir(rules)
        .expect("rules/ directory")
        .map(|e| e.expect("rules/ entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();

    let bundle_meta = read_toml(&rules.join("bundle.toml"));
    // The catalogue is rules/facts.toml plus any rules/facts/*.toml, so facts can be
    // kept beside the documents that introduced them.
    let mut facts = read_toml(&rules.join("facts.toml"));
    println!("cargo:rerun-if-changed=rules/facts");
    let mut extra: Vec<_> = fs::read_dir(rules.join("facts"))
        .map(|dir| dir.map(|e| e.expect("rules/facts entry").path()).collect())
        .unwrap_or_default();
    extra.retain(|p: &std::path::PathBuf| p.extension().is_some_and(|x| x == "toml"));
    extra.sort();
    for path in extra {
        println!("cargo:rerun-if-changed={}", path.display());
        let more = read_toml(&path);
        for key in ["section", "fact", "derived", "item_kind"] {
            if let Some(items) = more.get(key).and_then(|v| v.as_array()) {
                let list = facts.as_object_mut().unwrap().entry(key).or_insert(serde_json::json!([]));
                list.as_array_mut().unwrap().extend(items.iter().cloned());
            }
        }
    }
    let mut documents = Vec::new();
    let mut coverage = Vec::new();
    let mut cases = Vec::new();
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        println!("cargo:rerun-if-changed={}", path.display());
        if name == "bundle.toml" || name == "facts.toml" {
            continue;
        }
        let mut value = read_toml(path);
        let file = format!("rules/{name}");
        value["file"] = serde_json::Value::String(file.clone());
        if name.ends_with(".cases.toml") {
            cases.push(value);
        } else {
            // The clauses a document deliberately leaves out are coverage-audit data: only
            // the CLI and the tests read them, so they go to their own file, not into the
            // bundle that the web app embeds (and whose hash it shows).
            if let Some(left_out) = value.as_object_mut().unwrap().remove("left_out") {
                coverage.push(serde_json::json!({ "file": file, "left_out": left_out }));
            }
            documents.push(value);
        }
    }

    let bundle = serde_json::json!({
        "version": bundle_meta["version"],
        "facts": facts,
        "documents": documents,
    });
    let bundle_text = serde_json::to_string(&bundle).unwrap();
    let hash = Sha256::digest(bundle_text.as_bytes());
    let hash_hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();

    let out = env::var("OUT_DIR").unwrap();
    let out = Path::new(&out);
    fs::write(out.join("bundle.json"), &bundle_text).unwrap();
    fs::write(out.join("bundle.sha256"), &hash_hex).unwrap();
    fs::write(out.join("coverage.json"), serde_json::to_string(&coverage).unwrap()).unwrap();
    fs::write(out.join("cases.json"), serde_json::to_string(&cases).unwrap()).unwrap();
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
