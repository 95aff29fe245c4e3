//! The bytes of a register match, shared by `huiqi match` (`register_file`) and the
//! browser's register page (`register_js`), so both write the same files byte for byte:
//! how a file's start is checked and its encoding told, how a cell is decoded, how a
//! row becomes its result lines, and how `results.csv`, `results.summary.csv` and
//! `results.problems.csv` are written.
//!
//! `CsvRun` is the whole CSV pipeline for bytes that arrive piece by piece (a browser
//! reads a large file in slices): `csv_core` splits the records exactly as the `csv`
//! crate's reader does (it is that reader's parser), one record at a time.

use crate::bundle::Bundle;
use crate::date::Date;
use crate::engine::{Evaluation, Memo, Timing};
use crate::register::{
    column_letter, record_fields, Schedules, PolicyYear, CellIssue, CellProblem, ColumnMap, Columns, Company, CompanyResult, HeaderProblem, Summary, RECORD_HEADER,
    SUMMARY_HEADER,
};
use crate::text::Lang;
use std::borrow::Cow;
use std::collections::hash_map::{DefaultHasher, Entry};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};

#[derive(Debug, Clone, Copy)]
pub struct MatchOptions {
    pub as_of: Date,
    /// What is in force on the day, or the benefits for a policy year (`--policy-year`).
    pub policy_year: PolicyYear,
    pub lang: Lang,
    /// Also write the benefits that need facts the register has no column for (for every
    /// company alike, so by default they are only counted in the summary).
    pub all_possible: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Gb18030,
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Gb18030 => "GBK/GB18030",
        }
    }
}

/// How much of a CSV file is looked at to tell its encoding and delimiter.
pub const SNIFF: usize = 64 * 1024;

/// The encoding of a file that starts with `prefix` (`complete`: the whole file): UTF-8
/// if the prefix is valid UTF-8 (a character cut at its end is fine), else GB18030.
pub fn sniff_encoding(prefix: &[u8], complete: bool) -> Encoding {
    match std::str::from_utf8(prefix) {
        Ok(_) => Encoding::Utf8,
        Err(e) if e.error_len().is_none() && !complete => Encoding::Utf8,
        Err(_) => Encoding::Gb18030,
    }
}

/// `,` unless the first line has more tabs or semicolons (a "CSV" saved as text).
pub fn sniff_delimiter(prefix: &[u8]) -> u8 {
    let line = prefix.split(|&b| b == b'\n').next().unwrap_or_default();
    let count = |d: u8| line.iter().filter(|&&b| b == d).count();
    [b'\t', b';'].into_iter().filter(|&d| count(d) > count(b',')).max_by_key(|&d| count(d)).unwrap_or(b',')
}

/// What the first bytes of a file say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileStart {
    /// CSV text (or nothing: an empty file is told by its missing header).
    Text,
    /// XLSX, ODS (a zip) or XLS (an OLE file).
    Workbook,
    Utf16,
    Binary,
}

impl FileStart {
    pub fn of(prefix: &[u8]) -> FileStart {
        if prefix.starts_with(b"PK\x03\x04") || prefix.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
            FileStart::Workbook
        } else if prefix.starts_with(&[0xFF, 0xFE]) || prefix.starts_with(&[0xFE, 0xFF]) {
            FileStart::Utf16
        } else if prefix.contains(&0) {
            FileStart::Binary
        } else {
            FileStart::Text
        }
    }

    /// Why a file that starts so cannot be read as CSV (none for text and workbooks).
    pub fn refusal(self, lang: Lang) -> Option<&'static str> {
        match self {
            FileStart::Utf16 => Some(lang.pick(
                "文件是 UTF-16 编码（Excel 的“Unicode 文本”）：请另存为“CSV UTF-8”或 XLSX",
                "the file is UTF-16 (Excel's \"Unicode text\"): save it as \"CSV UTF-8\" or XLSX",
            )),
            FileStart::Binary => Some(lang.pick("文件含二进制内容，不是 CSV 或 XLSX", "the file holds binary data: it is neither CSV nor XLSX")),
            FileStart::Text | FileStart::Workbook => None,
        }
    }
}

/// Said once before the run when the file is not UTF-8.
pub fn encoding_notice(encoding: Encoding, lang: Lang) -> Option<&'static str> {
    (encoding == Encoding::Gb18030).then(|| {
        lang.pick("文件不是 UTF-8 编码，按 GBK/GB18030（中文 Office 软件的编码）读取", "the file is not UTF-8; it is read as GBK/GB18030 (as Chinese office software writes it)")
    })
}

/// A cell's text (borrowed where the bytes are it already), and whether its bytes were
/// not valid in the encoding.
pub fn decode(cell: &[u8], encoding: Encoding) -> (Cow<'_, str>, bool) {
    match encoding {
        Encoding::Utf8 => match std::str::from_utf8(cell) {
            Ok(s) => (Cow::Borrowed(s), false),
            Err(_) => (String::from_utf8_lossy(cell), true),
        },
        Encoding::Gb18030 => encoding_rs::GB18030.decode_without_bom_handling(cell),
    }
}

/// Reads one CSV row from its raw cells into `company` (see `Columns::read_row_into`):
/// decoded, read by the questionnaire's reader, and every cell that is not text in the
/// file's encoding reported (and read as unknown).
pub fn read_csv_row<'a>(bundle: &Bundle, columns: &Columns, line: u64, cells: impl IntoIterator<Item = &'a [u8]>, encoding: Encoding, company: &mut Company) -> Vec<CellProblem> {
    let cells: Vec<(Cow<str>, bool)> = cells.into_iter().map(|c| decode(c, encoding)).collect();
    let mut problems = columns.read_row_into(bundle, line, cells.iter().map(|(s, bad)| if *bad { "" } else { s.as_ref() }), company);
    for (column, (text, bad)) in cells.iter().enumerate() {
        if *bad {
            problems.push(CellProblem { row: line, column, value: text.to_string(), issue: CellIssue::Encoding(encoding.name()) });
        }
    }
    problems
}

/// One company matched: its result, its bad cells in column order, and which of its
/// matches are written (all with `all_possible`, else those this register decides).
pub struct Matched {
    pub result: CompanyResult,
    pub problems: Vec<CellProblem>,
    pub listed: Vec<usize>,
}

/// The evaluation and the memo (`engine::Memo`) one thread of a run keeps from one
/// company to the next: the lists are allocated once, and a benefit whose numbers and
/// dates are unanswered is evaluated once per combination of its other answers.
#[derive(Debug, Clone)]
pub struct Scratch {
    /// The row to match next, read into it (`read_csv_row`, `Columns::read_row_into`).
    pub company: Company,
    eval: Evaluation,
    memo: Memo,
}

/// A run's options and what they let it read once, before its first company.
#[derive(Debug, Clone)]
pub struct Matcher {
    pub options: MatchOptions,
    schedules: Schedules,
}

impl Matcher {
    pub fn new(bundle: &Bundle, options: MatchOptions) -> Matcher {
        Matcher { options, schedules: Schedules::new(bundle, options.as_of, options.policy_year) }
    }

    /// What one thread keeps from one company to the next (see `match_row`).
    pub fn scratch(&self, bundle: &Bundle) -> Scratch {
        Scratch { company: Company::empty(bundle), eval: Evaluation::empty(bundle, Timing::on(self.options.as_of)), memo: Memo::default() }
    }

    /// The company read into `scratch` matched, evaluated there (reused), its matches
    /// counted in `tally` at once, while they are fresh in the cache (a thread's own
    /// summary, merged at the end; its problems are counted later, in input order, by
    /// `Totals::add`).
    pub fn match_row(&self, bundle: &Bundle, columns: &Columns, mut problems: Vec<CellProblem>, scratch: &mut Scratch, tally: &mut Summary) -> Matched {
        let options = self.options;
        let Scratch { company, eval, memo } = scratch;
        let result = self.schedules.match_company(bundle, company, eval, memo);
        tally.add_company(bundle, &result);
        problems.extend(columns.policy_year_problem(bundle, options.policy_year, &result, options.as_of));
        problems.sort_by_key(|p| p.column);
        let listed = (0..result.matches.len()).filter(|&i| options.all_possible || columns.decides(&result, &result.matches[i])).collect();
        Matched { result, problems, listed }
    }
}

/// The written result rows of one company, as CSV lines.
pub fn csv_records(bundle: &Bundle, m: &Matched) -> Vec<u8> {
    let mut w = csv_writer(Vec::with_capacity(200 * m.listed.len()));
    for &i in &m.listed {
        // Writing to a Vec cannot fail.
        let _ = w.write_record(record_fields(bundle, &m.result, &m.result.matches[i]).iter().map(|f| f.as_bytes()));
    }
    w.into_inner().unwrap_or_default()
}

/// The counts a run keeps while the companies go by, in input order.
#[derive(Debug, Clone, PartialEq)]
pub struct Totals {
    pub summary: Summary,
    /// Result rows written (company × benefit).
    pub records: u64,
    /// Needs-answers results not written: they need facts the register has no column for.
    pub undecided: u64,
    /// The company ids seen so far, to tell a row that repeats one.
    ids: SeenIds,
}

impl Totals {
    pub fn new(bundle: &Bundle) -> Totals {
        Totals { summary: Summary::new(bundle), records: 0, undecided: 0, ids: SeenIds::default() }
    }

    /// Counts one company's row, in input order (so "an earlier row" is the same on any
    /// number of threads); its matches were counted by `Matcher::match_row`. A row whose
    /// id an earlier row has gets `CellIssue::SameId` on its id column, naming the first
    /// such row, among its problems before they are written.
    pub fn add(&mut self, columns: &Columns, m: &mut Matched) {
        if let Some(first_row) = self.ids.first_row(&m.result.id, m.result.row) {
            // After the id column's other problems, so the list stays in column order.
            let at = m.problems.partition_point(|p| p.column <= columns.company);
            let problem = CellProblem { row: m.result.row, column: columns.company, value: m.result.id.clone(), issue: CellIssue::SameId { first_row } };
            m.problems.insert(at, problem);
        }
        self.summary.add_problems(&m.problems);
        self.records += m.listed.len() as u64;
        self.undecided += (m.result.matches.len() - m.listed.len()) as u64;
    }
}

/// The first row of every company id seen in a run.
///
/// It keeps a 64-bit hash of each id (SipHash with fixed keys, `DefaultHasher::new()`)
/// and the row, not the id's text: 16 bytes a company, 17 a slot in a table that doubles
/// as it fills (20 to 39 bytes a company; about 50 at the peak of a million-row run,
/// measured in the README). This is the one part of a run whose memory grows with the
/// rows. Two different ids share a hash with a
/// probability of about n²/2⁶⁵ over n rows (6·10⁻⁶ for 15 million rows); the second
/// would then be said to repeat the first, and nothing else would change: every row is
/// matched and written whatever this says.
#[derive(Debug, Clone, Default, PartialEq)]
struct SeenIds {
    first: HashMap<u64, u64, BuildHasherDefault<Prehashed>>,
}

impl SeenIds {
    /// The first row with `id`, if an earlier row had it; else `row` becomes its first.
    /// An empty id is no company's (already reported as a problem) and never repeats.
    fn first_row(&mut self, id: &str, row: u64) -> Option<u64> {
        if id.is_empty() {
            return None;
        }
        let mut h = DefaultHasher::new();
        id.hash(&mut h);
        match self.first.entry(h.finish()) {
            Entry::Occupied(e) => Some(*e.get()),
            Entry::Vacant(e) => {
                e.insert(row);
                None
            }
        }
    }
}

/// The keys of `SeenIds` are hashes already: the table uses them as they are.
#[derive(Debug, Clone, Copy, Default)]
struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// The byte-order mark that starts every CSV file written: it makes Excel and WPS open a
/// UTF-8 CSV as UTF-8, not as GBK.
pub const BOM: &[u8] = "\u{feff}".as_bytes();

/// The columns of the problem list.
pub const PROBLEMS_HEADER: [&str; 5] = ["row", "column", "header", "value", "problem"];

/// The start of `results.csv`: the BOM and the header.
pub fn results_start() -> Vec<u8> {
    let mut out = BOM.to_vec();
    out.extend(csv_line(&RECORD_HEADER));
    out
}

/// The start of `results.problems.csv` (written only when a cell is bad).
pub fn problems_start() -> Vec<u8> {
    let mut out = BOM.to_vec();
    out.extend(csv_line(&PROBLEMS_HEADER));
    out
}

/// One line of the problem list.
pub fn problem_line(p: &CellProblem, columns: &Columns, lang: Lang) -> Vec<u8> {
    let header = columns.header.get(p.column).map_or("", String::as_str);
    csv_line(&[&p.row.to_string(), &column_letter(p.column), header, &p.value, &p.message(lang)])
}

/// The whole `results.summary.csv`.
pub fn summary_csv<const N: usize>(rows: &[[String; N]]) -> Vec<u8> {
    let mut out = BOM.to_vec();
    out.extend(csv_line(&SUMMARY_HEADER));
    for r in rows {
        out.extend(csv_line(r));
    }
    out
}

/// One CSV line, quoted where needed (by the `csv` crate, so the rules are RFC 4180's).
pub fn csv_line<S: AsRef<[u8]>>(fields: &[S]) -> Vec<u8> {
    let mut w = csv_writer(Vec::with_capacity(160));
    // Writing to a Vec cannot fail.
    let _ = w.write_record(fields);
    w.into_inner().unwrap_or_default()
}

/// A CSV writer into `out`. Its own buffer is small: the default 8 KB, zeroed for each
/// company's few lines, cost more than writing them.
fn csv_writer(out: Vec<u8>) -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new().buffer_capacity(256).from_writer(out)
}

/// Splits CSV bytes given piece by piece into records, as `csv::Reader` (flexible, no
/// header, the sniffed delimiter) splits a file: the same parser, the same line numbers
/// (a record's line is where it starts, counting line feeds, the header being line 1).
pub struct RecordSplitter {
    core: csv_core::Reader,
    fields: Vec<u8>,
    ends: Vec<usize>,
    outlen: usize,
    endlen: usize,
    /// The line of the record being read.
    line: u64,
    ended: bool,
}

impl RecordSplitter {
    pub fn new(delimiter: u8) -> RecordSplitter {
        RecordSplitter {
            core: csv_core::ReaderBuilder::new().delimiter(delimiter).build(),
            fields: vec![0; 1024],
            ends: vec![0; 64],
            outlen: 0,
            endlen: 0,
            line: 1,
            ended: false,
        }
    }

    /// Splits `input`, calling `record(line, cells)` for each record it completes; a
    /// record cut at the end of `input` waits for the next piece. `last`: the end of the
    /// file follows `input`.
    pub fn push(&mut self, mut input: &[u8], last: bool, record: &mut dyn FnMut(u64, &[&[u8]])) {
        use csv_core::ReadRecordResult::*;
        while !self.ended {
            // An empty input tells csv_core the data has ended: only at the very end.
            if input.is_empty() && !last {
                return;
            }
            let (res, nin, nout, nend) = self.core.read_record(input, &mut self.fields[self.outlen..], &mut self.ends[self.endlen..]);
            input = &input[nin..];
            self.outlen += nout;
            self.endlen += nend;
            match res {
                InputEmpty => {}
                OutputFull => self.fields.resize(self.fields.len() * 2, 0),
                OutputEndsFull => self.ends.resize(self.ends.len() * 2, 0),
                Record => {
                    let mut start = 0;
                    let cells: Vec<&[u8]> = self.ends[..self.endlen]
                        .iter()
                        .map(|&end| {
                            let cell = &self.fields[start..end];
                            start = end;
                            cell
                        })
                        .collect();
                    record(self.line, &cells);
                    self.outlen = 0;
                    self.endlen = 0;
                    self.line = self.core.line();
                }
                End => self.ended = true,
            }
        }
    }
}

/// Why `latest` cannot be used on the day (no annual edition applies on or before it):
/// the run is refused before it starts, as `huiqi evaluate` refuses it.
pub fn policy_year_refusal(bundle: &Bundle, options: MatchOptions) -> Option<String> {
    let as_of = options.as_of;
    (!options.policy_year.usable(bundle, as_of)).then(|| match options.lang {
        Lang::Zh => format!("--policy-year latest：{as_of} 及之前没有适用的年度政策；请给出年份"),
        Lang::En => format!("--policy-year latest: no annual edition applies on or before {as_of}; give a year"),
    })
}

/// Why a run could not start: the file is not CSV text, or its header cannot be used.
#[derive(Debug, Clone, PartialEq)]
pub enum StartError {
    /// A workbook: read by the command line only.
    Workbook,
    /// UTF-16 or binary: the message says what to do.
    Refused(&'static str),
    Map(String),
    Header(Vec<HeaderProblem>),
    /// `latest` on a day before any annual edition.
    PolicyYear(String),
}

impl StartError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            StartError::Workbook => lang
                .pick(
                    "这是 Excel/WPS 工作簿（XLSX、XLS 或 ODS）：本页只读 CSV。请在 Excel/WPS 中“另存为”CSV（UTF-8 或 GBK 均可），或用命令行 huiqi match 直接读取工作簿",
                    "this is a workbook (XLSX, XLS or ODS): this page reads CSV only. Save it as CSV in Excel or WPS (UTF-8 or GBK), or let the command line read the workbook: huiqi match",
                )
                .into(),
            StartError::Refused(m) => (*m).into(),
            StartError::Map(m) | StartError::PolicyYear(m) => m.clone(),
            StartError::Header(problems) => problems.iter().map(|p| p.message(lang)).collect::<Vec<_>>().join("\n"),
        }
    }
}

/// Reads a mapping file's text (TOML, see `ColumnMap`).
pub fn parse_column_map(text: &str, lang: Lang) -> Result<ColumnMap, String> {
    toml::from_str(text).map_err(|e| match lang {
        Lang::Zh => format!("映射文件有误：{e}"),
        Lang::En => format!("bad mapping file: {e}"),
    })
}

/// A CSV register matched from bytes given in order, piece by piece; the three files grow
/// as it goes (`take_results`, `take_problems`), the summary is written at the end.
pub struct CsvRun {
    matcher: Matcher,
    scratch: Scratch,
    map: Option<ColumnMap>,
    encoding: Encoding,
    splitter: RecordSplitter,
    columns: Option<Columns>,
    header_error: Option<Vec<HeaderProblem>>,
    pub notices: Vec<String>,
    pub totals: Totals,
    results: Vec<u8>,
    problems: Vec<u8>,
    any_problem: bool,
}

impl CsvRun {
    /// `prefix`: the file's first `SNIFF` bytes (or all of it, `complete`), which tell
    /// its encoding and delimiter; they are given again to `push`.
    pub fn start(prefix: &[u8], complete: bool, map: Option<ColumnMap>, options: MatchOptions, bundle: &Bundle) -> Result<CsvRun, StartError> {
        if let Some(m) = policy_year_refusal(bundle, options) {
            return Err(StartError::PolicyYear(m));
        }
        match FileStart::of(prefix) {
            FileStart::Workbook => return Err(StartError::Workbook),
            start => {
                if let Some(m) = start.refusal(options.lang) {
                    return Err(StartError::Refused(m));
                }
            }
        }
        let encoding = sniff_encoding(prefix, complete);
        let notices = encoding_notice(encoding, options.lang).map(String::from).into_iter().collect();
        let matcher = Matcher::new(bundle, options);
        Ok(CsvRun {
            scratch: matcher.scratch(bundle),
            matcher,
            map,
            encoding,
            splitter: RecordSplitter::new(sniff_delimiter(prefix)),
            columns: None,
            header_error: None,
            notices,
            totals: Totals::new(bundle),
            results: Vec::new(),
            problems: Vec::new(),
            any_problem: false,
        })
    }

    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// The next bytes of the file (`last`: nothing follows). A header that cannot be used
    /// stops the run before any row: `Err` with every problem, as the command line does.
    pub fn push(&mut self, bundle: &Bundle, input: &[u8], last: bool) -> Result<(), StartError> {
        if let Some(problems) = &self.header_error {
            return Err(StartError::Header(problems.clone()));
        }
        let mut splitter = std::mem::replace(&mut self.splitter, RecordSplitter::new(b','));
        splitter.push(input, last, &mut |line, cells| self.record(bundle, line, cells));
        self.splitter = splitter;
        if last && self.columns.is_none() && self.header_error.is_none() {
            self.header(bundle, &[]);
        }
        match &self.header_error {
            Some(problems) => Err(StartError::Header(problems.clone())),
            None => Ok(()),
        }
    }

    fn header(&mut self, bundle: &Bundle, header: &[String]) {
        match Columns::resolve(bundle, header, self.map.as_ref()) {
            Ok(columns) => {
                self.columns = Some(columns);
                self.results = results_start();
            }
            Err(problems) => self.header_error = Some(problems),
        }
    }

    fn record(&mut self, bundle: &Bundle, line: u64, cells: &[&[u8]]) {
        if self.header_error.is_some() {
            return;
        }
        let Some(columns) = &self.columns else {
            let header: Vec<String> = cells.iter().map(|c| decode(c, self.encoding).0.into_owned()).collect();
            return self.header(bundle, &header);
        };
        let problems = read_csv_row(bundle, columns, line, cells.iter().copied(), self.encoding, &mut self.scratch.company);
        let mut m = self.matcher.match_row(bundle, columns, problems, &mut self.scratch, &mut self.totals.summary);
        self.totals.add(columns, &mut m);
        self.results.extend(csv_records(bundle, &m));
        if !m.problems.is_empty() && !self.any_problem {
            self.any_problem = true;
            self.problems.extend(problems_start());
        }
        for p in &m.problems {
            self.problems.extend(problem_line(p, columns, self.matcher.options.lang));
        }
    }

    /// The resolved header (after the first `push` that held it).
    pub fn columns(&self) -> Option<&Columns> {
        self.columns.as_ref()
    }

    /// The bytes of `results.csv` written since the last call.
    pub fn take_results(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.results)
    }

    /// The bytes of `results.problems.csv` written since the last call (the file exists
    /// only if some cell was bad: `has_problems`).
    pub fn take_problems(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.problems)
    }

    pub fn has_problems(&self) -> bool {
        self.any_problem
    }

    /// The summary file, once every byte was pushed.
    pub fn summary_csv(&self, bundle: &Bundle) -> Vec<u8> {
        summary_csv(&self.totals.summary.rows(bundle))
    }
}

/// A message in both languages, for a page that can switch after the run.
pub fn both(message: impl Fn(Lang) -> String) -> serde_json::Value {
    serde_json::json!({ "zh": message(Lang::Zh), "en": message(Lang::En) })
}

/// What the page shows at the end: the counts and the summary table (the rows of
/// `results.summary.csv`, each benefit or cap also named in both languages).
pub fn summary_view(bundle: &Bundle, totals: &Totals) -> serde_json::Value {
    let s = &totals.summary;
    let rows: Vec<serde_json::Value> = s
        .rows(bundle)
        .iter()
        .map(|r| {
            let id = r[0].as_str();
            let (zh, en) = if let Some(b) = bundle.benefits.iter().find(|b| b.id == id) {
                (b.name.zh.clone(), b.name.en.clone())
            } else if let Some(cap) = id.strip_prefix("cap:").and_then(|c| bundle.company_caps.iter().find(|k| k.id == c)) {
                let title = &bundle.documents[cap.document].title;
                (format!("单个企业上限：{}", title.zh), format!("per-company cap: {}", title.en))
            } else {
                ("合计".to_string(), "total".to_string())
            };
            let fields: serde_json::Map<String, serde_json::Value> =
                SUMMARY_HEADER.iter().zip(r).map(|(k, v)| (k.to_string(), serde_json::Value::String(v.clone()))).collect();
            serde_json::json!({ "name": { "zh": zh, "en": en }, "fields": fields })
        })
        .collect();
    serde_json::json!({
        "companies": s.companies,
        "with_eligible": s.with_eligible,
        "bad_cells": s.bad_cells,
        "no_policy_year": s.no_policy_year,
        "repeated_ids": s.repeated_ids,
        "records": totals.records,
        "undecided": totals.undecided,
        "rows": rows,
    })
}
