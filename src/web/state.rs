//! The visitor's answers and settings, changed only through `Action`s, and kept in the
//! browser's local storage so a reload or a closed tab loses nothing.

use crate::{Date, Lang};
use gloo::storage::{LocalStorage, Storage};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::rc::Rc;
use yew::Reducible;

const STORAGE_KEY: &str = "huiqi.answers.v1";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Answers {
    pub lang: Lang,
    #[serde(with = "date_text")]
    pub as_of: Date,
    /// The policy year chosen ("our results of 2025"); `None`: open now. Absent in
    /// answers saved before policy years existed.
    #[serde(default)]
    pub policy_year: Option<i32>,
    /// "Open now" chosen: assess what is in force on `as_of`, for no particular year.
    /// Neither this nor a year chosen: the latest year with editions for the district.
    #[serde(default)]
    pub open_now: bool,
    /// Fact id → the text as typed or chosen; absent means "don't know".
    pub values: BTreeMap<String, String>,
}

/// What the visitor chose to assess (until they choose, the latest year with editions
/// for the district).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Period {
    Year(i32),
    OpenNow,
}

pub enum Action {
    SetLang(Lang),
    SetAsOf(Date),
    SetPeriod(Period),
    Answer { fact: String, text: String },
    ClearAll,
    /// A fresh start for the next visitor at a kiosk: no answers, today's date, Chinese.
    StartOver(Date),
    /// Replace everything with answers from a share link or an imported file.
    Load(crate::share::SavedAnswers),
}

impl Answers {
    pub fn new(as_of: Date) -> Answers {
        Answers { lang: Lang::Zh, as_of, policy_year: None, open_now: false, values: BTreeMap::new() }
    }

    /// The saved answers, or fresh ones if there are none or they cannot be read (a
    /// corrupt entry is ignored, never fatal).
    pub fn restore(today: Date) -> Answers {
        LocalStorage::get::<Answers>(STORAGE_KEY).unwrap_or_else(|_| Answers::new(today))
    }

    /// Saves the answers; returns false when the browser refuses (private mode, quota).
    pub fn save(&self) -> bool {
        LocalStorage::set(STORAGE_KEY, self).is_ok()
    }

    /// The policy year to assess: the one chosen, else the latest with editions for the
    /// district; `None` for "open now".
    pub fn effective_year(&self, latest: Option<i32>) -> Option<i32> {
        match self.open_now {
            true => None,
            false => self.policy_year.or(latest),
        }
    }

    /// The answers as the JSON object the core reads (every value a string).
    pub fn to_json(&self) -> serde_json::Value {
        let mut map = serde_json::Map::new();
        for (k, v) in &self.values {
            map.insert(k.clone(), serde_json::Value::String(v.clone()));
        }
        serde_json::Value::Object(map)
    }
}

impl Reducible for Answers {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::SetLang(lang) => next.lang = lang,
            Action::SetAsOf(date) => next.as_of = date,
            Action::SetPeriod(period) => {
                (next.policy_year, next.open_now) = match period {
                    Period::Year(y) => (Some(y), false),
                    Period::OpenNow => (None, true),
                }
            }
            Action::Answer { fact, text } => {
                if text.trim().is_empty() {
                    next.values.remove(&fact);
                } else {
                    next.values.insert(fact, text);
                }
            }
            // The language and date are settings, not answers: they stay.
            Action::ClearAll => next.values.clear(),
            Action::StartOver(today) => next = Answers::new(today),
            Action::Load(saved) => {
                if let Some(date) = saved.as_of_date() {
                    next.as_of = date;
                }
                next.lang = saved.lang;
                // A link carries the year it was made for, or none for "open now".
                next.policy_year = saved.policy_year;
                next.open_now = saved.policy_year.is_none();
                next.values = saved.answers;
                next.values.retain(|_, v| !v.trim().is_empty());
            }
        }
        // Yew skips the re-render only when the same Rc comes back.
        if next == *self {
            self
        } else {
            Rc::new(next)
        }
    }
}

mod date_text {
    use crate::Date;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(date: &Date, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(date)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let text = String::deserialize(d)?;
        Date::parse(&text).ok_or_else(|| serde::de::Error::custom("not a date"))
    }
}
