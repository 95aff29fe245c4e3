// Measures, in headless Chromium on the release build, the time from an answer change
// to the updated results being painted: dispatch the input event, wait for the next
// animation frame, read the total. Run: node benches/browser/answer-latency.js
// (serves dist/ itself on a free port).
const http = require('http');
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

const dist = path.join(__dirname, '../../dist');
const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json' };
const server = http.createServer((req, res) => {
  const file = path.join(dist, decodeURIComponent(req.url.split('?')[0].split('#')[0]) === '/' ? 'index.html' : req.url.split('?')[0]);
  fs.readFile(file, (err, body) => {
    if (err) { res.writeHead(404); res.end(); return; }
    res.writeHead(200, { 'Content-Type': types[path.extname(file)] || 'application/octet-stream' });
    res.end(body);
  });
});

(async () => {
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${server.address().port}/`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage();
  await page.goto(url);
  await page.locator('#as-of').fill('2025-03-09');
  await page.locator('#as-of').dispatchEvent('change');
  await page.selectOption('#q-district', 'binjiang');
  await page.selectOption('#q-tech_enterprise', 'true');
  await page.selectOption('#q-tech_sme_scale', 'true');
  await page.fill('#q-rd_spend_prev', '1000万');
  // For each answer change: the time until the results in the DOM show it (a mutation
  // observer on the results), and until the next frame is painted after that.
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
  const stats = (xs) => {
    xs.sort((a, b) => a - b);
    const q = (p) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))];
    return `median ${q(0.5).toFixed(1)} ms, p95 ${q(0.95).toFixed(1)} ms, max ${q(1).toFixed(1)} ms`;
  };
  console.log(`answer change → results updated in the DOM, ${samples.dom.length} runs: ${stats(samples.dom)}`);
  console.log(`answer change → next frame painted: ${stats(samples.painted)}`);
  await browser.close();
  server.close();
})();
