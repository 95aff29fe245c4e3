//! What the rule studio computes, as pure functions over bundles (the wasm layer,
//! `studio_js.rs`, only converts): the rule cases with pass/fail per case, the change log
//! between two bundles, and how the cases' results differ between two bundles.

use crate::bundle::Bundle;
use crate::cases::{run_case, CaseFile};
use crate::date::Date;
use crate::engine::evaluate;
use crate::money::{format_percent, format_wan};
use crate::report::status_code;
use crate::rules::{Amount, Benefit};
use serde::Serialize;

/// One rule case, run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseResult {
    pub file: String,
    pub name: String,
    pub passed: bool,
    /// What did not match (empty when it passed).
    pub problems: Vec<String>,
}

pub fn run_cases(bundle: &Bundle, files: &[CaseFile]) -> Vec<CaseResult> {
    let mut results = Vec::new();
    for f in files {
        for c in &f.cases {
            let problems = run_case(bundle, c);
            results.push(CaseResult { file: f.file.clone(), name: c.name.clone(), passed: problems.is_empty(), problems });
        }
    }
    results
}

/// How the amount is worked out, as the rule file writes it: two bundles' benefits
/// differ in amount exactly when these differ.
pub fn amount_text(a: &Amount) -> String {
    let wan = |v| format!("{}万", format_wan(v));
    match a {
        Amount::Fixed(v) => wan(*v),
        Amount::Rate { rate, of } => format!("{} × {}", format_percent(*rate), of.source),
        Amount::GrantShare { rate, of } => format!("{} of grant {}", format_percent(*rate), of.source),
        Amount::FeeReduction { rate, of } => format!("{} off fee {}", format_percent(*rate), of.source),
        Amount::PerUnit { value, count } => format!("{} × {}", wan(*value), count.source),
        Amount::Tiers(tiers) => tiers.iter().map(|(when, v)| format!("{} if {}", wan(*v), when.source)).collect::<Vec<_>>().join("; "),
        Amount::CaseByCase => "case by case".into(),
    }
}

/// One benefit, group or company cap whose rule changed: each entry is (field, before, after).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BenefitChange {
    pub id: String,
    pub changes: Vec<(String, String, String)>,
}

/// Non-duplication groups or company caps added, removed, or changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct ItemChanges {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: Vec<BenefitChange>,
}

/// What changed between a published bundle and an edited one: benefits (`added`,
/// `removed`, `changed`), non-duplication groups and company caps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangeLog {
    pub old_version: String,
    pub new_version: String,
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: Vec<BenefitChange>,
    pub groups: ItemChanges,
    pub company_caps: ItemChanges,
}

type Fields = Vec<(&'static str, String)>;

/// The fields an officer reviews: amount, cap, conditions, validity, clause, article.
fn fields(b: &Benefit) -> Fields {
    // The first condition is the document's place ("registered in …"), also compared.
    let conditions: Vec<&str> = b.conditions.iter().map(|c| c.source.as_str()).collect();
    vec![
        ("amount", format!("{}{}", if b.up_to { "up to " } else { "" }, amount_text(&b.amount))),
        ("cap", b.cap.map_or("none".into(), |c| format!("{}万", format_wan(c)))),
        ("bounded_by", b.bound.as_ref().map_or("none".into(), |f| f.source.clone())),
        ("conditions", conditions.join(" and ")),
        ("valid", format!("{} to {}", b.valid.from, b.valid.to)),
        ("clause", b.clause.clone()),
        ("article", b.article.clone()),
    ]
}

/// Members are named by id, so a group is unchanged when its benefits only moved.
fn members(bundle: &Bundle, benefits: &[usize]) -> String {
    benefits.iter().map(|&i| bundle.benefits[i].id.as_str()).collect::<Vec<_>>().join(", ")
}

fn group_fields(bundle: &Bundle, g: &crate::rules::ExclusiveGroup) -> Fields {
    vec![
        ("benefits", members(bundle, &g.benefits)),
        ("clause", g.clause.clone()),
        ("reading", g.reading.as_ref().map_or("none".into(), |r| r.zh.clone())),
    ]
}

fn cap_fields(bundle: &Bundle, c: &crate::rules::CompanyCap) -> Fields {
    vec![("benefits", members(bundle, &c.benefits)), ("cap", format!("{}万", format_wan(c.cap))), ("clause", c.clause.clone())]
}

/// Added, removed and changed items between two lists of (id, fields).
fn diff(old: &[(String, Fields)], new: &[(String, Fields)]) -> ItemChanges {
    let find = |list: &[(String, Fields)], id: &str| list.iter().position(|(i, _)| i == id);
    let mut changes = ItemChanges {
        added: new.iter().filter(|(id, _)| find(old, id).is_none()).map(|(id, _)| id.clone()).collect(),
        removed: old.iter().filter(|(id, _)| find(new, id).is_none()).map(|(id, _)| id.clone()).collect(),
        changed: Vec::new(),
    };
    for (id, after) in new {
        let Some(i) = find(old, id) else { continue };
        let fields: Vec<_> = old[i]
            .1
            .iter()
            .zip(after)
            .filter(|(before, after)| before.1 != after.1)
            .map(|((field, before), (_, after))| (field.to_string(), before.clone(), after.clone()))
            .collect();
        if !fields.is_empty() {
            changes.changed.push(BenefitChange { id: id.clone(), changes: fields });
        }
    }
    changes
}

pub fn change_log(old: &Bundle, new: &Bundle) -> ChangeLog {
    let benefits = |b: &Bundle| b.benefits.iter().map(|x| (x.id.clone(), fields(x))).collect::<Vec<_>>();
    let groups = |b: &Bundle| b.exclusive_groups.iter().map(|g| (g.id.clone(), group_fields(b, g))).collect::<Vec<_>>();
    let caps = |b: &Bundle| b.company_caps.iter().map(|c| (c.id.clone(), cap_fields(b, c))).collect::<Vec<_>>();
    let ItemChanges { added, removed, changed } = diff(&benefits(old), &benefits(new));
    ChangeLog {
        old_version: old.version.clone(),
        new_version: new.version.clone(),
        added,
        removed,
        changed,
        groups: diff(&groups(old), &groups(new)),
        company_caps: diff(&caps(old), &caps(new)),
    }
}

impl ChangeLog {
    /// The change log to read and to attach to a publication, in Chinese and English.
    pub fn to_text(&self) -> String {
        let mut s = format!("规则包变更 / Bundle changes: {} → {}\n", self.old_version, self.new_version);
        let list = |s: &mut String, title: &str, ids: &[String]| {
            s.push_str(&format!("\n{title} ({})\n", ids.len()));
            for id in ids {
                s.push_str(&format!("  {id}\n"));
            }
        };
        let changed = |s: &mut String, title: &str, items: &[BenefitChange]| {
            s.push_str(&format!("\n{title} ({})\n", items.len()));
            for c in items {
                s.push_str(&format!("  {}\n", c.id));
                for (field, before, after) in &c.changes {
                    s.push_str(&format!("    {field}: {before}\n    {:width$}→ {after}\n", "", width = field.len()));
                }
            }
        };
        list(&mut s, "新增 / Added", &self.added);
        list(&mut s, "删除 / Removed", &self.removed);
        changed(&mut s, "修改 / Changed", &self.changed);
        for (what, items) in [("不重复享受组 / Non-duplication groups", &self.groups), ("企业年度上限 / Company caps", &self.company_caps)] {
            // Only what changed: most edits touch no group or cap.
            if items.added.is_empty() && items.removed.is_empty() && items.changed.is_empty() {
                continue;
            }
            s.push_str(&format!("\n== {what} ==\n"));
            list(&mut s, "新增 / Added", &items.added);
            list(&mut s, "删除 / Removed", &items.removed);
            changed(&mut s, "修改 / Changed", &items.changed);
        }
        s
    }
}

/// A benefit whose result for a rule case differs between two bundles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResultChange {
    pub file: String,
    pub case: String,
    pub benefit: String,
    /// "eligible 25万", "not_eligible", or "absent" when the bundle has no such benefit.
    pub before: String,
    pub after: String,
}

fn outcome(bundle: &Bundle, id: &str, eval: &crate::engine::Evaluation) -> String {
    let Some(i) = bundle.benefit_index(id) else { return "absent".into() };
    let r = &eval.results[i];
    match r.amount {
        Some(a) => format!("{} {}万", status_code(r.status), format_wan(a)),
        None => status_code(r.status).to_string(),
    }
}

/// For every rule case, the benefits whose status or amount differs between the
/// published bundle and the edited one.
pub fn case_diff(old: &Bundle, new: &Bundle, files: &[CaseFile]) -> Vec<ResultChange> {
    let mut ids: Vec<&str> = new.benefits.iter().map(|b| b.id.as_str()).collect();
    ids.extend(old.benefits.iter().map(|b| b.id.as_str()).filter(|id| new.benefit_index(id).is_none()));
    let mut changes = Vec::new();
    for f in files {
        for c in &f.cases {
            let Some(as_of) = Date::parse(&c.as_of) else { continue };
            let before = evaluate(old, &old.catalogue.read_profile(&c.profile).0, as_of);
            let after = evaluate(new, &new.catalogue.read_profile(&c.profile).0, as_of);
            for id in &ids {
                let (b, a) = (outcome(old, id, &before), outcome(new, id, &after));
                if b != a {
                    changes.push(ResultChange { file: f.file.clone(), case: c.name.clone(), benefit: id.to_string(), before: b, after: a });
                }
            }
        }
    }
    changes
}

/// Whitespace is folded, as in the verbatim test: policy texts break lines and put
/// spaces inside numbers ("500 万元").
fn fold(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Every quote of a document (validity clause, benefits, groups, caps, left-out clauses):
/// (item, quote, left out).
fn quotes(bundle: &Bundle, d: usize) -> Vec<(String, &str, bool)> {
    let doc = &bundle.documents[d];
    let mut quotes = Vec::new();
    if !doc.validity_clause.is_empty() {
        quotes.push(("validity_clause".to_string(), doc.validity_clause.as_str(), false));
    }
    quotes.extend(bundle.benefits.iter().filter(|b| b.document == d).map(|b| (format!("benefit `{}`", b.id), b.clause.as_str(), false)));
    quotes.extend(bundle.exclusive_groups.iter().filter(|g| g.document == d).map(|g| (format!("exclusive `{}`", g.id), g.clause.as_str(), false)));
    quotes.extend(bundle.company_caps.iter().filter(|c| c.document == d).map(|c| (format!("company_cap `{}`", c.id), c.clause.as_str(), false)));
    quotes.extend(doc.left_out.iter().map(|l| (format!("left_out {}", l.article), l.clause.as_str(), true)));
    quotes
}

/// One quote of the document, looked up in the policy text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuoteCheck {
    pub item: String,
    pub found: bool,
}

/// Whether each quote of document `d` is verbatim in `text` (whitespace aside).
pub fn verbatim(bundle: &Bundle, d: usize, text: &str) -> Vec<QuoteCheck> {
    let text = fold(text);
    quotes(bundle, d).into_iter().map(|(item, quote, _)| QuoteCheck { item, found: !quote.trim().is_empty() && text.contains(&fold(quote)) }).collect()
}

/// One paragraph (non-empty line) of the policy text and what the rules make of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Paragraph {
    pub line: usize,
    pub text: String,
    /// "encoded" (a benefit, group, cap or the validity clause quotes it), "left_out"
    /// (listed as deliberately left out), or "neither".
    pub state: &'static str,
    pub items: Vec<String>,
}

/// Which paragraphs of the policy text the document's rules encode, leave out, or
/// neither: a paragraph is covered by a quote that lies in it or that it lies in.
pub fn coverage(bundle: &Bundle, d: usize, text: &str) -> Vec<Paragraph> {
    let quotes: Vec<(String, String, bool)> = quotes(bundle, d).into_iter().map(|(i, q, l)| (i, fold(q), l)).filter(|q| !q.1.is_empty()).collect();
    let mut paragraphs = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let folded = fold(line);
        if folded.is_empty() {
            continue;
        }
        let hits: Vec<&(String, String, bool)> = quotes.iter().filter(|(_, q, _)| folded.contains(q.as_str()) || q.contains(&folded)).collect();
        let state = if hits.iter().any(|h| !h.2) {
            "encoded"
        } else if !hits.is_empty() {
            "left_out"
        } else {
            "neither"
        };
        paragraphs.push(Paragraph { line: n + 1, text: line.trim().to_string(), state, items: hits.iter().map(|h| h.0.clone()).collect() });
    }
    paragraphs
}

/// The questionnaire's results for a previewed profile (see `Session::preview`).
#[cfg(any(test, feature = "studio"))]
pub struct Preview {
    pub report: crate::report::EvaluationReport,
    pub benefits: Vec<std::rc::Rc<crate::report::BenefitReport>>,
    pub out_of_force: Vec<crate::report::OutOfForce>,
}

/// The studio's state between calls: the last rule files that checked. The wasm layer
/// holds one and passes JSON text in and out, so all of this is tested natively.
#[derive(Default)]
pub struct Session {
    checked: Option<crate::check::Checked>,
}

fn error_json(zh: &str, en: &str) -> serde_json::Value {
    serde_json::json!({ "ok": false, "errors": [{ "file": "", "line": 0, "column": 0, "item": "", "message": { "zh": zh, "en": en }, "fix": { "zh": "", "en": "" } }] })
}

impl Session {
    /// `files`: `[{"name": "rules/x.toml", "text": "…"}]`. Returns `{ok, sha256, version,
    /// documents, benefits, cases, bundle}` or `{ok: false, errors: [{file, line, column,
    /// item, message: {zh, en}, fix: {zh, en}}]}`. A failed check keeps the last good
    /// rules for the preview.
    pub fn check(&mut self, files: &str) -> serde_json::Value {
        #[derive(serde::Deserialize)]
        struct File {
            name: String,
            text: String,
        }
        let files: Vec<File> = match serde_json::from_str(files) {
            Ok(f) => f,
            Err(e) => return error_json(&format!("文件列表格式不对：{}", crate::rule_zh::serde_zh(&e.to_string())), &format!("the file list is not [{{name, text}}]: {e}")),
        };
        let pairs: Vec<(&str, &str)> = files.iter().map(|f| (f.name.as_str(), f.text.as_str())).collect();
        match crate::check::check(&pairs) {
            Err(errors) => serde_json::json!({ "ok": false, "errors": errors.iter().map(|e| e.to_json()).collect::<Vec<_>>() }),
            Ok(c) => {
                let summary = serde_json::json!({
                    "ok": true,
                    "sha256": c.compiled.hash,
                    "version": c.bundle.version,
                    "documents": c.bundle.documents.len(),
                    "benefits": c.bundle.benefits.len(),
                    "cases": c.cases.iter().map(|f| f.cases.len()).sum::<usize>(),
                    "bundle": c.compiled.bundle_json,
                });
                self.checked = Some(c);
                summary
            }
        }
    }

    fn checked(&self) -> Result<&crate::check::Checked, serde_json::Value> {
        self.checked.as_ref().ok_or_else(|| error_json("还没有通过检查的规则", "no rules have checked yet"))
    }

    fn other(bundle_json: &str) -> Result<Bundle, serde_json::Value> {
        let hash = crate::api::sha256_hex(bundle_json.as_bytes());
        Bundle::from_json(bundle_json, &hash).map_err(|errors| {
            let en: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
            let zh: Vec<String> = errors.iter().map(|e| crate::check::locate(&[], e).display(true)).collect();
            error_json(&format!("已发布的规则包无法读取：{}", zh.join("；")), &format!("the published bundle cannot be read: {}", en.join("; ")))
        })
    }

    /// `{ok, passed, failed, results: [{file, name, passed, problems}]}`.
    pub fn run_cases(&self) -> serde_json::Value {
        let c = match self.checked() {
            Ok(c) => c,
            Err(e) => return e,
        };
        let results = run_cases(&c.bundle, &c.cases);
        let passed = results.iter().filter(|r| r.passed).count();
        serde_json::json!({ "ok": true, "passed": passed, "failed": results.len() - passed, "results": results })
    }

    /// What the questionnaire's results show for a profile, made as the app makes it
    /// (`web/app.rs`): the totals, the benefits in force in words, and those out of force.
    /// `policy_year`: "" for what is open on `as_of`, or a year such as "2025". The
    /// studio's wasm renders these with the app's own `Results` component. (Only in the
    /// studio's build and the tests: in the app's, a second caller of the report functions
    /// changed how the optimiser inlined them, and the app's wasm grew by a few bytes.)
    #[cfg(any(test, feature = "studio"))]
    pub fn preview(&self, profile: &str, as_of: &str, policy_year: &str, lang: &str) -> Result<Preview, serde_json::Value> {
        let c = self.checked()?;
        let lang = crate::text::Lang::parse(lang).unwrap_or_default();
        let Some(as_of) = Date::parse(as_of) else { return Err(error_json(&format!("“{as_of}”不是日期（YYYY-MM-DD）"), &format!("`{as_of}` is not a date (YYYY-MM-DD)"))) };
        let policy_year = match policy_year.trim() {
            "" => None,
            y => match y.parse::<i32>() {
                Ok(y) if (2000..=2100).contains(&y) => Some(y),
                _ => return Err(error_json(&format!("“{y}”不是年份（如 2025），或留空表示“现在可申请”"), &format!("`{y}` is not a year (such as 2025); leave it empty for what is open now"))),
            },
        };
        let answers: serde_json::Value = serde_json::from_str(profile)
            .map_err(|e| error_json(&format!("答案不是 JSON：{}", crate::rule_zh::serde_zh(&e.to_string())), &format!("the answers are not JSON: {e}")))?;
        let (profile, errors) = c.bundle.catalogue.read_profile(&answers);
        if !errors.is_empty() {
            let zh: Vec<String> = errors.iter().map(|e| e.message(crate::text::Lang::Zh)).collect();
            let en: Vec<String> = errors.iter().map(|e| e.message(crate::text::Lang::En)).collect();
            return Err(error_json(&zh.join("；"), &en.join("; ")));
        }
        let eval = crate::engine::evaluate_for(&c.bundle, &profile, crate::engine::Timing { as_of, policy_year });
        let benefits = crate::report::BenefitReports::default().update(&c.bundle, &eval, lang, |r| r.validity == crate::engine::Validity::InForce);
        Ok(Preview {
            report: crate::report::report_totals(&c.bundle, &eval, lang),
            benefits,
            out_of_force: crate::report::out_of_force(&c.bundle, &eval, lang),
        })
    }

    /// The verbatim check and the coverage of a policy text for one document of the
    /// checked rules: `{ok, quotes: [{item, found}], paragraphs: [{line, text, state, items}]}`.
    pub fn policy_text(&self, document: &str, text: &str) -> serde_json::Value {
        let c = match self.checked() {
            Ok(c) => c,
            Err(e) => return e,
        };
        let Some(d) = c.bundle.document_index(document) else {
            return error_json(&format!("没有 id 为“{document}”的文件"), &format!("no document with the id `{document}`"));
        };
        serde_json::json!({ "ok": true, "quotes": verbatim(&c.bundle, d, text), "paragraphs": coverage(&c.bundle, d, text) })
    }

    /// The documents of the checked rules, for choosing one: `[{id, file, title}]`.
    pub fn documents(&self) -> serde_json::Value {
        let Ok(c) = self.checked() else { return serde_json::json!([]) };
        c.bundle.documents.iter().map(|d| serde_json::json!({ "id": d.id, "file": d.file, "title": d.title.zh })).collect()
    }

    /// The change log from a published bundle to the checked one: `{ok, log, text}`.
    pub fn change_log(&self, published: &str) -> serde_json::Value {
        let (c, old) = match (self.checked(), Self::other(published)) {
            (Ok(c), Ok(old)) => (c, old),
            (Err(e), _) | (_, Err(e)) => return e,
        };
        let log = change_log(&old, &c.bundle);
        serde_json::json!({ "ok": true, "text": log.to_text(), "log": log })
    }

    /// The rule cases' results that differ from a published bundle's: `{ok, changes}`.
    pub fn case_diff(&self, published: &str) -> serde_json::Value {
        let (c, old) = match (self.checked(), Self::other(published)) {
            (Ok(c), Ok(old)) => (c, old),
            (Err(e), _) | (_, Err(e)) => return e,
        };
        serde_json::json!({ "ok": true, "changes": case_diff(&old, &c.bundle, &c.cases) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{check, repo_rules};


    fn checked(edit: impl Fn(&str, &str) -> String) -> crate::check::Checked {
        let files: Vec<(String, String)> = repo_rules().into_iter().map(|(n, t)| { let t = edit(&n, &t); (n, t) }).collect();
        let pairs: Vec<(&str, &str)> = files.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
        check(&pairs).unwrap_or_else(|e| panic!("{e:?}"))
    }

    const DOC: &str = "hangzhou-business-registration-2021.toml";
    const SEAL: &str = "hangzhou-business-registration-2021-free-e-seal";

    #[test]
    fn the_repository_cases_all_pass_and_a_broken_expectation_fails_its_case_alone() {
        let c = checked(|_, t| t.to_string());
        let results = run_cases(&c.bundle, &c.cases);
        assert!(results.len() > 100);
        assert!(results.iter().all(|r| r.passed), "{:?}", results.iter().find(|r| !r.passed));

        let broken = checked(|n, t| if n == "hangzhou-business-registration-2021.cases.toml" { t.replacen("status = \"eligible\"", "status = \"not_eligible\"", 1) } else { t.to_string() });
        let failed: Vec<_> = run_cases(&broken.bundle, &broken.cases).into_iter().filter(|r| !r.passed).collect();
        assert_eq!(failed.len(), 1, "{failed:?}");
        assert!(failed[0].problems[0].contains(SEAL), "{failed:?}");
    }

    #[test]
    fn the_change_log_names_added_removed_and_changed_benefits() {
        let old = checked(|_, t| t.to_string());
        // The e-seal benefit gets a new condition; the UKey one is renamed (removed + added).
        let new = checked(|n, t| {
            if n == DOC {
                t.replacen("when = [\"setting_up_company\"]", "when = [\"setting_up_company\", \"tech_enterprise\"]", 1).replacen("-free-tax-ukey\"", "-tax-ukey\"", 1)
            } else if n.ends_with(".cases.toml") && n.starts_with("hangzhou-business-registration") {
                t.replace("-free-tax-ukey\"", "-tax-ukey\"")
            } else {
                t.to_string()
            }
        });
        let log = change_log(&old.bundle, &new.bundle);
        assert_eq!(log.added, ["hangzhou-business-registration-2021-tax-ukey"]);
        assert_eq!(log.removed, ["hangzhou-business-registration-2021-free-tax-ukey"]);
        assert_eq!(log.changed.len(), 1, "{log:?}");
        assert_eq!(log.changed[0].id, SEAL);
        let (field, before, after) = &log.changed[0].changes[0];
        assert_eq!(field, "conditions");
        assert!(!before.contains("tech_enterprise") && after.ends_with("and setting_up_company and tech_enterprise"), "{after}");
        assert!(log.to_text().contains("修改 / Changed (1)"));
        assert!(change_log(&old.bundle, &old.bundle).changed.is_empty());
    }

    #[test]
    fn the_change_log_names_groups_and_company_caps_added_removed_and_changed() {
        let old = checked(|_, t| t.to_string());
        let hz = "hangzhou-2025.toml";
        let bj = "binjiang-2024.toml";
        let new = checked(|n, t| {
            if n == hz {
                // A company cap raised, and one added for the same benefit.
                let raised = t.replacen("cap = \"100万\"\nclause = \"每家主办单位每年不超过100万元\"", "cap = \"120万\"\nclause = \"每家主办单位每年不超过100万元\"", 1);
                assert_ne!(raised, t);
                raised + "\n[[company_cap]]\nid = \"hangzhou-2025-large-concerts-second\"\nbenefits = [\"hangzhou-2025-large-concerts\"]\ncap = \"90万\"\nclause = \"每家主办单位每年不超过100万元\"\n"
            } else if n == bj {
                // One group removed (renamed: removed + added), another's members changed.
                let renamed = t.replacen("id = \"binjiang-2024-rd-sme-increase-or-flat\"", "id = \"binjiang-2024-rd-sme-best\"", 1);
                let edited = renamed.replacen(
                    "benefits = [\"binjiang-2024-export-credit-insurance-manufacturer\", \"binjiang-2024-export-credit-insurance\"]",
                    "benefits = [\"binjiang-2024-export-credit-insurance\", \"binjiang-2024-export-credit-insurance-manufacturer\"]",
                    1,
                );
                assert_ne!(edited, renamed);
                edited
            } else {
                t.to_string()
            }
        });
        let log = change_log(&old.bundle, &new.bundle);
        assert!(log.added.is_empty() && log.removed.is_empty() && log.changed.is_empty(), "{log:?}");
        assert_eq!(log.groups.added, ["binjiang-2024-rd-sme-best"]);
        assert_eq!(log.groups.removed, ["binjiang-2024-rd-sme-increase-or-flat"]);
        assert_eq!(log.groups.changed.len(), 1, "{:?}", log.groups);
        assert_eq!(log.groups.changed[0].id, "binjiang-2024-export-credit-insurance");
        assert_eq!(log.groups.changed[0].changes[0].0, "benefits");
        assert_eq!(log.company_caps.added, ["hangzhou-2025-large-concerts-second"]);
        assert!(log.company_caps.removed.is_empty());
        assert_eq!(log.company_caps.changed.len(), 1);
        assert_eq!(log.company_caps.changed[0].changes, [("cap".to_string(), "100万".to_string(), "120万".to_string())]);
        let text = log.to_text();
        assert!(text.contains("不重复享受组 / Non-duplication groups") && text.contains("企业年度上限 / Company caps"), "{text}");
        assert!(text.contains("    cap: 100万\n       → 120万"), "{text}");
        // Nothing changed: no group or cap section at all.
        let same = change_log(&old.bundle, &old.bundle);
        assert_eq!(same.groups, ItemChanges::default());
        assert_eq!(same.company_caps, ItemChanges::default());
        assert!(!same.to_text().contains("Company caps"));
    }

    #[test]
    fn a_session_checks_runs_previews_and_compares_through_json() {
        let files: Vec<serde_json::Value> = repo_rules().into_iter().map(|(n, t)| serde_json::json!({ "name": format!("rules/{n}"), "text": t })).collect();
        let mut session = Session::default();
        assert_eq!(session.run_cases()["ok"], false, "nothing checked yet");
        let ok = session.check(&serde_json::Value::from(files.clone()).to_string());
        assert_eq!(ok["ok"], true, "{ok}");
        assert_eq!(ok["bundle"], crate::bundle::EMBEDDED_JSON);
        assert_eq!(ok["sha256"], crate::bundle::EMBEDDED_HASH.trim());
        let run = session.run_cases();
        assert_eq!(run["failed"], 0, "{run}");
        let preview = session.preview(r#"{"district":"gongshu","setting_up_company":true}"#, "2022-01-10", "", "zh").unwrap_or_else(|e| panic!("{e}"));
        assert!(preview.benefits.iter().any(|b| b.id == SEAL && b.status == "eligible"));
        // What the app shows for the same answers: the same benefits in words, the same totals.
        let bundle = Bundle::embedded().unwrap();
        let (profile, _) = bundle.catalogue.read_profile(&serde_json::json!({"district":"gongshu","setting_up_company":true}));
        let eval = evaluate(&bundle, &profile, Date::parse("2022-01-10").unwrap());
        let app = crate::report::report_where(&bundle, &eval, crate::Lang::Zh, |r| r.validity == crate::engine::Validity::InForce);
        // (The app's list is in the order the cards are shown, largest first.)
        assert_eq!(preview.benefits.len(), app.benefits.len());
        for b in &app.benefits {
            assert!(preview.benefits.iter().any(|p| **p == *b), "{}", b.id);
        }
        assert_eq!(preview.report.totals, app.totals);
        assert_eq!(preview.out_of_force, app.out_of_force);
        for (profile, as_of, year) in [("{}", "2025-02-30", ""), (r#"{"no_such_fact":1}"#, "2025-01-01", ""), ("{", "2025-01-01", ""), ("{}", "2025-01-01", "20x5")] {
            let e = session.preview(profile, as_of, year, "en").err().unwrap_or_else(|| panic!("{profile} {as_of} {year}"));
            assert_eq!(e["ok"], false);
            assert!(e["errors"][0]["message"]["zh"].as_str().unwrap().chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{e}");
        }
        let year = session.preview(r#"{"district":"binjiang"}"#, "2026-12-05", "2025", "en").unwrap_or_else(|e| panic!("{e}"));
        assert!(year.benefits.iter().all(|b| b.validity == "in_force"));

        // Break a condition: the error comes with its line, and the last good rules stay.
        let mut broken = files.clone();
        let doc = broken.iter_mut().find(|f| f["name"] == format!("rules/{DOC}")).unwrap();
        let text = doc["text"].as_str().unwrap().replacen("setting_up_company", "setting_up_compny", 1);
        let line = 1 + text.lines().position(|l| l.contains("setting_up_compny")).unwrap();
        doc["text"] = text.into();
        let bad = session.check(&serde_json::Value::from(broken).to_string());
        assert_eq!(bad["ok"], false);
        assert_eq!(bad["errors"][0]["line"], line, "{bad}");
        assert_eq!(bad["errors"][0]["file"], format!("rules/{DOC}"));
        assert!(bad["errors"][0]["message"]["zh"].as_str().unwrap().contains("setting_up_compny"));
        assert_eq!(session.run_cases()["failed"], 0);

        let log = session.change_log(crate::bundle::EMBEDDED_JSON);
        assert_eq!(log["log"]["changed"].as_array().map(Vec::len), Some(0), "{log}");
        assert_eq!(session.case_diff(crate::bundle::EMBEDDED_JSON)["changes"].as_array().map(Vec::len), Some(0));
        assert_eq!(session.change_log("{not json")["ok"], false);
        assert_eq!(session.check("[1]")["ok"], false);
    }

    #[test]
    fn a_policy_text_shows_missing_quotes_and_which_paragraphs_are_encoded_left_out_or_neither() {
        let c = checked(|_, t| t.to_string());
        let d = c.bundle.document_index("hangzhou-business-registration-2021").unwrap();
        let seal = &c.bundle.benefits[c.bundle.benefit_index(SEAL).unwrap()].clause;
        let left_out = c.bundle.documents[d].left_out.first().map(|l| l.clause.clone());
        // A pasted text: the e-seal clause broken over a line by spaces, an unrelated paragraph.
        let mut text = format!("二、（五）\n{}  {}\n\n本意见自印发之日起施行，另有说明的除外。\n", &seal[..6], &seal[6..]);
        if let Some(l) = &left_out {
            text.push_str(&format!("{l}\n"));
        }
        let quotes = verbatim(&c.bundle, d, &text);
        assert!(quotes.iter().any(|q| q.item == format!("benefit `{SEAL}`") && q.found), "{quotes:?}");
        assert!(quotes.iter().any(|q| q.item.contains("free-tax-ukey") && !q.found), "{quotes:?}");
        let paragraphs = coverage(&c.bundle, d, &text);
        assert_eq!(paragraphs[1].state, "encoded", "{paragraphs:?}");
        assert_eq!(paragraphs[1].items, [format!("benefit `{SEAL}`")]);
        assert!(paragraphs.iter().any(|p| p.state == "neither" && p.text.starts_with("本意见")), "{paragraphs:?}");
        assert!(left_out.is_none(), "this document leaves nothing out");

        // A document that leaves a clause out: that paragraph is `left_out`.
        let (d, doc) = c.bundle.documents.iter().enumerate().find(|(_, d)| !d.left_out.is_empty()).unwrap();
        let clause = &doc.left_out[0].clause;
        let paragraphs = coverage(&c.bundle, d, &format!("{clause}\n"));
        assert_eq!(paragraphs[0].state, "left_out", "{paragraphs:?}");
    }

    #[test]
    fn the_case_diff_shows_results_that_an_edit_changes() {
        let old = checked(|_, t| t.to_string());
        assert!(case_diff(&old.bundle, &old.bundle, &old.cases).is_empty());
        let new = checked(|n, t| if n == DOC { t.replacen("when = [\"setting_up_company\"]", "when = [\"not setting_up_company\"]", 1) } else { t.to_string() });
        let diff = case_diff(&old.bundle, &new.bundle, &old.cases);
        let first = diff.iter().find(|d| d.benefit == SEAL).unwrap_or_else(|| panic!("{diff:?}"));
        assert_eq!((first.before.as_str(), first.after.as_str()), ("eligible", "not_eligible"));
        assert!(diff.iter().all(|d| d.benefit == SEAL), "{diff:?}");
    }
}
