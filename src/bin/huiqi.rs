//! `huiqi`: the command-line door to the embedded rule bundle.
//!
//!   huiqi check                      validate the rules (exit 1 on error)
//!   huiqi test                       run the rule cases in rules/*.cases.toml
//!   huiqi facts [--json]             the fact catalogue
//!   huiqi evaluate PROFILE.json [--as-of YYYY-MM-DD] [--json] [--lang zh|en]
//!   huiqi coverage [--json]          documents, their benefits, and the cases testing them
//!   huiqi build RULES_DIR [-o rules.json]  compile and check rule files into a bundle
//!                                    (+ rules.json.sha256, as `loadBundle` checks it)

use huiqi::cases::{cases_by_benefit, embedded_cases, run_all};
use huiqi::explain;
use huiqi::report::report;
use huiqi::{evaluate, Bundle, Date, Lang};
use std::path::Path;
use std::process::ExitCode;

const USAGE: &str = "usage:
  huiqi check
  huiqi test
  huiqi facts [--json]
  huiqi evaluate PROFILE.json [--as-of YYYY-MM-DD] [--json] [--lang zh|en]
  huiqi coverage [--json]
  huiqi build RULES_DIR [-o rules.json]";

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
    out: Option<String>,
}

fn options(args: &[String]) -> Result<Options, Failure> {
    let mut o = Options { positional: vec![], json: false, as_of: None, lang: Lang::Zh, out: None };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--json" => o.json = true,
            "-o" | "--out" => o.out = Some(it.next().ok_or(Failure::Input("-o needs a file name".into()))?.clone()),
            "--as-of" => o.as_of = Some(it.next().ok_or(Failure::Input("--as-of needs a date".into()))?.clone()),
            "--lang" => {
                let code = it.next().ok_or(Failure::Input("--lang needs zh or en".into()))?;
                o.lang = Lang::parse(code).ok_or(Failure::Input(format!("unknown language `{code}` (zh or en)")))?;
            }
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
        "build" => build_command(&o),
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
