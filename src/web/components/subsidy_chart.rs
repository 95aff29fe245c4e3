use crate::explain;
use crate::facts::{FactKind, Profile};
use crate::sweep::{sample_points, thresholds, totals_along};
use crate::web::SharedBundle;
use crate::{Date, Lang};
use rust_decimal::Decimal;
use std::rc::Rc;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SubsidyChartProps {
    pub bundle: SharedBundle,
    pub lang: Lang,
    pub profile: Rc<Profile>,
    pub as_of: Date,
    /// Numeric questions on the page, to chart against.
    pub candidates: Rc<Vec<usize>>,
}

// Whole pixels, and coordinates computed in Decimal: the chart is the only thing that
// would need float formatting, which is 12 KB of code in the download.
const WIDTH: i64 = 640;
const HEIGHT: i64 = 240;
const PAD: i64 = 44;

/// An SVG coordinate to one decimal place ("123.4"; ties to even, like `{:.1}`).
fn coord(v: Decimal) -> String {
    let mut v = v.round_dp(1);
    v.rescale(1);
    v.to_string()
}

/// Total subsidy against one chosen number, everything else as answered, with the
/// thresholds marked. An SVG drawn here, computed only while the chart is open.
#[function_component(SubsidyChart)]
pub fn subsidy_chart(props: &SubsidyChartProps) -> Html {
    let lang = props.lang;
    let bundle = &props.bundle.0;
    let open = use_state(|| false);
    let preferred = bundle.catalogue.index_of("rd_spend").filter(|f| props.candidates.contains(f));
    let chosen = use_state(|| None::<usize>);
    let fact = (*chosen).filter(|f| props.candidates.contains(f)).or(preferred).or(props.candidates.first().copied());

    let toggle = {
        let open = open.clone();
        Callback::from(move |_| open.set(!*open))
    };
    let on_choose = {
        let chosen = chosen.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            chosen.set(select.value().parse().ok());
        })
    };

    let chart = match (fact, *open) {
        (Some(fact), true) => draw(props, fact),
        _ => html! {},
    };
    html! {
        <section class="chart" aria-labelledby="chart-title">
            <h2 id="chart-title">{ lang.pick("补贴随某项数字的变化", "How the total changes with one number") }</h2>
            <button type="button" id="chart-toggle" aria-expanded={open.to_string()} onclick={toggle}>
                { if *open { lang.pick("收起图表", "Hide chart") } else { lang.pick("显示图表", "Show chart") } }
            </button>
            if *open && fact.is_some() {
                <label class="chart-fact">
                    { lang.pick("横轴", "Along") }
                    <select id="chart-fact" onchange={on_choose}>
                        { for props.candidates.iter().map(|&f| html! {
                            <option value={f.to_string()} selected={Some(f) == fact}>{ bundle.catalogue.fact(f).label.get(lang) }</option>
                        }) }
                    </select>
                </label>
            }
            { chart }
        </section>
    }
}

fn draw(props: &SubsidyChartProps, fact: usize) -> Html {
    let bundle = &props.bundle.0;
    let lang = props.lang;
    let spec = bundle.catalogue.fact(fact);
    let current = match props.profile.get(fact) {
        Some(crate::facts::Value::Num(n)) => Some(n),
        _ => None,
    };
    let marks = thresholds(bundle, fact);
    let xs = sample_points(&marks, current, 40);
    let ys = totals_along(bundle, &props.profile, props.as_of, fact, &xs);
    let x_max = xs.last().copied().unwrap_or(Decimal::ONE).max(Decimal::ONE);
    let y_max = ys.iter().copied().max().unwrap_or_default().max(Decimal::ONE);
    let sx = |x: Decimal| coord(Decimal::from(PAD) + x / x_max * Decimal::from(WIDTH - 2 * PAD));
    let sy = |y: Decimal| coord(Decimal::from(HEIGHT - PAD) - y / y_max * Decimal::from(HEIGHT - 2 * PAD));
    // A step line: the total holds until the next sampled value.
    let mut path = String::new();
    for (i, (x, y)) in xs.iter().zip(&ys).enumerate() {
        if i == 0 {
            path.push_str(&format!("M{},{}", sx(*x), sy(*y)));
        } else {
            path.push_str(&format!(" H{} V{}", sx(*x), sy(*y)));
        }
    }
    let value_text = |v: Decimal| match spec.kind {
        FactKind::Money => explain::money(v, lang),
        _ => v.normalize().to_string(),
    };
    let summary = match lang {
        Lang::Zh => format!("{}从 0 到 {}，合计补贴最高 {}；阈值：{}", spec.label.zh, value_text(x_max), explain::money(y_max, lang),
            marks.iter().map(|m| value_text(*m)).collect::<Vec<_>>().join("、")),
        Lang::En => format!("{} from 0 to {}: total subsidy up to {}; thresholds: {}", spec.label.en, value_text(x_max), explain::money(y_max, lang),
            marks.iter().map(|m| value_text(*m)).collect::<Vec<_>>().join(", ")),
    };
    html! {
        <figure>
            <svg id="chart-svg" viewBox={format!("0 0 {WIDTH} {HEIGHT}")} role="img" aria-label={summary.clone()}>
                <line class="axis" x1={PAD.to_string()} y1={(HEIGHT - PAD).to_string()} x2={(WIDTH - PAD).to_string()} y2={(HEIGHT - PAD).to_string()} />
                <line class="axis" x1={PAD.to_string()} y1={PAD.to_string()} x2={PAD.to_string()} y2={(HEIGHT - PAD).to_string()} />
                { for marks.iter().filter(|m| **m <= x_max).map(|m| html! {
                    <g class="threshold">
                        <line x1={sx(*m)} y1={PAD.to_string()} x2={sx(*m)} y2={(HEIGHT - PAD).to_string()} />
                        <title>{ value_text(*m) }</title>
                    </g>
                }) }
                <path class="total" d={path} />
                if let Some(c) = current.filter(|c| *c <= x_max) {
                    <circle class="current" cx={sx(c)} cy={sy(ys[xs.iter().position(|x| *x == c).unwrap_or(0)])} r="5" />
                }
                <text x={PAD.to_string()} y={(PAD - 10).to_string()}>{ explain::money(y_max, lang) }</text>
                <text x={PAD.to_string()} y={(HEIGHT - PAD + 18).to_string()}>{ "0" }</text>
                <text x={(WIDTH - PAD).to_string()} y={(HEIGHT - PAD + 18).to_string()} text-anchor="end">{ value_text(x_max) }</text>
            </svg>
            <figcaption>{ summary }</figcaption>
        </figure>
    }
}
