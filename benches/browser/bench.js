// The browser benchmarks of the release build (dist/), in headless Debian Chromium:
//   - evaluation in wasm: the engine alone, 1000 runs, full and empty profile, as criterion
//     times it natively (a build of the engine with the `bench-hooks` exports, same profile)
//   - the JS API (dist/engine): summary() and evaluate(), answers in and results out, 1000 runs
//   - page load to an interactive questionnaire, 10 fresh loads, without and with 4× CPU throttling
//   - an answer change to updated results, 200 changes
//   - the register page: a generated register of 100,000 companies matched in its worker
// Used by benches/report.js; `node benches/browser/bench.js` prints the raw JSON.
const { execFileSync } = require('child_process');
const http = require('http');
const os = require('os');
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

const root = path.join(__dirname, '../..');
const dist = path.join(root, 'dist');
// The engine build with the benchmark exports, served at /bench-engine/.
const benchEngine = path.join(os.tmpdir(), 'huiqi-bench-engine');
const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json' };
// Cross-origin isolation: performance.now() then has 5 µs resolution instead of 100 µs.
const ISOLATED = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
// A blank page on the same origin, to import the engine module from.
const BLANK = '<!DOCTYPE html><meta charset="utf-8"><title>bench</title>';

function serve() {
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent(req.url.split('?')[0].split('#')[0]);
    if (url === '/bench.html') { res.writeHead(200, { 'Content-Type': 'text/html', ...ISOLATED }); res.end(BLANK); return; }
    const file = url.startsWith('/bench-engine/')
      ? path.join(benchEngine, url.slice('/bench-engine/'.length))
      : path.join(dist, url.endsWith('/') ? url + 'index.html' : url);
    fs.readFile(file, (err, body) => {
      if (err) { res.writeHead(404); res.end(); return; }
      res.writeHead(200, { 'Content-Type': types[path.extname(file)] || 'application/octet-stream', ...ISOLATED });
      res.end(body);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// How many runs: the real numbers, or a few of each for the test command (--smoke), which
// only checks that every benchmark still runs and measures something.
const FULL = { batches: 100, loads: 10, changes: 200, studioChecks: 20, registerRows: 100_000, registerRuns: 3 };
const SMOKE = { batches: 3, loads: 1, changes: 5, studioChecks: 2, registerRows: 2_000, registerRuns: 1 };
let counts = FULL;

const quantile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
};
const summary = (xs) => ({ runs: xs.length, median: quantile(xs, 0.5), p95: quantile(xs, 0.95), max: quantile(xs, 1) });

/** The engine-only build as www/build/post-build.mjs makes it (release profile, wasm-opt
 * -Oz), plus the `bench-hooks` exports, into benchEngine. */
function buildBenchEngine() {
  // wasm-opt from npm (binaryen) and wasm-bindgen from cargo, as the CI installs them.
  const PATH = [path.join(root, 'node_modules/.bin'), path.join(os.homedir(), '.cargo/bin'), process.env.PATH].join(path.delimiter);
  const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, env: { ...process.env, PATH }, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 64 << 20 });
  const wasm = run('cargo', [
    'rustc', '--lib', '--crate-type', 'cdylib', '--profile', 'wasm-release', '--locked', '--offline',
    '--target', 'wasm32-unknown-unknown', '--no-default-features', '--features', 'bench-hooks',
    '--message-format', 'json-render-diagnostics',
  ]).split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l))
    .find((m) => m.reason === 'compiler-artifact' && /#huiqi@/.test(m.package_id ?? '') && m.target.kind.includes('cdylib'))
    ?.filenames.find((f) => f.endsWith('.wasm'));
  if (!wasm) throw new Error('bench-hooks build: no wasm in cargo\'s messages');
  fs.rmSync(benchEngine, { recursive: true, force: true });
  run('wasm-bindgen', ['--target', 'web', '--out-dir', benchEngine, '--out-name', 'huiqi_engine', wasm]);
  run('wasm-opt', ['-Oz', path.join(benchEngine, 'huiqi_engine_bg.wasm'), '-o', path.join(benchEngine, 'huiqi_engine_bg.wasm')]);
  fs.copyFileSync(path.join(root, 'www/engine/huiqi.js'), path.join(benchEngine, 'huiqi.js'));
}

/** The full profile the criterion benchmark uses (every fact answered within its bounds),
 * and the date on which the most benefits are in force, as natively. Runs in the page. */
const BENCH_PROFILE = `(api) => {
  const full = {};
  const clamp = (v, f) => String(Math.min(Math.max(v, Number(f.min ?? v)), Number(f.max ?? v)));
  for (const f of api.facts().facts) {
    full[f.id] = { bool: true, money: clamp(15000000, f), count: clamp(3, f), percent: '5%', date: '2024-06-30', choice: f.options[0]?.id }[f.kind];
  }
  full.district = 'binjiang';
  full.rd_spend_prev = '1000万';
  const benefits = api.documents().flatMap((d) => d.benefits);
  const inForce = (d) => benefits.filter((b) => b.valid_from <= d && (b.valid_to === null || d <= b.valid_to)).length;
  const asOf = benefits.map((b) => b.valid_from).reduce((best, d) => (inForce(d) > inForce(best) || (inForce(d) === inForce(best) && d > best) ? d : best));
  return { full, asOf, inForce: inForce(asOf) };
}`;

/** The engine alone in wasm: answers read once, then evaluated 1000 times, timed in
 * batches of 10 (performance.now() has 5 µs resolution on this isolated page). */
async function wasmEvaluation(browser, base) {
  buildBenchEngine();
  const page = await browser.newPage();
  await page.goto(base + 'bench.html');
  const result = await page.evaluate(async ([benchProfile, batchCount]) => {
    if (!crossOriginIsolated) throw new Error('the bench page is not cross-origin isolated: the timer would be coarse');
    const api = await import('./bench-engine/huiqi.js');
    await api.default({ rules: await (await fetch('./rules.json')).text() });
    const { full, asOf, inForce } = eval(benchProfile)(api);
    const time = (answers) => {
      api.benchPrepare(JSON.stringify(answers), asOf);
      let eligible = 0;
      for (let i = 0; i < 50; i++) eligible = api.benchEvaluate(); // warm up
      const batches = [];
      for (let b = 0; b < batchCount; b++) {
        const t0 = performance.now();
        for (let i = 0; i < 10; i++) api.benchEvaluate();
        batches.push(((performance.now() - t0) / 10) * 1000); // µs per run
      }
      return { batches, eligible };
    };
    const f = time(full);
    const e = time({});
    return { asOf, inForce, eligible: f.eligible, full: f.batches, empty: e.batches };
  }, [BENCH_PROFILE, counts.batches]);
  await page.close();
  return { asOf: result.asOf, inForce: result.inForce, eligible: result.eligible, full: summary(result.full), empty: summary(result.empty) };
}

/** Evaluation through the JS API: `summary` (the engine's numbers) and `evaluate` (the
 * full report with every clause and reason in words), 1000 runs timed in batches of 10:
 * the median is the median of 100 batch means. */
async function engineEvaluation(browser, base) {
  const page = await browser.newPage();
  await page.goto(base + 'bench.html');
  const result = await page.evaluate(async ([benchProfile, batchCount]) => {
    const api = await import('./engine/huiqi.js');
    await api.default(); // start(): the wasm and rules.json
    const { full, asOf, inForce } = eval(benchProfile)(api);
    const time = (call, profile) => {
      for (let i = 0; i < 50; i++) call(profile, { asOf }); // warm up
      const batches = [];
      for (let b = 0; b < batchCount; b++) {
        const t0 = performance.now();
        for (let i = 0; i < 10; i++) call(profile, { asOf });
        batches.push(((performance.now() - t0) / 10) * 1000); // µs per run
      }
      return batches;
    };
    const report = api.evaluate(full, { asOf });
    return {
      asOf,
      inForce,
      eligible: report.benefits.filter((b) => b.status === 'eligible').length,
      full: time(api.summary, full),
      empty: time(api.summary, {}),
      reportFull: time(api.evaluate, full),
      reportEmpty: time(api.evaluate, {}),
    };
  }, [BENCH_PROFILE, counts.batches]);
  await page.close();
  const { asOf, inForce, eligible } = result;
  const timed = ['full', 'empty', 'reportFull', 'reportEmpty'].map((k) => [k, summary(result[k])]);
  return { asOf, inForce, eligible, ...Object.fromEntries(timed) };
}

/** From navigation start to the district question in the DOM and usable, fresh each time. */
async function loadToInteractive(browser, base, throttle) {
  const samples = [];
  for (let i = 0; i < counts.loads; i++) {
    const context = await browser.newContext({ serviceWorkers: 'block' });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
    await page.addInitScript(() => {
      new MutationObserver((_, observer) => {
        const q = document.querySelector('#q-district');
        if (q && !q.disabled) { window.__interactive = performance.now(); observer.disconnect(); }
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(base);
    await page.waitForFunction(() => window.__interactive !== undefined, null, { timeout: 60_000 });
    samples.push(await page.evaluate(() => window.__interactive));
    await context.close();
  }
  return summary(samples);
}

/** An answer change to the results updated in the DOM (and to the next painted frame). */
async function answerToResults(browser, base) {
  const page = await browser.newPage();
  await page.goto(base);
  await page.locator('#as-of').fill('2025-03-09');
  await page.locator('#as-of').dispatchEvent('change');
  await page.selectOption('#q-district', 'binjiang');
  // The Binjiang 2024 R&D-increase subsidy, whose amount follows every change of R&D spend.
  await page.selectOption('#period', '2024');
  await page.selectOption('#q-tech_enterprise', 'true');
  await page.selectOption('#q-tech_sme_scale', 'true');
  await page.fill('#q-rd_spend_prev', '1000万');
  await page.locator('#benefit-binjiang-2024-rd-increase-sme').waitFor({ timeout: 10_000 });
  const samples = await page.evaluate(async (changes) => {
    const input = document.querySelector('#q-rd_spend');
    const results = document.querySelector('.results');
    const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
    const dom = [];
    const painted = [];
    for (let i = 0; i < changes; i++) {
      await frame();
      const changed = new Promise((resolve) => {
        const observer = new MutationObserver(() => { observer.disconnect(); resolve(performance.now()); });
        observer.observe(results, { subtree: true, childList: true, characterData: true });
      });
      const t0 = performance.now();
      input.value = `${1200 + (i % 50) * 37}万`;
      input.dispatchEvent(new InputEvent('input', { bubbles: true }));
      const t1 = await changed;
      await frame();
      dom.push(t1 - t0);
      painted.push(performance.now() - t0);
    }
    return { dom, painted };
  }, counts.changes);
  await page.close();
  return { dom: summary(samples.dom), painted: summary(samples.painted) };
}

/**
 * The rule studio: from navigation start to ready (rule files fetched, editor up, whole
 * bundle checked and cases run), fresh each time; and one check of the whole bundle
 * (compile + load + validate, in the studio's wasm), timed in the page.
 */
async function studio(browser, base) {
  const loads = [];
  for (let i = 0; i < counts.loads; i++) {
    const context = await browser.newContext({ serviceWorkers: 'block' });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await page.goto(`${base}studio/`);
    await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 60_000 });
    loads.push(await page.evaluate(() => performance.now()));
    await context.close();
  }
  const page = await browser.newPage();
  await page.goto(`${base}studio/`);
  await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 60_000 });
  const result = await page.evaluate(async (runs) => {
    // The module instance the page initialised (same URL), so its wasm is ready.
    const { checkRules } = await import('./huiqi_studio.js');
    const names = await (await fetch('./rules/files.json')).json();
    const files = await Promise.all(names.map(async (n) => ({ name: `rules/${n}`, text: await (await fetch(`./rules/${n}`)).text() })));
    const input = JSON.stringify(files);
    const samples = [];
    let ok = false;
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      ok = JSON.parse(checkRules(input)).ok;
      samples.push(performance.now() - t0);
    }
    return { ok, samples };
  }, counts.studioChecks);
  await page.close();
  if (!result.ok) throw new Error('studio benchmark: the repository rules did not check');
  return { load: summary(loads), check: summary(result.samples) };
}

/**
 * The register page: a generated register (`gen_register`, 23 columns, as of 2025-03-09)
 * chosen in the page and matched in its worker, read in slices; the worker times the run
 * from the first slice to the three files made, the page's clock from the click to the
 * results shown. Fresh page each run.
 */
async function register(browser, base) {
  const file = path.join(os.tmpdir(), `huiqi-bench-register-${counts.registerRows}.csv`);
  if (!fs.existsSync(file)) {
    const csv = execFileSync('cargo', ['run', '--locked', '--quiet', '--example', 'gen_register', '--', String(counts.registerRows)], { cwd: root, maxBuffer: 1 << 30 });
    fs.writeFileSync(file, csv);
  }
  const worker = [];
  const page = [];
  let companies = 0;
  for (let i = 0; i < counts.registerRuns; i++) {
    const p = await browser.newPage();
    await p.goto(`${base}register/`);
    await p.locator('#register-file').setInputFiles(file);
    await p.locator('#as-of').fill('2025-03-09');
    const t0 = await p.evaluate(() => performance.now());
    await p.locator('#run').click();
    await p.waitForFunction(() => document.body.dataset.seconds, null, { timeout: 600_000 });
    page.push(await p.evaluate(() => performance.now()) - t0);
    worker.push(Number(await p.evaluate(() => document.body.dataset.seconds)) * 1000);
    companies = Number(await p.evaluate(() => document.body.dataset.companies));
    await p.close();
  }
  if (companies !== counts.registerRows) throw new Error(`register benchmark: ${companies} of ${counts.registerRows} companies matched`);
  return { companies, bytes: fs.statSync(file).size, worker: summary(worker), page: summary(page) };
}

/** Every browser benchmark, or those named in `only` (wasm, evaluation, load, answer, studio, register). */
async function browserBenchmarks(only = []) {
  const wanted = (name) => only.length === 0 || only.includes(name);
  const server = await serve();
  const base = `http://127.0.0.1:${server.address().port}/`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const results = {};
    if (wanted('wasm')) results.wasm = await wasmEvaluation(browser, base);
    if (wanted('evaluation')) results.evaluation = await engineEvaluation(browser, base);
    if (wanted('load')) {
      results.load = await loadToInteractive(browser, base, 1);
      results.loadThrottled = await loadToInteractive(browser, base, 4);
    }
    if (wanted('answer')) results.answer = await answerToResults(browser, base);
    if (wanted('studio')) results.studio = await studio(browser, base);
    if (wanted('register')) results.register = await register(browser, base);
    return results;
  } finally {
    await browser.close();
    server.close();
  }
}

/** The smoke run: every benchmark runs and measures something plausible. */
function checkSmoke(r) {
  const positive = (what, x) => { if (!(Number.isFinite(x) && x > 0)) throw new Error(`bench smoke: ${what} is ${x}`); };
  positive('wasm evaluation (full)', r.wasm.full.median);
  positive('wasm evaluation (empty)', r.wasm.empty.median);
  positive('summary()', r.evaluation.full.median);
  positive('load to interactive', r.load.median);
  positive('answer to DOM', r.answer.dom.median);
  positive('studio load', r.studio.load.median);
  positive('studio whole-bundle check', r.studio.check.median);
  positive('register page run', r.register.worker.median);
  if (r.wasm.inForce < 100 || r.wasm.eligible < 10) throw new Error(`bench smoke: ${r.wasm.eligible} of ${r.wasm.inForce} eligible: the profile is not the full one`);
}

module.exports = { browserBenchmarks };

if (require.main === module) {
  const args = process.argv.slice(2);
  if (args.includes('--smoke')) counts = SMOKE;
  browserBenchmarks(args.filter((a) => a !== '--smoke')).then((r) => {
    if (counts === SMOKE) checkSmoke(r);
    console.log(JSON.stringify(r, null, 2));
  }).catch((e) => { console.error(e); process.exit(1); });
}
