//! The fact catalogue (what the questionnaire can ask) and profiles (a company's answers).

use crate::date::Date;
use crate::money::{parse_number, NumberError, Unit};
use crate::text::{Lang, Text};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FactKind {
    /// Yes / no.
    Bool,
    /// An amount in 元.
    Money,
    /// A whole number (people, items, years).
    Count,
    /// A rate, stored as a fraction (5% → 0.05).
    Percent,
    /// A calendar date.
    Date,
    /// One of a fixed list of options.
    Choice,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChoiceOption {
    pub id: String,
    pub label: Text,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub id: String,
    pub label: Text,
}

/// One question a rule may depend on.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fact {
    pub id: String,
    pub kind: FactKind,
    pub section: String,
    pub label: Text,
    #[serde(default)]
    pub help: Option<Text>,
    /// Smallest allowed value (money, count, percent), as written ("0", "1万").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<String>,
    /// Largest allowed value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<ChoiceOption>,
    /// The kind of item (an `[[item_kind]]` id) this fact is answered for, once per item,
    /// where a text assesses each project, fair or policy on its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_item: Option<String>,
    /// Asked on the first screen, in this order (1, 2, …): the few facts most
    /// documents turn on (district, size, revenue, R&D spend, recognitions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_screen: Option<u8>,
}

/// Something a company may have several of, each assessed on its own (单个项目, 每次展会).
/// Item 1 is answered as `fact`, item 2 as `fact#2`, and so on up to `MAX_ITEMS`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemKind {
    pub id: String,
    /// What one item is called: "山林经济基地项目".
    pub label: Text,
}

/// The most items of one kind a profile may list: more than any company holds, and a
/// bound on the work one evaluation can be made to do.
pub const MAX_ITEMS: u8 = 20;

/// The item a key's `#n` names: 2 to `MAX_ITEMS`, written without leading zeros. Item 1
/// is the plain fact, so `#1` is not a second way to write it.
pub fn item_number(number: &str) -> Option<u8> {
    number.parse::<u8>().ok().filter(|n| (2..=MAX_ITEMS).contains(n) && !number.starts_with('0'))
}

/// A named quantity computed from facts (e.g. the R&D spend increase), so rules and
/// explanations can speak of it by name.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DerivedSpec {
    pub id: String,
    pub formula: String,
    pub label: Text,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogueSpec {
    #[serde(rename = "section", default)]
    pub sections: Vec<Section>,
    #[serde(rename = "fact", default)]
    pub facts: Vec<Fact>,
    #[serde(rename = "derived", default)]
    pub derived: Vec<DerivedSpec>,
    #[serde(rename = "item_kind", default)]
    pub item_kinds: Vec<ItemKind>,
}

/// A known answer. Money and percentages are exact decimals; a choice is the index of
/// the option in its fact's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value {
    Bool(bool),
    Num(Decimal),
    Choice(u16),
    Date(Date),
}

/// Bounds used when a fact sets none: large enough for any real company, small enough
/// that arithmetic on them cannot overflow.
const DEFAULT_MONEY_MAX: i64 = crate::money::MAX_YUAN; // 10万亿元
const DEFAULT_COUNT_MAX: i64 = 100_000_000;

/// A fact with its bounds parsed, ready to check answers.
#[derive(Debug, Clone)]
pub struct CatalogueFact {
    pub spec: Fact,
    pub min: Decimal,
    pub max: Decimal,
    /// Index into `Catalogue::item_kinds` for a fact answered per item.
    pub item_kind: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct Catalogue {
    pub sections: Vec<Section>,
    pub facts: Vec<CatalogueFact>,
    pub derived: Vec<DerivedSpec>,
    pub item_kinds: Vec<ItemKind>,
    /// The first-screen facts, in their order.
    pub first_screen: Vec<usize>,
    index: HashMap<String, usize>,
}

impl Catalogue {
    /// Builds the catalogue; `errors` receives every problem found, naming the fact.
    pub fn new(spec: CatalogueSpec, errors: &mut Vec<String>) -> Catalogue {
        let mut index = HashMap::new();
        let mut facts = Vec::new();
        for fact in spec.facts {
            let at = format!("fact `{}`", fact.id);
            if !is_identifier(&fact.id) {
                errors.push(format!("{at}: id must be lower_snake_case"));
            }
            if index.insert(fact.id.clone(), facts.len()).is_some() {
                errors.push(format!("{at}: id used twice"));
            }
            if !spec.sections.iter().any(|s| s.id == fact.section) {
                errors.push(format!("{at}: unknown section `{}`", fact.section));
            }
            if (fact.kind == FactKind::Choice) != !fact.options.is_empty() {
                errors.push(format!("{at}: options are required for, and only for, a choice"));
            }
            if fact.label.zh.trim().is_empty() || fact.label.en.trim().is_empty() {
                errors.push(format!("{at}: label needs both zh and en"));
            }
            let (default_min, default_max) = match fact.kind {
                FactKind::Money => (Decimal::ZERO, Decimal::from(DEFAULT_MONEY_MAX)),
                FactKind::Count => (Decimal::ZERO, Decimal::from(DEFAULT_COUNT_MAX)),
                FactKind::Percent => (Decimal::ZERO, Decimal::from(10)),
                _ => (Decimal::ZERO, Decimal::ZERO),
            };
            let bound = |text: &Option<String>, default: Decimal, errors: &mut Vec<String>| match text {
                None => default,
                Some(t) => match parse_number(t) {
                    Ok((v, _)) => v,
                    Err(e) => {
                        errors.push(format!("{at}: bound `{t}`: {e}"));
                        default
                    }
                },
            };
            let min = bound(&fact.min, default_min, errors);
            let max = bound(&fact.max, default_max, errors);
            let item_kind = fact.per_item.as_ref().and_then(|kind| {
                let found = spec.item_kinds.iter().position(|k| &k.id == kind);
                if found.is_none() {
                    errors.push(format!("{at}: unknown item_kind `{kind}`"));
                }
                found
            });
            facts.push(CatalogueFact { spec: fact, min, max, item_kind });
        }
        for derived in &spec.derived {
            if index.contains_key(&derived.id) {
                errors.push(format!("derived `{}`: id already used by a fact", derived.id));
            }
        }
        for (i, kind) in spec.item_kinds.iter().enumerate() {
            if !is_identifier(&kind.id) || spec.item_kinds[..i].iter().any(|k| k.id == kind.id) {
                errors.push(format!("item_kind `{}`: id must be lower_snake_case and unique", kind.id));
            }
            if kind.label.zh.trim().is_empty() || kind.label.en.trim().is_empty() {
                errors.push(format!("item_kind `{}`: label needs both zh and en", kind.id));
            }
        }
        let mut first_screen: Vec<usize> = (0..facts.len()).filter(|&f| facts[f].spec.first_screen.is_some()).collect();
        first_screen.sort_by_key(|&f| facts[f].spec.first_screen);
        for pair in first_screen.windows(2) {
            if facts[pair[0]].spec.first_screen == facts[pair[1]].spec.first_screen {
                errors.push(format!("fact `{}`: first_screen {} is also `{}`'s", facts[pair[1]].spec.id, facts[pair[1]].spec.first_screen.unwrap_or(0), facts[pair[0]].spec.id));
            }
        }
        Catalogue { sections: spec.sections, facts, derived: spec.derived, item_kinds: spec.item_kinds, first_screen, index }
    }

    /// Every fact answered with a plausible value inside its bounds (a Binjiang company
    /// that spent 1000万 on R&D last year): the full profile the benchmarks evaluate.
    pub fn full_answers(&self) -> serde_json::Value {
        use serde_json::json;
        let mut map = serde_json::Map::new();
        for f in &self.facts {
            let within = |v: i64| Decimal::from(v).clamp(f.min, f.max).to_string();
            let value = match f.spec.kind {
                FactKind::Bool => json!(true),
                FactKind::Money => json!(within(15_000_000)),
                FactKind::Count => json!(within(3)),
                FactKind::Percent => json!("5%"),
                FactKind::Date => json!("2024-06-30"),
                FactKind::Choice => json!(f.spec.options[0].id),
            };
            map.insert(f.spec.id.clone(), value);
        }
        map.insert("district".into(), json!("binjiang"));
        map.insert("rd_spend_prev".into(), json!("1000万"));
        serde_json::Value::Object(map)
    }

    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    pub fn fact(&self, index: usize) -> &Fact {
        &self.facts[index].spec
    }

    /// The kind of item a per-item fact is answered for (`None` for a plain fact).
    pub fn item_kind_of(&self, index: usize) -> Option<usize> {
        self.facts[index].item_kind
    }

    /// The fact and item an answer key names: `rd_spend` is item 1, `x#2` item 2 of a
    /// per-item fact `x`. `None` for a key the catalogue would refuse.
    pub fn answer_key(&self, key: &str) -> Option<(usize, u8)> {
        match key.split_once('#') {
            None => self.index_of(key).map(|f| (f, 1)),
            Some((fact, number)) => {
                let f = self.index_of(fact).filter(|&f| self.facts[f].item_kind.is_some())?;
                let n = item_number(number)?;
                Some((f, n))
            }
        }
    }

    /// Reads a JSON object of fact id → answer. Every valid answer is kept; every bad one
    /// is reported, so one typo never costs the rest of the answers.
    pub fn read_profile(&self, answers: &serde_json::Value) -> (Profile, Vec<AnswerError>) {
        use serde_json::Value as J;
        let mut profile = Profile::empty(self);
        let mut errors = Vec::new();
        let Some(map) = answers.as_object() else {
            errors.push(AnswerError { fact: String::new(), problem: Problem::NotAnObject });
            return (profile, errors);
        };
        for (id, raw) in map {
            let number;
            let raw = match raw {
                J::Null => RawAnswer::Missing,
                J::String(s) => RawAnswer::Text(s),
                J::Number(n) => {
                    number = n.to_string();
                    RawAnswer::Number(&number)
                }
                J::Bool(b) => RawAnswer::Bool(*b),
                J::Array(_) | J::Object(_) => RawAnswer::Nested,
            };
            self.read_into(&mut profile, &mut errors, id, raw);
        }
        (profile, errors)
    }

    /// The same from JSON text, read in one pass without building a JSON tree first: this
    /// is what the JS API does on every call, so it is kept cheap. `Err` when the text is
    /// not JSON or not an object.
    pub fn read_profile_text(&self, text: &str) -> Result<(Profile, Vec<AnswerError>), serde_json::Error> {
        use serde::de::Deserializer as _;
        let mut reader = serde_json::Deserializer::from_str(text);
        let read = (&mut reader).deserialize_map(ProfileReader { catalogue: self })?;
        reader.end()?;
        Ok(read)
    }

    fn read_into(&self, profile: &mut Profile, errors: &mut Vec<AnswerError>, id: &str, raw: RawAnswer) {
        // A key given twice in JSON text: the last one counts, as in JSON.parse.
        errors.retain(|e| e.fact != id);
        if let Some((fact, number)) = id.split_once('#') {
            return self.read_item_answer(profile, errors, id, fact, number, raw);
        }
        let Some(i) = self.index_of(id) else {
            errors.push(AnswerError { fact: id.to_string(), problem: Problem::UnknownFact });
            return;
        };
        profile.values[i] = None;
        match self.read_answer(i, raw) {
            Ok(value) => profile.values[i] = value,
            Err(problem) => errors.push(AnswerError { fact: id.to_string(), problem }),
        }
    }

    /// `fact#2`: the answer for the second item of a per-item fact.
    fn read_item_answer(&self, profile: &mut Profile, errors: &mut Vec<AnswerError>, id: &str, fact: &str, number: &str, raw: RawAnswer) {
        let problem = |problem| AnswerError { fact: id.to_string(), problem };
        let Some(i) = self.index_of(fact) else { return errors.push(problem(Problem::UnknownFact)) };
        if self.facts[i].item_kind.is_none() {
            return errors.push(problem(Problem::NotPerItem));
        }
        // Item 1 is the plain fact, so `#1` is not a second way to write it.
        let Some(n) = item_number(number) else {
            return errors.push(problem(Problem::BadItemNumber));
        };
        profile.items.retain(|a| (a.fact, a.item) != (i, n));
        match self.read_answer(i, raw) {
            Ok(Some(value)) => {
                let at = profile.items.partition_point(|a| (a.fact, a.item) < (i, n));
                profile.items.insert(at, ItemAnswer { fact: i, item: n, value });
            }
            Ok(None) => {}
            Err(p) => errors.push(problem(p)),
        }
    }

    /// Reads one answer; `Ok(None)` means "don't know" (null or empty).
    pub fn read_answer(&self, index: usize, raw: RawAnswer) -> Result<Option<Value>, Problem> {
        let fact = &self.facts[index];
        let text = match raw {
            RawAnswer::Missing => return Ok(None),
            RawAnswer::Text(s) if s.trim().is_empty() => return Ok(None),
            RawAnswer::Text(s) => s.trim(),
            RawAnswer::Number(n) => n,
            RawAnswer::Bool(b) => if b { "true" } else { "false" },
            RawAnswer::Nested => return Err(Problem::WrongType(fact.spec.kind)),
        };
        match fact.spec.kind {
            FactKind::Bool => match text {
                "true" | "yes" | "是" | "1" => Ok(Some(Value::Bool(true))),
                "false" | "no" | "否" | "0" => Ok(Some(Value::Bool(false))),
                _ => Err(Problem::WrongType(FactKind::Bool)),
            },
            FactKind::Choice => fact
                .spec
                .options
                .iter()
                .position(|o| o.id == text)
                .map(|i| Some(Value::Choice(i as u16)))
                .ok_or_else(|| Problem::UnknownOption(text.to_string())),
            FactKind::Date => Date::parse(text).map(|d| Some(Value::Date(d))).ok_or_else(|| Problem::BadDate(text.to_string())),
            kind @ (FactKind::Money | FactKind::Count | FactKind::Percent) => {
                if matches!(raw, RawAnswer::Bool(_)) {
                    return Err(Problem::WrongType(kind));
                }
                let (value, unit) = parse_scientific(text).map_err(Problem::Number)?;
                let value = match (kind, unit) {
                    (FactKind::Money, Unit::Money | Unit::Plain) => value,
                    (FactKind::Count, Unit::Plain) if value.fract().is_zero() => value,
                    (FactKind::Count, Unit::Plain) => return Err(Problem::NotWhole(text.to_string())),
                    (FactKind::Percent, Unit::Percent) => value,
                    // A bare number for a percentage is read as percentage points: 5 → 5%.
                    (FactKind::Percent, Unit::Plain) => value / Decimal::from(100),
                    _ => return Err(Problem::WrongUnit(kind)),
                };
                if value < fact.min {
                    return Err(Problem::BelowMin { min: fact.min, kind });
                }
                if value > fact.max {
                    return Err(Problem::AboveMax { max: fact.max, kind });
                }
                Ok(Some(Value::Num(value)))
            }
        }
    }
}

/// One answer as given, before it is read against its fact.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RawAnswer<'a> {
    /// null: "don't know".
    Missing,
    Text(&'a str),
    /// A JSON number as JSON prints it ("1e+30").
    Number(&'a str),
    Bool(bool),
    /// An array or an object, which no fact takes.
    Nested,
}

/// Streams a JSON object of answers into a profile (serde visitor).
struct ProfileReader<'c> {
    catalogue: &'c Catalogue,
}

impl<'de> serde::de::Visitor<'de> for ProfileReader<'_> {
    type Value = (Profile, Vec<AnswerError>);

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object of answers")
    }

    fn visit_map<M: serde::de::MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
        let mut profile = Profile::empty(self.catalogue);
        let mut errors = Vec::new();
        while let Some(JsonText(id)) = map.next_key()? {
            let answer: JsonAnswer = map.next_value()?;
            let raw = match &answer {
                JsonAnswer::Missing => RawAnswer::Missing,
                JsonAnswer::Text(s) => RawAnswer::Text(s),
                JsonAnswer::Number(n) => RawAnswer::Number(n),
                JsonAnswer::Bool(b) => RawAnswer::Bool(*b),
                JsonAnswer::Nested => RawAnswer::Nested,
            };
            self.catalogue.read_into(&mut profile, &mut errors, &id, raw);
        }
        Ok((profile, errors))
    }
}

/// A JSON string, borrowed from the text when it has no escapes.
struct JsonText<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for JsonText<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(JsonAnswerVisitor).and_then(|answer| match answer {
            JsonAnswer::Text(s) => Ok(JsonText(s)),
            _ => Err(serde::de::Error::custom("expected a string")),
        })
    }
}

/// One answer as JSON gives it, owning only what it must.
enum JsonAnswer<'de> {
    Missing,
    Text(Cow<'de, str>),
    Number(String),
    Bool(bool),
    Nested,
}

impl<'de> Deserialize<'de> for JsonAnswer<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(JsonAnswerVisitor)
    }
}

struct JsonAnswerVisitor;

impl<'de> serde::de::Visitor<'de> for JsonAnswerVisitor {
    type Value = JsonAnswer<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an answer")
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(JsonAnswer::Missing)
    }
    fn visit_bool<E>(self, b: bool) -> Result<Self::Value, E> {
        Ok(JsonAnswer::Bool(b))
    }
    // Numbers are printed as serde_json prints them, so both readers see the same text.
    fn visit_u64<E>(self, n: u64) -> Result<Self::Value, E> {
        Ok(JsonAnswer::Number(serde_json::Number::from(n).to_string()))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Self::Value, E> {
        Ok(JsonAnswer::Number(serde_json::Number::from(n).to_string()))
    }
    fn visit_f64<E>(self, n: f64) -> Result<Self::Value, E> {
        Ok(serde_json::Number::from_f64(n).map_or(JsonAnswer::Missing, |n| JsonAnswer::Number(n.to_string())))
    }
    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Self::Value, E> {
        Ok(JsonAnswer::Text(Cow::Borrowed(s)))
    }
    fn visit_str<E>(self, s: &str) -> Result<Self::Value, E> {
        Ok(JsonAnswer::Text(Cow::Owned(s.to_string())))
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
        Ok(JsonAnswer::Nested)
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?.is_some() {}
        Ok(JsonAnswer::Nested)
    }
}

/// Like `parse_number`, but also reads the exponent form that JavaScript and JSON print
/// for large or small numbers ("1e+30").
fn parse_scientific(text: &str) -> Result<(Decimal, Unit), NumberError> {
    match parse_number(text) {
        Err(NumberError::NotANumber(_)) if text.contains(['e', 'E']) && !text.contains(['万', '亿', '%']) => {
            Decimal::from_scientific(text)
                .map(|v| (v, Unit::Plain))
                .map_err(|_| NumberError::TooLarge(text.to_string()))
        }
        other => other,
    }
}

pub fn is_identifier(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// A company's answers, one slot per fact; `None` is "not answered / don't know".
/// A per-item fact's slot holds item 1; items 2 and up are in `items`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Profile {
    pub values: Vec<Option<Value>>,
    /// Answers for items 2 and up, sorted by fact, then item.
    pub items: Vec<ItemAnswer>,
}

/// The answer to a per-item fact for item `item` (2 or more).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemAnswer {
    pub fact: usize,
    pub item: u8,
    pub value: Value,
}

impl Profile {
    pub fn empty(catalogue: &Catalogue) -> Profile {
        Profile { values: vec![None; catalogue.facts.len()], items: Vec::new() }
    }

    pub fn get(&self, index: usize) -> Option<Value> {
        self.values.get(index).copied().flatten()
    }
}

/// Why one answer was not accepted.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    NotAnObject,
    UnknownFact,
    WrongType(FactKind),
    WrongUnit(FactKind),
    Number(NumberError),
    NotWhole(String),
    BelowMin { min: Decimal, kind: FactKind },
    AboveMax { max: Decimal, kind: FactKind },
    UnknownOption(String),
    BadDate(String),
    /// `fact#2` for a fact that is not answered per item.
    NotPerItem,
    /// `fact#0`, `fact#1`, `fact#x` or beyond `MAX_ITEMS`.
    BadItemNumber,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AnswerError {
    pub fact: String,
    pub problem: Problem,
}

fn kind_name(kind: FactKind, lang: Lang) -> &'static str {
    match kind {
        FactKind::Bool => lang.pick("是或否", "yes or no"),
        FactKind::Money => lang.pick("金额（元，可写“200万”）", "an amount in yuan (\"200万\" works)"),
        FactKind::Count => lang.pick("整数", "a whole number"),
        FactKind::Percent => lang.pick("百分比（如 5%）", "a percentage (e.g. 5%)"),
        FactKind::Date => lang.pick("日期（YYYY-MM-DD）", "a date (YYYY-MM-DD)"),
        FactKind::Choice => lang.pick("列表中的一项", "one of the listed options"),
    }
}

fn bound_text(value: Decimal, kind: FactKind) -> String {
    match kind {
        FactKind::Money => format!("{}万元", crate::money::format_wan(value)),
        FactKind::Percent => crate::money::format_percent(value),
        _ => value.normalize().to_string(),
    }
}

impl Problem {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Problem::NotAnObject => lang.pick("答案必须是一个 JSON 对象", "answers must be a JSON object").into(),
            Problem::UnknownFact => lang.pick("没有这个问题", "no such question").into(),
            Problem::WrongType(k) | Problem::WrongUnit(k) => {
                format!("{}{}", lang.pick("应填写", "expected "), kind_name(*k, lang))
            }
            Problem::Number(NumberError::Empty) => lang.pick("请填写数值", "please enter a number").into(),
            Problem::Number(NumberError::NotANumber(s)) => match lang {
                Lang::Zh => format!("“{s}”不是有效数字"),
                Lang::En => format!("“{s}” is not a number"),
            },
            Problem::Number(NumberError::TooLarge(s)) => match lang {
                Lang::Zh => format!("“{s}”太大"),
                Lang::En => format!("“{s}” is too large"),
            },
            Problem::NotWhole(s) => match lang {
                Lang::Zh => format!("“{s}”应为整数"),
                Lang::En => format!("“{s}” must be a whole number"),
            },
            Problem::BelowMin { min, kind } => match lang {
                Lang::Zh => format!("不能小于 {}", bound_text(*min, *kind)),
                Lang::En => format!("must not be less than {}", bound_text(*min, *kind)),
            },
            Problem::AboveMax { max, kind } => match lang {
                Lang::Zh => format!("不能大于 {}", bound_text(*max, *kind)),
                Lang::En => format!("must not be more than {}", bound_text(*max, *kind)),
            },
            Problem::UnknownOption(s) => match lang {
                Lang::Zh => format!("“{s}”不是可选项"),
                Lang::En => format!("“{s}” is not one of the options"),
            },
            Problem::BadDate(s) => match lang {
                Lang::Zh => format!("“{s}”不是有效日期（YYYY-MM-DD）"),
                Lang::En => format!("“{s}” is not a date (YYYY-MM-DD)"),
            },
            Problem::NotPerItem => lang.pick("这个问题只回答一次，不能按项目分别填写", "this question is answered once, not per item").into(),
            Problem::BadItemNumber => match lang {
                Lang::Zh => format!("项目编号应为 2 到 {MAX_ITEMS}（第 1 项即不带编号的问题）"),
                Lang::En => format!("the item number must be 2 to {MAX_ITEMS} (item 1 is the question without a number)"),
            },
        }
    }
}

impl AnswerError {
    pub fn message(&self, lang: Lang) -> String {
        if self.fact.is_empty() {
            self.problem.message(lang)
        } else {
            format!("{}: {}", self.fact, self.problem.message(lang))
        }
    }
}

impl fmt::Display for AnswerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}
