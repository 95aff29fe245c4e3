//! The embedding facade: what the JS API (and any other host) calls. JSON values in,
//! serialisable structs out, money as strings, and every problem an [`ApiError`] that
//! names the field. Pure Rust, so it is tested natively; `js.rs` only converts values.

use crate::bundle::{Bundle, RuleError};
use crate::date::Date;
use crate::engine::{self, evaluate_for, Timing, Validity};
use crate::facts::{ChoiceOption, FactKind, Section};
use crate::report::{report, EvaluationReport};
use crate::rules::{Level, Window};
use crate::text::{Lang, Text};
use serde::Serialize;
use serde_json::Value as Json;
use sha2::{Digest, Sha256};

/// The day the embedded bundle was built (UTC), written by `build.rs`.
pub const EMBEDDED_BUILT: &str = include_str!(concat!(env!("OUT_DIR"), "/bundle.built"));

/// One bad input, named by its field (`profile.revenue`, `options.asOf`, `bundle`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// Why a call was refused. `message` says it all in one line; `errors` lists each field.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApiError {
    pub message: String,
    pub errors: Vec<FieldError>,
}

impl ApiError {
    pub fn new(errors: Vec<FieldError>, lang: Lang) -> ApiError {
        let shown: Vec<String> = errors.iter().take(5).map(|e| format!("{}: {}", e.field, e.message)).collect();
        let more = match errors.len().saturating_sub(5) {
            0 => String::new(),
            n => match lang {
                Lang::Zh => format!("；另有 {n} 处"),
                Lang::En => format!("; and {n} more"),
            },
        };
        let sep = lang.pick("；", "; ");
        ApiError { message: format!("{}{more}", shown.join(sep)), errors }
    }

    pub fn one(field: &str, message: impl Into<String>, lang: Lang) -> ApiError {
        ApiError::new(vec![FieldError { field: field.into(), message: message.into() }], lang)
    }

    /// The first field named, for hosts that only show one.
    pub fn field(&self) -> &str {
        self.errors.first().map_or("", |e| e.field.as_str())
    }
}

/// The options every call accepts: `{ asOf: "YYYY-MM-DD", policyYear: 2025, lang: "zh" | "en" }`,
/// all optional. Without `policyYear`, what is in force on `asOf` ("open now").
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    pub as_of: Date,
    pub lang: Lang,
    pub policy_year: Option<i32>,
}

impl Options {
    pub fn on(as_of: Date, lang: Lang) -> Options {
        Options { as_of, lang, policy_year: None }
    }

    pub fn timing(&self) -> Timing {
        Timing { as_of: self.as_of, policy_year: self.policy_year }
    }
}

fn run(bundle: &Bundle, profile: &crate::Profile, options: Options) -> engine::Evaluation {
    evaluate_for(bundle, profile, options.timing())
}

/// Reads the options object; `today` is the default date. `null`/absent means defaults.
pub fn read_options(options: &Json, today: Date) -> Result<Options, ApiError> {
    let mut lang = Lang::Zh;
    let map = match options {
        Json::Null => return Ok(Options::on(today, lang)),
        Json::Object(map) => map,
        _ => return Err(ApiError::one("options", "expected an object such as { asOf: \"2025-06-30\", lang: \"zh\" }", lang)),
    };
    // The language first, so the other messages can use it.
    let mut errors = Vec::new();
    match map.get("lang") {
        None | Some(Json::Null) => {}
        Some(other) => match other.as_str().and_then(Lang::parse) {
            Some(chosen) => lang = chosen,
            None => errors.push(FieldError { field: "options.lang".into(), message: format!("expected \"zh\" or \"en\", got {}", brief(other)) }),
        },
    }
    let mut as_of = today;
    match map.get("asOf") {
        None | Some(Json::Null) => {}
        Some(Json::String(text)) => match Date::parse(text.trim()) {
            Some(date) => as_of = date,
            None => errors.push(FieldError {
                field: "options.asOf".into(),
                message: match lang {
                    Lang::Zh => format!("“{}”不是有效日期（YYYY-MM-DD）", clip(text)),
                    Lang::En => format!("“{}” is not a date (YYYY-MM-DD)", clip(text)),
                },
            }),
        },
        Some(other) => errors.push(FieldError {
            field: "options.asOf".into(),
            message: format!("{}{}", lang.pick("应为日期字符串 YYYY-MM-DD，实为 ", "expected a date string YYYY-MM-DD, got "), brief(other)),
        }),
    }
    let mut policy_year = None;
    match map.get("policyYear") {
        None | Some(Json::Null) => {}
        Some(value) => match value.as_i64().filter(|y| (1900..=2200).contains(y)) {
            Some(year) => policy_year = Some(year as i32),
            None => errors.push(FieldError {
                field: "options.policyYear".into(),
                message: format!("{}{}", lang.pick("应为 1900 至 2200 之间的年份数字（如 2025），实为 ", "expected a year between 1900 and 2200 as a number (e.g. 2025), got "), brief(value)),
            }),
        },
    }
    for key in map.keys().filter(|k| !matches!(k.as_str(), "asOf" | "lang" | "policyYear")) {
        errors.push(FieldError { field: format!("options.{}", clip(key)), message: lang.pick("没有这个选项（可用 asOf、policyYear、lang）", "unknown option (asOf, policyYear and lang are known)").into() });
    }
    if errors.is_empty() {
        Ok(Options { as_of, lang, policy_year })
    } else {
        Err(ApiError::new(errors, lang))
    }
}

/// A value in a message, short: long strings and whole objects are not echoed back.
fn brief(value: &Json) -> String {
    match value {
        Json::String(s) => format!("\"{}\"", clip(s)),
        Json::Array(_) => "an array".into(),
        Json::Object(_) => "an object".into(),
        other => clip(&other.to_string()),
    }
}

fn clip(text: &str) -> String {
    match text.char_indices().nth(40) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// Reads a profile: the JSON text of an object of fact id → answer. Any bad answer
/// refuses the call, naming every bad field; a host keeps its own copy of the answers,
/// so nothing is lost. Text, not a JSON tree: read in one pass, as on every keystroke.
fn read_profile(bundle: &Bundle, answers: &str, lang: Lang) -> Result<crate::Profile, ApiError> {
    let Ok((read, errors)) = bundle.catalogue.read_profile_text(answers) else {
        // Not an object, or not JSON: say what was given instead.
        let given = match serde_json::from_str::<Json>(answers) {
            Ok(value) => brief(&value),
            Err(_) => lang.pick("无效的 JSON", "text that is not JSON").into(),
        };
        return Err(ApiError::one("profile", format!("{}{given}", lang.pick("应为答案对象 { 问题id: 答案 }，实为 ", "expected an object of answers { factId: answer }, got ")), lang));
    };
    if errors.is_empty() {
        Ok(read)
    } else {
        Err(ApiError::new(named(&errors, lang), lang))
    }
}

fn named(errors: &[crate::facts::AnswerError], lang: Lang) -> Vec<FieldError> {
    errors.iter().map(|e| FieldError { field: format!("profile.{}", clip(&e.fact)), message: e.problem.message(lang) }).collect()
}

/// Every answer the catalogue refuses, by field (empty when all are fine).
pub fn profile_errors(bundle: &Bundle, profile: &str, lang: Lang) -> Vec<FieldError> {
    match read_profile(bundle, profile, lang) {
        Ok(_) => Vec::new(),
        Err(e) => e.errors,
    }
}

pub fn evaluate(bundle: &Bundle, profile: &str, options: Options) -> Result<EvaluationReport, ApiError> {
    let profile = read_profile(bundle, profile, options.lang)?;
    let eval = run(bundle, &profile, options);
    Ok(report(bundle, &eval, options.lang))
}

/// The numbers of an evaluation without the words: for a host that updates a total as
/// the visitor types, and fetches the full `evaluate` report (clauses, reasons) when shown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvaluationSummary {
    pub bundle_hash: String,
    pub as_of: String,
    pub policy_year: Option<i32>,
    pub totals: SummaryTotals,
    /// Benefits in force on `as_of` that are eligible or need answers, in bundle order.
    pub benefits: Vec<BenefitSummary>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SummaryTotals {
    pub province: String,
    pub city: String,
    pub district: String,
    pub overall: String,
    pub up_to: bool,
    pub case_by_case: usize,
    pub needs_answers: usize,
    pub needs_answers_max: String,
    pub closed: usize,
    pub closed_amount: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BenefitSummary {
    pub id: String,
    /// eligible | needs_answers
    pub status: &'static str,
    /// not_stated | open | not_yet_open | closed | after_period
    pub claim: &'static str,
    /// 元; null when decided case by case or not yet known.
    pub amount: Option<String>,
    pub max_amount: Option<String>,
}

pub fn summary(bundle: &Bundle, profile: &str, options: Options) -> Result<EvaluationSummary, ApiError> {
    use crate::engine::Status;
    use crate::money::format_yuan;
    let profile = read_profile(bundle, profile, options.lang)?;
    let eval = run(bundle, &profile, options);
    let t = &eval.totals;
    Ok(EvaluationSummary {
        bundle_hash: bundle.hash.clone(),
        as_of: eval.as_of.to_string(),
        policy_year: eval.policy_year,
        totals: SummaryTotals {
            province: format_yuan(t.province),
            city: format_yuan(t.city),
            district: format_yuan(t.district),
            overall: format_yuan(t.overall),
            up_to: t.up_to,
            case_by_case: t.case_by_case,
            needs_answers: t.needs_answers,
            needs_answers_max: format_yuan(t.needs_answers_max),
            closed: t.closed,
            closed_amount: format_yuan(t.closed_amount),
        },
        benefits: eval
            .results
            .iter()
            .filter(|r| r.validity == Validity::InForce && matches!(r.status, Status::Eligible | Status::NeedsAnswers))
            .map(|r| BenefitSummary {
                id: bundle.benefits[r.benefit].id.clone(),
                status: crate::report::status_code(r.status),
                claim: crate::report::claim_code(r.claim),
                amount: r.amount.map(format_yuan),
                max_amount: r.max_amount.map(format_yuan),
            })
            .collect(),
    })
}

/// A question worth asking next, most valuable first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionInfo {
    pub id: String,
    pub label: String,
    pub kind: FactKind,
    pub section: String,
    /// How many benefits in force still wait on it.
    pub benefits: usize,
    /// The most those benefits could be worth together, in 元.
    pub worth: String,
}

pub fn next_questions(bundle: &Bundle, profile: &str, options: Options) -> Result<Vec<QuestionInfo>, ApiError> {
    let profile = read_profile(bundle, profile, options.lang)?;
    let eval = run(bundle, &profile, options);
    Ok(engine::next_questions(&eval)
        .into_iter()
        .map(|q| {
            let fact = bundle.catalogue.fact(q.fact);
            QuestionInfo {
                id: fact.id.clone(),
                label: fact.label.get(options.lang).to_string(),
                kind: fact.kind,
                section: fact.section.clone(),
                benefits: q.benefits,
                worth: crate::money::format_yuan(q.worth),
            }
        })
        .collect())
}

/// The questionnaire: every fact a rule may ask about, in both languages.
#[derive(Debug, Clone, Serialize)]
pub struct FactsInfo {
    pub sections: Vec<Section>,
    pub facts: Vec<FactInfo>,
    /// The most items a per-item fact takes.
    pub max_items: u8,
}

#[derive(Debug, Clone, Serialize)]
pub struct FactInfo {
    pub id: String,
    pub kind: FactKind,
    pub section: String,
    pub label: Text,
    pub help: Option<Text>,
    /// Bounds in 元 / units / fraction (5% → "0.05"), for money, counts and percentages.
    pub min: Option<String>,
    pub max: Option<String>,
    pub options: Vec<ChoiceOption>,
    /// For a fact answered per item (each project, base, fair…): the kind of item.
    /// Item 1 is answered as `id`, item n as `id#n`, up to `FactsInfo::max_items`.
    pub per_item: Option<crate::facts::ItemKind>,
}

pub fn facts(bundle: &Bundle) -> FactsInfo {
    let numeric = |kind| matches!(kind, FactKind::Money | FactKind::Count | FactKind::Percent);
    FactsInfo {
        sections: bundle.catalogue.sections.clone(),
        facts: bundle
            .catalogue
            .facts
            .iter()
            .map(|f| FactInfo {
                id: f.spec.id.clone(),
                kind: f.spec.kind,
                section: f.spec.section.clone(),
                label: f.spec.label.clone(),
                help: f.spec.help.clone(),
                min: numeric(f.spec.kind).then(|| f.min.normalize().to_string()),
                max: numeric(f.spec.kind).then(|| f.max.normalize().to_string()),
                options: f.spec.options.clone(),
                per_item: f.item_kind.map(|k| bundle.catalogue.item_kinds[k].clone()),
            })
            .collect(),
        max_items: crate::facts::MAX_ITEMS,
    }
}

/// One policy document and what of it is encoded.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentInfo {
    pub id: String,
    pub title: Text,
    pub issuer: Text,
    pub number: String,
    pub level: Level,
    pub district: Option<String>,
    /// null when the text bounds the start in no way (in force from: not stated).
    pub valid_from: Option<String>,
    /// The document does not print its start: `valid_from`, if any, is only the earliest
    /// date the text allows.
    pub valid_from_not_printed: bool,
    /// null when the document states no end date.
    pub valid_to: Option<String>,
    pub validity_clause: String,
    /// The period the qualifying events must fall in (null ends: not stated).
    pub performance_from: Option<String>,
    pub performance_to: Option<String>,
    /// The application window, where the text states one.
    pub application: Option<PeriodInfo>,
    pub time_reading: Option<Text>,
    pub funding: Option<Text>,
    pub notes: Option<Text>,
    pub benefits: Vec<BenefitInfo>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BenefitInfo {
    pub id: String,
    pub name: Text,
    pub article: String,
    pub clause: String,
    pub valid_from: Option<String>,
    pub valid_from_not_printed: bool,
    pub valid_to: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PeriodInfo {
    pub from: Option<String>,
    pub to: Option<String>,
    pub clause: String,
    pub line: u32,
}

fn window_start(window: Window) -> Option<String> {
    window.stated_from().map(|d| d.to_string())
}

fn window_end(window: Window) -> Option<String> {
    window.stated_to().map(|d| d.to_string())
}

fn period_info(p: &crate::rules::Period) -> PeriodInfo {
    PeriodInfo { from: window_start(p.window), to: window_end(p.window), clause: p.clause.clone(), line: p.line }
}

pub fn documents(bundle: &Bundle) -> Vec<DocumentInfo> {
    bundle
        .documents
        .iter()
        .enumerate()
        .map(|(i, d)| DocumentInfo {
            id: d.id.clone(),
            title: d.title.clone(),
            issuer: d.issuer.clone(),
            number: d.number.clone(),
            level: d.level,
            district: d.district.clone(),
            valid_from: window_start(d.valid),
            valid_from_not_printed: d.valid.from_not_printed,
            valid_to: window_end(d.valid),
            validity_clause: d.validity_clause.clone(),
            performance_from: window_start(d.performance),
            performance_to: window_end(d.performance),
            application: d.application.as_ref().map(period_info),
            time_reading: d.time_reading.clone(),
            funding: d.funding.clone(),
            notes: d.notes.clone(),
            benefits: bundle
                .benefits
                .iter()
                .filter(|b| b.document == i)
                .map(|b| BenefitInfo {
                    id: b.id.clone(),
                    name: b.name.clone(),
                    article: b.article.clone(),
                    clause: b.clause.clone(),
                    valid_from: window_start(b.valid),
                    valid_from_not_printed: b.valid.from_not_printed,
                    valid_to: window_end(b.valid),
                })
                .collect(),
        })
        .collect()
}

/// Which rules are in use: cite `version` and `hash` beside any result.
#[derive(Debug, Clone, Serialize)]
pub struct BundleInfo {
    pub version: String,
    /// SHA-256 of the bundle JSON (the `rules.json` file), hex.
    pub hash: String,
    /// The day the built-in bundle was built; null for any other bundle.
    pub built: Option<String>,
    /// "built-in": the rules this build was made with (compiled into the app; beside the
    /// engine-only build as rules.json), known by their hash. "loaded": any other bundle.
    pub source: &'static str,
    pub documents: Vec<DocumentValidity>,
    pub benefits: usize,
    pub facts: usize,
    /// The latest year with an annual edition in force (any district): the policy year
    /// to offer first. `defaultPolicyYear(district)` gives it for one district.
    pub default_policy_year: Option<i32>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DocumentValidity {
    pub id: String,
    pub title: Text,
    pub valid_from: Option<String>,
    pub valid_from_not_printed: bool,
    pub valid_to: Option<String>,
    /// in_force | expired | not_yet_in_force, on `as_of` (for `policyYear` where given).
    pub validity: &'static str,
}

/// Whether a bundle is the built-in one is decided by its content hash: the same text
/// is the same rules, however it arrived.
pub fn bundle_info(bundle: &Bundle, options: Options) -> BundleInfo {
    let built_in = is_built_in(bundle);
    BundleInfo {
        version: bundle.version.clone(),
        hash: bundle.hash.clone(),
        built: built_in.then(|| EMBEDDED_BUILT.trim().to_string()),
        source: if built_in { "built-in" } else { "loaded" },
        documents: bundle
            .documents
            .iter()
            .map(|d| DocumentValidity {
                id: d.id.clone(),
                title: d.title.clone(),
                valid_from: window_start(d.valid),
                valid_from_not_printed: d.valid.from_not_printed,
                valid_to: window_end(d.valid),
                validity: crate::report::validity_code(match options.policy_year {
                    None => engine::validity_on(d.valid, options.as_of),
                    Some(year) => engine::validity_in(d.valid, year),
                }),
            })
            .collect(),
        benefits: bundle.benefits.len(),
        facts: bundle.catalogue.facts.len(),
        default_policy_year: engine::default_policy_year(bundle, None, options.as_of),
    }
}

/// The policy year to offer first for a district (an option id of `district`; `None` or
/// "" for any): see `engine::default_policy_year`. An unknown district is refused.
pub fn default_policy_year(bundle: &Bundle, district: Option<&str>, options: Options) -> Result<Option<i32>, ApiError> {
    let options_of = &bundle.catalogue.fact(bundle.district_fact()).options;
    let choice = match district.map(str::trim).filter(|d| !d.is_empty()) {
        None => None,
        Some(id) => match options_of.iter().position(|o| o.id == id) {
            Some(i) => Some(i as u16),
            None => {
                let message = match options.lang {
                    Lang::Zh => format!("“{}”不是区、县（市）选项", clip(id)),
                    Lang::En => format!("“{}” is not a district option", clip(id)),
                };
                return Err(ApiError::one("district", message, options.lang));
            }
        },
    };
    Ok(engine::default_policy_year(bundle, choice, options.as_of))
}

/// What ends within `within_days` days of `asOf`, and what differs between editions.
#[derive(Debug, Clone, Serialize)]
pub struct ChangesInfo {
    pub as_of: String,
    pub within_days: i64,
    /// Soonest first.
    pub expiring: Vec<ExpiryInfo>,
    /// Empty when no policy has two editions in the bundle.
    pub editions: Vec<EditionInfo>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExpiryInfo {
    /// document | benefit | application
    pub what: &'static str,
    pub document: String,
    pub benefit: Option<String>,
    pub name: String,
    pub ends: String,
    pub days_left: i64,
    /// "滨江区2024年政策：有效期至2024-12-31（还有30天）" / "…: in force until 2024-12-31 (30 days left)".
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct EditionInfo {
    pub series: String,
    pub older: String,
    pub newer: String,
    pub added: Vec<String>,
    pub dropped: Vec<String>,
    pub changed: Vec<ChangedInfo>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChangedInfo {
    pub older: String,
    pub newer: String,
    pub name: String,
    /// amount | conditions | frequency, each with the old and the new wording.
    pub differences: Vec<DifferenceInfo>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DifferenceInfo {
    pub field: &'static str,
    pub before: String,
    pub after: String,
}

pub fn changes(bundle: &Bundle, options: Options, within_days: i64) -> ChangesInfo {
    use crate::changes::{edition_changes, expiring, BenefitChange, Ending};
    let lang = options.lang;
    let id = |i: usize| bundle.benefits[i].id.clone();
    ChangesInfo {
        as_of: options.as_of.to_string(),
        within_days,
        expiring: expiring(bundle, options.as_of, within_days)
            .into_iter()
            .map(|e| {
                let doc = &bundle.documents[e.document];
                let name = match e.benefit {
                    Some(b) => bundle.benefits[b].name.get(lang).to_string(),
                    None => doc.title.get(lang).to_string(),
                };
                let (what, zh, en) = match e.what {
                    Ending::Document => ("document", "有效期至", "in force until"),
                    Ending::Benefit => ("benefit", "有效期至", "in force until"),
                    Ending::Application => ("application", "申报截止于", "applications close on"),
                };
                let text = match lang {
                    Lang::Zh => format!("{name}：{zh}{}（还有{}天）", e.ends, e.days_left),
                    Lang::En => format!("{name}: {en} {} ({} days left)", e.ends, e.days_left),
                };
                ExpiryInfo { what, document: doc.id.clone(), benefit: e.benefit.map(id), name, ends: e.ends.to_string(), days_left: e.days_left, text }
            })
            .collect(),
        editions: edition_changes(bundle)
            .into_iter()
            .map(|p| {
                let (mut added, mut dropped, mut changed) = (Vec::new(), Vec::new(), Vec::new());
                for c in p.changes {
                    match c {
                        BenefitChange::Added { newer } => added.push(id(newer)),
                        BenefitChange::Dropped { older } => dropped.push(id(older)),
                        BenefitChange::Changed { older, newer, what } => changed.push(ChangedInfo {
                            older: id(older),
                            newer: id(newer),
                            name: bundle.benefits[newer].name.get(lang).to_string(),
                            differences: what
                                .into_iter()
                                .map(|d| DifferenceInfo { field: d.field, before: d.before.get(lang).to_string(), after: d.after.get(lang).to_string() })
                                .collect(),
                        }),
                    }
                }
                EditionInfo { series: p.series, older: bundle.documents[p.older].id.clone(), newer: bundle.documents[p.newer].id.clone(), added, dropped, changed }
            })
            .collect(),
    }
}

/// Whether these are the rules this build was made with.
pub fn is_built_in(bundle: &Bundle) -> bool {
    bundle.hash == crate::bundle::EMBEDDED_HASH.trim()
}

/// Reads `loadBundle`'s options: `{ sha256?: string, lang?: "zh" | "en" }`.
pub fn read_load_options(options: &Json) -> Result<(Option<String>, Lang), ApiError> {
    let map = match options {
        Json::Null => return Ok((None, Lang::Zh)),
        Json::Object(map) => map,
        other => return Err(ApiError::one("options", format!("expected an object such as {{ sha256: \"…\" }}, got {}", brief(other)), Lang::Zh)),
    };
    let lang = map.get("lang").and_then(Json::as_str).and_then(Lang::parse).unwrap_or_default();
    let mut errors = Vec::new();
    let expected = match map.get("sha256") {
        None | Some(Json::Null) => None,
        Some(Json::String(hex)) => Some(hex.clone()),
        Some(other) => {
            errors.push(FieldError { field: "options.sha256".into(), message: format!("{}{}", lang.pick("应为十六进制字符串，实为 ", "expected a hex string, got "), brief(other)) });
            None
        }
    };
    for key in map.keys().filter(|k| !matches!(k.as_str(), "sha256" | "lang")) {
        errors.push(FieldError { field: format!("options.{}", clip(key)), message: lang.pick("没有这个选项（可用 sha256、lang）", "unknown option (sha256 and lang are known)").into() });
    }
    if errors.is_empty() {
        Ok((expected, lang))
    } else {
        Err(ApiError::new(errors, lang))
    }
}

/// SHA-256 hex digest, the bundle's content hash.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Validates a bundle given at run time. The caller keeps its current bundle unless this
/// returns `Ok`. `expected_hash`, when given, must match: a tampered file is refused.
pub fn load_bundle(text: &str, expected_hash: Option<&str>, lang: Lang) -> Result<Bundle, ApiError> {
    let hash = sha256_hex(text.as_bytes());
    if let Some(expected) = expected_hash {
        if !expected.trim().eq_ignore_ascii_case(&hash) {
            return Err(ApiError::one(
                "bundle",
                match lang {
                    Lang::Zh => format!("内容与给定的 SHA-256 不符（应为 {}，实为 {hash}），文件可能不完整或被改动", clip(expected.trim())),
                    Lang::En => format!("content does not match the given SHA-256 (expected {}, got {hash}); the file may be truncated or altered", clip(expected.trim())),
                },
                lang,
            ));
        }
    }
    Bundle::from_json(text, &hash).map_err(|errors| bundle_errors(&errors, lang))
}

fn bundle_errors(errors: &[RuleError], lang: Lang) -> ApiError {
    let prefix = lang.pick("规则包无效，仍使用原规则：", "invalid rule bundle, the current rules stay in use: ");
    let errors = errors.iter().map(|e| FieldError { field: "bundle".into(), message: format!("{prefix}{e}") }).collect();
    ApiError::new(errors, lang)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn bundle() -> Bundle {
        Bundle::embedded().expect("embedded bundle is valid")
    }

    const TODAY: Date = Date { year: 2025, month: 6, day: 30 };

    #[test]
    fn options_default_and_parse() {
        assert_eq!(read_options(&Json::Null, TODAY).unwrap(), Options::on(TODAY, Lang::Zh));
        let o = read_options(&json!({"asOf": "2024-06-30", "lang": "en"}), TODAY).unwrap();
        assert_eq!((o.as_of.to_string().as_str(), o.lang), ("2024-06-30", Lang::En));
    }

    #[test]
    fn a_policy_year_is_read_and_used() {
        let o = read_options(&json!({"asOf": "2026-12-05", "policyYear": 2025}), TODAY).unwrap();
        assert_eq!((o.policy_year, o.as_of.to_string().as_str()), (Some(2025), "2026-12-05"));
        assert_eq!(read_options(&json!({"policyYear": null}), TODAY).unwrap().policy_year, None);
        for bad in [json!("2025"), json!(2025.5), json!(99999), json!(true)] {
            let e = read_options(&json!({"policyYear": bad, "lang": "en"}), TODAY).unwrap_err();
            assert_eq!(e.field(), "options.policyYear", "{bad}");
            assert!(e.message.contains("expected a year"), "{}", e.message);
        }
        // The 2024 Binjiang edition, out of force on 2026-12-05, is assessed for 2024.
        let b = bundle();
        let answers = json!({"district": "binjiang", "tech_enterprise": true, "tech_sme_scale": true, "rd_spend": "1500万", "rd_spend_prev": "1000万"}).to_string();
        let on = Date { year: 2026, month: 12, day: 5 };
        let rd = |r: &EvaluationReport| r.benefits.iter().find(|x| x.id == "binjiang-2024-rd-increase-sme").map(|x| (x.status, x.claim)).unwrap();
        let now = evaluate(&b, &answers, Options::on(on, Lang::Zh)).unwrap();
        assert_eq!((rd(&now), now.policy_year), (("not_in_force", "not_stated"), None));
        let y2024 = evaluate(&b, &answers, Options { policy_year: Some(2024), ..Options::on(on, Lang::Zh) }).unwrap();
        assert_eq!((rd(&y2024), y2024.policy_year), (("eligible", "not_stated"), Some(2024)));
        let short = summary(&b, &answers, Options { policy_year: Some(2024), ..Options::on(on, Lang::Zh) }).unwrap();
        assert_eq!((short.policy_year, short.totals.overall.as_str()), (Some(2024), y2024.totals.overall.as_str()));
    }

    #[test]
    fn the_default_policy_year_per_district() {
        let b = bundle();
        let on = Options::on(Date { year: 2026, month: 12, day: 5 }, Lang::En);
        assert_eq!(default_policy_year(&b, Some("binjiang"), on).unwrap(), Some(2025));
        assert_eq!(default_policy_year(&b, None, on).unwrap(), Some(2025));
        assert_eq!(bundle_info(&b, on).default_policy_year, Some(2025));
        let early = Options::on(Date { year: 2024, month: 3, day: 1 }, Lang::En);
        assert_eq!(default_policy_year(&b, Some("binjiang"), early).unwrap(), Some(2024));
        let e = default_policy_year(&b, Some("mars"), on).unwrap_err();
        assert_eq!(e.field(), "district");
        assert!(e.message.contains("not a district option"), "{}", e.message);
    }

    #[test]
    fn changes_list_what_ends_soon_in_words() {
        let b = bundle();
        // 2025-10-02 is 90 days before 2025-12-31, when the 2025 editions end.
        let c = changes(&b, Options::on(Date { year: 2025, month: 10, day: 2 }, Lang::En), 90);
        let ends: Vec<(&str, &str, i64)> = c.expiring.iter().map(|e| (e.what, e.document.as_str(), e.days_left)).collect();
        for doc in ["hangzhou-2025", "yuhang-2025", "linan-2025"] {
            assert!(ends.contains(&("document", doc, 90)), "{doc} in {ends:?}");
        }
        let y = c.expiring.iter().find(|e| e.document == "yuhang-2025").unwrap();
        assert!(y.text.ends_with("in force until 2025-12-31 (90 days left)"), "{}", y.text);
        assert!(c.expiring.windows(2).all(|w| w[0].ends <= w[1].ends), "soonest first");
        // The sample-enterprise deadline, 2025-06-06, within 90 days of 2025-04-01.
        let c = changes(&b, Options::on(Date { year: 2025, month: 4, day: 1 }, Lang::Zh), 90);
        let sample = c.expiring.iter().find(|e| e.document == "hangzhou-sme-digital-sample-2025").unwrap();
        assert_eq!((sample.what, sample.days_left), ("application", 66));
        assert!(sample.text.contains("申报截止于2025-06-06"), "{}", sample.text);
        // Every series pair names two documents of the bundle.
        assert!(c.editions.iter().all(|e| b.document_index(&e.older).is_some() && b.document_index(&e.newer).is_some()));
    }

    #[test]
    fn bad_options_name_the_field() {
        let e = read_options(&json!({"asOf": "2024-13-01"}), TODAY).unwrap_err();
        assert_eq!(e.field(), "options.asOf");
        assert!(e.message.contains("2024-13-01"), "{}", e.message);
        let e = read_options(&json!({"lang": "fr", "asof": 1}), TODAY).unwrap_err();
        let fields: Vec<&str> = e.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["options.lang", "options.asof"]);
        assert_eq!(read_options(&json!([1]), TODAY).unwrap_err().field(), "options");
    }

    #[test]
    fn bad_answers_name_every_field_in_the_chosen_language() {
        let b = bundle();
        let options = Options::on(TODAY, Lang::En);
        let e = evaluate(&b, &json!({"district": "mars", "no_such_fact": 1}).to_string(), options).unwrap_err();
        let fields: Vec<&str> = e.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["profile.district", "profile.no_such_fact"]);
        assert!(e.message.contains("not one of the options"), "{}", e.message);
        let e = evaluate(&b, &json!("revenue").to_string(), options).unwrap_err();
        assert_eq!(e.field(), "profile");
    }

    #[test]
    fn evaluate_gives_the_stable_report() {
        let b = bundle();
        let r = evaluate(&b, &json!({"district": "binjiang"}).to_string(), Options::on(TODAY, Lang::Zh)).unwrap();
        assert_eq!(r.as_of, "2025-06-30");
        assert_eq!(r.bundle.hash, b.hash);
        assert!(r.benefits.iter().any(|x| x.status == "needs_answers"));
    }

    #[test]
    fn the_summary_agrees_with_the_full_report() {
        let b = bundle();
        let answers = json!({"district": "binjiang", "tech_enterprise": true, "tech_sme_scale": true, "rd_spend": "1500万", "rd_spend_prev": "1000万"});
        let options = Options::on(Date { year: 2024, month: 6, day: 30 }, Lang::Zh);
        let full = evaluate(&b, &answers.to_string(), options).unwrap();
        let short = summary(&b, &answers.to_string(), options).unwrap();
        assert_eq!(short.totals.overall, full.totals.overall);
        assert_eq!(short.totals.needs_answers, full.totals.needs_answers);
        let listed: Vec<(&str, Option<&String>)> = full
            .benefits
            .iter()
            .filter(|x| x.validity == "in_force" && (x.status == "eligible" || x.status == "needs_answers"))
            .map(|x| (x.id.as_str(), x.amount.as_ref()))
            .collect();
        let summarised: Vec<(&str, Option<&String>)> = short.benefits.iter().map(|x| (x.id.as_str(), x.amount.as_ref())).collect();
        assert_eq!(summarised, listed);
        assert!(short.benefits.iter().any(|x| x.id == "binjiang-2024-rd-increase-sme" && x.amount.as_deref() == Some("250000.00")));
        assert_eq!(summary(&b, &json!({"district": 3}).to_string(), options).unwrap_err().field(), "profile.district");
    }

    #[test]
    fn next_questions_are_facts_of_the_catalogue_and_shrink_when_answered() {
        let b = bundle();
        let options = Options::on(TODAY, Lang::Zh);
        let before = next_questions(&b, &json!({"district": "binjiang"}).to_string(), options).unwrap();
        assert!(!before.is_empty());
        assert!(before.iter().all(|q| b.catalogue.index_of(&q.id).is_some()));
        let first = &before[0].id;
        let kind = before[0].kind;
        let answer = match kind {
            FactKind::Bool => json!(false),
            FactKind::Choice => json!(b.catalogue.fact(b.catalogue.index_of(first).unwrap()).options[0].id),
            FactKind::Date => json!("2020-01-01"),
            _ => json!("0"),
        };
        let after = next_questions(&b, &json!({"district": "binjiang", first.as_str(): answer}).to_string(), options).unwrap();
        assert!(after.iter().all(|q| &q.id != first));
    }

    #[test]
    fn answers_are_read_from_text_in_the_order_given_and_the_last_of_a_repeated_key_counts() {
        let b = bundle();
        let options = Options::on(TODAY, Lang::En);
        let e = summary(&b, r#"{"rd_spend": "-1", "district": "mars"}"#, options).unwrap_err();
        assert_eq!(e.errors.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["profile.rd_spend", "profile.district"]);
        // As JSON.parse reads it: {"district": "binjiang"}.
        let twice = summary(&b, r#"{"district": "mars", "district": "binjiang"}"#, options).unwrap();
        let once = summary(&b, r#"{"district": "binjiang"}"#, options).unwrap();
        assert_eq!(twice, once);
        assert!(summary(&b, r#"{"district": "binjiang", "district": "mars"}"#, options).is_err());
        let e = summary(&b, "[1, 2]", options).unwrap_err();
        assert_eq!((e.field(), e.message.contains("an array")), ("profile", true), "{}", e.message);
        let e = summary(&b, "{\"district\": ", options).unwrap_err();
        assert!(e.message.contains("not JSON"), "{}", e.message);
    }

    #[test]
    fn the_built_in_bundle_is_known_by_its_hash() {
        let b = load_bundle(crate::bundle::EMBEDDED_JSON, Some(crate::bundle::EMBEDDED_HASH), Lang::Zh).unwrap();
        assert_eq!(b.hash, crate::bundle::EMBEDDED_HASH.trim());
        let info = bundle_info(&b, Options::on(TODAY, Lang::Zh));
        assert_eq!((info.source, info.documents.len()), ("built-in", b.documents.len()));
        assert!(Date::parse(info.built.as_deref().unwrap()).is_some());
        // Any other text, valid as it may be, is not the built-in bundle.
        let newer = crate::bundle::EMBEDDED_JSON.replacen("\"version\":\"", "\"version\":\"9", 1);
        let info = bundle_info(&load_bundle(&newer, None, Lang::Zh).unwrap(), Options::on(TODAY, Lang::Zh));
        assert_eq!((info.source, info.built), ("loaded", None));
    }

    #[test]
    fn truncated_tampered_and_invalid_bundles_are_refused() {
        let text = crate::bundle::EMBEDDED_JSON;
        let half = (0..=text.len() / 2).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
        let e = load_bundle(&text[..half], None, Lang::En).unwrap_err();
        assert!(e.message.starts_with("bundle: invalid rule bundle"), "{}", e.message);
        let tampered = text.replacen("\"version\":\"", "\"version\":\"9", 1);
        assert_ne!(tampered, text);
        let e = load_bundle(&tampered, Some(crate::bundle::EMBEDDED_HASH), Lang::En).unwrap_err();
        assert!(e.message.contains("does not match"), "{}", e.message);
        let e = load_bundle("{\"version\": 1}", None, Lang::Zh).unwrap_err();
        assert!(e.message.contains("规则包无效"), "{}", e.message);
    }

    #[test]
    fn facts_and_documents_cover_the_bundle() {
        let b = bundle();
        assert_eq!(facts(&b).facts.len(), b.catalogue.facts.len());
        let docs = documents(&b);
        assert_eq!(docs.iter().map(|d| d.benefits.len()).sum::<usize>(), b.benefits.len());
    }
}
