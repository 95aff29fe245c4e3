use super::components::question::Question;
use super::components::results::Results;
use super::state::{Action, Answers};
use super::{today, SharedBundle};
use crate::report::report;
use crate::{evaluate, Date, Lang};
use std::collections::BTreeMap;
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct AppProps {
    pub bundle: SharedBundle,
}

/// The questions of this first page; the full questionnaire comes later.
const FIRST_QUESTIONS: [&str; 5] = ["district", "tech_enterprise", "tech_sme_scale", "rd_spend", "rd_spend_prev"];

#[function_component(App)]
pub fn app(props: &AppProps) -> Html {
    let bundle = &props.bundle.0;
    let answers = use_reducer(|| Answers::new(today()));
    let lang = answers.lang;

    // Derived on every render from the answers: the results can never drift from them.
    let (profile, errors) = bundle.catalogue.read_profile(&answers.to_json());
    let field_errors: BTreeMap<String, String> = errors.iter().map(|e| (e.fact.clone(), e.problem.message(lang))).collect();
    let evaluation = evaluate(bundle, &profile, answers.as_of);
    let report = Rc::new(report(bundle, &evaluation, lang));

    let on_answer = {
        let answers = answers.clone();
        Callback::from(move |(fact, text): (String, String)| answers.dispatch(Action::Answer { fact, text }))
    };
    let set_lang = |l: Lang| {
        let answers = answers.clone();
        Callback::from(move |_| answers.dispatch(Action::SetLang(l)))
    };
    let on_date = {
        let answers = answers.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(d) = Date::parse(&input.value()) {
                answers.dispatch(Action::SetAsOf(d));
            }
        })
    };

    html! {
        <div class="app" lang={lang.pick("zh-CN", "en")}>
            <header class="masthead">
                <h1>{ lang.pick("惠企 · 杭州惠企政策计算器", "Huiqi · Hangzhou subsidy calculator") }</h1>
                <p class="tagline">{ lang.pick("在浏览器中计算，不上传任何信息。", "Computed in your browser; nothing is sent anywhere.") }</p>
                <div class="settings">
                    <div class="lang-switch" role="group" aria-label={lang.pick("语言", "Language")}>
                        <button type="button" aria-pressed={(lang == Lang::Zh).to_string()} onclick={set_lang(Lang::Zh)}>{ "简体中文" }</button>
                        <button type="button" aria-pressed={(lang == Lang::En).to_string()} onclick={set_lang(Lang::En)}>{ "English" }</button>
                    </div>
                    <label class="as-of">
                        { lang.pick("评估日期", "As of") }
                        <input type="date" id="as-of" value={answers.as_of.to_string()} onchange={on_date} />
                    </label>
                </div>
            </header>
            <main class="layout">
                <section class="questions" aria-labelledby="questions-title">
                    <h2 id="questions-title">{ lang.pick("企业情况", "Your company") }</h2>
                    { for FIRST_QUESTIONS.iter().filter_map(|id| bundle.catalogue.index_of(id)).map(|i| {
                        let id = bundle.catalogue.fact(i).id.clone();
                        html! {
                            <Question
                                bundle={props.bundle.clone()}
                                fact={i}
                                {lang}
                                value={answers.get(&id).to_string()}
                                error={field_errors.get(&id).cloned()}
                                on_answer={on_answer.clone()}
                            />
                        }
                    }) }
                </section>
                <Results report={report} {lang} />
            </main>
            <footer class="colophon">
                { format!("{} {} · {} {}", lang.pick("规则版本", "Rules"), bundle.version, lang.pick("内容哈希", "hash"), &bundle.hash[..16]) }
            </footer>
        </div>
    }
}
