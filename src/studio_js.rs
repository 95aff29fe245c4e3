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

use crate::web::components::results::{Results, ResultsProps};
use std::rc::Rc;

thread_local! {
    /// The preview's Yew app, kept so a new profile updates it in place.
    static PREVIEW: RefCell<Option<(web_sys::Element, yew::AppHandle<Results>)>> = const { RefCell::new(None) };
}

/// Renders the questionnaire's own results (its `Results` component: totals, groups and
/// `BenefitCard`s) for a profile into `root`. Returns `{ok, benefits}` as JSON text, or
/// `{ok: false, errors}` and leaves the cards shown as they were.
#[wasm_bindgen(js_name = previewCards)]
pub fn preview_cards(root: web_sys::Element, profile: &str, as_of: &str, policy_year: &str, lang: &str) -> String {
    let preview = match SESSION.with(|s| s.borrow().preview(profile, as_of, policy_year, lang)) {
        Ok(p) => p,
        Err(e) => return e.to_string(),
    };
    let count = preview.benefits.len();
    let props = ResultsProps {
        report: Rc::new(preview.report),
        benefits: Rc::new(preview.benefits),
        out_of_force: Rc::new(preview.out_of_force),
        lang: crate::text::Lang::parse(lang).unwrap_or_default(),
    };
    PREVIEW.with(|p| {
        let mut p = p.borrow_mut();
        match p.as_mut() {
            Some((mounted, handle)) if *mounted == root => handle.update(props),
            _ => {
                if let Some((_, old)) = p.take() {
                    old.destroy();
                }
                let handle = yew::Renderer::<Results>::with_root_and_props(root.clone(), props).render();
                *p = Some((root, handle));
            }
        }
    });
    serde_json::json!({ "ok": true, "benefits": count }).to_string()
}
