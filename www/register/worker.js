// The register page's worker: its own wasm (feature `register`) matches the file read in
// slices (File.slice), so a large register never has to fit in one string; the three
// files grow as Blob parts. Messages: {type: "run", file, map, asOf, policyYear, lang}
// in; "notices", "progress", "done" or "error" out; {type: "years", asOf} in, "years"
// out (the policy years the rules have annual editions for). Cancelling is terminating
// this worker.
import init, { loadRules, policyYears, RegisterMatch } from "./huiqi_register.js";

const SNIFF = 64 * 1024; // what the command line looks at to tell the encoding
const SLICE = 1 << 20;

let ready;
const start = () =>
  (ready ??= (async () => {
    await init({ module_or_path: new URL("./huiqi_register_bg.wasm", import.meta.url) });
    // The app's own rule file, refused by the wasm unless its hash is the one built in.
    const response = await fetch(new URL("../rules.json", import.meta.url));
    if (!response.ok) throw new Error(JSON.stringify({ zh: `无法载入规则（HTTP ${response.status}）`, en: `could not load the rules (HTTP ${response.status})` }));
    loadRules(await response.text());
  })());

// Many small parts are folded into one Blob now and then, which the browser may keep
// out of the JavaScript heap.
class Parts {
  constructor() { this.parts = []; this.bytes = 0; }
  add(bytes) {
    if (bytes.length === 0) return;
    this.parts.push(bytes);
    this.bytes += bytes.length;
    if (this.parts.length >= 64) this.parts = [new Blob(this.parts)];
  }
  blob() { return new Blob(this.parts, { type: "text/csv;charset=utf-8" }); }
}

const message = (error) => {
  try {
    const m = JSON.parse(error.message);
    if (typeof m.zh === "string") return m;
  } catch {}
  const text = String(error?.message ?? error);
  return { zh: text, en: text };
};

self.onmessage = async ({ data }) => {
  if (data.type === "years") {
    try {
      await start();
      postMessage({ type: "years", asOf: data.asOf, years: JSON.parse(policyYears(data.asOf)) });
    } catch (error) {
      postMessage({ type: "error", message: message(error) });
    }
    return;
  }
  if (data.type !== "run") return;
  let run;
  try {
    await start();
    const { file } = data;
    const started = performance.now();
    const prefix = new Uint8Array(await file.slice(0, SNIFF).arrayBuffer());
    run = new RegisterMatch(prefix, file.size <= SNIFF, data.map ?? undefined, data.asOf, data.policyYear ?? "", data.lang);
    const results = new Parts();
    const problems = new Parts();
    for (let offset = 0; ; offset += SLICE) {
      const end = Math.min(offset + SLICE, file.size);
      const bytes = new Uint8Array(await file.slice(offset, end).arrayBuffer());
      run.push(bytes, end >= file.size);
      if (offset === 0) postMessage({ type: "notices", notices: JSON.parse(run.notices()) });
      results.add(run.results());
      problems.add(run.problems());
      postMessage({ type: "progress", bytes: end, size: file.size, companies: run.companies, badCells: run.badCells });
      if (end >= file.size) break;
    }
    const seconds = (performance.now() - started) / 1000;
    postMessage({
      type: "done",
      seconds,
      view: JSON.parse(run.summary()),
      results: results.blob(),
      summary: new Blob([run.summaryCsv()], { type: "text/csv;charset=utf-8" }),
      problems: problems.bytes > 0 ? problems.blob() : null,
    });
  } catch (error) {
    postMessage({ type: "error", message: message(error) });
  } finally {
    run?.free();
  }
};
