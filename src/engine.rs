//! Evaluates every benefit of a bundle for one company profile on one date.
//!
//! Three-valued: each benefit is eligible (with its amount), not eligible (with the
//! condition that failed) or needs answers (with the facts that would settle it and the
//! most it could be worth). Then non-duplication groups pick the best of exclusive
//! benefits, per-company caps bind, and totals are split by who pays.

use crate::bundle::Bundle;
use crate::date::Date;
use crate::expr::{compare, EvalError, Expr};
use crate::facts::{FactKind, Profile, Value};

use crate::money::{round_yuan, MAX_YUAN};
use crate::rules::{Amount, Benefit, Level, Period, Window};
use rust_decimal::Decimal;
use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Validity {
    InForce,
    Expired,
    NotYetInForce,
}

/// When a company asks: on which day, and (optionally) for which policy year ("our
/// results of 2025"). Without a year, benefits in force on `as_of` are assessed; with
/// one, benefits whose performance period covers that year in a document in force in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    pub as_of: Date,
    pub policy_year: Option<i32>,
}

impl Timing {
    /// "Open now": what is in force on the day.
    pub fn on(as_of: Date) -> Timing {
        Timing { as_of, policy_year: None }
    }

    pub fn for_year(as_of: Date, year: i32) -> Timing {
        Timing { as_of, policy_year: Some(year) }
    }
}

/// Whether a company can apply now, as the text states it. Never a date the text does
/// not give: where it states no window, it is `NotStated`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// The text states no application window: nothing in it stops a claim now.
    NotStated,
    /// The stated window is open on `as_of`; `until` is its last day where stated.
    Open { until: Option<Date> },
    /// The stated window opens on this day.
    NotYetOpen { opens: Date },
    /// The stated window closed on this day (逾期不再受理).
    Closed { on: Date },
    /// The policy year's performance period runs until this day (the year's end, or the
    /// period's if sooner): claim once it has closed. No window is stated.
    AfterPeriod { ends: Date },
}

impl Claim {
    /// Whether the company can no longer claim it.
    pub fn is_closed(&self) -> bool {
        matches!(self, Claim::Closed { .. })
    }
}

/// Where a stated application window stands on `as_of`, or the performance period of the
/// policy year where no window is stated.
pub fn claim_on(application: Option<&Period>, performance: Window, timing: Timing) -> Claim {
    let as_of = timing.as_of;
    if let Some(p) = application {
        return if as_of < p.window.from {
            Claim::NotYetOpen { opens: p.window.from }
        } else if as_of > p.window.to {
            Claim::Closed { on: p.window.to }
        } else {
            Claim::Open { until: p.window.stated_to() }
        };
    }
    match timing.policy_year {
        Some(year) => {
            let ends = performance.to.min(Window::year(year).to);
            if as_of <= ends {
                Claim::AfterPeriod { ends }
            } else {
                Claim::NotStated
            }
        }
        None => Claim::NotStated,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Eligible,
    NotEligible,
    NeedsAnswers,
    /// Eligible, but a better benefit of the same non-duplication group is paid instead.
    Superseded { by: usize, group: usize },
    /// Eligible, amount decided case by case, in a non-duplication group with a benefit
    /// that is paid instead (`to`): not paid beside it, and not known to be worth less, so
    /// the company may apply for this one in its place. Not counted in the totals.
    Alternative { to: usize, group: usize },
    /// The numbers given overflow or divide by zero; the message names the benefit.
    Error(EvalErrorKind),
    /// Not in force on the as-of date (see `Validity`): listed with its dates, not evaluated.
    NotInForce,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EvalErrorKind {
    Overflow,
    DivisionByZero,
}

impl From<EvalError> for EvalErrorKind {
    fn from(e: EvalError) -> Self {
        match e {
            EvalError::Overflow => EvalErrorKind::Overflow,
            EvalError::DivisionByZero => EvalErrorKind::DivisionByZero,
        }
    }
}

/// How one condition came out, with the two sides of a comparison where there is one
/// (so "R&D increase 150万, needs ≥ 200万" can be said).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ConditionCheck {
    /// Index into `Benefit::conditions`.
    pub condition: usize,
    /// `None`: unknown yet.
    pub holds: Option<bool>,
    pub left: Option<Value>,
    pub right: Option<Value>,
}

/// How the amount was computed.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct AmountTrace {
    /// The base the rate applies to, or the count of units.
    pub base: Option<Decimal>,
    /// Which tier applied.
    pub tier: Option<usize>,
    /// Before the cap.
    pub uncapped: Decimal,
    pub cap: Option<Decimal>,
    pub capped: bool,
    /// The cost the amount is paid against (`bounded_by`), and whether it cut the amount.
    pub bound: Option<Decimal>,
    pub bound_binds: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BenefitResult {
    pub benefit: usize,
    /// On `as_of`, or for the policy year where one is given.
    pub validity: Validity,
    /// Whether it can be claimed now (see `Claim`).
    pub claim: Claim,
    pub status: Status,
    /// For an eligible benefit: the amount in 元 after its cap; `None` when the document
    /// leaves the amount to be decided case by case.
    pub amount: Option<Decimal>,
    /// For a benefit that needs answers: the most it could be worth, where that is known.
    pub max_amount: Option<Decimal>,
    /// Boxed: only an eligible benefit has one, and the result is copied for every
    /// benefit of every company a register holds.
    pub trace: Option<Box<AmountTrace>>,
    /// Range into `Evaluation::checks`.
    pub checks: Range<usize>,
    /// Range into `Evaluation::missing`.
    pub missing: Range<usize>,
    /// For a benefit assessed per item with more than one item: range into
    /// `Evaluation::items`, each item's own result; this result adds them up.
    pub items: Range<usize>,
}

/// One item's result of a benefit assessed per item (its checks and missing facts are
/// ranges into the evaluation's lists, as for a benefit).
#[derive(Debug, Clone, PartialEq)]
pub struct ItemResult {
    /// 1 for the plain answers, 2 and up for `fact#2`….
    pub item: u8,
    pub result: BenefitResult,
}

/// A per-company cap that cut the sum of its benefits.
#[derive(Debug, Clone, PartialEq)]
pub struct CapAdjustment {
    pub cap: usize,
    pub before: Decimal,
    pub after: Decimal,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Totals {
    /// Provincial money passed through a city or district programme (e.g. a fund the
    /// province, city and district share 1:1:1).
    pub province: Decimal,
    pub city: Decimal,
    pub district: Decimal,
    pub overall: Decimal,
    /// Some amount in the total is a ceiling (按不超过): show the total as "up to".
    pub up_to: bool,
    /// Eligible benefits whose amount is decided case by case (not in the sums).
    pub case_by_case: usize,
    /// Benefits still needing answers, and the most they could add where known.
    pub needs_answers: usize,
    pub needs_answers_max: Decimal,
    /// Eligible benefits whose stated application window has closed: not in the sums.
    pub closed: usize,
    pub closed_amount: Decimal,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    pub as_of: Date,
    /// The policy year asked about, if any (see `Timing`).
    pub policy_year: Option<i32>,
    /// The district answered (an option of the `district` fact), if any.
    pub district: Option<u16>,
    pub results: Vec<BenefitResult>,
    pub checks: Vec<ConditionCheck>,
    pub missing: Vec<usize>,
    pub items: Vec<ItemResult>,
    pub cap_adjustments: Vec<CapAdjustment>,
    pub totals: Totals,
}

impl Evaluation {
    /// Nothing evaluated yet, with room for this bundle's results (`evaluate_into` fills it).
    pub fn empty(bundle: &Bundle, timing: Timing) -> Evaluation {
        Evaluation {
            as_of: timing.as_of,
            policy_year: timing.policy_year,
            district: None,
            results: Vec::with_capacity(bundle.benefits.len()),
            checks: Vec::with_capacity(bundle.benefits.len() * 3),
            // A sparse profile (a register's row) leaves most benefits needing a few
            // answers: sized for that, so the list is not grown and copied again and again.
            missing: Vec::with_capacity(bundle.benefits.len() * 4),
            items: Vec::new(),
            cap_adjustments: Vec::new(),
            totals: Totals::default(),
        }
    }

    pub fn checks_of(&self, r: &BenefitResult) -> &[ConditionCheck] {
        &self.checks[r.checks.clone()]
    }

    pub fn missing_of(&self, r: &BenefitResult) -> &[usize] {
        &self.missing[r.missing.clone()]
    }

    pub fn items_of(&self, r: &BenefitResult) -> &[ItemResult] {
        &self.items[r.items.clone()]
    }

    /// Whether benefit result `r` of this evaluation came out exactly as `o` of `other`:
    /// the same status, amounts, checks and missing facts. The ranges are positions in
    /// each evaluation's own lists, so their contents are compared, not the ranges.
    pub fn same_result(&self, r: &BenefitResult, other: &Evaluation, o: &BenefitResult) -> bool {
        // Destructured in full, so a new field cannot be left out of the comparison.
        let BenefitResult { benefit, validity, claim, status, amount, max_amount, trace, checks: _, missing: _, items: _ } = r;
        let (mine, theirs) = (self.items_of(r), other.items_of(o));
        *benefit == o.benefit
            && *validity == o.validity
            && *claim == o.claim
            && *status == o.status
            && *amount == o.amount
            && *max_amount == o.max_amount
            && *trace == o.trace
            && self.checks_of(r) == other.checks_of(o)
            && self.missing_of(r) == other.missing_of(o)
            && mine.len() == theirs.len()
            && mine.iter().zip(theirs).all(|(a, b)| a.item == b.item && self.same_result(&a.result, other, &b.result))
    }
}

/// What is the same for every company asking on one day about one year, for every
/// benefit in bundle order: whether it is in force, whether it can be claimed, and its
/// amount where that reads no answer (a fixed sum). A register reads it once, not once
/// per company.
#[derive(Debug, Clone)]
pub struct Schedule {
    pub timing: Timing,
    benefits: Vec<Planned>,
    /// The digits of every `Recall`, one after the other: a company's keys are read from
    /// one small list, not from a list of each benefit's own.
    digits: Vec<(u32, Digit)>,
}

#[derive(Debug, Clone)]
struct Planned {
    validity: Validity,
    claim: Claim,
    /// `compute_amount`'s outcome where the amount and its bound read no fact. Boxed:
    /// only a benefit evaluated afresh reads it, and the loop over a company's benefits
    /// reads the rest of `Planned` for every one, so it stays a few bytes each.
    amount: Option<Box<Result<AmountOutcome, EvalError>>>,
    /// For a benefit in force: how its answers are told apart, so a `Memo` can give its
    /// result again.
    recall: Option<Recall>,
}

/// The inputs of a benefit (not assessed per item), as the digits of one number: each
/// fact unanswered (0), or its answer (1 + false/true, or 1 + the option); a number or a
/// date only unanswered (an answered one has no key: the benefit is evaluated).
#[derive(Debug, Clone)]
struct Recall {
    /// The facts read and their digits: a range of `Schedule::digits`.
    facts: Range<u32>,
    /// How many keys there are: the product of the digits' ranges.
    keys: u32,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Digit {
    Bool,
    Choice { options: u16 },
    /// A number or a date: remembered only while unanswered (a register without the
    /// column), evaluated as usual once answered.
    Unanswered,
}

impl Digit {
    fn range(self) -> usize {
        match self {
            Digit::Bool => 3,
            Digit::Choice { options } => options as usize + 1,
            Digit::Unanswered => 1,
        }
    }
}

/// The most keys a benefit is remembered by: a few thousand, so a thread's memo stays
/// small whatever bundle it is given (the embedded rules need at most 3,375).
const MAX_KEYS: usize = 4096;

impl Recall {
    /// The benefit's recall, its digits added to `digits` (nothing added for `None`).
    fn of(bundle: &Bundle, benefit: &Benefit, digits: &mut Vec<(u32, Digit)>) -> Option<Recall> {
        if benefit.per_item.is_some() {
            return None;
        }
        let mut read = Vec::new();
        let mut note = |f: usize| {
            if !read.contains(&f) {
                read.push(f)
            }
        };
        benefit.conditions.iter().for_each(|c| c.expr.for_each_fact(&mut note));
        for_each_amount_fact(benefit, &mut note);
        let mut keys = 1usize;
        let mut facts = Vec::with_capacity(read.len());
        for f in read {
            let fact = &bundle.catalogue.facts.get(f)?.spec;
            let digit = match fact.kind {
                FactKind::Bool => Digit::Bool,
                FactKind::Choice => Digit::Choice { options: u16::try_from(fact.options.len()).ok()? },
                FactKind::Money | FactKind::Count | FactKind::Percent | FactKind::Date => Digit::Unanswered,
            };
            keys = keys.checked_mul(digit.range()).filter(|&k| k <= MAX_KEYS)?;
            facts.push((u32::try_from(f).ok()?, digit));
        }
        let start = u32::try_from(digits.len()).ok()?;
        let end = u32::try_from(digits.len() + facts.len()).ok()?;
        digits.extend(facts);
        Some(Recall { facts: start..end, keys: u32::try_from(keys).ok()? })
    }

    /// The key of these answers; `None` for an answered number or date, or an answer of
    /// another kind than its fact's (possible in a profile built by hand): the benefit is
    /// then evaluated as usual.
    fn key(&self, digits: &[(u32, Digit)], answers: &[Option<Value>]) -> Option<usize> {
        let mut key = 0;
        // The first fact read (the district, of the place condition every benefit starts
        // with) is the last digit: a company's keys for one benefit then differ by district
        // within one cache line, not across the whole table.
        for &(f, digit) in digits.get(self.facts.start as usize..self.facts.end as usize)?.iter().rev() {
            // Matched by reference: the answer is not copied out first.
            let d = match (answers.get(f as usize), digit) {
                (None | Some(None), _) => 0,
                (Some(Some(Value::Bool(b))), Digit::Bool) => 1 + usize::from(*b),
                (Some(Some(Value::Choice(c))), Digit::Choice { options }) if *c < options => 1 + usize::from(*c),
                _ => return None,
            };
            key = key * digit.range() + d;
        }
        Some(key)
    }
}

/// Results kept from one company to the next (one memo per thread of a register run).
/// A register's companies give the same few yes/no and choice answers again and again,
/// and leave the same facts unanswered (those it has no column for): a benefit whose
/// numbers and dates are all unanswered is evaluated once per combination of its other
/// answers, and its result copied after that. The result is the same as evaluating (but
/// for the condition checks, not kept): the key tells every input of the benefit apart.
#[derive(Debug, Clone, Default)]
pub struct Memo {
    /// Per benefit, by key: 1 + the index of its result in `results` (0: not seen yet).
    slots: Vec<Vec<u32>>,
    results: Vec<BenefitResult>,
    missing: Vec<usize>,
}

impl Memo {
    /// How many results it keeps (one per benefit and combination of answers seen).
    pub fn len(&self) -> usize {
        self.results.len()
    }

    pub fn is_empty(&self) -> bool {
        self.results.is_empty()
    }
}

impl Schedule {
    pub fn new(bundle: &Bundle, timing: Timing) -> Schedule {
        Schedule::read(bundle, timing, true)
    }

    /// `recall`: whether to read how a `Memo` tells each benefit's answers apart, which
    /// only a run of many companies uses (one evaluation alone does not need it).
    fn read(bundle: &Bundle, timing: Timing, recall: bool) -> Schedule {
        let mut digits = Vec::new();
        let benefits = bundle
            .benefits
            .iter()
            .map(|b| {
                let validity = validity(b, timing);
                Planned {
                    validity,
                    claim: claim_on(b.application.as_ref(), b.performance, timing),
                    amount: amount_reads_no_fact(b).then(|| Box::new(compute_amount(b, &[]))),
                    recall: (recall && validity == Validity::InForce).then(|| Recall::of(bundle, b, &mut digits)).flatten(),
                }
            })
            .collect();
        Schedule { timing, benefits, digits }
    }
}

/// Whether a benefit's amount and the cost bounding it are the same whatever the answers.
fn amount_reads_no_fact(benefit: &Benefit) -> bool {
    let mut reads = false;
    for_each_amount_fact(benefit, &mut |_| reads = true);
    !reads
}

/// Every fact a benefit's amount and the cost bounding it read (with repeats).
fn for_each_amount_fact(benefit: &Benefit, f: &mut impl FnMut(usize)) {
    match &benefit.amount {
        Amount::Rate { of, .. } | Amount::GrantShare { of, .. } | Amount::FeeReduction { of, .. } => of.expr.for_each_fact(f),
        Amount::PerUnit { count, .. } => count.expr.for_each_fact(f),
        Amount::Tiers(tiers) => tiers.iter().for_each(|(when, _)| when.expr.for_each_fact(f)),
        Amount::Fixed(_) | Amount::CaseByCase => {}
    }
    if let Some(bound) = &benefit.bound {
        bound.expr.for_each_fact(f);
    }
}

/// Without a policy year: in force on the day. With one: the benefit was in force during
/// that year, and its performance period covers some of it.
fn validity(benefit: &Benefit, timing: Timing) -> Validity {
    match timing.policy_year {
        None => validity_on(benefit.valid, timing.as_of),
        Some(year) => match validity_in(benefit.valid, year) {
            Validity::InForce => validity_in(benefit.performance, year),
            other => other,
        },
    }
}

/// Where a policy year falls against a window: inside it (in part), after it, or before it.
pub fn validity_in(window: Window, year: i32) -> Validity {
    let y = Window::year(year);
    if window.to < y.from {
        Validity::Expired
    } else if window.from > y.to {
        Validity::NotYetInForce
    } else {
        Validity::InForce
    }
}

/// The latest policy year, not after `as_of`'s, with an annual edition in force for the
/// district (a document whose performance period is one calendar year, e.g. Binjiang
/// 2024, Hangzhou 2025): the year a company most likely asks about. `None` where no
/// edition applies ("open now" is then the only choice). Without a district, every
/// document counts.
pub fn default_policy_year(bundle: &Bundle, district: Option<u16>, as_of: Date) -> Option<i32> {
    policy_years(bundle, district, as_of).first().copied()
}

/// Every policy year, not after `as_of`'s, with an annual edition in force for the
/// district, latest first: the years a company can choose between.
pub fn policy_years(bundle: &Bundle, district: Option<u16>, as_of: Date) -> Vec<i32> {
    let options = &bundle.catalogue.fact(bundle.district_fact()).options;
    let district = district.and_then(|c| options.get(c as usize)).map(|o| o.id.as_str());
    let mut years: Vec<i32> = bundle
        .documents
        .iter()
        .filter(|d| match (&d.district, district) {
            (None, _) | (_, None) => true,
            (Some(d), Some(chosen)) => d == chosen,
        })
        .filter_map(|d| d.performance.single_year().filter(|&y| validity_in(d.valid, y) == Validity::InForce))
        .filter(|&y| y <= as_of.year)
        .collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    years
}

/// Where `as_of` falls against a validity window (a benefit's or a document's).
pub fn validity_on(window: Window, as_of: Date) -> Validity {
    if as_of < window.from {
        Validity::NotYetInForce
    } else if as_of > window.to {
        Validity::Expired
    } else {
        Validity::InForce
    }
}

#[derive(Debug, Clone)]
enum AmountOutcome {
    Known(Option<Decimal>, AmountTrace),
    Unknown,
    NoTier,
}

fn known_num(expr: &Expr, answers: &[Option<Value>]) -> Result<Option<Decimal>, EvalError> {
    Ok(match expr.eval(answers)? {
        Some(Value::Num(n)) => Some(n),
        _ => None,
    })
}

/// The cost a benefit is paid against, where it has one: `Err(())` while unanswered.
fn bound_of(benefit: &Benefit, answers: &[Option<Value>]) -> Result<Result<Option<Decimal>, ()>, EvalError> {
    let Some(bound) = &benefit.bound else { return Ok(Ok(None)) };
    Ok(match known_num(&bound.expr, answers)? {
        Some(cost) => Ok(Some(cost.max(Decimal::ZERO))),
        None => Err(()),
    })
}

/// The least of the cap and the cost: what a case-by-case amount can come to at most.
fn case_by_case_ceiling(cap: Option<Decimal>, bound: Option<Decimal>) -> Option<Decimal> {
    match (cap, bound) {
        (Some(c), Some(b)) => Some(c.min(b)),
        (c, b) => c.or(b),
    }
}

fn compute_amount(benefit: &Benefit, answers: &[Option<Value>]) -> Result<AmountOutcome, EvalError> {
    let mut trace = AmountTrace { cap: benefit.cap, ..AmountTrace::default() };
    // A benefit paid against a cost cannot be settled before the cost is known.
    let Ok(bound) = bound_of(benefit, answers)? else { return Ok(AmountOutcome::Unknown) };
    trace.bound = bound;
    let uncapped = match &benefit.amount {
        Amount::CaseByCase => return Ok(AmountOutcome::Known(None, trace)),
        Amount::Fixed(v) => *v,
        Amount::Rate { rate, of } | Amount::GrantShare { rate, of } | Amount::FeeReduction { rate, of } => {
            let Some(base) = known_num(&of.expr, answers)? else { return Ok(AmountOutcome::Unknown) };
            trace.base = Some(base);
            rate.checked_mul(base).ok_or(EvalError::Overflow)?
        }
        Amount::PerUnit { value, count } => {
            let Some(n) = known_num(&count.expr, answers)? else { return Ok(AmountOutcome::Unknown) };
            trace.base = Some(n);
            value.checked_mul(n).ok_or(EvalError::Overflow)?
        }
        Amount::Tiers(tiers) => {
            let mut chosen = None;
            for (i, (when, value)) in tiers.iter().enumerate() {
                match when.expr.eval(answers)? {
                    Some(Value::Bool(true)) => {
                        chosen = Some((i, *value));
                        break;
                    }
                    Some(_) => continue,
                    // An earlier tier might still apply: the amount is not settled.
                    None => return Ok(AmountOutcome::Unknown),
                }
            }
            let Some((i, value)) = chosen else { return Ok(AmountOutcome::NoTier) };
            trace.tier = Some(i);
            value
        }
    };
    // A negative base (spend fell) never makes a negative grant.
    let uncapped = uncapped.max(Decimal::ZERO);
    trace.uncapped = uncapped;
    let amount = match benefit.cap {
        Some(cap) if uncapped > cap => {
            trace.capped = true;
            cap
        }
        _ => uncapped,
    };
    // An amount based on a cost never exceeds that cost, whatever the cap allows.
    let amount = match bound {
        Some(cost) if amount > cost => {
            trace.bound_binds = true;
            // A ceiling computed with a division (6 booths' share of the fees) can have
            // fractions of a fen: round it down, so the amount never passes it.
            cost.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::ToZero)
        }
        _ => amount,
    };
    // A rate of a large enough answer can pass any real sum; such an amount is reported
    // as too large to compute, so the totals that add amounts up can never overflow.
    if amount > Decimal::from(MAX_YUAN) {
        return Err(EvalError::Overflow);
    }
    Ok(AmountOutcome::Known(Some(round_yuan(amount)), trace))
}

/// The most a benefit could be worth before all its answers are in (`amount`: its
/// `compute_amount` with these answers).
fn ceiling(benefit: &Benefit, answers: &[Option<Value>], amount: &Result<AmountOutcome, EvalError>) -> Option<Decimal> {
    // Once the amount is computable it is the answer; a case-by-case amount is
    // bounded only by its cap.
    if let Ok(AmountOutcome::Known(Some(amount), _)) = amount {
        return Some(*amount);
    }
    let natural = match &benefit.amount {
        Amount::Fixed(v) => Some(*v),
        Amount::Tiers(tiers) => tiers.iter().map(|(_, v)| *v).max(),
        _ => None,
    };
    let ceiling = match (natural, benefit.cap) {
        (Some(n), Some(c)) => Some(n.min(c)),
        (n, c) => n.or(c),
    };
    // The cost, once answered, bounds it too.
    match bound_of(benefit, answers) {
        Ok(Ok(Some(cost))) => Some(ceiling.map_or(cost, |c| c.min(cost))),
        _ => ceiling,
    }
}

/// What is in force on `as_of` ("open now").
pub fn evaluate(bundle: &Bundle, profile: &Profile, as_of: Date) -> Evaluation {
    evaluate_for(bundle, profile, Timing::on(as_of))
}

/// Evaluates for a day and, where given, a policy year (see `Timing`).
pub fn evaluate_for(bundle: &Bundle, profile: &Profile, timing: Timing) -> Evaluation {
    evaluate_scheduled(bundle, profile, &Schedule::read(bundle, timing, false))
}

/// `evaluate_for` with the timing's schedule read already (it must be this bundle's; one
/// of another bundle's length is read afresh).
pub fn evaluate_scheduled(bundle: &Bundle, profile: &Profile, schedule: &Schedule) -> Evaluation {
    let mut eval = Evaluation::empty(bundle, schedule.timing);
    evaluate_into(bundle, profile, schedule, &mut eval);
    eval
}

/// `evaluate_scheduled` into an evaluation made before (its lists are cleared and
/// reused): a run of many companies then allocates them once, not once per company.
pub fn evaluate_into(bundle: &Bundle, profile: &Profile, schedule: &Schedule, eval: &mut Evaluation) {
    evaluate_with(bundle, profile, schedule, eval, None)
}

/// `evaluate_into`, with `memo`'s results kept from companies evaluated before with it
/// (see `Memo`; one memo for one bundle). A remembered benefit's result keeps no
/// condition checks (its `checks` is empty): a register writes no explanation, and
/// copying them was most of what recalling a result cost. Everything else is the same as
/// `evaluate_into`'s.
pub fn evaluate_remembering(bundle: &Bundle, profile: &Profile, schedule: &Schedule, eval: &mut Evaluation, memo: &mut Memo) {
    evaluate_with(bundle, profile, schedule, eval, Some(memo))
}

fn evaluate_with(bundle: &Bundle, profile: &Profile, schedule: &Schedule, eval: &mut Evaluation, mut memo: Option<&mut Memo>) {
    let fresh;
    let schedule = match schedule.benefits.len() == bundle.benefits.len() {
        true => schedule,
        false => {
            fresh = Schedule::new(bundle, schedule.timing);
            &fresh
        }
    };
    let timing = schedule.timing;
    let answers = profile.values.as_slice();
    eval.as_of = timing.as_of;
    eval.policy_year = timing.policy_year;
    eval.district = match profile.get(bundle.district_fact()) {
        Some(Value::Choice(c)) => Some(c),
        _ => None,
    };
    eval.results.clear();
    eval.checks.clear();
    eval.missing.clear();
    eval.items.clear();
    eval.cap_adjustments.clear();
    // One scratch list for the unanswered facts of the benefit at hand.
    let mut scratch = Vec::new();
    if let Some(memo) = memo.as_deref_mut() {
        memo.slots.resize_with(bundle.benefits.len(), Vec::new);
    }
    for ((index, benefit), when) in bundle.benefits.iter().enumerate().zip(&schedule.benefits) {
        if let (Some(memo), Some(recall)) = (memo.as_deref_mut(), &when.recall) {
            if let Some(key) = recall.key(&schedule.digits, answers) {
                remember(eval, &mut scratch, memo, index, benefit, answers, when, recall.keys as usize, key);
                continue;
            }
        }
        let result = match benefit.per_item.map(|kind| item_numbers(bundle, profile, kind)) {
            Some(items) if items.len() > 1 && when.validity == Validity::InForce => {
                evaluate_per_item(bundle, eval, &mut scratch, index, benefit, profile, &items, when)
            }
            _ => evaluate_benefit(eval, &mut scratch, index, benefit, answers, when),
        };
        eval.results.push(result);
    }
    apply_exclusive_groups(bundle, eval);
    apply_company_caps(bundle, eval);
    eval.totals = totals(bundle, eval);
}

/// Adds a benefit's result from the memo, or evaluated and kept there: its missing facts
/// copied into `eval`'s list, its day's validity and claim from `when`, no checks.
#[allow(clippy::too_many_arguments)]
fn remember(
    eval: &mut Evaluation,
    scratch: &mut Vec<usize>,
    memo: &mut Memo,
    index: usize,
    benefit: &Benefit,
    answers: &[Option<Value>],
    when: &Planned,
    keys: usize,
    key: usize,
) {
    let slots = &mut memo.slots[index];
    if slots.is_empty() {
        slots.resize(keys, 0);
    }
    let no_checks = eval.checks.len()..eval.checks.len();
    match slots[key] {
        0 => {
            let mut result = evaluate_benefit(eval, scratch, index, benefit, answers, when);
            eval.checks.truncate(no_checks.start);
            result.checks = no_checks;
            // Past what a u32 counts (only a bundle of a million benefits could get
            // there), results are evaluated each time instead of remembered.
            if let Ok(n) = u32::try_from(memo.results.len() + 1) {
                let kept = BenefitResult { missing: memo.missing.len()..memo.missing.len() + result.missing.len(), ..result.clone() };
                memo.missing.extend_from_slice(&eval.missing[result.missing.clone()]);
                memo.results.push(kept);
                slots[key] = n;
            }
            eval.results.push(result);
        }
        n => {
            let kept = &memo.results[n as usize - 1];
            let missing = eval.missing.len()..eval.missing.len() + kept.missing.len();
            eval.missing.extend_from_slice(&memo.missing[kept.missing.clone()]);
            // Copied into place, then the fields of this company's day and lists set: the
            // result is not built on the stack and copied again.
            eval.results.extend_from_slice(std::slice::from_ref(kept));
            if let Some(r) = eval.results.last_mut() {
                (r.validity, r.claim, r.checks, r.missing) = (when.validity, when.claim, no_checks, missing);
            }
        }
    }
}

/// Evaluates one condition once, keeping the two sides of a comparison for the
/// explanation, and noting in `missing` the facts that leave it unknown.
fn check(condition: &Expr, answers: &[Option<Value>], missing: &mut Vec<usize>) -> Result<(Option<bool>, Option<Value>, Option<Value>), EvalError> {
    let as_bool = |v: Option<Value>| match v {
        Some(Value::Bool(b)) => Some(b),
        _ => None,
    };
    match condition {
        Expr::Compare(cmp, a, b) => {
            let left = a.eval_with(answers, missing)?;
            let right = b.eval_with(answers, missing)?;
            let holds = left.zip(right).map(|(l, r)| compare(*cmp, l, r));
            Ok((holds, left, right))
        }
        other => Ok((as_bool(other.eval_with(answers, missing)?), None, None)),
    }
}

#[inline(always)]
fn evaluate_benefit(
    eval: &mut Evaluation,
    scratch: &mut Vec<usize>,
    index: usize,
    benefit: &Benefit,
    answers: &[Option<Value>],
    when: &Planned,
) -> BenefitResult {
    scratch.clear();
    let checks_start = eval.checks.len();
    let missing_start = eval.missing.len();
    let mut result = BenefitResult {
        benefit: index,
        validity: when.validity,
        claim: when.claim,
        status: Status::NotEligible,
        amount: None,
        max_amount: None,
        trace: None,
        checks: checks_start..checks_start,
        missing: missing_start..missing_start,
        items: 0..0,
    };
    if result.validity != Validity::InForce {
        result.status = Status::NotInForce;
        return result;
    }
    let (mut failed, mut unknown) = (false, false);
    for (i, condition) in benefit.conditions.iter().enumerate() {
        let (holds, left, right) = match check(&condition.expr, answers, scratch) {
            Ok(outcome) => outcome,
            Err(e) => {
                result.status = Status::Error(e.into());
                result.checks = checks_start..eval.checks.len();
                return result;
            }
        };
        eval.checks.push(ConditionCheck { condition: i, holds, left, right });
        failed |= holds == Some(false);
        unknown |= holds.is_none();
        // The first condition is where the company is registered: if that fails,
        // nothing else about this benefit matters.
        if i == 0 && failed {
            break;
        }
    }
    result.checks = checks_start..eval.checks.len();
    if failed {
        return result;
    }
    // Computed once: the amount of an eligible benefit, or the ceiling of one still unknown.
    let computed;
    let amount = match &when.amount {
        Some(fixed) => &**fixed,
        None => {
            computed = compute_amount(benefit, answers);
            &computed
        }
    };
    if !unknown {
        match amount {
            Ok(AmountOutcome::Known(amount, trace)) => {
                result.status = Status::Eligible;
                result.amount = *amount;
                // Decided case by case: still never more than its cap or its cost.
                if amount.is_none() {
                    result.max_amount = case_by_case_ceiling(benefit.cap, trace.bound);
                }
                result.trace = Some(Box::new(*trace));
                return result;
            }
            Ok(AmountOutcome::NoTier) => return result,
            Ok(AmountOutcome::Unknown) => {}
            Err(e) => {
                result.status = Status::Error(e.clone().into());
                return result;
            }
        }
    }
    // Needs answers: the facts that leave a condition unknown, then those the amount needs.
    result.status = Status::NeedsAnswers;
    match &benefit.amount {
        Amount::Rate { of, .. } | Amount::GrantShare { of, .. } | Amount::FeeReduction { of, .. } => {
            of.expr.missing_facts(answers, scratch)
        }
        Amount::PerUnit { count, .. } => count.expr.missing_facts(answers, scratch),
        Amount::Tiers(tiers) => tiers.iter().for_each(|(when, _)| when.expr.missing_facts(answers, scratch)),
        Amount::Fixed(_) | Amount::CaseByCase => {}
    }
    if let Some(bound) = &benefit.bound {
        bound.expr.missing_facts(answers, scratch);
    }
    eval.missing.extend_from_slice(scratch);
    result.missing = missing_start..eval.missing.len();
    result.max_amount = ceiling(benefit, answers, amount);
    result
}

/// The items a profile lists of one kind: 1 (the plain answers) and every number
/// answered as `fact#n` for a fact of that kind.
fn item_numbers(bundle: &Bundle, profile: &Profile, kind: usize) -> Vec<u8> {
    let mut items = vec![1];
    for a in &profile.items {
        if bundle.catalogue.facts[a.fact].item_kind == Some(kind) && !items.contains(&a.item) {
            items.push(a.item);
        }
    }
    items.sort_unstable();
    items
}

/// A benefit assessed once per item: each item with the company's answers and its own
/// answers to the facts of its kind, each capped on its own; then the items added up.
#[allow(clippy::too_many_arguments)]
fn evaluate_per_item(
    bundle: &Bundle,
    eval: &mut Evaluation,
    scratch: &mut Vec<usize>,
    index: usize,
    benefit: &Benefit,
    profile: &Profile,
    items: &[u8],
    when: &Planned,
) -> BenefitResult {
    let kind = benefit.per_item;
    let mut answers = profile.values.clone();
    let mut results = Vec::with_capacity(items.len());
    for &item in items {
        if item > 1 {
            // Item n: the facts of its kind as answered for item n, unknown where not.
            for (fact, slot) in answers.iter_mut().enumerate() {
                if bundle.catalogue.facts[fact].item_kind == kind {
                    *slot = profile.items.iter().find(|a| a.fact == fact && a.item == item).map(|a| a.value);
                }
            }
        }
        results.push(ItemResult { item, result: evaluate_benefit(eval, scratch, index, benefit, &answers, when) });
    }
    let first = &results[0].result;
    let claim = first.claim;
    let checks = first.checks.start..results.last().map_or(first.checks.end, |r| r.result.checks.end);
    // The facts any item still needs, once each.
    let missing_start = eval.missing.len();
    for r in &results {
        for i in r.result.missing.clone() {
            let fact = eval.missing[i];
            if !eval.missing[missing_start..].contains(&fact) {
                eval.missing.push(fact);
            }
        }
    }
    let (status, amount, max_amount) = combine_items(&results);
    let items_start = eval.items.len();
    eval.items.extend(results);
    BenefitResult {
        benefit: index,
        validity: Validity::InForce,
        claim,
        status,
        amount,
        max_amount,
        trace: None,
        checks,
        missing: missing_start..eval.missing.len(),
        items: items_start..eval.items.len(),
    }
}

/// The benefit's outcome from its items': an error or an unsettled item decides first;
/// otherwise eligible if any item is, with the items' amounts added.
fn combine_items(items: &[ItemResult]) -> (Status, Option<Decimal>, Option<Decimal>) {
    let results = || items.iter().map(|i| &i.result);
    if let Some(error) = results().find(|r| matches!(r.status, Status::Error(_))) {
        return (error.status, None, None);
    }
    // The most each item can still bring: its amount, its ceiling, or nothing.
    let most = |r: &BenefitResult| match r.status {
        Status::Eligible | Status::NeedsAnswers => r.amount.or(r.max_amount),
        _ => Some(Decimal::ZERO),
    };
    let sum = |values: Vec<Option<Decimal>>| values.into_iter().sum::<Option<Decimal>>();
    if results().any(|r| r.status == Status::NeedsAnswers) {
        return (Status::NeedsAnswers, None, sum(results().map(most).collect()));
    }
    let eligible: Vec<&BenefitResult> = results().filter(|r| r.status == Status::Eligible).collect();
    if eligible.is_empty() {
        return (Status::NotEligible, None, None);
    }
    match sum(eligible.iter().map(|r| r.amount).collect()) {
        Some(amount) => (Status::Eligible, Some(amount), None),
        // Some item's amount is decided case by case: so is the whole, within the ceilings.
        None => (Status::Eligible, None, sum(eligible.iter().map(|r| most(r)).collect())),
    }
}

/// Paid: in force, eligible, and still claimable (a closed window pays nothing, so it
/// neither wins a non-duplication group nor fills a company cap).
fn counts(r: &BenefitResult) -> bool {
    r.validity == Validity::InForce && r.status == Status::Eligible && !r.claim.is_closed()
}

fn apply_exclusive_groups(bundle: &Bundle, eval: &mut Evaluation) {
    for (g, group) in bundle.exclusive_groups.iter().enumerate() {
        let eligible: Vec<usize> = group.benefits.iter().copied().filter(|&b| counts(&eval.results[b])).collect();
        // The best known amount is paid; on a tie the benefit listed first. Where no
        // member's amount is known (all case by case), the first listed stands for the
        // group and the others are its alternatives: the group still pays only one.
        let mut best: Option<(usize, Decimal)> = None;
        for &b in &eligible {
            if let Some(amount) = eval.results[b].amount {
                if best.is_none_or(|(_, a)| amount > a) {
                    best = Some((b, amount));
                }
            }
        }
        let Some(&first) = eligible.first() else { continue };
        let (winner, best_amount) = match best {
            Some((b, a)) => (b, Some(a)),
            None => (first, None),
        };
        for &b in &eligible {
            if b == winner {
                continue;
            }
            let r = &mut eval.results[b];
            // A known amount no greater than the winner's loses; so does a case-by-case
            // amount whose ceiling (cap or cost) cannot beat it. A case-by-case amount that
            // might is an alternative to the winner, never paid beside it.
            let loses = match (r.amount, r.max_amount, best_amount) {
                (Some(_), _, _) => true,
                (None, Some(ceiling), Some(best)) => ceiling <= best,
                (None, _, _) => false,
            };
            r.status = match loses {
                true => Status::Superseded { by: winner, group: g },
                false => Status::Alternative { to: winner, group: g },
            };
        }
    }
}

fn apply_company_caps(bundle: &Bundle, eval: &mut Evaluation) {
    for (c, cap) in bundle.company_caps.iter().enumerate() {
        let before: Decimal = cap
            .benefits
            .iter()
            .map(|&b| &eval.results[b])
            .filter(|r| counts(r))
            .filter_map(|r| r.amount)
            .sum();
        if before > cap.cap {
            eval.cap_adjustments.push(CapAdjustment { cap: c, before, after: cap.cap });
        }
    }
}

fn totals(bundle: &Bundle, eval: &Evaluation) -> Totals {
    let mut t = Totals::default();
    for r in &eval.results {
        if r.validity != Validity::InForce {
            continue;
        }
        match (r.status, r.amount) {
            (Status::Eligible, amount) if r.claim.is_closed() => {
                t.closed += 1;
                t.closed_amount += amount.unwrap_or_default();
            }
            (Status::Eligible, Some(amount)) => {
                // Read here only: the benefits are large, and most results are not paid.
                let benefit = &bundle.benefits[r.benefit];
                let province = round_yuan(amount * benefit.cost_share.province);
                let city = round_yuan(amount * benefit.cost_share.city);
                t.province += province;
                t.city += city;
                t.district += amount - province - city;
                t.overall += amount;
                t.up_to |= benefit.up_to;
            }
            (Status::Eligible, None) => t.case_by_case += 1,
            (Status::NeedsAnswers, max) => {
                t.needs_answers += 1;
                if let Some(max) = max.filter(|m| !m.is_zero()) {
                    t.needs_answers_max += max;
                }
            }
            _ => {}
        }
    }
    // A per-company cap takes the excess off the level of the document that sets it.
    for adj in &eval.cap_adjustments {
        let cut = adj.before - adj.after;
        match bundle.documents[bundle.company_caps[adj.cap].document].level {
            Level::Province => t.province -= cut,
            Level::City => t.city -= cut,
            Level::District => t.district -= cut,
        }
        t.overall -= cut;
    }
    t
}

/// A question worth asking next: a fact that can still change a result, and the most
/// the benefits waiting on it could be worth (zero where no ceiling is known).
#[derive(Debug, Clone, PartialEq)]
pub struct NextQuestion {
    pub fact: usize,
    pub benefits: usize,
    pub worth: Decimal,
}

/// The unanswered facts that would settle benefits now in force and needing answers,
/// most valuable first. Facts that cannot change any result are never asked.
pub fn next_questions(eval: &Evaluation) -> Vec<NextQuestion> {
    let mut questions: Vec<NextQuestion> = Vec::new();
    // A benefit whose application window has closed is worth nothing now.
    for r in eval.results.iter().filter(|r| r.validity == Validity::InForce && r.status == Status::NeedsAnswers && !r.claim.is_closed()) {
        for &fact in eval.missing_of(r) {
            let worth = r.max_amount.unwrap_or_default();
            match questions.iter_mut().find(|q| q.fact == fact) {
                Some(q) => {
                    q.benefits += 1;
                    q.worth += worth;
                }
                None => questions.push(NextQuestion { fact, benefits: 1, worth }),
            }
        }
    }
    // Stable: equal questions keep the order the conditions ask them in.
    questions.sort_by(|a, b| b.worth.cmp(&a.worth).then(b.benefits.cmp(&a.benefits)));
    questions
}
