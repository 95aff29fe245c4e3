//! The JS API: thin wasm-bindgen wrappers over `api.rs`. Values cross as plain
//! JSON-compatible objects (money as strings); every refusal is a thrown `Error` whose
//! message names the field, with `field` and `errors` properties for programs.

use crate::api::{self, ApiError, FieldError, Options};
use crate::bundle::Bundle;
use crate::date::Date;
use crate::text::Lang;
use serde::Serialize;
use serde_json::Value as Json;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen(typescript_custom_section)]
// The declarations are written by hand (wasm-bindgen would type every value `any`).
const TYPES: &'static str = include_str!("js.d.ts");

// The engine-only build carries no rules: they are the `rules.json` beside it, given by
// `start()` in huiqi.js (or by the host), so the wasm stays small. Its hash is compiled in.
thread_local! {
    /// The rules this build was made with, once given.
    static BUILT_IN: RefCell<Option<Rc<Bundle>>> = const { RefCell::new(None) };
    /// The rules in use: the built-in ones, or a bundle accepted by `loadBundle`.
    static ACTIVE: RefCell<Option<Rc<Bundle>>> = const { RefCell::new(None) };
}

fn active() -> Result<Rc<Bundle>, JsValue> {
    ACTIVE.with(|slot| slot.borrow().clone()).ok_or_else(|| {
        thrown(ApiError::one(
            "bundle",
            "no rules yet: await start() from huiqi.js first, or call loadBundle(text) / 没有规则：请先 await start()（huiqi.js），或调用 loadBundle(text)",
            Lang::Zh,
        ))
    })
}

fn put_in_use(bundle: Bundle) -> Rc<Bundle> {
    let bundle = Rc::new(bundle);
    if api::is_built_in(&bundle) {
        BUILT_IN.with(|slot| *slot.borrow_mut() = Some(bundle.clone()));
    }
    ACTIVE.with(|slot| *slot.borrow_mut() = Some(bundle.clone()));
    bundle
}

/// Today in Hangzhou, from the host's clock.
fn today() -> Date {
    Date::from_js_clock(js_sys::Date::now())
}

fn thrown(error: ApiError) -> JsValue {
    let e = js_sys::Error::new(&error.message);
    e.set_name("HuiqiError");
    let _ = js_sys::Reflect::set(&e, &"field".into(), &error.field().into());
    if let Ok(list) = to_js(&error.errors) {
        let _ = js_sys::Reflect::set(&e, &"errors".into(), &list);
    }
    e.into()
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let text = serde_json::to_string(value).map_err(|e| js_sys::Error::new(&format!("internal: could not convert the result: {e}")))?;
    js_sys::JSON::parse(&text)
}

// JSON text crosses the JS/wasm boundary far faster than value by value (one string
// instead of a call per field), so answers go in through `JSON.stringify` and results
// come out through `JSON.parse`. The walk first names what JSON would silently turn
// into null or drop: NaN, Infinity, functions, symbols, cycles.
#[wasm_bindgen(inline_js = r#"
export function toJsonText(value, root) {
  // Checked first, without copying: the path to a value is only put into words for a problem.
  const problems = [];
  const keys = [];
  const where = () => keys.reduce((p, k) => (typeof k === "number" ? `${p}[${k}]` : p ? `${p}.${k}` : k), root);
  const open = new Set();
  let bigint = false;
  const check = (v, depth) => {
    switch (typeof v) {
      case "undefined": case "string": case "boolean": return;
      case "number":
        if (!Number.isFinite(v)) problems.push(`${where()}\u0000not_finite`);
        return;
      case "bigint": bigint = true; return;
      case "object": {
        if (v === null) return;
        if (open.has(v)) { problems.push(`${where()}\u0000cycle`); return; }
        if (depth >= 16) { problems.push(`${where()}\u0000too_deep`); return; }
        open.add(v);
        if (Array.isArray(v)) {
          for (let i = 0; i < v.length; i++) { keys.push(i); check(v[i], depth + 1); keys.pop(); }
        } else {
          for (const k of Object.keys(v)) { keys.push(k); check(v[k], depth + 1); keys.pop(); }
        }
        open.delete(v);
        return;
      }
      default:
        problems.push(`${where()}\u0000unsupported`);
    }
  };
  // Only when there are problems: a copy with null where they are, so the rest can still be checked.
  const clean = (v, depth) => {
    switch (typeof v) {
      case "string": case "boolean": return v;
      case "number": return Number.isFinite(v) ? v : null;
      case "bigint": return v.toString();
      case "object": {
        if (v === null || open.has(v) || depth >= 16) return null;
        open.add(v);
        const out = Array.isArray(v) ? v.map((x) => clean(x, depth + 1)) : Object.fromEntries(Object.keys(v).map((k) => [k, clean(v[k], depth + 1)]));
        open.delete(v);
        return out;
      }
      default: return null;
    }
  };
  check(value, 0);
  let text;
  if (problems.length) text = JSON.stringify(clean(value, 0));
  // JSON.stringify refuses a BigInt; it is passed on as its digits.
  else if (bigint) text = JSON.stringify(value, (_, x) => (typeof x === "bigint" ? x.toString() : x));
  else text = JSON.stringify(value);
  return [text ?? "null", problems];
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = toJsonText)]
    fn json_text_of(value: &JsValue, root: &str) -> js_sys::Array;
}

/// A JS value as JSON text, naming each part JSON cannot hold as an error at its path.
fn to_json_text(value: &JsValue, path: &str, errors: &mut Vec<FieldError>, lang: Lang) -> String {
    let pair = json_text_of(value, path);
    for problem in pair.get(1).unchecked_into::<js_sys::Array>().iter() {
        let problem = problem.as_string().unwrap_or_default();
        let (field, why) = problem.split_once('\u{0}').unwrap_or((&problem, ""));
        let message = match why {
            "not_finite" => lang.pick("不是有限数值（NaN 或 Infinity）", "not a finite number (NaN or Infinity)"),
            "cycle" => lang.pick("对象引用了自身", "the object refers to itself"),
            "too_deep" => lang.pick("嵌套过深", "nested too deeply"),
            _ => lang.pick("不支持的值类型", "unsupported kind of value"),
        };
        errors.push(FieldError { field: field.to_string(), message: message.into() });
    }
    pair.get(0).as_string().unwrap_or_else(|| "null".into())
}

/// The same, read as a JSON tree (for options, which are small).
fn to_json(value: &JsValue, path: &str, errors: &mut Vec<FieldError>, lang: Lang) -> Json {
    let text = to_json_text(value, path, errors, lang);
    serde_json::from_str(&text).unwrap_or(Json::Null)
}

/// Reads the options, then the answers (as JSON text). Problems found while converting
/// (NaN, cycles) and answers the catalogue refuses are reported together, so one call
/// shows them all.
fn read_call(bundle: &Bundle, profile: &JsValue, options: &JsValue) -> Result<(String, Options), JsValue> {
    let options = read_options(options)?;
    if profile.is_undefined() {
        // No answers yet.
        return Ok(("{}".into(), options));
    }
    let mut errors = Vec::new();
    let profile = to_json_text(profile, "profile", &mut errors, options.lang);
    if !errors.is_empty() {
        // The parts that could not be converted are null in the text; the rest is checked.
        errors.extend(api::profile_errors(bundle, &profile, options.lang));
        return Err(thrown(ApiError::new(errors, options.lang)));
    }
    Ok((profile, options))
}

fn read_options(options: &JsValue) -> Result<Options, JsValue> {
    let mut errors = Vec::new();
    let json = to_json(options, "options", &mut errors, Lang::Zh);
    if !errors.is_empty() {
        return Err(thrown(ApiError::new(errors, Lang::Zh)));
    }
    api::read_options(&json, today()).map_err(thrown)
}

/// Evaluates a company's answers: every benefit with status, amount, reasons and clause.
#[wasm_bindgen(skip_typescript)]
pub fn evaluate(
    profile: JsValue,
    options: JsValue,
) -> Result<JsValue, JsValue> {
    let bundle = active()?;
    let (profile, options) = read_call(&bundle, &profile, &options)?;
    to_js(&api::evaluate(&bundle, &profile, options).map_err(thrown)?)
}

/// The numbers only (totals, and each benefit's status and amount): cheap enough to call
/// on every keystroke.
#[wasm_bindgen(skip_typescript)]
pub fn summary(profile: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let bundle = active()?;
    let (profile, options) = read_call(&bundle, &profile, &options)?;
    to_js(&api::summary(&bundle, &profile, options).map_err(thrown)?)
}

/// The unanswered questions that could still change a result, most valuable first.
#[wasm_bindgen(js_name = nextQuestions, skip_typescript)]
pub fn next_questions(
    profile: JsValue,
    options: JsValue,
) -> Result<JsValue, JsValue> {
    let bundle = active()?;
    let (profile, options) = read_call(&bundle, &profile, &options)?;
    to_js(&api::next_questions(&bundle, &profile, options).map_err(thrown)?)
}

/// Every question a rule may ask, in Chinese and English.
#[wasm_bindgen(skip_typescript)]
pub fn facts() -> Result<JsValue, JsValue> {
    to_js(&api::facts(&*active()?))
}

/// The policy documents, their validity and the benefits encoded from each.
#[wasm_bindgen(skip_typescript)]
pub fn documents() -> Result<JsValue, JsValue> {
    to_js(&api::documents(&*active()?))
}

/// Which rules are in use: version, content hash, build date, documents in force.
#[wasm_bindgen(js_name = bundleInfo, skip_typescript)]
pub fn bundle_info(options: JsValue) -> Result<JsValue, JsValue> {
    let options = read_options(&options)?;
    to_js(&api::bundle_info(&*active()?, options))
}

/// The policy year to offer first for a district (an option id, or null/"" for any): the
/// latest year with an annual edition in force. null where no edition applies.
#[wasm_bindgen(js_name = defaultPolicyYear, skip_typescript)]
pub fn default_policy_year(district: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let options = read_options(&options)?;
    let district = match district.as_string() {
        Some(d) => Some(d),
        None if district.is_null() || district.is_undefined() => None,
        None => {
            let message = options.lang.pick("应为区、县（市）选项 id（字符串）或 null", "expected a district option id (a string) or null");
            return Err(thrown(ApiError::one("district", message, options.lang)));
        }
    };
    to_js(&api::default_policy_year(&*active()?, district.as_deref(), options).map_err(thrown)?)
}

/// What ends within 90 days of `asOf` (editions, benefits' own periods, application
/// windows), and the benefits that differ between two editions of one policy.
#[wasm_bindgen(skip_typescript)]
pub fn changes(options: JsValue) -> Result<JsValue, JsValue> {
    let options = read_options(&options)?;
    to_js(&api::changes(&*active()?, options, 90))
}

/// Reads the text of a `rules.json` and puts it in use, after validating it (and checking
/// its SHA-256 when `options.sha256` is given). On any error the rules in use stay as they were.
#[wasm_bindgen(js_name = loadBundle, skip_typescript)]
pub fn load_bundle(text: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let mut errors = Vec::new();
    let json = to_json(&options, "options", &mut errors, Lang::Zh);
    if !errors.is_empty() {
        return Err(thrown(ApiError::new(errors, Lang::Zh)));
    }
    let (expected, lang) = api::read_load_options(&json).map_err(thrown)?;
    load(text, expected.as_deref(), lang)
}

/// Reads the rules this build was made with (the text of the `rules.json` shipped beside
/// it): refused unless its hash is the one compiled in. `start()` in huiqi.js calls it.
#[wasm_bindgen(js_name = loadBuiltInBundle, skip_typescript)]
pub fn load_built_in_bundle(text: JsValue) -> Result<JsValue, JsValue> {
    load(text, Some(crate::bundle::EMBEDDED_HASH.trim()), Lang::Zh)
}

fn load(text: JsValue, expected_hash: Option<&str>, lang: Lang) -> Result<JsValue, JsValue> {
    let Some(text) = text.as_string() else {
        return Err(thrown(ApiError::one(
            "bundle",
            lang.pick("应为 rules.json 的文本（字符串），例如 await (await fetch(url)).text()", "expected the text of a rules.json (a string), e.g. await (await fetch(url)).text()"),
            lang,
        )));
    };
    let bundle = put_in_use(api::load_bundle(&text, expected_hash, lang).map_err(thrown)?);
    to_js(&api::bundle_info(&bundle, Options::on(today(), lang)))
}

/// Goes back to the rules this build was made with, after `loadBundle` put others in use.
#[wasm_bindgen(js_name = useBuiltInBundle, skip_typescript)]
pub fn use_built_in_bundle() -> Result<JsValue, JsValue> {
    let Some(bundle) = BUILT_IN.with(|slot| slot.borrow().clone()) else {
        return Err(thrown(ApiError::one(
            "bundle",
            "the built-in rules were never given: await start() from huiqi.js / 内置规则尚未载入：请先 await start()（huiqi.js）",
            Lang::Zh,
        )));
    };
    ACTIVE.with(|slot| *slot.borrow_mut() = Some(bundle.clone()));
    to_js(&api::bundle_info(&bundle, Options::on(today(), Lang::Zh)))
}

/// For the browser benchmark only (feature `bench-hooks`, never in a shipped build): the
/// engine's evaluation in wasm timed on its own, as criterion times it natively, without
/// reading the answers or writing the results on each run.
#[cfg(feature = "bench-hooks")]
mod bench_hooks {
    use super::*;
    use crate::Profile;

    thread_local! {
        static PREPARED: RefCell<Option<(Profile, Date)>> = const { RefCell::new(None) };
    }

    /// Reads the answers (JSON text) once, for `benchEvaluate`.
    #[wasm_bindgen(js_name = benchPrepare)]
    pub fn prepare(answers: &str, as_of: &str) -> Result<(), JsValue> {
        let bundle = active()?;
        let (profile, errors) = bundle.catalogue.read_profile_text(answers).map_err(|e| JsValue::from_str(&e.to_string()))?;
        if !errors.is_empty() {
            return Err(JsValue::from_str(&format!("{} bad answers", errors.len())));
        }
        let as_of = Date::parse(as_of).ok_or_else(|| JsValue::from_str("bad asOf"))?;
        PREPARED.with(|slot| *slot.borrow_mut() = Some((profile, as_of)));
        Ok(())
    }

    /// Evaluates every benefit for the prepared answers; returns how many are eligible,
    /// so the work cannot be optimised away.
    #[wasm_bindgen(js_name = benchEvaluate)]
    pub fn evaluate() -> Result<usize, JsValue> {
        let bundle = active()?;
        PREPARED.with(|slot| {
            let slot = slot.borrow();
            let (profile, as_of) = slot.as_ref().ok_or_else(|| JsValue::from_str("call benchPrepare first"))?;
            let evaluation = crate::engine::evaluate(&bundle, profile, *as_of);
            Ok(evaluation.results.iter().filter(|r| r.status == crate::Status::Eligible).count())
        })
    }
}
