//! The engine and the validator on small hand-made bundles, so each mechanism
//! (three-valued status, caps, non-duplication, per-company caps, cost sharing,
//! validity, district) and each rule error is tested on its own.

use huiqi::report::report;
use huiqi::{evaluate, Bundle, Date, Lang, Status, Validity};
use rust_decimal::Decimal;
use serde_json::{json, Value};

fn facts() -> Value {
    json!({
        "section": [{"id": "s", "label": {"zh": "节", "en": "section"}}],
        "fact": [
            {"id": "district", "kind": "choice", "section": "s", "label": {"zh": "区", "en": "district"},
             "options": [{"id": "binjiang", "label": {"zh": "滨江区", "en": "Binjiang"}},
                         {"id": "linan", "label": {"zh": "临安区", "en": "Lin'an"}},
                         {"id": "outside_hangzhou", "label": {"zh": "杭州市以外", "en": "outside"}}]},
            {"id": "rd_spend", "kind": "money", "section": "s", "label": {"zh": "研发投入", "en": "R&D spend"}},
            {"id": "rd_spend_prev", "kind": "money", "section": "s", "label": {"zh": "上年研发投入", "en": "previous R&D"}},
            {"id": "sme", "kind": "bool", "section": "s", "label": {"zh": "中小企业", "en": "SME"}},
            {"id": "staff", "kind": "count", "section": "s", "label": {"zh": "人数", "en": "staff"}}
        ],
        "derived": [{"id": "rd_increase", "formula": "rd_spend - rd_spend_prev", "label": {"zh": "研发新增额", "en": "R&D increase"}}]
    })
}

fn benefit(id: &str, when: &[&str], amount: Value) -> Value {
    json!({
        "id": id, "article": "（一）", "name": {"zh": id, "en": id}, "clause": "原文", "source_line": 1,
        "when": when, "amount": amount, "frequency": "yearly",
        "authority": {"zh": "区科技局", "en": "bureau"}
    })
}

fn document(id: &str, district: Option<&str>, benefits: Vec<Value>) -> Value {
    let mut doc = json!({
        "file": format!("rules/{id}.toml"),
        "document": {
            "id": id, "title": {"zh": "文件", "en": "document"}, "issuer": {"zh": "政府", "en": "government"},
            "level": if district.is_some() { "district" } else { "city" },
            "valid_from": "2024-01-01", "valid_to": "2024-12-31", "validity_clause": "2024年全年有效",
            "source": {"seed": "seed.txt", "lines": "1-2"}
        },
        "benefit": benefits
    });
    if let Some(d) = district {
        doc["document"]["district"] = json!(d);
    }
    doc
}

fn load(documents: Vec<Value>) -> Result<Bundle, Vec<String>> {
    let bundle = json!({"version": "test", "facts": facts(), "documents": documents});
    Bundle::from_json(&bundle.to_string(), "0".repeat(64).as_str()).map_err(|e| e.iter().map(|x| x.to_string()).collect())
}

fn run(bundle: &Bundle, answers: Value, as_of: &str) -> huiqi::Evaluation {
    let (profile, errors) = bundle.catalogue.read_profile(&answers);
    assert!(errors.is_empty(), "{errors:?}");
    evaluate(bundle, &profile, Date::parse(as_of).unwrap())
}

fn wan(n: i64) -> Decimal {
    Decimal::from(n * 10_000)
}

fn rd_bundle() -> Bundle {
    load(vec![document(
        "d",
        Some("binjiang"),
        vec![benefit(
            "rd",
            &["sme", "rd_increase >= 200万"],
            json!({"kind": "rate", "rate": "5%", "of": "rd_increase"}),
        )
        .as_object()
        .cloned()
        .map(|mut b| {
            b.insert("cap".into(), json!("200万"));
            b.insert("up_to".into(), json!(true));
            Value::Object(b)
        })
        .unwrap()],
    )])
    .unwrap()
}

#[test]
fn three_valued_status_with_numbers() {
    let b = rd_bundle();
    let e = run(&b, json!({"district": "binjiang", "sme": true, "rd_spend": "1500万", "rd_spend_prev": "1000万"}), "2024-06-30");
    assert_eq!(e.results[0].status, Status::Eligible);
    assert_eq!(e.results[0].amount, Some(wan(25)));
    assert_eq!(e.totals.district, wan(25));
    assert!(e.totals.up_to);

    // Just below the threshold: not eligible, and the explanation carries the numbers.
    let e = run(&b, json!({"district": "binjiang", "sme": true, "rd_spend": "1199.99万", "rd_spend_prev": "1000万"}), "2024-06-30");
    assert_eq!(e.results[0].status, Status::NotEligible);
    let r = report(&b, &e, Lang::Zh);
    assert_eq!(r.benefits[0].failing.len(), 1);
    assert!(r.benefits[0].failing[0].contains("现为 199.99万元"), "{}", r.benefits[0].failing[0]);
    assert!(r.benefits[0].failing[0].contains("差 100元"), "{}", r.benefits[0].failing[0]);

    // Nothing answered but the district: needs answers, worth at most the cap.
    let e = run(&b, json!({"district": "binjiang"}), "2024-06-30");
    let r0 = &e.results[0];
    assert_eq!(r0.status, Status::NeedsAnswers);
    assert_eq!(r0.max_amount, Some(wan(200)));
    let missing: Vec<&str> = e.missing_of(r0).iter().map(|&f| b.catalogue.fact(f).id.as_str()).collect();
    assert_eq!(missing, ["sme", "rd_spend", "rd_spend_prev"]);

    // A known failure settles it even with other answers missing.
    let e = run(&b, json!({"district": "binjiang", "sme": false}), "2024-06-30");
    assert_eq!(e.results[0].status, Status::NotEligible);
}

#[test]
fn cap_binds() {
    let b = rd_bundle();
    let e = run(&b, json!({"district": "binjiang", "sme": true, "rd_spend": "5亿", "rd_spend_prev": "1亿"}), "2024-06-30");
    assert_eq!(e.results[0].amount, Some(wan(200)));
    assert!(e.results[0].trace.as_ref().unwrap().capped);
    assert_eq!(e.results[0].trace.as_ref().unwrap().uncapped, wan(2000));
}

#[test]
fn district_documents_apply_only_in_their_district() {
    let b = rd_bundle();
    let e = run(&b, json!({"district": "linan", "sme": true, "rd_spend": "1500万", "rd_spend_prev": "1000万"}), "2024-06-30");
    assert_eq!(e.results[0].status, Status::NotEligible);
    let r = report(&b, &e, Lang::En);
    assert!(r.benefits[0].failing[0].contains("Binjiang"), "{:?}", r.benefits[0].failing);
}

#[test]
fn validity_windows() {
    let b = rd_bundle();
    let answers = json!({"district": "binjiang", "sme": true, "rd_spend": "1500万", "rd_spend_prev": "1000万"});
    assert_eq!(run(&b, answers.clone(), "2023-12-31").results[0].validity, Validity::NotYetInForce);
    assert_eq!(run(&b, answers.clone(), "2024-01-01").results[0].validity, Validity::InForce);
    assert_eq!(run(&b, answers.clone(), "2024-12-31").results[0].validity, Validity::InForce);
    let e = run(&b, answers, "2025-01-01");
    assert_eq!(e.results[0].validity, Validity::Expired);
    // Benefits out of force are listed with their dates, not evaluated, never counted.
    assert_eq!(e.results[0].status, Status::NotInForce);
    assert_eq!(e.totals.overall, Decimal::ZERO);
}

#[test]
fn a_start_date_the_text_does_not_print_is_reported_as_such() {
    // 自印发之日起施行 with no issue date printed: valid_from is only the earliest date the
    // text allows; a benefit with its own printed start keeps that start.
    let mut own_start = benefit("own", &["sme"], json!({"kind": "fixed", "value": "1万"}));
    own_start["valid_from"] = json!("2024-03-01");
    let mut doc = document("d", Some("binjiang"), vec![benefit("b1", &["sme"], json!({"kind": "fixed", "value": "1万"})), own_start]);
    doc["document"]["from_not_printed"] = json!(true);
    let b = load(vec![doc]).expect("bundle loads");
    assert!(b.documents[0].valid.from_not_printed);
    let answers = json!({"district": "binjiang", "sme": true});
    assert_eq!(run(&b, answers.clone(), "2023-12-31").results[0].validity, Validity::NotYetInForce);
    let e = run(&b, answers, "2024-06-30");
    let r = report(&b, &e, Lang::En);
    let first = r.benefits.iter().find(|x| x.id == "b1").unwrap();
    let own = r.benefits.iter().find(|x| x.id == "own").unwrap();
    assert!(first.valid_from_not_printed && !own.valid_from_not_printed);
    assert_eq!(
        huiqi::explain::start_date(first.valid_from.as_deref(), first.valid_from_not_printed, Lang::En),
        "start date not printed (not before 2024-01-01)"
    );
    assert_eq!(huiqi::explain::start_date(own.valid_from.as_deref(), own.valid_from_not_printed, Lang::Zh), "2024-03-01");
    assert!(huiqi::api::documents(&b)[0].valid_from_not_printed);

    // An undated plan: no start at all, in force on any date until its end.
    let mut undated = document("d", Some("binjiang"), vec![benefit("b1", &["sme"], json!({"kind": "fixed", "value": "1万"}))]);
    undated["document"].as_object_mut().unwrap().remove("valid_from");
    assert!(errors_of(vec![undated.clone()]).contains("valid_from is missing (write from_not_printed = true"));
    undated["document"]["from_not_printed"] = json!(true);
    let b = load(vec![undated]).expect("an undated document loads");
    let e = run(&b, json!({"district": "binjiang", "sme": true}), "2001-01-01");
    assert_eq!(e.results[0].validity, Validity::InForce);
    let r = report(&b, &e, Lang::Zh);
    assert_eq!(huiqi::explain::start_date(r.benefits[0].valid_from.as_deref(), r.benefits[0].valid_from_not_printed, Lang::Zh), "起始日未印明");
}

#[test]
fn a_bound_with_fractions_of_a_fen_is_rounded_down_not_up() {
    // 6 booths' share of the fees and the like divide: the ceiling 3333.333… must give
    // 3333.33, never 3333.34, which would pass it.
    let mut b1 = benefit("b1", &["sme"], json!({"kind": "rate", "rate": "100%", "of": "rd_spend"}));
    b1["bounded_by"] = json!("rd_spend / 3");
    let b = load(vec![document("d", Some("binjiang"), vec![b1])]).expect("bundle loads");
    let e = run(&b, json!({"district": "binjiang", "sme": true, "rd_spend": "10000.01"}), "2024-06-30");
    assert_eq!(e.results[0].amount, Some(Decimal::new(333_333, 2)));
}

fn exclusive_bundle(cap: Option<&str>) -> Bundle {
    let mut doc = document(
        "d",
        Some("binjiang"),
        vec![
            benefit("small", &["sme"], json!({"kind": "fixed", "value": "20万"})),
            benefit("big", &["sme"], json!({"kind": "fixed", "value": "50万"})),
            benefit("other", &["sme"], json!({"kind": "fixed", "value": "30万"})),
        ],
    );
    doc["exclusive"] = json!([{"id": "g", "benefits": ["small", "big"], "clause": "从优、就高、不重复"}]);
    if let Some(cap) = cap {
        doc["company_cap"] = json!([{"id": "c", "benefits": ["small", "big", "other"], "cap": cap, "clause": "每家企业每年最高"}]);
    }
    load(vec![doc]).unwrap()
}

#[test]
fn non_duplication_pays_the_best_once() {
    let b = exclusive_bundle(None);
    let e = run(&b, json!({"district": "binjiang", "sme": true}), "2024-06-30");
    let big = b.benefit_index("big").unwrap();
    assert!(matches!(e.results[b.benefit_index("small").unwrap()].status, Status::Superseded { by, .. } if by == big));
    assert_eq!(e.results[big].status, Status::Eligible);
    assert_eq!(e.totals.overall, wan(80));
}

#[test]
fn per_company_cap_binds_the_total() {
    let b = exclusive_bundle(Some("60万"));
    let e = run(&b, json!({"district": "binjiang", "sme": true}), "2024-06-30");
    assert_eq!(e.totals.overall, wan(60));
    assert_eq!(e.totals.district, wan(60));
    assert_eq!(e.cap_adjustments.len(), 1);
    assert_eq!(e.cap_adjustments[0].before, wan(80));
    // Under the cap nothing changes.
    let b = exclusive_bundle(Some("100万"));
    assert_eq!(run(&b, json!({"district": "binjiang", "sme": true}), "2024-06-30").totals.overall, wan(80));
}

#[test]
fn city_district_cost_sharing() {
    let mut shared = benefit("shared", &["sme"], json!({"kind": "fixed", "value": "1000000.01元"}));
    shared["cost_share"] = json!({"city": "50%", "district": "50%"});
    let b = load(vec![document("d", Some("binjiang"), vec![shared])]).unwrap();
    let e = run(&b, json!({"district": "binjiang", "sme": true}), "2024-06-30");
    // Halves are rounded to fen and still add up exactly.
    assert_eq!(e.totals.city, Decimal::new(500_000_01, 2));
    assert_eq!(e.totals.district, Decimal::new(500_000_00, 2));
    assert_eq!(e.totals.city + e.totals.district, e.totals.overall);
}

#[test]
fn province_city_district_one_to_one_to_one() {
    let mut shared = benefit("shared", &["sme"], json!({"kind": "fixed", "value": "90万"}));
    shared["cost_share"] = json!({"province": "33.3333%", "city": "33.3333%", "district": "33.3334%"});
    let b = load(vec![document("d", None, vec![shared])]).unwrap();
    let e = run(&b, json!({"district": "binjiang", "sme": true}), "2024-06-30");
    assert_eq!(e.totals.province, Decimal::new(299_999_70, 2));
    assert_eq!(e.totals.city, Decimal::new(299_999_70, 2));
    assert_eq!(e.totals.province + e.totals.city + e.totals.district, wan(90));
}

#[test]
fn case_by_case_member_loses_when_its_cap_cannot_win_else_is_an_alternative() {
    let mut small_cbc = benefit("cbc-small", &["sme"], json!({"kind": "case_by_case"}));
    small_cbc["cap"] = json!("40万");
    let mut big_cbc = benefit("cbc-big", &["sme"], json!({"kind": "case_by_case"}));
    big_cbc["cap"] = json!("80万");
    let mut doc = document(
        "d",
        Some("binjiang"),
        vec![benefit("paid", &["sme"], json!({"kind": "fixed", "value": "50万"})), small_cbc, big_cbc],
    );
    doc["exclusive"] = json!([{"id": "g", "benefits": ["paid", "cbc-small", "cbc-big"], "clause": "不重复"}]);
    let b = load(vec![doc]).unwrap();
    let e = run(&b, json!({"district": "binjiang", "sme": true}), "2024-06-30");
    assert_eq!(e.results[0].status, Status::Eligible);
    assert!(matches!(e.results[1].status, Status::Superseded { by: 0, .. }));
    // Its cap might beat the winner: an alternative to it, not paid beside it.
    assert!(matches!(e.results[2].status, Status::Alternative { to: 0, .. }));
    assert_eq!(e.totals.overall, wan(50));
    assert_eq!(e.totals.case_by_case, 0);
}

/// The defect of issue 12 item 5: an uncapped case-by-case member used to stay eligible
/// beside the winner of its own group, as if the group did not exist.
#[test]
fn uncapped_case_by_case_member_is_an_alternative_not_paid_beside_the_winner() {
    let mut doc = document(
        "d",
        Some("binjiang"),
        vec![
            benefit("paid", &["sme"], json!({"kind": "fixed", "value": "50万"})),
            benefit("open", &["sme"], json!({"kind": "case_by_case"})),
            benefit("outside", &["sme"], json!({"kind": "case_by_case"})),
        ],
    );
    doc["exclusive"] = json!([{"id": "g", "benefits": ["paid", "open"], "clause": "不重复"}]);
    let b = load(vec![doc]).unwrap();
    let e = run(&b, json!({"district": "binjiang", "sme": true}), "2024-06-30");
    assert_eq!(e.results[0].status, Status::Eligible);
    assert_eq!(e.results[1].status, Status::Alternative { to: 0, group: 0 });
    // Only the case-by-case benefit outside any group is counted as case by case.
    assert_eq!(e.totals.case_by_case, 1);
    assert_eq!(e.totals.overall, wan(50));
    let r = report(&b, &e, Lang::En);
    let open = r.benefits.iter().find(|x| x.id == "open").unwrap();
    assert_eq!((open.status, open.alternative_to.as_deref()), ("alternative", Some("paid")));
    assert!(!open.case_by_case);
    let note = open.non_duplication.as_deref().unwrap();
    assert!(note.contains("“paid”") && note.contains("不重复"), "{note}");
    let paid = r.benefits.iter().find(|x| x.id == "paid").unwrap();
    assert_eq!(paid.non_duplication, None);
    // When the winner is not eligible, the case-by-case member is paid as before.
    let e = run(&b, json!({"district": "binjiang", "sme": false}), "2024-06-30");
    assert_eq!(e.results[1].status, Status::NotEligible);
}

#[test]
fn a_group_of_case_by_case_members_still_pays_one() {
    let mut doc = document(
        "d",
        Some("binjiang"),
        vec![benefit("first", &["sme"], json!({"kind": "case_by_case"})), benefit("second", &[], json!({"kind": "case_by_case"}))],
    );
    doc["exclusive"] = json!([{"id": "g", "benefits": ["first", "second"], "clause": "不重复"}]);
    let b = load(vec![doc]).unwrap();
    let e = run(&b, json!({"district": "binjiang", "sme": true}), "2024-06-30");
    assert_eq!(e.results[0].status, Status::Eligible);
    assert_eq!(e.results[1].status, Status::Alternative { to: 0, group: 0 });
    assert_eq!(e.totals.case_by_case, 1);
    // The first listed not eligible: the second stands alone.
    let e = run(&b, json!({"district": "binjiang", "sme": false}), "2024-06-30");
    assert_eq!(e.results[1].status, Status::Eligible);
    assert_eq!(e.totals.case_by_case, 1);
}

#[test]
fn city_documents_apply_anywhere_in_hangzhou() {
    let b = load(vec![document("c", None, vec![benefit("x", &["sme"], json!({"kind": "fixed", "value": "1万"}))])]).unwrap();
    assert_eq!(run(&b, json!({"district": "linan", "sme": true}), "2024-06-30").results[0].status, Status::Eligible);
    assert_eq!(run(&b, json!({"district": "outside_hangzhou", "sme": true}), "2024-06-30").results[0].status, Status::NotEligible);
}

#[test]
fn tiers_per_unit_and_case_by_case() {
    let b = load(vec![document(
        "d",
        Some("binjiang"),
        vec![
            benefit("per", &["staff >= 1"], json!({"kind": "per_unit", "value": "15万", "count": "staff"})),
            benefit("tier", &[], json!({"kind": "tiers", "tiers": [
                {"when": "staff >= 100", "value": "30万"}, {"when": "staff >= 10", "value": "20万"}]})),
            benefit("cbc", &["sme"], json!({"kind": "case_by_case"})),
        ],
    )])
    .unwrap();
    let e = run(&b, json!({"district": "binjiang", "staff": 12, "sme": true}), "2024-06-30");
    assert_eq!(e.results[0].amount, Some(wan(180)));
    assert_eq!(e.results[1].amount, Some(wan(20)));
    assert_eq!((e.results[2].status, e.results[2].amount), (Status::Eligible, None));
    assert_eq!(e.totals.case_by_case, 1);
    // No tier applies: not eligible.
    let e = run(&b, json!({"district": "binjiang", "staff": 3}), "2024-06-30");
    assert_eq!(e.results[1].status, Status::NotEligible);
}

#[test]
fn extreme_answers_never_panic() {
    let b = rd_bundle();
    for answers in [
        json!({"district": "binjiang", "sme": true, "rd_spend": "10万亿", "rd_spend_prev": "0"}),
        json!({"district": "binjiang", "sme": true, "rd_spend": "0", "rd_spend_prev": "10万亿"}),
    ] {
        let e = run(&b, answers, "2024-06-30");
        let r = &e.results[0];
        assert!(r.amount.unwrap_or_default() >= Decimal::ZERO && r.amount.unwrap_or_default() <= wan(200));
    }
    // Out-of-range and malformed answers are rejected one by one; the rest are kept.
    let (profile, errors) = b.catalogue.read_profile(&json!({
        "district": "haidian", "sme": "maybe", "rd_spend": "-5", "rd_spend_prev": "1e30", "staff": 1.5, "nope": 1
    }));
    assert_eq!(errors.len(), 6, "{errors:?}");
    assert!(profile.values.iter().all(|v| v.is_none()));
    let (profile, errors) = b.catalogue.read_profile(&json!({"district": "binjiang", "rd_spend": "abc"}));
    assert_eq!(errors.len(), 1);
    assert!(profile.values[0].is_some());
    assert_eq!(errors[0].message(Lang::Zh), "rd_spend: “abc”不是有效数字");
    assert_eq!(errors[0].message(Lang::En), "rd_spend: “abc” is not a number");
}

fn errors_of(documents: Vec<Value>) -> String {
    load(documents).err().expect("the bundle should be rejected").join("\n")
}

#[test]
fn rule_errors_name_file_and_benefit() {
    let unknown_fact = errors_of(vec![document("d", Some("binjiang"), vec![benefit("b1", &["revenue >= 1万"], json!({"kind": "case_by_case"}))])]);
    assert!(unknown_fact.contains("rules/d.toml: benefit `b1`: `revenue >= 1万`: unknown fact `revenue`"), "{unknown_fact}");

    let mismatch = errors_of(vec![document("d", Some("binjiang"), vec![benefit("b1", &["rd_spend >= 200"], json!({"kind": "case_by_case"}))])]);
    assert!(mismatch.contains("benefit `b1`") && mismatch.contains("cannot compare a money with a count"), "{mismatch}");

    let mut no_quote = benefit("b1", &[], json!({"kind": "fixed", "value": "1万"}));
    no_quote["clause"] = json!(" ");
    let missing = errors_of(vec![document("d", Some("binjiang"), vec![no_quote])]);
    assert!(missing.contains("benefit `b1`: clause (the verbatim quote) is missing"), "{missing}");

    let twice = errors_of(vec![document(
        "d",
        Some("binjiang"),
        vec![benefit("b1", &[], json!({"kind": "case_by_case"})), benefit("b1", &[], json!({"kind": "case_by_case"}))],
    )]);
    assert!(twice.contains("benefit `b1`: benefit id used twice"), "{twice}");

    let mut bad_dates = document("d", Some("binjiang"), vec![]);
    bad_dates["document"]["valid_from"] = json!("2025-01-01");
    assert!(errors_of(vec![bad_dates]).contains("valid_from 2025-01-01 is after valid_to 2024-12-31"));

    let mut outside = benefit("b1", &[], json!({"kind": "case_by_case"}));
    outside["valid_to"] = json!("2025-06-30");
    let outlasts = errors_of(vec![document("d", Some("binjiang"), vec![outside.clone()])]);
    assert!(outlasts.contains("ends after the document's 2024-12-31: only a benefit with its own stated period"), "{outlasts}");
    // With its own stated period (标明具体实施期限的除外) it may outlast the document, but
    // never start before it.
    outside["period_clause"] = json!("实施至2025年6月30日");
    let own = load(vec![document("d", Some("binjiang"), vec![outside.clone()])]).expect("own period accepted");
    assert_eq!(own.benefits[0].valid.to.to_string(), "2025-06-30");
    outside["valid_from"] = json!("2023-06-30");
    assert!(errors_of(vec![document("d", Some("binjiang"), vec![outside])]).contains("must be a non-empty part of the document's"));

    let bad_rate = errors_of(vec![document("d", Some("binjiang"), vec![benefit("b1", &[], json!({"kind": "rate", "rate": "5万", "of": "rd_spend"}))])]);
    assert!(bad_rate.contains("`5万` should be a rate such as 5%"), "{bad_rate}");

    let bad_option = errors_of(vec![document("d", Some("haidian"), vec![])]);
    assert!(bad_option.contains("unknown district `haidian`"), "{bad_option}");

    let mut group = document("d", Some("binjiang"), vec![benefit("b1", &[], json!({"kind": "case_by_case"}))]);
    group["exclusive"] = json!([{"id": "g", "benefits": ["b1", "ghost"], "clause": "不重复"}]);
    assert!(errors_of(vec![group]).contains("exclusive `g`: unknown benefit `ghost`"));

    let unknown_field = errors_of(vec![document("d", Some("binjiang"), vec![{
        let mut b = benefit("b1", &[], json!({"kind": "case_by_case"}));
        b["amonut"] = json!("typo");
        b
    }])]);
    assert!(unknown_field.contains("benefit `b1`: unknown field `amonut`"), "{unknown_field}");

    assert!(Bundle::from_json("{not json", "x").is_err());
}

#[test]
fn catalogue_errors_name_the_fact() {
    let mut facts = facts();
    facts["fact"].as_array_mut().unwrap().push(json!({"id": "sme", "kind": "bool", "section": "s", "label": {"zh": "重复", "en": "again"}}));
    facts["fact"].as_array_mut().unwrap().push(json!({"id": "Bad-Id", "kind": "money", "section": "nowhere", "label": {"zh": "x", "en": "x"}}));
    let bundle = json!({"version": "test", "facts": facts, "documents": []});
    let errors: Vec<String> = Bundle::from_json(&bundle.to_string(), "x").unwrap_err().iter().map(|e| e.to_string()).collect();
    let text = errors.join("\n");
    assert!(text.contains("rules/facts: fact `sme`: id used twice"), "{text}");
    assert!(text.contains("rules/facts: fact `Bad-Id`: id must be lower_snake_case"), "{text}");
    assert!(text.contains("rules/facts: fact `Bad-Id`: unknown section `nowhere`"), "{text}");
}

#[test]
fn next_questions_are_those_that_can_change_a_result() {
    let b = rd_bundle();
    let ask = |answers: Value| -> Vec<String> {
        let e = run(&b, answers, "2024-06-30");
        huiqi::engine::next_questions(&e).iter().map(|q| b.catalogue.fact(q.fact).id.clone()).collect()
    };
    assert_eq!(ask(json!({"district": "binjiang"})), ["sme", "rd_spend", "rd_spend_prev"]);
    // Once `sme` is no, nothing else about this benefit matters.
    assert!(ask(json!({"district": "binjiang", "sme": false})).is_empty());
    // Another district: nothing to ask.
    assert!(ask(json!({"district": "linan"})).is_empty());
    let e = run(&b, json!({"district": "binjiang"}), "2024-06-30");
    assert_eq!(huiqi::engine::next_questions(&e)[0].worth, wan(200));
}

#[test]
fn a_chain_of_derived_quantities_cannot_double_without_end() {
    // Each derived quantity uses the one before twice: written out, the last would have
    // 2^40 terms. The loader refuses it instead of running out of memory or stack.
    let mut facts = facts();
    let mut derived = vec![json!({"id": "d0", "formula": "rd_spend + rd_spend", "label": {"zh": "d0", "en": "d0"}})];
    for i in 1..40 {
        derived.push(json!({"id": format!("d{i}"), "formula": format!("d{} + d{}", i - 1, i - 1), "label": {"zh": "d", "en": "d"}}));
    }
    facts["derived"] = json!(derived);
    let bundle = json!({"version": "test", "facts": facts, "documents": []});
    let errors: Vec<String> = Bundle::from_json(&bundle.to_string(), "x").unwrap_err().iter().map(|e| e.to_string()).collect();
    let text = errors.join("\n");
    assert!(text.contains("rules/facts: derived `d6`: more than 256 terms once its derived quantities are written out"), "{text}");
}

#[test]
fn amounts_beyond_any_subsidy_are_refused_or_reported_not_a_panic() {
    // Found by probing the load_bundle fuzz target's path: ten grants of
    // 99999999999999999999亿 each (~10^28 元) loaded, and adding up what they could be
    // worth overflowed Decimal and panicked (tests/fuzz/corpus/load_bundle).
    let huge = |i: usize| benefit(&format!("b{i}"), &[], json!({"kind": "fixed", "value": "99999999999999999999亿"}));
    let text = errors_of(vec![document("d", None, (0..10).map(huge).collect())]);
    assert!(text.contains("benefit `b0`: `99999999999999999999亿` is more than 10万亿元, beyond any subsidy"), "{text}");
    let mut capped = benefit("c", &[], json!({"kind": "case_by_case"}));
    capped["cap"] = json!("10.0001万亿");
    assert!(errors_of(vec![document("d", None, vec![capped])]).contains("is more than 10万亿元"));
    // 10万亿 itself is still allowed.
    let mut at_limit = benefit("c", &[], json!({"kind": "case_by_case"}));
    at_limit["cap"] = json!("10万亿");
    assert!(load(vec![document("d", None, vec![at_limit])]).is_ok());

    // Valid literals, but rates that take an allowed answer past 10万亿元: each such
    // benefit is reported as too large to compute, and the totals stay sound.
    let rate = |i: usize| benefit(&format!("r{i}"), &[], json!({"kind": "rate", "rate": "100000000000000000%", "of": "rd_spend"}));
    let b = load(vec![document("d", None, (0..10).map(rate).collect())]).unwrap();
    let e = run(&b, json!({"district": "binjiang", "rd_spend": "10万亿"}), "2024-06-30");
    assert!(e.results.iter().all(|r| r.status == Status::Error(huiqi::engine::EvalErrorKind::Overflow)), "{:?}", e.results);
    assert_eq!(e.totals.overall, Decimal::ZERO);
    let r = report(&b, &e, Lang::En);
    assert_eq!(r.benefits[0].error.as_deref(), Some("numbers too large to compute"));
}

#[test]
fn coverage_is_kept_apart_and_filled_in_by_file() {
    let docs = || vec![document("d", Some("binjiang"), vec![benefit("b1", &[], json!({"kind": "case_by_case"}))])];
    let mut b = load(docs()).unwrap();
    assert!(b.documents[0].left_out.is_empty());
    let left_out = json!([{"file": "rules/d.toml", "left_out": [{"article": "（二）", "clause": "原文", "reason": {"zh": "面向个人", "en": "for people"}}]}]);
    b.add_coverage(&left_out.to_string()).unwrap();
    assert_eq!(b.documents[0].left_out[0].article, "（二）");

    let mut b = load(docs()).unwrap();
    let errors = b.add_coverage(&json!([{"file": "rules/ghost.toml", "left_out": []}]).to_string()).unwrap_err();
    assert_eq!(errors[0].to_string(), "rules/ghost.toml: left_out for a file with no document");
    let typo = json!([{"file": "rules/d.toml", "left_out": [{"artcle": "x", "clause": "x", "reason": {"zh": "x", "en": "x"}}]}]);
    assert!(b.add_coverage(&typo.to_string()).is_err());

    let embedded = Bundle::embedded_with_coverage().unwrap();
    assert!(embedded.documents.iter().any(|d| !d.left_out.is_empty()));
    assert!(!huiqi::bundle::EMBEDDED_JSON.contains("\"left_out\""), "the runtime bundle carries no left_out");
}

/// `AmountSpec` is read by hand as `#[serde(tag = "kind", deny_unknown_fields)]` would
/// read it: the same input accepted, the same messages.
#[test]
fn amounts_read_like_an_internally_tagged_enum() {
    use huiqi::rules::AmountSpec;
    let read = |text: &str| serde_json::from_str::<AmountSpec>(text).map_err(|e| e.to_string().split(" at line").next().unwrap().to_string());
    assert!(matches!(read(r#"{"kind": "fixed", "value": "1万"}"#), Ok(AmountSpec::Fixed { value }) if value == "1万"));
    assert!(matches!(read(r#"{"of": "rd_spend", "kind": "rate", "rate": "5%"}"#), Ok(AmountSpec::Rate { rate, of }) if rate == "5%" && of == "rd_spend"));
    assert!(matches!(read(r#"{"kind": "tiers", "tiers": [{"when": "sme", "value": "1万"}]}"#), Ok(AmountSpec::Tiers { tiers }) if tiers.len() == 1));
    assert!(matches!(read(r#"{"kind": "case_by_case", "note": 1}"#), Ok(AmountSpec::CaseByCase)));
    assert!(matches!(read(r#"["per_unit", "1万", "staff"]"#), Ok(AmountSpec::PerUnit { .. })));
    assert_eq!(read(r#"{"kind": "fixed", "rate": "5%"}"#).unwrap_err(), "unknown field `rate`, expected `value`");
    assert_eq!(read(r#"{"kind": "rate", "rate": "5%"}"#).unwrap_err(), "missing field `of`");
    assert_eq!(read(r#"{"kind": "fixed", "value": 5}"#).unwrap_err(), "invalid type: integer `5`, expected a string");
    assert_eq!(read(r#"{"kind": "fixed", "value": "1", "value": "2"}"#).unwrap_err(), "duplicate field `value`");
    assert_eq!(read(r#"{"value": "1"}"#).unwrap_err(), "missing field `kind`");
    assert_eq!(
        read(r#"{"kind": "fixd"}"#).unwrap_err(),
        "unknown variant `fixd`, expected one of `fixed`, `rate`, `per_unit`, `tiers`, `grant_share`, `fee_reduction`, `case_by_case`"
    );
    assert_eq!(read(r#""fixed""#).unwrap_err(), "invalid type: string \"fixed\", expected internally tagged enum AmountSpec");
    assert_eq!(read(r#"["rate", "5%"]"#).unwrap_err(), "invalid length 1, expected struct variant AmountSpec::Rate with 2 elements");
    assert_eq!(read(r#"["fixed", "1", "2"]"#).unwrap_err(), "invalid length 2, expected 1 element in sequence");
    assert_eq!(read(r#"{"kind": "tiers", "tiers": [{"when": "a", "value": "1", "x": 1}]}"#).unwrap_err(), "unknown field `x`, expected `when` or `value`");
}

/// 按…费用给予: an amount paid against a cost never exceeds it, whatever its kind or cap;
/// the cost must be known to settle the amount, and a bad bound is a rule error.
#[test]
fn an_amount_paid_against_a_cost_never_exceeds_it() {
    let mut fixed = benefit("fixed", &["sme"], json!({"kind": "fixed", "value": "50万"}));
    fixed["bounded_by"] = json!("rd_spend");
    let mut open = benefit("open", &["sme"], json!({"kind": "case_by_case"}));
    open["bounded_by"] = json!("rd_spend");
    open["cap"] = json!("40万");
    let b = load(vec![document("d", Some("binjiang"), vec![fixed, open])]).unwrap();

    let e = run(&b, json!({"district": "binjiang", "sme": true, "rd_spend": "30万"}), "2024-06-30");
    let (fixed, open) = (&e.results[0], &e.results[1]);
    assert_eq!(fixed.amount, Some(wan(30)));
    assert!(fixed.trace.as_ref().unwrap().bound_binds);
    assert_eq!((open.status, open.amount, open.max_amount), (Status::Eligible, None, Some(wan(30))));
    let words = report(&b, &e, Lang::En);
    assert!(words.benefits[0].trace.as_deref().unwrap().contains("more than R&D spend"), "{:?}", words.benefits[0].trace);
    assert!(words.benefits[1].amount_text.as_deref().unwrap().contains("the cap ¥400,000 (40万) does not bind"), "{:?}", words.benefits[1].amount_text);

    // Above the cap, the cap binds; the fixed sum below its cost is paid whole.
    let e = run(&b, json!({"district": "binjiang", "sme": true, "rd_spend": "80万"}), "2024-06-30");
    assert_eq!((e.results[0].amount, e.results[1].max_amount), (Some(wan(50)), Some(wan(40))));
    assert!(!e.results[0].trace.as_ref().unwrap().bound_binds);

    // Cost unknown: needs that answer, worth at most the cap or the fixed sum.
    let e = run(&b, json!({"district": "binjiang", "sme": true}), "2024-06-30");
    assert_eq!(e.results[0].status, Status::NeedsAnswers);
    assert_eq!(e.missing_of(&e.results[0]), &[b.catalogue.index_of("rd_spend").unwrap()]);
    assert_eq!((e.results[0].max_amount, e.results[1].max_amount), (Some(wan(50)), Some(wan(40))));

    let mut wrong = benefit("wrong", &["sme"], json!({"kind": "fixed", "value": "50万"}));
    wrong["bounded_by"] = json!("staff");
    let errors = load(vec![document("d", Some("binjiang"), vec![wrong])]).unwrap_err();
    assert!(errors.iter().any(|e| e.contains("benefit `wrong`") && e.contains("`staff` is a count")), "{errors:?}");
}

/// 单个项目: a benefit assessed per item gives each item its own conditions, amount and cap,
/// and adds them up; a fact of an item kind is read only by benefits of that kind.
#[test]
fn several_items_are_assessed_and_capped_one_by_one() {
    let mut catalogue = facts();
    catalogue["item_kind"] = json!([{"id": "project", "label": {"zh": "研发项目", "en": "R&D project"}}]);
    catalogue["fact"].as_array_mut().unwrap().push(
        json!({"id": "project_spend", "kind": "money", "section": "s", "per_item": "project", "label": {"zh": "项目投入", "en": "project spend"}}));
    let mut per_project = benefit("per-project", &["sme", "project_spend >= 300万"], json!({"kind": "rate", "rate": "10%", "of": "project_spend"}));
    per_project["per_item"] = json!("project");
    per_project["cap"] = json!("50万");
    let load_with = |benefits: Vec<Value>| {
        let bundle = json!({"version": "test", "facts": catalogue, "documents": [document("d", Some("binjiang"), benefits)]});
        Bundle::from_json(&bundle.to_string(), "0".repeat(64).as_str()).map_err(|e| e.iter().map(|x| x.to_string()).collect::<Vec<_>>())
    };
    let b = load_with(vec![per_project.clone()]).unwrap();

    // 300万 qualifies (30万), 299.9999万 does not, 800万 is capped at 50万: 80万 in all.
    let answers = json!({"district": "binjiang", "sme": true, "project_spend": "300万", "project_spend#2": "299.9999万", "project_spend#3": "800万"});
    let e = run(&b, answers, "2024-06-30");
    let r = &e.results[0];
    assert_eq!((r.status, r.amount), (Status::Eligible, Some(wan(80))));
    let items: Vec<_> = e.items_of(r).iter().map(|i| (i.item, i.result.status, i.result.amount)).collect();
    assert_eq!(items, [(1, Status::Eligible, Some(wan(30))), (2, Status::NotEligible, None), (3, Status::Eligible, Some(wan(50)))]);
    let words = report(&b, &e, Lang::Zh);
    assert_eq!(words.benefits[0].items.len(), 3);
    assert!(words.benefits[0].items[1].label.contains("第2项"), "{:?}", words.benefits[0].items[1]);

    // One item: no list. A second item whose answer is unknown leaves the sum open.
    let e = run(&b, json!({"district": "binjiang", "sme": true, "project_spend": "400万"}), "2024-06-30");
    assert_eq!((e.results[0].amount, e.items_of(&e.results[0]).len()), (Some(wan(40)), 0));
    let e = run(&b, json!({"district": "binjiang", "sme": true, "project_spend": "400万", "project_spend#2": null}), "2024-06-30");
    assert_eq!(e.results[0].amount, Some(wan(40)));

    // Item numbers: 2..=20 of a per-item fact only.
    for key in ["project_spend#1", "project_spend#21", "project_spend#02", "rd_spend#2", "nothing#2"] {
        let (_, errors) = b.catalogue.read_profile(&json!({ key: "1万" }));
        assert_eq!(errors.len(), 1, "{key}");
        assert_eq!(errors[0].fact, key);
    }
    assert_eq!(b.catalogue.answer_key("project_spend#20"), Some((b.catalogue.index_of("project_spend").unwrap(), 20)));
    assert_eq!(b.catalogue.answer_key("rd_spend#2"), None);

    // A benefit reading a per-item fact must be assessed per item of that kind.
    let mut once = benefit("once", &["project_spend >= 1万"], json!({"kind": "fixed", "value": "1万"}));
    let errors = load_with(vec![once.clone()]).unwrap_err();
    assert!(errors.iter().any(|e| e.contains("benefit `once`") && e.contains("per_item = \"project\"")), "{errors:?}");
    once["when"] = json!(["sme"]);
    once["per_item"] = json!("project");
    let errors = load_with(vec![once]).unwrap_err();
    assert!(errors.iter().any(|e| e.contains("no condition or amount reads a fact of that item kind")), "{errors:?}");
}

/// Issue 12 item 3: two benefits paid against the same figure must be grouped or marked.
#[test]
fn benefits_on_the_same_base_must_be_grouped_or_marked_as_stacking() {
    let rate = |id: &str| benefit(id, &["sme"], json!({"kind": "rate", "rate": "5%", "of": "rd_spend"}));
    let mut bounded = benefit("city-cbc", &["sme"], json!({"kind": "case_by_case"}));
    bounded["bounded_by"] = json!("rd_increase");
    let city = document("city", None, vec![bounded]);
    let district = document("d", Some("binjiang"), vec![rate("district-rate")]);
    let problems = |docs: Vec<Value>| -> Vec<String> {
        let b = load(docs).unwrap();
        huiqi::overlap::unreviewed_overlaps(&b).iter().map(|e| e.to_string()).collect()
    };

    // Neither grouped nor marked: one problem naming both ids, the shared fact and the fixes.
    let found = problems(vec![city.clone(), district.clone()]);
    assert_eq!(found.len(), 1, "{found:?}");
    for part in ["`city-cbc`", "`district-rate`", "`rd_spend`", "[[exclusive]]", "stacks_with"] {
        assert!(found[0].contains(part), "{part} not in {}", found[0]);
    }

    // A common group settles it, in whichever document it is written.
    let mut grouped = district.clone();
    grouped["exclusive"] = json!([{"id": "g", "benefits": ["district-rate", "city-cbc"], "clause": "不重复"}]);
    assert!(problems(vec![city.clone(), grouped]).is_empty());

    // So does stacks_with on either benefit, with a reason.
    let mut marked = district.clone();
    marked["benefit"][0]["stacks_with"] = json!([{"benefit": "city-cbc", "reason": {"zh": "原文写明可叠加", "en": "the text says both are paid"}}]);
    assert!(problems(vec![city.clone(), marked.clone()]).is_empty());

    // Two districts' benefits never apply to one company; nor do benefits never in force together.
    let linan = document("l", Some("linan"), vec![rate("linan-rate")]);
    assert!(problems(vec![district.clone(), linan]).is_empty());
    let mut later = document("later", None, vec![rate("later-rate")]);
    later["document"]["valid_from"] = json!("2025-01-01");
    later["document"]["valid_to"] = json!("2025-12-31");
    assert!(problems(vec![district.clone(), later]).is_empty());

    // A benefit based on another figure is no pair.
    let other = document("o", None, vec![benefit("by-staff", &["sme"], json!({"kind": "per_unit", "value": "1万", "count": "staff"}))]);
    assert!(problems(vec![district.clone(), other]).is_empty());

    // A stacks_with naming no benefit, or without a reason in both languages, is a rule error.
    let mut bad = district;
    bad["benefit"][0]["stacks_with"] = json!([{"benefit": "nope", "reason": {"zh": "", "en": "x"}}]);
    let errors = load(vec![city, bad]).unwrap_err();
    assert!(errors.iter().any(|e| e.contains("stacks_with: unknown benefit `nope`")), "{errors:?}");
    assert!(errors.iter().any(|e| e.contains("reason needs both zh and en")), "{errors:?}");
}

// ---------- time: validity, performance period, application window, policy year ----------

fn timed(answers: Value, bundle: &Bundle, as_of: &str, year: Option<i32>) -> huiqi::Evaluation {
    let (profile, errors) = bundle.catalogue.read_profile(&answers);
    assert!(errors.is_empty(), "{errors:?}");
    huiqi::evaluate_for(bundle, &profile, huiqi::Timing { as_of: Date::parse(as_of).unwrap(), policy_year: year })
}

/// A 2024 edition (validity = performance period = 2024) and a notice with no stated
/// validity whose event must happen by 2025-05-31 and whose applications close 2025-06-06.
fn timed_bundle() -> Bundle {
    let edition = document("edition-2024", Some("binjiang"), vec![benefit("yearly", &["sme"], json!({"kind": "fixed", "value": "10万"}))]);
    let mut notice = document("notice", None, vec![benefit("award", &["sme"], json!({"kind": "fixed", "value": "20万"}))]);
    let d = notice["document"].as_object_mut().unwrap();
    d.remove("valid_from");
    d.remove("valid_to");
    d.remove("validity_clause");
    d.insert("from_not_printed".into(), json!(true));
    d.insert("notes".into(), json!({"zh": "未载明有效期", "en": "no validity stated"}));
    d.insert("performance".into(), json!({"to": "2025-05-31", "clause": "5月底前完成验收", "line": 2}));
    d.insert("application".into(), json!({"to": "2025-06-06", "clause": "6月6日前报送，逾期不再受理", "line": 3}));
    load(vec![edition, notice]).unwrap()
}

#[test]
fn an_application_deadline_closes_the_claim_not_the_benefit() {
    let b = timed_bundle();
    let award = b.benefit_index("award").unwrap();
    let answers = json!({"district": "binjiang", "sme": true});
    // The day of the deadline: open, and counted.
    let e = timed(answers.clone(), &b, "2025-06-06", None);
    let r = &e.results[award];
    assert_eq!((r.validity, r.status, r.claim), (Validity::InForce, Status::Eligible, huiqi::Claim::Open { until: Date::parse("2025-06-06") }));
    assert_eq!(e.totals.overall, wan(20));
    // The day after: still in force and eligible (review and payment follow), but closed,
    // and so not in the total, which says how much was missed instead.
    let e = timed(answers, &b, "2025-06-07", None);
    let r = &e.results[award];
    assert_eq!((r.validity, r.status, r.amount), (Validity::InForce, Status::Eligible, Some(wan(20))));
    assert_eq!(r.claim, huiqi::Claim::Closed { on: Date::parse("2025-06-06").unwrap() });
    assert_eq!((e.totals.overall, e.totals.closed, e.totals.closed_amount), (Decimal::ZERO, 1, wan(20)));
    let words = report(&b, &e, Lang::En).benefits.into_iter().find(|x| x.id == "award").unwrap();
    assert_eq!((words.claim, words.claim_text.as_str()), ("closed", "applications closed on 2025-06-06"));
    assert_eq!((words.valid_from, words.valid_to), (None, None), "validity not stated");
    assert_eq!(words.application_to.as_deref(), Some("2025-06-06"));
    let zh = report(&b, &e, Lang::Zh).benefits.into_iter().find(|x| x.id == "award").unwrap();
    assert_eq!(zh.claim_text, "申报截止于2025-06-06");
    // A question only a closed benefit waits on is not worth asking any more.
    let sme = b.catalogue.index_of("sme").unwrap();
    let asks = |day: &str| huiqi::engine::next_questions(&timed(json!({"district": "binjiang"}), &b, day, None)).iter().any(|q| q.fact == sme);
    assert!(asks("2025-06-06") && !asks("2025-06-07"));
}

#[test]
fn a_policy_year_assesses_the_editions_of_that_year_and_says_when_to_claim() {
    let b = timed_bundle();
    let yearly = b.benefit_index("yearly").unwrap();
    let answers = json!({"district": "binjiang", "sme": true});
    // On 2026-12-05, "open now": the 2024 edition is out of force.
    let e = timed(answers.clone(), &b, "2026-12-05", None);
    assert_eq!((e.results[yearly].validity, e.results[yearly].status), (Validity::Expired, Status::NotInForce));
    // "Our results of 2024": assessed, and claimable now (no window is stated).
    let e = timed(answers.clone(), &b, "2026-12-05", Some(2024));
    let r = &e.results[yearly];
    assert_eq!((r.validity, r.status, r.claim), (Validity::InForce, Status::Eligible, huiqi::Claim::NotStated));
    assert_eq!(e.totals.overall, wan(10));
    assert_eq!(report(&b, &e, Lang::Zh).benefits[yearly].claim_text, "申报时间未载明");
    assert_eq!(report(&b, &e, Lang::En).policy_year, Some(2024));
    // Asked during 2024 for 2024: claim once the year has closed.
    let e = timed(answers.clone(), &b, "2024-08-01", Some(2024));
    assert_eq!(e.results[yearly].claim, huiqi::Claim::AfterPeriod { ends: Date::parse("2024-12-31").unwrap() });
    // For 2025 the 2024 edition is not assessed; for 2023 it was not yet in force.
    assert_eq!(timed(answers.clone(), &b, "2026-12-05", Some(2025)).results[yearly].validity, Validity::Expired);
    assert_eq!(timed(answers, &b, "2026-12-05", Some(2023)).results[yearly].validity, Validity::NotYetInForce);
}

#[test]
fn the_default_policy_year_is_the_latest_with_an_edition_for_the_district() {
    let b = timed_bundle();
    let district = |id: &str| b.catalogue.fact(b.district_fact()).options.iter().position(|o| o.id == id).map(|i| i as u16);
    let on = |d: &str| Date::parse(d).unwrap();
    // Binjiang has the 2024 edition; the notice has no one-year performance period.
    assert_eq!(huiqi::engine::default_policy_year(&b, district("binjiang"), on("2026-12-05")), Some(2024));
    assert_eq!(huiqi::engine::default_policy_year(&b, None, on("2026-12-05")), Some(2024));
    // Lin'an has no edition of its own, and a year not yet begun is never the default.
    assert_eq!(huiqi::engine::default_policy_year(&b, district("linan"), on("2026-12-05")), None);
    assert_eq!(huiqi::engine::default_policy_year(&b, district("binjiang"), on("2023-06-30")), None);
    // The real rules: 2025 for Binjiang on 2026-12-05 (Hangzhou 2025 is the latest edition).
    let real = Bundle::embedded().unwrap();
    let binjiang = real.catalogue.fact(real.district_fact()).options.iter().position(|o| o.id == "binjiang").map(|i| i as u16);
    assert_eq!(huiqi::engine::default_policy_year(&real, binjiang, on("2026-12-05")), Some(2025));
    assert_eq!(huiqi::engine::default_policy_year(&real, binjiang, on("2024-12-05")), Some(2024));
    // The years to choose from, latest first, each once (Binjiang 2024 and the city's 2024 measures; a 2022 edition).
    assert_eq!(huiqi::engine::policy_years(&real, binjiang, on("2026-12-05")), [2025, 2024, 2022]);
}

#[test]
fn stated_periods_are_checked() {
    let mut doc = document("d", None, vec![benefit("b", &[], json!({"kind": "fixed", "value": "1万"}))]);
    doc["document"]["application"] = json!({"clause": "申报", "line": 3});
    assert!(errors_of(vec![doc.clone()]).contains("application needs `from` or `to`"));
    doc["document"]["application"] = json!({"from": "2025-02-01", "to": "2025-01-01", "clause": "申报", "line": 3});
    assert!(errors_of(vec![doc.clone()]).contains("application starts 2025-02-01, after it ends 2025-01-01"));
    doc["document"]["application"] = json!({"to": "2025-13-01", "clause": "", "line": 0});
    let errors = errors_of(vec![doc]);
    assert!(errors.contains("`2025-13-01` is not a date") && errors.contains("needs the verbatim `clause`"), "{errors}");
}

// ---------- changes: what ends soon, and what differs between editions ----------

fn editions_bundle() -> Bundle {
    let rd = |id: &str, cap: &str| {
        let mut b = benefit(id, &["sme"], json!({"kind": "rate", "rate": "5%", "of": "rd_spend"}));
        b["cap"] = json!(cap);
        b
    };
    let fixed = |id: &str| benefit(id, &["sme"], json!({"kind": "fixed", "value": "10万"}));
    let mut older = document("e2024", Some("binjiang"), vec![rd("e2024-rd", "200万"), fixed("e2024-same"), fixed("e2024-dropped")]);
    older["document"]["series"] = json!("binjiang-policies");
    let mut newer = document("e2025", Some("binjiang"), vec![rd("e2025-rd", "300万"), fixed("e2025-same"), fixed("e2025-added")]);
    newer["document"]["series"] = json!("binjiang-policies");
    newer["document"]["valid_from"] = json!("2025-01-01");
    newer["document"]["valid_to"] = json!("2025-12-31");
    newer["document"]["application"] = json!({"from": "2026-01-01", "to": "2026-03-31", "clause": "次年一季度申报", "line": 2});
    // A benefit with its own, earlier end (an item with its own period).
    let mut early = fixed("e2025-first-quarter");
    early["valid_to"] = json!("2025-03-31");
    newer["benefit"].as_array_mut().unwrap().push(early);
    let other = document("other", None, vec![fixed("other-grant")]);
    load(vec![newer, other, older]).unwrap()
}

#[test]
fn benefits_that_differ_between_two_editions_of_a_policy() {
    use huiqi::changes::{edition_changes, BenefitChange};
    let b = editions_bundle();
    let id = |i: usize| b.benefits[i].id.as_str();
    let pairs = edition_changes(&b);
    assert_eq!(pairs.len(), 1, "one series with two editions; a document without a series has none");
    let p = &pairs[0];
    // Older first, whatever the order in the bundle.
    assert_eq!((b.documents[p.older].id.as_str(), b.documents[p.newer].id.as_str()), ("e2024", "e2025"));
    let mut seen: Vec<String> = p
        .changes
        .iter()
        .map(|c| match c {
            BenefitChange::Added { newer } => format!("added {}", id(*newer)),
            BenefitChange::Dropped { older } => format!("dropped {}", id(*older)),
            BenefitChange::Changed { older, newer, what } => {
                let fields: Vec<&str> = what.iter().map(|d| d.field).collect();
                format!("changed {}→{} {}", id(*older), id(*newer), fields.join(","))
            }
        })
        .collect();
    seen.sort();
    assert_eq!(seen, ["added e2025-added", "added e2025-first-quarter", "changed e2024-rd→e2025-rd amount", "dropped e2024-dropped"]);
    let BenefitChange::Changed { what, .. } = p.changes.iter().find(|c| matches!(c, BenefitChange::Changed { .. })).unwrap() else { unreachable!() };
    assert!(what[0].before.en.contains("capped at ¥2,000,000") && what[0].after.en.contains("capped at ¥3,000,000"), "{:?}", what[0]);
}

#[test]
fn what_ends_within_90_days() {
    use huiqi::changes::{expiring, Ending};
    let b = editions_bundle();
    let on = |d: &str| Date::parse(d).unwrap();
    let ends = |date: &str| -> Vec<(Ending, String, i64)> {
        expiring(&b, on(date), 90)
            .into_iter()
            .map(|e| (e.what, e.benefit.map_or(b.documents[e.document].id.clone(), |i| b.benefits[i].id.clone()), e.days_left))
            .collect()
    };
    // 2024-10-02 is 90 days before 2024-12-31: the 2024 edition (and the city document) end.
    assert_eq!(ends("2024-10-02"), [(Ending::Document, "other".to_string(), 90), (Ending::Document, "e2024".to_string(), 90)]);
    assert!(ends("2024-10-01").is_empty(), "91 days is outside the 90");
    // The benefit with its own end, and not the document's end.
    assert_eq!(ends("2025-03-01"), [(Ending::Benefit, "e2025-first-quarter".to_string(), 30)]);
    // The application window of the 2025 edition closes 2026-03-31; the day after, nothing.
    assert_eq!(ends("2026-03-31"), [(Ending::Application, "e2025".to_string(), 0)]);
    assert!(ends("2026-04-01").is_empty());
}


// ---------- results a person can act on (issue 13) ----------

/// A benefit's "answer these" link goes to the item that lacks the answer, not to item 1.
#[test]
fn a_settle_link_goes_to_the_first_item_that_needs_the_answer() {
    let mut catalogue = facts();
    catalogue["item_kind"] = json!([{"id": "project", "label": {"zh": "研发项目", "en": "R&D project"}}]);
    for fact in [
        json!({"id": "project_spend", "kind": "money", "section": "s", "per_item": "project", "label": {"zh": "项目投入", "en": "project spend"}}),
        json!({"id": "project_done", "kind": "bool", "section": "s", "per_item": "project", "label": {"zh": "项目已验收", "en": "project accepted"}}),
    ] {
        catalogue["fact"].as_array_mut().unwrap().push(fact);
    }
    let mut per_project = benefit("per-project", &["project_done", "project_spend >= 300万"], json!({"kind": "rate", "rate": "10%", "of": "project_spend"}));
    per_project["per_item"] = json!("project");
    let bundle = json!({"version": "test", "facts": catalogue, "documents": [document("d", Some("binjiang"), vec![per_project])]});
    let b = Bundle::from_json(&bundle.to_string(), "0".repeat(64).as_str()).unwrap();

    // Item 1 is settled; item 2 lacks "accepted": the link is to item 2's question.
    let answers = json!({"district": "binjiang", "project_done": true, "project_spend": "400万", "project_spend#2": "500万"});
    let words = report(&b, &run(&b, answers, "2024-06-30"), Lang::Zh);
    let q = &words.benefits[0].missing_questions;
    assert_eq!(q.len(), 1, "{q:?}");
    assert_eq!((q[0].id.as_str(), q[0].item, q[0].anchor.as_str()), ("project_done", 2, "q-project_done-2"));
    assert!(q[0].label.contains("第2项"), "{q:?}");

    // With only item 1 the link is the plain question's.
    let words = report(&b, &run(&b, json!({"district": "binjiang", "project_spend": "400万"}), "2024-06-30"), Lang::En);
    let q = &words.benefits[0].missing_questions;
    assert_eq!((q[0].item, q[0].anchor.as_str(), q[0].label.as_str()), (1, "q-project_done", "project accepted"));
}

/// Lists show a computed amount before one decided case by case, and the larger first.
#[test]
fn lists_show_the_most_worth_first() {
    let fixed = |id: &str, value: &str| benefit(id, &["sme"], json!({"kind": "fixed", "value": value}));
    let mut open = benefit("case-100", &["sme"], json!({"kind": "case_by_case"}));
    open["cap"] = json!("100万");
    open["up_to"] = json!(true);
    let b = load(vec![document("d", Some("binjiang"), vec![fixed("ten", "10万"), open, fixed("fifty", "50万"), fixed("five", "5万")])]).unwrap();
    let e = run(&b, json!({"district": "binjiang", "sme": true}), "2024-06-30");
    let mut kept = huiqi::report::BenefitReports::default();
    let order: Vec<String> = kept.update(&b, &e, Lang::Zh, |_| true).iter().map(|r| r.id.clone()).collect();
    assert_eq!(order, ["fifty", "ten", "five", "case-100"]);
}

/// A `stacks_with` reason is shown on both benefits, where the other applies in the district.
#[test]
fn a_stacking_reason_is_shown_on_both_cards_in_the_district_it_applies() {
    let rate = |id: &str| benefit(id, &["sme"], json!({"kind": "rate", "rate": "5%", "of": "rd_spend"}));
    let mut district = document("d", Some("binjiang"), vec![rate("district-rate")]);
    district["benefit"][0]["stacks_with"] = json!([{"benefit": "city-rate", "reason": {"zh": "对象不同", "en": "different objects"}}]);
    let b = load(vec![document("city", None, vec![rate("city-rate")]), district]).unwrap();
    let notes = |district: &str, lang: Lang| -> Vec<(String, Vec<String>)> {
        let words = report(&b, &run(&b, json!({"district": district, "sme": true, "rd_spend": "100万"}), "2024-06-30"), lang);
        words.benefits.iter().map(|r| (r.id.clone(), r.stacks_with.clone())).collect()
    };
    let binjiang = notes("binjiang", Lang::Zh);
    assert!(binjiang.contains(&("district-rate".into(), vec!["可与「city-rate」同时享受：对象不同".into()])), "{binjiang:?}");
    assert!(binjiang.contains(&("city-rate".into(), vec!["可与「district-rate」同时享受：对象不同".into()])), "{binjiang:?}");
    // In Lin'an the Binjiang benefit cannot apply: the city card says nothing of it.
    let linan = notes("linan", Lang::En);
    assert!(linan.contains(&("city-rate".into(), vec![])), "{linan:?}");

    // The kept reports follow a change of district.
    let mut kept = huiqi::report::BenefitReports::default();
    let mut city_note = |district: &str| {
        let e = run(&b, json!({"district": district, "sme": true, "rd_spend": "100万"}), "2024-06-30");
        kept.update(&b, &e, Lang::Zh, |_| true).iter().find(|r| r.id == "city-rate").unwrap().stacks_with.len()
    };
    assert_eq!((city_note("binjiang"), city_note("linan")), (1, 0));
}

/// The materials a text names reach every benefit of its document, unless one names its own.
#[test]
fn application_materials_come_from_the_document_or_the_benefit() {
    let mut own = benefit("own", &["sme"], json!({"kind": "fixed", "value": "1万"}));
    own["materials"] = json!({"clause": "提交申报书", "line": 3, "list": [{"zh": "申报书", "en": "application form"}]});
    let mut doc = document("d", Some("binjiang"), vec![benefit("plain", &["sme"], json!({"kind": "fixed", "value": "1万"})), own]);
    doc["document"]["materials"] = json!({"clause": "营业执照复印件、纳税申报表", "line": 2,
        "list": [{"zh": "营业执照复印件", "en": "copy of the business licence"}, {"zh": "纳税申报表", "en": "tax returns"}]});
    let b = load(vec![doc.clone(), document("none", Some("binjiang"), vec![benefit("bare", &["sme"], json!({"kind": "fixed", "value": "1万"}))])]).unwrap();
    let words = report(&b, &run(&b, json!({"district": "binjiang", "sme": true}), "2024-06-30"), Lang::En);
    let of = |id: &str| words.benefits.iter().find(|r| r.id == id).map(|r| (r.materials.clone(), r.materials_line)).unwrap();
    assert_eq!(of("plain"), (vec!["copy of the business licence".to_string(), "tax returns".into()], Some(2)));
    assert_eq!(of("own"), (vec!["application form".to_string()], Some(3)));
    assert_eq!(of("bare"), (vec![], None));

    // An empty list, or a material in one language only, is a rule error.
    doc["document"]["materials"]["list"] = json!([]);
    doc["benefit"][1]["materials"]["list"] = json!([{"zh": "申报书", "en": ""}]);
    let errors = load(vec![doc]).unwrap_err();
    assert!(errors.iter().any(|e| e.contains("materials.list is empty")), "{errors:?}");
    assert!(errors.iter().any(|e| e.contains("benefit `own`") && e.contains("both zh and en")), "{errors:?}");
}

/// The one-line summary names what has a closing date, with the earliest, and what closed.
#[test]
fn the_summary_says_how_much_must_be_claimed_by_when() {
    let b = timed_bundle();
    let answers = json!({"district": "binjiang", "sme": true});
    let say = |day: &str, lang: Lang| report(&b, &timed(answers.clone(), &b, day, None), lang).summary;
    // 2024-06-30: the 2024 edition (no window stated) and the notice (open until 2025-06-06).
    assert_eq!(say("2024-06-30", Lang::Zh), "你们可能可以申请 2 项，合计30万元，其中 1 项（20万元）须在截止日前申报，最早截止于 2025-06-06；另有 0 项待补充信息，0 项不符合，0 项不在有效期内。");
    // 2025-06-06: the award is open until that day.
    let zh = say("2025-06-06", Lang::Zh);
    assert!(zh.starts_with("你们可能可以申请 1 项，合计20万元，其中 1 项（20万元）须在截止日前申报，最早截止于 2025-06-06；"), "{zh}");
    let en = say("2025-06-06", Lang::En);
    assert!(en.starts_with("You may claim 1 benefit, ¥200,000 (20万) in all, 1 of them (¥200,000 (20万)) by a closing date, the earliest 2025-06-06; 0 more need answers, 0 are not met, 1 is not in force."), "{en}");
    // The day after: met, but closed, and not in the total.
    let zh = say("2025-06-07", Lang::Zh);
    assert!(zh.starts_with("你们可能可以申请 0 项，合计0元；1 项符合但申报已截止（未计入合计）；"), "{zh}");
}
