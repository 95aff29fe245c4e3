//! `huiqi`: the command-line door to the embedded rule bundle.
//!
//!   huiqi check                      validate the rules (exit 1 on error)
//!   huiqi test                       run the rule cases in rules/*.cases.toml
//!   huiqi facts [--json]             the fact catalogue
//!   huiqi evaluate PROFILE.json [--as-of YYYY-MM-DD] [--policy-year YYYY|latest] [--json] [--lang zh|en]
//!   huiqi coverage [--json]          documents, their benefits, and the cases testing them
//!   huiqi changes [--as-of YYYY-MM-DD] [--json] [--lang zh|en]   what ends within 90 days; editions compared
//!   huiqi build RULES_DIR [-o rules.json]  compile and check rule files into a bundle
//!                                    (+ rules.json.sha256, as `loadBundle` checks it)
//!   huiqi match REGISTER.csv|.xlsx --as-of YYYY-MM-DD [--policy-year YYYY|latest] [--columns MAP.toml] [-o OUT.csv|.jsonl|.xlsx] [--lang zh|en]
//!                                    every company of a register at once (免申即享)

use huiqi::cases::{cases_by_benefit, embedded_cases, run_all};
use huiqi::explain;
use huiqi::report::report;
use huiqi::{evaluate_for, Bundle, Date, Lang, Timing};
use std::path::Path;
use std::process::ExitCode;

const USAGE: &str = "usage:
  huiqi check
  huiqi test
  huiqi facts [--json]
  huiqi evaluate PROFILE.json [--as-of YYYY-MM-DD] [--policy-year YYYY|latest] [--json] [--lang zh|en]
  huiqi coverage [--json]
  huiqi changes [--as-of YYYY-MM-DD] [--json] [--lang zh|en]
  huiqi build RULES_DIR [-o rules.json]
  huiqi match REGISTER.csv|.xlsx --as-of YYYY-MM-DD [--policy-year YYYY|latest] [--columns MAP.toml] [-o OUT.csv|.jsonl|.xlsx] [--all-possible] [--lang zh|en]

  --policy-year 2025: assess the benefits for the 2025 results (those whose period covers 2025,
  in documents in force in it) and say for each whether it can be claimed on the --as-of date;
  `latest`: the latest year with an annual edition for the profile's district (for `match`,
  each company's own district). Without it: what is in force on the --as-of date (default
  today).";

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
    policy_year: Option<String>,
    lang: Lang,
    /// `build` and `match`: the output file.
    out: Option<String>,
    /// `match`: the mapping file, and whether to write every possible row.
    columns: Option<String>,
    all_possible: bool,
}

fn options(args: &[String]) -> Result<Options, Failure> {
    let mut o = Options { positional: vec![], json: false, as_of: None, policy_year: None, lang: Lang::Zh, out: None, columns: None, all_possible: false };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--json" => o.json = true,
            "-o" | "--out" | "--output" => o.out = Some(it.next().ok_or(Failure::Input("-o needs an output file name".into()))?.clone()),
            "--all-possible" => o.all_possible = true,
            "--as-of" => o.as_of = Some(it.next().ok_or(Failure::Input("--as-of needs a date".into()))?.clone()),
            "--policy-year" => o.policy_year = Some(it.next().ok_or(Failure::Input("--policy-year needs a year such as 2025, or `latest`".into()))?.clone()),
            "--lang" => {
                let code = it.next().ok_or(Failure::Input("--lang needs zh or en".into()))?;
                o.lang = Lang::parse(code).ok_or(Failure::Input(format!("unknown language `{code}` (zh or en)")))?;
            }
            "--columns" => o.columns = Some(it.next().ok_or(Failure::Input("--columns needs a mapping file".into()))?.clone()),
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
            // Two benefits paid against the same figure: grouped or marked as stacking.
            errors.extend(huiqi::overlap::unreviewed_overlaps(&b).iter().map(|e| e.to_string()));
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
        "changes" => changes_command(&o),
        "build" => build_command(&o),
        "match" => match_command(&o),
        other => Err(Failure::Input(format!("unknown command `{other}`\n{USAGE}"))),
    }
}

/// The rule files of a directory (`*.toml`, and `facts/*.toml`) as (name, text).
fn read_rules(dir: &Path) -> Result<Vec<(String, String)>, Failure> {
    let mut files = Vec::new();
    for (sub, prefix) in [(dir.to_path_buf(), ""), (dir.join("facts"), "facts/")] {
        let entries = match std::fs::read_dir(&sub) {
            Ok(entries) => entries,
            Err(_) if !prefix.is_empty() => continue,
            Err(e) => return Err(Failure::Input(format!("{}: {e}", sub.display()))),
        };
        for entry in entries {
            let path = entry.map_err(|e| Failure::Input(format!("{}: {e}", sub.display())))?.path();
            if path.extension().is_some_and(|x| x == "toml") && path.is_file() {
                let bytes = std::fs::read(&path).map_err(|e| Failure::Input(format!("{}: {e}", path.display())))?;
                let text = String::from_utf8(bytes)
                    .map_err(|_| Failure::Input(format!("{}: 不是 UTF-8 文本 / not UTF-8 text", path.display())))?;
                files.push((format!("{prefix}{}", path.file_name().unwrap_or_default().to_string_lossy()), text));
            }
        }
    }
    Ok(files)
}

/// `huiqi build rules/ -o rules.json`: the same compiler as build.rs and the studio, plus
/// the loader's check; writes the bundle and `<out>.sha256` ("<hex>  <name>").
fn build_command(o: &Options) -> Result<(), Failure> {
    let [dir] = o.positional.as_slice() else { return Err(Failure::Input(format!("build needs one RULES_DIR\n{USAGE}"))) };
    let files = read_rules(Path::new(dir))?;
    let pairs: Vec<(&str, &str)> = files.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
    let checked = huiqi::check::check(&pairs).map_err(|errors| Failure::Rules(errors.iter().map(|e| e.to_string()).collect()))?;
    let out = o.out.clone().unwrap_or_else(|| "rules.json".into());
    let name = Path::new(&out).file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| out.clone());
    let write = |path: &str, text: &str| std::fs::write(path, text).map_err(|e| Failure::Input(format!("{path}: {e}")));
    write(&out, &checked.compiled.bundle_json)?;
    write(&format!("{out}.sha256"), &format!("{}  {name}\n", checked.compiled.hash))?;
    let b = &checked.bundle;
    println!(
        "ok: {out} (bundle {}, sha256 {}), {} documents, {} benefits, {} facts",
        b.version,
        checked.compiled.hash,
        b.documents.len(),
        b.benefits.len(),
        b.catalogue.facts.len()
    );
    Ok(())
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
    let policy_year = match o.policy_year.as_deref() {
        None => None,
        Some("latest") => {
            let district = match profile.get(b.district_fact()) {
                Some(huiqi::facts::Value::Choice(c)) => Some(c),
                _ => None,
            };
            Some(huiqi::engine::default_policy_year(&b, district, as_of).ok_or_else(|| {
                Failure::Input(format!("--policy-year latest: no annual edition applies on or before {as_of}; give a year"))
            })?)
        }
        Some(t) => match t.trim().parse::<i32>() {
            Ok(y) if (1900..=2200).contains(&y) => Some(y),
            _ => return Err(Failure::Input(format!("--policy-year `{t}` is not a year between 1900 and 2200 (or `latest`)"))),
        },
    };
    let eval = evaluate_for(&b, &profile, Timing { as_of, policy_year });
    let r = report(&b, &eval, o.lang);
    if o.json {
        print_json(&r);
        return Ok(());
    }
    let lang = o.lang;
    let year = match r.policy_year {
        Some(y) => format!("  {}", match lang {
            Lang::Zh => format!("政策年度 {y}（{y}年度业绩）"),
            Lang::En => format!("policy year {y} (results of {y})"),
        }),
        None => format!("  {}", lang.pick("当前有效（未选政策年度）", "open now (no policy year)")),
    };
    println!("{} {}{year}  {} {} ({})", lang.pick("评估日期", "as of"), r.as_of, lang.pick("规则版本", "rules"), r.bundle.version, &r.bundle.hash[..12]);
    let order = ["eligible", "alternative", "needs_answers", "superseded", "not_eligible", "error"];
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
            println!("    {} {}", lang.pick("申报：", "claim:"), x.claim_text);
            println!("    {} {} {}", x.citation.document_title, x.citation.article, x.citation.number);
            println!("    「{}」", x.citation.clause);
            if let Some(funding) = &x.funding {
                println!("    {} {funding}", lang.pick("资金：", "funding:"));
            }
            if let Some(note) = &x.non_duplication {
                println!("    {} {note}", lang.pick("不重复享受：", "paid once:"));
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
    if r.totals.closed > 0 {
        println!("{}: {} ({})", lang.pick("申报已截止、未计入合计", "applications closed, not in the total"), r.totals.closed, total(&r.totals.closed_amount));
    }
    let not_in_force = match r.policy_year {
        Some(_) => lang.pick("不适用于该政策年度的条款", "benefits not in force for this policy year"),
        None => lang.pick("不在有效期内的条款", "benefits not in force on this date"),
    };
    println!("{not_in_force}: {expired}");
    Ok(())
}

fn changes_command(o: &Options) -> Result<(), Failure> {
    let as_of = match &o.as_of {
        Some(t) => Date::parse(t).ok_or(Failure::Input(format!("--as-of `{t}` is not a date (YYYY-MM-DD)")))?,
        None => today(),
    };
    let b = bundle()?;
    let c = huiqi::api::changes(&b, huiqi::api::Options::on(as_of, o.lang), 90);
    if o.json {
        print_json(&c);
        return Ok(());
    }
    let lang = o.lang;
    println!("{} {} ({} {})", lang.pick("截至", "as of"), c.as_of, c.within_days, lang.pick("天内到期", "days ahead"));
    for e in &c.expiring {
        println!("  {}", e.text);
    }
    if c.expiring.is_empty() {
        println!("  {}", lang.pick("无到期项", "nothing ends"));
    }
    println!("{}", lang.pick("同一政策的不同年度版本：", "editions of the same policy:"));
    for e in &c.editions {
        println!("  {} → {}: +{} −{} ~{}", e.older, e.newer, e.added.len(), e.dropped.len(), e.changed.len());
        for x in &e.changed {
            for d in &x.differences {
                println!("    {} {}: {} → {}", x.newer, d.field, d.before, d.after);
            }
        }
    }
    if c.editions.is_empty() {
        println!("  {}", lang.pick("规则库中没有同一政策的两个版本", "no policy has two editions in the bundle"));
    }
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
                "valid_from_not_printed": doc.valid.from_not_printed,
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
            huiqi::explain::start_date(doc["valid_from"].as_str(), doc["valid_from_not_printed"] == true, huiqi::Lang::En),
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
    let policy_year = match o.policy_year.as_deref() {
        None => huiqi::register::PolicyYear::OpenNow,
        Some(t) => huiqi::register::PolicyYear::parse(t).ok_or_else(|| Failure::Input(format!("--policy-year `{t}` is not a year between 1900 and 2200 (or `latest`)")))?,
    };
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
    let output = o.out.as_deref().map(Path::new);
    let (mut stdout, mut stderr) = (std::io::stdout().lock(), std::io::stderr());
    let outcome = run(&b, &mut register, &columns, MatchOptions { as_of, policy_year, lang, all_possible: o.all_possible }, output, &mut stdout, &mut stderr, &mut |done, _| {
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
    if s.no_policy_year > 0 {
        match lang {
            Lang::Zh => eprintln!("{} 家企业所在区在 {as_of} 及之前没有年度政策，按当日有效的政策匹配（见有误的单元格）", s.no_policy_year),
            Lang::En => eprintln!("{} companies have no annual edition for their district on or before {as_of}: matched against what is in force on the day (see the problems)", s.no_policy_year),
        }
    }
    if s.repeated_ids > 0 {
        match lang {
            Lang::Zh => eprintln!("{} 行的企业代码与前面某行相同：两行都已匹配，都计入汇总（见有误的单元格）", s.repeated_ids),
            Lang::En => eprintln!("{} rows repeat an earlier row's company id: both were matched and both are counted in the totals (see the problems)", s.repeated_ids),
        }
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
        // Bad cells, and notes such as a repeated id (which are not bad cells).
        eprintln!("{}{}", lang.pick("有误的单元格与提示：", "bad cells and notes: "), p.display());
    }
    Ok(())
}
