/** A company's answers: fact id → answer. Money as "200万", "1.5亿", "3000000" or a number in 元;
 * percentages as "5%" or 5; yes/no as true/false; choices by option id; dates as "YYYY-MM-DD".
 * null, "" or a missing key mean "don't know". */
export type Answers = Record<string, string | number | boolean | null>;
// A fact answered per item (see FactsInfo `per_item`) takes item n as "fact#n".

export interface Options {
  /** The date the rules are applied on, "YYYY-MM-DD". Default: today in Hangzhou. */
  asOf?: string;
  /** The policy year asked about ("our results of 2025"): benefits whose performance period
   * covers that year, in documents in force in it, each with whether it can be claimed on
   * `asOf`. Default: none ("open now": what is in force on `asOf`). See `defaultPolicyYear`. */
  policyYear?: number;
  /** Language of names, explanations and error messages. Default "zh". */
  lang?: "zh" | "en";
}

export interface LoadBundleOptions {
  /** Expected SHA-256 (hex) of the text; a mismatch refuses the bundle. */
  sha256?: string;
  lang?: "zh" | "en";
}

/** Thrown by every function on bad input. The message names the field. */
export interface HuiqiError extends Error {
  name: "HuiqiError";
  /** The first bad field, e.g. "profile.revenue", "options.asOf", "bundle". */
  field: string;
  errors: { field: string; message: string }[];
}

export interface Text { zh: string; en: string }
export type Level = "province" | "city" | "district";
export type FactKind = "bool" | "money" | "count" | "percent" | "date" | "choice";
export type Status = "eligible" | "not_eligible" | "needs_answers" | "superseded" | "alternative" | "error" | "not_in_force";
export type ValidityCode = "in_force" | "expired" | "not_yet_in_force";
/** Whether it can be claimed on `asOf`: "not_stated" (the text states no application window),
 * "open", "not_yet_open", "closed" (the stated window has passed), "after_period" (the policy
 * year's performance period is still running; claim once it ends). */
export type ClaimCode = "not_stated" | "open" | "not_yet_open" | "closed" | "after_period";

/** Money is always a string in 元 with two decimals, e.g. "250000.00". */
export type Yuan = string;

export interface EvaluationReport {
  bundle: { version: string; hash: string };
  as_of: string;
  /** The policy year asked about; null for "open now". */
  policy_year: number | null;
  lang: "zh" | "en";
  benefits: BenefitReport[];
  not_in_force: number;
  /** Dates are null where the text states none. */
  out_of_force: { id: string; name: string; document_title: string; validity: ValidityCode; valid_from: string | null; valid_from_not_printed: boolean; valid_to: string | null }[];
  totals: {
    province: Yuan; city: Yuan; district: Yuan; overall: Yuan;
    overall_wan: string; overall_text: string; province_text: string; city_text: string; district_text: string;
    up_to: boolean; case_by_case: number; needs_answers: number; needs_answers_max: Yuan;
    /** Eligible benefits whose application window has closed: not in `overall`. */
    closed: number; closed_amount: Yuan;
  };
  cap_adjustments: { cap: Yuan; before: Yuan; after: Yuan; clause: string }[];
}

export interface BenefitReport {
  id: string;
  document: string;
  level: Level;
  district: string | null;
  name: string;
  status: Status;
  validity: ValidityCode;
  status_text: string;
  amount: Yuan | null;
  amount_wan: string | null;
  amount_text: string | null;
  case_by_case: boolean;
  up_to: boolean;
  cap: Yuan | null;
  max_amount: Yuan | null;
  max_amount_text: string | null;
  superseded_by: string | null;
  /** For status "alternative": the benefit of the same non-duplication group counted instead. */
  alternative_to: string | null;
  /** For "superseded" and "alternative": the benefit counted instead and the clause that pays only one. */
  non_duplication: string | null;
  frequency: "one_time" | "yearly" | "multi_year";
  years: number | null;
  amount_rule: string;
  trace: string | null;
  conditions: { text: string; holds: boolean | null }[];
  failing: string[];
  missing: string[];
  /** The questions to answer; for a fact asked per item, the first item lacking it
   *  (`anchor` is the app's element id: `q-fact`, or `q-fact-2` for item 2). */
  missing_questions: { id: string; item: number; anchor: string; label: string }[];
  error: string | null;
  citation: { document_title: string; issuer: string; number: string; article: string; clause: string; seed: string; line: number };
  authority: string;
  /** In force from / until; null where the text states no date. */
  valid_from: string | null;
  /** The document does not print its start date: valid_from, if any, is only the earliest date the text allows. */
  valid_from_not_printed: boolean;
  valid_to: string | null;
  /** The period the qualifying event must fall in; null ends: not stated. */
  performance_from: string | null;
  performance_to: string | null;
  claim: ClaimCode;
  /** In words: "申报截止于2025-06-06" / "applications closed on 2025-06-06" / "申报时间未载明". */
  claim_text: string;
  /** The application window as the text states it; all null where it states none. */
  application_from: string | null;
  application_to: string | null;
  application_clause: string | null;
  application_line: number | null;
  /** How the document's dates were read, with the seed lines. */
  time_reading: string | null;
  reading: string | null;
  funding: string | null;
  /** For a benefit assessed per item, answered for two or more items: each item's outcome
   * (the benefit's amount adds them up). Empty otherwise. */
  items: { item: number; label: string; status: Status; amount: Yuan | null; amount_text: string | null; text: string }[];
  /** Benefits paid beside this one on purpose, with the reason ("可与「…」同时享受：…"). */
  stacks_with: string[];
  /** The application materials the policy text names (empty where it names none),
   *  the verbatim words naming them and their seed line. */
  materials: string[];
  materials_clause: string | null;
  materials_line: number | null;
}

export interface EvaluationSummary {
  bundle_hash: string;
  as_of: string;
  policy_year: number | null;
  totals: { province: Yuan; city: Yuan; district: Yuan; overall: Yuan; up_to: boolean; case_by_case: number; needs_answers: number; needs_answers_max: Yuan; closed: number; closed_amount: Yuan };
  /** Benefits in force that are eligible or need answers, in bundle order. */
  benefits: { id: string; status: "eligible" | "needs_answers"; claim: ClaimCode; amount: Yuan | null; max_amount: Yuan | null }[];
}

export interface NextQuestion {
  id: string;
  label: string;
  kind: FactKind;
  section: string;
  /** How many benefits in force still wait on this answer. */
  benefits: number;
  /** The most those benefits could be worth together. */
  worth: Yuan;
}

export interface FactsInfo {
  sections: { id: string; label: Text }[];
  facts: {
    id: string; kind: FactKind; section: string; label: Text; help: Text | null;
    /** Bounds for money (元), counts, and percentages (as a fraction: "0.05" is 5%). */
    min: string | null; max: string | null;
    options: { id: string; label: Text }[];
    /** For a fact answered per item (each project, base, fair…): the kind of item. Item 1 is
     * answered as `id`, item n as `"id#n"` (2 ≤ n ≤ max_items); each item is assessed and capped on its own. */
    per_item: { id: string; label: Text } | null;
  }[];
  max_items: number;
}

export interface DocumentInfo {
  id: string; title: Text; issuer: Text; number: string; level: Level; district: string | null;
  /** null where the text states no date. */
  valid_from: string | null; valid_from_not_printed: boolean; valid_to: string | null; validity_clause: string;
  /** The period the qualifying events must fall in; null ends: not stated. */
  performance_from: string | null; performance_to: string | null;
  /** The application window, where the text states one (with the clause and its seed line). */
  application: { from: string | null; to: string | null; clause: string; line: number } | null;
  /** How the dates were read, with the seed lines. */
  time_reading: Text | null;
  funding: Text | null; notes: Text | null;
  benefits: { id: string; name: Text; article: string; clause: string; valid_from: string | null; valid_from_not_printed: boolean; valid_to: string | null }[];
}

export interface BundleInfo {
  version: string;
  /** SHA-256 of the bundle text (rules.json), hex. */
  hash: string;
  /** Build day of the built-in bundle; null for any other. */
  built: string | null;
  /** "built-in": the rules this build was made with, known by their hash; "loaded": any other bundle. */
  source: "built-in" | "loaded";
  /** `validity` on `asOf`, or for `policyYear` where given. */
  documents: { id: string; title: Text; valid_from: string | null; valid_from_not_printed: boolean; valid_to: string | null; validity: ValidityCode }[];
  benefits: number;
  facts: number;
  /** The latest year with an annual edition in force, any district (see `defaultPolicyYear`). */
  default_policy_year: number | null;
}

export interface Changes {
  as_of: string;
  within_days: number;
  /** Soonest first: documents and benefits that stop being in force, and stated application
   * windows that close, from `asOf` to `within_days` days after it. Only stated ends. */
  expiring: { what: "document" | "benefit" | "application"; document: string; benefit: string | null; name: string; ends: string; days_left: number; text: string }[];
  /** For each policy with two editions in the bundle (documents sharing a series): what was
   * added, dropped or changed from the older to the newer. Empty when none has two. */
  editions: {
    series: string; older: string; newer: string; added: string[]; dropped: string[];
    changed: { older: string; newer: string; name: string; differences: { field: "amount" | "conditions" | "frequency"; before: string; after: string }[] }[];
  }[];
}

// Every function below needs rules in use: `await start()` from huiqi.js first (or
// `loadBundle(text)`); before that they throw a HuiqiError with field "bundle".

/** Evaluates a company's answers: every benefit with status, amount, reasons and clause.
 * @throws {HuiqiError} naming every bad answer or option. */
export function evaluate(profile?: Answers, options?: Options): EvaluationReport;
/** The numbers only (totals; each benefit's status and amount), cheap enough for every
 * keystroke; `evaluate` gives the words (clauses, reasons) for the same answers. */
export function summary(profile?: Answers, options?: Options): EvaluationSummary;
/** The unanswered questions that could still change a result, most valuable first. */
export function nextQuestions(profile?: Answers, options?: Options): NextQuestion[];
/** Every question a rule may ask, in Chinese and English. */
export function facts(): FactsInfo;
/** The policy documents, their validity and the benefits encoded from each. */
export function documents(): DocumentInfo[];
/** Which rules are in use: version, content hash, build date, documents in force on `asOf`. */
export function bundleInfo(options?: Options): BundleInfo;
/** The policy year to offer first for a district (an option id of `district`; null for any):
 * the latest year, not after `asOf`'s, with an annual edition in force for it (e.g. 2025 for
 * Binjiang on 2026-12-05). null where none applies. @throws {HuiqiError} for an unknown district. */
export function defaultPolicyYear(district?: string | null, options?: Options): number | null;
/** What ends within 90 days of `asOf`, and what differs between two editions of a policy. */
export function changes(options?: Options): Changes;
/** Validates and switches to a newer bundle (the text of a rules.json). On error the rules
 * in use stay as they were. @throws {HuiqiError} with field "bundle". */
export function loadBundle(text: string, options?: LoadBundleOptions): BundleInfo;
/** Puts in use the rules this build was made with: the text of the rules.json beside it,
 * refused unless its hash is the one compiled in. `start()` (huiqi.js) calls it.
 * @throws {HuiqiError} with field "bundle". */
export function loadBuiltInBundle(text: string): BundleInfo;
/** Goes back to the built-in rules after `loadBundle` put others in use. */
export function useBuiltInBundle(): BundleInfo;
