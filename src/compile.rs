//! The rule compiler: the rule files (`bundle.toml`, `facts.toml`, `facts/*.toml`,
//! `<doc>.toml`, `<doc>.cases.toml`), given as (name, text) pairs so it needs no file
//! system, become the bundle JSON the engine loads, its SHA-256, the coverage data and
//! the rule cases. `build.rs` includes this file with `#[path]` (a build script cannot
//! depend on its own crate), so it uses only `toml`, `serde_json` and `sha2`; the
//! semantic check of the result is the loader's (`crate::check` puts its errors at
//! their lines).

use sha2::{Digest, Sha256};
use std::fmt;

/// No rule file comes near this (the largest is under 60 KB): a bigger one is a wrong
/// file, and is refused before it is parsed.
pub const MAX_FILE_BYTES: usize = 1 << 20;

/// What the compiler makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compiled {
    /// The bundle the engine loads (`rules.json`); its hash is the content hash.
    pub bundle_json: String,
    /// SHA-256 hex of `bundle_json`.
    pub hash: String,
    /// Each document's `left_out` clauses: `[{"file", "left_out"}]`.
    pub coverage_json: String,
    /// The rule cases: `[{"file", "case": [...]}]`.
    pub cases_json: String,
}

/// One problem in the rule files, at its place, in both languages, with how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompileError {
    /// `rules/<name>`.
    pub file: String,
    /// 1-based line and column (in characters); 0 when the place is not known.
    pub line: usize,
    pub column: usize,
    /// What is wrong there: "benefit `id`", "fact `id`", or empty.
    pub item: String,
    pub what_zh: String,
    pub what_en: String,
    pub fix_zh: String,
    pub fix_en: String,
}

impl CompileError {
    fn new(file: &str, what: (String, String), fix: (&str, &str)) -> CompileError {
        CompileError {
            file: file.to_string(),
            line: 0,
            column: 0,
            item: String::new(),
            what_zh: what.0,
            what_en: what.1,
            fix_zh: fix.0.to_string(),
            fix_en: fix.1.to_string(),
        }
    }

    /// Puts the error at byte `offset` of `text`.
    pub fn at_offset(mut self, text: &str, offset: usize) -> CompileError {
        (self.line, self.column) = line_column(text, offset);
        self
    }

    /// "rules/x.toml:12:5: benefit `id`: what — fix", in one language.
    pub fn display(&self, zh: bool) -> String {
        let mut s = self.file.clone();
        if self.line > 0 {
            s += &format!(":{}:{}", self.line, self.column);
        }
        if !self.item.is_empty() {
            s += &format!(": {}", self.item);
        }
        let (what, fix) = if zh { (&self.what_zh, &self.fix_zh) } else { (&self.what_en, &self.fix_en) };
        s += &format!(": {what}");
        if !fix.is_empty() {
            s += &format!(" — {fix}");
        }
        s
    }

    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "item": self.item,
            "message": { "zh": self.what_zh, "en": self.what_en },
            "fix": { "zh": self.fix_zh, "en": self.fix_en },
        })
    }
}

impl fmt::Display for CompileError {
    /// Both languages: the CLI and build.rs print this.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}\n    {}", self.display(false), self.display(true).split_once(": ").map_or("", |(_, rest)| rest))
    }
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// The `file` every error and document carries: `rules/<name>`.
pub fn rules_path(name: &str) -> String {
    format!("rules/{}", name.trim_start_matches("rules/"))
}

/// Compiles the rule files. `name` is the path under `rules/` (`facts/city-ai.toml`),
/// with or without the `rules/` prefix. Every file is read even after an error, so all
/// problems come at once.
pub fn compile(files: &[(&str, &str)]) -> Result<Compiled, Vec<CompileError>> {
    let mut errors = Vec::new();
    let mut files: Vec<(String, &str)> =
        files.iter().map(|(name, text)| (name.trim_start_matches("rules/").to_string(), *text)).collect();
    // The same order whatever order the files came in: the hash depends on it.
    files.sort_by(|a, b| a.0.cmp(&b.0));

    let mut meta = None;
    let mut facts = None;
    let mut extra_facts = Vec::new();
    let mut documents = Vec::new();
    let mut coverage = Vec::new();
    let mut cases = Vec::new();
    for (i, (name, text)) in files.iter().enumerate() {
        let file = rules_path(name);
        if files[..i].iter().any(|(other, _)| other == name) {
            errors.push(CompileError::new(
                &file,
                ("这个文件出现了两次".into(), "this file is given twice".into()),
                ("每个文件只给一次", "give each file once"),
            ));
            continue;
        }
        let in_facts = name.strip_prefix("facts/");
        if !name.ends_with(".toml") || name.contains('\\') || in_facts.is_some_and(|n| n.contains('/')) || (in_facts.is_none() && name.contains('/')) {
            errors.push(CompileError::new(
                &file,
                ("不是规则文件".into(), "not a rule file".into()),
                (
                    "规则文件是 rules/ 下的 .toml 文件，事实目录也可放在 rules/facts/ 下",
                    "rule files are the .toml files in rules/, and facts may also be in rules/facts/",
                ),
            ));
            continue;
        }
        let Some(mut value) = parse(&file, text, &mut errors) else { continue };
        match name.as_str() {
            "bundle.toml" => meta = Some(value),
            "facts.toml" => facts = Some(value),
            _ if in_facts.is_some() => extra_facts.push(value),
            _ => {
                value["file"] = serde_json::Value::String(file.clone());
                if name.ends_with(".cases.toml") {
                    cases.push(value);
                } else {
                    // The clauses a document deliberately leaves out are coverage-audit
                    // data: they go to their own file, not into the bundle the web app
                    // embeds (and whose hash it shows).
                    if let Some(left_out) = value.as_object_mut().and_then(|o| o.remove("left_out")) {
                        coverage.push(serde_json::json!({ "file": file, "left_out": left_out }));
                    }
                    documents.push(value);
                }
            }
        }
    }

    let version = match &meta {
        None => {
            errors.push(CompileError::new(
                "rules/bundle.toml",
                ("缺少 bundle.toml".into(), "bundle.toml is missing".into()),
                ("加上 rules/bundle.toml，写明 version = \"…\"", "add rules/bundle.toml with version = \"…\""),
            ));
            None
        }
        Some(meta) => match meta.get("version") {
            Some(serde_json::Value::String(v)) if !v.trim().is_empty() => Some(v.clone()),
            _ => {
                let text = files.iter().find(|(n, _)| n == "bundle.toml").map_or("", |f| f.1);
                errors.push(
                    CompileError::new(
                        "rules/bundle.toml",
                        ("缺少规则包版本".into(), "the bundle's version is missing".into()),
                        ("写 version = \"2026.1.0\" 这样的版本号", "write a version such as version = \"2026.1.0\""),
                    )
                    .at_offset(text, text.find("version").unwrap_or(0)),
                );
                None
            }
        },
    };
    if facts.is_none() {
        errors.push(CompileError::new(
            "rules/facts.toml",
            ("缺少事实目录 facts.toml".into(), "the fact catalogue facts.toml is missing".into()),
            ("加上 rules/facts.toml（问卷的问题与派生量）", "add rules/facts.toml (the questions and derived quantities)"),
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    // The catalogue is facts.toml plus any facts/*.toml, so facts can be kept beside
    // the documents that introduced them.
    let mut facts = facts.unwrap_or_default();
    for more in extra_facts {
        for key in ["section", "fact", "derived", "item_kind"] {
            if let (Some(items), Some(all)) = (more.get(key).and_then(|v| v.as_array()), facts.as_object_mut()) {
                let list = all.entry(key).or_insert(serde_json::json!([]));
                if let Some(list) = list.as_array_mut() {
                    list.extend(items.iter().cloned());
                }
            }
        }
    }

    let bundle = serde_json::json!({ "version": version, "facts": facts, "documents": documents });
    let bundle_json = bundle.to_string();
    let hash = Sha256::digest(bundle_json.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
    Ok(Compiled {
        bundle_json,
        hash,
        coverage_json: serde_json::Value::Array(coverage).to_string(),
        cases_json: serde_json::Value::Array(cases).to_string(),
    })
}

/// One file's TOML as JSON, or its syntax error at its line.
fn parse(file: &str, text: &str, errors: &mut Vec<CompileError>) -> Option<serde_json::Value> {
    if text.len() > MAX_FILE_BYTES {
        errors.push(CompileError::new(
            file,
            (
                format!("文件有 {} 字节，超过规则文件的上限 {} 字节", text.len(), MAX_FILE_BYTES),
                format!("the file has {} bytes, more than a rule file's limit of {} bytes", text.len(), MAX_FILE_BYTES),
            ),
            ("检查是否选错了文件；一个政策文件一个规则文件", "check that this is the right file; one rule file per policy document"),
        ));
        return None;
    }
    let table = match toml::from_str::<toml::Table>(text) {
        Ok(t) => t,
        Err(e) => {
            let message = e.message().trim().to_string();
            let error = CompileError::new(
                file,
                (format!("TOML 语法错误：{message}"), format!("TOML syntax error: {message}")),
                (
                    "检查此处的引号、括号和 = 是否成对、完整（格式见 rules/README.md）",
                    "check that quotes, brackets and = are complete here (format in rules/README.md)",
                ),
            );
            errors.push(match e.span() {
                Some(span) => error.at_offset(text, span.start),
                None => error,
            });
            return None;
        }
    };
    let mut dates = Vec::new();
    let value = to_json(toml::Value::Table(table), &mut dates);
    for date in dates {
        // Unquoted TOML dates would reach the loader as an odd object: say so here.
        let offset = text.find(&date).unwrap_or(0);
        errors.push(
            CompileError::new(
                file,
                (format!("日期 {date} 没有加引号"), format!("the date {date} is not in quotes")),
                ("日期写成带引号的文本，如 \"2025-01-01\"", "write dates as quoted text, such as \"2025-01-01\""),
            )
            .at_offset(text, offset),
        );
    }
    Some(value)
}

fn to_json(value: toml::Value, dates: &mut Vec<String>) -> serde_json::Value {
    use serde_json::Value as J;
    match value {
        toml::Value::String(s) => J::String(s),
        toml::Value::Integer(i) => J::from(i),
        toml::Value::Float(f) => serde_json::Number::from_f64(f).map_or(J::Null, J::Number),
        toml::Value::Boolean(b) => J::Bool(b),
        toml::Value::Datetime(d) => {
            dates.push(d.to_string());
            J::String(d.to_string())
        }
        toml::Value::Array(items) => J::Array(items.into_iter().map(|v| to_json(v, dates)).collect()),
        toml::Value::Table(t) => J::Object(t.into_iter().map(|(k, v)| (k, to_json(v, dates))).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const META: (&str, &str) = ("bundle.toml", "version = \"1\"\n");
    const FACTS: (&str, &str) = ("facts.toml", "[[fact]]\nid = \"district\"\n");

    #[test]
    fn a_truncated_file_is_a_syntax_error_at_its_line() {
        let doc = "[document]\nid = \"d\"\n\n[[benefit]]\nid = \"b\"\nname = { zh = \"补助";
        let errors = compile(&[META, FACTS, ("d.toml", doc)]).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        let e = &errors[0];
        assert_eq!(e.file, "rules/d.toml");
        assert_eq!(e.line, 6, "{e}");
        assert!(e.column > 1, "{e}");
        assert!(e.what_en.starts_with("TOML syntax error"), "{e}");
        assert!(e.what_zh.starts_with("TOML 语法错误"), "{e}");
        assert!(!e.fix_zh.is_empty() && !e.fix_en.is_empty());
    }

    #[test]
    fn an_impossible_unquoted_date_is_a_syntax_error_and_a_real_one_must_be_quoted() {
        let errors = compile(&[META, FACTS, ("d.toml", "[document]\nvalid_from = 2025-02-30\n")]).unwrap_err();
        assert_eq!((errors[0].line, errors[0].file.as_str()), (2, "rules/d.toml"), "{errors:?}");
        let errors = compile(&[META, FACTS, ("d.toml", "[document]\nid = \"d\"\nvalid_from = 2025-02-28\n")]).unwrap_err();
        assert_eq!((errors[0].line, errors[0].column), (3, 14), "{errors:?}");
        assert!(errors[0].fix_en.contains("quoted"), "{errors:?}");
    }

    #[test]
    fn a_ten_megabyte_file_is_refused_with_its_size() {
        let big = format!("# {}\n", "x".repeat(10 << 20));
        let errors = compile(&[META, FACTS, ("big.toml", &big)]).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert!(errors[0].what_en.contains("more than a rule file's limit"), "{}", errors[0]);
        assert!(errors[0].what_zh.contains("超过"), "{}", errors[0]);
    }

    #[test]
    fn missing_bundle_and_facts_files_are_named() {
        let errors = compile(&[("d.toml", "[document]\n")]).unwrap_err();
        let files: Vec<&str> = errors.iter().map(|e| e.file.as_str()).collect();
        assert_eq!(files, ["rules/bundle.toml", "rules/facts.toml"]);
        let errors = compile(&[("bundle.toml", "name = 1\n"), FACTS]).unwrap_err();
        assert!(errors[0].what_en.contains("version"), "{errors:?}");
    }

    #[test]
    fn files_outside_the_rule_layout_are_refused() {
        let errors = compile(&[META, FACTS, ("notes.txt", ""), ("a/b.toml", ""), ("d.toml", ""), ("d.toml", "")]).unwrap_err();
        let files: Vec<&str> = errors.iter().map(|e| e.file.as_str()).collect();
        assert_eq!(files, ["rules/a/b.toml", "rules/d.toml", "rules/notes.txt"], "{errors:?}");
    }

    #[test]
    fn the_order_of_the_files_does_not_change_the_bundle_and_facts_are_merged() {
        let more = ("rules/facts/more.toml", "[[fact]]\nid = \"spend\"\n");
        let doc = ("d.toml", "left_out = [{ clause = \"x\" }]\n[document]\nid = \"d\"\n");
        let cases = ("d.cases.toml", "[[case]]\nname = \"n\"\n");
        let a = compile(&[META, FACTS, more, doc, cases]).unwrap();
        let b = compile(&[cases, doc, more, FACTS, META]).unwrap();
        assert_eq!(a, b);
        let bundle: serde_json::Value = serde_json::from_str(&a.bundle_json).unwrap();
        assert_eq!(bundle["facts"]["fact"][1]["id"], "spend");
        assert_eq!(bundle["documents"][0]["file"], "rules/d.toml");
        assert!(bundle["documents"][0].get("left_out").is_none());
        assert!(a.coverage_json.contains("\"clause\":\"x\""));
        assert!(a.cases_json.contains("rules/d.cases.toml"));
        assert_eq!(a.hash.len(), 64);
    }

    #[test]
    fn line_and_column_count_characters_not_bytes() {
        assert_eq!(line_column("补助\n金额 = x", "补助\n金额 = ".len()), (2, 6));
        assert_eq!(line_column("", 5), (1, 1));
    }
}
