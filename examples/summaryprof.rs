//! Times the JS API's `summary` natively, answers in as JSON text and numbers out as JSON
//! text, as the browser benchmark calls it. `valgrind --tool=callgrind` shows where it goes.
use huiqi::api;
use huiqi::facts::FactKind;
use rust_decimal::Decimal;

fn main() {
    let n: u32 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1000);
    let bundle = huiqi::Bundle::embedded().unwrap();
    let mut answers = serde_json::Map::new();
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
        answers.insert(f.spec.id.clone(), value);
    }
    answers.insert("district".into(), serde_json::json!("binjiang"));
    answers.insert("rd_spend_prev".into(), serde_json::json!("1000万"));
    let text = serde_json::Value::Object(answers).to_string();
    let today = huiqi::Date::parse("2025-03-09").unwrap();
    let options = api::read_options(&serde_json::json!({ "asOf": "2025-03-09" }), today).unwrap();
    let t = std::time::Instant::now();
    let mut out = 0;
    for _ in 0..n {
        let summary = api::summary(&bundle, std::hint::black_box(&text), options).unwrap();
        out += serde_json::to_string(&summary).unwrap().len();
    }
    eprintln!("{:?} per summary ({} bytes out)", t.elapsed() / n, out / n as usize);
}
