use std::time::Instant;
fn main() {
    let text = huiqi::bundle::EMBEDDED_JSON;
    let n = 200;
    let t = Instant::now();
    for _ in 0..n { let v: serde_json::Value = serde_json::from_str(text).unwrap(); std::hint::black_box(v); }
    println!("json->Value {:?} ({} bytes)", t.elapsed() / n, text.len());
    let t = Instant::now();
    for _ in 0..n { std::hint::black_box(huiqi::Bundle::embedded().unwrap()); }
    println!("full load {:?}", t.elapsed() / n);
}
