//! The rule bundle's own tests: it loads without errors, every rule case passes, every
//! benefit is tested, and every quoted clause stands verbatim in its seed text.

use huiqi::cases::{cases_by_benefit, embedded_cases, run_all};
use huiqi::Bundle;
use std::path::PathBuf;

fn bundle() -> Bundle {
    match Bundle::embedded() {
        Ok(b) => b,
        Err(errors) => {
            let lines: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
            panic!("the embedded rules have errors:\n{}", lines.join("\n"));
        }
    }
}

#[test]
fn embedded_bundle_is_valid() {
    let b = bundle();
    assert!(b.documents.len() >= 2);
    assert!(b.benefits.len() >= 50);
    assert_eq!(b.hash.len(), 64);
}

#[test]
fn every_rule_case_passes() {
    let b = bundle();
    let files = embedded_cases().unwrap();
    let run = run_all(&b, &files);
    assert!(run.cases > 0, "no rule cases found");
    assert!(run.failures.is_empty(), "{} of {} rule cases failed:\n{}", run.failures.len(), run.cases, run.failures.join("\n"));
}

#[test]
fn every_benefit_has_a_case() {
    let b = bundle();
    let tested = cases_by_benefit(&embedded_cases().unwrap());
    let untested: Vec<&str> = b.benefits.iter().filter(|x| !tested.contains_key(&x.id)).map(|x| x.id.as_str()).collect();
    assert!(untested.is_empty(), "benefits without a rule case: {untested:?}");
}

fn seeds_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    dir.is_dir().then_some(dir)
}

/// Whitespace is folded: the seeds break lines and put spaces inside numbers ("500 万元").
fn fold(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn every_quote_is_verbatim_in_its_seed() {
    let Some(dir) = seeds_dir() else {
        // CI and developers have shared/ beside the checkout; say so loudly if not.
        eprintln!("warning: ../shared/seeds not found; verbatim check skipped");
        return;
    };
    let b = bundle();
    let mut missing = Vec::new();
    for (d, doc) in b.documents.iter().enumerate() {
        let seed = std::fs::read_to_string(dir.join(&doc.source.seed))
            .unwrap_or_else(|e| panic!("{}: seed {}: {e}", doc.file, doc.source.seed));
        let seed = fold(&seed);
        let mut quotes: Vec<(String, &str)> = Vec::new();
        if !doc.validity_clause.is_empty() {
            quotes.push(("validity_clause".into(), &doc.validity_clause));
        }
        for x in b.benefits.iter().filter(|x| x.document == d) {
            quotes.push((format!("benefit `{}`", x.id), &x.clause));
        }
        for g in b.exclusive_groups.iter().filter(|g| g.document == d) {
            quotes.push((format!("exclusive `{}`", g.id), &g.clause));
        }
        for c in b.company_caps.iter().filter(|c| c.document == d) {
            quotes.push((format!("company_cap `{}`", c.id), &c.clause));
        }
        for l in &doc.left_out {
            quotes.push((format!("left_out {}", l.article), &l.clause));
        }
        for (item, quote) in quotes {
            if !seed.contains(&fold(quote)) {
                missing.push(format!("{}: {item}: not found verbatim in {}", doc.file, doc.source.seed));
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}
