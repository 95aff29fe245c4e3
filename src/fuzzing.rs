//! One function per fuzz target (`tests/fuzz/fuzz_targets/*.rs`): each takes the raw
//! input bytes and drives them through the same paths as the CLI and the web app. They
//! live in the library so `tests/fuzz_corpus.rs` can replay the committed corpus on
//! stable Rust in `cargo test`, with no copy of the target logic to drift.
//!
//! They must never panic on any input: a panic is the bug the fuzzer reports. The few
//! `assert!`s state properties that hold for every input, so breaking one is a bug too.

use crate::bundle::Bundle;
use crate::date::Date;
use crate::engine::{evaluate, next_questions, Evaluation, Status};
use crate::expr::compile;
use crate::explain;
use crate::facts::{FactKind, ItemAnswer, Profile, Value, MAX_ITEMS};
use crate::money::{parse_number, round_yuan};
use crate::report::report;
use crate::share::SavedAnswers;
use crate::sweep;
use crate::text::Lang;
use rust_decimal::Decimal;
use std::sync::OnceLock;

fn embedded() -> &'static Bundle {
    static BUNDLE: OnceLock<Bundle> = OnceLock::new();
    BUNDLE.get_or_init(|| Bundle::embedded().expect("the embedded rules are validated by cargo test"))
}

/// The date every run falls back to when the input names none: inside most documents' windows.
fn default_as_of() -> Date {
    Date::new(2024, 6, 30).expect("a real date")
}

/// `evaluate_profile`: the first line is the as-of date and optionally a language
/// (`2024-06-30 en`); the rest is a profile as the CLI reads it (fact id → answer).
/// Read against the embedded rules, evaluated, reported and asked about, as the app does.
pub fn evaluate_profile(data: &[u8]) {
    let (head, body) = match data.iter().position(|&b| b == b'\n') {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (&[][..], data),
    };
    let head = String::from_utf8_lossy(head);
    let mut words = head.split_whitespace();
    let as_of = words.next().and_then(Date::parse).unwrap_or_else(default_as_of);
    let lang = words.next().and_then(Lang::parse).unwrap_or_default();
    let Ok(answers) = serde_json::from_slice::<serde_json::Value>(body) else { return };

    let bundle = embedded();
    let (profile, errors) = bundle.catalogue.read_profile(&answers);
    // The JS API reads the same text in one pass, without the JSON tree: same answers,
    // same errors (a key given twice: the last one counts in both).
    if let (Ok(text), true) = (std::str::from_utf8(body), answers.is_object()) {
        let (streamed, mut streamed_errors) = bundle.catalogue.read_profile_text(text).expect("a JSON object reads as answers");
        // The tree has its keys sorted; the text keeps the order given.
        streamed_errors.sort_by(|a, b| a.fact.cmp(&b.fact));
        assert_eq!((streamed, streamed_errors), (profile.clone(), errors.clone()), "the one-pass reader disagrees");
    }
    for e in &errors {
        assert!(!e.message(Lang::Zh).is_empty() && !e.message(Lang::En).is_empty());
    }
    let eval = evaluate(bundle, &profile, as_of);
    check_evaluation(bundle, &eval);
    // The embedded rules keep every amount small enough that the split always adds up.
    let t = &eval.totals;
    assert_eq!(t.province + t.city + t.district, t.overall, "totals split by level must add up");
    describe_evaluation(bundle, &profile, &eval, lang);
}

/// `load_bundle`: the bytes as a rule bundle given at run time. Invalid bundles must be
/// refused with located errors; a valid one is evaluated for a company that answered
/// nothing, and for two that answered everything at the extremes of each fact's bounds.
pub fn load_bundle(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let bundle = match Bundle::from_json(text, "fuzz") {
        Ok(bundle) => bundle,
        Err(errors) => {
            assert!(!errors.is_empty(), "a refused bundle must say why");
            for e in &errors {
                assert!(!e.to_string().is_empty());
            }
            return;
        }
    };
    let mut dates = vec![default_as_of()];
    dates.extend(bundle.benefits.first().map(|b| b.valid.from));
    for as_of in dates {
        for profile in extreme_profiles(&bundle, as_of) {
            let eval = evaluate(&bundle, &profile, as_of);
            check_evaluation(&bundle, &eval);
            describe_evaluation(&bundle, &profile, &eval, Lang::En);
            // For the policy year of the date too, and the changes around it.
            let year = crate::engine::evaluate_for(&bundle, &profile, crate::engine::Timing { as_of, policy_year: Some(as_of.year) });
            check_evaluation(&bundle, &year);
        }
        let _ = crate::changes::expiring(&bundle, as_of, 90);
        let _ = crate::changes::edition_changes(&bundle);
    }
}

/// `share_link`: the bytes as an exported answers file, or (starting `#` or `a=`) as the
/// URL fragment of a share link, both untrusted. A file is also read back as a link, so
/// the base64 path sees well-formed input too. Whatever is accepted is evaluated.
pub fn share_link(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    // Below the readers' size limit even once base64-encoded or pretty-printed, so the
    // round trips below are not cut short by it.
    let small = text.len() <= 64 * 1024;
    let read = if text.starts_with('#') || text.starts_with("a=") {
        SavedAnswers::from_fragment(text)
    } else {
        use base64::Engine;
        let as_link = format!("a={}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(text));
        let from_link = SavedAnswers::from_fragment(&as_link);
        let from_file = SavedAnswers::from_json(text);
        if small {
            assert_eq!(from_link.as_ref(), Some(&from_file), "a link and a file with the same answers must read the same");
        }
        Some(from_file)
    };
    let Some(Ok(saved)) = read else { return };
    if small {
        // Accepted answers survive being shared again, both ways.
        assert_eq!(SavedAnswers::from_json(&saved.to_json()).as_ref(), Ok(&saved));
        assert_eq!(SavedAnswers::from_fragment(&saved.to_fragment()), Some(Ok(saved.clone())));
    }

    let bundle = embedded();
    let answers = saved.answers.iter().map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone()))).collect();
    let (profile, _) = bundle.catalogue.read_profile(&serde_json::Value::Object(answers));
    let as_of = saved.as_of_date().expect("an accepted file has a valid date");
    let eval = crate::engine::evaluate_for(bundle, &profile, crate::engine::Timing { as_of, policy_year: saved.policy_year });
    check_evaluation(bundle, &eval);
    describe_evaluation(bundle, &profile, &eval, saved.lang);
}

/// `rule_expression`: the bytes as a condition or amount formula of a rule file,
/// compiled against the embedded catalogue, then evaluated and put in words; and as an
/// amount and a date as written in the rules.
pub fn rule_expression(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = parse_number(text);
    let _ = Date::parse(text);
    let bundle = embedded();
    let Ok((expr, _)) = compile(text, &bundle.catalogue, &bundle.derived) else { return };
    for profile in extreme_profiles(bundle, default_as_of()) {
        let _ = expr.eval(&profile.values);
        let mut missing = Vec::new();
        expr.missing_facts(&profile.values, &mut missing);
        assert!(missing.iter().all(|&f| f < bundle.catalogue.facts.len()));
    }
    for lang in [Lang::Zh, Lang::En] {
        let _ = explain::describe(bundle, &expr, lang);
    }
}

/// Three companies: one that answered nothing, and two that answered every fact, at
/// the top and at the bottom of its bounds (where overflow lives).
fn extreme_profiles(bundle: &Bundle, as_of: Date) -> [Profile; 3] {
    let answer = |high: bool| Profile {
        values: bundle
            .catalogue
            .facts
            .iter()
            .map(|f| {
                Some(match f.spec.kind {
                    FactKind::Bool => Value::Bool(high),
                    FactKind::Choice if high => Value::Choice(0),
                    FactKind::Choice => Value::Choice(f.spec.options.len().saturating_sub(1).min(u16::MAX as usize) as u16),
                    FactKind::Date if high => Value::Date(as_of),
                    FactKind::Date => Value::Date(Date::new(1900, 1, 1).expect("a real date")),
                    FactKind::Money | FactKind::Count | FactKind::Percent => Value::Num(if high { f.max } else { f.min }),
                })
            })
            .collect(),
        // At the top, every per-item fact also for the most items a profile may list.
        items: (0..bundle.catalogue.facts.len())
            .filter(|&i| high && bundle.catalogue.facts[i].item_kind.is_some())
            .flat_map(|fact| (2..=MAX_ITEMS).map(move |item| (fact, item)))
            .map(|(fact, item)| ItemAnswer { fact, item, value: Value::Num(bundle.catalogue.facts[fact].max) })
            .collect(),
    };
    [Profile::empty(&bundle.catalogue), answer(true), answer(false)]
}

/// Properties of any evaluation of any valid bundle.
fn check_evaluation(bundle: &Bundle, eval: &Evaluation) {
    assert_eq!(eval.results.len(), bundle.benefits.len());
    for r in &eval.results {
        let benefit = &bundle.benefits[r.benefit];
        // A benefit assessed per item is capped per item: each item's result is checked
        // against the cap, and the sum against the cap once per item.
        let items = eval.items_of(r);
        let count = Decimal::from(items.len().max(1));
        let parts = std::iter::once((&r.amount, &r.max_amount, r.status, count))
            .chain(items.iter().map(|i| (&i.result.amount, &i.result.max_amount, i.result.status, Decimal::ONE)));
        for (amount, max_amount, status, times) in parts {
            for amount in amount.iter().chain(max_amount.iter()) {
                assert!(*amount >= Decimal::ZERO, "{}: negative amount {amount}", benefit.id);
                if let (Some(cap), Status::Eligible) = (benefit.cap, status) {
                    assert!(*amount <= round_yuan(cap) * times, "{}: {amount} above its cap {cap}", benefit.id);
                }
            }
        }
    }
}

/// Everything the CLI and the app make of an evaluation: the report, the next
/// questions, and the chart of the total along the first numeric question.
fn describe_evaluation(bundle: &Bundle, profile: &Profile, eval: &Evaluation, lang: Lang) {
    let r = report(bundle, eval, lang);
    assert_eq!(r.benefits.len(), eval.results.len());
    for q in next_questions(eval) {
        assert!(q.fact < bundle.catalogue.facts.len());
    }
    let numeric = bundle.catalogue.facts.iter().position(|f| matches!(f.spec.kind, FactKind::Money | FactKind::Count));
    if let Some(fact) = numeric {
        let current = match profile.get(fact) {
            Some(Value::Num(n)) => Some(n),
            _ => None,
        };
        let xs = sweep::sample_points(&sweep::thresholds(bundle, fact), current, 4);
        let ys = sweep::totals_along(bundle, profile, eval.as_of, fact, &xs);
        assert_eq!(xs.len(), ys.len());
    }
}
