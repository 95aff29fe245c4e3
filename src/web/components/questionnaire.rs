use super::question::Question;
use super::checklist::Checklist;
use crate::facts::MAX_ITEMS;
use crate::guide::Ask;
use crate::web::SharedBundle;
use crate::Lang;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct QuestionnaireProps {
    pub bundle: SharedBundle,
    pub lang: Lang,
    /// (Fact index, item) → the answer as typed; item 1 for a plain fact.
    pub values: Rc<BTreeMap<(usize, u8), String>>,
    /// (Fact index, item) → the message for an answer that could not be read.
    pub errors: Rc<BTreeMap<(usize, u8), String>>,
    /// The facts to ask: those answered and those that can still change a result.
    pub asked: Rc<BTreeSet<usize>>,
    pub on_answer: Callback<(String, String)>,
    /// The guide's asks, in order: the first screen, then a few at a time by worth.
    pub guided: Rc<Vec<Ask>>,
    /// "Answer these 3 to settle up to 60万 more", while questions are open.
    pub hint: Option<AttrValue>,
    /// Passes over the open questions, to see the next ones.
    pub on_skip: Callback<()>,
}

/// The questions, by section, in catalogue order (so the form never jumps about as
/// questions appear), with how many of them are answered.
#[function_component(Questionnaire)]
pub fn questionnaire(props: &QuestionnaireProps) -> Html {
    let catalogue = &props.bundle.0.catalogue;
    let lang = props.lang;
    let answered = props.asked.iter().filter(|&&f| props.values.contains_key(&(f, 1))).count();
    let total = props.asked.len();
    // How many items of each kind are shown: every answered one, and those added here
    // with "+ another" that are not answered yet.
    let added = use_state(BTreeMap::<usize, u8>::new);
    let shown_items = |kind: usize| -> u8 {
        let answered = props.values.keys().filter(|(f, _)| catalogue.item_kind_of(*f) == Some(kind)).map(|&(_, n)| n).max();
        answered.unwrap_or(1).max(added.get(&kind).copied().unwrap_or(1))
    };
    let item_label = |kind: usize, n: u8| -> AttrValue {
        let label = catalogue.item_kinds[kind].label.get(lang);
        match lang {
            Lang::Zh => format!("第{n}项{label}"),
            Lang::En => format!("Item {n} ({label})"),
        }
        .into()
    };

    // One question (for a fact answered per item, each item), and where `last_of_kind`,
    // the buttons that add or remove an item of its kind.
    let fact_block = |f: usize, last_of_kind: bool| -> Html {
                    let id = catalogue.fact(f).id.clone();
                    let kind = catalogue.item_kind_of(f);
                    let count = kind.map_or(1, &shown_items);
                    let questions = (1..=count).map(|n| html! {
                        <Question
                            key={format!("{id}#{n}")}
                            bundle={props.bundle.clone()}
                            fact={f}
                            {lang}
                            value={props.values.get(&(f, n)).cloned().unwrap_or_default()}
                            error={props.errors.get(&(f, n)).cloned()}
                            on_answer={props.on_answer.clone()}
                            item={n}
                            item_label={kind.filter(|_| count > 1).map(|kind| item_label(kind, n))}
                        />
                    });
                    let last_of_kind = kind.is_some() && last_of_kind;
                    let buttons = kind.filter(|_| last_of_kind).map(|kind| {
                        let label = catalogue.item_kinds[kind].label.get(lang);
                        let on_add = {
                            let added = added.clone();
                            Callback::from(move |_| {
                                let mut next = (*added).clone();
                                next.insert(kind, count + 1);
                                added.set(next);
                            })
                        };
                        // Removing the last item clears its answers to every question of the kind.
                        let on_remove = {
                            let (added, on_answer, values, bundle) = (added.clone(), props.on_answer.clone(), props.values.clone(), props.bundle.clone());
                            Callback::from(move |_| {
                                let catalogue = &bundle.0.catalogue;
                                for &(g, n) in values.keys().filter(|&&(g, n)| n == count && catalogue.item_kind_of(g) == Some(kind)) {
                                    on_answer.emit((format!("{}#{n}", catalogue.fact(g).id), String::new()));
                                }
                                let mut next = (*added).clone();
                                next.insert(kind, count - 1);
                                added.set(next);
                            })
                        };
                        html! {
                            <div class="item-buttons">
                                <button type="button" class="add-item" onclick={on_add} disabled={count >= MAX_ITEMS}>
                                    { match lang {
                                        Lang::Zh => format!("＋ 再添加一项{label}"),
                                        Lang::En => format!("+ Add another {label}"),
                                    } }
                                </button>
                                if count > 1 {
                                    <button type="button" class="remove-item" onclick={on_remove}>
                                        { match lang {
                                            Lang::Zh => format!("删除第{count}项"),
                                            Lang::En => format!("Remove item {count}"),
                                        } }
                                    </button>
                                }
                            </div>
                        }
                    });
                    html! { <>{ for questions }{ for buttons }</> }
    };

    // Facts the guide has put up front are not repeated below.
    let guided_facts: BTreeSet<usize> = props.guided.iter().flat_map(|a| a.facts.iter().copied()).collect();
    let others = props.asked.iter().filter(|f| !guided_facts.contains(f)).count();
    let sections = catalogue.sections.iter().filter_map(|section| {
        let facts: Vec<usize> =
            props.asked.iter().copied().filter(|&f| catalogue.fact(f).section == section.id && !guided_facts.contains(&f)).collect();
        if facts.is_empty() {
            return None;
        }
        let done = facts.iter().filter(|&&f| props.values.contains_key(&(f, 1))).count();
        let heading_id = format!("section-{}", section.id);
        Some(html! {
            <fieldset class="section" aria-labelledby={heading_id.clone()}>
                <legend id={heading_id}>
                    { section.label.get(lang) }
                    <span class="count">{ format!(" {done}/{}", facts.len()) }</span>
                </legend>
                { for facts.iter().enumerate().map(|(k, &f)| {
                    // The buttons for a kind of item follow the last of its questions here.
                    let kind = catalogue.item_kind_of(f);
                    fact_block(f, !facts[k + 1..].iter().any(|&g| catalogue.item_kind_of(g) == kind))
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
            <div class="guided" id="guided">
                { for props.guided.iter().map(|ask| match ask.checklist {
                    Some(section) if ask.facts.len() > 1 => html! {
                        <Checklist
                            bundle={props.bundle.clone()}
                            facts={ask.facts.clone()}
                            title={AttrValue::from(catalogue.sections[section].label.get(lang).to_string())}
                            {lang}
                            values={props.values.clone()}
                            errors={props.errors.clone()}
                            on_answer={props.on_answer.clone()}
                        />
                    },
                    _ => html! { <>{ for ask.facts.iter().map(|&f| fact_block(f, true)) }</> },
                }) }
            </div>
            if let Some(hint) = &props.hint {
                <div class="next-hint" id="next-hint" role="status">
                    <p>{ hint.clone() }</p>
                    <button type="button" class="skip" onclick={props.on_skip.reform(|_| ())}>
                        { lang.pick("这些不清楚，看下一组问题", "Not sure about these: show the next ones") }
                    </button>
                </div>
            }
            if others > 0 {
                <details class="other-questions" id="other-questions">
                    <summary>{ match lang {
                        Lang::Zh => format!("其余问题（{others} 个，按类别）"),
                        Lang::En => format!("Other questions ({others}, by topic)"),
                    } }</summary>
                    { for sections }
                </details>
            }
        </section>
    }
}
