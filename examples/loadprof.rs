fn main() {
    let n: u32 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(5);
    let t = std::time::Instant::now();
    for _ in 0..n {
        std::hint::black_box(huiqi::Bundle::embedded().unwrap());
    }
    eprintln!("{:?} per load, {} bytes", t.elapsed() / n, huiqi::bundle::EMBEDDED_JSON.len());
}
