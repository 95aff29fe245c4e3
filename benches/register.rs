//! Criterion: matching a register — reading a row with the questionnaire's reader and
//! evaluating the company — per company, on one core, for generated Binjiang/Xihu rows.

use criterion::{criterion_group, criterion_main, Criterion};
use huiqi::register::{match_company, Columns};
use huiqi::{Bundle, Date, Status};
use std::hint::black_box;

fn benches(c: &mut Criterion) {
    let bundle = Bundle::embedded().unwrap();
    let as_of = Date::parse("2025-03-09").unwrap();
    let header: Vec<String> = ["统一社会信用代码", "district", "taxed_in_hangzhou", "size_class", "从业人员数", "revenue", "rd_spend", "rd_spend_prev", "tech_enterprise", "tech_sme_scale", "high_tech_enterprise", "foreign_trade_enterprise", "export_credit_premium"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let columns = Columns::resolve(&bundle, &header, None).unwrap();
    let row = ["91330108MA1", "滨江区", "是", "small", "85", "6000万", "1500万", "1000万", "是", "是", "是", "是", "12万"];
    let (company, problems) = columns.read_row(&bundle, 2, row);
    assert!(problems.is_empty(), "{problems:?}");
    // Guard against timing nothing: this company is eligible for several benefits.
    let result = match_company(&bundle, &company, as_of);
    assert!(result.matches.iter().filter(|m| m.status == Status::Eligible).count() >= 3);

    c.bench_function("register: read one row", |b| b.iter(|| columns.read_row(black_box(&bundle), 2, black_box(row))));
    c.bench_function("register: read and match one company", |b| {
        b.iter(|| {
            let (company, _) = columns.read_row(black_box(&bundle), 2, black_box(row));
            match_company(&bundle, &company, as_of)
        })
    });
}

criterion_group!(group, benches);
criterion_main!(group);
