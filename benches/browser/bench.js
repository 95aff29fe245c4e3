// The browser benchmarks of the release build (dist/), in headless Debian Chromium:
//   - evaluation through the JS API (engine-only build), 1000 runs each, full and empty profile
//   - page load to an interactive questionnaire, 10 fresh loads, without and with 4× CPU throttling
//   - an answer change to updated results, 200 changes
// Used by benches/report.js; `node benches/browser/bench.js` prints the raw JSON.
const http = require('http');
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

const dist = path.join(__dirname, '../../dist');
const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json' };
// A blank page on the same origin, to import the engine module from.
const BLANK = '<!DOCTYPE html><meta charset="utf-8"><title>bench</title>';

function serve() {
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent(req.url.split('?')[0].split('#')[0]);
    if (url === '/bench.html') { res.writeHead(200, { 'Content-Type': 'text/html' }); res.end(BLANK); return; }
    const file = path.join(dist, url.endsWith('/') ? url + 'index.html' : url);
    fs.readFile(file, (err, body) => {
      if (err) { res.writeHead(404); res.end(); return; }
      res.writeHead(200, { 'Content-Type': types[path.extname(file)] || 'application/octet-stream' });
      res.end(body);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const quantile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
};
const summary = (xs) => ({ runs: xs.length, median: quantile(xs, 0.5), p95: quantile(xs, 0.95), max: quantile(xs, 1) });

/** Evaluation through the JS API: `summary` (the engine's numbers) and `evaluate` (the
 * full report with every clause and reason in words). performance.now() is coarsened in the browser (100 µs
 * without cross-origin isolation), so runs are timed in batches of 10: the median is the
 * median of 100 batch means. */
async function engineEvaluation(browser, base) {
  const page = await browser.newPage();
  await page.goto(base + 'bench.html');
  const result = await page.evaluate(async () => {
    const api = await import('./engine/huiqi.js');
    await api.default(); // start(): the wasm and rules.json
    // The same full profile as the criterion benchmark: every fact answered within bounds.
    const full = {};
    const clamp = (v, f) => String(Math.min(Math.max(v, Number(f.min ?? v)), Number(f.max ?? v)));
    for (const f of api.facts().facts) {
      full[f.id] = { bool: true, money: clamp(15000000, f), count: clamp(3, f), percent: '5%', date: '2024-06-30', choice: f.options[0]?.id }[f.kind];
    }
    full.district = 'binjiang';
    full.rd_spend_prev = '1000万';
    // The date on which most benefits are in force, as natively.
    const benefits = api.documents().flatMap((d) => d.benefits);
    const inForce = (d) => benefits.filter((b) => b.valid_from <= d && (b.valid_to === null || d <= b.valid_to)).length;
    const asOf = benefits.map((b) => b.valid_from).reduce((best, d) => (inForce(d) > inForce(best) || (inForce(d) === inForce(best) && d > best) ? d : best));
    const time = (call, profile) => {
      for (let i = 0; i < 50; i++) call(profile, { asOf }); // warm up
      const batches = [];
      for (let b = 0; b < 100; b++) {
        const t0 = performance.now();
        for (let i = 0; i < 10; i++) call(profile, { asOf });
        batches.push(((performance.now() - t0) / 10) * 1000); // µs per run
      }
      return batches;
    };
    const report = api.evaluate(full, { asOf });
    return {
      asOf,
      inForce: inForce(asOf),
      eligible: report.benefits.filter((b) => b.status === 'eligible').length,
      full: time(api.summary, full),
      empty: time(api.summary, {}),
      reportFull: time(api.evaluate, full),
      reportEmpty: time(api.evaluate, {}),
    };
  });
  await page.close();
  const { asOf, inForce, eligible } = result;
  const timed = ['full', 'empty', 'reportFull', 'reportEmpty'].map((k) => [k, summary(result[k])]);
  return { asOf, inForce, eligible, ...Object.fromEntries(timed) };
}

/** From navigation start to the district question in the DOM and usable, fresh each time. */
async function loadToInteractive(browser, base, throttle) {
  const samples = [];
  for (let i = 0; i < 10; i++) {
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
  await page.selectOption('#q-tech_enterprise', 'true');
  await page.selectOption('#q-tech_sme_scale', 'true');
  await page.fill('#q-rd_spend_prev', '1000万');
  const samples = await page.evaluate(async () => {
    const input = document.querySelector('#q-rd_spend');
    const results = document.querySelector('.results');
    const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
    const dom = [];
    const painted = [];
    for (let i = 0; i < 200; i++) {
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
  });
  await page.close();
  return { dom: summary(samples.dom), painted: summary(samples.painted) };
}

async function browserBenchmarks() {
  const server = await serve();
  const base = `http://127.0.0.1:${server.address().port}/`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    return {
      evaluation: await engineEvaluation(browser, base),
      load: await loadToInteractive(browser, base, 1),
      loadThrottled: await loadToInteractive(browser, base, 4),
      answer: await answerToResults(browser, base),
    };
  } finally {
    await browser.close();
    server.close();
  }
}

module.exports = { browserBenchmarks };

if (require.main === module) {
  browserBenchmarks().then((r) => console.log(JSON.stringify(r, null, 2)));
}
