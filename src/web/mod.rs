//! The Yew single-page app: a thin layer over the pure core. State is the visitor's
//! answers (one reducer); results are derived from them on render by calling the engine,
//! never stored beside them.

mod app;
mod components;
mod state;

use crate::{Bundle, Date};
use std::rc::Rc;

/// The loaded rule bundle, shared by every component. Compared by identity: there is
/// only ever one.
#[derive(Clone)]
pub struct SharedBundle(pub Rc<Bundle>);

impl PartialEq for SharedBundle {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// Today in Hangzhou, from the browser clock.
pub fn today() -> Date {
    let millis = js_sys::Date::now();
    Date::from_unix_seconds_cst((millis / 1000.0) as i64).unwrap_or(Date { year: 2026, month: 1, day: 1 })
}

pub fn start() {
    let root = gloo::utils::document().get_element_by_id("huiqi").unwrap_or_else(|| gloo::utils::body().into());
    match Bundle::embedded() {
        Ok(bundle) => {
            let props = app::AppProps { bundle: SharedBundle(Rc::new(bundle)) };
            yew::Renderer::<app::App>::with_root_and_props(root, props).render();
        }
        Err(errors) => {
            // Only a broken build gets here (cargo test validates the rules); say so plainly.
            let text: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
            root.set_text_content(Some(&format!("规则数据有误 / The rule bundle is invalid:\n{}", text.join("\n"))));
        }
    }
}
