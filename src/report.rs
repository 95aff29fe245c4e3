//! The stable JSON form of an evaluation, shared by the CLI (`--json`), the JS API and
//! the tests. Money is always a string with two decimals in 元.

use crate::bundle::Bundle;
use crate::date::Date;
use crate::engine::{BenefitResult, Claim, EvalErrorKind, Evaluation, ItemResult, Status, Validity};
use crate::explain;
use crate::money::{format_wan, format_yuan};
use crate::rules::{Frequency, Level};
use crate::text::Lang;
use rust_decimal::Decimal;
use serde::Serialize;
use std::rc::Rc;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvaluationReport {
    pub bundle: BundleRef,
    pub as_of: String,
    /// The policy year asked about ("our results of 2025"); null for "open now".
    pub policy_year: Option<i32>,
    pub lang: Lang,
    pub benefits: Vec<BenefitReport>,
    /// How many benefits of the bundle are not in force on `as_of`.
    pub not_in_force: usize,
    /// Those benefits that would apply to the company's district, by name and dates
    /// (expired or not yet in force): listed, not evaluated.
    pub out_of_force: Vec<OutOfForce>,
    pub totals: TotalsReport,
    /// The results in one sentence ("你们可能可以申请 6 项，合计…"), see `summary`.
    pub summary: String,
    pub cap_adjustments: Vec<CapAdjustmentReport>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BundleRef {
    pub version: String,
    pub hash: String,
}

/// Eq as well, so that comparing two `Rc<BenefitReport>` (the app's props) is by pointer
/// first: an unchanged benefit keeps its `Rc` (see `BenefitReports`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BenefitReport {
    pub id: String,
    pub document: String,
    pub level: Level,
    pub district: Option<String>,
    pub name: String,
    /// eligible | not_eligible | needs_answers | superseded | alternative | error | not_in_force
    pub status: &'static str,
    /// in_force | expired | not_yet_in_force
    pub validity: &'static str,
    pub status_text: &'static str,
    /// 元, two decimals; null when not eligible or decided case by case.
    pub amount: Option<String>,
    pub amount_wan: Option<String>,
    /// The amount in words, as the policies write it: "最高 25万元" / "up to ¥25 万 (wan)".
    pub amount_text: Option<String>,
    pub case_by_case: bool,
    /// The amount is a ceiling (按不超过): "up to".
    pub up_to: bool,
    pub cap: Option<String>,
    /// For needs_answers, and for an amount decided case by case: the most it could be
    /// worth, where known (its cap, or the cost it is paid against if that is less).
    pub max_amount: Option<String>,
    pub max_amount_text: Option<String>,
    pub superseded_by: Option<String>,
    /// For an alternative (case by case, in a non-duplication group): the benefit of the
    /// group counted instead; the company may apply for one or the other, not both.
    pub alternative_to: Option<String>,
    /// For a superseded benefit or an alternative: which benefit of its non-duplication
    /// group is counted instead, and the clause that says only one is paid.
    pub non_duplication: Option<String>,
    pub frequency: Frequency,
    pub years: Option<u32>,
    pub amount_rule: String,
    pub trace: Option<String>,
    pub conditions: Vec<ConditionReport>,
    /// The failing conditions, in words, with the numbers.
    pub failing: Vec<String>,
    /// The facts still to answer (ids).
    pub missing: Vec<String>,
    /// The same, as the questions to ask.
    pub missing_questions: Vec<QuestionRef>,
    pub error: Option<String>,
    pub citation: Citation,
    pub authority: String,
    /// null when the text bounds the start in no way (in force from: not stated).
    pub valid_from: Option<String>,
    /// The document does not print its start: `valid_from`, if any, is only the earliest
    /// date the text allows.
    pub valid_from_not_printed: bool,
    /// null when the document states no end date.
    pub valid_to: Option<String>,
    /// The period the qualifying event must fall in (null ends: not stated).
    pub performance_from: Option<String>,
    pub performance_to: Option<String>,
    /// not_stated | open | not_yet_open | closed | after_period (see `engine::Claim`).
    pub claim: &'static str,
    /// "申报截止于2025-06-06" / "applications closed on 2025-06-06" / "申报时间未载明".
    pub claim_text: String,
    /// The application window as the text states it; all null where it states none.
    pub application_from: Option<String>,
    pub application_to: Option<String>,
    pub application_clause: Option<String>,
    pub application_line: Option<u32>,
    /// How the document's dates were read, with the seed lines.
    pub time_reading: Option<String>,
    pub reading: Option<String>,
    /// Who funds it, where the document says so without a split.
    pub funding: Option<String>,
    /// For a benefit assessed per item, listed with two or more items: each item's own
    /// outcome (the benefit's amount adds them up).
    pub items: Vec<ItemReport>,
    /// Benefits paid beside this one on purpose although they look alike, with the reason
    /// ("可与「…」同时享受：…"), where the other can apply in the company's district.
    pub stacks_with: Vec<String>,
    /// The application materials the text names, in its order; empty where it names none.
    pub materials: Vec<String>,
    /// The verbatim words naming them, and their seed line.
    pub materials_clause: Option<String>,
    pub materials_line: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemReport {
    /// 1 for the plain answers, n for `fact#n`.
    pub item: u8,
    /// "第2项：山林经济基地项目" / "Item 2: forest-economy base project".
    pub label: String,
    pub status: &'static str,
    pub amount: Option<String>,
    /// The amount in words: "最高 30万元".
    pub amount_text: Option<String>,
    /// How this item's amount was computed, or why it is not (yet) paid.
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutOfForce {
    pub id: String,
    pub name: String,
    pub document_title: String,
    /// expired | not_yet_in_force
    pub validity: &'static str,
    pub valid_from: Option<String>,
    pub valid_from_not_printed: bool,
    pub valid_to: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuestionRef {
    /// The fact's id.
    pub id: String,
    /// For a fact asked per item: the first item that still needs it (1 for the plain answer).
    pub item: u8,
    /// The question's element id in the app: `q-fact`, or `q-fact-2` for item 2.
    pub anchor: String,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConditionReport {
    pub text: String,
    pub holds: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Citation {
    pub document_title: String,
    pub issuer: String,
    pub number: String,
    pub article: String,
    pub clause: String,
    pub seed: String,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TotalsReport {
    pub province: String,
    pub city: String,
    pub district: String,
    pub overall: String,
    pub overall_wan: String,
    pub overall_text: String,
    pub province_text: String,
    pub city_text: String,
    pub district_text: String,
    pub up_to: bool,
    pub case_by_case: usize,
    pub needs_answers: usize,
    pub needs_answers_max: String,
    /// Eligible benefits whose application window has closed (not in `overall`).
    pub closed: usize,
    pub closed_amount: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CapAdjustmentReport {
    pub cap: String,
    pub before: String,
    pub after: String,
    pub clause: String,
}

fn up_to_prefix(up_to: bool, lang: Lang) -> &'static str {
    if up_to {
        lang.pick("最高 ", "up to ")
    } else {
        ""
    }
}

pub fn status_code(status: Status) -> &'static str {
    match status {
        Status::Eligible => "eligible",
        Status::NotEligible => "not_eligible",
        Status::NeedsAnswers => "needs_answers",
        Status::Superseded { .. } => "superseded",
        Status::Alternative { .. } => "alternative",
        Status::Error(_) => "error",
        Status::NotInForce => "not_in_force",
    }
}

pub fn claim_code(claim: Claim) -> &'static str {
    match claim {
        Claim::NotStated => "not_stated",
        Claim::Open { .. } => "open",
        Claim::NotYetOpen { .. } => "not_yet_open",
        Claim::Closed { .. } => "closed",
        Claim::AfterPeriod { .. } => "after_period",
    }
}

/// Whether and until when one can apply, in plain words.
pub fn claim_text(claim: Claim, lang: Lang) -> String {
    match (claim, lang) {
        (Claim::NotStated, Lang::Zh) => "申报时间未载明".into(),
        (Claim::NotStated, Lang::En) => "application window not stated".into(),
        (Claim::Open { until: Some(d) }, Lang::Zh) => format!("正在申报，截止于{d}"),
        (Claim::Open { until: Some(d) }, Lang::En) => format!("applications open until {d}"),
        (Claim::Open { until: None }, Lang::Zh) => "正在申报（截止日未载明）".into(),
        (Claim::Open { until: None }, Lang::En) => "applications open (closing date not stated)".into(),
        (Claim::NotYetOpen { opens }, Lang::Zh) => format!("申报自{opens}开始"),
        (Claim::NotYetOpen { opens }, Lang::En) => format!("applications open on {opens}"),
        (Claim::Closed { on }, Lang::Zh) => format!("申报截止于{on}"),
        (Claim::Closed { on }, Lang::En) => format!("applications closed on {on}"),
        (Claim::AfterPeriod { ends }, Lang::Zh) => format!("考核期至{ends}，期满后申报（申报时间未载明）"),
        (Claim::AfterPeriod { ends }, Lang::En) => format!("claim after the period ends on {ends} (application window not stated)"),
    }
}

fn stated(window: crate::rules::Window) -> (Option<String>, Option<String>) {
    (window.stated_from().map(|d| d.to_string()), window.stated_to().map(|d| d.to_string()))
}

pub fn validity_code(validity: Validity) -> &'static str {
    match validity {
        Validity::InForce => "in_force",
        Validity::Expired => "expired",
        Validity::NotYetInForce => "not_yet_in_force",
    }
}

pub fn report(bundle: &Bundle, eval: &Evaluation, lang: Lang) -> EvaluationReport {
    report_where(bundle, eval, lang, |_| true)
}

/// The report with only the benefits `keep` selects put in words; the totals and the
/// count of benefits not in force still cover the whole evaluation.
pub fn report_where(bundle: &Bundle, eval: &Evaluation, lang: Lang, keep: impl Fn(&BenefitResult) -> bool) -> EvaluationReport {
    EvaluationReport {
        benefits: eval.results.iter().filter(|r| keep(r)).map(|r| benefit_report(bundle, eval, r, lang)).collect(),
        out_of_force: out_of_force(bundle, eval, lang),
        ..report_totals(bundle, eval, lang)
    }
}

/// The report without any benefit in it (`benefits` and `out_of_force` empty): the totals
/// and counts, which change with almost every answer. The app adds the benefits with
/// `BenefitReports` and `out_of_force`, each only when they change.
pub fn report_totals(bundle: &Bundle, eval: &Evaluation, lang: Lang) -> EvaluationReport {
    let t = &eval.totals;
    let totals = TotalsReport {
        province: format_yuan(t.province),
        city: format_yuan(t.city),
        district: format_yuan(t.district),
        overall: format_yuan(t.overall),
        overall_wan: format_wan(t.overall),
        overall_text: format!("{}{}", up_to_prefix(t.up_to, lang), explain::money(t.overall, lang)),
        province_text: explain::money(t.province, lang),
        city_text: explain::money(t.city, lang),
        district_text: explain::money(t.district, lang),
        up_to: t.up_to,
        case_by_case: t.case_by_case,
        needs_answers: t.needs_answers,
        needs_answers_max: format_yuan(t.needs_answers_max),
        closed: t.closed,
        closed_amount: format_yuan(t.closed_amount),
    };
    EvaluationReport {
        bundle: BundleRef { version: bundle.version.clone(), hash: bundle.hash.clone() },
        as_of: eval.as_of.to_string(),
        policy_year: eval.policy_year,
        lang,
        benefits: Vec::new(),
        out_of_force: Vec::new(),
        not_in_force: eval.results.iter().filter(|r| r.validity != Validity::InForce).count(),
        summary: summary(eval, &totals, lang),
        totals,
        cap_adjustments: eval
            .cap_adjustments
            .iter()
            .map(|a| CapAdjustmentReport {
                cap: bundle.company_caps[a.cap].id.clone(),
                before: format_yuan(a.before),
                after: format_yuan(a.after),
                clause: bundle.company_caps[a.cap].clause.clone(),
            })
            .collect(),
    }
}

/// The benefits not in force on the date that would apply to the company's district (or
/// the whole city), by name and dates. Depends only on the date, the district and the
/// language.
pub fn out_of_force(bundle: &Bundle, eval: &Evaluation, lang: Lang) -> Vec<OutOfForce> {
    let district_options = &bundle.catalogue.fact(bundle.district_fact()).options;
    let district = eval.district.and_then(|c| district_options.get(c as usize)).map(|o| &o.id);
    eval
        .results
        .iter()
        .filter(|r| r.validity != Validity::InForce)
        .filter(|r| {
            // Only documents for this company's district (or the whole city).
            let doc = &bundle.documents[bundle.benefits[r.benefit].document];
            match (&doc.district, district) {
                (None, _) => true,
                (Some(d), Some(answered)) => d == answered,
                (Some(_), None) => false,
            }
        })
        .map(|r| {
            let b = &bundle.benefits[r.benefit];
            OutOfForce {
                id: b.id.clone(),
                name: b.name.get(lang).to_string(),
                document_title: bundle.documents[b.document].title.get(lang).to_string(),
                validity: validity_code(r.validity),
                valid_from: b.valid.stated_from().map(|d| d.to_string()),
                valid_from_not_printed: b.valid.from_not_printed,
                valid_to: b.valid.stated_to().map(|d| d.to_string()),
            }
        })
        .collect()
}

/// Benefits in words kept from one evaluation to the next, so that a changed answer puts
/// in words again only the benefits whose result it changed (the app re-evaluates on every
/// keystroke, and the words for every benefit in force are hundreds of KB). A reused
/// report is the same `Rc`, so a view can tell it unchanged by pointer.
#[derive(Default)]
pub struct BenefitReports {
    last: Option<(Evaluation, Lang)>,
    /// By benefit index: the report made for the result in `last`.
    reports: Vec<Option<Rc<BenefitReport>>>,
}

impl BenefitReports {
    /// The benefits of `eval` that `keep` selects, in words, as `benefit_report` gives them.
    /// Always call with the same bundle.
    pub fn update(&mut self, bundle: &Bundle, eval: &Evaluation, lang: Lang, keep: impl Fn(&BenefitResult) -> bool) -> Vec<Rc<BenefitReport>> {
        let mut reports = vec![None; bundle.benefits.len()];
        let mut kept = Vec::new();
        for r in eval.results.iter().filter(|r| keep(r)) {
            let before = match &self.last {
                // Results are in benefit order (the engine indexes them so too).
                // (A new district changes which `stacks_with` notes apply: all anew.)
                Some((last, last_lang)) if *last_lang == lang && last.district == eval.district => last
                    .results
                    .get(r.benefit)
                    .filter(|o| eval.same_result(r, last, o))
                    .and_then(|_| self.reports[r.benefit].clone()),
                _ => None,
            };
            let report = before.unwrap_or_else(|| Rc::new(benefit_report(bundle, eval, r, lang)));
            reports[r.benefit] = Some(report.clone());
            kept.push(report);
        }
        self.last = Some((eval.clone(), lang));
        self.reports = reports;
        // Most worth first, so a person acts on the largest sums first (stable: ties keep
        // the bundle's order).
        let worth: Vec<_> = eval.results.iter().map(worth_order).collect();
        kept.sort_by_cached_key(|report| bundle.benefit_index(&report.id).map(|i| worth[i]));
        kept
    }
}

/// The results in one sentence, as a person would say them: how many benefits the company
/// may claim and how much in all, how much of it has a closing date (the earliest), how
/// many must wait for the year to close, and what is left (among the benefits in force).
pub fn summary(eval: &Evaluation, totals: &TotalsReport, lang: Lang) -> String {
    let in_force = || eval.results.iter().filter(|r| r.validity == Validity::InForce);
    let eligible = || in_force().filter(|r| r.status == Status::Eligible);
    let count = |status: Status| in_force().filter(|r| r.status == status).count();
    let claimable = eligible().filter(|r| !r.claim.is_closed()).count();
    let after_period = eligible().filter(|r| matches!(r.claim, Claim::AfterPeriod { .. })).count();
    let closed = eligible().filter(|r| r.claim.is_closed()).count();
    let deadlines: Vec<(Date, Option<Decimal>)> = eligible()
        .filter_map(|r| match r.claim {
            Claim::Open { until: Some(d) } => Some((d, r.amount)),
            _ => None,
        })
        .collect();
    let by_deadline = match deadlines.iter().map(|(d, _)| *d).min() {
        None => String::new(),
        Some(earliest) => {
            let sum: Decimal = deadlines.iter().filter_map(|(_, a)| *a).sum();
            let n = deadlines.len();
            match (lang, sum.is_zero()) {
                (Lang::Zh, false) => format!("，其中 {n} 项（{}）须在截止日前申报，最早截止于 {earliest}", explain::money(sum, lang)),
                (Lang::Zh, true) => format!("，其中 {n} 项须在截止日前申报，最早截止于 {earliest}"),
                (Lang::En, false) => format!(", {n} of them ({}) by a closing date, the earliest {earliest}", explain::money(sum, lang)),
                (Lang::En, true) => format!(", {n} of them by a closing date, the earliest {earliest}"),
            }
        }
    };
    let (needs, not_eligible, not_in_force) = (count(Status::NeedsAnswers), count(Status::NotEligible), eval.results.len() - in_force().count());
    let total = &totals.overall_text;
    match lang {
        Lang::Zh => format!(
            "你们可能可以申请 {claimable} 项，合计{total}{by_deadline}{}{}；另有 {needs} 项待补充信息，{not_eligible} 项不符合，{not_in_force} 项不在有效期内。",
            if after_period == 0 { String::new() } else { format!("，{after_period} 项在年度结束后申报") },
            if closed == 0 { String::new() } else { format!("；{closed} 项符合但申报已截止（未计入合计）") },
        ),
        Lang::En => format!(
            "You may claim {claimable} {}, {total} in all{by_deadline}{}{}; {needs} more {} answers, {not_eligible} {} not met, {not_in_force} {} not in force.",
            if claimable == 1 { "benefit" } else { "benefits" },
            if after_period == 0 { String::new() } else { format!(", {after_period} of them after the year closes") },
            if closed == 0 { String::new() } else { format!("; {closed} met but applications have closed (not in the total)") },
            if needs == 1 { "needs" } else { "need" },
            if not_eligible == 1 { "is" } else { "are" },
            if not_in_force == 1 { "is" } else { "are" },
        ),
    }
}

/// The order in which a list shows benefits: a computed amount before one decided case by
/// case or not yet known, and within each, the larger amount (or ceiling) first.
pub fn worth_order(r: &BenefitResult) -> (bool, std::cmp::Reverse<Decimal>) {
    match (r.amount, r.max_amount) {
        (Some(amount), _) => (false, std::cmp::Reverse(amount)),
        (None, ceiling) => (true, std::cmp::Reverse(ceiling.unwrap_or_default())),
    }
}

/// One benefit of an evaluation in words: its conditions, amount, clause and dates.
pub fn benefit_report(bundle: &Bundle, eval: &Evaluation, r: &BenefitResult, lang: Lang) -> BenefitReport {
    let b = &bundle.benefits[r.benefit];
    let doc = &bundle.documents[b.document];
    let checks = eval.checks_of(r);
    let items: Vec<ItemReport> = eval.items_of(r).iter().map(|i| item_report(bundle, eval, i, lang)).collect();
    // With several items, each condition is said once per item, behind the item's label.
    let item_of_check = |k: usize| {
        eval.items_of(r).iter().zip(&items).find(|(i, _)| i.result.checks.contains(&(r.checks.start + k))).map(|(_, report)| &report.label)
    };
    let conditions: Vec<ConditionReport> = checks
        .iter()
        .enumerate()
        .map(|(k, c)| {
            let text = explain::check(bundle, &b.conditions[c.condition], c, lang);
            let text = match item_of_check(k) {
                Some(label) => format!("{label}{}{text}", lang.pick("：", ": ")),
                None => text,
            };
            ConditionReport { text, holds: c.holds }
        })
        .collect();
    let failing = checks
        .iter()
        .zip(&conditions)
        .filter(|(c, _)| c.holds == Some(false))
        .map(|(_, report)| report.text.clone())
        .collect();
    BenefitReport {
        id: b.id.clone(),
        document: doc.id.clone(),
        level: doc.level,
        district: doc.district.clone(),
        name: b.name.get(lang).to_string(),
        status: status_code(r.status),
        validity: validity_code(r.validity),
        status_text: explain::status_label(r.status, r.validity, lang),
        amount: r.amount.map(format_yuan),
        amount_wan: r.amount.map(format_wan),
        amount_text: match (r.amount, r.status) {
            (Some(a), _) => Some(format!("{}{}", up_to_prefix(b.up_to, lang), explain::money(a, lang))),
            (None, Status::Eligible | Status::Alternative { .. }) => {
                let decided = lang.pick("金额按具体情况核定", "amount decided case by case");
                let ceiling = r.trace.as_ref().and_then(|t| explain::case_by_case_ceiling(bundle, b, t, lang));
                Some(match (ceiling, r.max_amount) {
                    (Some(ceiling), _) => format!("{decided}{}{ceiling}", lang.pick("，", ", ")),
                    (None, Some(max)) => format!("{decided}{}{}", lang.pick("，最高 ", ", up to "), explain::money(max, lang)),
                    (None, None) => decided.into(),
                })
            }
            _ => None,
        },
        case_by_case: r.status == Status::Eligible && r.amount.is_none(),
        up_to: b.up_to,
        cap: b.cap.map(format_yuan),
        max_amount: r.max_amount.map(format_yuan),
        max_amount_text: r.max_amount.map(|m| format!("{}{}", lang.pick("最多可达 ", "could be up to "), explain::money(m, lang))),
        superseded_by: match r.status {
            Status::Superseded { by, .. } => Some(bundle.benefits[by].id.clone()),
            _ => None,
        },
        alternative_to: match r.status {
            Status::Alternative { to, .. } => Some(bundle.benefits[to].id.clone()),
            _ => None,
        },
        non_duplication: non_duplication(bundle, r.status, lang),
        frequency: b.frequency,
        years: b.years,
        amount_rule: explain::amount_rule(bundle, b, lang),
        trace: match items.is_empty() {
            true => r.trace.as_ref().zip(r.amount).map(|(t, a)| explain::amount_trace(bundle, b, t, a, lang)),
            false => Some(items.iter().map(|i| format!("{}{}{}", i.label, lang.pick("：", ": "), i.text)).collect::<Vec<_>>().join(lang.pick("；", "; "))),
        },
        conditions,
        failing,
        missing: eval.missing_of(r).iter().map(|&f| bundle.catalogue.fact(f).id.clone()).collect(),
        missing_questions: eval
            .missing_of(r)
            .iter()
            .map(|&f| {
                let fact = bundle.catalogue.fact(f);
                // Of several items, the link goes to the first one that lacks this answer.
                let item = eval.items_of(r).iter().find(|i| eval.missing_of(&i.result).contains(&f)).map_or(1, |i| i.item);
                let (anchor, label) = match item {
                    1 => (format!("q-{}", fact.id), fact.label.get(lang).to_string()),
                    n => (format!("q-{}-{n}", fact.id), format!("{}{}", fact.label.get(lang), lang.pick(&format!("（第{n}项）"), &format!(" (item {n})")))),
                };
                QuestionRef { id: fact.id.clone(), item, anchor, label }
            })
            .collect(),
        error: match r.status {
            Status::Error(EvalErrorKind::Overflow) => Some(lang.pick("数值过大，无法计算", "numbers too large to compute").into()),
            Status::Error(EvalErrorKind::DivisionByZero) => Some(lang.pick("除数为零", "division by zero").into()),
            _ => None,
        },
        citation: Citation {
            document_title: doc.title.get(lang).to_string(),
            issuer: doc.issuer.get(lang).to_string(),
            number: doc.number.clone(),
            article: b.article.clone(),
            clause: b.clause.clone(),
            seed: doc.source.seed.clone(),
            line: b.source_line,
        },
        authority: b.authority.get(lang).to_string(),
        valid_from: b.valid.stated_from().map(|d| d.to_string()),
        valid_from_not_printed: b.valid.from_not_printed,
        valid_to: b.valid.stated_to().map(|d| d.to_string()),
        performance_from: stated(b.performance).0,
        performance_to: stated(b.performance).1,
        claim: claim_code(r.claim),
        claim_text: claim_text(r.claim, lang),
        application_from: b.application.as_ref().and_then(|p| stated(p.window).0),
        application_to: b.application.as_ref().and_then(|p| stated(p.window).1),
        application_clause: b.application.as_ref().map(|p| p.clause.clone()),
        application_line: b.application.as_ref().map(|p| p.line),
        time_reading: doc.time_reading.as_ref().map(|t| t.get(lang).to_string()),
        reading: b.reading.as_ref().map(|t| t.get(lang).to_string()),
        funding: doc.funding.as_ref().map(|t| t.get(lang).to_string()),
        items,
        stacks_with: stacks_notes(bundle, eval, r.benefit, lang),
        materials: b.materials.iter().flat_map(|m| &m.list).map(|t| t.get(lang).to_string()).collect(),
        materials_clause: b.materials.as_ref().map(|m| m.clause.clone()),
        materials_line: b.materials.as_ref().map(|m| m.line),
    }
}

/// The `stacks_with` reasons touching benefit `of`, from either side, for the benefits
/// that can apply in the company's district; benefits sharing one reason are named
/// together. Depends only on the bundle and the district (so a kept report stays right
/// while the district is unchanged, see `BenefitReports`).
fn stacks_notes(bundle: &Bundle, eval: &Evaluation, of: usize, lang: Lang) -> Vec<String> {
    let district_options = &bundle.catalogue.fact(bundle.district_fact()).options;
    let district = eval.district.and_then(|c| district_options.get(c as usize)).map(|o| &o.id);
    let applies_here = |i: usize| match &bundle.documents[bundle.benefits[i].document].district {
        None => true,
        Some(d) => district == Some(d),
    };
    let own = bundle.benefits[of].stacks_with.iter().filter_map(|s| bundle.benefit_index(&s.benefit).map(|i| (i, &s.reason)));
    let others = bundle.benefits.iter().enumerate().flat_map(|(i, other)| {
        other.stacks_with.iter().filter(|s| s.benefit == bundle.benefits[of].id).map(move |s| (i, &s.reason))
    });
    let mut by_reason: Vec<(&str, Vec<&str>)> = Vec::new();
    for (i, reason) in own.chain(others).filter(|&(i, _)| i != of && applies_here(i)) {
        let (reason, name) = (reason.get(lang), bundle.benefits[i].name.get(lang));
        match by_reason.iter_mut().find(|(r, _)| *r == reason) {
            Some((_, names)) if !names.contains(&name) => names.push(name),
            Some(_) => {}
            None => by_reason.push((reason, vec![name])),
        }
    }
    by_reason
        .into_iter()
        .map(|(reason, names)| {
            let names = match lang {
                Lang::Zh => names.iter().map(|n| format!("「{n}」")).collect::<Vec<_>>().join(""),
                Lang::En => names.iter().map(|n| format!("“{n}”")).collect::<Vec<_>>().join(", "),
            };
            match lang {
                Lang::Zh => format!("可与{names}同时享受：{reason}"),
                Lang::En => format!("May be received together with {names}: {reason}"),
            }
        })
        .collect()
}

/// "Paid once with 「…」 (its group's clause)": why a superseded benefit or an alternative
/// is not counted.
fn non_duplication(bundle: &Bundle, status: Status, lang: Lang) -> Option<String> {
    let (other, group, alternative) = match status {
        Status::Superseded { by, group } => (by, group, false),
        Status::Alternative { to, group } => (to, group, true),
        _ => return None,
    };
    let name = bundle.benefits[other].name.get(lang);
    let clause = &bundle.exclusive_groups[group].clause;
    Some(match (lang, alternative) {
        (Lang::Zh, false) => format!("与「{name}」只享受其一，已计金额较高的一项。依据：「{clause}」"),
        (Lang::En, false) => format!("Paid once with “{name}”, which is worth more and is counted. Basis: 「{clause}」"),
        (Lang::Zh, true) => format!("与「{name}」只享受其一：本项金额按个案核定，可能更高，可择一申报；合计只计「{name}」。依据：「{clause}」"),
        (Lang::En, true) => format!("Paid once with “{name}”: this amount is decided case by case and may be higher, so the company may apply for either; the totals count “{name}”. Basis: 「{clause}」"),
    })
}

fn item_report(bundle: &Bundle, eval: &Evaluation, i: &ItemResult, lang: Lang) -> ItemReport {
    let r = &i.result;
    let b = &bundle.benefits[r.benefit];
    let kind = b.per_item.map(|k| bundle.catalogue.item_kinds[k].label.get(lang)).unwrap_or_default();
    let label = match lang {
        Lang::Zh => format!("第{}项{kind}", i.item),
        Lang::En => format!("item {} ({kind})", i.item),
    };
    let text = match (r.status, r.amount, &r.trace) {
        (Status::Eligible, Some(a), Some(t)) => explain::amount_trace(bundle, b, t, a, lang),
        (Status::Eligible, None, Some(t)) => explain::case_by_case_ceiling(bundle, b, t, lang)
            .unwrap_or_else(|| lang.pick("金额按具体情况核定", "amount decided case by case").into()),
        _ => {
            let failing: Vec<String> = eval
                .checks_of(r)
                .iter()
                .filter(|c| c.holds == Some(false))
                .map(|c| explain::check(bundle, &b.conditions[c.condition], c, lang))
                .collect();
            match failing.is_empty() {
                true => explain::status_label(r.status, r.validity, lang).to_string(),
                false => format!("{}{}{}", explain::status_label(r.status, r.validity, lang), lang.pick("：", ": "), failing.join(lang.pick("；", "; "))),
            }
        }
    };
    let amount_text = r.amount.map(|a| format!("{}{}", up_to_prefix(b.up_to, lang), explain::money(a, lang)));
    ItemReport { item: i.item, label, status: status_code(r.status), amount: r.amount.map(format_yuan), amount_text, text }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{evaluate, Date};
    use serde_json::json;

    /// Answer by answer, as the app re-evaluates: what `BenefitReports` gives is always
    /// what a fresh report would say, and unchanged benefits are not put in words again.
    #[test]
    fn reused_reports_match_fresh_ones() {
        let bundle = Bundle::embedded().unwrap();
        let in_force = |r: &BenefitResult| r.validity == Validity::InForce;
        let mut cache = BenefitReports::default();
        let mut answers = json!({});
        let steps: Vec<(&str, &str, &str, Lang)> = vec![
            ("2025-03-09", "", "", Lang::Zh),
            ("2025-03-09", "district", "binjiang", Lang::Zh),
            ("2025-03-09", "tech_enterprise", "true", Lang::Zh),
            ("2025-03-09", "rd_spend_prev", "1000万", Lang::Zh),
            ("2025-03-09", "rd_spend", "1200万", Lang::Zh),
            ("2025-03-09", "rd_spend", "1237万", Lang::Zh),
            ("2025-03-09", "rd_spend", "1237.0万", Lang::Zh),
            ("2025-03-09", "rd_spend", "900万", Lang::Zh),
            ("2025-03-09", "rd_spend", "900万", Lang::En),
            ("2025-03-09", "tech_sme_scale", "true", Lang::En),
            ("2024-01-01", "tech_sme_scale", "true", Lang::En),
            ("2024-01-01", "district", "linan", Lang::En),
            ("2024-01-01", "district", "linan", Lang::Zh),
        ];
        let mut reused = 0;
        let mut last: Vec<Rc<BenefitReport>> = Vec::new();
        for (as_of, fact, text, lang) in steps {
            if !fact.is_empty() {
                answers[fact] = json!(text);
            }
            let (profile, errors) = bundle.catalogue.read_profile(&answers);
            assert!(errors.is_empty(), "{errors:?}");
            let eval = evaluate(&bundle, &profile, Date::parse(as_of).unwrap());
            let kept = cache.update(&bundle, &eval, lang, in_force);
            // The kept list is in order of worth; the report in bundle order.
            let mut fresh = report_where(&bundle, &eval, lang, in_force).benefits;
            fresh.sort_by_cached_key(|b| worth_order(&eval.results[bundle.benefit_index(&b.id).unwrap()]));
            assert_eq!(kept.iter().map(|b| (**b).clone()).collect::<Vec<_>>(), fresh, "{as_of} {fact}={text} {lang:?}");
            reused += kept.iter().filter(|b| last.iter().any(|l| Rc::ptr_eq(l, b))).count();
            last = kept;
        }
        assert!(reused > 1000, "only {reused} reports reused");
    }
}
