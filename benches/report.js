// Every performance figure of the project in one table, against its budget:
//   node benches/report.js            native criterion run + browser run + sizes (~5 min)
//   node benches/report.js --no-native  skip `cargo bench` (uses its last results, if any)
// Needs the release build in dist/ (`trunk build --release`, or `bash .ci/test`).
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const { browserBenchmarks } = require('./browser/bench.js');

const root = path.join(__dirname, '..');
const dist = path.join(root, 'dist');
const rows = [];
const row = (what, value, budget, ok) => rows.push({ what, value, budget, ok: ok === undefined ? '' : ok ? 'yes' : 'NO' });
const us = (ms) => `${(ms * 1000).toFixed(0)} µs`;
const ms = (x) => `${x.toFixed(1)} ms`;
const kb = (bytes) => `${(bytes / 1024).toFixed(0)} KB`;

function native() {
  if (!process.argv.includes('--no-native')) {
    execFileSync('cargo', ['bench', '--locked', '--bench', 'evaluate', '--', '--noplot'], { cwd: root, stdio: 'inherit' });
  }
  const median = (name) => {
    const file = path.join(root, 'target/criterion', name, 'new/estimates.json');
    return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')).median.point_estimate / 1e6 : null; // ms
  };
  for (const [name, label, budget] of [
    ['evaluate full bundle, full profile', 'native: evaluate, full profile (criterion median)', 0.05],
    ['evaluate full bundle, empty profile', 'native: evaluate, empty profile (criterion median)', 0.05],
    ['load embedded bundle', 'native: load and validate the bundle (criterion median)', 5],
  ]) {
    const m = median(name);
    if (m === null) row(label, 'not run', budget < 1 ? us(budget) : ms(budget));
    else row(label, m < 1 ? us(m) : ms(m), budget < 1 ? us(budget) : ms(budget), m <= budget);
  }
}

function sizes() {
  const gz = (file) => zlib.gzipSync(fs.readFileSync(path.join(dist, file)), { level: 9 }).length;
  const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
  const loaded = [...html.matchAll(/(?:src|href)="\.\/([^"]+)"/g)].map((m) => m[1]);
  const app = ['index.html', ...new Set(loaded)];
  const appBytes = app.reduce((n, f) => n + gz(f), 0);
  const wasm = app.find((f) => f.endsWith('.wasm'));
  row(`size: the app, gzip -9 (${app.length} files; rules inside the wasm)`, kb(appBytes), '300 KB', appBytes <= 300 * 1024);
  row('  of which the app wasm', `${kb(gz(wasm))} (raw ${kb(fs.statSync(path.join(dist, wasm)).size)})`, '');
  row('  the rule bundle alone (rules.json, for comparison)', kb(gz('rules.json')), '');
  const engine = ['engine/huiqi.js', 'engine/huiqi_engine.js', 'engine/huiqi_engine_bg.wasm', ...fs.readdirSync(path.join(dist, 'engine/snippets'), { recursive: true })
    .map((f) => `engine/snippets/${f}`).filter((f) => f.endsWith('.js'))];
  const engineBytes = engine.reduce((n, f) => n + gz(f), 0);
  row('size: the engine-only build, gzip -9 (js + wasm; no rules inside)', kb(engineBytes), '150 KB', engineBytes <= 150 * 1024);
  row('  with the rules.json it loads', kb(engineBytes + gz('rules.json')), '');
  const studio = fs.readdirSync(path.join(dist, 'studio'), { recursive: true }).map((f) => `studio/${f}`)
    .filter((f) => fs.statSync(path.join(dist, f)).isFile());
  const studioCode = studio.filter((f) => !f.startsWith('studio/rules/'));
  const studioBytes = studioCode.reduce((n, f) => n + gz(f), 0);
  row(`size: the rule studio, gzip -9 (${studioCode.length} files: page, editor, its own wasm)`, kb(studioBytes), '(report)');
  row('  of which the studio wasm', `${kb(gz('studio/huiqi_studio_bg.wasm'))} (raw ${kb(fs.statSync(path.join(dist, 'studio/huiqi_studio_bg.wasm')).size)})`, '');
  row('  of which the editor (CodeMirror) and page script', kb(gz('studio/studio.js')), '');
  const register = ['register/index.html', 'register/register.css', 'register/register.js', 'register/worker.js', 'register/huiqi_register.js', 'register/huiqi_register_bg.wasm'];
  const registerBytes = register.reduce((n, f) => n + gz(f), 0);
  row(`size: the register page, gzip -9 (${register.length} files: page, worker, its own wasm; no rules inside)`, kb(registerBytes), '(report)');
  row('  of which the register wasm', `${kb(gz('register/huiqi_register_bg.wasm'))} (raw ${kb(fs.statSync(path.join(dist, 'register/huiqi_register_bg.wasm')).size)})`, '');
  row('  with the rules.json it loads', kb(registerBytes + gz('rules.json')), '');
  row('  plus the rule sources it opens (studio/rules/)', kb(studio.filter((f) => f.startsWith('studio/rules/')).reduce((n, f) => n + gz(f), 0)), '');
}

(async () => {
  native();
  const b = await browserBenchmarks();
  const w = b.wasm;
  const e = b.evaluation;
  const note = `${w.inForce} benefits in force on ${w.asOf}`;
  row(`browser: evaluation in wasm, full profile, median of 1000 runs (${note})`, us(w.full.median / 1000), '250 µs', w.full.median <= 250);
  row('browser: evaluation in wasm, empty profile, median of 1000 runs', us(w.empty.median / 1000), '250 µs', w.empty.median <= 250);
  row('browser: JS API summary(), full profile: answers in from JS, numbers out', us(e.full.median / 1000), '(report)');
  row('browser: JS API summary(), empty profile', us(e.empty.median / 1000), '(report)');
  row('browser: evaluate() full report in words, full profile, 1000 runs', ms(e.reportFull.median / 1000), '');
  row('browser: evaluate() full report in words, empty profile, 1000 runs', ms(e.reportEmpty.median / 1000), '');
  row('browser: page load to interactive questionnaire, median of 10', ms(b.load.median), '800 ms', b.load.median <= 800);
  row('browser: the same with 4× CPU throttling', ms(b.loadThrottled.median), '(report)');
  row('browser: answer change to results in the DOM, p95 of 200', ms(b.answer.dom.p95), '16 ms', b.answer.dom.p95 <= 16);
  row('browser: answer change to the next painted frame, p95', ms(b.answer.painted.p95), '(report)');
  row('browser: rule studio, page load to ready (files fetched, bundle checked, cases run), median', ms(b.studio.load.median), '(report)');
  row('browser: rule studio, check of the whole bundle in wasm (compile + load + validate), median', ms(b.studio.check.median), '(report)');
  const r = b.register;
  const perSecond = (t) => `${Math.round(r.companies / (t / 1000)).toLocaleString('en-US')} companies/s`;
  row(`browser: register page, ${r.companies.toLocaleString('en-US')} generated companies (${kb(r.bytes)}) in its worker, median of ${r.worker.runs}`,
    `${(r.worker.median / 1000).toFixed(1)} s (${perSecond(r.worker.median)})`, '(report)');
  row('  the same from the click to the results on the page', `${(r.page.median / 1000).toFixed(1)} s`, '');
  sizes();

  const width = (k) => Math.max(k.length, ...rows.map((r) => String(r[k]).length));
  const cols = ['what', 'value', 'budget', 'ok'];
  const line = (r) => '| ' + cols.map((k) => String(r[k]).padEnd(width(k))).join(' | ') + ' |';
  console.log(line({ what: 'what', value: 'measured', budget: 'budget', ok: 'within' }));
  console.log('|' + cols.map((k) => '-'.repeat(width(k) + 2)).join('|') + '|');
  rows.forEach((r) => console.log(line(r)));
})();
