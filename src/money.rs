//! Amounts as the policies write them ("200万", "1亿", "5%") and as people type them
//! ("1,500,000", "１５００万", "200万元"). Money is `Decimal` in 元 everywhere; no floats.

use rust_decimal::{Decimal, RoundingStrategy};
use std::fmt;
use std::borrow::Cow;

/// The largest amount in 元 a rule may write and the engine will pay: 10万亿元, far above
/// any subsidy or any company's figures, and small enough that adding up every amount of
/// a bundle can never overflow a `Decimal` (about 7.9 × 10^28).
pub const MAX_YUAN: i64 = 10_000_000_000_000;

/// What a written number means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// 元, 万元 or 亿元: money, normalised to 元.
    Money,
    /// A trailing %: a rate, normalised to a fraction (5% → 0.05).
    Percent,
    /// No unit at all.
    Plain,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NumberError {
    Empty,
    NotANumber(String),
    TooLarge(String),
}

impl fmt::Display for NumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NumberError::Empty => write!(f, "empty value"),
            NumberError::NotANumber(s) => write!(f, "“{s}” is not a number"),
            NumberError::TooLarge(s) => write!(f, "“{s}” is too large"),
        }
    }
}

/// Full-width digits and punctuation (as typed with a Chinese IME) folded to ASCII.
fn fold_width(c: char) -> char {
    match c {
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
        '．' | '。' => '.',
        '，' => ',',
        '％' => '%',
        '－' => '-',
        '＋' => '+',
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// Parses a written number with an optional unit: `200万`, `1.5亿`, `5%`, `1,234.50元`,
/// `１５００万`, `-3`. Returns the value (money in 元, percent as a fraction) and its unit.
pub fn parse_number(text: &str) -> Result<(Decimal, Unit), NumberError> {
    let kept = |c: &char| !c.is_whitespace() && *c != ',' && *c != '_';
    // Most answers are already plain ("1500万"): no copy for them.
    let folded: Cow<str> = if text.chars().all(|c| fold_width(c) == c && kept(&c)) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.chars().map(fold_width).filter(kept).collect())
    };
    if folded.is_empty() {
        return Err(NumberError::Empty);
    }
    let (digits, multiplier, unit) = if folded.ends_with(|c: char| c.is_ascii_digit()) {
        // No unit: the common case, so the suffixes below are not tried one by one.
        (&*folded, Decimal::ONE, Unit::Plain)
    } else if let Some(d) = folded.strip_suffix("万亿元").or_else(|| folded.strip_suffix("万亿")) {
        (d, Decimal::from(1_000_000_000_000i64), Unit::Money)
    } else if let Some(d) = folded.strip_suffix("万元") {
        (d, Decimal::from(10_000), Unit::Money)
    } else if let Some(d) = folded.strip_suffix("亿元") {
        (d, Decimal::from(100_000_000), Unit::Money)
    } else if let Some(d) = folded.strip_suffix('万').or_else(|| folded.strip_suffix('萬')) {
        (d, Decimal::from(10_000), Unit::Money)
    } else if let Some(d) = folded.strip_suffix('亿').or_else(|| folded.strip_suffix('億')) {
        (d, Decimal::from(100_000_000), Unit::Money)
    } else if let Some(d) = folded.strip_suffix('元') {
        (d, Decimal::ONE, Unit::Money)
    } else if let Some(d) = folded.strip_suffix('%') {
        (d, Decimal::new(1, 2), Unit::Percent)
    } else {
        (&*folded, Decimal::ONE, Unit::Plain)
    };
    let well_formed = !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.' || c == '-' || c == '+')
        && digits.chars().any(|c| c.is_ascii_digit())
        && digits.matches('.').count() <= 1
        && !digits[1..].contains(['-', '+']);
    if !well_formed {
        return Err(NumberError::NotANumber(text.trim().to_string()));
    }
    // 28 significant digits is Decimal's range; anything longer is not a real amount.
    if digits.trim_start_matches(['-', '+', '0']).len() > 20 {
        return Err(NumberError::TooLarge(text.trim().to_string()));
    }
    let value: Decimal = digits
        .parse()
        .map_err(|_| NumberError::NotANumber(text.trim().to_string()))?;
    let value = value
        .checked_mul(multiplier)
        .ok_or_else(|| NumberError::TooLarge(text.trim().to_string()))?;
    Ok((value, unit))
}

/// Rounds money to fen (0.01 元), half away from zero, as payments are made.
pub fn round_yuan(amount: Decimal) -> Decimal {
    let mut rounded = amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    rounded.rescale(2);
    rounded
}

/// "250000.00": two decimals, always. Written from the fen as an integer, which is several
/// times faster in WASM than `Decimal`'s own formatting (the JS API formats every amount).
pub fn format_yuan(amount: Decimal) -> String {
    let fen = round_yuan(amount).mantissa();
    let sign = if fen < 0 { "-" } else { "" };
    let fen = fen.unsigned_abs();
    // In u64 when it fits (any real amount): 128-bit division is a library call in WASM.
    match u64::try_from(fen) {
        Ok(fen) => format!("{sign}{}.{:02}", fen / 100, fen % 100),
        Err(_) => format!("{sign}{}.{:02}", fen / 100, fen % 100),
    }
}

/// "25" for 250000 元, "1.5" for 15000 元: in 万元 as the policies write amounts.
pub fn format_wan(amount: Decimal) -> String {
    let wan = (amount / Decimal::from(10_000))
        .round_dp_with_strategy(6, RoundingStrategy::MidpointAwayFromZero)
        .normalize();
    wan.to_string()
}

/// A rate as written: 0.05 → "5%".
pub fn format_percent(rate: Decimal) -> String {
    format!("{}%", (rate * Decimal::from(100)).normalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_yuan_writes_what_decimal_writes() {
        let samples = ["0", "0.004", "0.005", "1", "12.345", "250000", "99999999.995", "-3.5", "-0.001", "100000000000000", "79228162514264337593543950"];
        for s in samples {
            let v: Decimal = s.parse().unwrap();
            let expected = round_yuan(v).to_string();
            // Decimal writes a rounded-away negative as "-0.00"; so does nothing we pay.
            let expected = if expected == "-0.00" { "0.00".to_string() } else { expected };
            assert_eq!(format_yuan(v), expected, "{s}");
        }
    }

    fn money(s: &str) -> Decimal {
        let (v, u) = parse_number(s).unwrap();
        assert_eq!(u, Unit::Money, "{s}");
        v
    }

    #[test]
    fn policy_notation() {
        assert_eq!(money("200万"), Decimal::from(2_000_000));
        assert_eq!(money("200万元"), Decimal::from(2_000_000));
        assert_eq!(money("1亿"), Decimal::from(100_000_000));
        assert_eq!(money("1.5亿元"), Decimal::from(150_000_000));
        assert_eq!(money("15萬"), Decimal::from(150_000));
        assert_eq!(money("2万亿"), Decimal::from(2_000_000_000_000i64));
        assert_eq!(money("1,234.50元"), Decimal::new(123_450, 2));
    }

    #[test]
    fn full_width_and_spaces() {
        assert_eq!(money("１５００万"), Decimal::from(15_000_000));
        assert_eq!(money(" 2 000 万 "), Decimal::from(20_000_000));
        assert_eq!(parse_number("５％").unwrap(), (Decimal::new(5, 2), Unit::Percent));
    }

    #[test]
    fn plain_and_percent() {
        assert_eq!(parse_number("42").unwrap(), (Decimal::from(42), Unit::Plain));
        assert_eq!(parse_number("-3").unwrap(), (Decimal::from(-3), Unit::Plain));
        assert_eq!(parse_number("0.5%").unwrap(), (Decimal::new(5, 3), Unit::Percent));
    }

    #[test]
    fn rejects_garbage() {
        assert_eq!(parse_number(""), Err(NumberError::Empty));
        assert_eq!(parse_number("  "), Err(NumberError::Empty));
        for bad in ["abc", "万", "1.2.3", "1-2", "--1", "1e5", "NaN", "Infinity", "."] {
            assert!(matches!(parse_number(bad), Err(NumberError::NotANumber(_))), "{bad}");
        }
        assert!(matches!(
            parse_number("1234567890123456789012345678901234567890"),
            Err(NumberError::TooLarge(_))
        ));
        assert!(matches!(parse_number("999999999999999999999亿"), Err(NumberError::TooLarge(_))));
        // The longest accepted figure times 亿 still fits in a Decimal.
        assert!(parse_number("99999999999999999999亿").is_ok());
    }

    #[test]
    fn formatting_pads_and_rounds_half_up() {
        assert_eq!(format_yuan(Decimal::from(250_000)), "250000.00");
        assert_eq!(format_yuan(Decimal::new(1_005, 3)), "1.01");
        assert_eq!(format_wan(Decimal::from(250_000)), "25");
        assert_eq!(format_wan(Decimal::from(15_000)), "1.5");
        assert_eq!(format_percent(Decimal::new(5, 2)), "5%");
    }
}
