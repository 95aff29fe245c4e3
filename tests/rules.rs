//! The rule bundle's own tests: it loads without errors, every rule case passes, every
//! benefit is tested, and every quoted clause stands verbatim in its seed text.

use huiqi::cases::{cases_by_benefit, embedded_cases, run_all};
use huiqi::Bundle;
use std::path::PathBuf;

/// With the `left_out` clauses, which the verbatim and checklist tests read.
fn bundle() -> Bundle {
    match Bundle::embedded_with_coverage() {
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

/// Every document says how its dates were read (validity, performance period,
/// application window), so "not stated" is a reading, never an oversight.
#[test]
fn every_document_says_how_its_dates_were_read() {
    let b = bundle();
    let unread: Vec<&str> = b.documents.iter().filter(|d| d.time_reading.is_none()).map(|d| d.id.as_str()).collect();
    assert!(unread.is_empty(), "documents without time_reading: {unread:?}");
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
            if let Some(period) = &x.period_clause {
                quotes.push((format!("benefit `{}` period_clause", x.id), period));
            }
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
        // A stated performance period or application window: verbatim, and on its line.
        let lines: Vec<String> = std::fs::read_to_string(dir.join(&doc.source.seed)).unwrap().lines().map(fold).collect();
        let periods = [("document application", doc.application.as_ref()), ("document performance", doc.stated_performance.as_ref())]
            .into_iter()
            .chain(b.benefits.iter().filter(|x| x.document == d).flat_map(|x| {
                [(x.id.as_str(), x.application.as_ref()), (x.id.as_str(), x.stated_performance.as_ref())]
            }));
        // A materials list: verbatim, and beginning on its line.
        for x in b.benefits.iter().filter(|x| x.document == d) {
            let Some(m) = &x.materials else { continue };
            let clause = fold(&m.clause);
            let start: String = clause.chars().take(8).collect();
            // (A short line, such as a heading, may hold less than the first 8 characters.)
            let on_line = lines.get(m.line as usize - 1).is_some_and(|l| l.contains(&start) || (!l.is_empty() && clause.starts_with(l.as_str())));
            if !seed.contains(&clause) || !on_line {
                missing.push(format!("{}: benefit `{}` materials not found verbatim from line {} of {}", doc.file, x.id, m.line, doc.source.seed));
            }
        }
        for (what, period) in periods {
            let Some(p) = period else { continue };
            let on_line = lines.get(p.line as usize - 1).is_some_and(|l| l.contains(&fold(&p.clause)));
            if !on_line {
                missing.push(format!("{}: {what} clause not found on line {} of {}", doc.file, p.line, doc.source.seed));
            }
        }
        for (item, quote) in quotes {
            if !seed.contains(&fold(quote)) {
                missing.push(format!("{}: {item}: not found verbatim in {}", doc.file, doc.source.seed));
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

/// Folds what differs between copies of the same text: white space and the full-width
/// and half-width forms of punctuation.
fn fold_punctuation(text: &str) -> String {
    fold(text)
        .chars()
        .map(|c| match c {
            '，' => ',',
            '；' => ';',
            '：' => ':',
            '（' => '(',
            '）' => ')',
            _ => c,
        })
        .collect()
}

/// Issues 3 and 4: every clause in the checklist (`../shared/inventory`) is either encoded
/// or listed in its document's file as deliberately left out. Seed 001 is outside every
/// issue so far and is skipped.
#[test]
fn every_checklist_clause_is_accounted_for() {
    let inventory = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/inventory");
    let Ok(entries) = std::fs::read_dir(&inventory) else {
        eprintln!("warning: ../shared/inventory not found; checklist check skipped");
        return;
    };
    let b = bundle();
    let mut encoded: Vec<String> = b.benefits.iter().map(|x| fold_punctuation(&x.clause)).collect();
    encoded.extend(b.documents.iter().flat_map(|d| d.left_out.iter().map(|l| fold_punctuation(&l.clause))));
    encoded.extend(b.exclusive_groups.iter().map(|g| fold_punctuation(&g.clause)));
    let encoded = encoded.join("\n");
    let mut unaccounted = Vec::new();
    let mut checked = 0;
    for entry in entries.flatten().filter(|e| e.path().extension().is_some_and(|x| x == "json")) {
        let list: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(entry.path()).unwrap()).unwrap();
        for clause in list["clauses"].as_array().into_iter().flatten() {
            if clause["seed"].as_str().unwrap_or("").starts_with("001") {
                continue;
            }
            checked += 1;
            let quote: Vec<char> = fold_punctuation(clause["quote"].as_str().unwrap_or("")).chars().collect();
            // A clause may be split or trimmed when encoded: any 12 characters of it will do.
            let width = quote.len().min(12);
            let found = (0..=quote.len() - width)
                .step_by(3)
                .any(|i| encoded.contains(&quote[i..i + width].iter().collect::<String>()));
            if !found {
                unaccounted.push(format!("{} {}: {}", clause["id"].as_str().unwrap_or("?"), clause["document"].as_str().unwrap_or(""), clause["quote"].as_str().unwrap_or("")));
            }
        }
    }
    assert!(checked > 400, "only {checked} checklist clauses read");
    assert!(unaccounted.is_empty(), "{} checklist clauses neither encoded nor left out:\n{}", unaccounted.len(), unaccounted.join("\n"));
}

/// Issue 12 item 3: every two benefits paid against the same figure are either in a
/// common non-duplication group or marked `stacks_with`, with the reason.
#[test]
fn every_pair_on_the_same_base_is_grouped_or_marked_as_stacking() {
    let problems = huiqi::overlap::unreviewed_overlaps(&bundle());
    let lines: Vec<String> = problems.iter().map(|e| e.to_string()).collect();
    assert!(lines.is_empty(), "{} unreviewed pairs:\n{}", lines.len(), lines.join("\n"));
}

// ---------- every number of a rule is in its clause, or its reading says where it comes from ----------

/// Numbers a text writes, as (is a percentage, value): "200万元" and "200萬" → 2,000,000;
/// "5‰" → 0.5%; the bare figure is kept too ("300万" also gives 300, a count or a year).
fn numbers_in(text: &str) -> Vec<(bool, rust_decimal::Decimal)> {
    use rust_decimal::Decimal;
    let chars: Vec<char> = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap(),
            '．' => '.',
            _ => c,
        })
        .collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.' || (chars[i] == ',' && chars.get(i + 1).is_some_and(|c| c.is_ascii_digit()))) {
            i += 1;
        }
        let digits: String = chars[start..i].iter().filter(|&&c| c != ',').collect();
        let Ok(n) = digits.trim_end_matches('.').parse::<Decimal>() else { continue };
        let unit = match chars.get(i) {
            Some('万' | '萬') => Decimal::from(10_000),
            Some('亿' | '億') => Decimal::from(100_000_000),
            Some('千') => Decimal::from(1_000),
            _ => Decimal::ONE,
        };
        if unit != Decimal::ONE {
            i += 1;
        }
        match chars.get(i) {
            Some('%') => found.push((true, n)),
            Some('‰') => found.push((true, n / Decimal::from(10))),
            _ => {
                found.push((false, n * unit));
                found.push((false, n));
            }
        }
    }
    found
}

/// The literals of a rule field as written ("200万", "5%", "10000"), without dates, fact
/// ids (`fact#2`, `rd_2023`) or quoted option ids; dates apart, as (y, m, d).
fn literals_in(source: &str) -> (Vec<(String, bool, rust_decimal::Decimal)>, Vec<(u32, u32, u32)>) {
    let (mut numbers, mut dates) = (Vec::new(), Vec::new());
    let mut quoted = false;
    let chars: Vec<char> = source.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '"' {
            quoted = !quoted;
        }
        let after_word = i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_' || chars[i - 1] == '#' || chars[i - 1] == '.');
        if quoted || !c.is_ascii_digit() || after_word {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.' || chars[i] == '-') {
            i += 1;
        }
        let token: String = chars[start..i].iter().collect();
        let parts: Vec<&str> = token.split('-').collect();
        if let [y, m, d] = parts[..] {
            dates.push((y.parse().unwrap(), m.parse().unwrap(), d.parse().unwrap()));
            continue;
        }
        let token = token.trim_end_matches('-').to_string();
        let Ok(n) = token.parse::<rust_decimal::Decimal>() else { continue };
        let unit = chars.get(i).copied();
        let (percent, value) = match unit {
            Some('%') => (true, n),
            Some('‰') => (true, n / rust_decimal::Decimal::from(10)),
            Some('万') => (false, n * rust_decimal::Decimal::from(10_000)),
            Some('亿') => (false, n * rust_decimal::Decimal::from(100_000_000)),
            _ => (false, n),
        };
        numbers.push((token, percent, value));
    }
    (numbers, dates)
}

/// Tiers whose values are arithmetic on the clause's amounts, each explained in `reading`:
/// 进档的奖励差额 (the difference between two milestones' rewards), 差额补助 (the
/// difference between two levels' grants), and prize × the rank's share.
const DERIVED_TIERS: [&str; 3] =
    ["hangzhou-5g-2019-revenue-milestone", "hangzhou-5g-2019-incubator-construction", "hangzhou-chengxi-corridor-fund-2022-national-st-award"];

/// Issue 12, item 7: "every number in a rule file appears in its cited clause or is
/// arithmetic on it, said so in `reading`". A cap, rate, amount, tier or threshold is in the
/// clause; otherwise its reading names the figure; a date in a condition is in the clause
/// or the reading as 2024年3月31日.
#[test]
fn every_number_of_a_rule_is_in_its_clause_or_its_reading() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("rules");
    let mut unexplained = Vec::new();
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if !name.ends_with(".toml") || name.ends_with(".cases.toml") || name == "facts.toml" || name == "bundle.toml" {
            continue;
        }
        let file: toml::Value = toml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for b in file.get("benefit").and_then(|b| b.as_array()).into_iter().flatten() {
            let text = |key: &str| b.get(key).and_then(|v| v.as_str()).unwrap_or_default().to_string();
            let id = text("id");
            let clause = format!("{}{}", text("clause"), text("period_clause"));
            let reading = b.get("reading").and_then(|r| r.get("zh")).and_then(|z| z.as_str()).unwrap_or_default();
            let in_clause = numbers_in(&clause);
            let mut fields: Vec<(String, String)> = Vec::new();
            let mut add = |field: &str, v: Option<&toml::Value>| {
                if let Some(s) = v.and_then(|v| v.as_str()) {
                    fields.push((field.to_string(), s.to_string()));
                }
            };
            add("cap", b.get("cap"));
            add("bounded_by", b.get("bounded_by"));
            let amount = b.get("amount");
            for key in ["value", "rate", "of", "count"] {
                add(&format!("amount.{key}"), amount.and_then(|a| a.get(key)));
            }
            let tiers = amount.and_then(|a| a.get("tiers")).and_then(|t| t.as_array()).cloned().unwrap_or_default();
            for tier in &tiers {
                add("tier.when", tier.get("when"));
                if !DERIVED_TIERS.contains(&id.as_str()) {
                    add("tier.value", tier.get("value"));
                }
            }
            for w in b.get("when").and_then(|w| w.as_array()).into_iter().flatten() {
                add("when", Some(w));
            }
            for (field, source) in fields {
                let (numbers, dates) = literals_in(&source);
                for (written, percent, value) in numbers {
                    checked += 1;
                    let trivial = value.is_zero() || (!percent && value == rust_decimal::Decimal::ONE) || (percent && value == rust_decimal::Decimal::from(100));
                    if trivial || in_clause.contains(&(percent, value)) || reading.contains(&written) {
                        continue;
                    }
                    unexplained.push(format!("{name}: `{id}` {field} `{source}`: {written} is neither in the clause nor named in the reading"));
                }
                for (y, m, d) in dates {
                    checked += 1;
                    let words = format!("{y}年{m}月{d}日");
                    if !clause.contains(&words) && !reading.contains(&words) {
                        unexplained.push(format!("{name}: `{id}` {field} `{source}`: the date is neither in the clause nor in the reading as {words}"));
                    }
                }
            }
        }
    }
    assert!(checked > 400, "only {checked} numbers checked: is the rules folder read?");
    assert!(unexplained.is_empty(), "{} numbers unexplained:\n{}", unexplained.len(), unexplained.join("\n"));
}
