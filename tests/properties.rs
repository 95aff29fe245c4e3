//! Properties of the engine over random company profiles built from the embedded
//! catalogue (issue 7): amounts never negative and never above their cap nor the cost
//! they are paid against; at most one
//! paid benefit per non-duplication group; evaluation is deterministic; the totals add
//! up; and a benefit a company is not eligible for stays so when more is answered.

use huiqi::facts::{FactKind, Profile, Value};
use huiqi::{evaluate, Bundle, Date, Status, Validity};
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::sync::OnceLock;

fn bundle() -> &'static Bundle {
    static BUNDLE: OnceLock<Bundle> = OnceLock::new();
    BUNDLE.get_or_init(|| Bundle::embedded().expect("embedded rules"))
}

/// A value for fact `index`, inside its bounds, from a random seed; big and small
/// numbers alike, including the bounds themselves.
fn value_for(index: usize, seed: u64) -> Value {
    let fact = &bundle().catalogue.facts[index];
    match fact.spec.kind {
        FactKind::Bool => Value::Bool(seed % 2 == 0),
        FactKind::Choice => Value::Choice((seed % fact.spec.options.len() as u64) as u16),
        FactKind::Date => Value::Date(Date::from_unix_days(16_000 + (seed % 5_000) as i64).unwrap()),
        FactKind::Money | FactKind::Count | FactKind::Percent => {
            let span = fact.max - fact.min;
            let picked = match seed % 4 {
                0 => fact.min,
                1 => fact.max,
                // Most real figures are small: a fraction of a few thousand 万.
                2 => (Decimal::from(seed % 50_000_000)).min(span),
                _ => span * Decimal::from(seed % 1_000) / Decimal::from(1_000),
            };
            let v = fact.min + picked;
            Value::Num(if fact.spec.kind == FactKind::Count { v.trunc() } else { v })
        }
    }
}

/// A profile answering a random subset of the catalogue; `seeds[i] == 0` leaves fact i unknown.
fn profile_from(seeds: &[u64]) -> Profile {
    let n = bundle().catalogue.facts.len();
    Profile { values: (0..n).map(|i| match seeds.get(i).copied().unwrap_or(0) { 0 => None, s => Some(value_for(i, s)) }).collect(), items: Vec::new() }
}

fn seeds() -> impl Strategy<Value = Vec<u64>> {
    let n = bundle().catalogue.facts.len();
    // About half the facts answered.
    proptest::collection::vec(prop_oneof![Just(0u64), 1u64..u64::MAX], n)
}

fn dates() -> impl Strategy<Value = Date> {
    // 2018 to 2028: every document's window and beyond.
    (17_532i64..21_550).prop_map(|d| Date::from_unix_days(d).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn amounts_are_never_negative_nor_above_their_cap(s in seeds(), as_of in dates()) {
        let b = bundle();
        let p = profile_from(&s);
        let e = evaluate(b, &p, as_of);
        for r in &e.results {
            let benefit = &b.benefits[r.benefit];
            for amount in r.amount.iter().chain(r.max_amount.iter()) {
                prop_assert!(*amount >= Decimal::ZERO, "{}: {amount}", benefit.id);
                if let Some(cap) = benefit.cap {
                    prop_assert!(*amount <= cap, "{}: {amount} > cap {cap}", benefit.id);
                }
                // An amount paid against a cost never exceeds that cost, once it is known.
                if let Some(cost) = benefit.bound.as_ref().and_then(|f| f.expr.eval(&p.values).ok().flatten()) {
                    let Value::Num(cost) = cost else { panic!("{}: bound is not money", benefit.id) };
                    prop_assert!(*amount <= cost.max(Decimal::ZERO), "{}: {amount} > its cost {cost}", benefit.id);
                }
            }
            if r.validity != Validity::InForce {
                prop_assert_eq!(r.status, Status::NotInForce);
            }
        }
    }

    #[test]
    fn one_paid_benefit_per_group_and_totals_add_up(s in seeds(), as_of in dates(), year in proptest::option::of(2018i32..2028)) {
        let b = bundle();
        let e = huiqi::evaluate_for(b, &profile_from(&s), huiqi::Timing { as_of, policy_year: year });
        // Paid: in force, eligible, and not past a stated application window.
        let paid = |r: &&huiqi::engine::BenefitResult| r.validity == Validity::InForce && r.status == Status::Eligible && !r.claim.is_closed();
        for g in &b.exclusive_groups {
            // A case-by-case member counts too: it is never paid beside the winner.
            let paid = g.benefits.iter().map(|&m| &e.results[m]).filter(|r| paid(r)).count();
            prop_assert!(paid <= 1, "group {} pays {paid} benefits", g.id);
        }
        let sum: Decimal = e.results.iter().filter(paid).filter_map(|r| r.amount).sum();
        let closed: Decimal = e.results.iter()
            .filter(|r| r.validity == Validity::InForce && r.status == Status::Eligible && r.claim.is_closed())
            .filter_map(|r| r.amount)
            .sum();
        prop_assert_eq!(e.totals.closed_amount, closed);
        let cut: Decimal = e.cap_adjustments.iter().map(|a| a.before - a.after).sum();
        prop_assert_eq!(e.totals.overall, sum - cut);
        prop_assert_eq!(e.totals.province + e.totals.city + e.totals.district, e.totals.overall);
    }

    #[test]
    fn evaluation_is_deterministic(s in seeds(), as_of in dates()) {
        let b = bundle();
        let p = profile_from(&s);
        prop_assert_eq!(evaluate(b, &p, as_of), evaluate(b, &p, as_of));
    }

    #[test]
    fn an_evaluation_reused_for_the_next_company_is_the_same_as_a_fresh_one(
        first in seeds(),
        s in seeds(),
        as_of in dates(),
        year in proptest::option::of(2018i32..2028),
    ) {
        use huiqi::engine::{evaluate_for, evaluate_into, Evaluation, Schedule, Timing};
        let b = bundle();
        let timing = Timing { as_of, policy_year: year };
        // A register run reuses one evaluation, and one schedule, for every company.
        let schedule = Schedule::new(b, timing);
        let mut reused = Evaluation::empty(b, timing);
        evaluate_into(b, &profile_from(&first), &Schedule::new(b, Timing::on(as_of)), &mut reused);
        evaluate_into(b, &profile_from(&s), &schedule, &mut reused);
        prop_assert_eq!(reused, evaluate_for(b, &profile_from(&s), timing));
    }

    #[test]
    fn results_remembered_from_earlier_companies_are_the_same_as_evaluating(
        companies in proptest::collection::vec(seeds(), 2..12),
        as_of in dates(),
        year in proptest::option::of(2018i32..2028),
    ) {
        use huiqi::engine::{evaluate_for, evaluate_remembering, BenefitResult, Evaluation, Memo, Schedule, Timing};
        let b = bundle();
        let timing = Timing { as_of, policy_year: year };
        let schedule = Schedule::new(b, timing);
        let (mut eval, mut memo) = (Evaluation::empty(b, timing), Memo::default());
        for s in &companies {
            // Few distinct answers, as a register gives them: most facts unanswered, the
            // others one of two answers (yes or no, one of two options, one of two numbers).
            let sparse: Vec<u64> = s.iter().map(|&x| [0, 0, 0, 1, 2][(x % 5) as usize]).collect();
            let p = profile_from(&sparse);
            evaluate_remembering(b, &p, &schedule, &mut eval, &mut memo);
            let fresh = evaluate_for(b, &p, timing);
            prop_assert_eq!(eval.results.len(), fresh.results.len());
            for (r, f) in eval.results.iter().zip(&fresh.results) {
                // A remembered result keeps no condition checks; all else is the same.
                let f = BenefitResult { checks: if r.checks.is_empty() { 0..0 } else { f.checks.clone() }, ..f.clone() };
                prop_assert!(eval.same_result(r, &fresh, &f), "{}", b.benefits[r.benefit].id);
            }
            let (mut rest, mut fresh_rest) = (eval.clone(), fresh);
            for e in [&mut rest, &mut fresh_rest] {
                (e.results, e.checks) = (Vec::new(), Vec::new());
            }
            prop_assert_eq!(rest, fresh_rest);
        }
        prop_assert!(!memo.is_empty());
    }

    #[test]
    fn answering_more_never_turns_not_eligible_into_eligible(s in seeds(), extra in seeds(), as_of in dates()) {
        let b = bundle();
        let before = profile_from(&s);
        // The same answers, plus some of the unknown ones answered.
        let merged: Vec<u64> = s.iter().zip(&extra).map(|(&a, &x)| if a != 0 { a } else { x }).collect();
        let after = profile_from(&merged);
        let (e1, e2) = (evaluate(b, &before, as_of), evaluate(b, &after, as_of));
        for (r1, r2) in e1.results.iter().zip(&e2.results) {
            if r1.status == Status::NotEligible {
                prop_assert_eq!(r2.status, Status::NotEligible, "{}", b.benefits[r1.benefit].id);
            }
        }
    }
}

#[test]
fn a_monotone_formula_stays_monotone() {
    // Binjiang's R&D increase subsidy: more increase never pays less.
    let b = bundle();
    let i = b.benefit_index("binjiang-2024-rd-increase-sme").unwrap();
    let spend = b.catalogue.index_of("rd_spend").unwrap();
    let (base, _) = b.catalogue.read_profile(&serde_json::json!({
        "district": "binjiang", "tech_enterprise": true, "tech_sme_scale": true, "rd_spend_prev": "1000万"
    }));
    let as_of = Date::parse("2024-06-30").unwrap();
    let mut last = Decimal::ZERO;
    for wan in (1000..=6000).step_by(50) {
        let mut p = base.clone();
        p.values[spend] = Some(Value::Num(Decimal::from(wan * 10_000)));
        let amount = evaluate(b, &p, as_of).results[i].amount.unwrap_or_default();
        assert!(amount >= last, "{wan}万: {amount} < {last}");
        last = amount;
    }
    assert_eq!(last, Decimal::from(2_000_000));
}

/// Anything a person or a portal might send as one answer.
fn any_answer() -> impl Strategy<Value = serde_json::Value> {
    prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        any::<i64>().prop_map(|n| serde_json::json!(n)),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map(serde_json::Value::Number).unwrap_or(serde_json::Value::Null)),
        "[0-9０-９,.万亿元%e+-]{0,24}".prop_map(serde_json::Value::String),
        any::<String>().prop_map(serde_json::Value::String),
        Just(serde_json::json!([1, 2])),
        Just(serde_json::json!({"nested": true})),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_answers_never_panic_and_each_bad_one_is_named(
        picks in proptest::collection::vec((0usize..400, any_answer()), 0..40),
        as_of in dates(),
    ) {
        let b = bundle();
        let facts = &b.catalogue.facts;
        let mut answers = serde_json::Map::new();
        for (i, value) in picks {
            // Some ids are not facts at all.
            let id = facts.get(i).map(|f| f.spec.id.clone()).unwrap_or_else(|| format!("no_such_fact_{i}"));
            answers.insert(id, value);
        }
        let (profile, errors) = b.catalogue.read_profile(&serde_json::Value::Object(answers.clone()));
        for e in &errors {
            prop_assert!(answers.contains_key(&e.fact), "error for an answer not given: {}", e.fact);
            prop_assert!(!e.message(huiqi::Lang::Zh).is_empty() && !e.message(huiqi::Lang::En).is_empty());
        }
        // Every answer given is either kept, reported, or "don't know" (null or empty).
        for (id, value) in &answers {
            let kept = b.catalogue.index_of(id).is_some_and(|i| profile.values[i].is_some());
            let reported = errors.iter().any(|e| &e.fact == id);
            let unknown = value.is_null() || value.as_str().is_some_and(|s| s.trim().is_empty());
            prop_assert!(kept || reported || unknown, "{id} = {value} was silently dropped");
        }
        // The JS API reads answers from JSON text in one pass: the same profile and errors
        // as reading the text into a JSON tree first.
        let text = serde_json::Value::Object(answers.clone()).to_string();
        let via_tree = b.catalogue.read_profile(&serde_json::from_str(&text).unwrap());
        prop_assert_eq!(b.catalogue.read_profile_text(&text).ok(), Some(via_tree));
        let _ = evaluate(b, &profile, as_of);
    }
}
