use crate::facts::FactKind;
use crate::web::SharedBundle;
use crate::Lang;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct QuestionProps {
    pub bundle: SharedBundle,
    /// Index of the fact in the catalogue.
    pub fact: usize,
    pub lang: Lang,
    /// The answer as typed; empty means "don't know".
    pub value: String,
    pub error: Option<String>,
    pub on_answer: Callback<(String, String)>,
    /// For a fact answered per item: which item (1 is the plain fact, n is `fact#n`)
    /// and what it is called, e.g. "第2项山林经济基地项目".
    #[prop_or(1)]
    pub item: u8,
    #[prop_or_default]
    pub item_label: Option<AttrValue>,
}

/// One question: a yes/no or choice select, or a text field for numbers (which accepts
/// 200万, full-width digits and thousands separators; the core does the parsing).
#[function_component(Question)]
pub fn question(props: &QuestionProps) -> Html {
    let fact = props.bundle.0.catalogue.fact(props.fact);
    let lang = props.lang;
    // The answer key and the element id of item n of a per-item fact: `fact#n`, `q-fact-n`.
    let (key, id) = match props.item {
        1 => (fact.id.clone(), format!("q-{}", fact.id)),
        n => (format!("{}#{n}", fact.id), format!("q-{}-{n}", fact.id)),
    };
    let help_id = format!("{id}-help");
    let error_id = format!("{id}-error");
    let unknown = lang.pick("不确定", "Don't know");

    let on_select = {
        let (cb, fact_id) = (props.on_answer.clone(), key.clone());
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            cb.emit((fact_id.clone(), select.value()));
        })
    };
    let on_input = {
        let (cb, fact_id) = (props.on_answer.clone(), key.clone());
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            cb.emit((fact_id.clone(), input.value()));
        })
    };
    let described_by = match (&fact.help, &props.error) {
        (Some(_), Some(_)) => format!("{help_id} {error_id}"),
        (Some(_), None) => help_id.clone(),
        (None, Some(_)) => error_id.clone(),
        (None, None) => String::new(),
    };
    let option = |value: &str, label: &str| {
        html! { <option value={value.to_string()} selected={props.value == value}>{ label.to_string() }</option> }
    };

    let control = match fact.kind {
        FactKind::Bool => html! {
            <select id={id.clone()} onchange={on_select} aria-describedby={described_by.clone()}>
                { option("", unknown) }
                { option("true", lang.pick("是", "Yes")) }
                { option("false", lang.pick("否", "No")) }
            </select>
        },
        FactKind::Choice => html! {
            <select id={id.clone()} onchange={on_select} aria-describedby={described_by.clone()}>
                { option("", unknown) }
                { for fact.options.iter().map(|o| option(&o.id, o.label.get(lang))) }
            </select>
        },
        _ => {
            let placeholder = match fact.kind {
                FactKind::Money => lang.pick("如 1500万 或 15,000,000", "e.g. 1500万 or 15,000,000"),
                FactKind::Percent => "5%",
                FactKind::Date => "2025-06-30",
                _ => "",
            };
            // The unit beside the field; money may also be typed in 万 or 亿.
            let unit = match fact.kind {
                FactKind::Money => lang.pick("元", "yuan"),
                FactKind::Percent => "%",
                _ => "",
            };
            html! {
                <div class="with-unit">
                    <input id={id.clone()} type="text" inputmode="decimal" value={props.value.clone()}
                        placeholder={placeholder} oninput={on_input}
                        aria-invalid={props.error.is_some().to_string()} aria-describedby={described_by.clone()} />
                    if !unit.is_empty() {
                        <span class="unit" aria-hidden="true">{ unit }</span>
                    }
                </div>
            }
        }
    };

    html! {
        <div class={classes!("question", props.error.as_ref().map(|_| "has-error"))}>
            <label for={id.clone()}>
                if let Some(item) = &props.item_label {
                    <span class="item-label">{ item.clone() }{ lang.pick("：", ": ") }</span>
                }
                { fact.label.get(lang) }
            </label>
            { control }
            if let Some(help) = &fact.help {
                <p class="help" id={help_id}>{ help.get(lang) }</p>
            }
            if let Some(error) = &props.error {
                <p class="error" id={error_id} role="alert">{ error }</p>
            }
        </div>
    }
}
