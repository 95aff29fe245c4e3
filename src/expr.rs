//! The small typed expression language of the rule files:
//!
//! ```text
//! tech_sme_scale and rd_spend - rd_spend_prev >= 200万
//! district in ["binjiang", "xiaoshan"]
//! ```
//!
//! Literals are written as the policies write them: `200万`, `1亿`, `5%`, `30元`, `3`
//! (a count), `"option_id"`, `true`, and dates as `2024-03-31` (for a date fact: the day
//! the qualifying event happened, 2024年一季度 = `2024-01-01` to `2024-03-31`). Names are facts or derived quantities from the
//! catalogue. Expressions are parsed and type-checked once when the bundle loads, and
//! evaluated in three-valued logic: an unanswered fact is unknown, and `false and ?`
//! is still false.

use crate::date::Date;
use crate::facts::{Catalogue, FactKind, Value};
use crate::money::{parse_number, Unit};
use rust_decimal::Decimal;
use std::fmt;

// ---------- syntax ----------

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Name(String),
    Number(Decimal, Unit),
    Date(Date),
    Str(String),
    Op(&'static str),
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
}

/// As a formula writes it, for a message ("unexpected `)`", not the token's Rust name).
impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Token::Name(name) => write!(f, "`{name}`"),
            Token::Number(v, Unit::Money) => write!(f, "`{}万元`", crate::money::format_wan(*v)),
            Token::Number(v, Unit::Percent) => write!(f, "`{}`", crate::money::format_percent(*v)),
            Token::Number(v, Unit::Plain) => write!(f, "`{}`", v.normalize()),
            Token::Date(d) => write!(f, "`{d}`"),
            Token::Str(text) => write!(f, "`\"{text}\"`"),
            Token::Op(op) => write!(f, "`{op}`"),
            Token::LParen => f.write_str("`(`"),
            Token::RParen => f.write_str("`)`"),
            Token::LBracket => f.write_str("`[`"),
            Token::RBracket => f.write_str("`]`"),
            Token::Comma => f.write_str("`,`"),
        }
    }
}

fn tokenize(source: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = source.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if let Some(date) = date_at(&chars[i..]) {
            // YYYY-MM-DD is a date, not 2024 minus 1 minus 1.
            tokens.push(Token::Date(date?));
            i += 10;
        } else if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            // A unit directly after the digits: 万元, 亿元, 万, 亿, 元, %.
            for unit in ["万元", "亿元", "万", "亿", "元", "%"] {
                let u: Vec<char> = unit.chars().collect();
                if chars[i..].starts_with(&u) {
                    i += u.len();
                    break;
                }
            }
            let text: String = chars[start..i].iter().collect();
            let (value, unit) = parse_number(&text).map_err(|e| e.to_string())?;
            tokens.push(Token::Number(value, unit));
        } else if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            tokens.push(match word.as_str() {
                "and" => Token::Op("and"),
                "or" => Token::Op("or"),
                "not" => Token::Op("not"),
                "in" => Token::Op("in"),
                _ => Token::Name(word),
            });
        } else if c == '"' {
            let start = i + 1;
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                i += 1;
            }
            if i == chars.len() {
                return Err("unterminated string".into());
            }
            tokens.push(Token::Str(chars[start..i].iter().collect()));
            i += 1;
        } else {
            let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
            let op = match two.as_str() {
                ">=" => Some(">="),
                "<=" => Some("<="),
                "==" => Some("=="),
                "!=" => Some("!="),
                "&&" => Some("and"),
                "||" => Some("or"),
                _ => None,
            };
            if let Some(op) = op {
                tokens.push(Token::Op(op));
                i += 2;
                continue;
            }
            tokens.push(match c {
                '>' => Token::Op(">"),
                '<' => Token::Op("<"),
                '+' => Token::Op("+"),
                '-' => Token::Op("-"),
                '*' => Token::Op("*"),
                '/' => Token::Op("/"),
                '!' => Token::Op("not"),
                '(' => Token::LParen,
                ')' => Token::RParen,
                '[' => Token::LBracket,
                ']' => Token::RBracket,
                ',' => Token::Comma,
                other => return Err(format!("unexpected character `{other}`")),
            });
            i += 1;
        }
    }
    Ok(tokens)
}

/// A date literal at the start of `chars`: `Some(Ok)` for a valid YYYY-MM-DD, `Some(Err)`
/// for one shaped like a date but not a real day (2024-02-30), `None` for anything else.
fn date_at(chars: &[char]) -> Option<Result<Date, String>> {
    let shape = chars.len() >= 10
        && chars[..10].iter().enumerate().all(|(k, c)| if k == 4 || k == 7 { *c == '-' } else { c.is_ascii_digit() })
        && !chars.get(10).is_some_and(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '_');
    if !shape {
        return None;
    }
    let text: String = chars[..10].iter().collect();
    Some(Date::parse(&text).ok_or_else(|| format!("`{text}` is not a date")))
}

#[derive(Debug, Clone)]
enum Syntax {
    Number(Decimal, Unit),
    Date(Date),
    Str(String),
    Bool(bool),
    Name(String),
    Unary(&'static str, Box<Syntax>),
    Binary(&'static str, Box<Syntax>, Box<Syntax>),
    In(Box<Syntax>, Vec<String>),
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

impl Parser {
    fn peek_op(&self) -> Option<&'static str> {
        match self.tokens.get(self.at) {
            Some(Token::Op(op)) => Some(op),
            _ => None,
        }
    }

    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.at).cloned();
        self.at += 1;
        t
    }

    fn binary_level(&mut self, ops: &[&'static str], lower: fn(&mut Parser) -> Result<Syntax, String>) -> Result<Syntax, String> {
        let mut left = lower(self)?;
        while let Some(op) = self.peek_op().filter(|op| ops.contains(op)) {
            self.at += 1;
            let right = lower(self)?;
            left = Syntax::Binary(op, Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn or(&mut self) -> Result<Syntax, String> {
        self.binary_level(&["or"], Parser::and)
    }

    fn and(&mut self) -> Result<Syntax, String> {
        self.binary_level(&["and"], Parser::not)
    }

    fn not(&mut self) -> Result<Syntax, String> {
        if self.peek_op() == Some("not") {
            self.at += 1;
            return Ok(Syntax::Unary("not", Box::new(self.not()?)));
        }
        self.comparison()
    }

    fn comparison(&mut self) -> Result<Syntax, String> {
        let left = self.sum()?;
        match self.peek_op() {
            Some(op @ (">=" | ">" | "<=" | "<" | "==" | "!=")) => {
                self.at += 1;
                let right = self.sum()?;
                Ok(Syntax::Binary(op, Box::new(left), Box::new(right)))
            }
            Some("in") => {
                self.at += 1;
                if self.next() != Some(Token::LBracket) {
                    return Err("expected `[` after `in`".into());
                }
                let mut options = Vec::new();
                loop {
                    match self.next() {
                        Some(Token::Str(s)) => options.push(s),
                        Some(Token::RBracket) if options.is_empty() => break,
                        _ => return Err("expected a quoted option in the `in [...]` list".into()),
                    }
                    match self.next() {
                        Some(Token::Comma) => continue,
                        Some(Token::RBracket) => break,
                        _ => return Err("expected `,` or `]`".into()),
                    }
                }
                Ok(Syntax::In(Box::new(left), options))
            }
            _ => Ok(left),
        }
    }

    fn sum(&mut self) -> Result<Syntax, String> {
        self.binary_level(&["+", "-"], Parser::product)
    }

    fn product(&mut self) -> Result<Syntax, String> {
        self.binary_level(&["*", "/"], Parser::atom)
    }

    fn atom(&mut self) -> Result<Syntax, String> {
        match self.next() {
            Some(Token::Number(v, u)) => Ok(Syntax::Number(v, u)),
            Some(Token::Date(d)) => Ok(Syntax::Date(d)),
            Some(Token::Str(s)) => Ok(Syntax::Str(s)),
            Some(Token::Name(n)) if n == "true" => Ok(Syntax::Bool(true)),
            Some(Token::Name(n)) if n == "false" => Ok(Syntax::Bool(false)),
            Some(Token::Name(n)) => Ok(Syntax::Name(n)),
            Some(Token::Op("-")) => Ok(Syntax::Unary("-", Box::new(self.atom()?))),
            Some(Token::LParen) => {
                let inner = self.or()?;
                match self.next() {
                    Some(Token::RParen) => Ok(inner),
                    _ => Err("expected `)`".into()),
                }
            }
            Some(t) => Err(format!("unexpected {t}")),
            None => Err("expression ends too early".into()),
        }
    }
}

// ---------- typed expressions ----------

/// The type of an expression, checked when the bundle loads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    Bool,
    Money,
    Count,
    Percent,
    /// A plain number that is neither money nor a count (e.g. a ratio).
    Number,
    Date,
    /// A choice among the options of the given fact.
    Choice(usize),
}

impl Type {
    /// The type of fact `index` of the given kind.
    pub fn of_fact(kind: FactKind, index: usize) -> Type {
        match kind {
            FactKind::Bool => Type::Bool,
            FactKind::Money => Type::Money,
            FactKind::Count => Type::Count,
            FactKind::Percent => Type::Percent,
            FactKind::Date => Type::Date,
            FactKind::Choice => Type::Choice(index),
        }
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self {
            Type::Bool => "yes/no",
            Type::Money => "money",
            Type::Count => "count",
            Type::Percent => "percentage",
            Type::Number => "number",
            Type::Date => "date",
            Type::Choice(_) => "choice",
        };
        f.write_str(name)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    Ge,
    Gt,
    Le,
    Lt,
    Eq,
    Ne,
}

impl Cmp {
    pub fn symbol(self) -> &'static str {
        match self {
            Cmp::Ge => "≥",
            Cmp::Gt => ">",
            Cmp::Le => "≤",
            Cmp::Lt => "<",
            Cmp::Eq => "=",
            Cmp::Ne => "≠",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arith {
    Add,
    Sub,
    Mul,
    Div,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A literal and its type (so it prints as 200万元, 5% or 3).
    Literal(Value, Type),
    Fact(usize),
    /// A derived quantity: its catalogue index and its formula, inlined.
    Derived(usize, Box<Expr>),
    Not(Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Compare(Cmp, Box<Expr>, Box<Expr>),
    OneOf(Box<Expr>, Vec<u16>),
    Arith(Arith, Box<Expr>, Box<Expr>),
    Negate(Box<Expr>),
}

/// The most words and symbols one formula may have; the longest in the rules has about
/// twenty. Parsing, checking, evaluating and explaining all recurse into the formula, so
/// without a bound a bundle given at run time could nest deep enough to overflow the stack.
pub const MAX_TOKENS: usize = 256;
/// The same bound on a compiled formula with its derived quantities written out, so a
/// chain of derived quantities that each use the one before twice cannot double in size
/// at every step.
pub const MAX_TERMS: usize = 256;

/// Parses and type-checks `source` against the catalogue. `derived` holds the derived
/// quantities compiled so far (a formula may only use those defined before it).
pub fn compile(source: &str, catalogue: &Catalogue, derived: &[(Expr, Type)]) -> Result<(Expr, Type), String> {
    let tokens = tokenize(source)?;
    if tokens.is_empty() {
        return Err("empty expression".into());
    }
    if tokens.len() > MAX_TOKENS {
        return Err(format!("longer than {MAX_TOKENS} words and symbols"));
    }
    let mut parser = Parser { tokens, at: 0 };
    let syntax = parser.or()?;
    if parser.at < parser.tokens.len() {
        return Err(format!("unexpected {}", parser.tokens[parser.at]));
    }
    let (expr, ty) = Checker { catalogue, derived }.check(&syntax)?;
    if expr.terms() > MAX_TERMS {
        return Err(format!("more than {MAX_TERMS} terms once its derived quantities are written out"));
    }
    Ok((expr, ty))
}

struct Checker<'a> {
    catalogue: &'a Catalogue,
    derived: &'a [(Expr, Type)],
}

impl Checker<'_> {
    fn check(&self, syntax: &Syntax) -> Result<(Expr, Type), String> {
        match syntax {
            Syntax::Number(v, unit) => {
                let t = match unit {
                    Unit::Money => Type::Money,
                    Unit::Percent => Type::Percent,
                    Unit::Plain if v.fract().is_zero() => Type::Count,
                    Unit::Plain => Type::Number,
                };
                Ok((Expr::Literal(Value::Num(*v), t), t))
            }
            Syntax::Bool(b) => Ok((Expr::Literal(Value::Bool(*b), Type::Bool), Type::Bool)),
            Syntax::Date(d) => Ok((Expr::Literal(Value::Date(*d), Type::Date), Type::Date)),
            Syntax::Str(s) => Err(format!("a quoted text (\"{s}\") can only be compared with a choice")),
            Syntax::Name(name) => {
                if let Some(i) = self.catalogue.index_of(name) {
                    return Ok((Expr::Fact(i), Type::of_fact(self.catalogue.fact(i).kind, i)));
                }
                if let Some(d) = self.catalogue.derived.iter().position(|d| &d.id == name) {
                    let Some((expr, t)) = self.derived.get(d) else {
                        return Err(format!("`{name}` is used before it is defined"));
                    };
                    return Ok((Expr::Derived(d, Box::new(expr.clone())), *t));
                }
                Err(format!("unknown fact `{name}`"))
            }
            Syntax::Unary("not", inner) => {
                let (e, t) = self.check(inner)?;
                expect(t, Type::Bool, "`not`")?;
                Ok((Expr::Not(Box::new(e)), Type::Bool))
            }
            Syntax::Unary(_, inner) => {
                let (e, t) = self.check(inner)?;
                if !is_numeric(t) {
                    return Err(format!("cannot negate a {t}"));
                }
                Ok((Expr::Negate(Box::new(e)), t))
            }
            Syntax::In(left, options) => {
                let (e, t) = self.check(left)?;
                let Type::Choice(fact) = t else {
                    return Err(format!("`in [...]` needs a choice, found a {t}"));
                };
                let indices = options.iter().map(|o| self.option(fact, o)).collect::<Result<_, _>>()?;
                Ok((Expr::OneOf(Box::new(e), indices), Type::Bool))
            }
            Syntax::Binary(op, left, right) => self.binary(op, left, right),
        }
    }

    fn option(&self, fact: usize, option: &str) -> Result<u16, String> {
        let spec = self.catalogue.fact(fact);
        spec.options
            .iter()
            .position(|o| o.id == option)
            .map(|i| i as u16)
            .ok_or_else(|| format!("`{option}` is not an option of `{}`", spec.id))
    }

    fn binary(&self, op: &str, left: &Syntax, right: &Syntax) -> Result<(Expr, Type), String> {
        // A choice compared with a quoted option.
        if let ("==" | "!=", Syntax::Str(s)) = (op, right) {
            let (e, t) = self.check(left)?;
            let Type::Choice(fact) = t else {
                return Err(format!("cannot compare a {t} with the text \"{s}\""));
            };
            let one_of = Expr::OneOf(Box::new(e), vec![self.option(fact, s)?]);
            let expr = if op == "==" { one_of } else { Expr::Not(Box::new(one_of)) };
            return Ok((expr, Type::Bool));
        }
        let (l, lt) = self.check(left)?;
        let (r, rt) = self.check(right)?;
        let (l, r) = (Box::new(l), Box::new(r));
        match op {
            "and" | "or" => {
                expect(lt, Type::Bool, op)?;
                expect(rt, Type::Bool, op)?;
                Ok((if op == "and" { Expr::And(l, r) } else { Expr::Or(l, r) }, Type::Bool))
            }
            ">=" | ">" | "<=" | "<" | "==" | "!=" => {
                let comparable = lt == rt
                    || (matches!(lt, Type::Count | Type::Number) && matches!(rt, Type::Count | Type::Number));
                let ordered = is_numeric(lt) || lt == Type::Date;
                if !comparable || (!ordered && !matches!(op, "==" | "!=")) {
                    return Err(format!("cannot compare a {lt} with a {rt} using `{op}`"));
                }
                let cmp = match op {
                    ">=" => Cmp::Ge,
                    ">" => Cmp::Gt,
                    "<=" => Cmp::Le,
                    "<" => Cmp::Lt,
                    "==" => Cmp::Eq,
                    _ => Cmp::Ne,
                };
                Ok((Expr::Compare(cmp, l, r), Type::Bool))
            }
            "+" | "-" => {
                let t = match (lt, rt) {
                    (a, b) if a == b && is_numeric(a) => a,
                    (Type::Count | Type::Number, Type::Count | Type::Number) => Type::Number,
                    _ => return Err(format!("cannot add or subtract a {lt} and a {rt}")),
                };
                Ok((Expr::Arith(if op == "+" { Arith::Add } else { Arith::Sub }, l, r), t))
            }
            "*" => {
                use Type::*;
                let t = match (lt, rt) {
                    (Money, Percent | Count | Number) | (Percent | Count | Number, Money) => Money,
                    (Count, Count) => Count,
                    (Percent, Percent) => Percent,
                    (Count | Number | Percent, Count | Number | Percent) => Number,
                    _ => return Err(format!("cannot multiply a {lt} by a {rt}")),
                };
                Ok((Expr::Arith(Arith::Mul, l, r), t))
            }
            "/" => {
                use Type::*;
                let t = match (lt, rt) {
                    (Money, Count | Number) => Money,
                    (a, b) if is_numeric(a) && is_numeric(b) => Number,
                    _ => return Err(format!("cannot divide a {lt} by a {rt}")),
                };
                Ok((Expr::Arith(Arith::Div, l, r), t))
            }
            _ => Err(format!("unknown operator `{op}`")),
        }
    }
}

fn is_numeric(t: Type) -> bool {
    matches!(t, Type::Money | Type::Count | Type::Percent | Type::Number)
}

fn expect(found: Type, wanted: Type, context: &str) -> Result<(), String> {
    if found == wanted {
        Ok(())
    } else {
        Err(format!("{context} needs a {wanted}, found a {found}"))
    }
}

// ---------- evaluation ----------

/// What evaluating an expression can go wrong with, on valid types: only arithmetic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EvalError {
    Overflow,
    DivisionByZero,
}

/// `Ok(None)`: unknown, because an answer it needs is missing.
pub type Outcome = Result<Option<Value>, EvalError>;

/// Where evaluation reports the facts it found unanswered. `()` ignores them (the fast
/// path); a `Vec` keeps those that leave the result unknown.
pub trait MissingSink {
    fn mark(&self) -> usize;
    fn push(&mut self, fact: usize);
    fn reset(&mut self, mark: usize);
}

impl MissingSink for () {
    fn mark(&self) -> usize {
        0
    }
    fn push(&mut self, _: usize) {}
    fn reset(&mut self, _: usize) {}
}

impl MissingSink for Vec<usize> {
    fn mark(&self) -> usize {
        self.len()
    }
    fn push(&mut self, fact: usize) {
        if !self.contains(&fact) {
            Vec::push(self, fact)
        }
    }
    fn reset(&mut self, mark: usize) {
        self.truncate(mark)
    }
}

impl Expr {
    /// How many literals, facts and operators the formula has, derived quantities included.
    pub fn terms(&self) -> usize {
        1 + match self {
            Expr::Literal(..) | Expr::Fact(_) => 0,
            Expr::Derived(_, e) | Expr::Not(e) | Expr::Negate(e) | Expr::OneOf(e, _) => e.terms(),
            Expr::And(a, b) | Expr::Or(a, b) | Expr::Compare(_, a, b) | Expr::Arith(_, a, b) => a.terms() + b.terms(),
        }
    }

    pub fn eval(&self, answers: &[Option<Value>]) -> Outcome {
        self.eval_with(answers, &mut ())
    }

    /// Every fact the formula reads, derived quantities included (with repeats).
    pub fn for_each_fact(&self, f: &mut impl FnMut(usize)) {
        match self {
            Expr::Literal(..) => {}
            Expr::Fact(i) => f(*i),
            Expr::Derived(_, e) | Expr::Not(e) | Expr::Negate(e) | Expr::OneOf(e, _) => e.for_each_fact(f),
            Expr::And(a, b) | Expr::Or(a, b) | Expr::Compare(_, a, b) | Expr::Arith(_, a, b) => {
                a.for_each_fact(f);
                b.for_each_fact(f);
            }
        }
    }

    /// The facts whose answers are missing and would settle this expression; nothing when
    /// it is already known (`false and ?` needs no answer).
    pub fn missing_facts(&self, answers: &[Option<Value>], into: &mut Vec<usize>) {
        let _ = self.eval_with(answers, into);
    }

    /// Evaluates in one pass, reporting unanswered facts to `sink` only where they leave
    /// the result unknown.
    pub fn eval_with<S: MissingSink>(&self, answers: &[Option<Value>], sink: &mut S) -> Outcome {
        let mark = sink.mark();
        let result = match self {
            Expr::Literal(v, _) => Some(*v),
            Expr::Fact(i) => {
                let v = answers.get(*i).copied().flatten();
                if v.is_none() {
                    sink.push(*i);
                }
                v
            }
            Expr::Derived(_, e) => e.eval_with(answers, sink)?,
            Expr::Not(e) => e.eval_with(answers, sink)?.map(|v| Value::Bool(!as_bool(v))),
            Expr::And(a, b) => match (a.eval_with(answers, sink)?, b.eval_with(answers, sink)?) {
                (Some(x), _) if !as_bool(x) => Some(Value::Bool(false)),
                (_, Some(y)) if !as_bool(y) => Some(Value::Bool(false)),
                (Some(_), Some(_)) => Some(Value::Bool(true)),
                _ => None,
            },
            Expr::Or(a, b) => match (a.eval_with(answers, sink)?, b.eval_with(answers, sink)?) {
                (Some(x), _) if as_bool(x) => Some(Value::Bool(true)),
                (_, Some(y)) if as_bool(y) => Some(Value::Bool(true)),
                (Some(_), Some(_)) => Some(Value::Bool(false)),
                _ => None,
            },
            Expr::OneOf(e, options) => match e.eval_with(answers, sink)? {
                Some(Value::Choice(c)) => Some(Value::Bool(options.contains(&c))),
                _ => None,
            },
            Expr::Compare(cmp, a, b) => match (a.eval_with(answers, sink)?, b.eval_with(answers, sink)?) {
                (Some(x), Some(y)) => Some(Value::Bool(compare(*cmp, x, y))),
                _ => None,
            },
            Expr::Negate(e) => match e.eval_with(answers, sink)? {
                Some(Value::Num(n)) => Some(Value::Num(-n)),
                _ => None,
            },
            Expr::Arith(op, a, b) => match (a.eval_with(answers, sink)?, b.eval_with(answers, sink)?) {
                (Some(Value::Num(x)), Some(Value::Num(y))) => Some(Value::Num(arith(*op, x, y)?)),
                _ => None,
            },
        };
        if result.is_some() {
            sink.reset(mark);
        }
        Ok(result)
    }
}

fn as_bool(v: Value) -> bool {
    matches!(v, Value::Bool(true))
}

pub fn compare(cmp: Cmp, x: Value, y: Value) -> bool {
    let ordering = match (x, y) {
        (Value::Num(a), Value::Num(b)) => a.cmp(&b),
        (Value::Date(a), Value::Date(b)) => a.cmp(&b),
        (a, b) => return (a == b) == (cmp == Cmp::Eq),
    };
    match cmp {
        Cmp::Ge => ordering.is_ge(),
        Cmp::Gt => ordering.is_gt(),
        Cmp::Le => ordering.is_le(),
        Cmp::Lt => ordering.is_lt(),
        Cmp::Eq => ordering.is_eq(),
        Cmp::Ne => ordering.is_ne(),
    }
}

fn arith(op: Arith, x: Decimal, y: Decimal) -> Result<Decimal, EvalError> {
    match op {
        Arith::Add => x.checked_add(y).ok_or(EvalError::Overflow),
        Arith::Sub => x.checked_sub(y).ok_or(EvalError::Overflow),
        Arith::Mul => x.checked_mul(y).ok_or(EvalError::Overflow),
        Arith::Div if y.is_zero() => Err(EvalError::DivisionByZero),
        Arith::Div => x.checked_div(y).ok_or(EvalError::Overflow),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{CatalogueSpec, Profile};

    fn catalogue() -> Catalogue {
        let spec: CatalogueSpec = serde_json::from_value(serde_json::json!({
            "section": [{"id": "s", "label": {"zh": "s", "en": "s"}}],
            "fact": [
                {"id": "spend", "kind": "money", "section": "s", "label": {"zh": "a", "en": "a"}},
                {"id": "prev", "kind": "money", "section": "s", "label": {"zh": "b", "en": "b"}},
                {"id": "sme", "kind": "bool", "section": "s", "label": {"zh": "c", "en": "c"}},
                {"id": "staff", "kind": "count", "section": "s", "label": {"zh": "d", "en": "d"}},
                {"id": "fair_date", "kind": "date", "section": "s", "label": {"zh": "f", "en": "f"}},
                {"id": "district", "kind": "choice", "section": "s", "label": {"zh": "e", "en": "e"},
                 "options": [{"id": "binjiang", "label": {"zh": "滨江", "en": "Binjiang"}},
                             {"id": "yuhang", "label": {"zh": "余杭", "en": "Yuhang"}}]}
            ]
        }))
        .unwrap();
        let mut errors = vec![];
        let c = Catalogue::new(spec, &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        c
    }

    fn run(source: &str, answers: serde_json::Value) -> Option<Value> {
        let c = catalogue();
        let (e, _) = compile(source, &c, &[]).unwrap();
        let (p, errs): (Profile, _) = c.read_profile(&answers);
        assert!(errs.is_empty());
        e.eval(&p.values).unwrap()
    }

    #[test]
    fn money_literals_and_arithmetic() {
        let answers = serde_json::json!({"spend": "1500万", "prev": "1000万", "sme": true});
        assert_eq!(run("spend - prev >= 500万", answers.clone()), Some(Value::Bool(true)));
        assert_eq!(run("spend - prev > 500万", answers.clone()), Some(Value::Bool(false)));
        assert_eq!(run("(spend - prev) * 5%", answers), Some(Value::Num(Decimal::from(250_000))));
    }

    #[test]
    fn three_valued_logic() {
        let only_sme_false = serde_json::json!({"sme": false});
        assert_eq!(run("sme and spend >= 1亿", only_sme_false.clone()), Some(Value::Bool(false)));
        assert_eq!(run("spend >= 1亿 and sme", only_sme_false.clone()), Some(Value::Bool(false)));
        assert_eq!(run("not sme or spend >= 1亿", only_sme_false.clone()), Some(Value::Bool(true)));
        assert_eq!(run("sme or spend >= 1亿", only_sme_false), None);
    }

    #[test]
    fn choices() {
        let a = serde_json::json!({"district": "yuhang"});
        assert_eq!(run("district == \"binjiang\"", a.clone()), Some(Value::Bool(false)));
        assert_eq!(run("district != \"binjiang\"", a.clone()), Some(Value::Bool(true)));
        assert_eq!(run("district in [\"binjiang\", \"yuhang\"]", a), Some(Value::Bool(true)));
    }

    #[test]
    fn dates_compare_with_date_literals() {
        let q1 = "fair_date >= 2024-01-01 and fair_date <= 2024-03-31";
        assert_eq!(run(q1, serde_json::json!({"fair_date": "2024-03-31"})), Some(Value::Bool(true)));
        assert_eq!(run(q1, serde_json::json!({"fair_date": "2024-04-01"})), Some(Value::Bool(false)));
        assert_eq!(run(q1, serde_json::json!({"fair_date": "2023-12-31"})), Some(Value::Bool(false)));
        assert_eq!(run(q1, serde_json::json!({})), None);
        // A date is not subtraction: 2024-01-01 is one literal, and arithmetic still works.
        assert_eq!(run("staff - 1 >= 2", serde_json::json!({"staff": 3})), Some(Value::Bool(true)));
        let c = catalogue();
        for (bad, why) in [
            ("fair_date <= 2024-02-30", "not a date"),
            ("fair_date >= 100万", "cannot compare"),
            ("spend >= 2024-01-01", "cannot compare"),
        ] {
            let err = compile(bad, &c, &[]).unwrap_err();
            assert!(err.contains(why), "{bad}: {err}");
        }
    }

    #[test]
    fn missing_facts_only_those_that_matter() {
        let c = catalogue();
        let (e, _) = compile("sme and (spend >= 1亿 or staff >= 50)", &c, &[]).unwrap();
        let (p, _) = c.read_profile(&serde_json::json!({"sme": true, "staff": 10}));
        let mut missing = vec![];
        e.missing_facts(&p.values, &mut missing);
        assert_eq!(missing, vec![c.index_of("spend").unwrap()]);
        let (p, _) = c.read_profile(&serde_json::json!({"sme": false}));
        let mut missing = vec![];
        e.missing_facts(&p.values, &mut missing);
        assert!(missing.is_empty());
    }

    #[test]
    fn type_errors_are_caught() {
        let c = catalogue();
        for (bad, why) in [
            ("spend >= 200", "compare"),
            ("spend + staff", "add"),
            ("sme >= 1万", "compare"),
            ("district == \"haidian\"", "not an option"),
            ("revenue >= 1万", "unknown fact"),
            ("spend >= ", "ends too early"),
            ("spend >= 1万 1万", "unexpected `1万元`"),
            ("(spend >= 1万))", "unexpected `)`"),
            ("spend >= , 1万", "unexpected `,`"),
            ("sme 5%", "unexpected `5%`"),
            ("not spend", "needs a yes/no"),
            ("\"x\"", "quoted text"),
        ] {
            let err = compile(bad, &c, &[]).unwrap_err();
            assert!(err.contains(why), "{bad}: {err}");
        }
    }

    #[test]
    fn deep_nesting_is_refused_not_a_stack_overflow() {
        // Found by probing the fuzz targets' paths: 4,000 nested parentheses in a rule
        // bundle given at run time overflowed the stack (tests/fuzz/corpus/load_bundle).
        let c = catalogue();
        for deep in [
            format!("{}sme{}", "(".repeat(4_000), ")".repeat(4_000)),
            format!("{}sme", "not ".repeat(4_000)),
            format!("{}spend", "-".repeat(4_000)),
            vec!["sme"; 4_000].join(" and "),
        ] {
            let err = compile(&deep, &c, &[]).unwrap_err();
            assert!(err.contains("longer than 256 words and symbols"), "{err}");
        }
        // Just inside the bound, the deepest nesting still compiles and evaluates.
        let deepest = format!("{}sme{}", "(".repeat(127), ")".repeat(127));
        let (e, _) = compile(&deepest, &c, &[]).unwrap();
        assert_eq!(e.eval(&[None, None, Some(Value::Bool(true))]), Ok(Some(Value::Bool(true))));
    }

    #[test]
    fn division_by_zero_is_an_error_not_a_panic() {
        let c = catalogue();
        let (e, _) = compile("spend / staff", &c, &[]).unwrap();
        let (p, _) = c.read_profile(&serde_json::json!({"spend": 1, "staff": 0}));
        assert_eq!(e.eval(&p.values), Err(EvalError::DivisionByZero));
    }
}
