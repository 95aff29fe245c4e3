use crate::report::OutOfForce;
use crate::Lang;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct OutOfForceProps {
    pub benefits: Rc<Vec<OutOfForce>>,
    pub lang: Lang,
}

/// The benefits that would apply but are not in force on the date, folded away: a line
/// each with its dates. Its own component because the list rarely changes with an answer,
/// and comparing it is much cheaper than rendering its hundred-odd lines again.
#[function_component(OutOfForceList)]
pub fn out_of_force_list(props: &OutOfForceProps) -> Html {
    let lang = props.lang;
    if props.benefits.is_empty() {
        return html! {};
    }
    html! {
        <details class="out-of-force" id="out-of-force">
            <summary>{ format!("{} ({})", lang.pick("不在有效期内", "Not in force on this date"), props.benefits.len()) }</summary>
            <ul>
                { for props.benefits.iter().map(|b| html! {
                    <li id={format!("out-{}", b.id)}>
                        <span class={classes!("status", b.validity)}>
                            { if b.validity == "expired" { lang.pick("已失效", "expired") } else { lang.pick("尚未生效", "not yet in force") } }
                        </span>
                        { " " }{ &b.name }
                        <span class="dates">{ format!(" · {} · {} – {}", b.document_title, crate::explain::start_date(b.valid_from.as_deref(), b.valid_from_not_printed, lang),
                            b.valid_to.clone().unwrap_or_else(|| lang.pick("未规定", "no end date").into())) }</span>
                    </li>
                }) }
            </ul>
        </details>
    }
}
