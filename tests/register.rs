//! Matching a whole register (`huiqi match`): header mapping, bad cells, encodings,
//! formats, and the same output on every run and any number of threads.

use huiqi::register::{match_company, match_company_for, CellIssue, ColumnMap, Columns, HeaderProblem, PolicyYear, Target};
use huiqi::register_file::{run, sniff_encoding, Encoding, MatchError, MatchOptions, Register, CHUNK};
use huiqi::{evaluate_for, Bundle, Date, Lang, Status, Timing, Validity};
use std::path::{Path, PathBuf};

fn bundle() -> Bundle {
    Bundle::embedded().unwrap()
}

fn header(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

fn as_of() -> Date {
    Date::parse("2024-06-30").unwrap()
}

fn dir() -> PathBuf {
    let d = std::env::temp_dir().join(format!("huiqi-register-{}-{}", std::process::id(), std::thread::current().name().unwrap_or("t").replace("::", "-")));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Runs a register file and returns (stdout, stderr) of a run without an output file.
fn run_file(path: &Path, map: Option<&ColumnMap>) -> Result<(String, String), MatchError> {
    run_file_with(path, map, false)
}

fn run_file_with(path: &Path, map: Option<&ColumnMap>, all_possible: bool) -> Result<(String, String), MatchError> {
    let b = bundle();
    let mut register = Register::open(path, Lang::En)?;
    let columns = Columns::resolve(&b, &register.header, map).map_err(MatchError::Header)?;
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let options = MatchOptions { as_of: as_of(), policy_year: PolicyYear::OpenNow, lang: Lang::En, all_possible };
    run(&b, &mut register, &columns, options, None, &mut out, &mut err, &mut |_, _| {})?;
    Ok((String::from_utf8(out).unwrap(), String::from_utf8(err).unwrap()))
}

fn rd_increase(out: &str, company: &str) -> Option<String> {
    out.lines().find(|l| l.contains(company) && l.contains(",binjiang-2024-rd-increase-sme,")).map(str::to_string)
}

#[test]
fn headers_are_fact_ids_labels_or_mapped() {
    let b = bundle();
    let district = b.catalogue.index_of("district").unwrap();
    let employees = b.catalogue.index_of("employees").unwrap();
    let revenue = b.catalogue.index_of("revenue").unwrap();
    // By fact id, by Chinese label, by English label (any case), and the usual id/name headers.
    let c = Columns::resolve(&b, &header(&["\u{feff}统一社会信用代码", "企业名称", "district", "从业人员数", "revenue in the policy year"]), None).unwrap();
    assert_eq!(c.targets, vec![Target::Company, Target::Name, Target::Fact(district), Target::Fact(employees), Target::Fact(revenue)]);
    assert_eq!((c.company, c.name), (0, Some(1)));

    // By a mapping file: its own company column, ignored columns, header → fact id.
    let map: ColumnMap = toml::from_str(
        r#"
        company = "信用代码号"
        ignore = ["备注"]
        [columns]
        "所在区" = "district"
        "员工" = "employees"
        "不在本文件" = "revenue"
        "#,
    )
    .unwrap();
    let c = Columns::resolve(&b, &header(&["所在区", "信用代码号", "员工", "备注"]), Some(&map)).unwrap();
    assert_eq!(c.targets, vec![Target::Fact(district), Target::Company, Target::Fact(employees), Target::Ignore]);
    assert_eq!(c.unused_mappings, vec!["不在本文件".to_string()]);

    // A per-item fact's second item.
    let c = Columns::resolve(&b, &header(&["company_id", "exhibition_venue_rent#2"]), None).unwrap();
    assert!(matches!(c.targets[1], Target::Item { item: 2, .. }));
}

#[test]
fn unknown_columns_are_all_listed_with_what_to_do() {
    let b = bundle();
    let problems = Columns::resolve(&b, &header(&["统一社会信用代码", "注册地址", "district", "法人代表"]), None).unwrap_err();
    let [HeaderProblem::Unknown(columns)] = problems.as_slice() else { panic!("{problems:?}") };
    assert_eq!(columns, &vec![(1, "注册地址".to_string()), (3, "法人代表".to_string())]);
    let en = problems[0].message(Lang::En);
    assert!(en.contains("2 unknown column(s): column B “注册地址”, column D “法人代表”"), "{en}");
    assert!(en.contains("--columns") && en.contains("huiqi facts"), "{en}");
    let zh = problems[0].message(Lang::Zh);
    assert!(zh.contains("B列“注册地址”、D列“法人代表”"), "{zh}");

    // No company column; a fact given twice; a mapping to a fact that does not exist.
    let problems = Columns::resolve(&b, &header(&["district", "所在区"]), Some(&toml::from_str("[columns]\n\"所在区\" = \"district\"").unwrap())).unwrap_err();
    assert!(problems.iter().any(|p| matches!(p, HeaderProblem::Twice { .. })), "{problems:?}");
    assert!(problems.iter().any(|p| matches!(p, HeaderProblem::NoCompany { mapped: None })), "{problems:?}");
    let map: ColumnMap = toml::from_str("[columns]\n\"区\" = \"distrct\"").unwrap();
    let problems = Columns::resolve(&b, &header(&["company", "区"]), Some(&map)).unwrap_err();
    assert!(problems[0].message(Lang::En).contains("`distrct`, which is no fact"), "{problems:?}");
    // Item numbers only for per-item facts.
    let problems = Columns::resolve(&b, &header(&["company", "revenue#2"]), None).unwrap_err();
    assert!(matches!(problems[0], HeaderProblem::BadItem { column: 1, .. }), "{problems:?}");
}

#[test]
fn cells_are_read_as_the_questionnaire_reads_them() {
    let b = bundle();
    let c = Columns::resolve(&b, &header(&["company", "district", "tech_enterprise", "tech_sme_scale", "rd_spend", "rd_spend_prev"]), None).unwrap();
    // 滨江区 (the option's label), 是, full-width digits and 万: as the questionnaire takes them.
    let (company, problems) = c.read_row(&b, 2, ["A1", "滨江区", "是", "1", "１５００万", "10,000,000"]);
    assert!(problems.is_empty(), "{problems:?}");
    let result = match_company(&b, &company, as_of());
    let rd = b.benefit_index("binjiang-2024-rd-increase-sme").unwrap();
    let m = result.matches.iter().find(|m| m.benefit == rd).unwrap();
    assert_eq!((m.status, m.amount), (Status::Eligible, Some("250000.00".parse().unwrap())));

    // The same profile as JSON through the JS API's reader gives the same evaluation.
    let (profile, errors) = b.catalogue.read_profile(&serde_json::json!({
        "district": "binjiang", "tech_enterprise": true, "tech_sme_scale": true, "rd_spend": "1500万", "rd_spend_prev": "1000万"
    }));
    assert!(errors.is_empty());
    assert_eq!(profile, company.profile);
}

#[test]
fn bad_cells_are_reported_by_row_and_column_and_read_as_unknown() {
    let b = bundle();
    let c = Columns::resolve(&b, &header(&["company", "district", "tech_enterprise", "tech_sme_scale", "rd_spend", "rd_spend_prev", ""]), None).unwrap();
    let (company, problems) = c.read_row(&b, 7, ["A7", "binjiang", "maybe", "1", "lots", "-5", "stray", "beyond"]);
    let places: Vec<(u64, usize)> = problems.iter().map(|p| (p.row, p.column)).collect();
    assert_eq!(places, vec![(7, 2), (7, 4), (7, 5), (7, 6), (7, 7)]);
    assert_eq!(problems[1].place(&c, Lang::En), "row 7, column E “rd_spend”");
    assert!(problems[1].message(Lang::En).contains("“lots” is not a number"), "{}", problems[1].message(Lang::En));
    assert!(problems[2].message(Lang::Zh).contains("不能小于"), "{}", problems[2].message(Lang::Zh));
    assert!(matches!(problems[3].issue, CellIssue::NoHeader));
    assert!(matches!(problems[4].issue, CellIssue::BeyondHeader));
    // The row is still evaluated: the benefit that needed the bad cells says so.
    let result = match_company(&b, &company, as_of());
    let rd = b.benefit_index("binjiang-2024-rd-increase-sme").unwrap();
    let m = result.matches.iter().find(|m| m.benefit == rd).unwrap();
    assert_eq!(m.status, Status::NeedsAnswers);
    let missing: Vec<&str> = result.missing_of(m).iter().map(|&f| b.catalogue.fact(f).id.as_str()).collect();
    assert!(missing.contains(&"tech_enterprise") && missing.contains(&"rd_spend"), "{missing:?}");

    // An empty company id is reported, and the results are still written under the row.
    let (company, problems) = c.read_row(&b, 9, ["", "binjiang"]);
    assert_eq!(company.row, 9);
    assert!(matches!(problems[..], [ref p] if p.issue == CellIssue::NoCompanyId));
}

const REGISTER: &str = "统一社会信用代码,企业名称,所在区,tech_enterprise,tech_sme_scale,rd_spend,rd_spend_prev\n\
    91330108MA1,滨江甲科技有限公司,滨江区,是,是,1500万,1000万\n\
    91330108MA2,滨江乙科技有限公司,滨江区,是,是,abc,1000万\n";

#[test]
fn a_gbk_register_reads_as_its_utf8_twin() {
    let d = dir();
    let map: ColumnMap = toml::from_str("[columns]\n\"所在区\" = \"district\"").unwrap();
    let utf8 = d.join("utf8.csv");
    std::fs::write(&utf8, REGISTER).unwrap();
    let gbk = d.join("gbk.csv");
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(REGISTER);
    assert!(!unmappable);
    std::fs::write(&gbk, &bytes).unwrap();
    assert_eq!(sniff_encoding(&bytes, true), Encoding::Gb18030);

    let register = Register::open(&gbk, Lang::En).unwrap();
    assert!(register.notices[0].contains("read as GBK/GB18030"), "{:?}", register.notices);
    assert!(Register::open(&utf8, Lang::En).unwrap().notices.is_empty());
    let (from_gbk, err_gbk) = run_file(&gbk, Some(&map)).unwrap();
    let (from_utf8, err_utf8) = run_file(&utf8, Some(&map)).unwrap();
    assert_eq!(from_gbk, from_utf8);
    assert_eq!(err_gbk, err_utf8);
    assert!(rd_increase(&from_gbk, "91330108MA1,滨江甲科技有限公司").unwrap().contains(",eligible,250000.00,"), "{from_gbk}");
    assert!(err_gbk.contains("row 3, column F “rd_spend”: “abc” is not a number"), "{err_gbk}");
}

#[test]
fn empty_and_strange_files_get_a_clear_message() {
    let d = dir();
    let empty = d.join("empty.csv");
    std::fs::write(&empty, "").unwrap();
    let b = bundle();
    let register = Register::open(&empty, Lang::En).unwrap();
    let problems = Columns::resolve(&b, &register.header, None).unwrap_err();
    assert_eq!(problems, vec![HeaderProblem::Empty]);
    assert!(problems[0].message(Lang::Zh).contains("文件为空"));

    // A header and no rows: a run with no companies, not an error.
    let header_only = d.join("header.csv");
    std::fs::write(&header_only, "company,district\n").unwrap();
    let (out, err) = run_file(&header_only, None).unwrap();
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(err.contains("total"), "{err}");

    let utf16 = d.join("utf16.csv");
    std::fs::write(&utf16, [0xFF, 0xFE, b'a', 0]).unwrap();
    let e = Register::open(&utf16, Lang::En).err().unwrap();
    assert!(e.message(Lang::En).contains("UTF-16"), "{}", e.message(Lang::En));

    let binary = d.join("binary.csv");
    std::fs::write(&binary, [1u8, 0, 2, 3, 0]).unwrap();
    assert!(Register::open(&binary, Lang::En).err().unwrap().message(Lang::En).contains("binary"));
}

/// A register of `n` varied Binjiang and Xihu companies, some cells garbage.
fn generated(n: usize) -> String {
    let mut text = String::from("company,district,tech_enterprise,tech_sme_scale,rd_spend,rd_spend_prev,employees\n");
    for i in 0..n {
        let district = ["binjiang", "xihu", "滨江区", "linan"][i % 4];
        let spend = if i % 10 == 3 { "n/a".to_string() } else { format!("{}万", 800 + (i * 37) % 3000) };
        text.push_str(&format!("C{i:06},{district},{},是,{spend},{}万,{}\n", if i % 3 == 0 { "否" } else { "是" }, 700 + (i * 13) % 900, i % 500));
    }
    text
}

#[test]
fn the_output_is_the_same_on_every_run_and_any_number_of_threads() {
    let d = dir();
    let path = d.join("big.csv");
    // More than one chunk, so the order across chunks is tested too.
    let n = CHUNK + 300;
    std::fs::write(&path, generated(n)).unwrap();
    let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap().install(|| run_file_with(&path, None, true).unwrap());
    let four = rayon::ThreadPoolBuilder::new().num_threads(4).build().unwrap().install(|| run_file_with(&path, None, true).unwrap());
    let again = run_file_with(&path, None, true).unwrap();
    assert_eq!(one, four);
    assert_eq!(one, again);
    // Every company is there, in input order, and every garbage cell is reported.
    let (out, err) = one;
    let rows: Vec<u64> = out.lines().skip(1).map(|l| l.split(',').next().unwrap().parse().unwrap()).collect();
    assert!(rows.windows(2).all(|w| w[0] <= w[1]));
    let mut companies: Vec<u64> = rows.clone();
    companies.dedup();
    assert_eq!(companies.len(), n, "every row has at least one result (city benefits needing answers)");
    let bad = err.lines().filter(|l| l.contains("“n/a” is not a number")).count();
    assert_eq!(bad, (0..n).filter(|i| i % 10 == 3).count());
}

#[test]
fn results_go_to_csv_jsonl_and_xlsx_with_a_summary_beside() {
    let d = dir();
    let input = d.join("in.csv");
    std::fs::write(&input, REGISTER.replace("所在区", "district")).unwrap();
    let b = bundle();
    let options = MatchOptions { as_of: as_of(), policy_year: PolicyYear::OpenNow, lang: Lang::En, all_possible: false };
    let mut outputs = Vec::new();
    for ext in ["csv", "jsonl", "xlsx"] {
        let mut register = Register::open(&input, Lang::En).unwrap();
        let columns = Columns::resolve(&b, &register.header, None).unwrap();
        let output = d.join(format!("out.{ext}"));
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let outcome = run(&b, &mut register, &columns, options, Some(&output), &mut out, &mut err, &mut |_, _| {}).unwrap();
        assert!(out.is_empty() && err.is_empty());
        assert_eq!(outcome.summary.companies, 2);
        assert_eq!(outcome.summary.bad_cells, 1);
        let problems = std::fs::read_to_string(outcome.problems_path.unwrap()).unwrap();
        assert!(problems.contains("3,F,rd_spend,abc,“abc” is not a number"), "{problems}");
        let rd = b.benefit_index("binjiang-2024-rd-increase-sme").unwrap();
        assert_eq!(outcome.summary.benefits[rd].eligible, 1);
        assert_eq!(outcome.summary.benefits[rd].district, "250000.00".parse().unwrap());
        outputs.push((output, outcome.summary_path.unwrap(), outcome.records));
    }
    let csv = std::fs::read_to_string(&outputs[0].0).unwrap();
    assert!(csv.starts_with("\u{feff}row,company,name,benefit,status"));
    assert!(rd_increase(&csv, "91330108MA1").unwrap().ends_with(",eligible,250000.00,,true,,binjiang-2024,（十三）,district,,not_stated"), "{csv}");
    assert_eq!(csv.lines().count() as u64, outputs[0].2 + 1);
    let summary = std::fs::read_to_string(&outputs[0].1).unwrap();
    assert!(summary.lines().any(|l| l.starts_with("binjiang-2024-rd-increase-sme,binjiang-2024,（十三）,district,1,250000.00,0.00,0.00,250000.00,")), "{summary}");
    assert!(summary.lines().last().unwrap().starts_with("total,"));

    let jsonl = std::fs::read_to_string(&outputs[1].0).unwrap();
    let line: serde_json::Value = jsonl.lines().map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()).find(|v| v["benefit"] == "binjiang-2024-rd-increase-sme" && v["company"] == "91330108MA1").unwrap();
    assert_eq!(line["amount"], "250000.00");
    assert_eq!(line["row"], 2);
    assert_eq!(jsonl.lines().count() as u64, outputs[1].2);

    // The workbook reads back: results then the summary, and matches the CSV.
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto(&outputs[2].0).unwrap();
    assert_eq!(book.sheet_names(), vec!["results".to_string(), "summary".to_string()]);
    let results = book.worksheet_range("results").unwrap();
    assert_eq!(results.get_size().0 as u64, outputs[2].2 + 1);
    assert_eq!(outputs[2].1, outputs[2].0);

    // And an XLSX register reads as the CSV one does.
    let (from_xlsx_register, _) = {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        for (r, line) in REGISTER.replace("所在区", "district").lines().enumerate() {
            for (c, cell) in line.split(',').enumerate() {
                ws.write_string(r as u32, c as u16, cell).unwrap();
            }
        }
        let path = d.join("register.xlsx");
        wb.save(&path).unwrap();
        run_file(&path, None).unwrap()
    };
    let (from_csv_register, _) = run_file(&input, None).unwrap();
    assert_eq!(from_xlsx_register, from_csv_register);
}

#[test]
fn only_what_the_register_can_decide_is_written_unless_asked() {
    let d = dir();
    let path = d.join("blank.csv");
    // C2 left its R&D spend blank: the R&D increase subsidy needs only that cell.
    std::fs::write(&path, "company,district,tech_enterprise,tech_sme_scale,rd_spend,rd_spend_prev\nC1,binjiang,是,是,1500万,1000万\nC2,binjiang,是,是,,1000万\n").unwrap();
    let (out, _) = run_file(&path, None).unwrap();
    assert!(rd_increase(&out, "C1").unwrap().contains(",eligible,250000.00,"), "{out}");
    assert!(rd_increase(&out, "C2").unwrap().contains(",needs_answers,,2000000.00,true,rd_spend,"), "{out}");
    // Every needs-answers row written needs only facts the register has columns for.
    let columns = ["district", "tech_enterprise", "tech_sme_scale", "rd_spend", "rd_spend_prev"];
    for line in out.lines().skip(1).filter(|l| l.contains(",needs_answers,")) {
        let missing = line.split(',').nth(8).unwrap();
        assert!(missing.split(' ').all(|f| columns.contains(&f)), "{line}");
    }
    // With --all-possible, also those needing facts it has no column for (new_city_eagle…).
    let (all, _) = run_file_with(&path, None, true).unwrap();
    assert!(all.lines().count() > out.lines().count());
    assert!(all.lines().any(|l| l.starts_with("2,C1,") && l.contains(",needs_answers,") && l.contains("new_city_eagle")), "{all}");
    assert!(!out.contains("new_city_eagle"));
}

/// The rows a run writes for one benefit, as (company, status, amount, policy_year, claim).
fn rows_of(out: &str, benefit: &str) -> Vec<(String, String, String, String, String)> {
    out.lines()
        .skip(1)
        .map(|l| l.split(',').map(str::to_string).collect::<Vec<_>>())
        .filter(|f| f[3] == benefit)
        .map(|f| (f[1].clone(), f[4].clone(), f[5].clone(), f[12].clone(), f[13].clone()))
        .collect()
}

fn run_timed(bundle: &Bundle, path: &Path, as_of: Date, policy_year: PolicyYear) -> Result<(String, String, huiqi::register_file::MatchOutcome), MatchError> {
    let mut register = Register::open(path, Lang::En)?;
    let columns = Columns::resolve(bundle, &register.header, None).map_err(MatchError::Header)?;
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let options = MatchOptions { as_of, policy_year, lang: Lang::En, all_possible: false };
    let outcome = run(bundle, &mut register, &columns, options, None, &mut out, &mut err, &mut |_, _| {})?;
    Ok((String::from_utf8(out).unwrap(), String::from_utf8(err).unwrap(), outcome))
}

#[test]
fn policy_year_means_what_it_means_for_evaluate() {
    let b = bundle();
    assert_eq!(PolicyYear::parse("2024"), Some(PolicyYear::Year(2024)));
    assert_eq!(PolicyYear::parse(" latest "), Some(PolicyYear::Latest));
    assert_eq!(PolicyYear::parse("1800"), None);
    assert_eq!(PolicyYear::parse("2024年"), None);
    let c = Columns::resolve(&b, &header(&["company", "district", "tech_enterprise", "tech_sme_scale", "rd_spend", "rd_spend_prev"]), None).unwrap();
    let (binjiang, _) = c.read_row(&b, 2, ["B1", "binjiang", "是", "是", "1500万", "1000万"]);
    let (xihu, _) = c.read_row(&b, 3, ["X1", "xihu", "是", "是", "1500万", "1000万"]);
    let rd = b.benefit_index("binjiang-2024-rd-increase-sme").unwrap();
    // Binjiang's 2024 edition ended with 2024: open now on 2025-03-09 it is not matched,
    // for the 2024 results it is, as `evaluate --policy-year 2024` says.
    let day = Date::parse("2025-03-09").unwrap();
    let now = match_company_for(&b, &binjiang, day, PolicyYear::OpenNow);
    assert_eq!(now, match_company(&b, &binjiang, day));
    assert_eq!(now.policy_year, None);
    assert!(!now.matches.iter().any(|m| m.benefit == rd));
    let y2024 = match_company_for(&b, &binjiang, day, PolicyYear::Year(2024));
    assert_eq!(y2024.policy_year, Some(2024));
    let m = y2024.matches.iter().find(|m| m.benefit == rd).unwrap();
    assert_eq!((m.status, m.amount), (Status::Eligible, Some("250000.00".parse().unwrap())));
    // Every match is exactly a result evaluate_for gives in force and eligible or needing answers.
    for (year, timing) in [(PolicyYear::OpenNow, Timing::on(day)), (PolicyYear::Year(2024), Timing::for_year(day, 2024))] {
        let eval = evaluate_for(&b, &binjiang.profile, timing);
        let kept: Vec<_> = eval
            .results
            .iter()
            .filter(|r| r.validity == Validity::InForce && matches!(r.status, Status::Eligible | Status::NeedsAnswers))
            .map(|r| (r.benefit, r.status, r.amount, r.max_amount, r.claim, eval.missing_of(r).to_vec()))
            .collect();
        let result = match_company_for(&b, &binjiang, day, year);
        let got: Vec<_> = result.matches.iter().map(|m| (m.benefit, m.status, m.amount, m.max_amount, m.claim, result.missing_of(m).to_vec())).collect();
        assert_eq!(got, kept, "{year:?}");
    }
    // `latest` is read per company from its own district: on 2024-06-30 Binjiang has its
    // 2024 edition, Xihu only the city's 2022 one (engine::default_policy_year).
    let june = as_of();
    let district = |c: &huiqi::register::Company| match c.profile.get(b.district_fact()) {
        Some(huiqi::facts::Value::Choice(d)) => Some(d),
        _ => None,
    };
    for (company, year) in [(&binjiang, 2024), (&xihu, 2022)] {
        assert_eq!(huiqi::engine::default_policy_year(&b, district(company), june), Some(year));
        let latest = match_company_for(&b, company, june, PolicyYear::Latest);
        assert_eq!(latest.policy_year, Some(year));
        assert_eq!(latest.matches, match_company_for(&b, company, june, PolicyYear::Year(year)).matches);
        assert_eq!(c.policy_year_problem(&b, PolicyYear::Latest, &latest, june), None);
    }
    // Before any annual edition, `latest` cannot be used at all.
    assert!(!PolicyYear::Latest.usable(&b, Date::parse("2021-06-30").unwrap()));
    assert!(PolicyYear::Latest.usable(&b, june) && PolicyYear::Year(1999).usable(&b, june));
}

/// The embedded rules with only the annual edition `keep` of all the annual documents, so
/// that some district has no edition on a given day.
fn bundle_with_only(keep: &str) -> Bundle {
    let mut files = Vec::new();
    for dir in ["rules", "rules/facts"] {
        for entry in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(dir)).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if !name.ends_with(".toml") || name.ends_with(".cases.toml") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let document = dir == "rules" && name != "bundle.toml" && name != "facts.toml";
            if document && name != format!("{keep}.toml") {
                continue;
            }
            files.push((if dir == "rules" { name } else { format!("facts/{name}") }, text));
        }
    }
    let pairs: Vec<(&str, &str)> = files.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
    match huiqi::check::check(&pairs) {
        Ok(checked) => checked.bundle,
        Err(errors) => panic!("{:?}", errors.iter().map(|e| e.to_string()).collect::<Vec<_>>()),
    }
}

#[test]
fn policy_year_in_a_run_writes_the_year_and_says_which_companies_had_none() {
    let d = dir();
    let path = d.join("years.csv");
    std::fs::write(&path, "company,district,tech_enterprise,tech_sme_scale,rd_spend,rd_spend_prev\nB1,binjiang,是,是,1500万,1000万\nX1,xihu,是,是,1500万,1000万\n").unwrap();
    let b = bundle();
    let day = Date::parse("2025-03-09").unwrap();
    let (open, _, _) = run_timed(&b, &path, day, PolicyYear::OpenNow).unwrap();
    assert!(rows_of(&open, "binjiang-2024-rd-increase-sme").is_empty(), "{open}");
    let (y2024, _, _) = run_timed(&b, &path, day, PolicyYear::Year(2024)).unwrap();
    let s = |x: &str| x.to_string();
    assert_eq!(rows_of(&y2024, "binjiang-2024-rd-increase-sme"), vec![(s("B1"), s("eligible"), s("250000.00"), s("2024"), s("not_stated"))]);
    assert!(y2024.starts_with("row,company,name,benefit,status,amount,max_amount,up_to,missing,document,article,level,policy_year,claim\n"));
    // Per company: on 2024-06-30 Binjiang's latest year is 2024, Xihu's the city's 2022.
    let (latest, _, _) = run_timed(&b, &path, as_of(), PolicyYear::Latest).unwrap();
    let years: std::collections::BTreeSet<(String, String)> = latest.lines().skip(1).map(|l| l.split(',').collect::<Vec<_>>()).map(|f| (f[1].to_string(), f[12].to_string())).collect();
    assert_eq!(years.into_iter().collect::<Vec<_>>(), vec![(s("B1"), s("2024")), (s("X1"), s("2022"))]);
    // Before any annual edition, `latest` is refused before anything is written.
    let e = run_timed(&b, &path, Date::parse("2021-06-30").unwrap(), PolicyYear::Latest).err().unwrap();
    assert!(e.message(Lang::En).contains("no annual edition applies on or before 2021-06-30; give a year"), "{}", e.message(Lang::En));

    // With only Binjiang's edition in the rules, a Xihu company has no latest year on
    // 2024-06-30: it is still matched (for what is in force that day) and the row says so.
    let only = bundle_with_only("binjiang-2024");
    let (out, err, outcome) = run_timed(&only, &path, as_of(), PolicyYear::Latest).unwrap();
    assert!(out.lines().any(|l| l.starts_with("2,B1,") && l.contains(",2024,")), "{out}");
    // No Binjiang benefit applies to a Xihu company, so it has no result row: the problem says why.
    assert!(!out.lines().any(|l| l.starts_with("3,X1,")), "{out}");
    assert!(err.contains("row 3, column B “district”: latest policy year: no annual edition for the company's district applies on or before 2024-06-30"), "{err}");
    assert_eq!((outcome.summary.no_policy_year, outcome.summary.bad_cells, outcome.summary.companies), (1, 0, 2));
}

#[test]
fn a_closed_application_window_is_counted_apart_as_evaluate_does() {
    let b = bundle();
    let c = Columns::resolve(&b, &header(&["company", "district", "tech_enterprise", "tech_sme_scale", "rd_spend", "rd_spend_prev"]), None).unwrap();
    let (company, _) = c.read_row(&b, 2, ["B1", "binjiang", "是", "是", "1500万", "1000万"]);
    let mut summary = huiqi::register::Summary::new(&b);
    let mut result = match_company(&b, &company, as_of());
    let rd = b.benefit_index("binjiang-2024-rd-increase-sme").unwrap();
    // The embedded texts state few windows; a closed one is made here on a real match.
    let m = result.matches.iter_mut().find(|m| m.benefit == rd).unwrap();
    m.claim = huiqi::Claim::Closed { on: Date::parse("2024-06-01").unwrap() };
    summary.add_row(&b, &result, &[]);
    let t = &summary.benefits[rd];
    assert_eq!((t.eligible, t.amount, t.closed, t.closed_amount), (0, "0".parse().unwrap(), 1, "250000.00".parse().unwrap()));
    let row = summary.rows(&b).into_iter().find(|r| r[0] == "binjiang-2024-rd-increase-sme").unwrap();
    assert_eq!(&row[12..], &["1".to_string(), "250000.00".to_string()]);
}

#[test]
fn a_repeated_company_id_is_told_on_its_row_and_both_rows_are_matched_and_counted() {
    let d = dir();
    let path = d.join("repeats.csv");
    let out = d.join("results.csv");
    // The id in column B; B1 three times (rows 2, 4, 6), X1 twice (3, 8), two empty ids
    // (never "the same"), " B1 " trimmed as every cell is, and the lower-case b1 another id.
    let rows = [
        "binjiang,B1,是,是,1500万,1000万",
        "xihu,X1,是,是,1500万,1000万",
        "nowhere,B1,是,是,lots,1000万",
        "binjiang,,是,是,1500万,1000万",
        "binjiang, B1 ,是,是,1500万,1000万",
        "binjiang,,是,是,1500万,1000万",
        "xihu,X1,是,是,1500万,1000万",
        "binjiang,b1,是,是,1500万,1000万",
    ];
    std::fs::write(&path, format!("district,company,tech_enterprise,tech_sme_scale,rd_spend,rd_spend_prev\n{}\n", rows.join("\n"))).unwrap();
    let b = bundle();
    let mut register = Register::open(&path, Lang::En).unwrap();
    let columns = Columns::resolve(&b, &register.header, None).unwrap();
    let options = MatchOptions { as_of: as_of(), policy_year: PolicyYear::OpenNow, lang: Lang::En, all_possible: false };
    let outcome = run(&b, &mut register, &columns, options, Some(&out), &mut Vec::new(), &mut Vec::new(), &mut |_, _| {}).unwrap();
    let s = &outcome.summary;
    // Rows 4, 6 and 8 repeat; the two empty ids are bad cells, and so are row 4's two.
    assert_eq!((s.companies, s.repeated_ids, s.bad_cells), (8, 3, 4));
    let problems = std::fs::read_to_string(d.join("results.problems.csv")).unwrap();
    let lines: Vec<&str> = problems.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        lines,
        vec![
            "row,column,header,value,problem",
            "4,A,district,nowhere,“nowhere” is not one of the options (read as unknown)",
            "4,B,company,B1,same id as row 2 (both rows are matched and counted in the totals)",
            "4,E,rd_spend,lots,“lots” is not a number (read as unknown)",
            "5,B,company,,the company id is empty (results are written under the row number)",
            "6,B,company,B1,same id as row 2 (both rows are matched and counted in the totals)",
            "7,B,company,,the company id is empty (results are written under the row number)",
            "8,B,company,X1,same id as row 3 (both rows are matched and counted in the totals)",
        ],
        "{problems}"
    );
    // Every row is matched and written, repeats included, and counted: the Binjiang R&D
    // benefit is paid to rows 2, 5, 6, 7 and 9 alike (row 4's spend is bad, row 3 is Xihu).
    let results = std::fs::read_to_string(&out).unwrap();
    let rd: Vec<String> = results.lines().filter(|l| l.contains(",binjiang-2024-rd-increase-sme,eligible,")).map(|l| l.split(',').take(2).collect::<Vec<_>>().join(",")).collect();
    assert_eq!(rd, vec!["2,B1", "5,", "6,B1", "7,", "9,b1"]);
    let tally = &s.benefits[b.benefit_index("binjiang-2024-rd-increase-sme").unwrap()];
    assert_eq!((tally.eligible, tally.amount), (5, "1250000.00".parse().unwrap()));
    // In Chinese, the same line names the first row.
    let mut register = Register::open(&path, Lang::Zh).unwrap();
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    run(&b, &mut register, &columns, MatchOptions { lang: Lang::Zh, ..options }, None, &mut stdout, &mut stderr, &mut |_, _| {}).unwrap();
    let stderr = String::from_utf8(stderr).unwrap();
    assert!(stderr.contains("第 6 行 B列“company”: “B1” 与第 2 行的企业代码相同（两行都已匹配并计入汇总）"), "{stderr}");
}

#[test]
fn the_command_line_says_how_many_rows_repeat_an_id() {
    let d = dir();
    let path = d.join("repeats.csv");
    std::fs::write(&path, "company,district\nA,binjiang\nB,xihu\nA,binjiang\nA,xihu\n").unwrap();
    let huiqi = env!("CARGO_BIN_EXE_huiqi");
    for (lang, said) in [
        ("en", "2 rows repeat an earlier row's company id: both were matched and both are counted in the totals"),
        ("zh", "2 行的企业代码与前面某行相同：两行都已匹配，都计入汇总"),
    ] {
        let out = std::process::Command::new(huiqi).args(["match", path.to_str().unwrap(), "--as-of", "2025-03-09", "--lang", lang]).output().unwrap();
        assert!(out.status.success());
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stderr.contains(said), "{stderr}");
        assert!(stderr.contains(if lang == "en" { "4 companies" } else { "4 家企业" }), "{stderr}");
    }
}

#[test]
fn an_xlsx_output_goes_on_in_a_new_sheet_when_one_is_full_and_loses_no_row() {
    // Excel's sheets hold 1,048,576 rows; the same code path with sheets of 4 rows.
    let d = dir();
    let input = d.join("in.csv");
    std::fs::write(&input, REGISTER.replace("所在区", "district")).unwrap();
    let b = bundle();
    let options = MatchOptions { as_of: as_of(), policy_year: PolicyYear::OpenNow, lang: Lang::En, all_possible: true };
    let run_to = |output: &std::path::Path, sheet_rows: u32| {
        let mut register = Register::open(&input, Lang::En).unwrap();
        let columns = Columns::resolve(&b, &register.header, None).unwrap();
        let (mut out, mut err) = (Vec::new(), Vec::new());
        huiqi::register_file::run_with_sheet_rows(&b, &mut register, &columns, options, Some(output), &mut out, &mut err, &mut |_, _| {}, sheet_rows).unwrap()
    };
    let csv = d.join("all.csv");
    let records = run_to(&csv, 4).records;
    assert!(records > 9, "enough rows to fill several sheets: {records}");
    let xlsx = d.join("all.xlsx");
    assert_eq!(run_to(&xlsx, 4).records, records);

    use calamine::Reader;
    let mut book = calamine::open_workbook_auto(&xlsx).unwrap();
    let sheets = book.sheet_names();
    let full = records.div_ceil(3) as usize;
    let mut expected: Vec<String> = (1..=full).map(|i| if i == 1 { "results".to_string() } else { format!("results {i}") }).collect();
    expected.push("summary".into());
    assert_eq!(sheets, expected);
    // Every sheet has the header; the rows, read back in sheet order, are the CSV's rows.
    let mut rows = Vec::new();
    for name in &sheets[..full] {
        let range = book.worksheet_range(name).unwrap();
        let mut lines = range.rows();
        let header: Vec<String> = lines.next().unwrap().iter().map(|c| c.to_string()).collect();
        assert_eq!(header, huiqi::register::RECORD_HEADER);
        assert!(range.get_size().0 <= 4, "{name} has {} rows", range.get_size().0);
        for line in lines {
            rows.push((line[0].to_string(), line[1].to_string(), line[3].to_string()));
        }
    }
    let text = std::fs::read_to_string(&csv).unwrap();
    let from_csv: Vec<(String, String, String)> = text
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[0].to_string(), f[1].to_string(), f[3].to_string())
        })
        .collect();
    assert_eq!(rows, from_csv);
}

/// The companies of the committed register `tests/registers/r300.csv`, read as a run
/// reads them, with each row's problems.
fn committed_register(b: &Bundle) -> Vec<(huiqi::register::Company, Vec<huiqi::register::CellProblem>)> {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/registers/r300.csv")).unwrap();
    let mut rows = csv::Reader::from_reader(text.as_bytes());
    let head: Vec<String> = rows.headers().unwrap().iter().map(String::from).collect();
    let c = Columns::resolve(b, &head, None).unwrap();
    rows.records().enumerate().map(|(i, r)| c.read_row(b, i as u64 + 2, r.unwrap().iter())).collect()
}

/// A run evaluates with schedules read once, and with one evaluation and one memo kept
/// from company to company (`Schedules`, `engine::Memo`): each company's result is still
/// exactly what `match_company_for` gives it alone, for every policy-year choice.
#[test]
fn a_run_with_schedules_and_a_memo_matches_each_company_as_alone() {
    use huiqi::engine::{Evaluation, Memo};
    use huiqi::register::Schedules;
    let b = bundle();
    let companies: Vec<_> = committed_register(&b).into_iter().map(|(company, _)| company).collect();
    assert_eq!(companies.len(), 300);
    // On 2024-06-30 `latest` is 2024 for Binjiang and 2022 elsewhere: several schedules.
    for year in [PolicyYear::OpenNow, PolicyYear::Year(2024), PolicyYear::Latest] {
        let schedules = Schedules::new(&b, as_of(), year);
        let (mut eval, mut memo) = (Evaluation::empty(&b, Timing::on(as_of())), Memo::default());
        for company in &companies {
            let alone = match_company_for(&b, company, as_of(), year);
            assert_eq!(schedules.match_company(&b, company, &mut eval, &mut memo), alone, "row {} {year:?}", company.row);
        }
        assert!(!memo.is_empty());
    }
}

/// A run's threads each count the companies they matched, and the counts are merged at
/// the end: the summary is the same as counting every company in order.
#[test]
fn summaries_counted_apart_and_merged_are_the_summary_counted_in_order() {
    use huiqi::register::Summary;
    let b = bundle();
    let read = committed_register(&b);
    let results: Vec<_> = read.iter().map(|(company, _)| match_company_for(&b, company, as_of(), PolicyYear::Latest)).collect();
    let mut in_order = Summary::new(&b);
    for (result, (_, problems)) in results.iter().zip(&read) {
        in_order.add_row(&b, result, problems);
    }
    // Every third company on one thread, the others on another; problems counted apart.
    let (mut one, mut other, mut problems) = (Summary::new(&b), Summary::new(&b), Summary::new(&b));
    for (i, (result, (_, p))) in results.iter().zip(&read).enumerate() {
        if i % 3 == 0 { &mut one } else { &mut other }.add_company(&b, result);
        problems.add_problems(p);
    }
    let mut merged = Summary::new(&b);
    for part in [&other, &problems, &one] {
        merged.merge(part);
    }
    assert_eq!(merged, in_order);
    assert!(in_order.bad_cells > 0 && in_order.with_eligible > 0 && in_order.benefits.iter().any(|t| t.amount > rust_decimal::Decimal::ZERO));
}

/// A run reads every row into the same company (`Columns::read_row_into`): what a row
/// leaves empty, short or unreadable is unknown again, not the row before's answer.
#[test]
fn a_row_read_into_the_company_before_is_read_as_alone() {
    let b = bundle();
    let c = Columns::resolve(&b, &header(&["company", "name", "district", "tech_enterprise", "rd_spend", "exhibition_venue_rent#2"]), None).unwrap();
    let rows: [&[&str]; 5] = [
        &["A1", "甲", "binjiang", "是", "1500万", "20万"],
        &["A2", "", "", "", "", ""],
        &["A3", "丙", "xihu", "maybe", "lots", "5万"],
        &["A4"],
        &["", "戊", "binjiang", "否", "", "bad"],
    ];
    let mut company = huiqi::register::Company::empty(&b);
    for (i, row) in rows.iter().enumerate() {
        let line = i as u64 + 2;
        let alone = c.read_row(&b, line, row.iter().copied());
        let problems = c.read_row_into(&b, line, row.iter().copied(), &mut company);
        assert_eq!((company.clone(), problems), alone, "row {line}");
    }
    // The rows are all read: the last has no id, and the first answered an item.
    assert!(company.id.is_empty() && company.name == "戊");
    assert!(c.read_row(&b, 2, rows[0].iter().copied()).0.profile.items.len() == 1);
}
