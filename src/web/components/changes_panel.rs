use crate::api::{changes, Options};
use crate::web::SharedBundle;
use crate::{Date, Lang};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ChangesPanelProps {
    pub bundle: SharedBundle,
    pub as_of: Date,
    /// The district chosen (an option id), to leave other districts' documents out.
    pub district: Option<AttrValue>,
    pub lang: Lang,
}

/// What changes soon: editions, items and application windows that end within 90 days of
/// the date, and what differs between two editions of one policy.
#[function_component(ChangesPanel)]
pub fn changes_panel(props: &ChangesPanelProps) -> Html {
    let bundle = &props.bundle.0;
    let lang = props.lang;
    let info = changes(bundle, Options::on(props.as_of, lang), 90);
    let applies = |document: &str| {
        let doc = bundle.documents.iter().find(|d| d.id == document);
        match (doc.and_then(|d| d.district.as_deref()), props.district.as_deref()) {
            (None, _) | (_, None) => true,
            (Some(d), Some(chosen)) => d == chosen,
        }
    };
    let expiring: Vec<_> = info.expiring.iter().filter(|e| applies(&e.document)).collect();
    let editions: Vec<_> = info.editions.iter().filter(|e| applies(&e.newer)).collect();
    html! {
        <details class="changes" id="changes">
            <summary>{ match lang {
                Lang::Zh => format!("即将到期与版本变化（{} 起 90 天内到期 {} 项）", info.as_of, expiring.len()),
                Lang::En => format!("Ending soon and new editions ({} ending within 90 days of {})", expiring.len(), info.as_of),
            } }</summary>
            if expiring.is_empty() {
                <p>{ lang.pick("90 天内没有到期的文件、条款或申报期。", "No document, item or application window ends within 90 days.") }</p>
            } else {
                <ul class="expiring">{ for expiring.iter().map(|e| html! { <li class={format!("ends-{}", e.what)}>{ &e.text }</li> }) }</ul>
            }
            if editions.is_empty() {
                <p>{ lang.pick("规则库中该地区的政策都只有一个版本，无可比较的版本变化。", "No policy for this district has two editions in the rules, so there are no edition changes to show.") }</p>
            } else {
                { for editions.iter().map(|e| html! {
                    <div class="edition">
                        <h4>{ format!("{} → {}", e.older, e.newer) }</h4>
                        <p>{ match lang {
                            Lang::Zh => format!("新增 {} 项，取消 {} 项，变化 {} 项", e.added.len(), e.dropped.len(), e.changed.len()),
                            Lang::En => format!("{} added, {} dropped, {} changed", e.added.len(), e.dropped.len(), e.changed.len()),
                        } }</p>
                    </div>
                }) }
            }
        </details>
    }
}
