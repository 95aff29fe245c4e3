//! What changes around a date: editions and benefits that stop, application windows that
//! close, and what differs between two editions of the same policy (documents sharing a
//! `series`). Pure functions of the bundle; the app and the JS API put them in words.

use crate::bundle::Bundle;
use crate::date::Date;
use crate::explain;
use crate::rules::{Benefit, Document};
use crate::text::{Lang, Text};

/// What ends: the document's validity, a benefit's own validity (an item with its own
/// 实施期限), or a stated application window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    Document,
    Benefit,
    Application,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expiry {
    pub what: Ending,
    pub document: usize,
    /// For `Benefit`, and for an application window a benefit states itself.
    pub benefit: Option<usize>,
    /// The last day (in force, or to apply).
    pub ends: Date,
    /// Days from the date asked about to `ends` (0: ends that day).
    pub days_left: i64,
}

/// Everything that ends from `date` to `within_days` days after it, soonest first. Only
/// stated ends count: a document with no end date never "expires".
pub fn expiring(bundle: &Bundle, date: Date, within_days: i64) -> Vec<Expiry> {
    let mut found = Vec::new();
    let mut add = |what, document, benefit, ends: Option<Date>| {
        if let Some(ends) = ends {
            let days_left = date.days_until(ends);
            if (0..=within_days).contains(&days_left) && !found.contains(&Expiry { what, document, benefit, ends, days_left }) {
                found.push(Expiry { what, document, benefit, ends, days_left });
            }
        }
    };
    for (d, doc) in bundle.documents.iter().enumerate() {
        add(Ending::Document, d, None, doc.valid.stated_to());
        add(Ending::Application, d, None, doc.application.as_ref().and_then(|p| p.window.stated_to()));
    }
    for (i, b) in bundle.benefits.iter().enumerate() {
        let doc = &bundle.documents[b.document];
        // A benefit's own end, where it is not simply the document's.
        if b.valid.to != doc.valid.to {
            add(Ending::Benefit, b.document, Some(i), b.valid.stated_to());
        }
        if b.application != doc.application {
            add(Ending::Application, b.document, Some(i), b.application.as_ref().and_then(|p| p.window.stated_to()));
        }
    }
    found.sort_by_key(|e| (e.ends, e.document, e.benefit));
    found
}

/// Two editions of one policy, the older first (by the start of their performance periods).
#[derive(Debug, Clone, PartialEq)]
pub struct EditionChanges {
    pub series: String,
    pub older: usize,
    pub newer: usize,
    pub changes: Vec<BenefitChange>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum BenefitChange {
    /// Only in the newer edition.
    Added { newer: usize },
    /// Only in the older edition.
    Dropped { older: usize },
    /// In both, with the differences (`what`: amount, conditions, frequency), each with
    /// the old and new wording.
    Changed { older: usize, newer: usize, what: Vec<Difference> },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// amount | conditions | frequency
    pub field: &'static str,
    pub before: Text,
    pub after: Text,
}

/// The same benefit in two editions: the id after the document's id (`binjiang-2024-rd-flat`
/// and `binjiang-2025-rd-flat` are both `rd-flat`), or the whole id where it does not start
/// with the document's.
fn key<'a>(benefit: &'a Benefit, doc: &Document) -> &'a str {
    benefit.id.strip_prefix(doc.id.as_str()).and_then(|rest| rest.strip_prefix('-')).unwrap_or(&benefit.id)
}

fn both(f: impl Fn(Lang) -> String) -> Text {
    Text { zh: f(Lang::Zh), en: f(Lang::En) }
}

fn differences(bundle: &Bundle, old: &Benefit, new: &Benefit) -> Vec<Difference> {
    let mut out = Vec::new();
    let amount = |b: &Benefit| both(|lang| explain::amount_rule(bundle, b, lang));
    if amount(old) != amount(new) {
        out.push(Difference { field: "amount", before: amount(old), after: amount(new) });
    }
    // The place condition comes first and is the document's, not the benefit's.
    let conditions = |b: &Benefit| b.conditions.iter().skip(1).map(|c| c.source.clone()).collect::<Vec<_>>();
    if conditions(old) != conditions(new) {
        let text = |b: &Benefit| {
            let joined = conditions(b).join("; ");
            Text { zh: joined.clone(), en: joined }
        };
        out.push(Difference { field: "conditions", before: text(old), after: text(new) });
    }
    if (old.frequency, old.years) != (new.frequency, new.years) {
        let text = |b: &Benefit| {
            let f = format!("{:?}{}", b.frequency, b.years.map(|y| format!(" ({y})")).unwrap_or_default());
            Text { zh: f.clone(), en: f }
        };
        out.push(Difference { field: "frequency", before: text(old), after: text(new) });
    }
    out
}

/// For every series with two or more editions, each pair of consecutive editions and the
/// benefits that were added, dropped or changed between them. Empty when no policy has two
/// editions in the bundle.
pub fn edition_changes(bundle: &Bundle) -> Vec<EditionChanges> {
    let mut series: Vec<&str> = bundle.documents.iter().filter_map(|d| d.series.as_deref()).collect();
    series.sort_unstable();
    series.dedup();
    let mut out = Vec::new();
    for s in series {
        let mut editions: Vec<usize> = (0..bundle.documents.len()).filter(|&d| bundle.documents[d].series.as_deref() == Some(s)).collect();
        editions.sort_by_key(|&d| (bundle.documents[d].performance.from, bundle.documents[d].valid.from));
        for pair in editions.windows(2) {
            let (older, newer) = (pair[0], pair[1]);
            let (old_doc, new_doc) = (&bundle.documents[older], &bundle.documents[newer]);
            let of = |d: usize| bundle.benefits.iter().enumerate().filter(move |(_, b)| b.document == d);
            let mut changes = Vec::new();
            for (o, old) in of(older) {
                match of(newer).find(|(_, new)| key(new, new_doc) == key(old, old_doc)) {
                    None => changes.push(BenefitChange::Dropped { older: o }),
                    Some((n, new)) => {
                        let what = differences(bundle, old, new);
                        if !what.is_empty() {
                            changes.push(BenefitChange::Changed { older: o, newer: n, what });
                        }
                    }
                }
            }
            for (n, new) in of(newer) {
                if !of(older).any(|(_, old)| key(old, old_doc) == key(new, new_doc)) {
                    changes.push(BenefitChange::Added { newer: n });
                }
            }
            out.push(EditionChanges { series: s.to_string(), older, newer, changes });
        }
    }
    out
}
