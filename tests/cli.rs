//! The `huiqi` command line, run as a user would.

use std::process::Command;

fn huiqi(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_huiqi")).args(args).output().expect("run huiqi");
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

fn profile(name: &str) -> String {
    format!("{}/tests/profiles/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn check_passes() {
    let (code, out, err) = huiqi(&["check"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.starts_with("ok: bundle"), "{out}");
}

#[test]
fn evaluate_reports_the_rd_increase_subsidy_with_its_clause() {
    let (code, out, err) = huiqi(&["evaluate", &profile("binjiang-tech-sme.json"), "--as-of", "2024-06-30", "--json"]);
    assert_eq!(code, 0, "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rd = report["benefits"].as_array().unwrap().iter().find(|b| b["id"] == "binjiang-2024-rd-increase-sme").unwrap();
    assert_eq!(rd["status"], "eligible");
    assert_eq!(rd["amount"], "250000.00");
    assert_eq!(rd["up_to"], true);
    assert_eq!(rd["cap"], "2000000.00");
    assert_eq!(rd["level"], "district");
    assert!(rd["citation"]["clause"].as_str().unwrap().contains("按不超過新增額5%給予補助"));
    assert!(rd["trace"].as_str().unwrap().contains("5% × 500万元 = 25万元"));
    assert_eq!(report["as_of"], "2024-06-30");
    assert_eq!(report["bundle"]["hash"].as_str().unwrap().len(), 64);
    assert!(report["totals"]["district"].as_str().unwrap().parse::<f64>().is_ok());

    // The same in words.
    let (code, out, _) = huiqi(&["evaluate", &profile("binjiang-tech-sme.json"), "--as-of", "2024-06-30", "--lang", "en"]);
    assert_eq!(code, 0);
    assert!(out.contains("up to ¥250,000 (25万)"), "{out}");
}

#[test]
fn bad_profile_exits_2_naming_the_fact() {
    let dir = std::env::temp_dir().join(format!("huiqi-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.json");
    std::fs::write(&bad, r#"{"district": "binjiang", "rd_spend": "-5万", "headcount_typo": 3}"#).unwrap();
    let (code, _, err) = huiqi(&["evaluate", bad.to_str().unwrap(), "--lang", "en"]);
    assert_eq!(code, 2);
    assert!(err.contains("rd_spend: must not be less than 0万元"), "{err}");
    assert!(err.contains("headcount_typo: no such question"), "{err}");

    std::fs::write(&bad, "{ not json").unwrap();
    let (code, _, err) = huiqi(&["evaluate", bad.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("not valid JSON"), "{err}");

    let (code, _, err) = huiqi(&["evaluate", &profile("binjiang-tech-sme.json"), "--as-of", "2024-02-30"]);
    assert_eq!(code, 2);
    assert!(err.contains("not a date"), "{err}");

    let (code, _, _) = huiqi(&["frobnicate"]);
    assert_eq!(code, 2);
}

#[test]
fn coverage_lists_documents_benefits_and_cases() {
    let (code, out, _) = huiqi(&["coverage", "--json"]);
    assert_eq!(code, 0);
    let cov: serde_json::Value = serde_json::from_str(&out).unwrap();
    let docs = cov["documents"].as_array().unwrap();
    for id in ["binjiang-2024", "hangzhou-producer-services-2024"] {
        let doc = docs.iter().find(|d| d["id"] == id).unwrap_or_else(|| panic!("{id} missing"));
        assert!(!doc["benefits"].as_array().unwrap().is_empty());
    }
    let (code, out, _) = huiqi(&["coverage"]);
    assert_eq!(code, 0);
    assert!(out.contains("binjiang-2024-rd-increase-sme"));
}

#[test]
fn facts_json_is_the_catalogue() {
    let (code, out, _) = huiqi(&["facts", "--json"]);
    assert_eq!(code, 0);
    let facts: serde_json::Value = serde_json::from_str(&out).unwrap();
    let district = facts["facts"].as_array().unwrap().iter().find(|f| f["id"] == "district").unwrap();
    assert_eq!(district["kind"], "choice");
    assert!(district["label"]["zh"].as_str().unwrap().contains("区"));
}

#[test]
fn linan_amounts_say_they_include_city_funds() {
    let (code, out, err) = huiqi(&["evaluate", &profile("linan-high-tech.json"), "--as-of", "2025-06-30", "--json"]);
    assert_eq!(code, 0, "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let benefits = report["benefits"].as_array().unwrap();
    let award = benefits.iter().find(|b| b["id"] == "linan-2025-high-tech-enterprise").unwrap();
    assert_eq!(award["status"], "eligible");
    assert_eq!(award["amount"], "200000.00");
    assert!(award["funding"].as_str().unwrap().contains("含市级资金"));
    // A Lin'an company never sees a Binjiang benefit as eligible: the district fails.
    let binjiang = benefits.iter().find(|b| b["id"] == "binjiang-2024-rd-increase-sme").unwrap();
    assert_eq!(binjiang["status"], "not_in_force");
    let (_, out, _) = huiqi(&["evaluate", &profile("linan-high-tech.json"), "--as-of", "2024-06-30", "--json"]);
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let binjiang = report["benefits"].as_array().unwrap().iter().find(|b| b["id"] == "binjiang-2024-provincial-tech-sme").unwrap();
    assert_eq!(binjiang["status"], "not_eligible");
    assert!(binjiang["failing"][0].as_str().unwrap().contains("滨江区"), "{}", binjiang["failing"]);
}

#[test]
fn a_policy_year_assesses_that_years_editions_and_says_when_to_claim() {
    let p = profile("binjiang-tech-sme.json");
    // On 2026-12-05 the Binjiang 2024 edition is out of force "now"...
    let (code, out, err) = huiqi(&["evaluate", &p, "--as-of", "2026-12-05", "--json"]);
    assert_eq!(code, 0, "{err}");
    let now: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rd = |r: &serde_json::Value| r["benefits"].as_array().unwrap().iter().find(|b| b["id"] == "binjiang-2024-rd-increase-sme").unwrap().clone();
    assert_eq!((rd(&now)["status"].as_str(), now["policy_year"].is_null()), (Some("not_in_force"), true));
    // ...but for the 2024 results it is assessed, with no application window stated.
    let (code, out, err) = huiqi(&["evaluate", &p, "--as-of", "2026-12-05", "--policy-year", "2024", "--json"]);
    assert_eq!(code, 0, "{err}");
    let y2024: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(y2024["policy_year"], 2024);
    assert_eq!((rd(&y2024)["status"].as_str(), rd(&y2024)["amount"].as_str()), (Some("eligible"), Some("250000.00")));
    assert_eq!((rd(&y2024)["claim"].as_str(), rd(&y2024)["claim_text"].as_str()), (Some("not_stated"), Some("申报时间未载明")));
    // `latest` for a Binjiang company on 2026-12-05 is 2025 (the city's 2025 edition).
    let (code, out, err) = huiqi(&["evaluate", &p, "--as-of", "2026-12-05", "--policy-year", "latest", "--json"]);
    assert_eq!(code, 0, "{err}");
    let latest: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(latest["policy_year"], 2025);
    // In words, with the claim line.
    let (code, out, _) = huiqi(&["evaluate", &p, "--as-of", "2026-12-05", "--policy-year", "2024", "--lang", "en"]);
    assert_eq!(code, 0);
    assert!(out.contains("policy year 2024") && out.contains("claim: application window not stated"), "{out}");
    // A bad year is refused with the reason.
    let (code, _, err) = huiqi(&["evaluate", &p, "--policy-year", "20x5"]);
    assert_eq!(code, 2);
    assert!(err.contains("--policy-year `20x5` is not a year"), "{err}");
}

#[test]
fn changes_lists_what_ends_within_90_days() {
    let (code, out, err) = huiqi(&["changes", "--as-of", "2025-10-02", "--json"]);
    assert_eq!(code, 0, "{err}");
    let c: serde_json::Value = serde_json::from_str(&out).unwrap();
    let ends: Vec<(&str, i64)> = c["expiring"].as_array().unwrap().iter().map(|e| (e["document"].as_str().unwrap(), e["days_left"].as_i64().unwrap())).collect();
    assert!(ends.contains(&("hangzhou-2025", 90)), "{ends:?}");
    assert!(!ends.contains(&("binjiang-2024", 0)), "the 2024 edition ended long before");
    let (code, out, _) = huiqi(&["changes", "--as-of", "2025-10-02", "--lang", "en"]);
    assert_eq!(code, 0);
    assert!(out.contains("in force until 2025-12-31 (90 days left)"), "{out}");
    let (code, _, err) = huiqi(&["changes", "--as-of", "2025-13-01"]);
    assert_eq!((code, err.contains("not a date")), (2, true), "{err}");
}

/// A scratch directory of its own for each test.
fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("huiqi-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn build_writes_the_embedded_bundle_and_the_hash_file_load_bundle_checks() {
    let out = scratch("build").join("rules.json");
    let rules = format!("{}/rules", env!("CARGO_MANIFEST_DIR"));
    let (code, stdout, err) = huiqi(&["build", &rules, "-o", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{stdout}{err}");
    let json = std::fs::read_to_string(&out).unwrap();
    assert_eq!(json, huiqi::bundle::EMBEDDED_JSON, "the CLI compiles what build.rs embeds");
    let hash = std::fs::read_to_string(out.with_extension("json.sha256")).unwrap();
    assert_eq!(hash, format!("{}  rules.json\n", huiqi::bundle::EMBEDDED_HASH.trim()));
    // The hash file's first word is what loadBundle is given as `sha256`.
    let first = hash.split_whitespace().next().unwrap();
    assert!(huiqi::api::load_bundle(&json, Some(first), huiqi::Lang::En).is_ok());
    assert!(stdout.starts_with("ok: "), "{stdout}");
}

#[test]
fn build_reports_bad_rule_files_with_their_place_in_both_languages_and_writes_nothing() {
    let dir = scratch("bad");
    let rules = dir.join("rules");
    std::fs::create_dir_all(&rules).unwrap();
    let src = format!("{}/rules", env!("CARGO_MANIFEST_DIR"));
    for name in ["bundle.toml", "facts.toml", "hangzhou-business-registration-2021.toml"] {
        std::fs::copy(format!("{src}/{name}"), rules.join(name)).unwrap();
    }
    std::fs::create_dir_all(rules.join("facts")).unwrap();
    for entry in std::fs::read_dir(format!("{src}/facts")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, rules.join("facts").join(path.file_name().unwrap())).unwrap();
    }
    let doc = rules.join("hangzhou-business-registration-2021.toml");
    let good = std::fs::read_to_string(&doc).unwrap();
    let out = dir.join("rules.json");
    let build = || huiqi(&["build", rules.to_str().unwrap(), "-o", out.to_str().unwrap()]);

    // A truncated file: a syntax error at its line.
    std::fs::write(&doc, &good[..good.find("[[benefit]]").unwrap() + 20]).unwrap();
    let (code, _, err) = build();
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("hangzhou-business-registration-2021.toml:"), "{err}");
    assert!(err.contains("TOML syntax error") && err.contains("TOML 语法错误"), "{err}");

    // An unknown fact: the benefit, the line, and both languages.
    std::fs::write(&doc, good.replacen("setting_up_company", "setting_up_compny", 1)).unwrap();
    let (code, _, err) = build();
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("benefit `hangzhou-business-registration-2021-free-e-seal`"), "{err}");
    assert!(err.contains("unknown fact `setting_up_compny`") && err.contains("没有名为"), "{err}");

    // A 10 MB file is refused by its size, without a panic.
    std::fs::write(&doc, format!("# {}\n", "x".repeat(10 << 20))).unwrap();
    let (code, _, err) = build();
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("limit") && !err.contains("panicked"), "{err}");
    assert!(!out.exists(), "nothing is written when the rules have errors");
}

#[test]
fn match_evaluates_a_register_and_reports_bad_cells_and_headers() {
    let dir = std::env::temp_dir().join(format!("huiqi-cli-match-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let register = dir.join("register.csv");
    std::fs::write(
        &register,
        "统一社会信用代码,企业名称,所在区,tech_enterprise,tech_sme_scale,rd_spend,rd_spend_prev\n\
         91330108MA1,甲公司,滨江区,是,是,1500万,1000万\n\
         91330108MA2,乙公司,滨江区,是,是,abc,1000万\n",
    )
    .unwrap();
    let map = dir.join("map.toml");
    std::fs::write(&map, "[columns]\n\"所在区\" = \"district\"\n").unwrap();
    let out = dir.join("results.csv");
    let (code, stdout, err) = huiqi(&["match", register.to_str().unwrap(), "--as-of", "2024-06-30", "--columns", map.to_str().unwrap(), "-o", out.to_str().unwrap(), "--lang", "en"]);
    assert_eq!(code, 0, "{err}");
    assert!(stdout.is_empty());
    assert!(err.contains("2 companies, 2 with an eligible benefit"), "{err}");
    let results = std::fs::read_to_string(&out).unwrap();
    assert!(results.lines().any(|l| l.starts_with("2,91330108MA1,甲公司,binjiang-2024-rd-increase-sme,eligible,250000.00,")), "{results}");
    let problems = std::fs::read_to_string(dir.join("results.problems.csv")).unwrap();
    assert!(problems.contains("3,F,rd_spend,abc,"), "{problems}");
    assert!(std::fs::read_to_string(dir.join("results.summary.csv")).unwrap().contains("binjiang-2024-rd-increase-sme,binjiang-2024,（十三）,district,1,250000.00"));

    // Without the mapping file 所在区 is no fact's label: the run does not start, and says why.
    let (code, _, err) = huiqi(&["match", register.to_str().unwrap(), "--as-of", "2024-06-30", "--lang", "en"]);
    assert_eq!(code, 2);
    assert!(err.contains("1 unknown column(s): column C “所在区”"), "{err}");
    // The date is required, so a register gives the same results on any day.
    let (code, _, err) = huiqi(&["match", register.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("--as-of"), "{err}");
}
