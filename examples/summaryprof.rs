//! Times the JS API's `summary` natively, answers in as JSON text and numbers out as JSON
//! text, as the browser benchmark calls it. `valgrind --tool=callgrind` shows where it goes.
use huiqi::api;

fn main() {
    let n: u32 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1000);
    let bundle = huiqi::Bundle::embedded().unwrap();
    let text = bundle.catalogue.full_answers().to_string();
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
