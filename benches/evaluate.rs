//! Criterion benchmarks: loading the embedded bundle, and evaluating every benefit
//! in it for an empty and for a fully answered profile.

use criterion::{criterion_group, criterion_main, Criterion};
use huiqi::facts::FactKind;
use rust_decimal::Decimal;
use huiqi::{evaluate, Bundle, Date};
use std::hint::black_box;

/// A profile that answers every fact in the catalogue with a plausible value inside
/// the fact's bounds.
fn full_answers(bundle: &Bundle) -> serde_json::Value {
    let mut map = serde_json::Map::new();
    for f in &bundle.catalogue.facts {
        let within = |v: i64| Decimal::from(v).clamp(f.min, f.max).to_string();
        let value = match f.spec.kind {
            FactKind::Bool => serde_json::json!(true),
            FactKind::Money => serde_json::json!(within(15_000_000)),
            FactKind::Count => serde_json::json!(within(3)),
            FactKind::Percent => serde_json::json!("5%"),
            FactKind::Date => serde_json::json!("2024-06-30"),
            FactKind::Choice => serde_json::json!(f.spec.options[0].id),
        };
        map.insert(f.spec.id.clone(), value);
    }
    map.insert("district".into(), serde_json::json!("binjiang"));
    map.insert("rd_spend_prev".into(), serde_json::json!("1000万"));
    serde_json::Value::Object(map)
}

/// The document start date on which the most benefits are in force.
fn busiest_date(bundle: &Bundle) -> Date {
    let in_force = |d: Date| bundle.benefits.iter().filter(|b| b.valid.contains(d)).count();
    bundle.benefits.iter().map(|b| b.valid.from).max_by_key(|d| (in_force(*d), *d)).unwrap()
}

fn benches(c: &mut Criterion) {
    c.bench_function("load embedded bundle", |b| b.iter(|| Bundle::embedded().unwrap()));

    let bundle = Bundle::embedded().unwrap();
    // A date on which as many documents as possible are in force, so every benefit is evaluated.
    let as_of = busiest_date(&bundle);
    let (full, errors) = bundle.catalogue.read_profile(&full_answers(&bundle));
    assert!(errors.is_empty(), "{errors:?}");
    let (empty, _) = bundle.catalogue.read_profile(&serde_json::json!({}));
    // Guard against benchmarking nothing: the full profile must make benefits eligible.
    let eval = evaluate(&bundle, &full, as_of);
    assert!(eval.results.iter().filter(|r| r.status == huiqi::Status::Eligible).count() > 10);
    eprintln!(
        "as of {as_of}: {} of {} benefits in force, {} eligible with the full profile",
        eval.results.iter().filter(|r| r.validity == huiqi::Validity::InForce).count(),
        bundle.benefits.len(),
        eval.results.iter().filter(|r| r.status == huiqi::Status::Eligible).count()
    );

    c.bench_function("evaluate full bundle, full profile", |b| {
        b.iter(|| evaluate(black_box(&bundle), black_box(&full), as_of))
    });
    c.bench_function("evaluate full bundle, empty profile", |b| {
        b.iter(|| evaluate(black_box(&bundle), black_box(&empty), as_of))
    });
}

criterion_group!(group, benches);
criterion_main!(group);
