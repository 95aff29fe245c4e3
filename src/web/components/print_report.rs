use crate::report::{BenefitReport, EvaluationReport};
use crate::Lang;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PrintReportProps {
    /// The totals.
    pub report: Rc<EvaluationReport>,
    /// The benefits in force, in words.
    pub benefits: Rc<Vec<Rc<BenefitReport>>>,
    pub lang: Lang,
    /// The answers given, as (question, answer) in words.
    pub answers: Rc<Vec<(String, String)>>,
}

/// The A4 report: only printed (see the print rules in style.css), never shown on
/// screen. Everything a reader needs to check it: the answers, the date, the rule
/// bundle's version and hash, each benefit with its amount and verbatim clause.
#[function_component(PrintReport)]
pub fn print_report(props: &PrintReportProps) -> Html {
    let r = &props.report;
    let lang = props.lang;
    let listed = |status: &'static str| props.benefits.iter().filter(move |b| b.validity == "in_force" && b.status == status);
    html! {
        <section class="print-report" id="print-report" aria-hidden="true">
            <h1>{ lang.pick("惠企 · 政策测算报告", "Huiqi · subsidy report") }</h1>
            <p>{ match lang {
                Lang::Zh => format!("评估日期 {}；{}；规则版本 {}，内容哈希 {}。本报告由浏览器本地计算，仅供参考，以主管部门审核为准。", r.as_of,
                    r.policy_year.map_or("当日有效的政策".to_string(), |y| format!("{y}年度业绩适用的政策")), r.bundle.version, r.bundle.hash),
                Lang::En => format!("As of {}; {}; rule bundle {}, hash {}. Computed in the browser, for guidance only: the authorities' review decides.", r.as_of,
                    r.policy_year.map_or("the policies in force on that day".to_string(), |y| format!("the policies for the company's {y} results")), r.bundle.version, r.bundle.hash),
            } }</p>
            <p class="summary">{ &r.summary }</p>
            <h2>{ lang.pick("合计", "Totals") }</h2>
            <p>{ format!("{} {} · {} {} · {} {}",
                lang.pick("合计", "Total"), r.totals.overall_text,
                lang.pick("市级", "City"), r.totals.city_text,
                lang.pick("区级", "District"), r.totals.district_text) }</p>
            <h2>{ lang.pick("可申请", "Eligible") }</h2>
            <ol>
                { for listed("eligible").map(|b| html! {
                    <li>
                        <strong>{ &b.name }</strong>{ " — " }{ b.amount_text.clone().unwrap_or_default() }
                        <br />{ b.trace.clone().unwrap_or_else(|| b.amount_rule.clone()) }
                        <br />{ format!("{} {} {}", b.citation.document_title, b.citation.article, b.citation.number) }
                        <blockquote>{ &b.citation.clause }</blockquote>
                        { format!("{} {} · {}", lang.pick("受理部门：", "Apply to: "), b.authority, b.claim_text) }
                    </li>
                }) }
            </ol>
            // What to prepare for each benefit that can still be claimed: only the materials
            // its text names, else a plain "not named" (never a list made up for it).
            <h2>{ lang.pick("申报材料清单", "Application checklist") }</h2>
            <ol class="materials-checklist" id="print-checklist">
                { for listed("eligible").filter(|b| b.claim != "closed").map(|b| html! {
                    <li>
                        <strong>{ &b.name }</strong>
                        { format!(" — {}{} · {}", lang.pick("受理部门：", "apply to: "), b.authority, b.claim_text) }
                        if b.materials.is_empty() {
                            <p class="no-materials">{ match lang {
                                Lang::Zh => format!("政策原文未列明申报材料，请向{}索取申报指南。", b.authority),
                                Lang::En => format!("The policy text names no application materials: ask {} for the application guide.", b.authority),
                            } }</p>
                        } else {
                            <ul class="materials">
                                { for b.materials.iter().map(|m| html! { <li>{ "☐ " }{ m }</li> }) }
                            </ul>
                            <p class="materials-source">{ format!("{}{}{}「{}」", lang.pick("依据：原文第", "Source: seed line "), b.materials_line.unwrap_or_default(), lang.pick("行", " "), b.materials_clause.clone().unwrap_or_default()) }</p>
                        }
                    </li>
                }) }
            </ol>
            <h2>{ lang.pick("待补充信息", "Needs more answers") }</h2>
            <ul>
                { for listed("needs_answers").map(|b| html! {
                    <li>{ format!("{} {}", b.name, b.max_amount_text.clone().unwrap_or_default()) }</li>
                }) }
            </ul>
            <h2>{ lang.pick("所填信息", "Answers given") }</h2>
            <table>
                { for props.answers.iter().map(|(q, a)| html! { <tr><td>{ q }</td><td>{ a }</td></tr> }) }
            </table>
        </section>
    }
}
