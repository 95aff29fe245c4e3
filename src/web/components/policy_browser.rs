use crate::explain;
use crate::rules::Level;
use crate::web::SharedBundle;
use crate::Lang;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PolicyBrowserProps {
    pub bundle: SharedBundle,
    pub lang: Lang,
}

/// Every document and benefit in the bundle, searchable, with clauses and dates: for
/// demonstrators and portal staff as much as for companies.
#[function_component(PolicyBrowser)]
pub fn policy_browser(props: &PolicyBrowserProps) -> Html {
    let bundle = &props.bundle.0;
    let lang = props.lang;
    let query = use_state(String::new);
    let on_input = {
        let query = query.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            query.set(input.value());
        })
    };
    let needle = lower(query.trim());
    // What the search looks in, in lower case: computed once per language, not per keystroke.
    let searched = use_memo((props.bundle.clone(), lang), |(bundle, lang)| {
        let lowered = |texts: &[&str]| texts.iter().map(|t| lower(t)).collect::<Vec<String>>();
        let documents: Vec<Vec<String>> =
            bundle.0.documents.iter().map(|doc| lowered(&[doc.title.get(*lang), &doc.title.zh, &doc.id, &doc.number])).collect();
        let benefits: Vec<Vec<String>> =
            bundle.0.benefits.iter().map(|b| lowered(&[b.name.get(*lang), &b.name.zh, &b.clause, &b.id, &b.article])).collect();
        (documents, benefits)
    });
    let matches = |texts: &[String]| needle.is_empty() || texts.iter().any(|t| t.contains(&needle));
    let district_name = |id: &str| {
        bundle.catalogue.fact(bundle.district_fact()).options.iter().find(|o| o.id == id).map(|o| o.label.get(lang).to_string()).unwrap_or_default()
    };

    let mut shown_benefits = 0;
    let documents: Vec<Html> = bundle
        .documents
        .iter()
        .enumerate()
        .filter_map(|(d, doc)| {
            let doc_matches = matches(&searched.0[d]);
            let benefits: Vec<Html> = bundle
                .benefits
                .iter()
                .enumerate()
                .filter(|(i, b)| b.document == d && (doc_matches || matches(&searched.1[*i])))
                .map(|(_, b)| {
                    html! {
                        <li class="policy-benefit" id={format!("policy-{}", b.id)}>
                            <strong>{ format!("{} {}", b.article, b.name.get(lang)) }</strong>
                            <div class="formula">{ explain::amount_rule(bundle, b, lang) }</div>
                            <blockquote class="clause">{ &b.clause }</blockquote>
                            if let Some(reading) = &b.reading {
                                <p class="reading"><strong>{ lang.pick("解读：", "Reading: ") }</strong>{ reading.get(lang) }</p>
                            }
                        </li>
                    }
                })
                .collect();
            if benefits.is_empty() && !doc_matches {
                return None;
            }
            shown_benefits += benefits.len();
            let level = match (doc.level, &doc.district) {
                (Level::District, Some(id)) => district_name(id),
                (Level::City, _) => lang.pick("杭州市", "Hangzhou city").to_string(),
                _ => lang.pick("浙江省", "Zhejiang province").to_string(),
            };
            let end = if doc.valid.is_open_ended() { lang.pick("未规定", "no end date").to_string() } else { doc.valid.to.to_string() };
            Some(html! {
                <details class="policy-document" open={!needle.is_empty()}>
                    <summary>
                        <span class="level">{ level }</span>{ " " }
                        <strong>{ doc.title.get(lang) }</strong>{ " " }
                        <span class="dates">{ format!("{} – {} · {} {}", explain::start_date(doc.valid.stated_from().map(|d| d.to_string()).as_deref(), doc.valid.from_not_printed, lang), end, benefits.len(), lang.pick("项", "benefits")) }</span>
                    </summary>
                    <p class="meta">{ format!("{} {} · {} {} {}", doc.issuer.get(lang), doc.number, lang.pick("来源", "source"), doc.source.seed, doc.source.lines) }</p>
                    if let Some(notes) = &doc.notes {
                        <p class="reading">{ notes.get(lang) }</p>
                    }
                    <ul>{ for benefits }</ul>
                </details>
            })
        })
        .collect();

    html! {
        <section class="policy-browser" aria-labelledby="policies-title">
            <h2 id="policies-title">{ lang.pick("政策库", "Policy library") }</h2>
            <label class="search">
                { lang.pick("搜索文件、条款或原文", "Search documents, benefits or clause text") }
                <input type="search" id="policy-search" value={(*query).clone()} oninput={on_input} />
            </label>
            <p class="summary" id="policy-count">{ match lang {
                Lang::Zh => format!("{} 份文件，{} 项政策", documents.len(), shown_benefits),
                Lang::En => format!("{} documents, {} benefits", documents.len(), shown_benefits),
            } }</p>
            { for documents }
        </section>
    }
}

/// Unicode lower case, the same mapping as `str::to_lowercase`, but from the browser's
/// `toLowerCase` for non-ASCII text: Rust's own case tables would add 8 KB (gzip) to the
/// download, for this search alone.
fn lower(text: &str) -> String {
    if text.is_ascii() {
        text.to_ascii_lowercase()
    } else {
        String::from(js_sys::JsString::from(text).to_lower_case())
    }
}
