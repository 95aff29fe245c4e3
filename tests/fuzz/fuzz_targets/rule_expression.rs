#![no_main]
// The logic is huiqi::fuzzing::rule_expression, which tests/fuzz_corpus.rs replays in cargo test.
libfuzzer_sys::fuzz_target!(|data: &[u8]| huiqi::fuzzing::rule_expression(data));
