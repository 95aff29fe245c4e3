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
                (format!("TOML 语法错误：{}", toml_zh(&message)), format!("TOML syntax error: {message}")),
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

/// What the TOML parser says (`toml` and `toml_parser`: "unclosed array, expected `]`",
/// "invalid date, expected day between 01 and 28"), in Chinese. (Here, not in `rule_zh`:
/// `build.rs` includes this file alone.) A description with no Chinese here keeps its
/// English after a Chinese lead, and the tests list every one the parser has.
pub fn toml_zh(message: &str) -> String {
    const DESCRIPTIONS: &[(&str, &str)] = &[
        ("duplicate key", "键重复：同一个键（或表）写了两次"),
        ("invalid date", "日期无效"),
        ("invalid time", "时间无效"),
        ("invalid time offset", "时区偏移无效"),
        ("invalid datetime", "日期时间无效"),
        ("invalid basic string", "字符串无效（缺少结尾的引号）"),
        ("invalid multi-line basic string", "多行字符串无效（缺少结尾的三个引号）"),
        ("invalid literal string", "单引号字符串无效（缺少结尾的单引号）"),
        ("invalid multi-line literal string", "多行单引号字符串无效"),
        ("missing escaped value", "反斜杠之后缺少转义字符"),
        ("unquoted keys cannot be empty", "不带引号的键不能为空"),
        ("`_` may only go between digits", "`_` 只能写在两个数字之间"),
        ("cannot recurse further; max recursion depth met", "嵌套层数太多"),
        ("carriage return must be followed by newline", "回车符之后须是换行符"),
        ("extra `=`", "多了一个 `=`"),
        ("extra assignment between key-value pairs", "键值对之间多了一个赋值"),
        ("extra comma in array", "数组中多了一个逗号"),
        ("extra comma in inline table", "内联表中多了一个逗号"),
        ("integers with a radix cannot be signed", "带进制前缀的整数不能有正负号"),
        ("invalid comment character", "注释中有无效字符"),
        ("invalid inline table element", "内联表中的元素无效"),
        ("invalid key-value pair", "键值对无效"),
        ("invalid unquoted key", "不带引号的键无效"),
        ("invalid value", "值无效"),
        ("invalid boolean", "布尔值无效"),
        ("invalid fraction", "小数部分无效"),
        ("invalid exponent", "指数部分无效"),
        ("invalid integer", "整数无效"),
        ("invalid float", "小数无效"),
        ("invalid escape", "转义字符无效"),
        ("invalid unicode escape", "Unicode 转义无效"),
        ("integer number overflowed", "整数溢出"),
        ("key with no value", "键没有值"),
        ("keys cannot be multi-line basic strings", "键不能是多行字符串"),
        ("keys cannot be multi-line literal strings", "键不能是多行单引号字符串"),
        ("missing array opening", "数组缺少开头的 `[`"),
        ("missing assignment between key-value pairs", "键与值之间缺少 `=`"),
        ("missing comma between array elements", "数组元素之间缺少逗号"),
        ("missing comma between key-value pairs", "键值对之间缺少逗号"),
        ("missing comment start", "注释缺少开头的 `#`"),
        ("missing inline table opening", "内联表缺少开头的 `{`"),
        ("missing key for inline table element", "内联表元素缺少键"),
        ("missing opening quote", "缺少开头的引号"),
        ("missing table open", "表头缺少开头的 `[`"),
        ("missing value for key", "键缺少值"),
        ("missing value", "缺少值"),
        ("radix must be lowercase", "进制前缀须为小写"),
        ("redundant integer number prefix", "整数前缀多余"),
        ("redundant numeric sign", "正负号多余"),
        ("string values must be quoted", "文字须加引号"),
        ("too few unicode value digits", "Unicode 转义的位数不够"),
        ("unclosed array table", "数组表头没有闭合（缺少 `]]`）"),
        ("unclosed array", "数组没有闭合（缺少 `]`）"),
        ("unclosed inline table", "内联表没有闭合（缺少 `}`）"),
        ("unclosed table", "表头没有闭合（缺少 `]`）"),
        ("unexpected `=` in array", "数组中不应有 `=`"),
        ("unexpected content between comment and newline", "注释与换行之间有多余内容"),
        ("unexpected content", "有多余的内容"),
        ("unexpected key or value", "此处不应有键或值"),
        ("unexpected leading zero", "数字不能以 0 开头"),
        ("unexpected sign", "此处不应有正负号"),
        ("unexpected end of input", "文件没写完"),
    ];
    const EXPECTED: &[(&str, &str)] = &[
        ("letters", "字母"),
        ("numbers", "数字"),
        ("digits", "数字"),
        ("key", "键"),
        ("value", "值"),
        ("characters", "字符"),
        ("printable characters", "可打印字符"),
        ("basic string", "带双引号的字符串"),
        ("literal string", "带引号的字符串"),
        ("multi-line basic string", "多行字符串"),
        ("non-double-quote visible characters", "双引号以外的可见字符"),
        ("non-single-quote characters", "单引号以外的字符"),
        ("non-single-quote visible characters", "单引号以外的可见字符"),
        ("unicode hexadecimal value", "十六进制 Unicode 值"),
        ("any valid TOML value", "任一有效的 TOML 值"),
    ];
    let word = |w: &str| -> String {
        let w = w.trim();
        if let Some((_, zh)) = EXPECTED.iter().find(|(en, _)| *en == w) {
            return zh.to_string();
        }
        // "day between 01 and 28", "month between 01 and 12", "hour between 00 and 23".
        for (unit, zh) in [("year", "年"), ("month", "月"), ("day", "日"), ("hour", "时"), ("minute", "分"), ("second", "秒")] {
            if let Some((low, high)) = w.strip_prefix(unit).and_then(|r| r.trim().strip_prefix("between ")).and_then(|r| r.split_once(" and ")) {
                return format!("{low} 到 {high} 之间的{zh}");
            }
        }
        w.to_string()
    };
    // "invalid type: integer `99999999999999999999` as i128, expected any valid TOML value"
    if let Some(rest) = message.strip_prefix("invalid type: integer ") {
        let number = rest.split(" as ").next().unwrap_or(rest);
        return format!("整数 {number} 太大");
    }
    let (description, expected) = match message.split_once(", expected ") {
        Some((d, e)) => (d, Some(e)),
        None => (message, None),
    };
    let mut zh = match DESCRIPTIONS.iter().find(|(en, _)| *en == description) {
        Some((_, zh)) => zh.to_string(),
        None => format!("（此信息尚无中文）{description}"),
    };
    if let Some(expected) = expected.filter(|e| *e != "nothing") {
        let alternatives: Vec<String> = expected.split(", ").map(word).collect();
        zh += &format!("，此处应为 {}", alternatives.join("、"));
    }
    zh
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
    fn toml_errors_are_in_chinese() {
        let cases = [
            ("a = 1\na = 2\n", "键重复"),
            ("d = 2025-02-30\n", "日期无效，此处应为 01 到 28 之间的日"),
            ("d = 2025-13-01\n", "日期无效，此处应为 01 到 12 之间的月"),
            ("s = \"abc", "字符串无效"),
            ("x = [1, 2\n", "数组没有闭合"),
            ("x = { a = 1\n", "内联表没有闭合"),
            ("[a\n", "表头没有闭合"),
            ("x = tru\n", "布尔值无效"),
            ("x = 99999999999999999999\n", "整数 `99999999999999999999` 太大"),
            ("x = 1 2\n", "文字须加引号"),
            ("= 1\n", "不带引号的键不能为空，此处应为 字母、数字、`-`、`_`"),
        ];
        for (text, zh) in cases {
            let errors = compile(&[META, FACTS, ("d.toml", text)]).unwrap_err();
            assert!(errors[0].what_zh.contains(zh), "{text:?}: {}", errors[0].what_zh);
            assert!(!errors[0].what_zh.contains("尚无中文"), "{text:?}: {}", errors[0].what_zh);
        }
        // Every description the parser has (toml_parser's `ParseError::new` texts) has Chinese.
        for d in ["unclosed array table", "missing comma between array elements", "extra comma in array", "key with no value", "invalid unquoted key", "unexpected content"] {
            assert!(!toml_zh(d).contains("尚无中文"), "{d}");
        }
    }

    #[test]
    fn line_and_column_count_characters_not_bytes() {
        assert_eq!(line_column("补助\n金额 = x", "补助\n金额 = ".len()), (2, 6));
        assert_eq!(line_column("", 5), (1, 1));
    }
}
