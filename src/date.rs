//! Calendar dates (YYYY-MM-DD) for validity windows and the "as of" date. Only what the
//! rules need: parse, validate, compare, print; no time zones.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    /// A valid date between years 1900 and 2200, or `None`.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        let valid = (1900..=2200).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month);
        valid.then_some(Date { year, month, day })
    }

    /// Parses exactly `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Option<Date> {
        let text = text.trim();
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let number = |range: std::ops::Range<usize>| -> Option<u32> {
            let part = &text[range];
            part.bytes().all(|b| b.is_ascii_digit()).then(|| part.parse().ok())?
        };
        Date::new(number(0..4)? as i32, number(5..7)? as u8, number(8..10)? as u8)
    }

    /// The civil date `days` days after 1970-01-01 (H. Hinnant's algorithm).
    pub fn from_unix_days(days: i64) -> Option<Date> {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date::new(i32::try_from(year).ok()?, month, day)
    }

    /// Days since 1970-01-01 (the inverse of `from_unix_days`).
    pub fn to_unix_days(self) -> i64 {
        let (m, d) = (i64::from(self.month), i64::from(self.day));
        let y = i64::from(self.year) - i64::from(m <= 2);
        let era = y.div_euclid(400);
        let yoe = y.rem_euclid(400);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// How many days from `self` to `other` (negative if `other` is earlier).
    pub fn days_until(self, other: Date) -> i64 {
        other.to_unix_days() - self.to_unix_days()
    }

    /// Today in China Standard Time (UTC+8), from seconds since the Unix epoch.
    pub fn from_unix_seconds_cst(seconds: i64) -> Option<Date> {
        Date::from_unix_days(seconds.checked_add(8 * 3600)?.div_euclid(86_400))
    }

    /// Today in Hangzhou from a JavaScript clock (`Date.now()`, milliseconds). A clock
    /// too far off to be a date gives 2026-01-01, so a page still opens.
    pub fn from_js_clock(millis: f64) -> Date {
        Date::from_unix_seconds_cst((millis / 1000.0) as i64).unwrap_or(Date { year: 2026, month: 1, day: 1 })
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        let d = Date::parse("2024-02-29").unwrap();
        assert_eq!(d.to_string(), "2024-02-29");
        assert!(Date::parse("2023-02-29").is_none());
        for bad in ["2024-13-01", "2024-1-01", "24-01-01", "2024/01/01", "", "２０２４-01-01", "9999-01-01"] {
            assert!(Date::parse(bad).is_none(), "{bad}");
        }
        assert!(Date::parse("2024-01-01").unwrap() < Date::parse("2024-12-31").unwrap());
    }

    #[test]
    fn unix_days() {
        assert_eq!(Date::from_unix_days(0).unwrap().to_string(), "1970-01-01");
        assert_eq!(Date::from_unix_days(19_723).unwrap().to_string(), "2024-01-01");
        // 2024-06-30 16:30 UTC is already 2024-07-01 in Hangzhou.
        assert_eq!(Date::from_unix_seconds_cst(1_719_765_000).unwrap().to_string(), "2024-07-01");
        assert_eq!(Date::from_js_clock(1_719_765_000_000.0).to_string(), "2024-07-01");
        assert_eq!(Date::from_js_clock(f64::NAN).to_string(), "1970-01-01");
        assert_eq!(Date::from_js_clock(1e300).to_string(), "2026-01-01");
    }

    #[test]
    fn days_between_dates() {
        let d = |t: &str| Date::parse(t).unwrap();
        assert_eq!(d("1970-01-01").to_unix_days(), 0);
        assert_eq!(d("2024-01-01").to_unix_days(), 19_723);
        for days in [-1000, 0, 19_723, 20_000, 60_000] {
            let date = Date::from_unix_days(days).unwrap();
            assert_eq!(date.to_unix_days(), days, "{date}");
        }
        assert_eq!(d("2024-02-28").days_until(d("2024-03-01")), 2);
        assert_eq!(d("2025-12-31").days_until(d("2025-10-02")), -90);
    }
}
