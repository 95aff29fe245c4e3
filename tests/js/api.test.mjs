// The JS API from Node, on the engine-only build in dist/engine (made by `trunk build`).
// Run: node --test tests/js/
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const dist = path.join(root, "dist");
const wasm = fs.readFileSync(path.join(dist, "engine/huiqi_engine_bg.wasm"));
const rulesText = fs.readFileSync(path.join(dist, "rules.json"), "utf8");
// As a portal does: huiqi.js's start() with the wasm and the rules.json beside it.
const engine = await import(pathToFileURL(path.join(dist, "engine/huiqi.js")).href);
const started = await engine.default({ wasm, rules: rulesText });
const { evaluate, summary, nextQuestions, facts, documents, bundleInfo, loadBundle, useBuiltInBundle } = engine;

const rulesHash = fs.readFileSync(path.join(dist, "rules.json.sha256"), "utf8").split(/\s+/)[0];
const sme = JSON.parse(fs.readFileSync(path.join(root, "tests/profiles/binjiang-tech-sme.json"), "utf8"));

/** Calls `call`, expects a HuiqiError naming `field`, returns it. */
function refused(call, field) {
  let error;
  assert.throws(call, (e) => { error = e; return true; });
  assert.equal(error.name, "HuiqiError", String(error));
  assert.ok(error instanceof Error);
  assert.equal(error.field, field, error.message);
  assert.ok(error.message.includes(field), error.message);
  assert.ok(Array.isArray(error.errors) && error.errors.length > 0);
  return error;
}

test("start() puts the built-in rules in use: version, hash of rules.json, build day, documents", () => {
  assert.equal(started.source, "built-in");
  const info = bundleInfo({ asOf: "2024-06-30" });
  assert.equal(info.hash, rulesHash);
  assert.equal(info.hash, createHash("sha256").update(rulesText).digest("hex"));
  assert.equal(info.version, JSON.parse(rulesText).version);
  assert.equal(info.source, "built-in");
  assert.match(info.built, /^\d{4}-\d{2}-\d{2}$/);
  assert.equal(info.documents.length, documents().length);
  const binjiang = info.documents.find((d) => d.id === "binjiang-2024");
  assert.equal(binjiang.validity, "in_force");
});

test("evaluate gives plain JSON with money as strings", () => {
  const report = evaluate(sme, { asOf: "2024-06-30", lang: "en" });
  const rd = report.benefits.find((b) => b.id === "binjiang-2024-rd-increase-sme");
  assert.equal(rd.status, "eligible");
  assert.equal(rd.amount, "250000.00");
  assert.equal(rd.cap, "2000000.00");
  assert.equal(rd.up_to, true);
  assert.equal(report.as_of, "2024-06-30");
  assert.equal(report.lang, "en");
  assert.equal(typeof report.totals.overall, "string");
  assert.equal(report.bundle.hash, rulesHash);
  // Plain objects all the way down (no Map), so JSON.stringify keeps everything.
  assert.deepEqual(JSON.parse(JSON.stringify(report)), report);
  // Numbers from JS are answers too: 15000000 is 1500万.
  const same = evaluate({ ...sme, rd_spend: 15000000 }, { asOf: "2024-06-30" });
  assert.equal(same.benefits.find((b) => b.id === rd.id).amount, "250000.00");
});

test("a per-item fact takes item n as fact#n, and each item is capped on its own", () => {
  const base = facts().facts.find((f) => f.id === "forest_economy_base_investment");
  assert.equal(base.per_item.id, "forest_base");
  assert.equal(facts().max_items, 20);
  const two = { district: "chunan", forest_economy_base_investment: "3000万", "forest_economy_base_investment#2": "2000万" };
  const b = evaluate(two, { asOf: "2025-06-30", lang: "en" }).benefits.find((x) => x.id === "hangzhou-2025-forest-economy-base");
  assert.equal(b.amount, "17000000.00");
  assert.deepEqual(b.items.map((i) => [i.item, i.amount]), [[1, "10000000.00"], [2, "7000000.00"]]);
  // One item only: no list, the amount is that item's.
  const one = evaluate({ district: "chunan", forest_economy_base_investment: "3000万" }, { asOf: "2025-06-30" })
    .benefits.find((x) => x.id === b.id);
  assert.deepEqual(one.items, []);
  assert.equal(one.amount, "10000000.00");
  // An item number out of range, or on a plain fact, is refused with the key named.
  for (const key of ["forest_economy_base_investment#21", "forest_economy_base_investment#1", "rd_spend#2"]) {
    assert.throws(() => evaluate({ district: "chunan", [key]: "1万" }), (e) => e.name === "HuiqiError" && e.field === `profile.${key}`);
  }
});

test("summary gives the same numbers as evaluate, without the words", () => {
  const full = evaluate(sme, { asOf: "2024-06-30" });
  const short = summary(sme, { asOf: "2024-06-30" });
  assert.equal(short.totals.overall, full.totals.overall);
  assert.equal(short.bundle_hash, full.bundle.hash);
  const rd = short.benefits.find((b) => b.id === "binjiang-2024-rd-increase-sme");
  assert.deepEqual(rd, { id: rd.id, status: "eligible", claim: "not_stated", amount: "250000.00", max_amount: null });
  refused(() => summary({ rd_spend: NaN }), "profile.rd_spend");
  refused(() => summary({}, { asOf: "not a date" }), "options.asOf");
});

test("nextQuestions asks facts of the catalogue, most valuable first, and not answered ones", () => {
  const questions = nextQuestions({ district: "binjiang" }, { asOf: "2025-06-30" });
  const ids = new Set(facts().facts.map((f) => f.id));
  assert.ok(questions.length > 0);
  assert.ok(questions.every((q) => ids.has(q.id) && q.id !== "district"));
  const worth = questions.map((q) => Number(q.worth));
  assert.deepEqual(worth, [...worth].sort((a, b) => b - a));
  const after = nextQuestions({ district: "binjiang", [questions[0].id]: null }, { asOf: "2025-06-30" });
  assert.equal(after.length, questions.length, "null means don't know: still asked");
});

test("facts and documents describe the whole bundle", () => {
  const f = facts();
  assert.ok(f.facts.find((x) => x.id === "district").options.some((o) => o.id === "binjiang"));
  assert.ok(f.sections.length > 0);
  const docs = documents();
  const benefits = docs.reduce((n, d) => n + d.benefits.length, 0);
  assert.equal(benefits, bundleInfo().benefits);
  // A date the text does not state is null, never invented.
  assert.ok(docs.every((d) => d.title.zh && (d.valid_from === null || /^\d{4}-\d\d-\d\d$/.test(d.valid_from))));
  const sample = docs.find((d) => d.id === "hangzhou-sme-digital-sample-2025");
  assert.equal(sample.valid_to, null);
  assert.equal(sample.application.to, "2025-06-06");
});

test("policyYear assesses a year's editions and says when each can be claimed", () => {
  const now = evaluate(sme, { asOf: "2026-12-05" });
  const rd = (r) => r.benefits.find((b) => b.id === "binjiang-2024-rd-increase-sme");
  assert.equal(rd(now).status, "not_in_force");
  assert.equal(now.policy_year, null);
  const y2024 = evaluate(sme, { asOf: "2026-12-05", policyYear: 2024, lang: "en" });
  assert.equal(y2024.policy_year, 2024);
  assert.equal(rd(y2024).status, "eligible");
  assert.equal(rd(y2024).claim_text, "application window not stated");
  const sample = evaluate({ district: "xiaoshan", digital_transformation_sample_enterprise: true }, { asOf: "2026-12-05", policyYear: 2025, lang: "en" });
  const award = sample.benefits.find((b) => b.id === "hangzhou-sme-digital-sample-2025-award");
  assert.equal(award.claim, "closed");
  assert.equal(award.claim_text, "applications closed on 2025-06-06");
  assert.equal(engine.defaultPolicyYear("binjiang", { asOf: "2026-12-05" }), 2025);
  assert.equal(bundleInfo({ asOf: "2026-12-05" }).default_policy_year, 2025);
  refused(() => evaluate(sme, { policyYear: "2025" }), "options.policyYear");
  const soon = engine.changes({ asOf: "2025-10-02", lang: "en" });
  assert.ok(soon.expiring.some((e) => e.document === "hangzhou-2025" && e.days_left === 90), JSON.stringify(soon.expiring));
  assert.ok(Array.isArray(soon.editions));
  refused(() => engine.defaultPolicyYear("mars"), "district");
});

test("bad answers are refused with the field named, and the module lives on", () => {
  refused(() => evaluate("revenue"), "profile");
  refused(() => evaluate([1, 2]), "profile");
  refused(() => evaluate({ rd_spend: NaN }), "profile.rd_spend");
  refused(() => evaluate({ rd_spend: Infinity }), "profile.rd_spend");
  refused(() => evaluate({ rd_spend: -Infinity }), "profile.rd_spend");
  refused(() => evaluate({ rd_spend: 1e30 }), "profile.rd_spend");
  refused(() => evaluate({ rd_spend: "1".repeat(40) }), "profile.rd_spend");
  refused(() => evaluate({ rd_spend: -5 }), "profile.rd_spend");
  refused(() => evaluate({ rd_spend: "-200万" }), "profile.rd_spend");
  refused(() => evaluate({ rd_spend: { amount: 5 } }), "profile.rd_spend");
  refused(() => evaluate({ rd_spend: () => 5 }), "profile.rd_spend");
  refused(() => evaluate({ tech_enterprise: "maybe" }), "profile.tech_enterprise");
  refused(() => evaluate({ district: "mars" }), "profile.district");
  refused(() => evaluate({ no_such_fact: 1 }), "profile.no_such_fact");
  const cyclic = {};
  cyclic.self = cyclic;
  refused(() => evaluate({ rd_spend: cyclic }), "profile.rd_spend.self");
  let deep = 1;
  for (let i = 0; i < 20; i++) deep = [deep];
  refused(() => evaluate({ rd_spend: deep }), "profile.rd_spend" + "[0]".repeat(15));
  refused(() => evaluate({ rd_spend: 10n ** 40n }), "profile.rd_spend"); // a BigInt, too large
  // Every bad field is named in one go, in the language asked for.
  const e = refused(() => evaluate({ rd_spend: NaN, district: "mars" }, { lang: "en" }), "profile.rd_spend");
  assert.deepEqual(e.errors.map((x) => x.field), ["profile.rd_spend", "profile.district"]);
  assert.match(e.message, /not a finite number/);
  assert.match(refused(() => evaluate({ district: "mars" }), "profile.district").message, /不是可选项/);
  refused(() => nextQuestions({ rd_spend: NaN }), "profile.rd_spend");
  refused(() => nextQuestions(7), "profile");
  // Still alive and correct after all that.
  assert.equal(evaluate(sme, { asOf: "2024-06-30" }).benefits.find((b) => b.id === "binjiang-2024-rd-increase-sme").amount, "250000.00");
});

test("bad options are refused with the field named", () => {
  refused(() => evaluate({}, { asOf: "2025-02-30" }), "options.asOf");
  refused(() => evaluate({}, { asOf: "99999-01-01" }), "options.asOf");
  refused(() => evaluate({}, { asOf: 20250630 }), "options.asOf");
  refused(() => evaluate({}, { asOf: new Date() }), "options.asOf");
  refused(() => evaluate({}, { lang: "fr" }), "options.lang");
  refused(() => evaluate({}, { asof: "2025-06-30" }), "options.asof");
  refused(() => evaluate({}, 5), "options");
  refused(() => nextQuestions({}, { asOf: NaN }), "options.asOf");
  refused(() => bundleInfo({ asOf: "yesterday" }), "options.asOf");
  refused(() => bundleInfo("2025"), "options");
  // Absent and null mean the defaults.
  assert.equal(evaluate(undefined, undefined).lang, "zh");
  assert.equal(evaluate({}, null).lang, "zh");
});

test("before any rules are given nothing is computed; only this build's rules.json is built-in", async () => {
  // A second instance of the module, with its own wasm and no rules yet.
  const fresh = await import(pathToFileURL(path.join(dist, "engine/huiqi_engine.js")).href + "?before-start");
  fresh.initSync({ module: wasm });
  for (const call of [() => fresh.evaluate({}), () => fresh.summary({}), () => fresh.facts(), () => fresh.bundleInfo(), () => fresh.useBuiltInBundle()]) {
    assert.match(refused(call, "bundle").message, /start\(\)/);
  }
  const other = rulesText.replace('"rate":"30%"', '"rate":"90%"');
  assert.match(refused(() => fresh.loadBuiltInBundle(other), "bundle").message, /不符/);
  refused(() => fresh.evaluate({}), "bundle");
  assert.equal(fresh.loadBuiltInBundle(rulesText).source, "built-in");
  assert.equal(fresh.summary({}, { asOf: "2024-06-30" }).bundle_hash, rulesHash);
});

test("a bad runtime bundle is refused and the built-in one stays in use", () => {
  refused(() => loadBundle(JSON.parse(rulesText)), "bundle"); // an object, not the text
  refused(() => loadBundle(""), "bundle");
  refused(() => loadBundle(rulesText.slice(0, rulesText.length / 2)), "bundle");
  refused(() => loadBundle('{"version":"x","facts":{},"documents":[]}'), "bundle");
  const tampered = rulesText.replace('"rate":"30%"', '"rate":"90%"');
  assert.notEqual(tampered, rulesText);
  const e = refused(() => loadBundle(tampered, { sha256: rulesHash, lang: "en" }), "bundle");
  assert.match(e.message, /does not match/);
  refused(() => loadBundle(rulesText, { sha256: 42 }), "options.sha256");
  refused(() => loadBundle(rulesText, { checksum: rulesHash }), "options.checksum");
  const info = bundleInfo();
  assert.equal(info.source, "built-in");
  assert.equal(info.hash, rulesHash);
});

test("a newer valid bundle is used after loadBundle, until useBuiltInBundle", () => {
  const newer = JSON.parse(rulesText);
  newer.version = "2099.1.1";
  const text = JSON.stringify(newer);
  const info = loadBundle(text);
  assert.equal(info.source, "loaded");
  assert.equal(info.version, "2099.1.1");
  assert.equal(info.built, null);
  assert.equal(info.hash, createHash("sha256").update(text).digest("hex"));
  assert.equal(evaluate(sme, { asOf: "2024-06-30" }).bundle.version, "2099.1.1");
  assert.equal(loadBundle(text).source, "loaded");
  // The same text as the built-in rules is the built-in rules, however it arrives.
  assert.equal(loadBundle(rulesText, { sha256: rulesHash }).source, "built-in");
  loadBundle(text);
  assert.equal(useBuiltInBundle().source, "built-in");
  assert.equal(evaluate({}).bundle.hash, rulesHash);
});

test("the answers in the documented examples are questions the rules ask", () => {
  const ids = new Set(facts().facts.map((f) => f.id));
  const docs = ["README.md", "www/embed/index.html"].map((f) => fs.readFileSync(path.join(root, f), "utf8"));
  const calls = docs.flatMap((text) => [...text.matchAll(/(?:evaluate|summary|nextQuestions)\(\{([^}]*)\}/g)].map((m) => m[1]));
  assert.ok(calls.length >= 3, "the examples were not found");
  for (const call of calls) {
    for (const [, key] of call.matchAll(/(\w+)\s*:/g)) assert.ok(ids.has(key), `an example answers "${key}", which is not a question`);
  }
});

test("the TypeScript declarations cover every export", () => {
  const dts = fs.readFileSync(path.join(dist, "engine/huiqi_engine.d.ts"), "utf8");
  assert.match(fs.readFileSync(path.join(dist, "engine/huiqi.d.ts"), "utf8"), /export default function start\(/);
  for (const name of ["evaluate", "summary", "nextQuestions", "facts", "documents", "bundleInfo", "loadBundle", "loadBuiltInBundle", "useBuiltInBundle", "defaultPolicyYear", "changes"]) {
    assert.match(dts, new RegExp(`export function ${name}\\(`), name);
    assert.equal(typeof engine[name], "function", name);
  }
  assert.match(dts, /export interface EvaluationReport/);
  assert.doesNotMatch(dts.split("export function evaluate(")[1].split("\n")[0], /any/);
});
