//! The register page's wasm exports (feature `register`, its own wasm, run in a Web
//! Worker): bytes in, the bytes of the three files out, over `register_stream::CsvRun`.
//! Every message is given in Chinese and English (JSON `{zh, en}`), so the page can
//! switch language after the run.

use crate::bundle::Bundle;
use crate::date::Date;
use crate::register_stream::{both, parse_column_map, summary_view, CsvRun, MatchOptions, StartError};
use crate::register::PolicyYear;
use crate::text::Lang;
use wasm_bindgen::prelude::*;

thread_local! {
    // Loaded once per worker (`loadRules`); a run borrows it for its whole life.
    static BUNDLE: std::cell::Cell<Option<&'static Bundle>> = const { std::cell::Cell::new(None) };
}

/// Gives the wasm the `rules.json` beside the page (the app's own file, so a visitor who
/// has the app has it already): refused unless its SHA-256 is the one compiled in.
#[wasm_bindgen(js_name = loadRules)]
pub fn load_rules(text: &str) -> Result<(), JsError> {
    let hash = crate::bundle::EMBEDDED_HASH.trim();
    let loaded = crate::api::load_bundle(text, Some(hash), Lang::Zh).map_err(|_| {
        JsError::new(&both(|l| crate::api::load_bundle(text, Some(hash), l).err().map(|e| e.message).unwrap_or_default()).to_string())
    })?;
    BUNDLE.with(|b| b.set(Some(Box::leak(Box::new(loaded)))));
    Ok(())
}

fn bundle() -> Result<&'static Bundle, JsError> {
    BUNDLE.with(|b| b.get()).ok_or_else(|| JsError::new(&both(|l| l.pick("规则尚未载入", "the rules are not loaded yet").to_string()).to_string()))
}

fn start_error(e: StartError) -> JsError {
    JsError::new(&both(|lang| e.message(lang)).to_string())
}

/// The policy years the page offers on `as_of`, latest first: every year, not after the
/// day's, with an annual edition in the rules (any district's, as the app lists them
/// before a district is chosen; `engine::policy_years`). JSON array; empty before any.
#[wasm_bindgen(js_name = policyYears)]
pub fn policy_years(as_of: &str) -> Result<String, JsError> {
    let b = bundle()?;
    let years = Date::parse(as_of).map(|d| crate::engine::policy_years(b, None, d)).unwrap_or_default();
    Ok(serde_json::to_string(&years).unwrap_or_else(|_| "[]".into()))
}

#[wasm_bindgen]
pub struct RegisterMatch {
    run: CsvRun,
}

#[wasm_bindgen]
impl RegisterMatch {
    /// `prefix`: the file's first 64 KB (all of it when `complete`); `map`: the text of a
    /// mapping file; `policy_year`: "" for what is in force on the day, a year or
    /// `latest`, as `huiqi match --policy-year` takes them; `lang`: the language of the
    /// problem list's messages.
    #[wasm_bindgen(constructor)]
    pub fn new(prefix: &[u8], complete: bool, map: Option<String>, as_of: &str, policy_year: &str, lang: &str) -> Result<RegisterMatch, JsError> {
        let b = bundle()?;
        let lang = Lang::parse(lang).unwrap_or_default();
        let as_of = Date::parse(as_of).ok_or_else(|| {
            JsError::new(&both(|l| match l {
                Lang::Zh => format!("评估日期“{as_of}”不是日期（YYYY-MM-DD）"),
                Lang::En => format!("the date “{as_of}” is not a date (YYYY-MM-DD)"),
            }).to_string())
        })?;
        let map = match map {
            Some(text) => Some(parse_column_map(&text, Lang::Zh).map_err(|_| {
                JsError::new(&both(|l| parse_column_map(&text, l).err().unwrap_or_default()).to_string())
            })?),
            None => None,
        };
        let policy_year = match policy_year.trim() {
            "" => PolicyYear::OpenNow,
            text => PolicyYear::parse(text).ok_or_else(|| {
                JsError::new(&both(|l| match l {
                    Lang::Zh => format!("政策年度“{text}”不是 1900 到 2200 之间的年份（或 latest）"),
                    Lang::En => format!("the policy year “{text}” is not a year between 1900 and 2200 (or latest)"),
                }).to_string())
            })?,
        };
        let run = CsvRun::start(prefix, complete, map, MatchOptions { as_of, policy_year, lang, all_possible: false }, b).map_err(start_error)?;
        Ok(RegisterMatch { run })
    }

    /// The next bytes of the file, in order (`last`: nothing follows).
    pub fn push(&mut self, bytes: &[u8], last: bool) -> Result<(), JsError> {
        self.run.push(bundle()?, bytes, last).map_err(start_error)
    }

    /// `results.csv` bytes written since the last call.
    pub fn results(&mut self) -> Vec<u8> {
        self.run.take_results()
    }

    /// `results.problems.csv` bytes written since the last call.
    pub fn problems(&mut self) -> Vec<u8> {
        self.run.take_problems()
    }

    #[wasm_bindgen(getter)]
    pub fn companies(&self) -> f64 {
        self.run.totals.summary.companies as f64
    }

    #[wasm_bindgen(getter, js_name = badCells)]
    pub fn bad_cells(&self) -> f64 {
        self.run.totals.summary.bad_cells as f64
    }

    /// What to say before the run, as `{zh: [...], en: [...]}` (the encoding guessed,
    /// mapping-file headers not in this file), once the header was read.
    pub fn notices(&self) -> String {
        let said = |lang: Lang| {
            let mut notices: Vec<String> = crate::register_stream::encoding_notice(self.run.encoding(), lang).map(String::from).into_iter().collect();
            if let Some(c) = self.run.columns().filter(|c| !c.unused_mappings.is_empty()) {
                notices.push(format!("{}{}", lang.pick("映射文件中这些表头不在本文件中：", "headers of the mapping file not in this file: "), c.unused_mappings.join(", ")));
            }
            notices
        };
        serde_json::json!({ "zh": said(Lang::Zh), "en": said(Lang::En) }).to_string()
    }

    /// `results.summary.csv`, at the end.
    #[wasm_bindgen(js_name = summaryCsv)]
    pub fn summary_csv(&self) -> Result<Vec<u8>, JsError> {
        Ok(self.run.summary_csv(bundle()?))
    }

    /// The counts and summary table for the page (JSON), at the end.
    pub fn summary(&self) -> Result<String, JsError> {
        Ok(summary_view(bundle()?, &self.run.totals).to_string())
    }
}
