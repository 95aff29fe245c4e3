//! The whole check of rule files given as text: compile them (`crate::compile`), load
//! the result (`Bundle::from_json`, which checks the meaning), and put every loader error
//! at its line, with what is wrong and how to fix it in zh and en. `huiqi build` and the
//! studio use this; `build.rs` runs the compile step alone.

use crate::bundle::{Bundle, RuleError};
use crate::cases::CaseFile;
use crate::compile::{compile, line_column, rules_path, CompileError, Compiled};

/// Rule files that compiled and loaded.
#[derive(Debug)]
pub struct Checked {
    pub compiled: Compiled,
    /// With each document's `left_out` clauses.
    pub bundle: Bundle,
    pub cases: Vec<CaseFile>,
}

/// Compiles and checks the rule files (see `compile::compile` for the names).
pub fn check(files: &[(&str, &str)]) -> Result<Checked, Vec<CompileError>> {
    let compiled = compile(files)?;
    let locate_all = |errors: Vec<RuleError>| errors.iter().map(|e| locate(files, e)).collect::<Vec<_>>();
    let mut bundle = Bundle::from_json(&compiled.bundle_json, &compiled.hash).map_err(locate_all)?;
    bundle.add_coverage(&compiled.coverage_json).map_err(locate_all)?;
    let cases: Vec<CaseFile> = serde_json::from_str(&compiled.cases_json).map_err(|e| {
        vec![CompileError {
            file: "rules/*.cases.toml".into(),
            line: 0,
            column: 0,
            item: String::new(),
            what_zh: format!("规则用例的格式不对：{e}"),
            what_en: format!("the rule cases are not in the expected form: {e}"),
            fix_zh: "每个用例写成 [[case]]，含 name、as_of、profile 与 expect（见 rules/README.md）".into(),
            fix_en: "write each case as [[case]] with name, as_of, profile and expect (see rules/README.md)".into(),
        }]
    })?;
    Ok(Checked { compiled, bundle, cases })
}

/// A loader error, placed in its file: at the item's `id = "…"` line, or closer, at the
/// quoted formula or value the message names.
pub fn locate(files: &[(&str, &str)], e: &RuleError) -> CompileError {
    // Catalogue errors name "rules/facts" and carry the item in the message.
    let (mut item, mut message) = (e.item.clone(), e.message.clone());
    if item.is_empty() {
        if let Some((head, rest)) = message.split_once("`: ") {
            if let Some((kind, _)) = head.split_once(" `") {
                if matches!(kind, "fact" | "derived" | "item_kind") {
                    (item, message) = (format!("{head}`"), rest.to_string());
                }
            }
        }
    }
    let id = item.split('`').nth(1).unwrap_or("");
    let candidates: Vec<(String, &str)> = files
        .iter()
        .map(|(name, text)| (rules_path(name), *text))
        .filter(|(path, _)| if e.file == "rules/facts" { path == "rules/facts.toml" || path.starts_with("rules/facts/") } else { *path == e.file })
        .collect();
    let (what_zh, fix_zh, fix_en) = explain(&message);
    let mut error = CompileError {
        file: if e.file == "rules/facts" { "rules/facts.toml".into() } else { e.file.clone() },
        line: 0,
        column: 0,
        item: item.clone(),
        what_zh,
        what_en: message.clone(),
        fix_zh: fix_zh.into(),
        fix_en: fix_en.into(),
    };
    let quoted = message.split('`').nth(1).filter(|q| !q.is_empty());
    for (path, text) in &candidates {
        let Some(at) = find_id(text, id) else { continue };
        error.file = path.clone();
        let mut offset = at;
        // The item's part of the file runs from its table header to the next one.
        let start = text[..at].rfind("\n[").map_or(0, |i| i + 1);
        let end = text[at..].find("\n[").map_or(text.len(), |i| at + i);
        if let Some(q) = quoted {
            if let Some(i) = text[start..end].find(q) {
                offset = start + i;
            }
        }
        (error.line, error.column) = line_column(text, offset);
        return error;
    }
    if let [(path, text)] = candidates.as_slice() {
        error.file = path.clone();
        if let Some(i) = quoted.and_then(|q| text.find(q)) {
            (error.line, error.column) = line_column(text, i);
        }
    }
    error
}

/// The byte offset of the line `id = "<id>"`.
fn find_id(text: &str, id: &str) -> Option<usize> {
    if id.is_empty() {
        return None;
    }
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        if let Some(rest) = t.strip_prefix("id") {
            let rest = rest.trim_start();
            if let Some(value) = rest.strip_prefix('=') {
                let value = value.trim();
                if value.trim_matches(|c| c == '"' || c == '\'') == id {
                    return Some(offset + (line.len() - t.len()));
                }
            }
        }
        offset += line.len();
    }
    None
}

/// The loader's English message in Chinese, and how to fix it, for the problems an
/// officer meets most; others get the English text with a general hint.
fn explain(message: &str) -> (String, &'static str, &'static str) {
    let quoted = message.split('`').nth(1).unwrap_or("");
    let second = message.split('`').nth(3).unwrap_or("");
    let has = |s: &str| message.contains(s);
    if has("unknown fact") {
        let fact = message.rsplit('`').nth(1).unwrap_or(quoted);
        return (
            format!("没有名为 `{fact}` 的事实（问题）"),
            "使用 rules/facts.toml 或 rules/facts/ 中已有的事实 id，或在那里新增这个事实",
            "use a fact id from rules/facts.toml or rules/facts/, or add the fact there",
        );
    }
    if has("is not a date") {
        return (
            format!("`{quoted}` 不是有效日期"),
            "日期写成 YYYY-MM-DD，且须是日历上存在的日子（如 2025-02-28）",
            "write the date as YYYY-MM-DD, a day that exists on the calendar (such as 2025-02-28)",
        );
    }
    if has("is not an option of") {
        return (
            format!("`{quoted}` 不是 `{second}` 的选项"),
            "使用事实目录中该事实列出的选项 id",
            "use an option id listed for that fact in the catalogue",
        );
    }
    if has("is missing") {
        return (format!("缺少必填项：{}", message.trim_end_matches(" is missing")), "补上这一项（格式见 rules/README.md）", "add it (format in rules/README.md)");
    }
    if has("used twice") {
        return ("id 重复".into(), "每个 id 在整个规则包中只能用一次，改用新的 id", "an id may be used once in the whole bundle: choose a new one");
    }
    if has("unknown benefit") {
        return (format!("没有 id 为 `{quoted}` 的优惠条目"), "检查拼写，或先定义该条目", "check the spelling, or define that benefit first");
    }
    if has("should be an amount") || has("should be a rate") {
        return (format!("`{quoted}` 的单位不对"), "金额写成“200万”，比例写成“5%”", "write amounts as 200万 and rates as 5%");
    }
    if has("must be a non-empty part of the document") {
        return ("条目的有效期不在文件有效期之内".into(), "条目的 valid_from/valid_to 须落在文件的有效期内", "a benefit's valid_from/valid_to must lie within its document's");
    }
    if (has("is a ") && has("is needed here")) || has("cannot compare") || has("needs a ") {
        return (format!("类型不符：{message}"), "条件须是真/假，金额公式须是金额；比较两边的类型要一致", "a condition must be true/false and an amount formula money; both sides of a comparison must have one type");
    }
    if has("unknown field") || has("missing field") || has("unknown variant") || has("invalid type") {
        return (format!("格式不对：{message}"), "检查字段名与写法（格式见 rules/README.md）", "check the field names and their form (format in rules/README.md)");
    }
    (format!("规则有误：{message}"), "按说明修改（格式见 rules/README.md）", "correct it as described (format in rules/README.md)")
}

/// The repository's rule files, as the studio would be given them (for tests here and
/// in the studio).
#[cfg(test)]
pub(crate) fn repo_rules() -> Vec<(String, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let mut files = Vec::new();
    for (dir, prefix) in [(root.clone(), ""), (root.join("facts"), "facts/")] {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|x| x == "toml") {
                files.push((format!("{prefix}{}", path.file_name().unwrap().to_string_lossy()), std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;


    fn pairs(files: &[(String, String)]) -> Vec<(&str, &str)> {
        files.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect()
    }

    const DOC: &str = "rules/hangzhou-business-registration-2021.toml";

    /// The repository's rules with one edit to the business-registration document.
    fn edited(from: &str, to: &str) -> Vec<(String, String)> {
        let mut files = repo_rules();
        let doc = files.iter_mut().find(|(n, _)| rules_path(n) == DOC).unwrap();
        assert!(doc.1.contains(from));
        doc.1 = doc.1.replacen(from, to, 1);
        files
    }

    fn line_of(files: &[(String, String)], needle: &str) -> usize {
        let text = &files.iter().find(|(n, _)| rules_path(n) == DOC).unwrap().1;
        text[..text.find(needle).unwrap()].matches('\n').count() + 1
    }

    #[test]
    fn the_repository_rules_check_to_the_embedded_bundle() {
        let files = repo_rules();
        let checked = check(&pairs(&files)).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(checked.compiled.bundle_json, crate::bundle::EMBEDDED_JSON);
        assert_eq!(checked.compiled.hash, crate::bundle::EMBEDDED_HASH.trim());
        assert_eq!(checked.compiled.coverage_json, crate::bundle::EMBEDDED_COVERAGE_JSON);
        assert_eq!(checked.compiled.cases_json, crate::cases::EMBEDDED_CASES_JSON);
        assert!(checked.bundle.documents.iter().any(|d| !d.left_out.is_empty()));
    }

    #[test]
    fn an_unknown_fact_is_shown_at_its_condition_with_the_benefit() {
        let files = edited("when = [\"setting_up_company\"]", "when = [\"setting_up_compny\"]");
        let errors = check(&pairs(&files)).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        let e = &errors[0];
        assert_eq!(e.file, DOC);
        assert_eq!(e.item, "benefit `hangzhou-business-registration-2021-free-e-seal`");
        assert_eq!(e.line, line_of(&files, "setting_up_compny"), "{e}");
        assert_eq!(e.column, 10, "{e}");
        assert!(e.what_en.contains("unknown fact `setting_up_compny`"), "{e}");
        assert!(e.what_zh.contains("没有名为 `setting_up_compny` 的事实"), "{e}");
        assert!(e.fix_en.contains("rules/facts.toml"), "{e}");
    }

    #[test]
    fn an_impossible_quoted_date_is_shown_at_its_document() {
        let files = edited("[document]\n", "[document]\nvalid_to = \"2025-02-30\"\n");
        let errors = check(&pairs(&files)).unwrap_err();
        let e = errors.iter().find(|e| e.what_en.contains("2025-02-30")).unwrap_or_else(|| panic!("{errors:?}"));
        assert_eq!(e.file, DOC);
        assert_eq!(e.item, "document `hangzhou-business-registration-2021`");
        assert_eq!(e.line, line_of(&files, "\"2025-02-30\""), "{e}");
        assert!(e.what_zh.contains("不是有效日期"), "{e}");
        assert!(e.fix_en.contains("YYYY-MM-DD"), "{e}");
    }

    #[test]
    fn a_misspelt_field_is_shown_at_its_benefit() {
        let files = edited("frequency = \"one_time\"", "frequncy = \"one_time\"");
        let errors = check(&pairs(&files)).unwrap_err();
        let e = &errors[0];
        assert_eq!(e.item, "benefit `hangzhou-business-registration-2021-free-e-seal`", "{errors:?}");
        assert_eq!(e.line, line_of(&files, "frequncy"), "{e}");
        assert!(e.what_zh.starts_with("格式不对"), "{e}");
    }

    #[test]
    fn a_catalogue_error_is_found_in_the_facts_file_that_has_it() {
        let mut files = repo_rules();
        let (name, text) = files.iter_mut().find(|(n, _)| n.starts_with("facts/")).unwrap();
        let name = rules_path(name);
        text.push_str("\n[[fact]]\nid = \"Bad-Id\"\nsection = \"basic\"\nkind = \"bool\"\nlabel = { zh = \"x\", en = \"x\" }\n");
        let errors = check(&pairs(&files)).unwrap_err();
        let e = errors.iter().find(|e| e.item == "fact `Bad-Id`").unwrap_or_else(|| panic!("{errors:?}"));
        assert_eq!(e.file, name);
        assert!(e.line > 1, "{e}");
        assert!(e.what_en.contains("lower_snake_case"), "{e}");
    }
}
