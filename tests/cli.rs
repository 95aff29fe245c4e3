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
