//! Issue 12, item 3: two benefits that pay against the same figure (the money fact their
//! amount is a share of, or the cost it is bounded by) and can be in force together must
//! either be in a common `[[exclusive]]` group (the texts forbid paying twice) or be marked
//! `stacks_with` (the texts pay both, on purpose). Anything else is a pair nobody has
//! reviewed, and `huiqi check` (and the rules tests) report it.
//!
//! This is a review check, not a condition of loading: a bundle with such a pair still
//! evaluates, so it is run by `huiqi check` and `cargo test`, not by `Bundle::from_json`.

use crate::bundle::{Bundle, RuleError};
use crate::facts::FactKind;
use crate::rules::{Benefit, Window};

/// The money facts a benefit's amount is based on: those read by its rate, grant-share or
/// fee-reduction base and by its `bounded_by` cost (derived quantities by their facts).
pub fn base_facts(bundle: &Bundle, benefit: &Benefit) -> Vec<usize> {
    use crate::rules::Amount;
    let mut facts = Vec::new();
    let base = match &benefit.amount {
        Amount::Rate { of, .. } | Amount::GrantShare { of, .. } | Amount::FeeReduction { of, .. } => Some(of),
        _ => None,
    };
    for formula in base.into_iter().chain(benefit.bound.as_ref()) {
        formula.expr.for_each_fact(&mut |f| {
            if bundle.catalogue.fact(f).kind == FactKind::Money && !facts.contains(&f) {
                facts.push(f);
            }
        });
    }
    facts
}

fn overlap(a: Window, b: Window) -> Option<Window> {
    let from = a.from.max(b.from);
    let to = a.to.min(b.to);
    (from <= to).then_some(Window { from, to, from_not_printed: a.from_not_printed || b.from_not_printed })
}

/// Every pair of benefits based on the same figure, in force together and able to apply
/// to the same company, that is neither grouped nor marked as stacking: one error per pair,
/// on the benefit that comes first in the bundle.
pub fn unreviewed_overlaps(bundle: &Bundle) -> Vec<RuleError> {
    let bases: Vec<Vec<usize>> = bundle.benefits.iter().map(|b| base_facts(bundle, b)).collect();
    let grouped = |a: usize, b: usize| bundle.exclusive_groups.iter().any(|g| g.benefits.contains(&a) && g.benefits.contains(&b));
    let marked = |a: &Benefit, b: &Benefit| a.stacks_with.iter().any(|s| s.benefit == b.id) || b.stacks_with.iter().any(|s| s.benefit == a.id);
    let mut errors = Vec::new();
    for (i, a) in bundle.benefits.iter().enumerate() {
        for (j, b) in bundle.benefits.iter().enumerate().skip(i + 1) {
            let shared: Vec<&str> = bases[i].iter().filter(|f| bases[j].contains(f)).map(|&f| bundle.catalogue.fact(f).id.as_str()).collect();
            if shared.is_empty() || grouped(i, j) || marked(a, b) {
                continue;
            }
            let (doc_a, doc_b) = (&bundle.documents[a.document], &bundle.documents[b.document]);
            // A company is registered in one district: two districts' benefits never meet.
            if matches!((&doc_a.district, &doc_b.district), (Some(x), Some(y)) if x != y) {
                continue;
            }
            let Some(together) = overlap(a.valid, b.valid) else { continue };
            let to = if together.to == Window::OPEN_END { "no end date".to_string() } else { together.to.to_string() };
            errors.push(RuleError {
                file: doc_a.file.clone(),
                item: format!("benefit `{}`", a.id),
                message: format!(
                    "`{}` and `{}` ({}) are both paid against `{}` and are in force together ({} to {to}), \
                     but are in no common [[exclusive]] group and neither is marked as stacking with the other. \
                     If a text forbids paying both (不重复, 从优, 就高, 不得重复享受…), put them in an [[exclusive]] group quoting that clause; \
                     if both are paid on purpose, add to one of them \
                     `stacks_with = [{{ benefit = \"{}\", reason = {{ zh = \"…\", en = \"…\" }} }}]` with the reason, quoting the text.",
                    a.id,
                    b.id,
                    doc_b.file,
                    shared.join("`, `"),
                    together.from,
                    b.id,
                ),
            });
        }
    }
    errors
}
