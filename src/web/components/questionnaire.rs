use super::question::Question;
use crate::web::SharedBundle;
use crate::Lang;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct QuestionnaireProps {
    pub bundle: SharedBundle,
    pub lang: Lang,
    /// Fact index → the answer as typed.
    pub values: Rc<BTreeMap<usize, String>>,
    /// Fact index → the message for an answer that could not be read.
    pub errors: Rc<BTreeMap<usize, String>>,
    /// The facts to ask: those answered and those that can still change a result.
    pub asked: Rc<BTreeSet<usize>>,
    pub on_answer: Callback<(String, String)>,
}

/// The questions, by section, in catalogue order (so the form never jumps about as
/// questions appear), with how many of them are answered.
#[function_component(Questionnaire)]
pub fn questionnaire(props: &QuestionnaireProps) -> Html {
    let catalogue = &props.bundle.0.catalogue;
    let lang = props.lang;
    let answered = props.asked.iter().filter(|f| props.values.contains_key(f)).count();
    let total = props.asked.len();

    let sections = catalogue.sections.iter().filter_map(|section| {
        let facts: Vec<usize> =
            props.asked.iter().copied().filter(|&f| catalogue.fact(f).section == section.id).collect();
        if facts.is_empty() {
            return None;
        }
        let done = facts.iter().filter(|f| props.values.contains_key(f)).count();
        let heading_id = format!("section-{}", section.id);
        Some(html! {
            <fieldset class="section" aria-labelledby={heading_id.clone()}>
                <legend id={heading_id}>
                    { section.label.get(lang) }
                    <span class="count">{ format!(" {done}/{}", facts.len()) }</span>
                </legend>
                { for facts.iter().map(|&f| {
                    let id = catalogue.fact(f).id.clone();
                    html! {
                        <Question
                            key={id}
                            bundle={props.bundle.clone()}
                            fact={f}
                            {lang}
                            value={props.values.get(&f).cloned().unwrap_or_default()}
                            error={props.errors.get(&f).cloned()}
                            on_answer={props.on_answer.clone()}
                        />
                    }
                }) }
            </fieldset>
        })
    });

    html! {
        <section class="questions" aria-labelledby="questions-title">
            <h2 id="questions-title">{ lang.pick("企业情况", "Your company") }</h2>
            <div class="progress">
                <label for="progress">
                    { match lang {
                        Lang::Zh => format!("已回答 {answered} / {total} 个相关问题"),
                        Lang::En => format!("{answered} of {total} relevant questions answered"),
                    } }
                </label>
                <progress id="progress" max={total.max(1).to_string()} value={answered.to_string()}></progress>
                <p class="hint">{ lang.pick(
                    "只显示仍可能改变结果的问题；不确定的可以留空。",
                    "Only questions that can still change a result are shown; leave any you are unsure of empty.") }</p>
            </div>
            { for sections }
        </section>
    }
}
