//! The rule model: policy documents and the benefits they grant, as written in
//! `rules/*.toml` (the `*Spec` types) and as compiled for the engine.

use crate::date::Date;
use crate::expr::{Expr, Type};
use crate::text::Text;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

// ---------- as written in the rule files ----------

/// One rule file. Benefits are typed (`B = BenefitSpec`) on the fast path; when the
/// bundle has an error they are read as raw JSON one by one, so the error names the benefit.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, bound(deserialize = "B: Deserialize<'de>"))]
pub struct DocumentFileSpec<B = BenefitSpec> {
    pub file: String,
    pub document: DocumentSpec,
    #[serde(default, rename = "exclusive")]
    pub exclusive_groups: Vec<ExclusiveSpec>,
    #[serde(default, rename = "company_cap")]
    pub company_caps: Vec<CompanyCapSpec>,
    #[serde(default, rename = "left_out")]
    pub left_out: Vec<LeftOutSpec>,
    #[serde(default = "Vec::new", rename = "benefit")]
    pub benefits: Vec<B>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentSpec {
    pub id: String,
    pub title: Text,
    pub issuer: Text,
    /// 文号, e.g. 余政发〔2025〕3号; empty where the seed prints none.
    #[serde(default)]
    pub number: String,
    pub level: Level,
    #[serde(default)]
    pub district: Option<String>,
    /// Absent only with `from_not_printed` when the text bounds the start in no way.
    #[serde(default)]
    pub valid_from: Option<String>,
    /// The document takes effect on a date it does not print (自印发之日起施行 with no
    /// issue date in the text, or an undated plan): `valid_from` is then only the earliest
    /// date the text allows, or absent, and reports say "start date not printed".
    #[serde(default)]
    pub from_not_printed: bool,
    /// Absent when the document states no end date (it stays in force until replaced).
    #[serde(default)]
    pub valid_to: Option<String>,
    /// The verbatim sentence that sets the validity window; when the document has none,
    /// `notes` must say where the dates come from.
    #[serde(default)]
    pub validity_clause: String,
    pub source: SourceSpec,
    /// The materials the text names for applying to any of its benefits.
    #[serde(default)]
    pub materials: Option<Materials>,
    #[serde(default)]
    pub notes: Option<Text>,
    /// Who funds the amounts, where the text says so without a split (e.g. Lin'an:
    /// "奖励标准含市级资金"). Shown with every benefit of the document.
    #[serde(default)]
    pub funding: Option<Text>,
    /// The period in which the qualifying event must fall, where the text gives one apart
    /// from the validity (执行时间; the edition's year). Default: the validity window.
    #[serde(default)]
    pub performance: Option<PeriodSpec>,
    /// The application window, only where the text states one (申报时间/截止/逾期不再受理).
    #[serde(default)]
    pub application: Option<PeriodSpec>,
    /// How the validity, the performance period and the application window were read
    /// from the text, with the seed lines (shown beside the dates).
    #[serde(default)]
    pub time_reading: Option<Text>,
    /// Editions of one policy share a series id (e.g. a district's yearly 若干政策), so
    /// the benefits of two editions can be compared.
    #[serde(default)]
    pub series: Option<String>,
}

/// A period a clause states: `{ from = "2023-01-01", to = "2023-01-31", clause = "…", line = 304 }`.
/// Either end may be absent where the text gives only one ("于2025年6月6日前报送").
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeriodSpec {
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
    /// The verbatim sentence that states the period.
    pub clause: String,
    /// Its line in the seed file.
    pub line: u32,
}

/// The application materials a clause names (申报材料): `materials = { clause = "…",
/// line = 305, list = [{ zh = "营业执照复印件", en = "…" }, …] }`, on a document (for all
/// its benefits) or on one benefit. Only what the text names: where it names none, the
/// report says so and sends the company to the authority.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Materials {
    /// The verbatim words that name the materials.
    pub clause: String,
    /// The seed line where they begin.
    pub line: u32,
    /// Each material in words, in the order the text lists them.
    pub list: Vec<Text>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceSpec {
    pub seed: String,
    pub lines: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Zhejiang province: applies anywhere in Hangzhou, like a city document.
    Province,
    City,
    District,
}

/// 从优、就高、不重复: of the listed benefits, a company receives only the best one.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExclusiveSpec {
    pub id: String,
    pub benefits: Vec<String>,
    pub clause: String,
    #[serde(default)]
    pub reading: Option<Text>,
}

/// A ceiling on what one company receives from a set of benefits in one year.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompanyCapSpec {
    pub id: String,
    pub benefits: Vec<String>,
    pub cap: String,
    pub clause: String,
}

/// A clause deliberately not encoded, with the reason (e.g. it benefits consumers).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeftOutSpec {
    pub article: String,
    pub clause: String,
    pub reason: Text,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BenefitSpec {
    pub id: String,
    pub article: String,
    pub name: Text,
    /// The verbatim clause from the seed text.
    pub clause: String,
    pub source_line: u32,
    #[serde(default)]
    pub when: Vec<String>,
    pub amount: AmountSpec,
    /// The text says 不超过 / 最高 for the rate: the amount is a ceiling, not a promise.
    #[serde(default)]
    pub up_to: bool,
    #[serde(default)]
    pub cap: Option<String>,
    /// The cost the amount is paid against (按…保费/费用/投入给予): a money expression the
    /// amount never exceeds, whatever its kind or cap.
    #[serde(default)]
    pub bounded_by: Option<String>,
    /// Assessed once per item of this kind (an `[[item_kind]]` id: 单个项目, 单次展会), each
    /// item with its own answers and its own cap; the amounts of all items are added.
    #[serde(default)]
    pub per_item: Option<String>,
    pub frequency: Frequency,
    #[serde(default)]
    pub years: Option<u32>,
    /// Who pays, as shares (市区1:1 → city 50%, district 50%). Default: the document's level.
    #[serde(default)]
    pub cost_share: Option<CostShareSpec>,
    pub authority: Text,
    #[serde(default)]
    pub valid_from: Option<String>,
    #[serde(default)]
    pub valid_to: Option<String>,
    /// The verbatim words that give this benefit its own period (实施至2027年12月31日,
    /// “十四五”期间) where the document's validity sentence makes an exception for them
    /// (有效期一年（标明具体实施期限的除外）): only then may its window end after the document's.
    #[serde(default)]
    pub period_clause: Option<String>,
    /// This benefit's own performance period or application window (see `DocumentSpec`).
    #[serde(default)]
    pub performance: Option<PeriodSpec>,
    #[serde(default)]
    pub application: Option<PeriodSpec>,
    /// The materials the text names for this benefit (else the document's, if any).
    #[serde(default)]
    pub materials: Option<Materials>,
    /// The reading chosen where the clause is ambiguous, and why.
    #[serde(default)]
    pub reading: Option<Text>,
    /// Benefits paid against the same cost or figure that the texts pay in addition to
    /// this one, on purpose, each with the reason (quoting the text). Without it, or a
    /// common `[[exclusive]]` group, `huiqi check` flags the pair (see `overlap`).
    #[serde(default)]
    pub stacks_with: Vec<StacksWith>,
}

/// Another benefit paid in addition to this one although both are based on the same
/// figure: `{ benefit = "…", reason = { zh = "…", en = "…" } }`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StacksWith {
    pub benefit: String,
    pub reason: Text,
}

/// Written with its `kind`: `amount = { kind = "rate", rate = "5%", of = "rd_spend" }`.
/// Read by hand (`amount_spec` below) as `#[serde(tag = "kind", deny_unknown_fields)]`
/// would read it, with the same messages, but without the code that attribute generates
/// to buffer and re-read each variant (about 20 KB of WASM).
#[derive(Debug, Clone)]
pub enum AmountSpec {
    Fixed { value: String },
    Rate { rate: String, of: String },
    PerUnit { value: String, count: String },
    Tiers { tiers: Vec<TierSpec> },
    GrantShare { rate: String, of: String },
    FeeReduction { rate: String, of: String },
    CaseByCase,
}

impl<'de> Deserialize<'de> for AmountSpec {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(amount_spec::TaggedVisitor)
    }
}

mod amount_spec {
    use super::{AmountSpec, TierSpec};
    use serde::de::{Error, MapAccess, SeqAccess, Visitor};
    use serde::Deserialize;
    use serde_json::Value;
    use std::fmt;

    /// Read as serde reads a tag: as a variant identifier.
    #[derive(Deserialize)]
    #[serde(variant_identifier, rename_all = "snake_case")]
    enum Kind {
        Fixed,
        Rate,
        PerUnit,
        Tiers,
        GrantShare,
        FeeReduction,
        CaseByCase,
    }

    impl Kind {
        /// The variant's fields in order, and how serde names it in messages.
        fn fields(&self) -> (&'static [&'static str], &'static str) {
            match self {
                Kind::Fixed => (&["value"], "struct variant AmountSpec::Fixed with 1 element"),
                Kind::Rate => (&["rate", "of"], "struct variant AmountSpec::Rate with 2 elements"),
                Kind::PerUnit => (&["value", "count"], "struct variant AmountSpec::PerUnit with 2 elements"),
                Kind::Tiers => (&["tiers"], "struct variant AmountSpec::Tiers with 1 element"),
                Kind::GrantShare => (&["rate", "of"], "struct variant AmountSpec::GrantShare with 2 elements"),
                Kind::FeeReduction => (&["rate", "of"], "struct variant AmountSpec::FeeReduction with 2 elements"),
                Kind::CaseByCase => (&[], ""),
            }
        }
    }

    /// A field's value, read as soon as it is seen (so errors come in the same order).
    enum Field {
        Text(String),
        Tiers(Vec<TierSpec>),
    }

    fn read<E: Error>(name: &str, value: Value) -> Result<Field, E> {
        let field = if name == "tiers" { Vec::deserialize(value).map(Field::Tiers) } else { String::deserialize(value).map(Field::Text) };
        field.map_err(E::custom)
    }

    fn build(kind: Kind, mut fields: [Option<Field>; 2]) -> AmountSpec {
        let mut text = |i: usize| match fields[i].take() {
            Some(Field::Text(t)) => t,
            _ => String::new(),
        };
        match kind {
            Kind::Fixed => AmountSpec::Fixed { value: text(0) },
            Kind::Rate => AmountSpec::Rate { rate: text(0), of: text(1) },
            Kind::PerUnit => AmountSpec::PerUnit { value: text(0), count: text(1) },
            Kind::GrantShare => AmountSpec::GrantShare { rate: text(0), of: text(1) },
            Kind::FeeReduction => AmountSpec::FeeReduction { rate: text(0), of: text(1) },
            Kind::CaseByCase => AmountSpec::CaseByCase,
            Kind::Tiers => match fields[0].take() {
                Some(Field::Tiers(tiers)) => AmountSpec::Tiers { tiers },
                _ => AmountSpec::Tiers { tiers: Vec::new() },
            },
        }
    }

    pub struct TaggedVisitor;

    impl<'de> Visitor<'de> for TaggedVisitor {
        type Value = AmountSpec;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("internally tagged enum AmountSpec")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<AmountSpec, A::Error> {
            // Like serde: the whole map is read first, then the variant's fields from it.
            let mut kind = None;
            let mut rest: Vec<(String, Value)> = Vec::new();
            while let Some(key) = map.next_key::<String>()? {
                if key == "kind" {
                    if kind.is_some() {
                        return Err(A::Error::duplicate_field("kind"));
                    }
                    kind = Some(map.next_value::<Kind>()?);
                } else {
                    rest.push((key, map.next_value()?));
                }
            }
            let kind = kind.ok_or_else(|| A::Error::missing_field("kind"))?;
            let (names, _) = kind.fields();
            let mut fields: [Option<Field>; 2] = [None, None];
            if names.is_empty() {
                // A unit variant ignores any other keys.
                return Ok(build(kind, fields));
            }
            for (key, value) in rest {
                match names.iter().position(|n| *n == key) {
                    None => return Err(A::Error::unknown_field(&key, names)),
                    Some(i) if fields[i].is_some() => return Err(A::Error::duplicate_field(names[i])),
                    Some(i) => fields[i] = Some(read(names[i], value)?),
                }
            }
            if let Some(i) = (0..names.len()).find(|&i| fields[i].is_none()) {
                return Err(A::Error::missing_field(names[i]));
            }
            Ok(build(kind, fields))
        }

        /// `["fixed", "200万"]`: the kind, then the fields in order, as serde accepts too.
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<AmountSpec, A::Error> {
            let kind = seq.next_element::<Kind>()?.ok_or_else(|| A::Error::missing_field("kind"))?;
            let mut rest: Vec<Value> = Vec::new();
            while let Some(value) = seq.next_element()? {
                rest.push(value);
            }
            let (names, expected) = kind.fields();
            let mut fields: [Option<Field>; 2] = [None, None];
            let count = rest.len();
            let mut values = rest.into_iter();
            for (i, name) in names.iter().enumerate() {
                match values.next() {
                    Some(value) => fields[i] = Some(read(name, value)?),
                    None => return Err(A::Error::invalid_length(i, &expected)),
                }
            }
            // Then, like serde, no elements may be left over (a unit variant takes none).
            if count > names.len() {
                let wanted = ["0 elements in sequence", "1 element in sequence", "2 elements in sequence"][names.len()];
                return Err(A::Error::invalid_length(count, &wanted));
            }
            Ok(build(kind, fields))
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TierSpec {
    pub when: String,
    pub value: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    OneTime,
    Yearly,
    MultiYear,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CostShareSpec {
    #[serde(default)]
    pub province: Option<String>,
    pub city: String,
    pub district: String,
}

// ---------- compiled ----------

/// An expression with the text it was written as.
#[derive(Debug, Clone)]
pub struct Formula {
    pub source: String,
    pub expr: Expr,
    pub ty: Type,
    /// How to say it in words, where that reads better than the expression spelled out
    /// (the implicit "registered in Binjiang" condition).
    pub label: Option<Text>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub from: Date,
    pub to: Date,
    /// The text does not print the start: `from` is the earliest date it allows.
    pub from_not_printed: bool,
}

impl Window {
    /// The end used for a document that states none.
    pub const OPEN_END: Date = Date { year: 2200, month: 12, day: 31 };
    /// The start used for a document that prints none and whose text bounds it in no way.
    pub const OPEN_START: Date = Date { year: 1900, month: 1, day: 1 };

    pub fn is_open_ended(&self) -> bool {
        self.to == Window::OPEN_END
    }

    pub fn is_open_started(&self) -> bool {
        self.from == Window::OPEN_START
    }

    /// The start as printed, or `None` where the text states none.
    pub fn stated_from(&self) -> Option<Date> {
        (!self.is_open_started()).then_some(self.from)
    }

    /// The end as printed, or `None` where the text states none.
    pub fn stated_to(&self) -> Option<Date> {
        (!self.is_open_ended()).then_some(self.to)
    }

    /// Whether the window shares a day with `other`.
    pub fn overlaps(&self, other: Window) -> bool {
        self.from <= other.to && other.from <= self.to
    }

    /// The calendar year as a window.
    pub fn year(year: i32) -> Window {
        let year = year.clamp(1900, 2200);
        Window { from: Date { year, month: 1, day: 1 }, to: Date { year, month: 12, day: 31 }, from_not_printed: false }
    }

    /// The one calendar year the window lies in, if it lies in one.
    pub fn single_year(&self) -> Option<i32> {
        (self.from.year == self.to.year && !self.is_open_started() && !self.is_open_ended()).then_some(self.from.year)
    }

    pub fn contains(&self, date: Date) -> bool {
        self.from <= date && date <= self.to
    }
}

#[derive(Debug, Clone)]
pub struct Document {
    pub id: String,
    pub file: String,
    pub title: Text,
    pub issuer: Text,
    pub number: String,
    pub level: Level,
    pub district: Option<String>,
    pub valid: Window,
    pub validity_clause: String,
    pub source: SourceSpec,
    pub notes: Option<Text>,
    pub funding: Option<Text>,
    /// The period the qualifying event must fall in: `performance`, or the validity.
    pub performance: Window,
    /// The performance period as the text states it (with its clause), where it does.
    pub stated_performance: Option<Period>,
    pub application: Option<Period>,
    pub time_reading: Option<Text>,
    pub series: Option<String>,
    /// Clauses deliberately not encoded. The embedded bundle carries them apart: only
    /// `Bundle::embedded_with_coverage()` fills them in.
    pub left_out: Vec<LeftOutSpec>,
}

/// A period a clause states (a performance period or an application window).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub window: Window,
    pub clause: String,
    pub line: u32,
}

#[derive(Debug, Clone)]
pub enum Amount {
    Fixed(Decimal),
    Rate { rate: Decimal, of: Formula },
    PerUnit { value: Decimal, count: Formula },
    Tiers(Vec<(Formula, Decimal)>),
    GrantShare { rate: Decimal, of: Formula },
    FeeReduction { rate: Decimal, of: Formula },
    CaseByCase,
}

impl Amount {
    /// The formulas the amount reads (its base, count or tier conditions).
    pub fn formulas(&self) -> Vec<&Formula> {
        match self {
            Amount::Rate { of, .. } | Amount::GrantShare { of, .. } | Amount::FeeReduction { of, .. } => vec![of],
            Amount::PerUnit { count, .. } => vec![count],
            Amount::Tiers(tiers) => tiers.iter().map(|(when, _)| when).collect(),
            Amount::Fixed(_) | Amount::CaseByCase => Vec::new(),
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Amount::Fixed(_) => "fixed",
            Amount::Rate { .. } => "rate",
            Amount::PerUnit { .. } => "per_unit",
            Amount::Tiers(_) => "tiers",
            Amount::GrantShare { .. } => "grant_share",
            Amount::FeeReduction { .. } => "fee_reduction",
            Amount::CaseByCase => "case_by_case",
        }
    }
}

/// Shares of the amount paid by the province, city and district budgets; they add up to 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CostShare {
    pub province: Decimal,
    pub city: Decimal,
    pub district: Decimal,
}

#[derive(Debug, Clone)]
pub struct Benefit {
    pub id: String,
    pub document: usize,
    pub article: String,
    pub name: Text,
    pub clause: String,
    pub source_line: u32,
    /// All must hold. The first is the implicit place condition (district or city).
    pub conditions: Vec<Formula>,
    pub amount: Amount,
    pub up_to: bool,
    pub cap: Option<Decimal>,
    /// The cost the amount may not exceed (`bounded_by`).
    pub bound: Option<Formula>,
    /// Index into `Catalogue::item_kinds`: assessed once per item.
    pub per_item: Option<usize>,
    pub frequency: Frequency,
    pub years: Option<u32>,
    pub cost_share: CostShare,
    pub authority: Text,
    pub valid: Window,
    /// The verbatim words giving the benefit its own period, if it has one.
    pub period_clause: Option<String>,
    /// The period the qualifying event must fall in: the benefit's own `performance`,
    /// else the document's, else the benefit's validity.
    pub performance: Window,
    /// The benefit's own performance period as the text states it, where it does.
    pub stated_performance: Option<Period>,
    /// The application window where the text states one (the benefit's, else the document's).
    pub application: Option<Period>,
    pub reading: Option<Text>,
    /// The application materials the text names: the benefit's own, else the document's.
    pub materials: Option<Materials>,
    /// Benefits this one stacks with on purpose (ids checked when the bundle is built).
    pub stacks_with: Vec<StacksWith>,
}

#[derive(Debug, Clone)]
pub struct ExclusiveGroup {
    pub id: String,
    pub document: usize,
    pub benefits: Vec<usize>,
    pub clause: String,
    pub reading: Option<Text>,
}

#[derive(Debug, Clone)]
pub struct CompanyCap {
    pub id: String,
    pub document: usize,
    pub benefits: Vec<usize>,
    pub cap: Decimal,
    pub clause: String,
}
