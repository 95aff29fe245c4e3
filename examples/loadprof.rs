fn main() {
    let n: u32 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(5);
    for _ in 0..n {
        std::hint::black_box(huiqi::Bundle::embedded().unwrap());
    }
}
