//! The browser app's entry point; everything lives in `huiqi::web`.

fn main() {
    huiqi::web::start();
}
