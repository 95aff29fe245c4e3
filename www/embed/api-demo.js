// The JS API from a plain page: the engine-only module, no Yew, no server.
import start, { evaluate, bundleInfo, loadBundle } from "../engine/huiqi.js";

// The wasm, then the rules.json beside it, checked against the hash compiled in.
await start();
const form = document.getElementById("api-form");
const info = document.getElementById("api-info");
const error = document.getElementById("api-error");
const results = document.getElementById("api-results");

const showInfo = (b, how = "start()") => { info.textContent = `${how}: rules ${b.version} · ${b.source} · sha256 ${b.hash.slice(0, 16)}… · ${b.benefits} benefits`; };
showInfo(bundleInfo());

form.addEventListener("submit", (event) => {
  event.preventDefault();
  error.textContent = "";
  results.replaceChildren();
  try {
    const answers = { ...JSON.parse(form.answers.value || "{}"), district: form.district.value };
    const options = form.asOf.value ? { asOf: form.asOf.value } : {};
    const report = evaluate(answers, options);
    for (const b of report.benefits.filter((b) => b.status === "eligible" || b.status === "needs_answers")) {
      const li = document.createElement("li");
      li.className = b.status;
      li.textContent = `${b.name} — ${b.status_text}${b.amount_text ? " · " + b.amount_text : ""}`;
      results.append(li);
    }
    info.textContent += ` · total ${report.totals.overall_text}`;
  } catch (e) {
    // A HuiqiError names the field: e.field, e.errors.
    error.textContent = `${e.name}: ${e.message}`;
  }
});

document.getElementById("load-bundle").addEventListener("click", async () => {
  error.textContent = "";
  try {
    const [text, sums] = await Promise.all([
      fetch("../rules.json").then((r) => r.text()),
      fetch("../rules.json.sha256").then((r) => r.text()),
    ]);
    showInfo(loadBundle(text, { sha256: sums.split(/\s+/)[0] }), "loadBundle");
  } catch (e) {
    error.textContent = `${e.name}: ${e.message}`;
  }
});
