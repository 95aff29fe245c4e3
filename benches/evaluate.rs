//! Criterion benchmarks: loading the embedded bundle, and evaluating every benefit
//! in it for an empty and for a fully answered profile.

use criterion::{criterion_group, criterion_main, Criterion};
use huiqi::{evaluate, Bundle, Date};
use std::hint::black_box;

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
    let (full, errors) = bundle.catalogue.read_profile(&bundle.catalogue.full_answers());
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
