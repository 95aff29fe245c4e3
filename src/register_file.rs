//! A register file matched on every core, streaming: rows are read in chunks, each chunk
//! is evaluated in parallel (`rayon`) and written in input order, so memory stays flat
//! in the number of rows (but for the repeated-id check's few bytes a company, see
//! `register_stream::Totals`) and the output is the same byte for byte on any number of cores.
//!
//! CSV is read as bytes and decoded cell by cell: UTF-8 when the start of the file is
//! UTF-8, otherwise GB18030 (which includes GBK, as Chinese office software writes it),
//! with a notice. GBK never uses the bytes of `,`, `"` or a line break inside a
//! character, so the CSV structure can be read before decoding. XLSX (and XLS, ODS) is
//! read with `calamine`, one sheet in memory (a sheet holds at most 1,048,576 rows).

use crate::bundle::Bundle;
use crate::date::Date;
use crate::register::{record_fields, CellIssue, CellProblem, ColumnMap, Columns, CompanyResult, HeaderProblem, Summary, RECORD_HEADER, SUMMARY_HEADER};
// The bytes written are the browser page's too: they come from the shared pure code.
use crate::register_stream::{
    csv_line, csv_records, decode, encoding_notice, policy_year_refusal, problem_line, problems_start, read_csv_row, results_start, sniff_delimiter, summary_csv, FileStart, Matcher, Scratch,
    Matched, Totals, SNIFF,
};
pub use crate::register_stream::{sniff_encoding, Encoding, MatchOptions};
use crate::text::Lang;
use rayon::prelude::*;
use std::sync::Mutex;
use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

/// Rows evaluated together: enough to keep every core busy, few enough that a chunk's
/// results are a few megabytes at most.
pub const CHUNK: usize = 1024;

/// Why a run could not start or had to stop. Bad cells are not errors: they are reported
/// and the run goes on.
#[derive(Debug)]
pub enum MatchError {
    Header(Vec<HeaderProblem>),
    Io(PathBuf, io::Error),
    /// The file is not something this reads (UTF-16, a binary file, a broken workbook).
    Format(String),
    /// The mapping file cannot be read.
    Map(String),
}

impl MatchError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            MatchError::Header(problems) => problems.iter().map(|p| p.message(lang)).collect::<Vec<_>>().join("\n"),
            MatchError::Io(path, e) => format!("{}: {e}", path.display()),
            MatchError::Format(m) | MatchError::Map(m) => m.clone(),
        }
    }

    /// Writing to a closed pipe (`huiqi match … | head`) is not a failure.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, MatchError::Io(_, e) if e.kind() == io::ErrorKind::BrokenPipe)
    }
}

/// Reads a mapping file (TOML, see `ColumnMap`).
pub fn read_column_map(path: &Path, lang: Lang) -> Result<ColumnMap, MatchError> {
    let text = std::fs::read_to_string(path).map_err(|e| MatchError::Io(path.to_path_buf(), e))?;
    toml::from_str(&text).map_err(|e| {
        MatchError::Map(match lang {
            Lang::Zh => format!("{}：映射文件有误：{e}", path.display()),
            Lang::En => format!("{}: bad mapping file: {e}", path.display()),
        })
    })
}

/// One data row before it is read: CSV bytes, or cells already text (XLSX).
enum RawRow {
    Bytes(u64, csv::ByteRecord),
    Cells(u64, Vec<String>, Vec<(usize, String)>),
}

enum Source {
    Csv { reader: csv::Reader<Box<dyn Read + Send>>, encoding: Encoding, record: csv::ByteRecord, total: u64 },
    Sheet { range: calamine::Range<calamine::Data>, next: usize, first_row: u64 },
}

/// An open register: its header, and its rows read chunk by chunk.
pub struct Register {
    source: Source,
    pub header: Vec<String>,
    /// Said once before the run (the encoding guessed, mappings not used…).
    pub notices: Vec<String>,
}

impl Register {
    /// Opens a register: by its first bytes a workbook (XLSX/XLS/ODS) or CSV text.
    pub fn open(path: &Path, lang: Lang) -> Result<Register, MatchError> {
        let io_error = |e| MatchError::Io(path.to_path_buf(), e);
        let mut file = File::open(path).map_err(io_error)?;
        let total = file.metadata().map(|m| m.len()).unwrap_or(0);
        let mut prefix = Vec::with_capacity(SNIFF);
        (&mut file).take(SNIFF as u64).read_to_end(&mut prefix).map_err(io_error)?;
        let start = FileStart::of(&prefix);
        if start == FileStart::Workbook {
            return Register::open_sheet(path, lang);
        }
        if let Some(refusal) = start.refusal(lang) {
            return Err(MatchError::Format(format!("{}: {refusal}", path.display())));
        }
        let complete = (prefix.len() as u64) >= total;
        let encoding = sniff_encoding(&prefix, complete);
        let delimiter = sniff_delimiter(&prefix);
        let notices = encoding_notice(encoding, lang).map(String::from).into_iter().collect();
        let rest: Box<dyn Read + Send> = Box::new(io::Cursor::new(prefix).chain(file));
        let reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).buffer_capacity(1 << 16).from_reader(rest);
        let mut source = Source::Csv { reader, encoding, record: csv::ByteRecord::new(), total };
        let header = match &mut source {
            Source::Csv { reader, record, .. } => match reader.read_byte_record(record) {
                Ok(true) => record.iter().map(|cell| decode(cell, encoding).0.into_owned()).collect(),
                Ok(false) => Vec::new(),
                Err(e) => return Err(MatchError::Format(format!("{}: {e}", path.display()))),
            },
            Source::Sheet { .. } => unreachable!(),
        };
        Ok(Register { source, header, notices })
    }

    fn open_sheet(path: &Path, lang: Lang) -> Result<Register, MatchError> {
        use calamine::Reader;
        let broken = |e: &dyn std::fmt::Display| match lang {
            Lang::Zh => MatchError::Format(format!("{}：无法读取工作簿：{e}", path.display())),
            Lang::En => MatchError::Format(format!("{}: cannot read the workbook: {e}", path.display())),
        };
        let mut workbook = calamine::open_workbook_auto(path).map_err(|e| broken(&e))?;
        let sheets = workbook.sheet_names();
        let range = match workbook.worksheet_range_at(0) {
            Some(Ok(range)) => range,
            Some(Err(e)) => return Err(broken(&e)),
            None => return Err(MatchError::Header(vec![HeaderProblem::Empty])),
        };
        let mut notices = Vec::new();
        if sheets.len() > 1 {
            notices.push(match lang {
                Lang::Zh => format!("工作簿有 {} 个工作表，只读取第一个“{}”", sheets.len(), sheets[0]),
                Lang::En => format!("the workbook has {} sheets; only the first, “{}”, is read", sheets.len(), sheets[0]),
            });
        }
        let first_row = range.start().map_or(0, |(r, _)| u64::from(r));
        let header = if range.get_size().0 == 0 { Vec::new() } else { sheet_row(&range, 0).0 };
        Ok(Register { source: Source::Sheet { range, next: 1, first_row }, header, notices })
    }

    /// How far the reading is, and of how much (bytes for CSV, rows for a sheet).
    pub fn progress(&self) -> (u64, u64) {
        match &self.source {
            Source::Csv { reader, total, .. } => (reader.position().byte(), *total),
            Source::Sheet { range, next, .. } => (*next as u64, range.get_size().0 as u64),
        }
    }

    pub fn is_sheet(&self) -> bool {
        matches!(self.source, Source::Sheet { .. })
    }

    /// Up to `CHUNK` rows; an empty chunk at the end. A line the CSV reader cannot split
    /// (e.g. a quote never closed) ends the run with its line number.
    fn next_chunk(&mut self, chunk: &mut Vec<RawRow>) -> Result<(), MatchError> {
        // The last chunk's records are read into again: no new buffers for every row.
        let mut spare: Vec<csv::ByteRecord> = chunk
            .drain(..)
            .filter_map(|raw| match raw {
                RawRow::Bytes(_, record) => Some(record),
                RawRow::Cells(..) => None,
            })
            .collect();
        match &mut self.source {
            Source::Csv { reader, .. } => {
                while chunk.len() < CHUNK {
                    let mut record = spare.pop().unwrap_or_default();
                    match reader.read_byte_record(&mut record) {
                        Ok(true) => {
                            let line = record.position().map_or(0, |p| p.line());
                            chunk.push(RawRow::Bytes(line, record));
                        }
                        Ok(false) => break,
                        Err(e) => return Err(MatchError::Format(e.to_string())),
                    }
                }
            }
            Source::Sheet { range, next, first_row } => {
                let rows = range.get_size().0;
                while chunk.len() < CHUNK && *next < rows {
                    let (cells, errors) = sheet_row(range, *next);
                    chunk.push(RawRow::Cells(*first_row + *next as u64 + 1, cells, errors));
                    *next += 1;
                }
            }
        }
        Ok(())
    }
}

/// One sheet row as text, and the cells holding a spreadsheet error (#DIV/0!).
fn sheet_row(range: &calamine::Range<calamine::Data>, row: usize) -> (Vec<String>, Vec<(usize, String)>) {
    use calamine::Data;
    let width = range.get_size().1;
    let mut errors = Vec::new();
    let cells = (0..width)
        .map(|c| match range.get((row, c)) {
            None | Some(Data::Empty) => String::new(),
            Some(Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s)) => s.clone(),
            Some(Data::Int(i)) => i.to_string(),
            // Shortest text that reads back as the same number: 1500000, 0.05.
            Some(Data::Float(f)) => f.to_string(),
            Some(Data::Bool(b)) => b.to_string(),
            Some(Data::DateTime(d)) => {
                // Days since 1899-12-30, the spreadsheet epoch; 25569 of them to 1970-01-01.
                let days = d.as_f64().floor() as i64 - 25_569;
                Date::from_unix_days(days).map_or_else(|| d.as_f64().to_string(), |d| d.to_string())
            }
            Some(Data::Error(e)) => {
                errors.push((c, e.to_string()));
                String::new()
            }
        })
        .collect();
    (cells, errors)
}

/// Where the results go, and in which form (by the file's extension).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Jsonl,
    Xlsx,
}

impl Format {
    pub fn of(path: &Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "csv" => Some(Format::Csv),
            "jsonl" | "ndjson" => Some(Format::Jsonl),
            "xlsx" => Some(Format::Xlsx),
            _ => None,
        }
    }
}

/// What a run did, for the closing lines.
#[derive(Debug, Clone)]
pub struct MatchOutcome {
    pub summary: Summary,
    /// Result rows written (company × benefit).
    pub records: u64,
    /// Needs-answers results not written: they need facts the register has no column for.
    pub undecided: u64,
    /// Where the summary and the problem list were written, if to files.
    pub summary_path: Option<PathBuf>,
    pub problems_path: Option<PathBuf>,
}

/// The sibling file of `output` for the summary or the problem list: `r.csv` → `r.summary.csv`.
pub fn sibling(output: &Path, what: &str, ext: &str) -> PathBuf {
    let stem = output.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    output.with_file_name(format!("{stem}.{what}.{ext}"))
}

/// One company's output, prepared on a worker thread.
struct Done {
    matched: Matched,
    /// Its result rows, already formatted (CSV or JSON lines).
    text: Vec<u8>,
}

enum Sink<'a> {
    Text(Box<dyn Write + 'a>),
    Xlsx { workbook: Box<rust_xlsxwriter::Workbook>, path: PathBuf, sheet: usize, row: u32 },
}

/// The most rows an XLSX sheet holds (Excel's limit, the header included).
pub const XLSX_ROWS: u32 = 1_048_576;

/// Matches a register and writes the results: to `output` (CSV, JSON lines or XLSX by
/// extension) or, without one, as CSV to `stdout`. The summary goes beside the output
/// (`r.summary.csv`, or a sheet of the workbook) and the bad cells to `r.problems.csv`;
/// without an output file both go to `stderr`. `progress` is told after each chunk.
#[allow(clippy::too_many_arguments)]
pub fn run(
    bundle: &Bundle,
    register: &mut Register,
    columns: &Columns,
    options: MatchOptions,
    output: Option<&Path>,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<MatchOutcome, MatchError> {
    run_with_sheet_rows(bundle, register, columns, options, output, stdout, stderr, progress, XLSX_ROWS)
}

/// `run` with sheets of `sheet_rows` rows (header included) in an XLSX output: results
/// beyond a full sheet go on in the next ("results 2", …). Smaller than `XLSX_ROWS` only
/// so a test can fill a sheet without writing a million rows.
#[doc(hidden)]
#[allow(clippy::too_many_arguments)]
pub fn run_with_sheet_rows(
    bundle: &Bundle,
    register: &mut Register,
    columns: &Columns,
    options: MatchOptions,
    output: Option<&Path>,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
    progress: &mut dyn FnMut(u64, u64),
    sheet_rows: u32,
) -> Result<MatchOutcome, MatchError> {
    let sheet_rows = sheet_rows.clamp(2, XLSX_ROWS);
    if let Some(m) = policy_year_refusal(bundle, options) {
        return Err(MatchError::Format(m));
    }
    let format = match output {
        None => Format::Csv,
        Some(path) => Format::of(path).ok_or_else(|| {
            MatchError::Format(format!(
                "{}: {}",
                path.display(),
                options.lang.pick("输出文件应以 .csv、.jsonl 或 .xlsx 结尾", "the output file must end in .csv, .jsonl or .xlsx")
            ))
        })?,
    };
    let out_error = |path: &Path| {
        let path = path.to_path_buf();
        move |e: io::Error| MatchError::Io(path, e)
    };
    let stdout_path = Path::new("<stdout>");
    let mut sink = match (output, format) {
        (Some(path), Format::Xlsx) => {
            let mut workbook = Box::new(rust_xlsxwriter::Workbook::new());
            workbook.add_worksheet_with_constant_memory();
            let sheet = 0;
            write_sheet_header(&mut workbook, sheet, "results", &RECORD_HEADER).map_err(xlsx_error(path))?;
            Sink::Xlsx { workbook, path: path.to_path_buf(), sheet, row: 1 }
        }
        (Some(path), format) => {
            let mut file = BufWriter::with_capacity(1 << 20, File::create(path).map_err(out_error(path))?);
            if format == Format::Csv {
                // The BOM and the header.
                file.write_all(&results_start()).map_err(out_error(path))?;
            }
            Sink::Text(Box::new(file))
        }
        (None, _) => {
            let mut w = BufWriter::with_capacity(1 << 16, stdout);
            // No BOM on a pipe.
            w.write_all(&csv_line(&RECORD_HEADER)).map_err(out_error(stdout_path))?;
            Sink::Text(Box::new(w))
        }
    };

    let matcher = Matcher::new(bundle, options);
    // One scratch per worker thread, kept for the whole run (its memo then fills once,
    // not again for every piece of a chunk rayon hands out), and the summary of the
    // companies that thread matched, merged at the end.
    let scratches: Vec<Mutex<(Scratch, Summary)>> =
        (0..rayon::current_num_threads()).map(|_| Mutex::new((matcher.scratch(bundle), Summary::new(bundle)))).collect();
    let problems_path = output.map(|o| sibling(o, "problems", "csv"));
    let mut problems_out: Option<BufWriter<File>> = None;
    let mut totals = Totals::new(bundle);
    let mut chunk = Vec::with_capacity(CHUNK);
    let encoding = match &register.source {
        Source::Csv { encoding, .. } => *encoding,
        Source::Sheet { .. } => Encoding::Utf8,
    };
    loop {
        register.next_chunk(&mut chunk)?;
        if chunk.is_empty() {
            break;
        }
        let done: Vec<Done> = chunk
            .par_iter()
            .map(|raw| {
                let thread = rayon::current_thread_index().unwrap_or(0) % scratches.len();
                // Only this thread takes its own scratch: never waits.
                let mut scratch = scratches[thread].lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                let (scratch, tally) = &mut *scratch;
                let company = &mut scratch.company;
                let problems = match raw {
                    RawRow::Bytes(line, record) => read_csv_row(bundle, columns, *line, record.iter(), encoding, company),
                    RawRow::Cells(row, cells, errors) => {
                        let mut problems = columns.read_row_into(bundle, *row, cells.iter().map(String::as_str), company);
                        for (column, e) in errors {
                            problems.push(CellProblem { row: *row, column: *column, value: e.clone(), issue: CellIssue::SheetError });
                        }
                        problems
                    }
                };
                let matched = matcher.match_row(bundle, columns, problems, scratch, tally);
                let text = match format {
                    Format::Csv => csv_records(bundle, &matched),
                    Format::Jsonl => {
                        let mut lines = Vec::new();
                        for &i in &matched.listed {
                            lines.extend_from_slice(&json_line(bundle, &matched.result, &matched.result.matches[i]));
                        }
                        lines
                    }
                    Format::Xlsx => Vec::new(),
                };
                Done { matched, text }
            })
            .collect();
        for Done { matched: mut d, text } in done {
            // In input order: a repeated company id is told here, as the page tells it.
            totals.add(columns, &mut d);
            match &mut sink {
                Sink::Text(w) => w.write_all(&text).map_err(out_error(output.unwrap_or(stdout_path)))?,
                Sink::Xlsx { workbook, path, sheet, row } => {
                    for m in d.listed.iter().map(|&i| &d.result.matches[i]) {
                        if *row == sheet_rows {
                            // A sheet is full: the results go on in the next one.
                            workbook.add_worksheet_with_constant_memory();
                            *sheet += 1;
                            write_sheet_header(workbook, *sheet, &format!("results {}", *sheet + 1), &RECORD_HEADER).map_err(xlsx_error(path))?;
                            *row = 1;
                        }
                        let fields = record_fields(bundle, &d.result, m);
                        let ws = workbook.worksheet_from_index(*sheet).map_err(xlsx_error(path))?;
                        write_sheet_row(ws, *row, &fields, &[0, 5, 6, 12]).map_err(xlsx_error(path))?;
                        *row += 1;
                    }
                }
            }
            if !d.problems.is_empty() {
                match &problems_path {
                    Some(path) => {
                        let w = match &mut problems_out {
                            Some(w) => w,
                            None => {
                                let mut w = BufWriter::new(File::create(path).map_err(out_error(path))?);
                                w.write_all(&problems_start()).map_err(out_error(path))?;
                                problems_out.insert(w)
                            }
                        };
                        for p in &d.problems {
                            w.write_all(&problem_line(p, columns, options.lang)).map_err(out_error(path))?;
                        }
                    }
                    None => {
                        for p in &d.problems {
                            let message = p.message(options.lang);
                            // The value, unless the message already quotes it.
                            let value = if p.value.is_empty() || message.contains(&p.value) { String::new() } else { format!("“{}” ", p.value) };
                            let _ = writeln!(stderr, "{}: {value}{message}", p.place(columns, options.lang));
                        }
                    }
                }
            }
        }
        // Each chunk's results are out before the next is read: the first rows come early.
        if let Sink::Text(w) = &mut sink {
            w.flush().map_err(out_error(output.unwrap_or(stdout_path)))?;
        }
        let (done, total) = register.progress();
        progress(done, total);
    }
    let problems_path = match problems_out {
        Some(mut w) => {
            let path = problems_path.unwrap_or_default();
            w.flush().map_err(out_error(&path))?;
            Some(path)
        }
        None => None,
    };

    for thread in scratches {
        let (_, tally) = thread.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner());
        totals.summary.merge(&tally);
    }
    let rows = totals.summary.rows(bundle);
    let summary_path = match (&mut sink, output) {
        (Sink::Xlsx { workbook, path, sheet, .. }, _) => {
            workbook.add_worksheet_with_constant_memory();
            let s = *sheet + 1;
            write_sheet_header(workbook, s, "summary", &SUMMARY_HEADER).map_err(xlsx_error(path))?;
            for (i, r) in rows.iter().enumerate() {
                let ws = workbook.worksheet_from_index(s).map_err(xlsx_error(path))?;
                write_sheet_row(ws, i as u32 + 1, r, &[4, 5, 6, 7, 8, 9, 10, 11, 12, 13]).map_err(xlsx_error(path))?;
            }
            workbook.save(path.as_path()).map_err(xlsx_error(path))?;
            Some(path.clone())
        }
        (Sink::Text(w), Some(path)) => {
            w.flush().map_err(out_error(path))?;
            let summary_path = sibling(path, "summary", if format == Format::Jsonl { "jsonl" } else { "csv" });
            let mut s = BufWriter::new(File::create(&summary_path).map_err(out_error(&summary_path))?);
            let written = if format == Format::Jsonl {
                rows.iter().try_for_each(|r| s.write_all(&summary_json_line(r)))
            } else {
                s.write_all(&summary_csv(&rows))
            };
            written.and_then(|_| s.flush()).map_err(out_error(&summary_path))?;
            Some(summary_path)
        }
        (Sink::Text(w), None) => {
            w.flush().map_err(out_error(stdout_path))?;
            let _ = stderr.write_all(&csv_line(&SUMMARY_HEADER));
            for r in &rows {
                let _ = stderr.write_all(&csv_line(r));
            }
            None
        }
    };
    Ok(MatchOutcome { summary: totals.summary, records: totals.records, undecided: totals.undecided, summary_path, problems_path })
}

fn json_line(bundle: &Bundle, result: &CompanyResult, m: &crate::register::Match) -> Vec<u8> {
    let [row, company, name, benefit, status, amount, max_amount, up_to, _, document, article, level, _, claim] = record_fields(bundle, result, m);
    let missing: Vec<&str> = result.missing_of(m).iter().map(|&f| bundle.catalogue.fact(f).id.as_str()).collect();
    let text_or_null = |s: std::borrow::Cow<str>| if s.is_empty() { serde_json::Value::Null } else { serde_json::Value::String(s.into_owned()) };
    // Keys in a fixed order (serde_json's map is sorted), so the output is deterministic.
    let value = serde_json::json!({
        "row": row.parse::<u64>().unwrap_or(0),
        "company": company,
        "name": name,
        "benefit": benefit,
        "status": status,
        "amount": text_or_null(amount),
        "max_amount": text_or_null(max_amount),
        "up_to": up_to == "true",
        "missing": missing,
        "document": document,
        "article": article,
        "level": level,
        "policy_year": result.policy_year,
        "claim": claim,
    });
    let mut line = serde_json::to_vec(&value).unwrap_or_default();
    line.push(b'\n');
    line
}

fn summary_json_line(row: &[String; 14]) -> Vec<u8> {
    let map: serde_json::Map<String, serde_json::Value> =
        SUMMARY_HEADER.iter().zip(row).map(|(k, v)| (k.to_string(), serde_json::Value::String(v.clone()))).collect();
    let mut line = serde_json::to_vec(&map).unwrap_or_default();
    line.push(b'\n');
    line
}

fn xlsx_error(path: &Path) -> impl Fn(rust_xlsxwriter::XlsxError) -> MatchError + '_ {
    move |e| MatchError::Format(format!("{}: {e}", path.display()))
}

fn write_sheet_header(workbook: &mut rust_xlsxwriter::Workbook, sheet: usize, name: &str, header: &[&str]) -> Result<(), rust_xlsxwriter::XlsxError> {
    let ws = workbook.worksheet_from_index(sheet)?;
    ws.set_name(name)?;
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, *h)?;
    }
    Ok(())
}

/// A row of text, with the columns in `numbers` written as numbers where they are some.
fn write_sheet_row<S: AsRef<str>>(ws: &mut rust_xlsxwriter::Worksheet, row: u32, fields: &[S], numbers: &[usize]) -> Result<(), rust_xlsxwriter::XlsxError> {
    for (c, f) in fields.iter().map(AsRef::as_ref).enumerate() {
        if f.is_empty() {
            continue;
        }
        match f.parse::<f64>() {
            Ok(n) if numbers.contains(&c) => ws.write_number(row, c as u16, n)?,
            _ => ws.write_string(row, c as u16, f)?,
        };
    }
    Ok(())
}
