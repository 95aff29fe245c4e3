//! Loading and validating a rule bundle: the JSON that `build.rs` makes from
//! `rules/*.toml`. Every problem is reported with its file and item, all at once.

use crate::date::Date;
use crate::expr::{compile, Expr, Type};
use crate::facts::{Catalogue, CatalogueSpec, FactKind};
use crate::money::{parse_number, Unit, MAX_YUAN};
use crate::rules::*;
use crate::text::Text;
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::HashMap;
use std::fmt;

/// The bundle compiled into this binary.
pub const EMBEDDED_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/bundle.json"));
/// SHA-256 of `EMBEDDED_JSON`, computed at build time.
pub const EMBEDDED_HASH: &str = include_str!(concat!(env!("OUT_DIR"), "/bundle.sha256"));
/// Each rule file's `left_out` clauses (`[{"file", "left_out"}]`): the coverage audit.
/// They are not in `EMBEDDED_JSON` nor in its hash, since only the CLI and the tests read
/// them; the web app's download stays without them.
pub const EMBEDDED_COVERAGE_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/coverage.json"));

/// One problem in the rules, located by file and item (benefit, fact, group).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    pub file: String,
    pub item: String,
    pub message: String,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.item.is_empty() {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}: {}: {}", self.file, self.item, self.message)
        }
    }
}

#[derive(Debug, Clone)]
pub struct Bundle {
    pub version: String,
    /// SHA-256 of the bundle JSON: cite it to say exactly which rules gave a result.
    pub hash: String,
    pub catalogue: Catalogue,
    pub derived: Vec<(Expr, Type)>,
    pub documents: Vec<Document>,
    pub benefits: Vec<Benefit>,
    pub exclusive_groups: Vec<ExclusiveGroup>,
    pub company_caps: Vec<CompanyCap>,
    benefit_index: HashMap<String, usize>,
    district_fact: usize,
}

#[derive(Deserialize)]
struct BundleSpec<D = DocumentFileSpec> {
    version: String,
    facts: CatalogueSpec,
    documents: Vec<D>,
}

impl Bundle {
    /// The rules compiled into this binary. They are validated by `cargo test`, so an
    /// error here means a broken build, and is still reported rather than panicking.
    pub fn embedded() -> Result<Bundle, Vec<RuleError>> {
        Bundle::from_json(EMBEDDED_JSON, EMBEDDED_HASH.trim())
    }

    /// The embedded rules with each document's `left_out` clauses filled in from
    /// `EMBEDDED_COVERAGE_JSON`, for the coverage audit (CLI, tests). `Bundle::embedded()`
    /// leaves `Document::left_out` empty.
    pub fn embedded_with_coverage() -> Result<Bundle, Vec<RuleError>> {
        let mut bundle = Bundle::embedded()?;
        bundle.add_coverage(EMBEDDED_COVERAGE_JSON)?;
        Ok(bundle)
    }

    /// Fills in `Document::left_out` from coverage JSON (`[{"file", "left_out"}]`).
    pub fn add_coverage(&mut self, text: &str) -> Result<(), Vec<RuleError>> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct CoverageSpec {
            file: String,
            left_out: Vec<LeftOutSpec>,
        }
        let files: Vec<CoverageSpec> = serde_json::from_str(text).map_err(|e| {
            vec![RuleError { file: "coverage".into(), item: String::new(), message: format!("not coverage data: {e}") }]
        })?;
        let mut errors = Vec::new();
        for f in files {
            match self.documents.iter_mut().find(|d| d.file == f.file) {
                Some(doc) => doc.left_out.extend(f.left_out),
                None => errors.push(RuleError { file: f.file, item: String::new(), message: "left_out for a file with no document".into() }),
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// Loads a bundle given as JSON text; `hash` is its SHA-256 hex digest.
    pub fn from_json(text: &str, hash: &str) -> Result<Bundle, Vec<RuleError>> {
        match serde_json::from_str::<BundleSpec>(text) {
            Ok(spec) => Builder::default().build(spec, hash),
            Err(e) => Err(locate_format_errors(text, e)),
        }
    }

    pub fn benefit_index(&self, id: &str) -> Option<usize> {
        self.benefit_index.get(id).copied()
    }

    pub fn document_index(&self, id: &str) -> Option<usize> {
        self.documents.iter().position(|d| d.id == id)
    }

    /// The catalogue index of the `district` fact, which every bundle has.
    pub fn district_fact(&self) -> usize {
        self.district_fact
    }
}

/// What a benefit needs to know of its document while it is compiled.
struct DocumentContext<'a> {
    index: usize,
    file: &'a str,
    level: Level,
    valid: Window,
    place: Formula,
    /// The document's own performance period and application window, where stated.
    performance: Option<Period>,
    application: Option<Period>,
    materials: Option<Materials>,
}

#[derive(Default)]
struct Builder {
    errors: Vec<RuleError>,
    compiled: HashMap<String, (Expr, Type)>,
}

impl Builder {
    fn error(&mut self, file: &str, item: &str, message: impl Into<String>) {
        self.errors.push(RuleError { file: file.into(), item: item.into(), message: message.into() });
    }

    fn build(mut self, spec: BundleSpec, hash: &str) -> Result<Bundle, Vec<RuleError>> {
        let facts_file = "rules/facts";
        let mut catalogue_errors = Vec::new();
        let catalogue = Catalogue::new(spec.facts, &mut catalogue_errors);
        for message in catalogue_errors {
            self.error(facts_file, "", message);
        }
        let district_fact = match catalogue.index_of("district") {
            Some(i) if catalogue.fact(i).kind == FactKind::Choice => i,
            _ => {
                self.error(facts_file, "", "the catalogue needs a choice fact `district`");
                return Err(self.errors);
            }
        };
        if !catalogue.fact(district_fact).options.iter().any(|o| o.id == OUTSIDE_HANGZHOU) {
            self.error(facts_file, "fact `district`", format!("needs the option `{OUTSIDE_HANGZHOU}`"));
        }

        let mut derived: Vec<(Expr, Type)> = Vec::new();
        for d in &catalogue.derived {
            match compile(&d.formula, &catalogue, &derived) {
                Ok(compiled) => derived.push(compiled),
                Err(e) => {
                    self.error(facts_file, &format!("derived `{}`", d.id), e);
                    // Keep indices aligned; the error already fails the bundle.
                    derived.push((Expr::Literal(crate::facts::Value::Bool(false), Type::Bool), Type::Bool));
                }
            }
        }

        let mut bundle = Bundle {
            version: spec.version,
            hash: hash.to_string(),
            catalogue,
            derived,
            documents: Vec::new(),
            benefits: Vec::new(),
            exclusive_groups: Vec::new(),
            company_caps: Vec::new(),
            benefit_index: HashMap::new(),
            district_fact,
        };

        let mut files = spec.documents;
        for file in &mut files {
            // Benefits are moved into the bundle, not copied.
            let benefits = std::mem::take(&mut file.benefits);
            self.document(&mut bundle, file, benefits);
        }
        // Groups, caps and `stacks_with` may name benefits of other documents, so they come last.
        for (doc_index, file) in files.iter().enumerate() {
            self.groups(&mut bundle, doc_index, file);
        }
        self.stacks_with(&bundle);
        if self.errors.is_empty() {
            Ok(bundle)
        } else {
            Err(self.errors)
        }
    }

    fn date(&mut self, file: &str, item: &str, what: &str, text: &str) -> Option<Date> {
        let date = Date::parse(text);
        if date.is_none() {
            self.error(file, item, format!("{what} `{text}` is not a date (YYYY-MM-DD)"));
        }
        date
    }

    /// A stated period: at least one end, each a date, the start not after the end, and
    /// the clause that states it.
    fn period(&mut self, file: &str, item: &str, what: &str, p: &PeriodSpec) -> Option<Period> {
        if p.clause.trim().is_empty() || p.line == 0 {
            self.error(file, item, format!("{what} needs the verbatim `clause` that states it and its seed `line`"));
        }
        if p.from.is_none() && p.to.is_none() {
            self.error(file, item, format!("{what} needs `from` or `to`: omit it where the text states no period"));
            return None;
        }
        let from = match &p.from {
            Some(t) => self.date(file, item, &format!("{what}.from"), t)?,
            None => Window::OPEN_START,
        };
        let to = match &p.to {
            Some(t) => self.date(file, item, &format!("{what}.to"), t)?,
            None => Window::OPEN_END,
        };
        if from > to {
            self.error(file, item, format!("{what} starts {from}, after it ends {to}"));
            return None;
        }
        Some(Period { window: Window { from, to, from_not_printed: false }, clause: p.clause.clone(), line: p.line })
    }

    fn document(&mut self, bundle: &mut Bundle, spec: &DocumentFileSpec, benefits: Vec<BenefitSpec>) {
        let file = spec.file.as_str();
        let d = &spec.document;
        let item = format!("document `{}`", d.id);
        if bundle.documents.iter().any(|x| x.id == d.id) {
            self.error(file, &item, "document id used twice");
        }
        for (what, text) in [
            ("title.zh", &d.title.zh),
            ("title.en", &d.title.en),
            ("issuer.zh", &d.issuer.zh),
            ("source.seed", &d.source.seed),
        ] {
            if text.trim().is_empty() {
                self.error(file, &item, format!("{what} is missing"));
            }
        }
        let district_options = &bundle.catalogue.fact(bundle.district_fact).options;
        match (d.level, &d.district) {
            (Level::City | Level::Province, None) => {}
            (Level::District, Some(district)) if district_options.iter().any(|o| &o.id == district) => {}
            (Level::District, Some(district)) => self.error(file, &item, format!("unknown district `{district}`")),
            (Level::District, None) => self.error(file, &item, "a district document needs `district`"),
            (Level::City | Level::Province, Some(_)) => self.error(file, &item, "only a district document has `district`"),
        }
        let from = match (&d.valid_from, d.from_not_printed) {
            (Some(f), _) => self.date(file, &item, "valid_from", f),
            (None, true) => Some(Window::OPEN_START),
            (None, false) => {
                self.error(file, &item, "valid_from is missing (write from_not_printed = true if the text prints no start)");
                None
            }
        };
        let to = match &d.valid_to {
            Some(t) => self.date(file, &item, "valid_to", t),
            None => Some(Window::OPEN_END),
        };
        if d.validity_clause.trim().is_empty() && d.notes.is_none() {
            self.error(file, &item, "without a validity_clause, notes must say where the dates come from");
        }
        let (Some(from), Some(to)) = (from, to) else { return };
        if from > to {
            self.error(file, &item, format!("valid_from {from} is after valid_to {to}"));
        }
        let performance = d.performance.as_ref().and_then(|p| self.period(file, &item, "performance", p));
        let application = d.application.as_ref().and_then(|p| self.period(file, &item, "application", p));
        let doc_index = bundle.documents.len();
        bundle.documents.push(Document {
            id: d.id.clone(),
            file: file.to_string(),
            title: d.title.clone(),
            issuer: d.issuer.clone(),
            number: d.number.clone(),
            level: d.level,
            district: d.district.clone(),
            valid: Window { from, to, from_not_printed: d.from_not_printed },
            validity_clause: d.validity_clause.clone(),
            source: d.source.clone(),
            notes: d.notes.clone(),
            funding: d.funding.clone(),
            performance: performance.as_ref().map_or(Window { from, to, from_not_printed: d.from_not_printed }, |p| p.window),
            stated_performance: performance.clone(),
            application: application.clone(),
            time_reading: d.time_reading.clone(),
            series: d.series.clone(),
            left_out: spec.left_out.clone(),
        });
        // Where the document applies: its district, or anywhere in Hangzhou. Every
        // benefit gets this as its first condition.
        let place_source = match &d.district {
            Some(district) => format!("district == \"{district}\""),
            None => format!("district != \"{OUTSIDE_HANGZHOU}\""),
        };
        let Some(mut place) = self.formula(bundle, file, &item, &place_source, &[Type::Bool]) else { return };
        place.label = Some(match &d.district {
            Some(district) => {
                let option = district_options.iter().find(|o| &o.id == district).map(|o| o.label.clone()).unwrap_or_default();
                Text { zh: format!("注册在{}", option.zh), en: format!("Registered in {}", option.en) }
            }
            None => Text { zh: "注册在杭州市".into(), en: "Registered in Hangzhou".into() },
        });
        if let Some(m) = &d.materials {
            self.materials(file, &item, m);
        }
        let materials = d.materials.clone();
        let context = DocumentContext { index: doc_index, file, level: d.level, valid: Window { from, to, from_not_printed: d.from_not_printed }, place, performance, application, materials };
        for b in benefits {
            self.benefit(bundle, &context, b);
        }
    }

    fn formula(&mut self, bundle: &Bundle, file: &str, item: &str, source: &str, want: &[Type]) -> Option<Formula> {
        // Many conditions recur ("tech_enterprise", "district == …"): compile each once.
        let compiled = match self.compiled.get(source) {
            Some(hit) => Ok(hit.clone()),
            None => compile(source, &bundle.catalogue, &bundle.derived).inspect(|ok| {
                self.compiled.insert(source.to_string(), ok.clone());
            }),
        };
        match compiled {
            Ok((expr, ty)) if want.contains(&ty) => Some(Formula { source: source.to_string(), expr, ty, label: None }),
            Ok((_, ty)) => {
                let wanted: Vec<String> = want.iter().map(|t| t.to_string()).collect();
                self.error(file, item, format!("`{source}` is a {ty}, but a {} is needed here", wanted.join(" or ")));
                None
            }
            Err(e) => {
                self.error(file, item, format!("`{source}`: {e}"));
                None
            }
        }
    }

    fn literal(&mut self, file: &str, item: &str, text: &str, unit: Unit) -> Option<Decimal> {
        match parse_number(text) {
            Ok((v, Unit::Money)) if unit == Unit::Money && v > Decimal::from(MAX_YUAN) => {
                self.error(file, item, format!("`{text}` is more than 10万亿元, beyond any subsidy"));
                None
            }
            Ok((v, u)) if u == unit && v >= Decimal::ZERO => Some(v),
            Ok(_) => {
                let what = if unit == Unit::Money { "an amount such as 200万" } else { "a rate such as 5%" };
                self.error(file, item, format!("`{text}` should be {what}"));
                None
            }
            Err(e) => {
                self.error(file, item, format!("`{text}`: {e}"));
                None
            }
        }
    }

    fn benefit(&mut self, bundle: &mut Bundle, doc: &DocumentContext, b: BenefitSpec) {
        let file = doc.file;
        let item = format!("benefit `{}`", b.id);
        let item = item.as_str();
        if !b.id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') || b.id.is_empty() {
            self.error(file, item, "id must be lower-case-with-hyphens");
        }
        if bundle.benefit_index.contains_key(&b.id) {
            self.error(file, item, "benefit id used twice");
        }
        for (what, text) in [
            ("clause (the verbatim quote)", &b.clause),
            ("article", &b.article),
            ("name.zh", &b.name.zh),
            ("name.en", &b.name.en),
            ("authority.zh", &b.authority.zh),
        ] {
            if text.trim().is_empty() {
                self.error(file, item, format!("{what} is missing"));
            }
        }
        if let Some(r) = &b.reading {
            if r.zh.trim().is_empty() || r.en.trim().is_empty() {
                self.error(file, item, "reading needs both zh and en");
            }
        }
        if b.source_line == 0 {
            self.error(file, item, "source_line is missing");
        }
        match (b.frequency, b.years) {
            (Frequency::MultiYear, Some(y)) if y >= 2 => {}
            (Frequency::MultiYear, _) => self.error(file, item, "multi_year needs `years` (2 or more)"),
            (_, Some(_)) => self.error(file, item, "`years` goes only with multi_year"),
            _ => {}
        }

        let mut conditions = Vec::with_capacity(b.when.len() + 1);
        conditions.push(doc.place.clone());
        for source in &b.when {
            if let Some(f) = self.formula(bundle, file, item, source, &[Type::Bool]) {
                conditions.push(f);
            }
        }

        let money = [Type::Money];
        let amount = match &b.amount {
            AmountSpec::Fixed { value } => self.literal(file, item, value, Unit::Money).map(Amount::Fixed),
            AmountSpec::Rate { rate, of } | AmountSpec::GrantShare { rate, of } | AmountSpec::FeeReduction { rate, of } => {
                let rate_value = self.literal(file, item, rate, Unit::Percent);
                let of = self.formula(bundle, file, item, of, &money);
                match (rate_value, of) {
                    (Some(rate), Some(of)) => Some(match &b.amount {
                        AmountSpec::Rate { .. } => Amount::Rate { rate, of },
                        AmountSpec::GrantShare { .. } => Amount::GrantShare { rate, of },
                        _ => Amount::FeeReduction { rate, of },
                    }),
                    _ => None,
                }
            }
            AmountSpec::PerUnit { value, count } => {
                let value = self.literal(file, item, value, Unit::Money);
                let count = self.formula(bundle, file, item, count, &[Type::Count]);
                value.zip(count).map(|(value, count)| Amount::PerUnit { value, count })
            }
            AmountSpec::Tiers { tiers } => {
                if tiers.is_empty() {
                    self.error(file, item, "tiers are empty");
                }
                let compiled: Vec<_> = tiers
                    .iter()
                    .filter_map(|t| {
                        let when = self.formula(bundle, file, item, &t.when, &[Type::Bool]);
                        let value = self.literal(file, item, &t.value, Unit::Money);
                        when.zip(value)
                    })
                    .collect();
                (compiled.len() == tiers.len()).then_some(Amount::Tiers(compiled))
            }
            AmountSpec::CaseByCase => Some(Amount::CaseByCase),
        };
        let cap = b.cap.as_ref().and_then(|c| self.literal(file, item, c, Unit::Money));
        let bound = match &b.bounded_by {
            Some(source) => match self.formula(bundle, file, item, source, &money) {
                Some(f) => Some(f),
                None => return,
            },
            None => None,
        };

        let cost_share = match &b.cost_share {
            None => match doc.level {
                Level::Province => CostShare { province: Decimal::ONE, city: Decimal::ZERO, district: Decimal::ZERO },
                Level::City => CostShare { province: Decimal::ZERO, city: Decimal::ONE, district: Decimal::ZERO },
                Level::District => CostShare { province: Decimal::ZERO, city: Decimal::ZERO, district: Decimal::ONE },
            },
            Some(s) => {
                let province = match &s.province {
                    Some(p) => self.literal(file, item, p, Unit::Percent).unwrap_or_default(),
                    None => Decimal::ZERO,
                };
                let city = self.literal(file, item, &s.city, Unit::Percent).unwrap_or_default();
                let district = self.literal(file, item, &s.district, Unit::Percent).unwrap_or_default();
                // 1:1:1 is written 33.3333…%: accept sums within a millionth of 100%.
                if (province + city + district - Decimal::ONE).abs() > Decimal::new(1, 6) {
                    self.error(file, item, "cost_share province + city + district must be 100%");
                }
                CostShare { province, city, district }
            }
        };

        let from = match &b.valid_from {
            Some(t) => self.date(file, item, "valid_from", t),
            None => Some(doc.valid.from),
        };
        let to = match &b.valid_to {
            Some(t) => self.date(file, item, "valid_to", t),
            None => Some(doc.valid.to),
        };
        if b.period_clause.as_ref().is_some_and(|p| p.trim().is_empty()) {
            self.error(file, item, "period_clause (the verbatim words of its own period) is empty");
        }
        // A benefit with its own stated period (标明具体实施期限的除外) may outlast the document.
        let own_period = b.period_clause.is_some() && b.valid_to.is_some();
        let valid = match (from, to) {
            (Some(from), Some(to)) if from <= to && doc.valid.from <= from && (to <= doc.valid.to || own_period) => {
                // A benefit's own printed start replaces the document's unprinted one.
                Window { from, to, from_not_printed: b.valid_from.is_none() && doc.valid.from_not_printed }
            }
            (Some(from), Some(to)) if from <= to && doc.valid.from <= from => {
                self.error(file, item, format!("validity to {to} ends after the document's {}: only a benefit with its own stated period (period_clause) may", doc.valid.to));
                return;
            }
            (Some(from), Some(to)) => {
                self.error(file, item, format!("validity {from} to {to} must be a non-empty part of the document's {} to {}", doc.valid.from, doc.valid.to));
                return;
            }
            _ => return,
        };

        // The event period: the benefit's own, else the document's stated one, else the
        // validity (an annual edition's year is both).
        let stated_performance = b.performance.as_ref().and_then(|p| self.period(file, item, "performance", p));
        if b.performance.is_some() && stated_performance.is_none() {
            return;
        }
        let performance = Some(stated_performance.as_ref().or(doc.performance.as_ref()).map_or(valid, |p| p.window));
        let application = match &b.application {
            Some(p) => self.period(file, item, "application", p),
            None => doc.application.clone(),
        };
        if let Some(m) = &b.materials {
            self.materials(file, item, m);
        }
        let materials = b.materials.clone().or_else(|| doc.materials.clone());
        let Some(performance) = performance else { return };
        let (Some(amount), true) = (amount, conditions.len() == b.when.len() + 1) else { return };
        let Ok(per_item) = self.per_item(bundle, file, item, &b, &conditions, &amount, bound.as_ref()) else { return };
        if b.id.is_empty() || bundle.benefit_index.contains_key(&b.id) {
            return;
        }
        bundle.benefit_index.insert(b.id.clone(), bundle.benefits.len());
        bundle.benefits.push(Benefit {
            id: b.id,
            document: doc.index,
            article: b.article,
            name: b.name,
            clause: b.clause,
            source_line: b.source_line,
            conditions,
            amount,
            up_to: b.up_to,
            cap,
            bound,
            per_item,
            frequency: b.frequency,
            years: b.years,
            cost_share,
            authority: b.authority,
            valid,
            period_clause: b.period_clause,
            performance,
            stated_performance,
            application,
            reading: b.reading,
            materials,
            stacks_with: b.stacks_with,
        });
    }

    /// A materials list quotes its clause and names at least one material, in both languages.
    fn materials(&mut self, file: &str, item: &str, m: &Materials) {
        if m.clause.trim().is_empty() || m.line == 0 {
            self.error(file, item, "materials needs the verbatim clause that names them and its seed line");
        }
        if m.list.is_empty() {
            self.error(file, item, "materials.list is empty: name each material the clause lists");
        }
        if m.list.iter().any(|t| t.zh.trim().is_empty() || t.en.trim().is_empty()) {
            self.error(file, item, "each material needs both zh and en");
        }
    }

    /// A benefit assessed per item reads facts of its item kind; a benefit assessed once
    /// reads none (it would see item 1 only, and miss the others).
    #[allow(clippy::too_many_arguments)]
    fn per_item(&mut self, bundle: &Bundle, file: &str, item: &str, b: &BenefitSpec, conditions: &[Formula], amount: &Amount, bound: Option<&Formula>) -> Result<Option<usize>, ()> {
        let catalogue = &bundle.catalogue;
        let kind = match &b.per_item {
            None => None,
            Some(id) => match catalogue.item_kinds.iter().position(|k| &k.id == id) {
                Some(k) => Some(k),
                None => {
                    self.error(file, item, format!("unknown item_kind `{id}` in per_item"));
                    return Err(());
                }
            },
        };
        let mut reads_kind = false;
        let mut wrong = Vec::new();
        let formulas = conditions.iter().chain(amount.formulas()).chain(bound);
        for formula in formulas {
            formula.expr.for_each_fact(&mut |f| match catalogue.facts[f].item_kind {
                Some(k) if Some(k) == kind => reads_kind = true,
                Some(k) if !wrong.contains(&(f, k)) => wrong.push((f, k)),
                _ => {}
            });
        }
        for (f, k) in wrong {
            let (fact, kind_id) = (&catalogue.fact(f).id, &catalogue.item_kinds[k].id);
            self.error(file, item, format!("`{fact}` is answered per item ({kind_id}): the benefit needs `per_item = \"{kind_id}\"`, or a fact answered once"));
        }
        if kind.is_some() && !reads_kind {
            self.error(file, item, "per_item is set, but no condition or amount reads a fact of that item kind");
        }
        Ok(kind)
    }

    /// Each `stacks_with` names another benefit, once, with a reason in both languages.
    fn stacks_with(&mut self, bundle: &Bundle) {
        for b in &bundle.benefits {
            let file = &bundle.documents[b.document].file;
            let item = format!("benefit `{}`", b.id);
            for (k, s) in b.stacks_with.iter().enumerate() {
                match bundle.benefit_index(&s.benefit) {
                    None => self.error(file, &item, format!("stacks_with: unknown benefit `{}`", s.benefit)),
                    Some(i) if bundle.benefits[i].id == b.id => self.error(file, &item, "stacks_with names the benefit itself"),
                    Some(_) if b.stacks_with[..k].iter().any(|t| t.benefit == s.benefit) => {
                        self.error(file, &item, format!("stacks_with: `{}` is listed twice", s.benefit))
                    }
                    Some(_) => {}
                }
                if s.reason.zh.trim().is_empty() || s.reason.en.trim().is_empty() {
                    self.error(file, &item, format!("stacks_with `{}`: the reason needs both zh and en", s.benefit));
                }
            }
        }
    }

    fn members(&mut self, bundle: &Bundle, file: &str, item: &str, ids: &[String]) -> Vec<usize> {
        let mut members = Vec::new();
        for id in ids {
            match bundle.benefit_index(id) {
                Some(i) if members.contains(&i) => self.error(file, item, format!("`{id}` is listed twice")),
                Some(i) => members.push(i),
                None => self.error(file, item, format!("unknown benefit `{id}`")),
            }
        }
        members
    }

    fn groups(&mut self, bundle: &mut Bundle, doc_index: usize, spec: &DocumentFileSpec) {
        let file = spec.file.as_str();
        for g in &spec.exclusive_groups {
            let item = format!("exclusive `{}`", g.id);
            let benefits = self.members(bundle, file, &item, &g.benefits);
            if g.benefits.len() < 2 {
                self.error(file, &item, "a non-duplication group needs at least two benefits");
            }
            if g.clause.trim().is_empty() {
                self.error(file, &item, "clause (the verbatim quote) is missing");
            }
            bundle.exclusive_groups.push(ExclusiveGroup {
                id: g.id.clone(),
                document: doc_index,
                benefits,
                clause: g.clause.clone(),
                reading: g.reading.clone(),
            });
        }
        for c in &spec.company_caps {
            let item = format!("company_cap `{}`", c.id);
            let benefits = self.members(bundle, file, &item, &c.benefits);
            let cap = self.literal(file, &item, &c.cap, Unit::Money);
            if c.clause.trim().is_empty() {
                self.error(file, &item, "clause (the verbatim quote) is missing");
            }
            if let Some(cap) = cap {
                bundle.company_caps.push(CompanyCap { id: c.id.clone(), document: doc_index, benefits, cap, clause: c.clause.clone() });
            }
        }
    }
}

/// The `district` option for a company registered outside Hangzhou.
pub const OUTSIDE_HANGZHOU: &str = "outside_hangzhou";

/// When the bundle does not even have the right shape (a typo in a field name, a
/// missing field), reads it again loosely to say which file and which benefit.
fn locate_format_errors(text: &str, typed_error: serde_json::Error) -> Vec<RuleError> {
    let error = |file: &str, item: &str, message: String| RuleError { file: file.into(), item: item.into(), message };
    let Ok(loose) = serde_json::from_str::<BundleSpec<serde_json::Value>>(text) else {
        return vec![error("bundle", "", format!("not a rule bundle: {typed_error}"))];
    };
    let mut errors = Vec::new();
    for raw in &loose.documents {
        let file = raw.get("file").and_then(|f| f.as_str()).unwrap_or("rules/?");
        match reread::<DocumentFileSpec<serde_json::Value>>(raw) {
            Err(e) => errors.push(error(file, "", e)),
            Ok(doc) => {
                for b in &doc.benefits {
                    if let Err(e) = reread::<BenefitSpec>(b) {
                        let id = b.get("id").and_then(|v| v.as_str()).unwrap_or("?");
                        errors.push(error(file, &format!("benefit `{id}`"), e));
                    }
                }
            }
        }
    }
    if errors.is_empty() {
        errors.push(error("bundle", "", typed_error.to_string()));
    }
    errors
}

/// Reads one piece of the bundle again, from its own JSON text. (`T::deserialize(raw)`
/// would say the same, but would compile every rule type's deserializer a second time,
/// for `Value`, into the WASM.) The position is dropped: it is within the piece alone.
fn reread<T: serde::de::DeserializeOwned>(raw: &serde_json::Value) -> Result<T, String> {
    serde_json::from_str(&raw.to_string()).map_err(|e| {
        let message = e.to_string();
        let position = format!(" at line {} column {}", e.line(), e.column());
        message.strip_suffix(&position).map(str::to_string).unwrap_or(message)
    })
}
