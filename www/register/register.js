// The register page: picks the files and the date, runs the match in a worker, shows the
// progress and the summary, and offers the three files. No request but our own files.
const $ = (id) => document.getElementById(id);

const T = {
  title: ["企业名录批量匹配（免申即享）", "Match a company register"],
  intro: [
    "上传一份企业名录（每行一家企业），一次匹配全部政策，下载每家企业可申请的项目、汇总和有误的单元格。计算全部在本机浏览器中完成，文件不会离开本机。",
    "Give a register of companies (one row per company) to match all of them against every policy at once, then download each company's benefits, the summary and the bad cells. Everything is computed in this browser: the file never leaves this machine.",
  ],
  drop: ["把名录 CSV 文件拖到这里，或点击选择（UTF-8 或 GBK 均可）", "Drop the register's CSV file here, or click to choose it (UTF-8 or GBK)"],
  map: ["列映射文件（可选，TOML）", "Column mapping file (optional, TOML)"],
  asof: ["评估日期", "Evaluate as of"],
  year: ["政策年度", "Policy year"],
  "year-now": ["当日有效的政策", "In force on the day"],
  "year-latest": ["最新年度（按各企业所在区）", "Latest annual edition (per company's district)"],
  run: ["开始匹配", "Match"],
  cancel: ["取消", "Cancel"],
  done: ["匹配结果", "Results"],
  "dl-results": ["下载 results.csv（每家企业 × 项目）", "Download results.csv (company × benefit)"],
  "dl-summary": ["下载 results.summary.csv（汇总）", "Download results.summary.csv (summary)"],
  "dl-problems": ["下载 results.problems.csv（有误的单元格）", "Download results.problems.csv (bad cells)"],
  "th-benefit": ["项目", "Benefit"],
  "th-level": ["层级", "Level"],
  "th-eligible": ["可申请企业", "Eligible companies"],
  "th-amount": ["金额（元）", "Amount (元)"],
  "th-pays": ["省 / 市 / 区承担（元）", "Province / city / district pays (元)"],
  "th-case": ["金额待核定", "Amount case by case"],
  "th-needs": ["待补充信息企业", "Companies needing answers"],
  "th-max": ["其最高可能（元）", "Their most possible (元)"],
  "th-closed": ["申报已截止企业", "Eligible, applications closed"],
  "th-closed-amount": ["其金额（元）", "Their amount (元)"],
  more: [
    "列名规则与映射文件的写法见项目说明（README 的“Matching a whole register”一节）；工作簿（XLSX）请另存为 CSV，或用命令行 huiqi match。",
    "How headers are read and how to write a mapping file: the project's README, “Matching a whole register”. Save a workbook (XLSX) as CSV, or use the command line, huiqi match.",
  ],
  back: ["← 返回政策计算器", "← Back to the calculator"],
};
const LEVELS = { province: ["省级", "province"], city: ["市级", "city"], district: ["区级", "district"] };

let lang = localStorage.getItem("huiqi-register-lang") === "en" ? "en" : "zh";
const pick = (pair) => (lang === "zh" ? pair[0] : pair[1]);
// What is on screen, kept so a language switch can say it again.
const state = { notices: null, error: null, progress: null, done: null };
// The policy years the rules have annual editions for on the chosen day (from the worker).
let years = [];
let worker = null;
let urls = [];
let registerFile = null;

// Money arrives as text in 元 ("1250000.00"): grouped for reading, never through a float.
const yuan = (text) => {
  const [whole, cents] = String(text).split(".");
  const sign = whole.startsWith("-") ? "-" : "";
  const digits = whole.replace("-", "").replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${sign}${digits}${cents && cents !== "00" ? "." + cents : ""}`;
};
const count = (n) => Number(n).toLocaleString(lang === "zh" ? "zh-CN" : "en-US");

function render() {
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  document.title = lang === "zh" ? "企业名录批量匹配 · Huiqi" : "Match a company register · Huiqi";
  for (const node of document.querySelectorAll("[data-t]")) node.textContent = pick(T[node.dataset.t]);
  $("lang-zh").setAttribute("aria-pressed", String(lang === "zh"));
  $("lang-en").setAttribute("aria-pressed", String(lang === "en"));
  renderYears();
  $("file-name").textContent = registerFile ? (lang === "zh" ? `${registerFile.name}（${count(registerFile.size)} 字节）` : `${registerFile.name} (${count(registerFile.size)} bytes)`) : "";
  $("notices").replaceChildren(...(state.notices?.[lang] ?? []).map((n) => Object.assign(document.createElement("li"), { textContent: n })));
  $("error").hidden = !state.error;
  $("error").textContent = state.error?.[lang] ?? "";
  $("progress-box").hidden = !state.progress;
  if (state.progress) {
    const { bytes, size, companies, badCells, cancelled } = state.progress;
    $("progress").value = size ? bytes / size : 1;
    const percent = size ? Math.floor((100 * bytes) / size) : 100;
    $("progress-text").textContent = cancelled
      ? pick(["已取消：没有生成结果文件。", "Cancelled: no result files were made."])
      : lang === "zh"
        ? `已读 ${percent}%：${count(companies)} 家企业，${count(badCells)} 个单元格有误`
        : `${percent}% read: ${count(companies)} companies, ${count(badCells)} bad cells`;
  }
  renderDone();
}

// "2025 年度" / "policy year 2025" for each year the rules have; "latest" only when some
// edition applies on the day (else the command line refuses it too).
function renderYears() {
  const select = $("policy-year");
  const chosen = select.value;
  const fixed = [...select.options].slice(0, 2);
  fixed[1].disabled = years.length === 0;
  const options = years.map((y) => Object.assign(document.createElement("option"), { value: String(y), textContent: lang === "zh" ? `${y} 年度` : `policy year ${y}` }));
  select.replaceChildren(...fixed, ...options);
  const still = [...select.options].find((o) => o.value === chosen && !o.disabled);
  select.value = still ? chosen : "";
}

// The sentences after the counts: what the summary has besides its table.
function notes(v, done) {
  const total = v.rows.at(-1)?.fields ?? {};
  const closed = Number(total.closed_companies ?? 0);
  const year = done.policyYear === "" ? null : done.policyYear === "latest" ? pick(["最新年度（按各企业所在区）", "the latest annual edition (per company's district)"]) : done.policyYear;
  const out = [];
  if (year) out.push(lang === "zh" ? `按${done.policyYear === "latest" ? year : ` ${year} 年度`}的政策匹配。` : `Matched for ${done.policyYear === "latest" ? year : `policy year ${year}`}.`);
  if (v.repeated_ids > 0) {
    out.push(lang === "zh"
      ? `${count(v.repeated_ids)} 行的企业代码与前面某行相同：两行都已匹配，都计入汇总（见 results.problems.csv）。`
      : `${count(v.repeated_ids)} rows repeat an earlier row's company id: both were matched and both are counted in the totals (see results.problems.csv).`);
  }
  if (v.no_policy_year > 0) {
    out.push(lang === "zh"
      ? `${count(v.no_policy_year)} 家企业所在区在 ${done.asOf} 及之前没有年度政策，按当日有效的政策匹配（见 results.problems.csv）。`
      : `${count(v.no_policy_year)} companies have no annual edition for their district on or before ${done.asOf}: matched against what is in force on the day (see results.problems.csv).`);
  }
  if (closed > 0) {
    out.push(lang === "zh"
      ? `${count(closed)} 项可申请结果的申报已截止（合计 ${yuan(total.closed_amount)} 元），未计入金额。`
      : `${count(closed)} eligible results have closed applications (${yuan(total.closed_amount)} 元 in all), not in the amounts.`);
  }
  return out;
}

function renderDone() {
  const done = state.done;
  $("done").hidden = !done;
  if (!done) return;
  const v = done.view;
  $("counts").textContent = lang === "zh"
    ? `${count(v.companies)} 家企业，${count(v.with_eligible)} 家有可申请项目，${count(v.records)} 行结果，${count(v.bad_cells)} 个单元格有误；${done.seconds.toFixed(1)} 秒（每秒 ${count(Math.round(v.companies / Math.max(done.seconds, 0.001)))} 家）。` +
      (v.undecided > 0 ? `另有 ${count(v.undecided)} 项“待回答”结果未写出：它们所需的信息本表没有对应列（对每家企业都一样，已计入汇总）。` : "")
    : `${count(v.companies)} companies, ${count(v.with_eligible)} with an eligible benefit, ${count(v.records)} result rows, ${count(v.bad_cells)} bad cells; ${done.seconds.toFixed(1)} s (${count(Math.round(v.companies / Math.max(done.seconds, 0.001)))} companies/s).` +
      (v.undecided > 0 ? ` ${count(v.undecided)} needs-answers results not written: they need facts this register has no column for (the same for every company; counted in the summary).` : "");
  $("notes").replaceChildren(...notes(v, done).map((n) => Object.assign(document.createElement("li"), { textContent: n })));
  // The closed-window columns only when some benefit has a closed window.
  const anyClosed = v.rows.some((r) => Number(r.fields.closed_companies) > 0);
  for (const id of ["summary", "needs-table"]) $(id).classList.toggle("no-closed", !anyClosed);
  $("dl-problems").hidden = !done.problems;
  // Benefits some company is eligible for, the caps and the total first; those where
  // companies only need answers fold below (often most of them on a sparse register).
  const paid = (r) => Number(r.fields.eligible_companies) > 0 || Number(r.fields.closed_companies) > 0 || !r.fields.level || r.fields.benefit.startsWith("cap:");
  $("summary").tBodies[0].replaceChildren(...v.rows.filter(paid).map(row));
  const rest = v.rows.filter((r) => !paid(r));
  $("needs-only").hidden = rest.length === 0;
  $("needs-only-summary").textContent = lang === "zh"
    ? `另有 ${rest.length} 项：没有企业已可申请，只有待补充信息的企业`
    : `${rest.length} more benefits: no company is eligible yet, some need answers`;
  $("needs-table").tBodies[0].replaceChildren(...rest.map(row));
}

function row(r) {
  const f = r.fields;
  const tr = document.createElement("tr");
  if (f.benefit === "total") tr.className = "total";
  const name = document.createElement("td");
  name.append(r.name[lang]);
  if (f.benefit !== "total") name.append(Object.assign(document.createElement("small"), { textContent: `${f.benefit} · ${f.document} ${f.article}` }));
  const cell = (text, numeric = true) => Object.assign(document.createElement("td"), { textContent: text, className: numeric ? "n" : "" });
  tr.append(
    name,
    cell(f.level ? pick(LEVELS[f.level]) : "", false),
    cell(count(f.eligible_companies)),
    cell(yuan(f.amount)),
    cell(`${yuan(f.province_pays)} / ${yuan(f.city_pays)} / ${yuan(f.district_pays)}`),
    cell(count(f.case_by_case)),
    cell(count(f.needs_answers_companies)),
    cell(yuan(f.needs_answers_max)),
    Object.assign(cell(count(f.closed_companies)), { className: "n closed" }),
    Object.assign(cell(yuan(f.closed_amount)), { className: "n closed" }),
  );
  return tr;
}

const setLang = (l) => () => {
  lang = l;
  localStorage.setItem("huiqi-register-lang", l);
  render();
};
$("lang-zh").addEventListener("click", setLang("zh"));
$("lang-en").addEventListener("click", setLang("en"));

// Today in Hangzhou, as the app's default day.
$("as-of").value = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(new Date());

const choose = (file) => {
  registerFile = file ?? null;
  $("run").disabled = !registerFile;
  render();
};
$("register-file").addEventListener("change", (e) => choose(e.target.files[0]));
const drop = $("drop");
drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (e) => {
  e.preventDefault();
  drop.classList.remove("over");
  if (e.dataTransfer.files.length) choose(e.dataTransfer.files[0]);
});

// The worker answers the year list and runs; one handler for both.
let onRun = null;
function ensureWorker() {
  if (worker) return worker;
  worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
  worker.onmessage = ({ data }) => {
    if (data.type === "years") {
      if (data.asOf !== $("as-of").value) return;
      years = data.years;
      renderYears();
    } else onRun?.(data);
  };
  worker.onerror = (event) => {
    state.error = { zh: `计算出错：${event.message}`, en: `the matching failed: ${event.message}` };
    state.progress = null;
    finish();
    render();
  };
  return worker;
}
const askYears = () => ensureWorker().postMessage({ type: "years", asOf: $("as-of").value });
$("as-of").addEventListener("input", askYears);
$("as-of").addEventListener("change", askYears);

function finish() {
  $("run").disabled = !registerFile;
  $("cancel").hidden = true;
}

$("form").addEventListener("submit", async (e) => {
  e.preventDefault();
  if (!registerFile) return;
  for (const url of urls) URL.revokeObjectURL(url);
  urls = [];
  Object.assign(state, { notices: null, error: null, done: null, progress: { bytes: 0, size: registerFile.size, companies: 0, badCells: 0 } });
  render();
  const mapFile = $("map-file").files[0];
  const map = mapFile ? await mapFile.text() : null;
  const run = { asOf: $("as-of").value, policyYear: $("policy-year").value };
  ensureWorker();
  $("run").disabled = true;
  $("cancel").hidden = false;
  onRun = (data) => {
    if (data.type === "notices") state.notices = data.notices;
    if (data.type === "progress") state.progress = data;
    if (data.type === "error") {
      state.error = data.message;
      state.progress = null;
      finish();
    }
    if (data.type === "done") {
      state.progress = null;
      // For the benchmark (benches/browser/bench.js): the worker's time for the run.
      Object.assign(document.body.dataset, { seconds: String(data.seconds), companies: String(data.view.companies) });
      state.done = { ...data, ...run };
      for (const [id, blob] of [["dl-results", data.results], ["dl-summary", data.summary], ["dl-problems", data.problems]]) {
        if (!blob) continue;
        const url = URL.createObjectURL(blob);
        urls.push(url);
        $(id).href = url;
      }
      finish();
    }
    render();
  };
  worker.postMessage({ type: "run", file: registerFile, map, ...run, lang });
});

$("cancel").addEventListener("click", () => {
  worker?.terminate();
  worker = null;
  state.progress = { ...state.progress, cancelled: true };
  finish();
  render();
});

render();
askYears();

// Offline after one visit: the app's service worker (one folder up) precaches the app and
// rules.json; this page's own files are not in its precache (a questionnaire visitor does
// not need them), so they are fetched once more when it controls the page, and it keeps them.
if ("serviceWorker" in navigator) {
  (async () => {
    await navigator.serviceWorker.register("../sw.js");
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) => navigator.serviceWorker.addEventListener("controllerchange", resolve, { once: true }));
    }
    const own = ["./", "./index.html", "./register.css", "./register.js", "./worker.js", "./huiqi_register.js", "./huiqi_register_bg.wasm"];
    await Promise.all(own.map((f) => fetch(f).then((r) => r.arrayBuffer())));
    document.body.dataset.offline = "ready";
  })().catch((error) => console.warn("Huiqi: offline copy unavailable:", error));
}
