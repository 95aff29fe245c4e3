use super::benefit_card::BenefitCard;
use super::out_of_force::OutOfForceList;
use crate::report::{BenefitReport, EvaluationReport, OutOfForce};
use crate::Lang;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ResultsProps {
    /// The totals.
    pub report: Rc<EvaluationReport>,
    /// The benefits in force, in words.
    pub benefits: Rc<Vec<Rc<BenefitReport>>>,
    /// Those that would apply but are not in force on the date.
    pub out_of_force: Rc<Vec<OutOfForce>>,
    pub lang: Lang,
}

/// Totals, then the benefits in force: eligible first, then those needing answers; the
/// ones that do not apply are folded away but still explained.
#[function_component(Results)]
pub fn results(props: &ResultsProps) -> Html {
    let r = &props.report;
    let lang = props.lang;
    let in_force = |status: &'static str| {
        props.benefits.iter().filter(move |b| b.validity == "in_force" && b.status == status).collect::<Vec<_>>()
    };
    let all_eligible = in_force("eligible");
    // Grouped by when to claim: now (window open or not stated), after the year closes,
    // or no longer (window closed: not in the total).
    let when = |codes: &[&str]| all_eligible.iter().copied().filter(|b| codes.contains(&b.claim)).collect::<Vec<_>>();
    let eligible = when(&["not_stated", "open", "not_yet_open"]);
    let after_period = when(&["after_period"]);
    let closed = when(&["closed"]);
    let needs = in_force("needs_answers");
    let superseded = in_force("superseded");
    let alternatives = in_force("alternative");
    let not_eligible = in_force("not_eligible");
    let cards = |list: &[&Rc<BenefitReport>]| -> Html {
        list.iter().map(|&b| html! { <BenefitCard key={b.id.clone()} benefit={b.clone()} {lang} /> }).collect()
    };

    html! {
        <section class="results" aria-labelledby="results-title" aria-live="polite">
            <h2 id="results-title">{ lang.pick("可申请的政策", "What you can claim") }</h2>
            <div class="totals" id="totals">
                <div class="total overall">
                    <span class="label">{ lang.pick("合计", "Total") }</span>
                    <span class="value" id="total-overall">{ &r.totals.overall_text }</span>
                </div>
                <div class="total">
                    <span class="label">{ lang.pick("市级", "City") }</span>
                    <span class="value" id="total-city">{ &r.totals.city_text }</span>
                </div>
                <div class="total">
                    <span class="label">{ lang.pick("区级", "District") }</span>
                    <span class="value" id="total-district">{ &r.totals.district_text }</span>
                </div>
            </div>
            <p class="summary" id="summary">{ &r.summary }</p>
            if !eligible.is_empty() {
                <h3>{ lang.pick("现在可申请", "Claim now") }</h3>
            }
            <div class="benefit-list eligible">{ cards(&eligible) }</div>
            if !after_period.is_empty() {
                <h3>{ lang.pick("年度结束后申报", "Claim after the year closes") }</h3>
                <div class="benefit-list eligible" id="after-period">{ cards(&after_period) }</div>
            }
            if !alternatives.is_empty() {
                <h3>{ lang.pick("可替代申请（与同组已计项目不重复享受）", "Alternatives (not paid beside the benefit counted in their group)") }</h3>
                <div class="benefit-list">{ cards(&alternatives) }</div>
            }
            if !superseded.is_empty() {
                <h3>{ lang.pick("已被更优项目替代", "Superseded by a better benefit") }</h3>
                <div class="benefit-list">{ cards(&superseded) }</div>
            }
            if !needs.is_empty() {
                <h3>{ lang.pick("待补充信息", "Needs more answers") }</h3>
                <div class="benefit-list">{ cards(&needs) }</div>
            }
            if !closed.is_empty() {
                <details class="closed" id="closed">
                    <summary>{ format!("{} ({})", lang.pick("符合条件但申报已截止", "Met, but applications have closed"), closed.len()) }</summary>
                    <div class="benefit-list">{ cards(&closed) }</div>
                </details>
            }
            <OutOfForceList benefits={props.out_of_force.clone()} {lang} />
            if !not_eligible.is_empty() {
                <details class="not-eligible">
                    <summary>{ format!("{} ({})", lang.pick("不符合条件", "Not eligible"), not_eligible.len()) }</summary>
                    <div class="benefit-list">{ cards(&not_eligible) }</div>
                </details>
            }
        </section>
    }
}
