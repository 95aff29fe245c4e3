//! The order in which the questionnaire asks: the district, then the first-screen facts
//! (size, revenue, R&D spend, recognitions…), then what can still settle the most money, a
//! few questions at a time. Yes/no questions of one section come together as one
//! checklist ("tick what applies; the rest are no"), since most of them are "no" for any
//! one company. The app and the five-minute measurement (`tests/guide.rs`) use this one
//! guide, so the measured counts are the app's.

use crate::engine::{next_questions, Evaluation};
use crate::facts::FactKind;
use crate::{Bundle, Status, Validity};
use rust_decimal::Decimal;

/// How many open questions the guide keeps in front of the visitor.
pub const BATCH: usize = 3;
/// The most yes/no questions one checklist holds.
pub const CHECKLIST_MAX: usize = 30;

/// One thing put to the visitor: a question, or a checklist of yes/no questions of one
/// section (`checklist` is then that section's index).
#[derive(Debug, Clone, PartialEq)]
pub struct Ask {
    pub facts: Vec<usize>,
    pub checklist: Option<usize>,
}

/// What was asked so far, in the order it was put to the visitor. An ask stays in the
/// list (so a field never jumps away while it is typed in); one left "don't know" can be
/// passed over with `skip_open`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Guide {
    pub asked: Vec<Ask>,
    skipped: Vec<usize>,
}

impl Guide {
    pub fn new() -> Guide {
        Guide::default()
    }

    /// Whether fact `f` was put to the visitor.
    pub fn has_asked(&self, f: usize) -> bool {
        self.asked.iter().any(|a| a.facts.contains(&f))
    }

    /// Brings the list up to date: the district alone first (it decides which documents
    /// apply), then every first-screen fact that can still change a result, in its order,
    /// then, while fewer than `BATCH` asks are open (a fact unanswered and not passed
    /// over), the others by what they can still be worth.
    pub fn update(&mut self, bundle: &Bundle, eval: &Evaluation, answered: &dyn Fn(usize) -> bool) {
        let district = bundle.district_fact();
        if !self.has_asked(district) {
            self.asked.insert(0, Ask { facts: vec![district], checklist: None });
        }
        if !answered(district) {
            return;
        }
        let (next, follow_ups) = follow_ups_first(bundle, eval, next_questions(eval));
        let new = |guide: &Guide, f: usize| !guide.has_asked(f) && !answered(f);
        let catalogue = &bundle.catalogue;
        let section_of = |f: usize| catalogue.sections.iter().position(|s| s.id == catalogue.fact(f).section);
        // Its yes/no questions as one checklist, where it begins; the others one by one.
        let first: Vec<usize> = catalogue.first_screen.iter().copied().filter(|&f| next.iter().any(|q| q.fact == f) && new(self, f)).collect();
        let checklist: Vec<usize> = first.iter().copied().filter(|&f| catalogue.fact(f).kind == FactKind::Bool).collect();
        if let Some(&head) = checklist.first() {
            self.asked.push(Ask { facts: checklist.clone(), checklist: section_of(head) });
        }
        for f in first.into_iter().filter(|f| !checklist.contains(f)) {
            self.asked.push(Ask { facts: vec![f], checklist: None });
        }
        // An amount that a company's answers point to is asked first and on its own ("how
        // much was the premium?"); the questions a tick answers come with those of their
        // section, by worth.
        let amount_follow_up = |f: usize| follow_ups.contains(&f);
        let amounts_first = next.iter().filter(|q| amount_follow_up(q.fact)).chain(next.iter().filter(|q| !amount_follow_up(q.fact)));
        for q in amounts_first {
            if self.open(answered).count() >= BATCH {
                break;
            }
            if !new(self, q.fact) {
                continue;
            }
            let ask = match (ticks(bundle, q.fact) && !amount_follow_up(q.fact), section_of(q.fact)) {
                (true, Some(section)) => {
                    let facts = next
                        .iter()
                        .map(|o| o.fact)
                        .filter(|&o| ticks(bundle, o) && !amount_follow_up(o) && section_of(o) == Some(section) && new(self, o))
                        .take(CHECKLIST_MAX)
                        .collect();
                    Ask { facts, checklist: Some(section) }
                }
                _ => Ask { facts: vec![q.fact], checklist: None },
            };
            self.asked.push(ask);
        }
    }

    /// The asks with a fact still open (unanswered and not passed over), in order.
    pub fn open<'a>(&'a self, answered: &'a dyn Fn(usize) -> bool) -> impl Iterator<Item = &'a Ask> + 'a {
        self.asked.iter().filter(move |a| a.facts.iter().any(|&f| !answered(f) && !self.skipped.contains(&f)))
    }

    /// Passes over the open questions (the visitor does not know them), so that `update`
    /// brings the next ones. They stay in the list and can still be answered.
    pub fn skip_open(&mut self, answered: &dyn Fn(usize) -> bool) {
        let open: Vec<usize> = self.open(answered).flat_map(|a| a.facts.iter().copied()).filter(|&f| !answered(f)).collect();
        for f in open {
            self.skip(f);
        }
    }

    /// Passes over one question.
    pub fn skip(&mut self, fact: usize) {
        if !self.skipped.contains(&fact) {
            self.skipped.push(fact);
        }
    }
}

/// Whether a question can go in a checklist: a yes/no question (ticked: yes), or an
/// amount, count or level that a company without the thing answers with 0 or "none"
/// (ticked: the field to fill in). Unticked, all of them are "no" / 0 / "none".
pub fn ticks(bundle: &Bundle, f: usize) -> bool {
    let fact = &bundle.catalogue.facts[f];
    match fact.spec.kind {
        FactKind::Bool => true,
        FactKind::Money | FactKind::Count => fact.min <= Decimal::ZERO && fact.spec.per_item.is_none(),
        FactKind::Choice => fact.spec.options.iter().any(|o| o.id == NONE),
        FactKind::Percent | FactKind::Date => false,
    }
}

/// The option id that means "none of these" in a choice.
pub const NONE: &str = "none";

/// The answer an unticked checklist question gets.
pub fn unticked_answer(bundle: &Bundle, f: usize) -> &'static str {
    match bundle.catalogue.fact(f).kind {
        FactKind::Bool => "false",
        FactKind::Choice => NONE,
        _ => "0",
    }
}

/// Follow-up questions first: those of benefits that a specific answer already points
/// to — a condition met on a fact that only a few benefits read (at most `SPECIFIC` of the
/// ~350), such as "joined 科创安心宝" or "a foreign-trade firm", unlike "a technology
/// company" (dozens) — so the amounts of what a company has said it did come before long
/// shots; by worth within. Also returns the follow-ups to ask one by one: those of
/// benefits that wait only on amounts. `SPECIFIC` = 12 was chosen on the companies of
/// `tests/guide.rs` (at 3 the trading firm's export-insurance premium came too late).
fn follow_ups_first(bundle: &Bundle, eval: &Evaluation, mut next: Vec<crate::engine::NextQuestion>) -> (Vec<crate::engine::NextQuestion>, Vec<usize>) {
    const SPECIFIC: usize = 12;
    let mut readers = vec![0usize; bundle.catalogue.facts.len()];
    for b in &bundle.benefits {
        let mut read = vec![false; readers.len()];
        for c in &b.conditions {
            c.expr.for_each_fact(&mut |f| if f < read.len() { read[f] = true });
        }
        for (f, r) in read.iter().enumerate() {
            readers[f] += usize::from(*r);
        }
    }
    let pointed: Vec<&crate::engine::BenefitResult> = eval
        .results
        .iter()
        .filter(|r| r.validity == Validity::InForce && r.status == Status::NeedsAnswers && !r.claim.is_closed())
        .filter(|r| {
            let b = &bundle.benefits[r.benefit];
            eval.checks_of(r).iter().any(|c| {
                let mut specific = false;
                b.conditions[c.condition].expr.for_each_fact(&mut |f| specific |= readers.get(f).is_some_and(|&n| n <= SPECIFIC));
                c.holds == Some(true) && specific
            })
        })
        .collect();
    let follow_up = |f: &usize| pointed.iter().any(|r| eval.missing_of(r).contains(f));
    // Asked on their own: the amounts of pointed benefits that wait only on amounts.
    let amounts_only = |f: &usize| {
        pointed.iter().any(|r| eval.missing_of(r).contains(f) && eval.missing_of(r).iter().all(|&m| bundle.catalogue.fact(m).kind != FactKind::Bool))
    };
    let amounts: Vec<usize> = next.iter().map(|q| q.fact).filter(amounts_only).collect();
    // A stable sort keeps the worth order within each tier.
    next.sort_by_key(|q| !follow_up(&q.fact));
    (next, amounts)
}

/// What answering `facts` could still settle: the most the benefits in force that wait
/// on any of them could be worth together (each benefit counted once).
pub fn worth_settled_by(eval: &Evaluation, facts: &[usize]) -> Decimal {
    eval.results
        .iter()
        .filter(|r| r.validity == Validity::InForce && r.status == Status::NeedsAnswers && !r.claim.is_closed())
        .filter(|r| eval.missing_of(r).iter().any(|f| facts.contains(f)))
        .filter_map(|r| r.max_amount)
        .sum()
}
