//! The Yew single-page app: a thin layer over the pure core. State is the visitor's
//! answers (one reducer); results are derived from them on render by calling the engine,
//! never stored beside them.

#[cfg(feature = "web")] mod app;
pub(crate) mod components; // alone in the rule studio (feature `studio`): its preview's cards
#[cfg(feature = "web")] mod state;

#[cfg(feature = "web")] use crate::{Bundle, Date, Lang};
#[cfg(feature = "web")] use std::rc::Rc;
#[cfg(feature = "web")] use wasm_bindgen::prelude::*;

/// The loaded rule bundle, shared by every component. Compared by identity: there is
/// only ever one.
#[derive(Clone)]
#[cfg(feature = "web")] pub struct SharedBundle(pub Rc<Bundle>);

#[cfg(feature = "web")] impl PartialEq for SharedBundle {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// How the app was started: by its own page, or by a host page's `<huiqi-calculator>`.
#[derive(Clone, Debug, PartialEq, Default)]
#[cfg(feature = "web")] pub struct Setup {
    /// The language asked for by the host (`lang="en"`); the visitor can still switch.
    pub lang: Option<Lang>,
    /// A district chosen by the host (`district="binjiang"`), used while none is answered.
    pub district: Option<String>,
    /// Exhibition mode: large type, reset after `idle_seconds` without a touch.
    pub kiosk: Option<Kiosk>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg(feature = "web")] pub struct Kiosk {
    pub idle_seconds: u32,
}

#[cfg(feature = "web")] impl Kiosk {
    /// Three minutes: long enough to read a result, short enough between visitors.
    pub const DEFAULT_IDLE_SECONDS: u32 = 180;

    /// `?kiosk=1`, optionally with `&idle=<whole minutes>` (1 to 60). Whole numbers only:
    /// parsing floats would pull float code into the wasm for nothing.
    pub fn from_query(search: &str) -> Option<Kiosk> {
        let pairs: Vec<(&str, &str)> =
            search.trim_start_matches('?').split('&').filter_map(|p| p.split_once('=').or(Some((p, "")))).collect();
        let on = pairs.iter().any(|(k, v)| *k == "kiosk" && matches!(*v, "1" | "true" | "yes" | ""));
        let minutes = pairs.iter().find(|(k, _)| *k == "idle").and_then(|(_, v)| v.parse::<u32>().ok());
        let idle_seconds = match minutes {
            Some(m @ 1..=60) => m * 60,
            _ => Kiosk::DEFAULT_IDLE_SECONDS,
        };
        on.then_some(Kiosk { idle_seconds })
    }
}

/// Today in Hangzhou, from the browser clock.
#[cfg(feature = "web")] pub fn today() -> Date {
    Date::from_js_clock(js_sys::Date::now())
}

#[cfg(feature = "web")] fn mount(root: web_sys::Element, setup: Setup) {
    match Bundle::embedded() {
        Ok(bundle) => {
            let props = app::AppProps { bundle: SharedBundle(Rc::new(bundle)), setup };
            yew::Renderer::<app::App>::with_root_and_props(root, props).render();
        }
        Err(errors) => {
            // Only a broken build gets here (cargo test validates the rules); say so plainly.
            let text: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
            root.set_text_content(Some(&format!("规则数据有误 / The rule bundle is invalid:\n{}", text.join("\n"))));
        }
    }
}

/// The app's own page (index.html) marks where it goes; a host page that loads this
/// module for `<huiqi-calculator>` has no such mark and mounts through `mountCalculator`.
#[cfg(feature = "web")] pub fn start() {
    let Ok(Some(root)) = gloo::utils::document().query_selector("#huiqi[data-huiqi-app]") else { return };
    let search = gloo::utils::window().location().search().unwrap_or_default();
    mount(root, Setup { kiosk: Kiosk::from_query(&search), ..Setup::default() });
}

/// Mounts the full app into `root` (inside the element's shadow root). Unknown
/// languages fall back to Chinese; the district is checked like any answer.
#[wasm_bindgen(js_name = mountCalculator, skip_typescript)]
#[cfg(feature = "web")] pub fn mount_calculator(root: web_sys::Element, lang: Option<String>, district: Option<String>) {
    let setup = Setup {
        lang: lang.as_deref().and_then(Lang::parse),
        district: district.filter(|d| !d.trim().is_empty()),
        kiosk: None,
    };
    mount(root, setup);
}
