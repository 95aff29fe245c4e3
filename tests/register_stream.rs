//! The browser's register pipeline (`register_stream::CsvRun`, fed the file in slices as
//! the page's worker feeds it) writes the same three files, byte for byte, as
//! `huiqi match REG.csv --as-of D -o results.csv` (`register_file::run`).

use huiqi::register::ColumnMap;
use huiqi::register_file::{run, MatchOptions, Register};
use huiqi::register_stream::{parse_column_map, CsvRun, StartError, SNIFF};
use huiqi::register::{Columns, PolicyYear};
use huiqi::{Bundle, Date, Lang};
use std::path::{Path, PathBuf};

struct Files {
    results: Vec<u8>,
    summary: Vec<u8>,
    problems: Option<Vec<u8>>,
}

fn options(lang: Lang) -> MatchOptions {
    MatchOptions { as_of: Date::parse("2025-03-09").unwrap(), policy_year: huiqi::register::PolicyYear::OpenNow, lang, all_possible: false }
}

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("huiqi-stream-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The command line's way: a file in, `results.csv` and its siblings out.
fn native(b: &Bundle, input: &[u8], map: Option<&ColumnMap>, lang: Lang, name: &str) -> Result<Files, String> {
    native_with(b, input, map, options(lang), name)
}

fn native_with(b: &Bundle, input: &[u8], map: Option<&ColumnMap>, options: MatchOptions, name: &str) -> Result<Files, String> {
    let lang = options.lang;
    let d = dir(name);
    let path = d.join("in.csv");
    std::fs::write(&path, input).unwrap();
    let out = d.join("results.csv");
    let _ = std::fs::remove_file(d.join("results.problems.csv"));
    let mut register = Register::open(&path, lang).map_err(|e| e.message(lang))?;
    let columns = Columns::resolve(b, &register.header, map).map_err(|p| p.iter().map(|p| p.message(lang)).collect::<Vec<_>>().join("\n"))?;
    run(b, &mut register, &columns, options, Some(&out), &mut Vec::new(), &mut Vec::new(), &mut |_, _| {}).map_err(|e| e.message(lang))?;
    Ok(Files {
        results: std::fs::read(&out).unwrap(),
        summary: std::fs::read(d.join("results.summary.csv")).unwrap(),
        problems: std::fs::read(d.join("results.problems.csv")).ok(),
    })
}

/// The page's way: the first 64 KB to sniff, then the bytes in slices of `slice`.
fn streamed(b: &Bundle, input: &[u8], map: Option<ColumnMap>, lang: Lang, slice: usize) -> Result<Files, StartError> {
    streamed_with(b, input, map, options(lang), slice).map(|(files, _)| files)
}

fn streamed_with(b: &Bundle, input: &[u8], map: Option<ColumnMap>, options: MatchOptions, slice: usize) -> Result<(Files, CsvRun), StartError> {
    let prefix = &input[..input.len().min(SNIFF)];
    let mut run = CsvRun::start(prefix, input.len() <= SNIFF, map, options, b)?;
    let (mut results, mut problems) = (Vec::new(), Vec::new());
    let pieces: Vec<&[u8]> = if input.is_empty() { vec![&[][..]] } else { input.chunks(slice).collect() };
    for (i, piece) in pieces.iter().enumerate() {
        run.push(b, piece, i + 1 == pieces.len())?;
        results.extend(run.take_results());
        problems.extend(run.take_problems());
    }
    Ok((Files { summary: run.summary_csv(b), problems: run.has_problems().then_some(problems), results }, run))
}

fn same(b: &Bundle, input: &[u8], name: &str) {
    let want = native(b, input, None, Lang::Zh, name).unwrap();
    for slice in [1, 7, 4096, 1 << 20] {
        let got = streamed(b, input, None, Lang::Zh, slice).unwrap();
        assert!(got.results == want.results, "{name}: results.csv differs with slices of {slice}");
        assert!(got.summary == want.summary, "{name}: results.summary.csv differs with slices of {slice}");
        assert!(got.problems == want.problems, "{name}: results.problems.csv differs with slices of {slice}");
    }
    assert!(want.results.len() > 200, "{name}: results written");
}

fn committed(name: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/registers").join(name)).unwrap()
}

#[test]
fn the_committed_registers_give_the_command_lines_bytes() {
    let b = Bundle::embedded().unwrap();
    let utf8 = committed("r300.csv");
    same(&b, &utf8, "r300");
    let gbk = committed("r200-gbk.csv");
    same(&b, &gbk, "r200-gbk");
    let gbk_problems = native(&b, &gbk, None, Lang::Zh, "gbk-again").unwrap().problems.unwrap();
    assert!(gbk_problems.len() > 1000, "the generated garbage is listed");
}

#[test]
fn quotes_line_breaks_crlf_bad_bytes_and_tabs_give_the_same_bytes() {
    let b = Bundle::embedded().unwrap();
    let mut text = b"\xEF\xBB\xBFcompany,\"name\",district,employees,revenue\r\n".to_vec();
    for i in 0..300 {
        let name = match i % 5 {
            0 => format!("\"Two\nlines {i}, Ltd\""),
            1 => format!("\"say \"\"hi\"\" {i}\""),
            2 => format!("  spaced {i} "),
            _ => format!("公司{i}"),
        };
        let district = ["binjiang", "滨江区", "xihu", "nowhere"][i % 4];
        text.extend(format!("C{i:04},{name},{district},{},{}万", i % 90, i * 7).as_bytes());
        text.extend(if i % 3 == 0 { &b"\r\n"[..] } else { &b"\n"[..] });
    }
    let tabs = String::from_utf8(text.clone()).unwrap().replace(',', "\t");
    same(&b, tabs.as_bytes(), "tabs");
    // Past the first 64 KB (which tell the encoding), bytes that are no UTF-8 are bad
    // cells of a UTF-8 file; a last row without a line break, and one cut short.
    while text.len() < 70_000 {
        text.extend(b"C7777,filler,binjiang,1,1\n");
    }
    text.extend(b"C9999,\xFF\xFEraw,binjiang,1,2\n");
    text.extend(b"C9998,short");
    same(&b, &text, "quotes");
    let mut gbk = encoding_rs::GBK.encode("统一社会信用代码;企业名称;所在区\n").0.into_owned();
    for i in 0..300 {
        gbk.extend(encoding_rs::GBK.encode(&format!("C{i};杭州{i}有限公司;{}\n", ["滨江区", "西湖区", "某区"][i % 3])).0.iter());
    }
    gbk.extend(b"C1000;\x81;binjiang\n");
    let map = parse_column_map("[columns]\n\"所在区\" = \"district\"", Lang::Zh).unwrap();
    let want = native(&b, &gbk, Some(&map), Lang::En, "gbk-semicolons").unwrap();
    let got = streamed(&b, &gbk, Some(map), Lang::En, 5).unwrap();
    assert!(got.results == want.results && got.summary == want.summary && got.problems == want.problems);
    assert!(String::from_utf8(want.problems.unwrap()).unwrap().contains("not valid GBK/GB18030 text"));
}

#[test]
fn refusals_and_header_problems_are_the_command_lines_messages() {
    let b = Bundle::embedded().unwrap();
    for lang in [Lang::Zh, Lang::En] {
        // The command line names the file first: "…/in.csv: message".
        let cases: [(&str, &[u8]); 5] = [
            ("empty", b""),
            ("utf16", b"\xFF\xFEa\0b\0"),
            ("binary", b"company\0\x01\x02"),
            ("unknown", "统一社会信用代码,district,员工数,备注\nC1,binjiang,3,x\n".as_bytes()),
            ("nocompany", b"district\nbinjiang\n"),
        ];
        for (name, input) in cases {
            let want = native(&b, input, None, lang, name).err().unwrap();
            let got = streamed(&b, input, None, lang, 3).err().unwrap().message(lang);
            assert!(want.ends_with(&got), "{name}: the command line says {want:?}, the page {got:?}");
            assert!(!got.is_empty());
        }
    }
    let unknown = streamed(&b, "统一社会信用代码,员工数,备注\nC1,3,x\n".as_bytes(), None, Lang::Zh, 1 << 20).err().unwrap();
    assert!(unknown.message(Lang::Zh).contains("2 个表头无法识别：B列“员工数”、C列“备注”"), "{}", unknown.message(Lang::Zh));
    let workbook = streamed(&b, b"PK\x03\x04rest", None, Lang::Zh, 10).err().unwrap();
    assert_eq!(workbook, StartError::Workbook);
    assert!(workbook.message(Lang::Zh).contains("另存为"));
}

#[test]
fn the_page_summary_is_the_summary_file_with_names() {
    let b = Bundle::embedded().unwrap();
    let input = committed("r300.csv");
    let mut run = CsvRun::start(&input[..SNIFF.min(input.len())], input.len() <= SNIFF, None, options(Lang::Zh), &b).unwrap();
    run.push(&b, &input, true).unwrap();
    let view = huiqi::register_stream::summary_view(&b, &run.totals);
    let file = String::from_utf8(run.summary_csv(&b)).unwrap();
    let lines: Vec<&str> = file.trim_start_matches('\u{feff}').lines().skip(1).collect();
    let rows = view["rows"].as_array().unwrap();
    assert_eq!(rows.len(), lines.len());
    for (row, line) in rows.iter().zip(&lines) {
        let fields = &row["fields"];
        assert!(line.starts_with(&format!("{},", fields["benefit"].as_str().unwrap())), "{line}");
        assert!(line.contains(&format!(",{},", fields["amount"].as_str().unwrap())), "{line}");
        assert!(!row["name"]["zh"].as_str().unwrap().is_empty() && !row["name"]["en"].as_str().unwrap().is_empty());
    }
    assert_eq!(rows.last().unwrap()["name"]["en"], "total");
    assert_eq!(view["companies"], 300);
}

#[test]
fn repeated_ids_across_chunks_and_policy_years_give_the_command_lines_bytes() {
    let b = Bundle::embedded().unwrap();
    // 6000 rows (two of the command line's chunks of 4096): from row 4002 on, each id is
    // that of the row 4000 earlier, and from row 5002 on a few have it a third time.
    let mut text = String::from("统一社会信用代码,district,tech_enterprise,tech_sme_scale,rd_spend,rd_spend_prev\n");
    for i in 0..6000usize {
        let id = if i >= 5000 && i % 7 == 0 { i - 5000 } else if i >= 4000 { i - 4000 } else { i };
        let district = ["binjiang", "xihu", "滨江区", "nowhere"][i % 4];
        text.push_str(&format!("C{id:05},{district},是,是,{}万,1000万\n", 1200 + i % 900));
    }
    let first_line = |id: usize| id as u64 + 2;
    for (year, lang) in [(PolicyYear::OpenNow, Lang::Zh), (PolicyYear::Year(2024), Lang::En), (PolicyYear::Latest, Lang::Zh)] {
        {
            let options = MatchOptions { policy_year: year, ..options(lang) };
            let want = native_with(&b, text.as_bytes(), None, options, "repeats").unwrap();
            for slice in [7, 1 << 20] {
                let (got, run) = streamed_with(&b, text.as_bytes(), None, options, slice).unwrap();
                assert!(got.results == want.results, "{year:?} {lang:?} {slice}: results.csv differs");
                assert!(got.summary == want.summary, "{year:?} {lang:?} {slice}: results.summary.csv differs");
                assert!(got.problems == want.problems, "{year:?} {lang:?} {slice}: results.problems.csv differs");
                assert_eq!(run.totals.summary.repeated_ids, 2000);
                let view = huiqi::register_stream::summary_view(&b, &run.totals);
                assert_eq!((view["repeated_ids"].as_u64(), view["companies"].as_u64()), (Some(2000), Some(6000)));
            }
            if lang == Lang::En {
                // Each repeat names the first row with its id, also the third time.
                let problems = String::from_utf8(want.problems.unwrap()).unwrap();
                let said: Vec<&str> = problems.lines().filter(|l| l.contains("same id as row")).collect();
                assert_eq!(said.len(), 2000);
                assert!(problems.contains(&format!("\n{},A,统一社会信用代码,C00001,same id as row {} ", 4001 + 2, first_line(1))));
                assert!(problems.contains(&format!("\n{},A,统一社会信用代码,C00005,same id as row {} ", 5005 + 2, first_line(5))));
                // Not the second row with C00005 (line 4007).
                assert!(!problems.contains(&format!("same id as row {} ", 4005 + 2)));
            }
        }
    }
}
