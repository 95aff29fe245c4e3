//! "What if": the total subsidy as one number changes, everything else as answered, and
//! the thresholds where the rules change their mind. Drawn by the app as a chart.

use crate::bundle::Bundle;
use crate::date::Date;
use crate::engine::evaluate;
use crate::expr::Expr;
use crate::facts::{Profile, Value};
use rust_decimal::Decimal;

/// The figures a rule compares this fact with directly (`rd_spend >= 1亿`), sorted.
pub fn thresholds(bundle: &Bundle, fact: usize) -> Vec<Decimal> {
    let mut found = Vec::new();
    for b in &bundle.benefits {
        for c in &b.conditions {
            collect(&c.expr, fact, &mut found);
        }
    }
    found.sort();
    found.dedup();
    found
}

fn collect(expr: &Expr, fact: usize, found: &mut Vec<Decimal>) {
    match expr {
        Expr::Compare(_, a, b) => {
            if let (Expr::Fact(f), Expr::Literal(Value::Num(n), _)) | (Expr::Literal(Value::Num(n), _), Expr::Fact(f)) = (&**a, &**b) {
                if *f == fact && *n > Decimal::ZERO {
                    found.push(*n);
                }
            }
        }
        Expr::And(a, b) | Expr::Or(a, b) | Expr::Arith(_, a, b) => {
            collect(a, fact, found);
            collect(b, fact, found);
        }
        Expr::Not(e) | Expr::Negate(e) | Expr::Derived(_, e) | Expr::OneOf(e, _) => collect(e, fact, found),
        Expr::Literal(..) | Expr::Fact(_) => {}
    }
}

/// The values to try: evenly from zero past the last threshold (or twice the current
/// answer), plus every threshold and the point just below it, so each step shows.
pub fn sample_points(thresholds: &[Decimal], current: Option<Decimal>, count: u32) -> Vec<Decimal> {
    // A bundle may compare with, or allow answers up to, numbers near Decimal's limit:
    // saturate rather than overflow there.
    let scaled = |x: Decimal, by: Decimal| x.checked_mul(by).unwrap_or(Decimal::MAX);
    let top = scaled(thresholds.iter().copied().max().unwrap_or_default(), Decimal::new(125, 2));
    let top = top.max(scaled(current.unwrap_or_default(), Decimal::TWO)).max(Decimal::ONE);
    let steps = Decimal::from(count.max(1));
    let mut points: Vec<Decimal> = (0..=count)
        .map(|i| {
            let i = Decimal::from(i);
            top.checked_mul(i).map(|x| x / steps).or_else(|| (top / steps).checked_mul(i)).unwrap_or(top)
        })
        .collect();
    for t in thresholds {
        points.push(*t);
        points.push((*t - Decimal::ONE).max(Decimal::ZERO));
    }
    points.extend(current);
    points.retain(|p| *p <= top);
    points.sort();
    points.dedup();
    points
}

/// The overall total at each value of `fact`, everything else as in `profile`.
pub fn totals_along(bundle: &Bundle, profile: &Profile, as_of: Date, fact: usize, xs: &[Decimal]) -> Vec<Decimal> {
    let mut what_if = profile.clone();
    xs.iter()
        .map(|x| {
            if let Some(slot) = what_if.values.get_mut(fact) {
                *slot = Some(Value::Num(*x));
            }
            evaluate(bundle, &what_if, as_of).totals.overall
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_points_near_the_limit_of_decimal_do_not_overflow() {
        // A bundle given at run time may compare with 99999999999999999999亿 (~10^28).
        let huge = Decimal::MAX / Decimal::TWO;
        for (thresholds, current) in [(vec![huge], None), (vec![Decimal::ONE], Some(huge)), (vec![Decimal::MAX], Some(Decimal::MAX))] {
            let xs = sample_points(&thresholds, current, 20);
            assert!(xs.windows(2).all(|w| w[0] < w[1]), "{xs:?}");
            assert!(xs.first() == Some(&Decimal::ZERO) && xs.len() > 20, "{xs:?}");
        }
    }

    #[test]
    fn steps_at_the_thresholds_of_the_embedded_rules() {
        let bundle = Bundle::embedded().unwrap();
        let rd = bundle.catalogue.index_of("rd_spend").unwrap();
        let ts = thresholds(&bundle, rd);
        // Binjiang's flat grants start at 1亿 and 5亿 of R&D spend.
        assert!(ts.contains(&Decimal::from(100_000_000)) && ts.contains(&Decimal::from(500_000_000)), "{ts:?}");

        // A Binjiang tech company above tech-SME size that spent 5亿 last year: on
        // 2024-01-10 (before the city's 2024 measures) the only R&D grant is Binjiang's,
        // which adds a flat 300万 at exactly 5亿 this year.
        let (profile, errors) = bundle.catalogue.read_profile(&serde_json::json!({
            "district": "binjiang", "tech_enterprise": true, "tech_sme_scale": false, "rd_spend_prev": "5亿"
        }));
        assert!(errors.is_empty());
        let as_of = Date::parse("2024-01-10").unwrap();
        let xs = sample_points(&ts, None, 20);
        let ys = totals_along(&bundle, &profile, as_of, rd, &xs);
        assert_eq!(xs.len(), ys.len());
        let at = |x: i64| ys[xs.iter().position(|p| *p == Decimal::from(x)).expect("threshold sampled")];
        assert_eq!(at(500_000_000) - at(499_999_999), Decimal::from(3_000_000));
        assert!(xs.windows(2).all(|w| w[0] < w[1]));
        assert!(ys.iter().all(|y| *y >= Decimal::ZERO));
    }
}
