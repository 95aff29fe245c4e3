//! Proactive matching (政策精准匹配 / 免申即享): a bureau's register of companies, one row
//! per company, matched against every benefit at once.
//!
//! Pure: the header is mapped to facts, each cell is read by the questionnaire's own reader
//! (`Catalogue::read_answer`: "200万", full-width digits, bounds), each company is evaluated
//! by the engine, and the results are tallied per benefit. Reading files (CSV, GBK, XLSX),
//! threads and output formats are in `register_file`, which is native only.
//!
//! A bad cell never stops the run: it is reported by row and column and read as unknown,
//! so the company is still evaluated and the benefits that needed it say so.

use crate::bundle::Bundle;
use crate::date::Date;
use crate::engine::{default_policy_year, evaluate_for, evaluate_remembering, BenefitResult, Claim, Memo, Evaluation, Schedule, Status, Timing, Validity};
use crate::facts::{FactKind, ItemAnswer, Problem, Profile, RawAnswer, MAX_ITEMS};
use crate::money::{format_yuan, round_yuan};
use crate::rules::Level;
use crate::text::Lang;
use rust_decimal::Decimal;
use serde::Deserialize;
use std::borrow::Cow;
use std::collections::BTreeMap;

/// A mapping file (`--columns map.toml`): which header holds the company's id, which its
/// name, which columns to skip, and which fact each other header answers.
///
/// ```toml
/// company = "统一社会信用代码"
/// name = "企业名称"
/// ignore = ["注册地址", "备注"]
/// [columns]
/// "所在区" = "district"
/// "员工人数" = "employees"
/// ```
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnMap {
    pub company: Option<String>,
    pub name: Option<String>,
    #[serde(default)]
    pub ignore: Vec<String>,
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
}

/// Headers taken for the company's id without a mapping file (统一社会信用代码 first).
pub const COMPANY_HEADERS: &[&str] = &["统一社会信用代码", "社会信用代码", "信用代码", "企业代码", "credit_code", "company_id", "company"];
/// Headers taken for the company's name without a mapping file.
pub const NAME_HEADERS: &[&str] = &["企业名称", "公司名称", "单位名称", "name", "company_name"];

/// What one column of the register holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Company,
    Name,
    /// The answer to a fact (a catalogue index).
    Fact(usize),
    /// The answer for item `item` (2 and up) of a per-item fact: header `fact#2`.
    Item { fact: usize, item: u8 },
    /// Listed under `ignore` in the mapping file.
    Ignore,
    /// A column without a header: skipped, but a value in it is reported.
    Unnamed,
}

/// Why the header cannot be used. All are reported at once.
#[derive(Debug, Clone, PartialEq)]
pub enum HeaderProblem {
    /// No header row at all: the file is empty.
    Empty,
    /// Columns that match no fact id, no Chinese or English label, and nothing in the map.
    Unknown(Vec<(usize, String)>),
    /// No column holds the company's id (credit code).
    NoCompany { mapped: Option<String> },
    /// Two columns give the same thing (`what`: a fact id, or the company/name).
    Twice { what: String, columns: (usize, String, String) },
    /// The mapping file names a fact that is not in the catalogue.
    MapUnknownFact { header: String, fact: String },
    /// A header matches the labels of several facts.
    Ambiguous { column: usize, header: String, facts: Vec<String> },
    /// `fact#n` where the fact is not per item, or n is not 2 to `MAX_ITEMS`.
    BadItem { column: usize, header: String },
}

/// "C" for the third column, "AA" for the 27th: as spreadsheets show them.
pub fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        letters.push(b'A' + ((n - 1) % 26) as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

fn column_name(index: usize, header: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{}列“{header}”", column_letter(index)),
        Lang::En => format!("column {} “{header}”", column_letter(index)),
    }
}

impl HeaderProblem {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            HeaderProblem::Empty => lang.pick("文件为空：第一行应为表头", "the file is empty: the first row must be the header").into(),
            HeaderProblem::Unknown(columns) => {
                let listed: Vec<String> = columns.iter().map(|(i, h)| column_name(*i, h, lang)).collect();
                match lang {
                    Lang::Zh => format!(
                        "{} 个表头无法识别：{}。表头应为问题 id 或其中文名称（huiqi facts 列出全部），或在映射文件（--columns）的 [columns] 中对应到问题 id，或列入 ignore",
                        columns.len(),
                        listed.join("、")
                    ),
                    Lang::En => format!(
                        "{} unknown column(s): {}. A header must be a fact id or its Chinese or English label (huiqi facts lists them), or be mapped to a fact id under [columns] in a mapping file (--columns), or be listed under ignore",
                        columns.len(),
                        listed.join(", ")
                    ),
                }
            }
            HeaderProblem::NoCompany { mapped: Some(h) } => match lang {
                Lang::Zh => format!("映射文件指定的企业代码列“{h}”不在表头中"),
                Lang::En => format!("the company column “{h}” named in the mapping file is not in the header"),
            },
            HeaderProblem::NoCompany { mapped: None } => match lang {
                Lang::Zh => format!("找不到企业代码列：表头应有 {} 之一，或在映射文件中写 company = \"列名\"", COMPANY_HEADERS.join("、")),
                Lang::En => format!("no company column: the header needs one of {}, or a mapping file with company = \"header\"", COMPANY_HEADERS.join(", ")),
            },
            HeaderProblem::Twice { what, columns: (second, a, b) } => match lang {
                Lang::Zh => format!("“{a}”和“{b}”两列都是 {what}（第二个在 {} 列）", column_letter(*second)),
                Lang::En => format!("both “{a}” and “{b}” give {what} (the second in column {})", column_letter(*second)),
            },
            HeaderProblem::MapUnknownFact { header, fact } => match lang {
                Lang::Zh => format!("映射文件：“{header}”对应的问题 `{fact}` 不存在（huiqi facts 列出全部）"),
                Lang::En => format!("mapping file: “{header}” maps to `{fact}`, which is no fact (huiqi facts lists them)"),
            },
            HeaderProblem::Ambiguous { column, header, facts } => match lang {
                Lang::Zh => format!("{} 同时是多个问题的名称：{}；请用映射文件指定", column_name(*column, header, lang), facts.join("、")),
                Lang::En => format!("{} is the label of several facts: {}; map it in a mapping file", column_name(*column, header, lang), facts.join(", ")),
            },
            HeaderProblem::BadItem { column, header } => match lang {
                Lang::Zh => format!("{}：只有按项目填写的问题可写 #2 到 #{MAX_ITEMS}", column_name(*column, header, lang)),
                Lang::En => format!("{}: only a per-item fact takes #2 to #{MAX_ITEMS}", column_name(*column, header, lang)),
            },
        }
    }
}

/// The header, resolved: what each column holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Columns {
    pub header: Vec<String>,
    pub targets: Vec<Target>,
    pub company: usize,
    pub name: Option<usize>,
    /// Per catalogue fact: whether some column of this register answers it.
    pub answered: Vec<bool>,
    /// Mapping-file entries whose header is not in this file (not an error: one mapping
    /// file may serve several registers).
    pub unused_mappings: Vec<String>,
}

fn same_header(a: &str, b: &str) -> bool {
    a == b || (a.is_ascii() && a.eq_ignore_ascii_case(b))
}

impl Columns {
    /// Resolves a header row. With a mapping file its entries come first; otherwise (and
    /// for headers the file does not name) a header is a fact id (`fact#2` for item 2),
    /// a fact's Chinese or English label, or one of the usual company id / name headers.
    pub fn resolve(bundle: &Bundle, header: &[String], map: Option<&ColumnMap>) -> Result<Columns, Vec<HeaderProblem>> {
        let catalogue = &bundle.catalogue;
        let blank = |h: &String| h.trim_start_matches('\u{feff}').trim().is_empty();
        if header.is_empty() || (header.len() == 1 && blank(&header[0])) {
            return Err(vec![HeaderProblem::Empty]);
        }
        let header: Vec<String> = header.iter().map(|h| h.trim_start_matches('\u{feff}').trim().to_string()).collect();
        let mut problems = Vec::new();
        let mut unknown = Vec::new();
        let mut targets = Vec::with_capacity(header.len());
        let fact_by_id = |id: &str, column: usize, problems: &mut Vec<HeaderProblem>| -> Option<Target> {
            if let Some((fact, number)) = id.split_once('#') {
                let i = catalogue.index_of(fact)?;
                let item = crate::facts::item_number(number);
                return match (item, catalogue.facts[i].item_kind) {
                    (Some(item), Some(_)) => Some(Target::Item { fact: i, item }),
                    _ => {
                        problems.push(HeaderProblem::BadItem { column, header: header[column].clone() });
                        Some(Target::Ignore)
                    }
                };
            }
            catalogue.index_of(id).map(Target::Fact)
        };
        for (column, h) in header.iter().enumerate() {
            let mapped = map.and_then(|m| {
                if m.company.as_deref().is_some_and(|c| same_header(c.trim(), h)) {
                    Some(Target::Company)
                } else if m.name.as_deref().is_some_and(|n| same_header(n.trim(), h)) {
                    Some(Target::Name)
                } else if m.ignore.iter().any(|i| same_header(i.trim(), h)) {
                    Some(Target::Ignore)
                } else {
                    let (key, id) = m.columns.iter().find(|(k, _)| same_header(k.trim(), h))?;
                    Some(fact_by_id(id.trim(), column, &mut problems).unwrap_or_else(|| {
                        problems.push(HeaderProblem::MapUnknownFact { header: key.clone(), fact: id.clone() });
                        Target::Ignore
                    }))
                }
            });
            let target = mapped.or_else(|| {
                if h.is_empty() {
                    return Some(Target::Unnamed);
                }
                if let Some(t) = fact_by_id(h, column, &mut problems) {
                    return Some(t);
                }
                let by_label: Vec<usize> = (0..catalogue.facts.len())
                    .filter(|&i| {
                        let label = &catalogue.fact(i).label;
                        label.zh == *h || label.en.eq_ignore_ascii_case(h)
                    })
                    .collect();
                match by_label.as_slice() {
                    [i] => return Some(Target::Fact(*i)),
                    [] => {}
                    several => {
                        let facts = several.iter().map(|&i| catalogue.fact(i).id.clone()).collect();
                        problems.push(HeaderProblem::Ambiguous { column, header: h.clone(), facts });
                        return Some(Target::Ignore);
                    }
                }
                // The usual id and name headers, unless a mapping file names those columns.
                if map.is_none_or(|m| m.company.is_none()) && COMPANY_HEADERS.iter().any(|c| same_header(c, h)) {
                    return Some(Target::Company);
                }
                if map.is_none_or(|m| m.name.is_none()) && NAME_HEADERS.iter().any(|c| same_header(c, h)) {
                    return Some(Target::Name);
                }
                None
            });
            match target {
                Some(t) => targets.push(t),
                None => {
                    unknown.push((column, h.clone()));
                    targets.push(Target::Ignore);
                }
            }
        }
        if !unknown.is_empty() {
            problems.push(HeaderProblem::Unknown(unknown));
        }
        // Each fact, item, the company and its name come from one column only.
        for (second, t) in targets.iter().enumerate() {
            if matches!(t, Target::Ignore | Target::Unnamed) {
                continue;
            }
            if let Some(first) = targets[..second].iter().position(|u| u == t) {
                let what = match t {
                    Target::Company => "company id".to_string(),
                    Target::Name => "company name".to_string(),
                    Target::Fact(i) => format!("`{}`", catalogue.fact(*i).id),
                    Target::Item { fact, item } => format!("`{}#{item}`", catalogue.fact(*fact).id),
                    Target::Ignore | Target::Unnamed => unreachable!(),
                };
                problems.push(HeaderProblem::Twice { what, columns: (second, header[first].clone(), header[second].clone()) });
            }
        }
        let company = targets.iter().position(|t| *t == Target::Company);
        if company.is_none() {
            problems.push(HeaderProblem::NoCompany { mapped: map.and_then(|m| m.company.clone()) });
        }
        let unused_mappings = map
            .map(|m| {
                m.columns
                    .keys()
                    .chain(m.ignore.iter())
                    .filter(|k| !header.iter().any(|h| same_header(k.trim(), h)))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        match company {
            Some(company) if problems.is_empty() => {
                let name = targets.iter().position(|t| *t == Target::Name);
                let mut answered = vec![false; catalogue.facts.len()];
                for t in &targets {
                    if let Target::Fact(f) | Target::Item { fact: f, .. } = *t {
                        answered[f] = true;
                    }
                }
                Ok(Columns { header, targets, company, name, answered, unused_mappings })
            }
            _ => Err(problems),
        }
    }

    /// Reads one data row (`row`: its line number as a spreadsheet shows it, the header
    /// being row 1). Every cell that cannot be read is reported and left unknown.
    pub fn read_row<'a>(&self, bundle: &Bundle, row: u64, cells: impl IntoIterator<Item = &'a str>) -> (Company, Vec<CellProblem>) {
        let mut company = Company::empty(bundle);
        let problems = self.read_row_into(bundle, row, cells, &mut company);
        (company, problems)
    }

    /// `read_row` into a company read before (all of it is overwritten): a run reads
    /// each row into the same one, not into a new profile of every fact.
    pub fn read_row_into<'a>(&self, bundle: &Bundle, row: u64, cells: impl IntoIterator<Item = &'a str>, company: &mut Company) -> Vec<CellProblem> {
        company.row = row;
        company.id.clear();
        company.name.clear();
        company.profile.values.clear();
        company.profile.values.resize(bundle.catalogue.facts.len(), None);
        company.profile.items.clear();
        let mut problems = Vec::new();
        let mut width = 0;
        for (column, cell) in cells.into_iter().enumerate() {
            width = column + 1;
            let problem = |issue| CellProblem { row, column, value: cell.trim().to_string(), issue };
            let Some(target) = self.targets.get(column) else {
                if !cell.trim().is_empty() {
                    problems.push(problem(CellIssue::BeyondHeader));
                }
                continue;
            };
            match *target {
                // Replaced, not added to: of two such columns the later wins.
                Target::Company => {
                    company.id.clear();
                    company.id.push_str(cell.trim());
                }
                Target::Name => {
                    company.name.clear();
                    company.name.push_str(cell.trim());
                }
                Target::Ignore => {}
                Target::Unnamed if cell.trim().is_empty() => {}
                Target::Unnamed => problems.push(problem(CellIssue::NoHeader)),
                Target::Fact(i) => match read_cell(bundle, i, cell) {
                    Ok(value) => company.profile.values[i] = value,
                    Err(p) => problems.push(problem(CellIssue::Answer(p))),
                },
                Target::Item { fact, item } => match read_cell(bundle, fact, cell) {
                    Ok(Some(value)) => {
                        let items = &mut company.profile.items;
                        let at = items.partition_point(|a| (a.fact, a.item) < (fact, item));
                        items.insert(at, ItemAnswer { fact, item, value });
                    }
                    Ok(None) => {}
                    Err(p) => problems.push(problem(CellIssue::Answer(p))),
                },
            }
        }
        if company.id.is_empty() {
            let issue = if width <= self.company { CellIssue::ShortRow } else { CellIssue::NoCompanyId };
            problems.push(CellProblem { row, column: self.company, value: String::new(), issue });
        }
        problems
    }
}

/// One cell through the questionnaire's reader. A choice may also be written as its
/// option's Chinese or English label (滨江区 for `binjiang`), as registers write them.
fn read_cell(bundle: &Bundle, fact: usize, cell: &str) -> Result<Option<crate::facts::Value>, Problem> {
    let catalogue = &bundle.catalogue;
    let spec = catalogue.fact(fact);
    let text = cell.trim();
    if spec.kind == FactKind::Choice && !spec.options.iter().any(|o| o.id == text) {
        if let Some(o) = spec.options.iter().find(|o| o.label.zh == text || o.label.en.eq_ignore_ascii_case(text)) {
            return catalogue.read_answer(fact, RawAnswer::Text(&o.id));
        }
    }
    catalogue.read_answer(fact, RawAnswer::Text(text))
}

/// One company as read from its row.
#[derive(Debug, Clone, PartialEq)]
pub struct Company {
    pub row: u64,
    pub id: String,
    pub name: String,
    pub profile: Profile,
}

impl Company {
    /// No row read yet: nothing answered.
    pub fn empty(bundle: &Bundle) -> Company {
        Company { row: 0, id: String::new(), name: String::new(), profile: Profile::empty(&bundle.catalogue) }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum CellIssue {
    Answer(Problem),
    /// The company id cell is empty: the results are still written, under the row number.
    NoCompanyId,
    /// The row ends before the company id column.
    ShortRow,
    /// A value in a column without a header.
    NoHeader,
    /// A value past the last header column.
    BeyondHeader,
    /// The cell's bytes are not text in the file's encoding.
    Encoding(&'static str),
    /// A spreadsheet error value (#DIV/0!, #N/A) instead of a value.
    SheetError,
    /// `--policy-year latest`, and no annual edition applies to the company's district on
    /// or before the day: it is matched against what is in force on the day instead.
    NoPolicyYear { as_of: Date },
    /// The company id is the same as an earlier row's (`first_row`, the first row that has
    /// it): both rows are matched, written and counted, as the register has them.
    SameId { first_row: u64 },
}

/// A cell that could not be read (`column` 0-based; `row` as a spreadsheet numbers it).
#[derive(Debug, Clone, PartialEq)]
pub struct CellProblem {
    pub row: u64,
    pub column: usize,
    pub value: String,
    pub issue: CellIssue,
}

impl CellProblem {
    pub fn message(&self, lang: Lang) -> String {
        match &self.issue {
            CellIssue::Answer(p) => format!("{}{}", p.message(lang), lang.pick("（按未知处理）", " (read as unknown)")),
            CellIssue::NoCompanyId => lang.pick("企业代码为空（结果按行号写出）", "the company id is empty (results are written under the row number)").into(),
            CellIssue::ShortRow => lang.pick("本行单元格少于表头，缺企业代码（结果按行号写出）", "the row is shorter than the header and has no company id (results are written under the row number)").into(),
            CellIssue::NoHeader => lang.pick("此列没有表头，值未使用", "this column has no header; the value is not used").into(),
            CellIssue::BeyondHeader => lang.pick("本行单元格多于表头，多出的值未使用", "the row has more cells than the header; the value is not used").into(),
            CellIssue::SheetError => lang.pick("单元格是公式错误值（按未知处理）", "the cell holds a formula error (read as unknown)").into(),
            CellIssue::NoPolicyYear { as_of } => match lang {
                Lang::Zh => format!("最新政策年度：{as_of} 及之前没有适用于该企业所在区的年度政策，按当日有效的政策匹配"),
                Lang::En => format!("latest policy year: no annual edition for the company's district applies on or before {as_of}; matched against what is in force on the day"),
            },
            CellIssue::SameId { first_row } => match lang {
                Lang::Zh => format!("与第 {first_row} 行的企业代码相同（两行都已匹配并计入汇总）"),
                Lang::En => format!("same id as row {first_row} (both rows are matched and counted in the totals)"),
            },
            CellIssue::Encoding(encoding) => match lang {
                Lang::Zh => format!("不是有效的 {encoding} 文本（按未知处理）"),
                Lang::En => format!("not valid {encoding} text (read as unknown)"),
            },
        }
    }

    /// "第 5 行 C列“营业收入”" / "row 5, column C “revenue”".
    pub fn place(&self, columns: &Columns, lang: Lang) -> String {
        let header = columns.header.get(self.column).map_or("", String::as_str);
        match lang {
            Lang::Zh => format!("第 {} 行 {}", self.row, column_name(self.column, header, lang)),
            Lang::En => format!("row {}, {}", self.row, column_name(self.column, header, lang)),
        }
    }
}

/// A benefit a company is eligible for, or may be once the missing facts are known.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    pub benefit: usize,
    /// `Eligible` or `NeedsAnswers`.
    pub status: Status,
    pub amount: Option<Decimal>,
    pub max_amount: Option<Decimal>,
    /// Whether it can be claimed on the day (a closed window is counted apart in the
    /// summary, not in its amounts, as `huiqi evaluate` leaves it out of its total).
    pub claim: Claim,
    /// The facts that would settle it: a range into `CompanyResult::missing`.
    pub missing: std::ops::Range<usize>,
}

/// A per-company cap that cut the sum of a company's benefits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CapCut {
    pub cap: usize,
    pub cut: Decimal,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CompanyResult {
    pub row: u64,
    pub id: String,
    pub name: String,
    /// The policy year this company was matched for (`None`: what is in force on the day).
    pub policy_year: Option<i32>,
    pub matches: Vec<Match>,
    /// Catalogue indices of missing facts, for all matches (one list, not one per match).
    pub missing: Vec<usize>,
    pub cap_cuts: Vec<CapCut>,
}

impl CompanyResult {
    pub fn missing_of(&self, m: &Match) -> &[usize] {
        &self.missing[m.missing.clone()]
    }
}

impl Columns {
    /// Whether a match belongs in the result table by default: eligible, or needing only
    /// facts that this register has columns for (the company's cell was blank or bad, so
    /// filling it in settles the benefit). A benefit that needs facts the register has no
    /// column for is undecided for every company alike; it is counted in the summary.
    pub fn decides(&self, result: &CompanyResult, m: &Match) -> bool {
        m.status == Status::Eligible || result.missing_of(m).iter().all(|&f| self.answered[f])
    }
}

/// Which benefits each company is matched against: `huiqi evaluate --policy-year` and
/// the JS API's `policyYear`, for a whole register.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PolicyYear {
    /// What is in force on the day ("open now").
    #[default]
    OpenNow,
    /// The benefits for the results of this year (see `engine::Timing`).
    Year(i32),
    /// Per company, the latest year with an annual edition for its district on or before
    /// the day (`engine::default_policy_year`, as the app and `defaultPolicyYear` choose
    /// it; a company whose district is blank or bad counts every district's editions, as a
    /// profile without a district does). Read per company, not once for the register:
    /// on 2024-06-30 a Binjiang company has its 2024 edition, while a Xihu one has none.
    Latest,
}

impl PolicyYear {
    /// `2025` or `latest`, as the command line takes it; years 1900 to 2200 as the JS API.
    pub fn parse(text: &str) -> Option<PolicyYear> {
        match text.trim() {
            "latest" => Some(PolicyYear::Latest),
            year => year.parse::<i32>().ok().filter(|y| (1900..=2200).contains(y)).map(PolicyYear::Year),
        }
    }

    /// Whether any company can have a latest year on `as_of`: with no annual edition at
    /// all, `latest` is refused before the run, as `huiqi evaluate` refuses it.
    pub fn usable(self, bundle: &Bundle, as_of: Date) -> bool {
        self != PolicyYear::Latest || default_policy_year(bundle, None, as_of).is_some()
    }

    /// The timing one company is evaluated with (`latest` read from its district).
    pub fn timing(self, bundle: &Bundle, profile: &Profile, as_of: Date) -> Timing {
        let policy_year = match self {
            PolicyYear::OpenNow => None,
            PolicyYear::Year(y) => Some(y),
            PolicyYear::Latest => {
                let district = match profile.get(bundle.district_fact()) {
                    Some(crate::facts::Value::Choice(c)) => Some(c),
                    _ => None,
                };
                default_policy_year(bundle, district, as_of)
            }
        };
        Timing { as_of, policy_year }
    }
}

/// Evaluates one company with the engine and keeps what a bureau acts on: the benefits
/// in force that are eligible (and paid, not superseded) or need answers, in bundle order.
/// What is in force on `as_of`; `match_company_for` takes a policy year.
pub fn match_company(bundle: &Bundle, company: &Company, as_of: Date) -> CompanyResult {
    match_company_for(bundle, company, as_of, PolicyYear::OpenNow)
}

/// `match_company` for a policy year: "in force" then means for that year, as in
/// `huiqi evaluate --policy-year`.
pub fn match_company_for(bundle: &Bundle, company: &Company, as_of: Date, year: PolicyYear) -> CompanyResult {
    let timing = year.timing(bundle, &company.profile, as_of);
    matched(company, &evaluate_for(bundle, &company.profile, timing))
}

/// The schedule (`engine::Schedule`) of every timing a run's companies can be matched
/// for: one, or for `latest` one per policy year a district can have. Read once for a
/// run, not for every company.
#[derive(Debug, Clone)]
pub struct Schedules {
    as_of: Date,
    year: PolicyYear,
    schedules: Vec<Schedule>,
}

impl Schedules {
    pub fn new(bundle: &Bundle, as_of: Date, year: PolicyYear) -> Schedules {
        let mut years = match year {
            PolicyYear::OpenNow => vec![None],
            PolicyYear::Year(y) => vec![Some(y)],
            // Every district, and none (a blank or bad cell), as `PolicyYear::timing` reads them.
            PolicyYear::Latest => {
                let districts = bundle.catalogue.fact(bundle.district_fact()).options.len();
                (0..districts).map(|c| Some(c as u16)).chain([None]).map(|d| default_policy_year(bundle, d, as_of)).collect()
            }
        };
        years.sort_unstable();
        years.dedup();
        let schedules = years.into_iter().map(|policy_year| Schedule::new(bundle, Timing { as_of, policy_year })).collect();
        Schedules { as_of, year, schedules }
    }

    /// `match_company_for` with the run's schedules (a timing they lack is read afresh),
    /// evaluated in `eval` with `memo`, both kept from one company to the next.
    pub fn match_company(&self, bundle: &Bundle, company: &Company, eval: &mut Evaluation, memo: &mut Memo) -> CompanyResult {
        let timing = self.year.timing(bundle, &company.profile, self.as_of);
        match self.schedules.iter().find(|s| s.timing == timing) {
            Some(schedule) => evaluate_remembering(bundle, &company.profile, schedule, eval, memo),
            None => evaluate_remembering(bundle, &company.profile, &Schedule::new(bundle, timing), eval, memo),
        }
        matched(company, eval)
    }
}

/// What a bureau acts on from one company's evaluation (see `match_company`).
fn matched(company: &Company, eval: &Evaluation) -> CompanyResult {
    let kept = |r: &&BenefitResult| r.validity == Validity::InForce && matches!(r.status, Status::Eligible | Status::NeedsAnswers);
    // Counted first, so each list is allocated once at its size (a company keeps a few
    // dozen of the bundle's hundreds of benefits).
    let (mut kept_matches, mut kept_missing) = (0, 0);
    for r in eval.results.iter().filter(kept) {
        (kept_matches, kept_missing) = (kept_matches + 1, kept_missing + r.missing.len());
    }
    let mut missing = Vec::with_capacity(kept_missing);
    let mut matches = Vec::with_capacity(kept_matches);
    for r in eval.results.iter().filter(kept) {
        let start = missing.len();
        missing.extend_from_slice(eval.missing_of(r));
        matches.push(Match { benefit: r.benefit, status: r.status, amount: r.amount, max_amount: r.max_amount, claim: r.claim, missing: start..missing.len() });
    }
    let cap_cuts = eval.cap_adjustments.iter().map(|a| CapCut { cap: a.cap, cut: a.before - a.after }).collect();
    CompanyResult { row: company.row, id: company.id.clone(), name: company.name.clone(), policy_year: eval.policy_year, matches, missing, cap_cuts }
}

impl Columns {
    /// The problem to report when `latest` found no year for a company (it was matched
    /// against what is in force on the day): on its district cell, or its id without one.
    pub fn policy_year_problem(&self, bundle: &Bundle, year: PolicyYear, result: &CompanyResult, as_of: Date) -> Option<CellProblem> {
        if year != PolicyYear::Latest || result.policy_year.is_some() {
            return None;
        }
        let district = Target::Fact(bundle.district_fact());
        let column = self.targets.iter().position(|t| *t == district).unwrap_or(self.company);
        Some(CellProblem { row: result.row, column, value: String::new(), issue: CellIssue::NoPolicyYear { as_of } })
    }
}

/// The columns of the result table, one row per company × benefit.
/// `policy_year` is empty for what is in force on the day; `claim` is whether it can be
/// claimed on the day (`report::claim_code`: not_stated, open, not_yet_open, closed,
/// after_period).
pub const RECORD_HEADER: [&str; 14] =
    ["row", "company", "name", "benefit", "status", "amount", "max_amount", "up_to", "missing", "document", "article", "level", "policy_year", "claim"];

/// One result row as text, in `RECORD_HEADER` order (money in 元 with two decimals;
/// `missing` is the fact ids separated by spaces).
/// The fields that are the same text as the company's or the bundle's are borrowed: a
/// register writes millions of rows, and copying them was a good part of the run.
pub fn record_fields<'a>(bundle: &'a Bundle, company: &'a CompanyResult, m: &Match) -> [Cow<'a, str>; 14] {
    let benefit = &bundle.benefits[m.benefit];
    let document = &bundle.documents[benefit.document];
    let mut missing = String::new();
    for &f in company.missing_of(m) {
        if !missing.is_empty() {
            missing.push(' ');
        }
        missing.push_str(&bundle.catalogue.fact(f).id);
    }
    let owned = |text: Option<String>| Cow::Owned(text.unwrap_or_default());
    [
        Cow::Owned(company.row.to_string()),
        Cow::Borrowed(company.id.as_str()),
        Cow::Borrowed(company.name.as_str()),
        Cow::Borrowed(benefit.id.as_str()),
        Cow::Borrowed(crate::report::status_code(m.status)),
        owned(m.amount.map(format_yuan)),
        owned(m.max_amount.map(format_yuan)),
        Cow::Borrowed(if benefit.up_to { "true" } else { "false" }),
        Cow::Owned(missing),
        Cow::Borrowed(document.id.as_str()),
        Cow::Borrowed(benefit.article.as_str()),
        Cow::Borrowed(level_code(document.level)),
        owned(company.policy_year.map(|y| y.to_string())),
        Cow::Borrowed(crate::report::claim_code(m.claim)),
    ]
}

pub fn level_code(level: Level) -> &'static str {
    match level {
        Level::Province => "province",
        Level::City => "city",
        Level::District => "district",
    }
}

/// One benefit's totals over the register.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BenefitTally {
    /// Companies eligible (and paid, not superseded).
    pub eligible: u64,
    /// Their amounts added up (case-by-case amounts are not in it).
    pub amount: Decimal,
    /// Who pays it: split by the benefit's cost share, rounded per company as the engine does.
    pub province: Decimal,
    pub city: Decimal,
    pub district: Decimal,
    /// Eligible companies whose amount is decided case by case.
    pub case_by_case: u64,
    /// Eligible companies whose stated application window closed before the day: not in
    /// `eligible` or the amounts (nothing is paid), as `huiqi evaluate` counts them apart.
    pub closed: u64,
    pub closed_amount: Decimal,
    pub needs_answers: u64,
    /// The most the companies needing answers could receive, where a ceiling is known.
    pub needs_answers_max: Decimal,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct CapTally {
    pub companies: u64,
    pub cut: Decimal,
}

/// Totals over a whole register, per benefit and per company cap.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub companies: u64,
    /// Companies with at least one eligible benefit (still claimable).
    pub with_eligible: u64,
    pub bad_cells: u64,
    /// Companies that `latest` found no policy year for (see `CellIssue::NoPolicyYear`).
    pub no_policy_year: u64,
    /// Rows whose company id an earlier row has (see `CellIssue::SameId`): matched and
    /// counted like any other row, so a register that lists a company twice counts it twice.
    pub repeated_ids: u64,
    pub benefits: Vec<BenefitTally>,
    pub caps: Vec<CapTally>,
}

impl Summary {
    pub fn new(bundle: &Bundle) -> Summary {
        Summary {
            companies: 0,
            with_eligible: 0,
            bad_cells: 0,
            no_policy_year: 0,
            repeated_ids: 0,
            benefits: vec![BenefitTally::default(); bundle.benefits.len()],
            caps: vec![CapTally::default(); bundle.company_caps.len()],
        }
    }

    /// Adds a company and counts its row's problems by kind (notes such as
    /// `NoPolicyYear` and `SameId` are not bad cells).
    pub fn add_row(&mut self, bundle: &Bundle, result: &CompanyResult, problems: &[CellProblem]) {
        self.add_problems(problems);
        self.add_company(bundle, result);
    }

    /// Counts a row's problems by kind (see `add_row`).
    pub fn add_problems(&mut self, problems: &[CellProblem]) {
        for p in problems {
            match p.issue {
                CellIssue::NoPolicyYear { .. } => self.no_policy_year += 1,
                CellIssue::SameId { .. } => self.repeated_ids += 1,
                _ => self.bad_cells += 1,
            }
        }
    }

    /// Adds the other summary's counts and sums to this one: a run's threads each count
    /// their own companies, and the sums are exact, so the order they are added in does
    /// not change them.
    pub fn merge(&mut self, other: &Summary) {
        self.companies += other.companies;
        self.with_eligible += other.with_eligible;
        self.bad_cells += other.bad_cells;
        self.no_policy_year += other.no_policy_year;
        self.repeated_ids += other.repeated_ids;
        for (t, o) in self.benefits.iter_mut().zip(&other.benefits) {
            t.eligible += o.eligible;
            add_tally(t, o);
        }
        for (c, o) in self.caps.iter_mut().zip(&other.caps) {
            c.companies += o.companies;
            c.cut += o.cut;
        }
    }

    /// Adds a company's matches (not its problems: `add_problems`).
    pub fn add_company(&mut self, bundle: &Bundle, result: &CompanyResult) {
        self.companies += 1;
        self.with_eligible += u64::from(result.matches.iter().any(|m| m.status == Status::Eligible && !m.claim.is_closed()));
        for m in &result.matches {
            let t = &mut self.benefits[m.benefit];
            match (m.status, m.amount) {
                (Status::Eligible, amount) if m.claim.is_closed() => {
                    t.closed += 1;
                    t.closed_amount += amount.unwrap_or_default();
                }
                (Status::Eligible, Some(amount)) => {
                    let share = bundle.benefits[m.benefit].cost_share;
                    let province = round_yuan(amount * share.province);
                    let city = round_yuan(amount * share.city);
                    t.eligible += 1;
                    t.amount += amount;
                    t.province += province;
                    t.city += city;
                    t.district += amount - province - city;
                }
                (Status::Eligible, None) => {
                    t.eligible += 1;
                    t.case_by_case += 1;
                }
                _ => {
                    t.needs_answers += 1;
                    // Most have no known ceiling: adding zero costs a decimal addition.
                    if let Some(max) = m.max_amount.filter(|m| !m.is_zero()) {
                        t.needs_answers_max += max;
                    }
                }
            }
        }
        for c in &result.cap_cuts {
            self.caps[c.cap].companies += 1;
            self.caps[c.cap].cut += c.cut;
        }
    }

    /// The summary table: a row per benefit that any company is eligible for or may be,
    /// then a row per company cap that cut anything (negative amounts, so the column
    /// adds up to what is paid), then the total. Bundle order: deterministic.
    pub fn rows(&self, bundle: &Bundle) -> Vec<[String; 14]> {
        let mut rows = Vec::new();
        let mut total = BenefitTally::default();
        for (b, t) in self.benefits.iter().enumerate().filter(|(_, t)| t.eligible + t.needs_answers + t.closed > 0) {
            let benefit = &bundle.benefits[b];
            let document = &bundle.documents[benefit.document];
            rows.push(tally_row(&benefit.id, &document.id, &benefit.article, level_code(document.level), t));
            add_tally(&mut total, t);
        }
        for (c, t) in self.caps.iter().enumerate().filter(|(_, t)| t.companies > 0) {
            let cap = &bundle.company_caps[c];
            let document = &bundle.documents[cap.document];
            let mut cut = BenefitTally { eligible: t.companies, amount: -t.cut, ..BenefitTally::default() };
            match document.level {
                Level::Province => cut.province = -t.cut,
                Level::City => cut.city = -t.cut,
                Level::District => cut.district = -t.cut,
            }
            rows.push(tally_row(&format!("cap:{}", cap.id), &document.id, "", level_code(document.level), &cut));
            add_tally(&mut total, &BenefitTally { eligible: 0, ..cut });
        }
        rows.push(tally_row("total", "", "", "", &BenefitTally { eligible: self.with_eligible, ..total }));
        rows
    }
}

fn add_tally(total: &mut BenefitTally, t: &BenefitTally) {
    total.amount += t.amount;
    total.province += t.province;
    total.city += t.city;
    total.district += t.district;
    total.case_by_case += t.case_by_case;
    total.needs_answers += t.needs_answers;
    total.needs_answers_max += t.needs_answers_max;
    total.closed += t.closed;
    total.closed_amount += t.closed_amount;
}

/// The columns of the summary table.
pub const SUMMARY_HEADER: [&str; 14] = [
    "benefit",
    "document",
    "article",
    "level",
    "eligible_companies",
    "amount",
    "province_pays",
    "city_pays",
    "district_pays",
    "case_by_case",
    "needs_answers_companies",
    "needs_answers_max",
    "closed_companies",
    "closed_amount",
];

fn tally_row(benefit: &str, document: &str, article: &str, level: &str, t: &BenefitTally) -> [String; 14] {
    [
        benefit.to_string(),
        document.to_string(),
        article.to_string(),
        level.to_string(),
        t.eligible.to_string(),
        format_yuan(t.amount),
        format_yuan(t.province),
        format_yuan(t.city),
        format_yuan(t.district),
        t.case_by_case.to_string(),
        t.needs_answers.to_string(),
        format_yuan(t.needs_answers_max),
        t.closed.to_string(),
        format_yuan(t.closed_amount),
    ]
}
