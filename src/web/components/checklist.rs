use super::question::Question;
use crate::guide::unticked_answer;
use crate::web::SharedBundle;
use crate::Lang;
use std::collections::BTreeMap;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ChecklistProps {
    pub bundle: SharedBundle,
    pub facts: Vec<usize>,
    /// The section the questions come from.
    pub title: AttrValue,
    pub lang: Lang,
    pub values: Rc<BTreeMap<(usize, u8), String>>,
    pub errors: Rc<BTreeMap<(usize, u8), String>>,
    pub on_answer: Callback<(String, String)>,
}

/// Questions of one section that most companies answer "no" / 0 / "none": the visitor
/// answers those that apply and sets all the others with one button.
#[function_component(Checklist)]
pub fn checklist(props: &ChecklistProps) -> Html {
    let lang = props.lang;
    let catalogue = &props.bundle.0.catalogue;
    let open: Vec<usize> = props.facts.iter().copied().filter(|&f| !props.values.contains_key(&(f, 1))).collect();
    let on_rest = {
        let (on_answer, bundle, open) = (props.on_answer.clone(), props.bundle.clone(), open.clone());
        Callback::from(move |_| {
            for &f in &open {
                on_answer.emit((bundle.0.catalogue.fact(f).id.clone(), unticked_answer(&bundle.0, f).to_string()));
            }
        })
    };
    html! {
        <fieldset class="checklist">
            <legend>
                { props.title.clone() }
                <span class="hint">{ lang.pick("：只需回答适用的，其余一键设为“否/没有”", ": answer those that apply, then set the rest to \"no / none\" at once") }</span>
            </legend>
            { for props.facts.iter().map(|&f| html! {
                <Question
                    key={catalogue.fact(f).id.clone()}
                    bundle={props.bundle.clone()}
                    fact={f}
                    {lang}
                    value={props.values.get(&(f, 1)).cloned().unwrap_or_default()}
                    error={props.errors.get(&(f, 1)).cloned()}
                    on_answer={props.on_answer.clone()}
                />
            }) }
            if !open.is_empty() {
                <button type="button" class="rest-no" onclick={on_rest}>
                    { match lang {
                        Lang::Zh => format!("其余 {} 项都没有（设为“否/0”）", open.len()),
                        Lang::En => format!("None of the other {} apply (set to no / 0)", open.len()),
                    } }
                </button>
            }
        </fieldset>
    }
}
