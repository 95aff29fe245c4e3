//! Rule tests as data: named cases (a profile, an as-of date, the expected statuses and
//! amounts) in `rules/*.cases.toml`, beside the rules they test, run by one driver.

use crate::bundle::Bundle;
use crate::date::Date;
use crate::engine::{evaluate_for, Timing};
use crate::money::{format_yuan, parse_number, Unit};
use crate::report::{claim_code, status_code, validity_code};
use rust_decimal::Decimal;
use serde::Deserialize;

/// The cases compiled into this binary, as JSON made by `build.rs`.
pub const EMBEDDED_CASES_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/cases.json"));

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseFile {
    pub file: String,
    #[serde(rename = "case", default)]
    pub cases: Vec<Case>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    pub name: String,
    pub as_of: String,
    /// "Our results of 2025": evaluate for that policy year (see `engine::Timing`).
    #[serde(default)]
    pub policy_year: Option<i32>,
    pub profile: serde_json::Value,
    #[serde(default)]
    pub expect: Vec<Expectation>,
    #[serde(default)]
    pub totals: Option<ExpectedTotals>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expectation {
    pub benefit: String,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub validity: Option<String>,
    /// not_stated | open | not_yet_open | closed | after_period
    #[serde(default)]
    pub claim: Option<String>,
    /// "25万", "0", or "case_by_case".
    #[serde(default)]
    pub amount: Option<String>,
    #[serde(default)]
    pub max_amount: Option<String>,
    #[serde(default)]
    pub missing: Option<Vec<String>>,
    #[serde(default)]
    pub superseded_by: Option<String>,
    /// For status `alternative`: the benefit of the group counted instead.
    #[serde(default)]
    pub alternative_to: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedTotals {
    #[serde(default)]
    pub province: Option<String>,
    #[serde(default)]
    pub city: Option<String>,
    #[serde(default)]
    pub district: Option<String>,
    #[serde(default)]
    pub overall: Option<String>,
}

pub fn embedded_cases() -> Result<Vec<CaseFile>, String> {
    serde_json::from_str(EMBEDDED_CASES_JSON).map_err(|e| format!("rule cases: {e}"))
}

#[derive(Debug, Default)]
pub struct CaseRun {
    pub cases: usize,
    pub passed: usize,
    pub failures: Vec<String>,
}

fn money(text: &str) -> Result<Decimal, String> {
    match parse_number(text) {
        Ok((v, Unit::Money | Unit::Plain)) => Ok(v),
        _ => Err(format!("`{text}` is not an amount")),
    }
}

/// Runs one case; returns what did not match.
pub fn run_case(bundle: &Bundle, case: &Case) -> Vec<String> {
    let mut problems = Vec::new();
    let Some(as_of) = Date::parse(&case.as_of) else {
        return vec![format!("as_of `{}` is not a date", case.as_of)];
    };
    let (profile, errors) = bundle.catalogue.read_profile(&case.profile);
    for e in errors {
        problems.push(format!("profile: {e}"));
    }
    let eval = evaluate_for(bundle, &profile, Timing { as_of, policy_year: case.policy_year });
    for x in &case.expect {
        let Some(index) = bundle.benefit_index(&x.benefit) else {
            problems.push(format!("unknown benefit `{}`", x.benefit));
            continue;
        };
        let r = &eval.results[index];
        let mut mismatch = |what: &str, want: &str, got: String| {
            problems.push(format!("{}: {what} expected {want}, got {got}", x.benefit));
        };
        if let Some(want) = &x.status {
            let got = status_code(r.status);
            if want != got {
                let detail = if got == "needs_answers" {
                    let ids: Vec<&str> = eval.missing_of(r).iter().map(|&f| bundle.catalogue.fact(f).id.as_str()).collect();
                    format!("{got} (missing {})", ids.join(", "))
                } else {
                    got.to_string()
                };
                mismatch("status", want, detail);
            }
        }
        if let Some(want) = &x.validity {
            let got = validity_code(r.validity);
            if want != got {
                mismatch("validity", want, got.into());
            }
        }
        if let Some(want) = &x.claim {
            let got = claim_code(r.claim);
            if want != got {
                mismatch("claim", want, got.into());
            }
        }
        if let Some(want) = &x.amount {
            let got = r.amount.map(format_yuan).unwrap_or_else(|| "case_by_case".into());
            let matches = if want == "case_by_case" {
                r.amount.is_none()
            } else {
                match money(want) {
                    Ok(w) => r.amount == Some(crate::money::round_yuan(w)),
                    Err(e) => {
                        problems.push(format!("{}: {e}", x.benefit));
                        continue;
                    }
                }
            };
            if !matches {
                mismatch("amount", want, got);
            }
        }
        if let Some(want) = &x.max_amount {
            let got = r.max_amount.map(format_yuan).unwrap_or_else(|| "unknown".into());
            let ok = match (want.as_str(), r.max_amount) {
                ("unknown", None) => true,
                (w, Some(m)) => money(w).map(|w| crate::money::round_yuan(w) == crate::money::round_yuan(m)).unwrap_or(false),
                _ => false,
            };
            if !ok {
                mismatch("max_amount", want, got);
            }
        }
        if let Some(want) = &x.missing {
            let got: Vec<String> = eval.missing_of(r).iter().map(|&f| bundle.catalogue.fact(f).id.clone()).collect();
            let (mut w, mut g) = (want.clone(), got.clone());
            w.sort();
            g.sort();
            if w != g {
                mismatch("missing", &want.join(","), got.join(","));
            }
        }
        if let Some(want) = &x.superseded_by {
            let got = match r.status {
                crate::engine::Status::Superseded { by, .. } => bundle.benefits[by].id.clone(),
                _ => "(not superseded)".into(),
            };
            if *want != got {
                mismatch("superseded_by", want, got);
            }
        }
        if let Some(want) = &x.alternative_to {
            let got = match r.status {
                crate::engine::Status::Alternative { to, .. } => bundle.benefits[to].id.clone(),
                _ => "(not an alternative)".into(),
            };
            if *want != got {
                mismatch("alternative_to", want, got);
            }
        }
    }
    if let Some(t) = &case.totals {
        for (what, want, got) in [
            ("province", &t.province, eval.totals.province),
            ("city", &t.city, eval.totals.city),
            ("district", &t.district, eval.totals.district),
            ("overall", &t.overall, eval.totals.overall),
        ] {
            let Some(want) = want else { continue };
            match money(want) {
                Ok(w) if crate::money::round_yuan(w) == crate::money::round_yuan(got) => {}
                Ok(_) => problems.push(format!("totals.{what}: expected {want}, got {}", format_yuan(got))),
                Err(e) => problems.push(format!("totals.{what}: {e}")),
            }
        }
    }
    problems
}

pub fn run_all(bundle: &Bundle, files: &[CaseFile]) -> CaseRun {
    let mut run = CaseRun::default();
    for file in files {
        for case in &file.cases {
            run.cases += 1;
            let problems = run_case(bundle, case);
            if problems.is_empty() {
                run.passed += 1;
            } else {
                for p in problems {
                    run.failures.push(format!("{}: case “{}”: {p}", file.file, case.name));
                }
            }
        }
    }
    run
}

/// For each benefit id, the names of the cases that check it.
pub fn cases_by_benefit(files: &[CaseFile]) -> std::collections::BTreeMap<String, Vec<String>> {
    let mut map: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for case in files.iter().flat_map(|f| &f.cases) {
        for x in &case.expect {
            let names = map.entry(x.benefit.clone()).or_default();
            if !names.contains(&case.name) {
                names.push(case.name.clone());
            }
        }
    }
    map
}
