use super::components::questionnaire::Questionnaire;
use super::components::changes_panel::ChangesPanel;
use super::components::policy_browser::PolicyBrowser;
use super::components::print_report::PrintReport;
use super::components::results::Results;
use super::components::kiosk_timer::KioskTimer;
use super::components::share_panel::SharePanel;
use super::components::subsidy_chart::SubsidyChart;
use crate::facts::FactKind;
use crate::share::{SavedAnswers, ShareError};
use super::state::{Action, Answers, Period};
use super::{today, SharedBundle, Setup};
use crate::engine::{next_questions, policy_years};
use crate::guide::{worth_settled_by, Guide};
use crate::report::{out_of_force, report_totals, BenefitReports};
use crate::{evaluate_for, Date, Lang, Timing, Validity};
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct AppProps {
    pub bundle: SharedBundle,
    pub setup: Setup,
}

#[function_component(App)]
pub fn app(props: &AppProps) -> Html {
    let bundle = &props.bundle.0;
    let answers = use_reducer(|| Answers::restore(today()));
    let lang = answers.lang;
    // Which view: the calculator, or the library of every document and benefit.
    let browsing = use_state(|| false);
    let saved = use_state(|| true);
    {
        let saved = saved.clone();
        use_effect_with(answers.clone(), move |answers| saved.set(answers.save()));
    }
    // A message about a share link or file that could not be read.
    let notice = use_state(|| None::<ShareError>);
    // Opened from a share link: take its answers, then clear the fragment so a reload
    // does not overwrite later changes. A damaged link leaves the answers as they were.
    {
        let (answers, notice) = (answers.clone(), notice.clone());
        use_effect_with((), move |_| {
            let location = gloo::utils::window().location();
            let hash = location.hash().unwrap_or_default();
            if let Some(result) = SavedAnswers::from_fragment(&hash) {
                match result {
                    Ok(saved) => answers.dispatch(Action::Load(saved)),
                    Err(error) => notice.set(Some(error)),
                }
                if let Ok(history) = gloo::utils::window().history() {
                    let path = location.pathname().unwrap_or_default() + &location.search().unwrap_or_default();
                    let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path));
                }
            }
        });
    }
    // What the host page asked for: its language, and its district while none is answered.
    {
        let (answers, setup) = (answers.clone(), props.setup.clone());
        use_effect_with((), move |_| {
            if let Some(lang) = setup.lang {
                answers.dispatch(Action::SetLang(lang));
            }
            if let Some(district) = setup.district {
                if !answers.values.contains_key("district") {
                    answers.dispatch(Action::Answer { fact: "district".into(), text: district });
                }
            }
        });
    }
    let kiosk = props.setup.kiosk;
    let on_kiosk_reset = {
        let (dispatcher, browsing) = (answers.dispatcher(), browsing.clone());
        use_callback((), move |_: (), _| {
            dispatcher.dispatch(Action::StartOver(today()));
            browsing.set(false);
            gloo::utils::window().scroll_to_with_x_and_y(0.0, 0.0);
        })
    };
    let on_load = {
        let (answers, notice) = (answers.clone(), notice.clone());
        Callback::from(move |saved: SavedAnswers| {
            notice.set(None);
            answers.dispatch(Action::Load(saved));
        })
    };
    let on_error = {
        let notice = notice.clone();
        Callback::from(move |error: ShareError| notice.set(Some(error)))
    };
    // Derived on every render from the answers: the results can never drift from them.
    let catalogue = &bundle.catalogue;
    let (profile, errors) = catalogue.read_profile(&answers.to_json());
    // The years a company of this district can ask about, latest first; the latest is
    // the default, "open now" the other way in.
    let district = match profile.get(bundle.district_fact()) {
        Some(crate::facts::Value::Choice(c)) => Some(c),
        _ => None,
    };
    let mut years = policy_years(bundle, district, answers.as_of);
    let year = answers.effective_year(years.first().copied());
    if let Some(y) = year.filter(|y| !years.contains(y)) {
        years.push(y);
        years.sort_unstable_by(|a, b| b.cmp(a));
    }
    let shareable = SavedAnswers::new(answers.values.clone(), answers.as_of, lang).with_policy_year(year);
    let evaluation = evaluate_for(bundle, &profile, Timing { as_of: answers.as_of, policy_year: year });
    // Benefits in force are explained in full, each put in words again only when its
    // result changed (so its card is not rendered again either). The others only get a
    // line with their dates, which only the date, the district and the language change.
    let explained = use_mut_ref(BenefitReports::default);
    let benefits = Rc::new(explained.borrow_mut().update(bundle, &evaluation, lang, |r| r.validity == Validity::InForce));
    let report = Rc::new(report_totals(bundle, &evaluation, lang));
    let out_of_force = use_memo((answers.as_of, year, evaluation.district, lang), |_| out_of_force(bundle, &evaluation, lang));
    // These maps and sets are filled by insert, not collect(): collecting into a BTreeMap
    // sorts first, and each such sort is its own few KB of WASM.
    let mut values: BTreeMap<(usize, u8), String> = BTreeMap::new();
    for (key, text) in &answers.values {
        if let Some(at) = catalogue.answer_key(key) {
            values.insert(at, text.clone());
        }
    }
    let mut field_errors: BTreeMap<(usize, u8), String> = BTreeMap::new();
    for e in &errors {
        if let Some(at) = catalogue.answer_key(&e.fact) {
            field_errors.insert(at, e.problem.message(lang));
        }
    }
    // The district decides which documents apply, so it is asked alone first; then
    // whatever is answered or can still change a result.
    let mut asked: BTreeSet<usize> = BTreeSet::new();
    asked.extend(values.keys().map(|&(f, _)| f));
    asked.insert(bundle.district_fact());
    if values.contains_key(&(bundle.district_fact(), 1)) {
        asked.extend(next_questions(&evaluation).iter().map(|q| q.fact));
    }
    // The guide: what to ask first. It keeps what it asked across renders (a field never
    // jumps away while typed in) and starts again when the answers are cleared.
    let guide = use_mut_ref(Guide::new);
    let redraw = use_force_update();
    if answers.values.is_empty() {
        *guide.borrow_mut() = Guide::new();
    }
    let is_answered = |f: usize| values.contains_key(&(f, 1));
    guide.borrow_mut().update(bundle, &evaluation, &is_answered);
    let guided = Rc::new(guide.borrow().asked.clone());
    let open: Vec<usize> = guide.borrow().open(&is_answered).flat_map(|a| a.facts.iter().copied()).filter(|&f| !is_answered(f)).collect();
    let worth = worth_settled_by(&evaluation, &open);
    let hint = (!open.is_empty() && values.contains_key(&(bundle.district_fact(), 1))).then(|| {
        let more = crate::explain::money(worth, lang);
        AttrValue::from(match (worth.is_zero(), lang) {
            (false, Lang::Zh) => format!("回答上面 {} 个问题，最多可再确定 {more}。", open.len()),
            (false, Lang::En) => format!("Answer the {} questions above to settle up to {more} more.", open.len()),
            (true, Lang::Zh) => format!("回答上面 {} 个问题，可确定其余项目。", open.len()),
            (true, Lang::En) => format!("Answer the {} questions above to settle the rest.", open.len()),
        })
    });
    let on_skip = {
        let (guide, redraw, values) = (guide.clone(), redraw.clone(), values.clone());
        Callback::from(move |_| {
            guide.borrow_mut().skip_open(&|f| values.contains_key(&(f, 1)));
            redraw.force_update();
        })
    };
    // Numeric questions on the page: what the chart can vary.
    let numeric: Vec<usize> =
        asked.iter().copied().filter(|&f| matches!(catalogue.fact(f).kind, FactKind::Money | FactKind::Count)).collect();
    // The answers in words, for the printed report: choices by their label.
    let answered: Vec<(String, String)> = values
        .iter()
        .map(|(&(f, item), text)| {
            let fact = catalogue.fact(f);
            let shown = match fact.options.iter().find(|o| &o.id == text) {
                Some(option) => option.label.get(lang).to_string(),
                None => match text.as_str() {
                    "true" => lang.pick("是", "yes").to_string(),
                    "false" => lang.pick("否", "no").to_string(),
                    other => other.to_string(),
                },
            };
            let label = match (item, catalogue.item_kind_of(f)) {
                (1, _) | (_, None) => fact.label.get(lang).to_string(),
                (n, Some(kind)) => match lang {
                    Lang::Zh => format!("{}（第{n}项{}）", fact.label.get(lang), catalogue.item_kinds[kind].label.get(lang)),
                    Lang::En => format!("{} (item {n}, {})", fact.label.get(lang), catalogue.item_kinds[kind].label.get(lang)),
                },
            };
            (label, shown)
        })
        .collect();

    // The same callback on every render, so unchanged questions skip re-rendering.
    let on_answer = {
        let dispatcher = answers.dispatcher();
        use_callback((), move |(fact, text): (String, String), _| dispatcher.dispatch(Action::Answer { fact, text }))
    };
    let set_lang = |l: Lang| {
        let answers = answers.clone();
        Callback::from(move |_| answers.dispatch(Action::SetLang(l)))
    };
    let on_clear = {
        let answers = answers.clone();
        Callback::from(move |_| {
            let sure = gloo::dialogs::confirm(lang.pick("清空所有回答？", "Clear all answers?"));
            if sure {
                answers.dispatch(Action::ClearAll);
            }
        })
    };
    let on_period = {
        let answers = answers.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            let value = select.value();
            answers.dispatch(Action::SetPeriod(match value.parse::<i32>() {
                Ok(y) => Period::Year(y),
                Err(_) => Period::OpenNow,
            }));
        })
    };
    // What the choice means, in plain words, and what it leaves out.
    let not_in_force = report.not_in_force;
    let banner = match (year, lang) {
        (Some(y), Lang::Zh) => format!("按 {y} 年度业绩评估：列出考核期覆盖 {y} 年的政策，这类年度政策一般在年度结束后申报；另有 {not_in_force} 项不适用于 {y} 年度（已失效或尚未生效），列在最后。"),
        (Some(y), Lang::En) => format!("Assessed for your results of {y}: the policies whose period covers {y}; such annual policies are usually claimed after the year closes. {not_in_force} more do not apply to {y} (expired or not yet in force) and are listed last."),
        (None, Lang::Zh) => format!("按今天（{}）有效的政策评估；{not_in_force} 项不在有效期内，列在最后。", answers.as_of),
        (None, Lang::En) => format!("Assessed on what is in force on {}; {not_in_force} are not in force then and are listed last.", answers.as_of),
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
        <div class={classes!("app", kiosk.is_some().then_some("kiosk"))} lang={lang.pick("zh-CN", "en")}>
            <header class="masthead">
                <h1>{ lang.pick("惠企 · 杭州惠企政策计算器", "Huiqi · Hangzhou subsidy calculator") }</h1>
                <p class="tagline">{ lang.pick("在浏览器中计算，不上传任何信息。", "Computed in your browser; nothing is sent anywhere.") }</p>
                <div class="settings">
                    <div class="lang-switch" role="group" aria-label={lang.pick("语言", "Language")}>
                        <button type="button" aria-pressed={(lang == Lang::Zh).to_string()} onclick={set_lang(Lang::Zh)}>{ "简体中文" }</button>
                        <button type="button" aria-pressed={(lang == Lang::En).to_string()} onclick={set_lang(Lang::En)}>{ "English" }</button>
                    </div>
                    <label class="period">
                        { lang.pick("评估", "Assess") }
                        <select id="period" onchange={on_period}>
                            { for years.iter().map(|&y| html! {
                                <option value={y.to_string()} selected={year == Some(y)}>
                                    { match lang { Lang::Zh => format!("我们 {y} 年度的业绩"), Lang::En => format!("our results of {y}") } }
                                </option>
                            }) }
                            <option value="now" selected={year.is_none()}>{ lang.pick("今天可申请的（当前有效）", "what is open now (today)") }</option>
                        </select>
                    </label>
                    <label class="as-of">
                        { lang.pick("评估日期", "As of") }
                        <input type="date" id="as-of" value={answers.as_of.to_string()} onchange={on_date} />
                    </label>
                    <button type="button" class="clear" onclick={on_clear}>{ lang.pick("清空回答", "Clear answers") }</button>
                    <button type="button" class="print" onclick={Callback::from(|_| { let _ = gloo::utils::window().print(); })}>
                        { lang.pick("打印报告", "Print report") }
                    </button>
                </div>
                if let Some(kiosk) = kiosk {
                    <KioskTimer idle_seconds={kiosk.idle_seconds} {lang} has_answers={!answers.values.is_empty()} on_reset={on_kiosk_reset} />
                }
                <p class="period-banner" id="period-banner">{ banner }</p>
                if let Some(error) = &*notice {
                    <p class="warning" id="notice" role="alert">{ error.message(lang) }</p>
                }
                if !*saved {
                    <p class="warning" role="status">{ lang.pick(
                        "浏览器不允许保存回答（可能是隐私模式或存储已满）；本页仍可正常计算。",
                        "The browser does not allow saving answers (private mode or storage full); everything still works on this page.") }</p>
                }
            </header>
            <nav class="views" aria-label={lang.pick("视图", "Views")}>
                <button type="button" id="view-calculator" aria-pressed={(!*browsing).to_string()}
                    onclick={{ let b = browsing.clone(); Callback::from(move |_| b.set(false)) }}>
                    { lang.pick("测算", "Calculator") }
                </button>
                <button type="button" id="view-policies" aria-pressed={(*browsing).to_string()}
                    onclick={{ let b = browsing.clone(); Callback::from(move |_| b.set(true)) }}>
                    { lang.pick("政策库", "Policy library") }
                </button>
            </nav>
            if *browsing {
                <main class="library"><PolicyBrowser bundle={props.bundle.clone()} {lang} /></main>
            } else {
            <main class="layout">
                <Questionnaire
                    bundle={props.bundle.clone()}
                    {lang}
                    values={Rc::new(values)}
                    errors={Rc::new(field_errors)}
                    asked={Rc::new(asked)}
                    {on_answer}
                    {guided}
                    {hint}
                    {on_skip}
                />
                <div class="results-column">
                    <Results report={report.clone()} benefits={benefits.clone()} {out_of_force} {lang} />
                    <ChangesPanel bundle={props.bundle.clone()} as_of={answers.as_of} {lang}
                        district={answers.values.get("district").map(|d| AttrValue::from(d.clone()))} />
                    <SubsidyChart bundle={props.bundle.clone()} {lang} profile={Rc::new(profile)} as_of={answers.as_of} candidates={Rc::new(numeric)} />
                    // A kiosk is shared by strangers: no links or files to carry answers away.
                    if kiosk.is_none() {
                        <SharePanel {lang} saved={shareable} {on_load} {on_error} />
                    }
                </div>
            </main>
            }
            <PrintReport {report} {benefits} {lang} answers={Rc::new(answered)} />
            <footer class="colophon">
                { format!("{} {} · {} {}", lang.pick("规则版本", "Rules"), bundle.version, lang.pick("内容哈希", "hash"), &bundle.hash[..16]) }
            </footer>
        </div>
    }
}
