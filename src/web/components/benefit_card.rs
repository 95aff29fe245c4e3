use crate::report::BenefitReport;
use crate::Lang;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct BenefitCardProps {
    /// The same `Rc` while the benefit's result is unchanged: then the card is not rendered again.
    pub benefit: Rc<BenefitReport>,
    pub lang: Lang,
}

/// One benefit: status, amount and how it was computed, the conditions met and failed,
/// what is still unknown, and the verbatim clause it comes from.
#[function_component(BenefitCard)]
pub fn benefit_card(props: &BenefitCardProps) -> Html {
    let b = &props.benefit;
    let lang = props.lang;
    let amount = b.amount_text.clone().or_else(|| b.max_amount_text.clone()).unwrap_or_default();
    let mark = |holds: Option<bool>| match holds {
        Some(true) => ("met", "✓"),
        Some(false) => ("failed", "✗"),
        None => ("unknown", "?"),
    };
    // Inside <huiqi-calculator> the questions are in a shadow root, which a #fragment link
    // cannot reach: the link finds its question from the app's own root and moves there,
    // in the plain page too (and leaves the URL fragment, which holds share links, alone).
    let to_question = Callback::from(|e: MouseEvent| {
        let Some(link) = e.target_dyn_into::<web_sys::Element>() else { return };
        let (Some(target), Ok(Some(root))) = (link.get_attribute("href"), link.closest(".huiqi-root")) else { return };
        let Ok(Some(question)) = root.query_selector(&target) else { return };
        e.prevent_default();
        // A question among the folded "other questions" unfolds first.
        if let Ok(Some(folded)) = question.closest("details") {
            let _ = folded.set_attribute("open", "");
        }
        // In the middle of the screen, so its label above it shows too.
        let middle = web_sys::ScrollIntoViewOptions::new();
        middle.set_block(web_sys::ScrollLogicalPosition::Center);
        question.scroll_into_view_with_scroll_into_view_options(&middle);
        if let Some(field) = question.dyn_ref::<web_sys::HtmlElement>() {
            let _ = field.focus();
        }
    });
    html! {
        <article class={classes!("benefit", b.status)} id={format!("benefit-{}", b.id)}>
            // Eligible benefits open with their details; the rest fold to one line.
            <details open={b.status == "eligible"}>
                <summary>
                    <span class={classes!("status", b.status)}>{ b.status_text }</span>
                    <h3>{ &b.name }</h3>
                    <span class="amount">{ amount }</span>
                </summary>
                // With several items the list below says each item's computation.
                <p class="formula">{ b.trace.clone().filter(|_| b.items.is_empty()).unwrap_or_else(|| b.amount_rule.clone()) }</p>
                // Assessed per item: each item's own outcome, the amount above adds them up.
                if !b.items.is_empty() {
                    <ul class="items">
                        { for b.items.iter().map(|i| html! {
                            <li class={i.status}>
                                <strong>{ &i.label }</strong>
                                if let Some(amount) = &i.amount_text { { format!("{}{amount}", lang.pick("：", ": ")) } }
                                { " — " }{ &i.text }
                            </li>
                        }) }
                    </ul>
                }
                <ul class="conditions">
                    { for b.conditions.iter().map(|c| {
                        let (class, symbol) = mark(c.holds);
                        html! { <li class={class}><span aria-hidden="true">{ symbol }</span>{ " " }{ &c.text }</li> }
                    }) }
                </ul>
                if !b.missing_questions.is_empty() {
                    <p class="settle">
                        { lang.pick("回答这些问题即可确定：", "Answer these to settle it: ") }
                        { for b.missing_questions.iter().enumerate().map(|(i, q)| html! {
                            <>
                                if i > 0 { { lang.pick("、", ", ") } }
                                <a href={format!("#{}", q.anchor)} onclick={to_question.clone()}>{ &q.label }</a>
                            </>
                        }) }
                    </p>
                }
                <blockquote class="clause">
                    <p>{ &b.citation.clause }</p>
                    <footer>{ format!("{} {} {}", b.citation.document_title, b.citation.article, b.citation.number) }</footer>
                </blockquote>
                if let Some(note) = &b.non_duplication {
                    <p class="non-duplication"><strong>{ lang.pick("不重复享受：", "Paid once: ") }</strong>{ note }</p>
                }
                // Long readings: folded, so the card stays short.
                if !b.stacks_with.is_empty() {
                    <details class="stacks-with">
                        <summary>{ lang.pick("可同时享受的相近政策及理由", "Similar benefits paid as well, and why") }</summary>
                        { for b.stacks_with.iter().map(|note| html! { <p>{ note }</p> }) }
                    </details>
                }
                if let Some(funding) = &b.funding {
                    <p class="funding"><strong>{ lang.pick("资金：", "Funding: ") }</strong>{ funding }</p>
                }
                if let Some(reading) = &b.reading {
                    <p class="reading"><strong>{ lang.pick("解读：", "Reading: ") }</strong>{ reading }</p>
                }
                <p class="meta">
                    { format!("{} {} · {} {} – {} · {}", lang.pick("受理部门", "Apply to"), b.authority,
                        lang.pick("有效期", "Valid"), crate::explain::start_date(b.valid_from.as_deref(), b.valid_from_not_printed, lang),
                        b.valid_to.clone().unwrap_or_else(|| lang.pick("未规定", "no end date").into()), b.claim_text) }
                </p>
            </details>
        </article>
    }
}
