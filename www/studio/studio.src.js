// The rule studio: edit rules/*.toml, see errors at their lines as you type, run the rule
// cases, preview a profile, compare with the published rules, and publish rules.json.
// Bundled by esbuild (www/build/post-build.mjs) into studio.js: no inline script, no eval.
import { EditorView, basicSetup } from "codemirror";
import { EditorState } from "@codemirror/state";
import { StreamLanguage } from "@codemirror/language";
import { toml } from "@codemirror/legacy-modes/mode/toml";
import { setDiagnostics, lintGutter } from "@codemirror/lint";
import init, { checkRules, runCases, previewCards, changeLog, caseDiff, policyText, documents } from "./huiqi_studio.js";

const $ = (id) => document.getElementById(id);
// The compiler's limit (src/compile.rs MAX_FILE_BYTES).
const MAX_FILE_BYTES = 1 << 20;
const files = new Map(); // "rules/x.toml" → text
// The opened folder (File System Access API): its name and each file's handle, so Save
// writes the file back where it came from. Empty when the files came otherwise.
const handles = new Map(); // "rules/x.toml" → FileSystemFileHandle
let folderName = "";
let current = null;
let lastCheck = null;
let view = null;

const el = (tag, props = {}, ...children) => {
  const e = document.createElement(tag);
  Object.assign(e, props);
  e.append(...children);
  return e;
};
const status = (zh, en) => $("status").replaceChildren(zh + " ", el("span", { lang: "en", textContent: en }));

function download(name, text, type = "application/json") {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = el("a", { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function listFiles() {
  const filter = $("file-filter").value.trim();
  const bad = new Set((lastCheck?.errors ?? []).map((e) => e.file));
  $("files").replaceChildren(
    ...[...files.keys()].sort().filter((n) => n.includes(filter)).map((name) => {
      const b = el("button", { type: "button", textContent: name.replace(/^rules\//, "") });
      b.setAttribute("aria-current", String(name === current));
      b.addEventListener("click", () => openFile(name));
      return el("li", { className: bad.has(name) ? "bad" : "" }, b);
    }),
  );
}

function openFile(name, line = 0) {
  current = name;
  $("file-name").textContent = name;
  view.setState(EditorState.create({ doc: files.get(name), extensions: extensions() }));
  showDiagnostics();
  listFiles();
  if (line > 0) {
    const pos = view.state.doc.line(Math.min(line, view.state.doc.lines)).from;
    view.dispatch({ selection: { anchor: pos }, scrollIntoView: true });
    view.focus();
  }
}

let timer = 0;
function extensions() {
  return [
    basicSetup,
    EditorView.theme({ "&": { height: "72vh", border: "1px solid #d0d5dc", fontSize: "0.9em" }, ".cm-scroller": { overflow: "auto" } }),
    StreamLanguage.define(toml),
    lintGutter(),
    EditorView.updateListener.of((u) => {
      if (!u.docChanged) return;
      files.set(current, u.state.doc.toString());
      // Checked a moment after typing stops: the whole bundle is compiled each time.
      clearTimeout(timer);
      timer = setTimeout(check, 300);
    }),
  ];
}

function showDiagnostics() {
  const doc = view.state.doc;
  const diagnostics = (lastCheck?.errors ?? []).filter((e) => e.file === current).map((e) => {
    const line = doc.line(Math.max(1, Math.min(e.line || 1, doc.lines)));
    const from = Math.min(line.from + Math.max(0, (e.column || 1) - 1), line.to);
    const message = `${e.item ? e.item + ": " : ""}${e.message.zh} — ${e.fix.zh}\n${e.message.en} — ${e.fix.en}`;
    return { from, to: Math.max(from, line.to), severity: "error", message };
  });
  view.dispatch(setDiagnostics(view.state, diagnostics));
}

function check() {
  const started = performance.now();
  const input = JSON.stringify([...files].map(([name, text]) => ({ name, text })));
  lastCheck = JSON.parse(checkRules(input));
  const ms = Math.round(performance.now() - started);
  document.body.dataset.checkMs = String(ms);
  showDiagnostics();
  listFiles();
  $("publish").disabled = !lastCheck.ok;
  $("download-log").disabled = !lastCheck.ok;
  if (lastCheck.ok) {
    $("check-summary").className = "ok";
    $("check-summary").textContent =
      `通过：${lastCheck.documents} 个文件、${lastCheck.benefits} 项优惠（${ms} 毫秒） / OK: ${lastCheck.documents} documents, ${lastCheck.benefits} benefits (${ms} ms)`;
    $("errors").replaceChildren();
    showCases();
    compare();
    listDocuments();
    // The cards follow the edit once a profile has been previewed.
    if (previewShown) showPreview();
  } else {
    $("check-summary").className = "bad";
    $("check-summary").textContent = `${lastCheck.errors.length} 处错误 / ${lastCheck.errors.length} error(s)`;
    $("errors").replaceChildren(
      ...lastCheck.errors.map((e) => {
        const where = el("button", { type: "button", textContent: `${e.file}:${e.line}:${e.column}` });
        where.addEventListener("click", () => files.has(e.file) && openFile(e.file, e.line));
        return el("li", {}, where, ` ${e.item} ${e.message.zh} — ${e.fix.zh}`, el("br"),
          el("span", { lang: "en", textContent: `${e.message.en} — ${e.fix.en}` }));
      }),
    );
  }
}

function showCases() {
  const run = JSON.parse(runCases());
  if (!run.ok) return;
  $("cases-summary").className = run.failed ? "bad" : "ok";
  $("cases-summary").textContent = `${run.passed} 通过，${run.failed} 未通过 / ${run.passed} passed, ${run.failed} failed`;
  // Failures first, then the passing ones.
  const sorted = [...run.results].sort((a, b) => a.passed - b.passed);
  $("cases").replaceChildren(
    ...sorted.map((r) => el("li", { className: r.passed ? "ok" : "bad" },
      `${r.passed ? "✓" : "✗"} ${r.name} (${r.file})`,
      ...r.problems.map((p) => el("div", { textContent: p })))),
  );
}

let published = "";
function compare() {
  const log = JSON.parse(changeLog(published));
  $("change-log").textContent = log.ok ? log.text : log.errors[0].message.zh;
  const diff = JSON.parse(caseDiff(published));
  $("case-diff").replaceChildren(
    ...(diff.changes ?? []).map((c) => el("li", { textContent: `${c.case}: ${c.benefit} ${c.before} → ${c.after}` })),
  );
}

function listDocuments() {
  const select = $("text-document");
  const chosen = select.value;
  const docs = JSON.parse(documents());
  select.replaceChildren(...docs.map((d) => el("option", { value: d.id, textContent: `${d.id} ${d.title}` })));
  if (docs.some((d) => d.id === chosen)) select.value = chosen;
}

const STATES = { encoded: "已编码 encoded", left_out: "有意未编码 left out", neither: "未处理 neither" };
function checkText(event) {
  event?.preventDefault();
  const r = JSON.parse(policyText($("text-document").value, $("policy-text").value));
  if (!r.ok) {
    $("text-summary").textContent = `${r.errors[0].message.zh} / ${r.errors[0].message.en}`;
    return;
  }
  const missing = r.quotes.filter((q) => !q.found);
  const count = (state) => r.paragraphs.filter((p) => p.state === state).length;
  $("text-summary").className = missing.length ? "bad" : "ok";
  $("text-summary").textContent =
    `${r.quotes.length - missing.length}/${r.quotes.length} 处引文在原文中逐字找到；段落：${count("encoded")} 已编码，${count("left_out")} 有意未编码，${count("neither")} 未处理 / ` +
    `${r.quotes.length - missing.length} of ${r.quotes.length} quotes found verbatim; paragraphs: ${count("encoded")} encoded, ${count("left_out")} left out, ${count("neither")} neither`;
  $("quotes").replaceChildren(...missing.map((q) => el("li", { className: "bad", textContent: `未找到 not found: ${q.item}` })));
  $("paragraphs").replaceChildren(
    ...r.paragraphs.map((p) => el("li", { className: p.state, title: p.items.join(", ") }, `${p.line}: [${STATES[p.state]}] ${p.text}`)),
  );
}

// The preview is the questionnaire's own results (its Yew `Results` and `BenefitCard`
// components, compiled into the studio's wasm) in a shadow root with the app's stylesheet,
// as <huiqi-calculator> shows them.
let previewRoot = null;
let previewShown = false;
function previewMount() {
  if (previewRoot) return previewRoot;
  const shadow = $("preview").attachShadow({ mode: "open" });
  const css = document.querySelector('meta[name="huiqi-app-css"]')?.content;
  if (css && !css.startsWith("__")) shadow.append(el("link", { rel: "stylesheet", href: new URL(css, location.href).href }));
  previewRoot = el("div", { className: "huiqi-root" });
  shadow.append(previewRoot);
  return previewRoot;
}

function showPreview(event) {
  event?.preventDefault();
  $("preview-error").textContent = "";
  const r = JSON.parse(previewCards(previewMount(), $("profile").value, $("as-of").value, $("policy-year").value, $("preview-lang").value));
  if (!r.ok) {
    $("preview-error").textContent = `${r.errors[0].message.zh} / ${r.errors[0].message.en}`;
    return;
  }
  previewShown = true;
}

// Save: back into the opened folder where the browser can (after a confirmation), else a
// download. The text stays in the editor whatever happens.
async function save() {
  const name = current;
  const text = files.get(name);
  const handle = handles.get(name);
  const saved = (zh, en) => $("save-status").replaceChildren(zh + " ", el("span", { lang: "en", textContent: en }));
  if (!handle || !("createWritable" in handle)) {
    download(name.split("/").pop(), text, "text/plain");
    saved(`已下载 ${name}`, `downloaded ${name}`);
    return;
  }
  const where = `${folderName}/${name.replace(/^rules\//, "")}`;
  if (!window.confirm(`把编辑后的文件写回打开的文件夹，覆盖“${where}”？\nWrite the edited file back into the opened folder, replacing “${where}”?`)) {
    saved("未保存（已取消）", "not saved (cancelled)");
    return;
  }
  try {
    if (handle.requestPermission && (await handle.queryPermission({ mode: "readwrite" })) !== "granted"
      && (await handle.requestPermission({ mode: "readwrite" })) !== "granted") {
      throw new Error("没有写入权限 / no permission to write");
    }
    const writable = await handle.createWritable();
    await writable.write(text);
    await writable.close();
    saved(`已保存到文件夹：${where}`, `saved into the folder: ${where}`);
  } catch (e) {
    saved(`无法写入文件夹（${e.message}），改为下载`, `could not write into the folder (${e.message}); downloaded instead`);
    download(name.split("/").pop(), text, "text/plain");
  }
}

async function openFolder(dir) {
  const read = new Map();
  const found = new Map();
  await readDirectory(dir, "rules/", read, found);
  if (read.size === 0) {
    status(`文件夹“${dir.name}”中没有 .toml 规则文件`, `the folder “${dir.name}” has no .toml rule files`);
    return;
  }
  files.clear();
  handles.clear();
  for (const [n, t] of read) files.set(n, t);
  for (const [n, h] of found) handles.set(n, h);
  folderName = dir.name;
  status(`已打开文件夹“${dir.name}”：${files.size} 个规则文件；“保存”写回此文件夹`, `opened the folder “${dir.name}”: ${files.size} rule files; Save writes back into it`);
  openFile([...files.keys()].sort().find((n) => !n.includes("facts/") && n !== "rules/bundle.toml" && !n.endsWith(".cases.toml")) ?? [...files.keys()].sort()[0]);
  check();
}

async function readDirectory(dir, prefix, read, found) {
  for await (const [name, handle] of dir.entries()) {
    if (handle.kind === "file" && name.endsWith(".toml")) {
      const file = await handle.getFile();
      // As with opened files: one far beyond the compiler's limit is left closed.
      if (file.size > MAX_FILE_BYTES) continue;
      read.set(prefix + name, await file.text());
      found.set(prefix + name, handle);
    } else if (handle.kind === "directory" && name === "facts" && prefix === "rules/") {
      await readDirectory(handle, "rules/facts/", read, found);
    }
  }
}

async function main() {
  await init({ module_or_path: new URL("./huiqi_studio_bg.wasm", import.meta.url) });
  // The published rules are the rules.json beside the app: the edit is compared with them.
  published = await (await fetch("../rules.json")).text();
  const names = await (await fetch("./rules/files.json")).json();
  await Promise.all(names.map(async (n) => files.set(`rules/${n}`, await (await fetch(`./rules/${n}`)).text())));
  // In a shadow root, CodeMirror's styles go into a constructed stylesheet; on the page
  // itself they would be a <style> element, which the CSP (style-src 'self') refuses.
  const shadow = $("editor").attachShadow({ mode: "open" });
  view = new EditorView({ parent: shadow, root: shadow });
  openFile([...files.keys()].sort().find((n) => !n.includes("facts") && n !== "rules/bundle.toml" && !n.endsWith(".cases.toml")));
  check();
  const loaded = Math.round(performance.now());
  document.body.dataset.loadMs = String(loaded);
  status(`已加载 ${files.size} 个规则文件（${loaded} 毫秒）`, `${files.size} rule files loaded (${loaded} ms)`);
  document.body.dataset.ready = "true";

  $("file-filter").addEventListener("input", listFiles);
  $("preview-form").addEventListener("submit", showPreview);
  $("text-form").addEventListener("submit", checkText);
  $("open-text").addEventListener("change", async (e) => {
    if (e.target.files[0]) $("policy-text").value = await e.target.files[0].text();
    checkText();
  });
  $("save-file").addEventListener("click", save);
  $("publish").addEventListener("click", () => {
    if (!lastCheck?.ok) return;
    download("rules.json", lastCheck.bundle);
    download("rules.json.sha256", `${lastCheck.sha256}  rules.json\n`, "text/plain");
  });
  $("download-log").addEventListener("click", () => download("CHANGES.txt", JSON.parse(changeLog(published)).text, "text/plain"));
  $("open-files").addEventListener("change", async (e) => {
    // Files chosen one by one replace the ones of the same name (facts/… cannot be told
    // apart by name alone, so a facts file keeps its place if one of that name exists).
    for (const f of e.target.files) {
      // A file far beyond any rule file (the compiler's limit is 1 MiB) is not opened at
      // all: the files being edited stay as they are.
      if (f.size > MAX_FILE_BYTES) {
        status(`“${f.name}”有 ${f.size} 字节，超过规则文件上限 ${MAX_FILE_BYTES} 字节，未打开`,
          `“${f.name}” has ${f.size} bytes, more than a rule file's limit of ${MAX_FILE_BYTES}: not opened`);
        continue;
      }
      const existing = [...files.keys()].find((n) => n.endsWith("/" + f.name));
      files.set(existing ?? `rules/${f.name}`, await f.text());
      // A file given by upload has no place to be written back to: Save downloads it.
      handles.delete(existing ?? `rules/${f.name}`);
    }
    openFile([...files.keys()].find((n) => n.endsWith("/" + e.target.files[0]?.name)) ?? current);
    e.target.value = "";
    check();
  });
  const folder = $("open-folder");
  if (!("showDirectoryPicker" in window)) folder.hidden = true;
  folder.addEventListener("click", async () => {
    let dir;
    try {
      dir = await window.showDirectoryPicker({ id: "huiqi-rules", mode: "readwrite" });
    } catch (e) {
      if (e.name !== "AbortError") status(`无法打开文件夹：${e.message}`, `could not open the folder: ${e.message}`);
      return;
    }
    await openFolder(dir);
  });
}

main().catch((e) => status("加载失败：" + e.message, "could not load: " + e.message));
