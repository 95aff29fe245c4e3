//! `huiqi`: the command-line door to the embedded rule bundle.
//!
//!   huiqi check                      validate the rules (exit 1 on error)
//!   huiqi test                       run the rule cases in rules/*.cases.toml
//!   huiqi facts [--json]             the fact catalogue
//!   huiqi evaluate PROFILE.json [--as-of YYYY-MM-DD] [--json] [--lang zh|en]
//!   huiqi coverage [--json]          documents, their benefits, and the cases testing them
//!   huiqi match REGISTER.csv|.xlsx --as-of YYYY-MM-DD [--columns MAP.toml] [-o OUT.csv|.jsonl|.xlsx] [--lang zh|en]
//!                                    every company of a register at once (免申即享)

use huiqi::cases::{cases_by_benefit, embedded_cases, run_all};
use huiqi::explain;
use huiqi::report::report;
use huiqi::{evaluate, Bundle, Date, Lang};
use std::process::ExitCode;

const USAGE: &str = "usage:
  huiqi check
  huiqi test
  huiqi facts [--json]
  huiqi evaluate PROFILE.json [--as-of YYYY-MM-DD] [--json] [--lang zh|en]
  huiqi coverage [--json]
  huiqi match REGISTER.csv|.xlsx --as-of YYYY-MM-DD [--columns MAP.toml] [-o OUT.csv|.jsonl|.xlsx] [--all-possible] [--lang zh|en]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Rules(errors)) => {
            for e in &errors {
                eprintln!("error: {e}");
            }
            eprintln!("{} rule error(s)", errors.len());
            ExitCode::from(1)
        }
        Err(Failure::Input(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

enum Failure {
    /// The rules themselves are wrong (exit 1).
    Rules(Vec<String>),
    /// The command line or the profile is wrong (exit 2).
    Input(String),
}

struct Options {
    positional: Vec<String>,
    json: bool,
    as_of: Option<String>,
    lang: Lang,
    /// `match`: the mapping file and the output file.
    columns: Option<String>,
    output: Option<String>,
    all_possible: bool,
}

fn options(args: &[String]) -> Result<Options, Failure> {
    let mut o = Options { positional: vec![], json: false, as_of: None, lang: Lang::Zh, columns: None, output: None, all_possible: false };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--json" => o.json = true,
            "--all-possible" => o.all_possible = true,
            "--as-of" => o.as_of = Some(it.next().ok_or(Failure::Input("--as-of needs a date".into()))?.clone()),
            "--lang" => {
                let code = it.next().ok_or(Failure::Input("--lang needs zh or en".into()))?;
                o.lang = Lang::parse(code).ok_or(Failure::Input(format!("unknown language `{code}` (zh or en)")))?;
            }
            "--columns" => o.columns = Some(it.next().ok_or(Failure::Input("--columns needs a mapping file".into()))?.clone()),
            "-o" | "--output" => o.output = Some(it.next().ok_or(Failure::Input("-o needs an output file (.csv, .jsonl or .xlsx)".into()))?.clone()),
            flag if flag.starts_with("--") => return Err(Failure::Input(format!("unknown option `{flag}`\n{USAGE}"))),
            _ => o.positional.push(a.clone()),
        }
    }
    Ok(o)
}

fn bundle() -> Result<Bundle, Failure> {
    // With the `left_out` clauses: `check` validates them and `coverage` lists them.
    Bundle::embedded_with_coverage().map_err(|errors| Failure::Rules(errors.iter().map(|e| e.to_string()).collect()))
}

fn today() -> Date {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    Date::from_unix_seconds_cst(seconds).unwrap_or(Date { year: 2026, month: 1, day: 1 })
}

fn print_json(value: &impl serde::Serialize) {
    println!("{}", serde_json::to_string_pretty(value).unwrap_or_default());
}

fn run(args: &[String]) -> Result<(), Failure> {
    let Some(command) = args.first() else { return Err(Failure::Input(USAGE.into())) };
    let o = options(&args[1..])?;
    match command.as_str() {
        "check" => {
            let b = bundle()?;
            // The cases must at least name real benefits and facts; running them is `test`.
            let files = embedded_cases().map_err(|e| Failure::Rules(vec![e]))?;
            let mut errors = Vec::new();
            for f in &files {
                for c in &f.cases {
                    for x in &c.expect {
                        if b.benefit_index(&x.benefit).is_none() {
                            errors.push(format!("{}: case “{}”: unknown benefit `{}`", f.file, c.name, x.benefit));
                        }
                    }
                    for e in b.catalogue.read_profile(&c.profile).1 {
                        errors.push(format!("{}: case “{}”: profile: {e}", f.file, c.name));
                    }
                }
            }
            if !errors.is_empty() {
                return Err(Failure::Rules(errors));
            }
            println!(
                "ok: bundle {} ({}), {} documents, {} benefits, {} facts, {} cases",
                b.version,
                &b.hash[..12],
                b.documents.len(),
                b.benefits.len(),
                b.catalogue.facts.len(),
                files.iter().map(|f| f.cases.len()).sum::<usize>()
            );
            Ok(())
        }
        "test" => {
            let b = bundle()?;
            let files = embedded_cases().map_err(|e| Failure::Rules(vec![e]))?;
            let run = run_all(&b, &files);
            for f in &run.failures {
                eprintln!("FAIL {f}");
            }
            println!("{} passed, {} failed", run.passed, run.cases - run.passed);
            if run.failures.is_empty() {
                Ok(())
            } else {
                Err(Failure::Rules(vec![format!("{} rule case(s) failed", run.cases - run.passed)]))
            }
        }
        "facts" => {
            let b = bundle()?;
            if o.json {
                let facts: Vec<_> = b.catalogue.facts.iter().map(|f| &f.spec).collect();
                print_json(&serde_json::json!({
                    "sections": b.catalogue.sections,
                    "facts": facts,
                    "derived": b.catalogue.derived,
                }));
            } else {
                for f in &b.catalogue.facts {
                    println!("{:<34} {:<8} {}", f.spec.id, format!("{:?}", f.spec.kind).to_lowercase(), f.spec.label.get(o.lang));
                }
            }
            Ok(())
        }
        "evaluate" => evaluate_command(&o),
        "coverage" => coverage_command(&o),
        "match" => match_command(&o),
        other => Err(Failure::Input(format!("unknown command `{other}`\n{USAGE}"))),
    }
}

fn evaluate_command(o: &Options) -> Result<(), Failure> {
    let [path] = o.positional.as_slice() else { return Err(Failure::Input(format!("evaluate needs one PROFILE.json\n{USAGE}"))) };
    let text = std::fs::read_to_string(path).map_err(|e| Failure::Input(format!("{path}: {e}")))?;
    let answers: serde_json::Value = serde_json::from_str(&text).map_err(|e| Failure::Input(format!("{path}: not valid JSON: {e}")))?;
    let as_of = match &o.as_of {
        Some(t) => Date::parse(t).ok_or(Failure::Input(format!("--as-of `{t}` is not a date (YYYY-MM-DD)")))?,
        None => today(),
    };
    let b = bundle()?;
    let (profile, errors) = b.catalogue.read_profile(&answers);
    if !errors.is_empty() {
        let lines: Vec<String> = errors.iter().map(|e| format!("{path}: {}", e.message(o.lang))).collect();
        return Err(Failure::Input(lines.join("\n")));
    }
    let eval = evaluate(&b, &profile, as_of);
    let r = report(&b, &eval, o.lang);
    if o.json {
        print_json(&r);
        return Ok(());
    }
    let lang = o.lang;
    println!("{} {}  {} {} ({})", lang.pick("评估日期", "as of"), r.as_of, lang.pick("规则版本", "rules"), r.bundle.version, &r.bundle.hash[..12]);
    let order = ["eligible", "needs_answers", "superseded", "not_eligible", "error"];
    for status in order {
        for x in r.benefits.iter().filter(|x| x.status == status && x.validity == "in_force") {
            println!();
            let amount = x.amount_text.as_deref().unwrap_or_default();
            println!("[{}] {} — {} {}", x.status_text, x.name, amount, x.id);
            println!("    {}: {}", lang.pick("计算", "amount"), x.trace.as_ref().unwrap_or(&x.amount_rule));
            for f in &x.failing {
                println!("    {} {f}", lang.pick("✗ 未满足：", "✗ failed:"));
            }
            if !x.missing.is_empty() {
                println!("    {} {}", lang.pick("? 待回答：", "? needs:"), x.missing.join(", "));
            }
            println!("    {} {} {}", x.citation.document_title, x.citation.article, x.citation.number);
            println!("    「{}」", x.citation.clause);
            if let Some(funding) = &x.funding {
                println!("    {} {funding}", lang.pick("资金：", "funding:"));
            }
            if let Some(reading) = &x.reading {
                println!("    {} {reading}", lang.pick("解读：", "reading:"));
            }
        }
    }
    let expired = r.benefits.iter().filter(|x| x.validity != "in_force").count();
    println!();
    let up_to = if r.totals.up_to { lang.pick("最高 ", "up to ") } else { "" };
    let total = |s: &str| explain::money(s.parse().unwrap_or_default(), lang);
    println!(
        "{}: {up_to}{}  ({} {}, {} {})",
        lang.pick("合计", "total"),
        total(&r.totals.overall),
        lang.pick("市级", "city"),
        total(&r.totals.city),
        lang.pick("区级", "district"),
        total(&r.totals.district)
    );
    println!("{}: {}", lang.pick("不在有效期内的条款", "benefits not in force on this date"), expired);
    Ok(())
}

fn coverage_command(o: &Options) -> Result<(), Failure> {
    let b = bundle()?;
    let files = embedded_cases().map_err(|e| Failure::Rules(vec![e]))?;
    let tested = cases_by_benefit(&files);
    let documents: Vec<serde_json::Value> = b
        .documents
        .iter()
        .enumerate()
        .map(|(d, doc)| {
            let benefits: Vec<serde_json::Value> = b
                .benefits
                .iter()
                .filter(|x| x.document == d)
                .map(|x| {
                    serde_json::json!({
                        "id": x.id,
                        "article": x.article,
                        "name": x.name.get(o.lang),
                        "amount": x.amount.kind(),
                        "cases": tested.get(&x.id).cloned().unwrap_or_default(),
                    })
                })
                .collect();
            serde_json::json!({
                "id": doc.id,
                "file": doc.file,
                "title": doc.title.get(o.lang),
                "level": doc.level,
                "district": doc.district,
                "valid_from": doc.valid.from.to_string(),
                "valid_to": (!doc.valid.is_open_ended()).then(|| doc.valid.to.to_string()),
                "source": doc.source,
                "benefits": benefits,
                "left_out": doc.left_out,
            })
        })
        .collect();
    if o.json {
        print_json(&serde_json::json!({ "version": b.version, "hash": b.hash, "documents": documents }));
        return Ok(());
    }
    let mut untested = 0;
    for doc in &documents {
        println!(
            "{} [{}] {} ({} – {}), seed {} lines {}",
            doc["id"].as_str().unwrap_or(""),
            doc["file"].as_str().unwrap_or(""),
            doc["title"].as_str().unwrap_or(""),
            doc["valid_from"].as_str().unwrap_or(""),
            doc["valid_to"].as_str().unwrap_or("no end date"),
            doc["source"]["seed"].as_str().unwrap_or(""),
            doc["source"]["lines"].as_str().unwrap_or("")
        );
        for x in doc["benefits"].as_array().into_iter().flatten() {
            let cases = x["cases"].as_array().map(|c| c.len()).unwrap_or(0);
            untested += usize::from(cases == 0);
            println!(
                "  {:<12} {:<48} {:<13} {} case(s)",
                x["article"].as_str().unwrap_or(""),
                x["id"].as_str().unwrap_or(""),
                x["amount"].as_str().unwrap_or(""),
                cases
            );
        }
        let left_out = doc["left_out"].as_array().map(|l| l.len()).unwrap_or(0);
        if left_out > 0 {
            println!("  (+{left_out} clause(s) deliberately left out; see the file)");
        }
    }
    println!("{} documents, {} benefits, {} without a case", documents.len(), b.benefits.len(), untested);
    Ok(())
}

fn match_command(o: &Options) -> Result<(), Failure> {
    use huiqi::register::Columns;
    use huiqi::register_file::{read_column_map, run, MatchOptions, Register};
    use std::io::IsTerminal;
    use std::path::Path;
    let lang = o.lang;
    let [path] = o.positional.as_slice() else { return Err(Failure::Input(format!("match needs one register file (CSV or XLSX)\n{USAGE}"))) };
    // Required, so the same register gives the same results on any day.
    let Some(t) = &o.as_of else { return Err(Failure::Input(lang.pick("match 需要 --as-of YYYY-MM-DD（评估日期）", "match needs --as-of YYYY-MM-DD (the date to evaluate on)").into())) };
    let as_of = Date::parse(t).ok_or(Failure::Input(format!("--as-of `{t}` is not a date (YYYY-MM-DD)")))?;
    let failed = |e: huiqi::register_file::MatchError| Failure::Input(e.message(lang));
    let map = o.columns.as_ref().map(|m| read_column_map(Path::new(m), lang)).transpose().map_err(failed)?;
    let b = Bundle::embedded().map_err(|errors| Failure::Rules(errors.iter().map(|e| e.to_string()).collect()))?;
    let mut register = Register::open(Path::new(path), lang).map_err(failed)?;
    let columns = Columns::resolve(&b, &register.header, map.as_ref())
        .map_err(|problems| Failure::Input(problems.iter().map(|p| format!("{path}: {}", p.message(lang))).collect::<Vec<_>>().join("\n")))?;
    for notice in &register.notices {
        eprintln!("{path}: {notice}");
    }
    if !columns.unused_mappings.is_empty() {
        eprintln!("{}{}", lang.pick("映射文件中这些表头不在本文件中：", "headers of the mapping file not in this file: "), columns.unused_mappings.join(", "));
    }
    let bar = std::io::stderr().is_terminal().then(|| {
        let (_, total) = register.progress();
        let bar = indicatif::ProgressBar::new(total);
        let template = if register.is_sheet() { "{bar:40} {pos}/{len} rows {per_sec} eta {eta}" } else { "{bar:40} {bytes}/{total_bytes} {bytes_per_sec} eta {eta}" };
        bar.set_style(indicatif::ProgressStyle::with_template(template).unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()));
        bar
    });
    let started = std::time::Instant::now();
    let output = o.output.as_deref().map(Path::new);
    let (mut stdout, mut stderr) = (std::io::stdout().lock(), std::io::stderr());
    let outcome = run(&b, &mut register, &columns, MatchOptions { as_of, lang, all_possible: o.all_possible }, output, &mut stdout, &mut stderr, &mut |done, _| {
        if let Some(bar) = &bar {
            bar.set_position(done);
        }
    });
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let outcome = match outcome {
        Ok(outcome) => outcome,
        // `huiqi match … | head`: the reader has what it wanted.
        Err(e) if e.is_broken_pipe() => return Ok(()),
        Err(e) => return Err(failed(e)),
    };
    let s = &outcome.summary;
    let seconds = started.elapsed().as_secs_f64();
    let rate = if seconds > 0.0 { (s.companies as f64 / seconds).round() } else { 0.0 };
    match lang {
        Lang::Zh => eprintln!("{} 家企业，{} 家有可申请项目，{} 行结果，{} 个单元格有误；{seconds:.2} 秒（每秒 {rate} 家）", s.companies, s.with_eligible, outcome.records, s.bad_cells),
        Lang::En => eprintln!("{} companies, {} with an eligible benefit, {} result rows, {} bad cells; {seconds:.2} s ({rate} companies/s)", s.companies, s.with_eligible, outcome.records, s.bad_cells),
    }
    if outcome.undecided > 0 {
        match lang {
            Lang::Zh => eprintln!("另有 {} 项“待回答”结果未写出：它们所需的信息本表没有对应列（对每家企业都一样，已计入汇总；--all-possible 全部写出）", outcome.undecided),
            Lang::En => eprintln!("{} needs-answers results not written: they need facts this register has no column for (the same for every company; counted in the summary; --all-possible writes them)", outcome.undecided),
        }
    }
    if let Some(p) = &outcome.summary_path {
        eprintln!("{}{}", lang.pick("汇总：", "summary: "), p.display());
    }
    if let Some(p) = &outcome.problems_path {
        eprintln!("{}{}", lang.pick("有误的单元格：", "bad cells: "), p.display());
    }
    Ok(())
}
