// Trunk post_build hook: finishes the static folder in $TRUNK_STAGING_DIR so it can be
// copied anywhere (a portal's sub-path, a USB stick) and run offline under a strict CSP.
//
//  1. engine/     the engine-only build (JS API, no Yew, no rules inside) with huiqi.js,
//                 whose start() loads it with ../rules.json, and TypeScript declarations
//  2. rules.json  the very bundle compiled into the app (and whose hash is in the engine),
//                 with rules.json.sha256
//  3. index.html  Trunk's inline start script moved to a file (CSP: no inline script),
//                 a Content-Security-Policy, and SRI on everything it loads
//  4. huiqi-element.js   <huiqi-calculator>, pointing at this build's hashed files
//  5. embed/      the example host page
//  6. studio/     the rule studio: its own wasm (feature `studio`), CodeMirror bundled by
//                 esbuild, and the rule sources it opens
//  7. register/   the register page: its own wasm (feature `register`), run in a worker
//  8. sw.js       a service worker precaching every file above, named from this build
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) throw new Error("post-build.mjs runs as a Trunk hook: TRUNK_STAGING_DIR is not set");

export const CSP = [
  "default-src 'self'",
  // WebAssembly compilation needs 'wasm-unsafe-eval'; JavaScript eval stays forbidden.
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "frame-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");

const sri = (bytes) => "sha384-" + createHash("sha384").update(bytes).digest("base64");
const sha256 = (bytes) => createHash("sha256").update(bytes).digest("hex");
const read = (name) => fs.readFileSync(path.join(staging, name));
const write = (name, content) => {
  fs.mkdirSync(path.dirname(path.join(staging, name)), { recursive: true });
  fs.writeFileSync(path.join(staging, name), content);
};
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: ["ignore", "pipe", "inherit"], encoding: "utf8", maxBuffer: 64 << 20 });

// 1. The engine-only build: the library with the `api` feature as a cdylib, no Yew.
const messages = run("cargo", [
  "rustc", "--lib", "--crate-type", "cdylib", "--profile", "wasm-release", "--locked", "--offline",
  "--target", "wasm32-unknown-unknown", "--no-default-features", "--features", "api",
  "--message-format", "json-render-diagnostics",
]).split("\n").filter((line) => line.startsWith("{")).map((line) => JSON.parse(line));
const ours = (m) => /#huiqi@/.test(m.package_id ?? "");
const engineWasm = messages
  .find((m) => m.reason === "compiler-artifact" && ours(m) && m.target.kind.includes("cdylib"))
  ?.filenames.find((f) => f.endsWith(".wasm"));
const outDir = messages.find((m) => m.reason === "build-script-executed" && ours(m))?.out_dir;
if (!engineWasm || !outDir) throw new Error("could not find the engine build's wasm or its OUT_DIR in cargo's messages");
fs.rmSync(path.join(staging, "engine"), { recursive: true, force: true });
run("wasm-bindgen", ["--target", "web", "--out-dir", path.join(staging, "engine"), "--out-name", "huiqi_engine", engineWasm]);
const engineBg = path.join(staging, "engine", "huiqi_engine_bg.wasm");
run("wasm-opt", ["-Oz", engineBg, "-o", engineBg]);
fs.rmSync(path.join(staging, "engine", "huiqi_engine_bg.wasm.d.ts"), { force: true });
// huiqi.js: start() loads the wasm and the rules.json beside it (the wasm has no rules inside).
for (const name of ["huiqi.js", "huiqi.d.ts"]) fs.copyFileSync(path.join(root, "www/engine", name), path.join(staging, "engine", name));
// So Node reads the files as the ES modules they are.
write("engine/package.json", JSON.stringify({ type: "module", types: "huiqi.d.ts", main: "huiqi.js" }, null, 2) + "\n");

// 2. The rule bundle as a file: the same bytes include_str! embedded, checked by hash.
const bundle = fs.readFileSync(path.join(outDir, "bundle.json"));
const bundleHash = fs.readFileSync(path.join(outDir, "bundle.sha256"), "utf8").trim();
if (sha256(bundle) !== bundleHash) throw new Error(`rules.json hash mismatch: ${sha256(bundle)} vs ${bundleHash}`);
write("rules.json", bundle);
write("rules.json.sha256", `${bundleHash}  rules.json\n`);

// 3. index.html: no inline script, a CSP, SRI on the start script and the wasm fetch.
let html = read("index.html").toString();
const inline = html.match(/<script type="module">([\s\S]*?)<\/script>/);
if (!inline) throw new Error("index.html: Trunk's start script was not found");
const appJs = inline[1].match(/from '\.\/([^']+\.js)'/)?.[1];
const appWasm = inline[1].match(/module_or_path: '\.\/([^']+\.wasm)'/)?.[1];
const appCss = html.match(/href="\.\/(style-[^"]+\.css)"/)?.[1];
if (!appJs || !appWasm || !appCss) throw new Error("index.html: could not find the app's js, wasm and css names");
const wasmIntegrity = sri(read(appWasm));
const start = `// Starts the Huiqi app. Written by www/build/post-build.mjs (a file, not inline, for the CSP).
import init, * as bindings from "./${appJs}";
const wasm = await init({
  module_or_path: fetch(new URL("./${appWasm}", import.meta.url), { integrity: "${wasmIntegrity}" }),
});
window.wasmBindings = bindings;
dispatchEvent(new CustomEvent("TrunkApplicationStarted", { detail: { wasm } }));
// Offline after one visit (exhibitions): every built file is precached by sw.js.
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("./sw.js").catch((error) => console.warn("Huiqi: offline copy unavailable:", error));
}
`;
const startName = `huiqi-start-${sha256(start).slice(0, 16)}.js`;
write(startName, start);
html = html.replace(inline[0], `<script type="module" src="./${startName}" integrity="${sri(start)}" crossorigin="anonymous"></script>`);
html = html.replace('<meta charset="utf-8" />', `<meta charset="utf-8" />\n    <meta http-equiv="Content-Security-Policy" content="${CSP}" />`);
if (/<script(?![^>]*\bsrc=)[^>]*>/.test(html)) throw new Error("index.html still has an inline script");
write("index.html", html);

// 4. The custom element, bound to this build's file names.
const element = fs.readFileSync(path.join(root, "www/huiqi-element.js"), "utf8")
  .replaceAll("__APP_JS__", appJs)
  .replaceAll("__APP_WASM__", appWasm)
  .replaceAll("__WASM_INTEGRITY__", wasmIntegrity)
  .replaceAll("__APP_CSS__", appCss)
  .replaceAll("__CSS_INTEGRITY__", sri(read(appCss)));
write("huiqi-element.js", element);

// 5. The example host page, as it is.
fs.cpSync(path.join(root, "www/embed"), path.join(staging, "embed"), { recursive: true });

// 6. The rule studio, with its own wasm so the questionnaire app does not grow.
const studioMessages = run("cargo", [
  "rustc", "--lib", "--crate-type", "cdylib", "--profile", "wasm-release", "--locked", "--offline",
  "--target", "wasm32-unknown-unknown", "--no-default-features", "--features", "studio",
  "--message-format", "json-render-diagnostics",
]).split("\n").filter((line) => line.startsWith("{")).map((line) => JSON.parse(line));
const studioWasm = studioMessages
  .find((m) => m.reason === "compiler-artifact" && ours(m) && m.target.kind.includes("cdylib"))
  ?.filenames.find((f) => f.endsWith(".wasm"));
if (!studioWasm) throw new Error("could not find the studio build's wasm in cargo's messages");
fs.rmSync(path.join(staging, "studio"), { recursive: true, force: true });
run("wasm-bindgen", ["--target", "web", "--out-dir", path.join(staging, "studio"), "--out-name", "huiqi_studio", studioWasm]);
const studioBg = path.join(staging, "studio", "huiqi_studio_bg.wasm");
run("wasm-opt", ["-Oz", studioBg, "-o", studioBg]);
for (const name of ["huiqi_studio_bg.wasm.d.ts", "huiqi_studio.d.ts"]) fs.rmSync(path.join(staging, "studio", name), { force: true });
// The editor (CodeMirror 6 from npm) and the page's script as one ES module: no eval.
run(path.join(root, "node_modules/.bin/esbuild"), [
  path.join(root, "www/studio/studio.src.js"), "--bundle", "--format=esm", "--minify",
  "--external:./huiqi_studio.js", `--outfile=${path.join(staging, "studio", "studio.js")}`, "--log-level=warning",
]);
for (const name of ["index.html", "studio.css"]) {
  let text = fs.readFileSync(path.join(root, "www/studio", name), "utf8");
  if (name === "index.html") {
    text = text.replace('<meta charset="utf-8" />', `<meta charset="utf-8" />\n    <meta http-equiv="Content-Security-Policy" content="${CSP}" />`);
    // The preview shows the app's own result cards: with the app's stylesheet.
    text = text.replace("__APP_CSS__", `../${appCss}`);
    if (/<script(?![^>]*\bsrc=)[^>]*>/.test(text)) throw new Error("studio/index.html has an inline script");
  }
  write(`studio/${name}`, text);
}
// The rule sources the studio opens: rules/*.toml and rules/facts/*.toml, with a list.
const ruleNames = [
  ...fs.readdirSync(path.join(root, "rules")).filter((n) => n.endsWith(".toml")),
  ...fs.readdirSync(path.join(root, "rules/facts")).filter((n) => n.endsWith(".toml")).map((n) => `facts/${n}`),
].sort();
for (const name of ruleNames) write(`studio/rules/${name}`, fs.readFileSync(path.join(root, "rules", name)));
write("studio/rules/files.json", JSON.stringify(ruleNames));

// 7. The register page, with its own wasm (run in a Web Worker) that reads ../rules.json.
const registerMessages = run("cargo", [
  "rustc", "--lib", "--crate-type", "cdylib", "--profile", "wasm-release", "--locked", "--offline",
  "--target", "wasm32-unknown-unknown", "--no-default-features", "--features", "register",
  "--message-format", "json-render-diagnostics",
]).split("\n").filter((line) => line.startsWith("{")).map((line) => JSON.parse(line));
const registerWasm = registerMessages
  .find((m) => m.reason === "compiler-artifact" && ours(m) && m.target.kind.includes("cdylib"))
  ?.filenames.find((f) => f.endsWith(".wasm"));
if (!registerWasm) throw new Error("could not find the register build's wasm in cargo's messages");
fs.rmSync(path.join(staging, "register"), { recursive: true, force: true });
run("wasm-bindgen", ["--target", "web", "--out-dir", path.join(staging, "register"), "--out-name", "huiqi_register", registerWasm]);
const registerBg = path.join(staging, "register", "huiqi_register_bg.wasm");
run("wasm-opt", ["-Oz", registerBg, "-o", registerBg]);
for (const name of ["huiqi_register_bg.wasm.d.ts", "huiqi_register.d.ts"]) fs.rmSync(path.join(staging, "register", name), { force: true });
for (const name of ["index.html", "register.css", "register.js", "worker.js"]) {
  let text = fs.readFileSync(path.join(root, "www/register", name), "utf8");
  if (name === "index.html") {
    text = text.replace('<meta charset="utf-8" />', `<meta charset="utf-8" />\n    <meta http-equiv="Content-Security-Policy" content="${CSP}" />`);
    if (/<script(?![^>]*\bsrc=)[^>]*>/.test(text)) throw new Error("register/index.html has an inline script");
  }
  write(`register/${name}`, text);
}

// 8. The service worker, last, so it lists every file.
const files = [];
const walk = (dir) => {
  for (const entry of fs.readdirSync(path.join(staging, dir), { withFileTypes: true })) {
    const name = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) walk(name);
    else if (name !== "sw.js") files.push(name);
  }
};
walk("");
files.sort();
// The version covers every file; the precache leaves the studio and the register page out
// (sw.js keeps what a visit to them fetches), so a questionnaire visitor does not
// download them.
const version = sha256(files.map((f) => `${f} ${sha256(read(f))}`).join("\n")).slice(0, 16);
const precache = files.filter((f) => !f.startsWith("studio/") && !f.startsWith("register/"));
const worker = fs.readFileSync(path.join(root, "www/sw.js"), "utf8")
  .replace("__VERSION__", version)
  .replace("__PRECACHE__", JSON.stringify(["./", ...precache.map((f) => `./${f}`)], null, 2));
write("sw.js", worker);
console.log(`post-build: engine, rules.json (${bundleHash.slice(0, 12)}), ${startName}, huiqi-element.js, embed/, studio/, register/, sw.js (${files.length} files, version ${version})`);
