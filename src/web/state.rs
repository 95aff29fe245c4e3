//! The visitor's answers and settings, changed only through `Action`s.

use crate::{Date, Lang};
use std::collections::BTreeMap;
use std::rc::Rc;
use yew::Reducible;

#[derive(Debug, Clone, PartialEq)]
pub struct Answers {
    pub lang: Lang,
    pub as_of: Date,
    /// Fact id → the text as typed or chosen; absent or empty means "don't know".
    pub values: BTreeMap<String, String>,
}

pub enum Action {
    SetLang(Lang),
    SetAsOf(Date),
    Answer { fact: String, text: String },
}

impl Answers {
    pub fn new(as_of: Date) -> Answers {
        Answers { lang: Lang::Zh, as_of, values: BTreeMap::new() }
    }

    pub fn get(&self, fact: &str) -> &str {
        self.values.get(fact).map(String::as_str).unwrap_or("")
    }

    /// The answers as the JSON object the core reads (every value a string).
    pub fn to_json(&self) -> serde_json::Value {
        let map = self.values.iter().map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone()))).collect();
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
            Action::Answer { fact, text } => {
                if text.trim().is_empty() {
                    next.values.remove(&fact);
                } else {
                    next.values.insert(fact, text);
                }
            }
        }
        if next == *self {
            self
        } else {
            Rc::new(next)
        }
    }
}
