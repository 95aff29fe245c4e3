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
            what_zh: format!("规则用例的格式不对：{}", crate::rule_zh::serde_zh(&e.to_string())),
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

/// The loader's English message in Chinese, and how to fix it: a fix of its own for the
/// problems an officer meets most, a general hint for the others; the Chinese text is
/// `rule_zh`'s reading of the message.
fn explain(message: &str) -> (String, &'static str, &'static str) {
    let zh = crate::rule_zh::zh(message).unwrap_or_else(|| format!("（此信息尚无中文）{message}"));
    let has = |s: &str| message.contains(s);
    if has("unknown fact") {
        return (zh, "使用 rules/facts.toml 或 rules/facts/ 中已有的事实 id，或在那里新增这个事实", "use a fact id from rules/facts.toml or rules/facts/, or add the fact there");
    }
    if has("is not a date") {
        return (
            zh,
            "日期写成 YYYY-MM-DD，且须是日历上存在的日子（如 2025-02-28）",
            "write the date as YYYY-MM-DD, a day that exists on the calendar (such as 2025-02-28)",
        );
    }
    if has("is not an option of") {
        return (zh, "使用事实目录中该事实列出的选项 id", "use an option id listed for that fact in the catalogue");
    }
    if has("is missing") {
        return (zh, "补上这一项（格式见 rules/README.md）", "add it (format in rules/README.md)");
    }
    if has("used twice") {
        return (zh, "每个 id 在整个规则包中只能用一次，改用新的 id", "an id may be used once in the whole bundle: choose a new one");
    }
    if has("unknown benefit") {
        return (zh, "检查拼写，或先定义该条目", "check the spelling, or define that benefit first");
    }
    if has("should be an amount") || has("should be a rate") {
        return (format!("单位不对：{zh}"), "金额写成“200万”，比例写成“5%”", "write amounts as 200万 and rates as 5%");
    }
    if has("must be a non-empty part of the document") {
        return (zh, "条目的 valid_from/valid_to 须落在文件的有效期内", "a benefit's valid_from/valid_to must lie within its document's");
    }
    if (has("is a ") && has("is needed here")) || has("cannot ") || has("needs a ") {
        return (format!("类型不符：{zh}"), "条件须是真/假，金额公式须是金额；比较两边的类型要一致", "a condition must be true/false and an amount formula money; both sides of a comparison must have one type");
    }
    if has("unknown field") || has("missing field") || has("unknown variant") || has("invalid type") {
        return (format!("格式不对：{zh}"), "检查字段名与写法（格式见 rules/README.md）", "check the field names and their form (format in rules/README.md)");
    }
    (format!("规则有误：{zh}"), "按说明修改（格式见 rules/README.md）", "correct it as described (format in rules/README.md)")
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

    /// Chinese text, not English under a Chinese lead: it has CJK, no "no Chinese yet"
    /// marker, and no run of three English words outside quotes (ids, formulas and field
    /// names stand in `…`, “…” or "…").
    fn is_chinese(text: &str) -> bool {
        let mut outside = String::new();
        let mut quote: Option<char> = None;
        for c in text.chars() {
            match (quote, c) {
                (None, '`' | '“' | '"') => quote = Some(if c == '“' { '”' } else { c }),
                (Some(q), c) if c == q => quote = None,
                (None, c) => outside.push(c),
                _ => {}
            }
        }
        let cjk = text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        let english_run = outside
            .split(|c: char| !(c.is_ascii_alphabetic() || c == ' ' || c == '\''))
            .any(|run| run.split_whitespace().filter(|w| w.len() > 1).count() >= 3);
        cjk && !text.contains("尚无中文") && !english_run
    }

    #[test]
    fn every_error_on_broken_rule_files_has_a_chinese_text_and_fix() {
        const E_SEAL: &str = "id = \"hangzhou-business-registration-2021-free-e-seal\"";
        const WHEN: &str = "when = [\"setting_up_company\"]";
        let benefit_after_seal = |line: &str| (E_SEAL.to_string(), format!("{E_SEAL}\n{line}"));
        // (file, replace this, with that): each breaks the rules in one way.
        let mut edits: Vec<(&str, String, String)> = vec![];
        let doc = |from: &str, to: &str| (DOC, from.to_string(), to.to_string());
        for when in [
            "setting_up_compny", "setting_up_company and", "setting_up_company + 1", "revenue", "revenue > setting_up_company",
            "setting_up_company $", "district == \\\"gongshu", "district == \\\"nowhere\\\"", "district in \\\"gongshu\\\"",
            "district in [gongshu]", "not revenue", "revenue == \\\"x\\\"", "(setting_up_company", "setting_up_company and revenue",
            "revenue * revenue > 1", "revenue / setting_up_company > 1", "district in [\\\"gongshu\\\" \\\"binjiang\\\"]", "",
            "setting_up_company)",
        ] {
            edits.push(doc(WHEN, &format!("when = [\"{when}\"]")));
        }
        let amount = "amount = { kind = \"case_by_case\" }";
        for a in [
            "amount = { kind = \"fixed\", value = \"5%\" }", "amount = { kind = \"fixed\", value = \"20万亿\" }",
            "amount = { kind = \"fixed\", value = \"abc\" }", "amount = { kind = \"fixed\", value = \"\" }",
            "amount = { kind = \"lots\" }", "amount = { kind = \"tiers\", tiers = [] }",
            "amount = { kind = \"rate\", rate = \"5%\", of = \"setting_up_company\" }", "amount = { kind = \"fixed\" }",
            "amount = { kind = \"fixed\", value = \"5万\", extra = 1 }", "amount = { value = \"5万\" }", "amount = \"5万\"",
        ] {
            edits.push(doc(amount, a));
        }
        for (from, to) in [
            ("frequency = \"one_time\"", "frequncy = \"one_time\""),
            ("frequency = \"one_time\"", "frequency = \"sometimes\""),
            ("frequency = \"one_time\"", "frequency = \"multi_year\""),
            ("frequency = \"one_time\"", "frequency = \"one_time\"\nyears = 3"),
            ("source_line = 105", "source_line = \"105\""),
            ("source_line = 105", "source_line = 0"),
            ("article = \"二、（五）\"\nname = { zh = \"开办企业", "name = { zh = \"开办企业"),
            ("clause = \"持续推行区块链电子印章免费领用；\"", "clause = \"\""),
            ("id = \"hangzhou-business-registration-2021-free-e-seal\"", "id = \"Bad_ID\""),
            ("id = \"hangzhou-business-registration-2021-free-tax-ukey\"", "id = \"hangzhou-business-registration-2021-free-e-seal\""),
            ("reading = { zh = \"实物（免费领用）", "reading = { en = \"\", zh = \"实物（免费领用）"),
            ("valid_from = \"2021-08-25\"", "valid_from = \"2025-02-30\""),
            ("valid_from = \"2021-08-25\"", "valid_from = \"2021-08-25\"\nvalid_to = \"2020-01-01\""),
            ("level = \"city\"", "level = \"district\""),
            ("level = \"city\"", "level = \"city\"\ndistrict = \"binjiang\""),
            ("level = \"city\"", "level = \"village\""),
            ("level = \"city\"", "level = 1"),
            ("[document]\n", "[document]\nperformance = { clause = \"\", line = 0 }\n"),
            ("[document]\n", "[document]\napplication = { from = \"2026-01-01\", to = \"2025-01-01\", clause = \"x\", line = 1 }\n"),
            ("[document]\n", "[document]\napplication = { from = \"2025-13-01\", clause = \"x\", line = 1 }\n"),
            ("title = { zh = \"关于进一步深化商事制度改革激发市场主体活力的意见\",", "title = { zh = \"\","),
        ] {
            edits.push(doc(from, to));
        }
        for line in [
            "materials = { clause = \"\", line = 0, list = [{ zh = \"营业执照\", en = \"licence\" }] }",
            "materials = { clause = \"持续推行区块链电子印章免费领用；\", line = 105, list = [] }",
            "materials = { clause = \"持续推行区块链电子印章免费领用；\", line = 105, list = [{ zh = \"营业执照\", en = \"\" }] }",
            "stacks_with = [{ benefit = \"no-such-benefit\", reason = { zh = \"理由\", en = \"why\" } }]",
            "stacks_with = [{ benefit = \"hangzhou-business-registration-2021-free-e-seal\", reason = { zh = \"理由\", en = \"why\" } }]",
            "stacks_with = [{ benefit = \"hangzhou-business-registration-2021-free-tax-ukey\", reason = { zh = \"\", en = \"why\" } }]",
            "per_item = \"no_such_kind\"",
            "per_item = \"forest_base\"",
            "valid_to = \"2020-01-01\"",
            "cap = \"5%\"",
            "bounded_by = \"setting_up_company\"",
            "cost_share = { city = \"50%\", district = \"10%\" }",
        ] {
            let (from, to) = benefit_after_seal(line);
            edits.push((DOC, from, to));
        }
        let group = "\n[[exclusive]]\nid = \"hangzhou-business-registration-2021-one\"\nbenefits = [\"hangzhou-business-registration-2021-free-e-seal\"]\nclause = \"\"\n";
        let group2 = "\n[[exclusive]]\nid = \"hangzhou-business-registration-2021-two\"\nbenefits = [\"hangzhou-business-registration-2021-free-e-seal\", \"hangzhou-business-registration-2021-free-e-seal\", \"nope\"]\nclause = \"x\"\n";
        let cap = "\n[[company_cap]]\nid = \"hangzhou-business-registration-2021-cap\"\nbenefits = [\"hangzhou-business-registration-2021-free-e-seal\"]\ncap = \"abc\"\nclause = \"\"\n";
        for extra in [group, group2, cap, "\n[[benefit]]\nid = \"x\"\n", "\n[[left_out]]\narticle = \"一\"\nclause = \"x\"\n"] {
            edits.push((DOC, String::new(), extra.to_string()));
        }
        // TOML syntax: truncated, a duplicate key, an unquoted impossible date, an unclosed array.
        for (from, to) in [
            ("frequency = \"one_time\"\nauthority", "frequency = \"one_time\"\nfrequency = \"one_time\"\nauthority"),
            ("valid_from = \"2021-08-25\"", "valid_from = 2025-02-30"),
            ("valid_from = \"2021-08-25\"", "valid_from = 2021-08-25"),
            (WHEN, "when = [\"setting_up_company\""),
            ("[document]", "[document"),
            ("source_line = 105", "source_line = 1__05"),
        ] {
            edits.push(doc(from, to));
        }
        let facts_edits: Vec<(&str, String, String)> = vec![
            ("facts.toml", "id = \"forest_base\"".into(), "id = \"Forest-Base\"".into()),
            ("facts.toml", "id = \"revenue\"".into(), "id = \"Revenue\"".into()),
            ("facts.toml", "id = \"revenue\"\n".into(), "id = \"revenue\"\nmin = \"abc\"\n".into()),
            ("facts.toml", "id = \"revenue\"\n".into(), "id = \"revenue\"\nper_item = \"nope\"\n".into()),
            ("facts.toml", "id = \"revenue\"\nfirst_screen = 13\n".into(), "id = \"revenue\"\nfirst_screen = 12\n".into()),
            ("facts.toml", "[[section]]\nid = \"basic\"".into(), "[[section]]\nid = \"basics\"".into()),
            ("facts.toml", "label = { zh = \"山林经济基地项目\", en = \"forest-economy base project\" }".into(), "label = { zh = \"山林经济基地项目\", en = \"\" }".into()),
            ("facts.toml", "kind = \"money\"".into(), "kind = \"choice\"".into()),
            ("facts.toml", "kind = \"money\"".into(), "kind = \"cash\"".into()),
            ("facts.toml", String::new(), "\n[[derived]]\nid = \"revenue\"\nformula = \"1万\"\n".into()),
            ("facts.toml", String::new(), "\n[[fact]]\nid = \"revenue\"\nsection = \"basic\"\nkind = \"bool\"\nlabel = { zh = \"x\", en = \"x\" }\n".into()),
            ("bundle.toml", "version = \"".into(), "name = \"".into()),
            ("truncated.toml", String::new(), "[document]\nid = \"t\"\ntitle = { zh = \"补助".into()),
            ("d.cases.toml", String::new(), "[[case]]\nname = 1\n".into()),
            ("notes.txt", String::new(), "x".into()),
            ("big.toml", String::new(), format!("# {}\n", "x".repeat(2 << 20))),
        ];
        edits.extend(facts_edits);

        let (mut seen, mut problems) = (0, Vec::new());
        for (file, from, to) in &edits {
            let mut files = repo_rules();
            let path = rules_path(file);
            match files.iter_mut().find(|(n, _)| rules_path(n) == path) {
                Some((_, text)) if from.is_empty() => text.push_str(to),
                Some((_, text)) => {
                    assert!(text.contains(from.as_str()), "{file}: no `{from}`");
                    *text = text.replacen(from.as_str(), to, 1);
                }
                None => files.push((file.to_string(), to.clone())),
            }
            let Err(errors) = check(&pairs(&files)) else {
                problems.push(format!("{file}: `{from}` → `{to}` still checks"));
                continue;
            };
            for e in &errors {
                seen += 1;
                // Shown with --nocapture, to read them.
                println!("{}:{}: {} — {}", e.file, e.line, e.what_zh, e.fix_zh);
                if !is_chinese(&e.what_zh) || !is_chinese(&e.fix_zh) || e.what_en.is_empty() || e.fix_en.is_empty() {
                    problems.push(format!("{file}: `{to}`:\n  zh: {} — {}\n  en: {} — {}", e.what_zh, e.fix_zh, e.what_en, e.fix_en));
                }
            }
        }
        println!("{} broken inputs, {seen} errors", edits.len());
        assert!(problems.is_empty(), "{}", problems.join("\n"));
        assert!(seen >= edits.len(), "{seen} errors for {} edits", edits.len());
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
