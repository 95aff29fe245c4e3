//! Answers as a share link (in the URL fragment, which browsers never send to a server)
//! and as a JSON file. Reading either back is strict about its shape and never touches
//! the current answers unless it succeeds.

use crate::date::Date;
use crate::text::Lang;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What a share link or an exported file holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SavedAnswers {
    /// Format version, so later releases can still read old links.
    pub huiqi_answers: u32,
    pub as_of: String,
    /// The policy year chosen ("our results of 2025"); absent for "open now". Added after
    /// format 1 was first released: links without it still read, as "open now".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_year: Option<i32>,
    pub lang: Lang,
    /// Fact id → the answer as typed.
    pub answers: BTreeMap<String, String>,
}

const FORMAT: u32 = 1;
/// The fragment key: `#a=…`.
pub const FRAGMENT_PREFIX: &str = "a=";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShareError {
    /// Not base64, not JSON, or not the right shape.
    Damaged,
    /// Made by a newer release.
    NewerFormat(u32),
    BadDate(String),
    /// A policy year outside 1900–2200.
    BadYear(i32),
    TooLarge,
}

impl ShareError {
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (ShareError::Damaged, Lang::Zh) => "链接或文件已损坏或不完整，当前回答未作改动。".into(),
            (ShareError::Damaged, Lang::En) => "The link or file is damaged or incomplete; your current answers are unchanged.".into(),
            (ShareError::NewerFormat(v), Lang::Zh) => format!("该链接或文件来自更新的版本（格式 {v}），当前回答未作改动。"),
            (ShareError::NewerFormat(v), Lang::En) => format!("The link or file comes from a newer release (format {v}); your current answers are unchanged."),
            (ShareError::BadDate(d), Lang::Zh) => format!("链接或文件中的日期“{d}”无效，当前回答未作改动。"),
            (ShareError::BadDate(d), Lang::En) => format!("The date “{d}” in the link or file is not valid; your current answers are unchanged."),
            (ShareError::BadYear(y), Lang::Zh) => format!("链接或文件中的政策年度“{y}”无效，当前回答未作改动。"),
            (ShareError::BadYear(y), Lang::En) => format!("The policy year “{y}” in the link or file is not valid; your current answers are unchanged."),
            (ShareError::TooLarge, Lang::Zh) => "链接或文件过大，当前回答未作改动。".into(),
            (ShareError::TooLarge, Lang::En) => "The link or file is too large; your current answers are unchanged.".into(),
        }
    }
}

/// Far more than any real set of answers; a bound so a hostile link cannot stall the page.
const MAX_BYTES: usize = 256 * 1024;

impl SavedAnswers {
    pub fn new(answers: BTreeMap<String, String>, as_of: Date, lang: Lang) -> SavedAnswers {
        SavedAnswers { huiqi_answers: FORMAT, as_of: as_of.to_string(), policy_year: None, lang, answers }
    }

    /// The same, for a policy year ("our results of 2025") rather than "open now".
    pub fn with_policy_year(mut self, policy_year: Option<i32>) -> SavedAnswers {
        self.policy_year = policy_year;
        self
    }

    pub fn as_of_date(&self) -> Option<Date> {
        Date::parse(&self.as_of)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Reads an exported file.
    pub fn from_json(text: &str) -> Result<SavedAnswers, ShareError> {
        if text.len() > MAX_BYTES {
            return Err(ShareError::TooLarge);
        }
        // The version is checked first, so a newer file says so instead of "damaged".
        let value: serde_json::Value = serde_json::from_str(text).map_err(|_| ShareError::Damaged)?;
        match value.get("huiqi_answers").and_then(|v| v.as_u64()) {
            Some(v) if v > u64::from(FORMAT) => return Err(ShareError::NewerFormat(v.min(u64::from(u32::MAX)) as u32)),
            _ => {}
        }
        let saved: SavedAnswers = serde_json::from_value(value).map_err(|_| ShareError::Damaged)?;
        if saved.huiqi_answers != FORMAT {
            return Err(ShareError::Damaged);
        }
        if saved.as_of_date().is_none() {
            return Err(ShareError::BadDate(saved.as_of.chars().take(20).collect()));
        }
        if let Some(year) = saved.policy_year.filter(|y| !(1900..=2200).contains(y)) {
            return Err(ShareError::BadYear(year));
        }
        Ok(saved)
    }

    /// The URL fragment (without `#`).
    pub fn to_fragment(&self) -> String {
        let json = serde_json::to_string(self).unwrap_or_default();
        format!("{FRAGMENT_PREFIX}{}", URL_SAFE_NO_PAD.encode(json))
    }

    /// Reads a URL fragment (with or without `#`); `None` if it is not a share link at all.
    pub fn from_fragment(fragment: &str) -> Option<Result<SavedAnswers, ShareError>> {
        let encoded = fragment.trim_start_matches('#').strip_prefix(FRAGMENT_PREFIX)?;
        if encoded.len() > MAX_BYTES {
            return Some(Err(ShareError::TooLarge));
        }
        let bytes = match URL_SAFE_NO_PAD.decode(encoded.trim()) {
            Ok(b) => b,
            Err(_) => return Some(Err(ShareError::Damaged)),
        };
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(_) => return Some(Err(ShareError::Damaged)),
        };
        Some(SavedAnswers::from_json(&text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> SavedAnswers {
        let answers = [("district", "binjiang"), ("rd_spend", "1500万"), ("rd_spend_prev", "１０００万")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        SavedAnswers::new(answers, Date::parse("2024-06-30").unwrap(), Lang::En)
    }

    #[test]
    fn round_trips_through_a_fragment_and_a_file() {
        let saved = sample();
        let fragment = saved.to_fragment();
        // URL-safe: nothing after the key needs escaping.
        let encoded = fragment.strip_prefix("a=").unwrap();
        assert!(!encoded.contains(['+', '/', '=', '#', '%']), "{encoded}");
        assert_eq!(SavedAnswers::from_fragment(&format!("#{fragment}")), Some(Ok(saved.clone())));
        assert_eq!(SavedAnswers::from_json(&saved.to_json()), Ok(saved));
    }

    #[test]
    fn a_policy_year_travels_with_the_link_and_old_links_still_read() {
        let saved = sample().with_policy_year(Some(2025));
        let back = SavedAnswers::from_fragment(&saved.to_fragment()).unwrap().unwrap();
        assert_eq!(back.policy_year, Some(2025));
        assert_eq!(SavedAnswers::from_json(&saved.to_json()).unwrap().policy_year, Some(2025));
        // "Open now" writes no year, so the link is what a release before policy years wrote.
        assert!(!sample().to_json().contains("policy_year"));
        // A link made before policy years existed (format 1 without the field): open now.
        let old = "#a=eyJodWlxaV9hbnN3ZXJzIjoxLCJhc19vZiI6IjIwMjQtMDYtMzAiLCJsYW5nIjoiZW4iLCJhbnN3ZXJzIjp7ImRpc3RyaWN0IjoiYmluamlhbmciLCJyZF9zcGVuZCI6IjE1MDDkuIcifX0";
        let old = SavedAnswers::from_fragment(old).unwrap().unwrap();
        assert_eq!((old.as_of.as_str(), old.policy_year, old.lang), ("2024-06-30", None, Lang::En));
        assert_eq!(old.answers.get("rd_spend").map(String::as_str), Some("1500万"));
        let bad = r#"{"huiqi_answers": 1, "as_of": "2024-06-30", "policy_year": 99999, "lang": "zh", "answers": {}}"#;
        assert_eq!(SavedAnswers::from_json(bad), Err(ShareError::BadYear(99999)));
        assert!(ShareError::BadYear(99999).message(Lang::En).contains("99999"));
        let not_a_number = r#"{"huiqi_answers": 1, "as_of": "2024-06-30", "policy_year": "2025", "lang": "zh", "answers": {}}"#;
        assert_eq!(SavedAnswers::from_json(not_a_number), Err(ShareError::Damaged));
    }

    #[test]
    fn damaged_links_are_reported_not_trusted() {
        let fragment = sample().to_fragment();
        assert_eq!(SavedAnswers::from_fragment("#section-2"), None);
        assert_eq!(SavedAnswers::from_fragment(&fragment[..fragment.len() - 7]), Some(Err(ShareError::Damaged)));
        assert_eq!(SavedAnswers::from_fragment("#a=!!!not-base64"), Some(Err(ShareError::Damaged)));
        let not_ours = URL_SAFE_NO_PAD.encode(r#"{"answers": 3}"#);
        assert_eq!(SavedAnswers::from_fragment(&format!("#a={not_ours}")), Some(Err(ShareError::Damaged)));
        let newer = URL_SAFE_NO_PAD.encode(r#"{"huiqi_answers": 9, "x": 1}"#);
        assert_eq!(SavedAnswers::from_fragment(&format!("#a={newer}")), Some(Err(ShareError::NewerFormat(9))));
        let bad_date = r#"{"huiqi_answers": 1, "as_of": "2024-02-30", "lang": "zh", "answers": {}}"#;
        assert_eq!(SavedAnswers::from_json(bad_date), Err(ShareError::BadDate("2024-02-30".into())));
        assert_eq!(SavedAnswers::from_json(&"x".repeat(MAX_BYTES + 1)), Err(ShareError::TooLarge));
        assert!(ShareError::Damaged.message(Lang::Zh).contains("当前回答未作改动"));
    }
}
