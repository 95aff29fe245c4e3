#![no_main]
// The logic is huiqi::fuzzing::share_link, which tests/fuzz_corpus.rs replays in cargo test.
libfuzzer_sys::fuzz_target!(|data: &[u8]| huiqi::fuzzing::share_link(data));
