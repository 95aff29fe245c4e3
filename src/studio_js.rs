//! The studio's wasm exports (feature `studio`, its own wasm: the questionnaire app and
//! the engine-only build do not carry them). Thin: JSON text in, JSON text out, over
//! `studio::Session`.

use crate::studio::Session;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

thread_local! {
    static SESSION: RefCell<Session> = RefCell::new(Session::default());
}

/// `files`: JSON `[{name, text}]`. Returns the check as JSON text (see `Session::check`).
#[wasm_bindgen(js_name = checkRules)]
pub fn check_rules(files: &str) -> String {
    SESSION.with(|s| s.borrow_mut().check(files)).to_string()
}

#[wasm_bindgen(js_name = runCases)]
pub fn run_cases() -> String {
    SESSION.with(|s| s.borrow().run_cases()).to_string()
}

#[wasm_bindgen]
pub fn preview(profile: &str, as_of: &str, lang: &str) -> String {
    SESSION.with(|s| s.borrow().evaluate(profile, as_of, lang)).to_string()
}

#[wasm_bindgen(js_name = changeLog)]
pub fn change_log(published: &str) -> String {
    SESSION.with(|s| s.borrow().change_log(published)).to_string()
}

#[wasm_bindgen(js_name = caseDiff)]
pub fn case_diff(published: &str) -> String {
    SESSION.with(|s| s.borrow().case_diff(published)).to_string()
}

/// The verbatim check and coverage of a pasted or opened policy text for one document.
#[wasm_bindgen(js_name = policyText)]
pub fn policy_text(document: &str, text: &str) -> String {
    SESSION.with(|s| s.borrow().policy_text(document, text)).to_string()
}

#[wasm_bindgen]
pub fn documents() -> String {
    SESSION.with(|s| s.borrow().documents()).to_string()
}
