//! Plain-language explanations of conditions, values and amounts, in Chinese or English.
//! Labels come from the rule files, so nothing is translated twice.

use crate::bundle::Bundle;
use crate::engine::{AmountTrace, ConditionCheck, Status, Validity};
use crate::expr::{Arith, Cmp, Expr, Type};
use crate::facts::Value;
use crate::money::{format_percent, format_wan};
use crate::rules::{Amount, Benefit, Formula};
use crate::text::Lang;
use rust_decimal::Decimal;

/// Money as the policies write it: "25万元", "1.5亿元" in Chinese; in English the full sum
/// with the policy's figure beside it, "¥250,000 (25万)". Below one 万: "350元" / "¥350".
/// A window's start in words: "2024-06-06", or where the text prints none
/// "起始日未印明（不早于2020-01-01）" / "start date not printed (not before 2020-01-01)".
pub fn start_date(from: Option<&str>, not_printed: bool, lang: Lang) -> String {
    match (from, not_printed, lang) {
        (Some(from), false, _) => from.to_string(),
        (None, false, Lang::Zh) => "起始日未载明".to_string(),
        (None, false, Lang::En) => "start not stated".to_string(),
        (None, true, Lang::Zh) => "起始日未印明".to_string(),
        (None, true, Lang::En) => "start date not printed".to_string(),
        (Some(from), true, Lang::Zh) => format!("起始日未印明（不早于{from}）"),
        (Some(from), true, Lang::En) => format!("start date not printed (not before {from})"),
    }
}

pub fn money(amount: Decimal, lang: Lang) -> String {
    let yuan = grouped_yuan(amount);
    let policy_figure = if amount.abs() >= Decimal::from(100_000_000) {
        Some(format!("{}亿", (amount / Decimal::from(100_000_000)).round_dp(6).normalize()))
    } else if amount.abs() >= Decimal::from(10_000) {
        Some(format!("{}万", format_wan(amount)))
    } else {
        None
    };
    match (lang, policy_figure) {
        (Lang::Zh, Some(figure)) => format!("{figure}元"),
        (Lang::Zh, None) => format!("{}元", yuan.replace(',', "")),
        (Lang::En, Some(figure)) => format!("¥{yuan} ({figure})"),
        (Lang::En, None) => format!("¥{yuan}"),
    }
}

/// "250,000" or "1,234.50": thousands separators, fen only when there are any.
fn grouped_yuan(amount: Decimal) -> String {
    let text = crate::money::format_yuan(amount);
    let (sign, text) = text.strip_prefix('-').map(|t| ("-", t)).unwrap_or(("", text.as_str()));
    let (int, frac) = text.split_once('.').unwrap_or((text, "00"));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if frac == "00" {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{frac}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_in_both_languages() {
        assert_eq!(money(Decimal::from(250_000), Lang::Zh), "25万元");
        assert_eq!(money(Decimal::from(250_000), Lang::En), "¥250,000 (25万)");
        assert_eq!(money(Decimal::from(12_345_678), Lang::En), "¥12,345,678 (1234.5678万)");
        assert_eq!(money(Decimal::from(625_000_000), Lang::Zh), "6.25亿元");
        assert_eq!(money(Decimal::from(100_000_000), Lang::En), "¥100,000,000 (1亿)");
        assert_eq!(money(Decimal::new(35_050, 2), Lang::Zh), "350.50元");
        assert_eq!(money(Decimal::ZERO, Lang::Zh), "0元");
        assert_eq!(money(Decimal::ZERO, Lang::En), "¥0");
    }
}

pub fn value(bundle: &Bundle, v: Value, ty: Type, lang: Lang) -> String {
    match (v, ty) {
        (Value::Bool(b), _) => lang.pick(if b { "是" } else { "否" }, if b { "yes" } else { "no" }).into(),
        (Value::Num(n), Type::Money) => money(n, lang),
        (Value::Num(n), Type::Percent) => format_percent(n),
        (Value::Num(n), _) => n.normalize().to_string(),
        (Value::Date(d), _) => d.to_string(),
        (Value::Choice(c), Type::Choice(fact)) => bundle
            .catalogue
            .fact(fact)
            .options
            .get(c as usize)
            .map(|o| o.label.get(lang).to_string())
            .unwrap_or_default(),
        (Value::Choice(c), _) => c.to_string(),
    }
}

fn type_of(bundle: &Bundle, expr: &Expr) -> Type {
    match expr {
        Expr::Literal(_, t) => *t,
        Expr::Fact(i) => Type::of_fact(bundle.catalogue.fact(*i).kind, *i),
        Expr::Derived(d, _) => bundle.derived[*d].1,
        Expr::Arith(_, a, b) => match (type_of(bundle, a), type_of(bundle, b)) {
            (Type::Money, _) | (_, Type::Money) => Type::Money,
            (t, _) => t,
        },
        Expr::Negate(e) => type_of(bundle, e),
        _ => Type::Bool,
    }
}

/// An expression in words: "R&D spend increase ≥ 200万元".
pub fn describe(bundle: &Bundle, expr: &Expr, lang: Lang) -> String {
    match expr {
        Expr::Literal(v, t) => value(bundle, *v, *t, lang),
        Expr::Fact(i) => bundle.catalogue.fact(*i).label.get(lang).to_string(),
        Expr::Derived(d, _) => bundle.catalogue.derived[*d].label.get(lang).to_string(),
        Expr::Not(inner) => match lang {
            Lang::Zh => format!("并非：{}", describe(bundle, inner, lang)),
            Lang::En => format!("not: {}", describe(bundle, inner, lang)),
        },
        Expr::And(a, b) => format!("{}{}{}", describe(bundle, a, lang), lang.pick("，且", ", and "), describe(bundle, b, lang)),
        Expr::Or(a, b) => format!("({}{}{})", describe(bundle, a, lang), lang.pick(" 或 ", " or "), describe(bundle, b, lang)),
        Expr::Compare(cmp, a, b) => {
            format!("{} {} {}", describe(bundle, a, lang), cmp.symbol(), describe(bundle, b, lang))
        }
        Expr::OneOf(e, options) => {
            let ty = type_of(bundle, e);
            let names: Vec<String> = options.iter().map(|o| value(bundle, Value::Choice(*o), ty, lang)).collect();
            format!("{}{}{}", describe(bundle, e, lang), lang.pick("：", ": "), names.join(lang.pick("或", " or ")))
        }
        Expr::Arith(op, a, b) => {
            let symbol = match op {
                Arith::Add => "+",
                Arith::Sub => "−",
                Arith::Mul => "×",
                Arith::Div => "÷",
            };
            format!("({} {symbol} {})", describe(bundle, a, lang), describe(bundle, b, lang))
        }
        Expr::Negate(e) => format!("−{}", describe(bundle, e, lang)),
    }
}

/// One condition's outcome in words, with the numbers where a comparison decides it:
/// "研发投入新增额 ≥ 200万元 — 现为 150万元，差 50万元".
pub fn check(bundle: &Bundle, formula: &Formula, c: &ConditionCheck, lang: Lang) -> String {
    if let Some(label) = &formula.label {
        return label.get(lang).to_string();
    }
    let text = describe(bundle, &formula.expr, lang);
    let Expr::Compare(cmp, a, _) = &formula.expr else { return text };
    let (Some(left), Some(right)) = (c.left, c.right) else { return text };
    let ty = type_of(bundle, a);
    let now = value(bundle, left, ty, lang);
    let gap = match (left, right, c.holds, cmp) {
        (Value::Num(l), Value::Num(r), Some(false), Cmp::Ge | Cmp::Gt) => Some(r - l),
        (Value::Num(l), Value::Num(r), Some(false), Cmp::Le | Cmp::Lt) => Some(l - r),
        _ => None,
    };
    match (gap, lang) {
        (Some(g), Lang::Zh) if !g.is_zero() => format!("{text}（现为 {now}，差 {}）", value(bundle, Value::Num(g), ty, lang)),
        (Some(g), Lang::En) if !g.is_zero() => format!("{text} (now {now}, {} short)", value(bundle, Value::Num(g), ty, lang)),
        (_, Lang::Zh) => format!("{text}（现为 {now}）"),
        (_, Lang::En) => format!("{text} (now {now})"),
    }
}

/// How the amount is computed, in words: "5% × 研发投入新增额".
pub fn amount_rule(bundle: &Bundle, benefit: &Benefit, lang: Lang) -> String {
    let rule = match &benefit.amount {
        Amount::Fixed(v) => money(*v, lang),
        Amount::Rate { rate, of } | Amount::GrantShare { rate, of } => {
            format!("{} × {}", format_percent(*rate), describe(bundle, &of.expr, lang))
        }
        Amount::FeeReduction { rate, of } => match lang {
            Lang::Zh => format!("减免 {} × {}", format_percent(*rate), describe(bundle, &of.expr, lang)),
            Lang::En => format!("reduction of {} × {}", format_percent(*rate), describe(bundle, &of.expr, lang)),
        },
        Amount::PerUnit { value, count } => format!("{} × {}", money(*value, lang), describe(bundle, &count.expr, lang)),
        Amount::Tiers(tiers) => tiers
            .iter()
            .map(|(when, v)| format!("{} → {}", describe(bundle, &when.expr, lang), money(*v, lang)))
            .collect::<Vec<_>>()
            .join(lang.pick("；", "; ")),
        Amount::CaseByCase => lang.pick("金额按具体情况核定", "amount decided case by case").into(),
    };
    let rule = if benefit.up_to && !matches!(benefit.amount, Amount::CaseByCase) {
        format!("{}{rule}", lang.pick("不超过 ", "up to "))
    } else {
        rule
    };
    let rule = match benefit.cap {
        Some(cap) => format!("{rule}{}{}", lang.pick("，最高 ", ", capped at "), money(cap, lang)),
        None => rule,
    };
    match &benefit.bound {
        Some(bound) => match lang {
            Lang::Zh => format!("{rule}，且不超过{}", describe(bundle, &bound.expr, lang)),
            Lang::En => format!("{rule}, and never more than: {}", describe(bundle, &bound.expr, lang)),
        },
        None => rule,
    }
}

/// What bounds a case-by-case amount once its cost is known: "不超过 32万元（成果转化保险保费），
/// 上限 50万元不起作用".
pub fn case_by_case_ceiling(bundle: &Bundle, benefit: &Benefit, trace: &AmountTrace, lang: Lang) -> Option<String> {
    let (Some(bound), Some(cost)) = (&benefit.bound, trace.bound) else { return None };
    let what = describe(bundle, &bound.expr, lang);
    let binds = trace.cap.is_none_or(|cap| cost < cap);
    Some(match (lang, trace.cap, binds) {
        (Lang::Zh, Some(cap), true) => format!("不超过 {}（{what}），上限 {} 不起作用", money(cost, lang), money(cap, lang)),
        (Lang::Zh, Some(cap), false) => format!("不超过上限 {}（{what} {} 更高）", money(cap, lang), money(cost, lang)),
        (Lang::Zh, None, _) => format!("不超过 {}（{what}）", money(cost, lang)),
        (Lang::En, Some(cap), true) => format!("up to {}: {what}; the cap {} does not bind", money(cost, lang), money(cap, lang)),
        (Lang::En, Some(cap), false) => format!("up to the cap {}; {what}: {}, higher", money(cap, lang), money(cost, lang)),
        (Lang::En, None, _) => format!("up to {}: {what}", money(cost, lang)),
    })
}

/// The computation with its numbers: "5% × 500万元 = 25万元".
pub fn amount_trace(bundle: &Bundle, benefit: &Benefit, trace: &AmountTrace, amount: Decimal, lang: Lang) -> String {
    let computed = match (&benefit.amount, trace.base) {
        (Amount::Rate { rate, .. } | Amount::GrantShare { rate, .. } | Amount::FeeReduction { rate, .. }, Some(base)) => {
            format!("{} × {} = {}", format_percent(*rate), money(base, lang), money(trace.uncapped, lang))
        }
        (Amount::PerUnit { value, .. }, Some(n)) => {
            format!("{} × {} = {}", money(*value, lang), n.normalize(), money(trace.uncapped, lang))
        }
        (Amount::Tiers(tiers), _) => match trace.tier.and_then(|t| tiers.get(t)) {
            Some((when, v)) => format!("{} → {}", describe(bundle, &when.expr, lang), money(*v, lang)),
            None => money(trace.uncapped, lang),
        },
        _ => money(trace.uncapped, lang),
    };
    let computed = match (trace.capped, trace.cap) {
        (true, Some(cap)) => match lang {
            Lang::Zh => format!("{computed}，超过上限，按上限 {} 计", money(cap, lang)),
            Lang::En => format!("{computed}, above the cap: {}", money(cap, lang)),
        },
        _ => computed,
    };
    match (trace.bound_binds, trace.bound, &benefit.bound) {
        (true, Some(cost), Some(bound)) => match lang {
            Lang::Zh => format!("{computed}，超过{} {}，按其计", describe(bundle, &bound.expr, lang), money(cost, lang)),
            Lang::En => format!("{computed}, more than {} ({}): that is the amount", describe(bundle, &bound.expr, lang), money(cost, lang)),
        },
        _ if !trace.capped && amount != trace.uncapped => format!("{computed} → {}", money(amount, lang)),
        _ => computed,
    }
}

pub fn status_label(status: Status, validity: Validity, lang: Lang) -> &'static str {
    match (validity, status) {
        (Validity::Expired, _) => lang.pick("已失效", "expired"),
        (Validity::NotYetInForce, _) => lang.pick("尚未生效", "not yet in force"),
        (_, Status::Eligible) => lang.pick("可申请", "eligible"),
        (_, Status::NotEligible) => lang.pick("不符合条件", "not eligible"),
        (_, Status::NeedsAnswers) => lang.pick("待补充信息", "needs answers"),
        (_, Status::Superseded { .. }) => lang.pick("已被更优项目替代", "superseded by a better benefit"),
        (_, Status::Alternative { .. }) => lang.pick("可替代申请，不与同组已计项目重复享受", "an alternative: not paid beside the benefit counted in its group"),
        (_, Status::Error(_)) => lang.pick("无法计算", "cannot be computed"),
        (_, Status::NotInForce) => lang.pick("不在有效期内", "not in force"),
    }
}
