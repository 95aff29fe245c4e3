// A strict CSP with no inline script, SRI on every built file index.html loads, and no
// request outside the app's origin during a whole questionnaire.
const { test, expect } = require('@playwright/test');
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const dist = path.join(__dirname, '../../dist');
const ORIGIN = 'http://127.0.0.1:8765/';

test('index.html: strict CSP, no inline script, SRI that matches the files', async () => {
  const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
  const csp = html.match(/http-equiv="Content-Security-Policy" content="([^"]+)"/)[1];
  expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(csp).toContain("connect-src 'self'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).not.toContain('unsafe-inline');
  expect(csp).not.toMatch(/'unsafe-eval'/);
  expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // every script has a src
  expect(html).not.toMatch(/\sstyle=/);

  const loaded = [...html.matchAll(/<(?:script|link)\b[^>]*?(?:src|href)="\.\/([^"]+)"[^>]*>/g)];
  expect(loaded.length).toBeGreaterThanOrEqual(4); // start script, css, app js, app wasm
  for (const [tag, file] of loaded) {
    const integrity = tag.match(/integrity="(sha384-[^"]+)"/)?.[1];
    const digest = 'sha384-' + crypto.createHash('sha384').update(fs.readFileSync(path.join(dist, file))).digest('base64');
    expect(integrity, file).toBe(digest);
  }
  // The start script fetches the wasm with the same integrity.
  const start = loaded.map(([, f]) => f).find((f) => f.startsWith('huiqi-start-'));
  const wasm = loaded.map(([, f]) => f).find((f) => f.endsWith('_bg.wasm'));
  const wasmDigest = 'sha384-' + crypto.createHash('sha384').update(fs.readFileSync(path.join(dist, wasm))).digest('base64');
  expect(fs.readFileSync(path.join(dist, start), 'utf8')).toContain(`integrity: "${wasmDigest}"`);
});

/** Answers the questions on screen one by one (each answer may ask or settle others)
 * until every question shown has an answer. */
async function answerEverything(page) {
  const answered = new Set();
  for (let step = 0; step < 400; step++) {
    const next = await page.locator('.questions select, .questions input').evaluateAll((els, done) => {
      const e = els.find((el) => !el.value && !done.includes(el.id));
      return e && { id: e.id, tag: e.tagName, options: e.tagName === 'SELECT' ? [...e.options].map((o) => o.value).filter(Boolean) : [], placeholder: e.placeholder };
    }, [...answered]);
    if (!next) break;
    answered.add(next.id);
    const field = page.locator(`#${next.id}`);
    if (next.tag === 'SELECT') await field.selectOption(next.options[0]);
    else if (next.placeholder === '2025-06-30') await field.fill('2021-03-01');
    else if (next.placeholder === '5%') await field.fill('6%');
    else await field.fill(next.placeholder ? '800万' : '12');
    // Some amounts have a lower ceiling (a monthly wage): then a small one.
    if (await page.locator('.question.has-error').count()) await field.fill('2000');
  }
  return answered.size;
}

test('a whole questionnaire makes no request outside the origin and breaks no CSP rule', async ({ page }) => {
  test.setTimeout(120_000);
  const foreign = [];
  const requests = [];
  page.on('request', (r) => {
    requests.push(r.url());
    if (!r.url().startsWith(ORIGIN)) foreign.push(r.url());
  });
  // Nor one for a file that is not there. (The browser's own /favicon.ico request is not
  // a page request and is not seen here: index.html names an empty icon instead.)
  const missing = [];
  page.on('response', (r) => { if (r.status() >= 400) missing.push(`${r.status()} ${r.url()}`); });
  const violations = [];
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) violations.push(m.text()); });
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });

  await page.goto('/');
  await page.locator('#as-of').fill('2025-06-30');
  await page.locator('#as-of').dispatchEvent('change');
  await page.selectOption('#q-district', 'binjiang');
  const count = await answerEverything(page);
  expect(count).toBeGreaterThan(40);
  await expect(page.locator('#total-overall')).toBeVisible();
  await expect(page.locator('.question.has-error')).toHaveCount(0);

  // Everything else a visitor can open: chart, share link, export, policy library, print.
  await page.locator('#chart-toggle').click();
  await expect(page.locator('#chart-svg')).toBeVisible();
  await page.locator('#share-link').click();
  const download = page.waitForEvent('download');
  await page.locator('#export').click();
  await download;
  await page.locator('#view-policies').click();
  await page.locator('.policy-browser input').fill('研发');
  await page.emulateMedia({ media: 'print' });
  await page.emulateMedia({ media: 'screen' });
  await page.locator('#view-calculator').click();
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.locator('#total-overall')).toBeVisible();

  expect(missing).toEqual([]);
  expect(foreign).toEqual([]);
  expect(violations).toEqual([]);
  expect(await page.evaluate(() => window.__cspViolations)).toEqual([]);
  expect(requests.length).toBeGreaterThan(3);
});
