//! Huiqi (惠企): which Hangzhou city and district subsidies a company may claim, and how
//! much. The core — facts, rules, engine, explanations — is pure Rust with no web
//! dependencies; the web app (feature `web`) and the CLI are thin layers over it.

pub mod api;
pub mod bundle;
pub mod cases;
pub mod changes;
pub mod check;
pub mod compile;
pub mod date;
pub mod engine;
pub mod explain;
pub mod expr;
pub mod facts;
/// Per-input entry points of the fuzz targets in `tests/fuzz`, shared with `cargo test`.
#[doc(hidden)]
pub mod fuzzing;
pub mod guide;
pub mod money;
pub mod overlap;
pub mod register;
/// The bytes of a register match (CSV in, the three files out), for the CLI and the browser.
pub mod register_stream;
/// Reading registers from files (CSV in UTF-8 or GBK, XLSX) and matching them on every core.
#[cfg(not(target_arch = "wasm32"))]
pub mod register_file;
pub mod report;
pub mod rule_zh;
pub mod rules;
pub mod share;
pub mod studio;
pub mod sweep;
pub mod text;

#[cfg(feature = "api")]
pub mod js;
#[cfg(feature = "register")]
pub mod register_js;
#[cfg(feature = "studio")]
pub mod studio_js;
// The studio compiles the app's result cards alone (`web::components::results`).
#[cfg(any(feature = "web", feature = "studio"))]
pub mod web;

pub use bundle::{Bundle, RuleError};
pub use date::Date;
pub use engine::{evaluate, evaluate_for, Claim, Evaluation, Status, Timing, Validity};
pub use facts::{Catalogue, Profile};
pub use text::{Lang, Text};
