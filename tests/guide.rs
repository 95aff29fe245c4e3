//! The five-minute path, measured: for each company in `tests/companies/`, the app's guide
//! (`huiqi::guide::Guide`) asks its questions in order and the company answers them from
//! its file (leaving unknown what it does not know). Counted: the answers given (a
//! question is one; a checklist of yes/no questions one, plus one per box ticked) until
//! 80% of the amount the company can claim is settled, and until every benefit that could
//! still be worth more than 5万 is settled. The goals (issue 13): ≤ 12 and ≤ 25.
//! `cargo test --test guide -- --nocapture` prints the table the README reports.

use huiqi::engine::Evaluation;
use huiqi::facts::FactKind;
use huiqi::guide::Guide;
use huiqi::{evaluate, Bundle, Date, Status, Validity};
use rust_decimal::Decimal;
use serde_json::{Map, Value};
use std::path::Path;

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Company {
    name: String,
    as_of: String,
    /// "no": every question not answered below is answered no / 0 / none.
    otherwise: String,
    answers: toml::Table,
}

/// The company's answer to every question it can answer.
fn known_answers(bundle: &Bundle, company: &Company) -> Map<String, Value> {
    let mut answers: Map<String, Value> = serde_json::to_value(&company.answers).unwrap().as_object().unwrap().clone();
    assert_eq!(company.otherwise, "no", "{}: only `otherwise = \"no\"` is defined", company.name);
    for f in &bundle.catalogue.facts {
        let fact = &f.spec;
        let no = match fact.kind {
            FactKind::Bool => Some(Value::Bool(false)),
            // A number that cannot be 0 (a rank, say) has no "none" answer.
            FactKind::Money | FactKind::Count | FactKind::Percent => (f.min <= Decimal::ZERO).then(|| Value::String("0".into())),
            FactKind::Choice => fact.options.iter().find(|o| o.id == "none").map(|o| Value::String(o.id.clone())),
            FactKind::Date => None,
        };
        if let Some(no) = no {
            answers.entry(fact.id.clone()).or_insert(no);
        }
    }
    answers
}

fn run(bundle: &Bundle, answers: &Map<String, Value>, as_of: Date) -> Evaluation {
    let (profile, errors) = bundle.catalogue.read_profile(&Value::Object(answers.clone()));
    assert!(errors.is_empty(), "{errors:?}");
    evaluate(bundle, &profile, as_of)
}

/// What a benefit pays once settled: its amount, or for a case-by-case one its ceiling.
fn paid(eval: &Evaluation, i: usize) -> Decimal {
    let r = &eval.results[i];
    match (r.validity, r.status) {
        (Validity::InForce, Status::Eligible) if !r.claim.is_closed() => r.amount.or(r.max_amount).unwrap_or_default(),
        _ => Decimal::ZERO,
    }
}

struct Measured {
    name: String,
    total: Decimal,
    to_80: Option<usize>,
    to_all: Option<usize>,
    asked: usize,
}

const WORTH_ASKING: i64 = 50_000;

fn measure(bundle: &Bundle, company: &Company) -> Measured {
    let as_of = Date::parse(&company.as_of).expect("as_of");
    let known = known_answers(bundle, company);
    let truth = run(bundle, &known, as_of);
    let total: Decimal = (0..truth.results.len()).map(|i| paid(&truth, i)).sum();

    let mut answers = Map::new();
    let mut guide = Guide::new();
    let (mut to_80, mut to_all, mut count) = (None, None, 0);
    loop {
        let eval = run(bundle, &answers, as_of);
        // Settled: benefits whose result no longer waits on an answer.
        let settled: Decimal = (0..truth.results.len())
            .filter(|&i| eval.results[i].status != Status::NeedsAnswers)
            .map(|i| paid(&truth, i))
            .sum();
        if to_80.is_none() && settled * Decimal::from(10) >= total * Decimal::from(8) {
            to_80 = Some(count);
        }
        let open_worth = eval.results.iter().any(|r| {
            // A benefit whose application window has closed is worth nothing now.
            r.validity == Validity::InForce
                && r.status == Status::NeedsAnswers
                && !r.claim.is_closed()
                && r.max_amount.is_none_or(|m| m > Decimal::from(WORTH_ASKING))
        });
        if !open_worth {
            to_all = Some(count);
            break;
        }
        let answered = |f: usize| answers.contains_key(&bundle.catalogue.fact(f).id);
        guide.update(bundle, &eval, &answered);
        let Some(ask) = guide.open(&answered).next().cloned() else {
            if std::env::var("GUIDE_TRACE").is_ok_and(|v| company.name.contains(&v)) {
                for r in eval.results.iter().filter(|r| r.validity == Validity::InForce && r.status == Status::NeedsAnswers) {
                    let missing: Vec<&str> = eval.missing_of(r).iter().map(|&f| bundle.catalogue.fact(f).id.as_str()).collect();
                    eprintln!("open: {} {:?} {missing:?}", bundle.benefits[r.benefit].id, r.max_amount);
                }
            }
            break;
        };
        if std::env::var("GUIDE_TRACE").is_ok_and(|v| company.name.contains(&v)) {
            let ids: Vec<&str> = ask.facts.iter().map(|&f| bundle.catalogue.fact(f).id.as_str()).collect();
            eprintln!("{count:3} {} {ids:?}", if ask.checklist.is_some() { "checklist" } else { "question " });
        }
        // A question is one answer; a checklist one confirmation, plus a tick for each
        // "yes", plus an answer for each amount or level ticked.
        count += match ask.checklist {
            None => 1,
            Some(_) => {
                1 + ask.facts.iter().map(|&f| {
                    let fact = bundle.catalogue.fact(f);
                    let unticked = huiqi::guide::unticked_answer(&bundle, f);
                    match known.get(&fact.id) {
                        Some(Value::Bool(true)) => 1,
                        Some(Value::Bool(false)) | None => 0,
                        Some(Value::String(s)) if s == unticked => 0,
                        Some(_) => 2,
                    }
                }).sum::<usize>()
            }
        };
        for &f in &ask.facts {
            let id = &bundle.catalogue.fact(f).id;
            match known.get(id) {
                Some(answer) => {
                    answers.insert(id.clone(), answer.clone());
                }
                // The company does not know: it leaves the field empty and goes on.
                None => guide.skip(f),
            }
        }
    }
    Measured { name: company.name.clone(), total, to_80, to_all, asked: count }
}

fn companies() -> Vec<Company> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/companies");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|x| x == "toml")).collect();
    files.sort();
    files.iter().map(|p| toml::from_str(&std::fs::read_to_string(p).unwrap()).unwrap_or_else(|e| panic!("{}: {e}", p.display()))).collect()
}

#[test]
fn a_company_settles_what_it_can_claim_in_a_few_questions() {
    let bundle = Bundle::embedded().unwrap();
    let companies = companies();
    assert!(companies.len() >= 7);
    println!("| company | can claim (元) | questions to settle 80% | to settle every benefit > 5万 |");
    println!("|---|---:|---:|---:|");
    let mut failures = Vec::new();
    for company in &companies {
        let m = measure(&bundle, company);
        let show = |n: Option<usize>| n.map_or("not reached".to_string(), |n| n.to_string());
        println!("| {} | {} | {} | {} |", m.name, m.total.round_dp(0), show(m.to_80), show(m.to_all));
        if m.to_80.is_none_or(|n| n > 12) || m.to_all.is_none_or(|n| n > 25) {
            failures.push(format!("{}: 80% after {}, all after {} ({} asked)", m.name, show(m.to_80), show(m.to_all), m.asked));
        }
    }
    assert!(failures.is_empty(), "beyond the five-minute goals (≤ 12 for 80%, ≤ 25 for all):\n{}", failures.join("\n"));
}

/// The guide itself: the district alone first, then the first screen, then open
/// questions a few at a time, and a question once asked stays in place.
#[test]
fn the_guide_asks_the_district_first_then_the_first_screen() {
    let bundle = Bundle::embedded().unwrap();
    let as_of = Date::parse("2025-06-30").unwrap();
    let mut answers = Map::new();
    let mut guide = Guide::new();
    let eval = run(&bundle, &answers, as_of);
    let answered = |a: &Map<String, Value>, f: usize| a.contains_key(&bundle.catalogue.fact(f).id);
    guide.update(&bundle, &eval, &|f| answered(&answers, f));
    assert_eq!(guide.asked.iter().map(|a| a.facts.clone()).collect::<Vec<_>>(), [vec![bundle.district_fact()]]);

    answers.insert("district".into(), "binjiang".into());
    let eval = run(&bundle, &answers, as_of);
    guide.update(&bundle, &eval, &|f| answered(&answers, f));
    let first: Vec<&str> = guide.asked.iter().flat_map(|a| &a.facts).map(|&f| bundle.catalogue.fact(f).id.as_str()).collect();
    assert!(first.len() > 4 && first.len() <= bundle.catalogue.first_screen.len(), "{first:?}");
    assert!(guide.asked.iter().flat_map(|a| &a.facts).all(|f| bundle.catalogue.first_screen.contains(f)), "{first:?}");
    // Its yes/no questions come as one checklist, right after the district.
    let checklist = &guide.asked[1];
    assert!(checklist.checklist.is_some() && checklist.facts.len() > 1, "{:?}", guide.asked);
    assert!(checklist.facts.iter().all(|&f| bundle.catalogue.fact(f).kind == huiqi::facts::FactKind::Bool));

    // Passing over the first screen brings questions by worth, three at a time.
    guide.skip_open(&|f| answered(&answers, f));
    let before = guide.asked.clone();
    guide.update(&bundle, &eval, &|f| answered(&answers, f));
    assert_eq!(guide.asked[..before.len()], before[..]);
    assert_eq!(guide.open(&|f| answered(&answers, f)).count(), huiqi::guide::BATCH);
}
