// The register page: a committed register matched in the page's worker gives the very
// bytes `huiqi match REG.csv --as-of D -o results.csv` writes (results, summary, bad
// cells), in UTF-8 and GBK; a header with an unknown column, a mapping file, an empty
// file and a workbook get the command line's messages in the chosen language; and no
// request leaves the page's origin.
const { test, expect } = require('@playwright/test');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.join(__dirname, '../..');
const AS_OF = '2025-03-09';
const SHOTS = path.join(ROOT, 'test-results');

/** The command line's three files for `input` (null where it writes none). */
function cli(input, { lang = 'zh', columns, policyYear } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huiqi-register-e2e-'));
  const out = path.join(dir, 'results.csv');
  const args = ['run', '--locked', '--quiet', '--bin', 'huiqi', '--', 'match', input, '--as-of', AS_OF, '-o', out, '--lang', lang];
  if (columns) args.push('--columns', columns);
  if (policyYear) args.push('--policy-year', policyYear);
  execFileSync('cargo', args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  const read = (name) => (fs.existsSync(path.join(dir, name)) ? fs.readFileSync(path.join(dir, name)) : null);
  return { results: read('results.csv'), summary: read('results.summary.csv'), problems: read('results.problems.csv') };
}

/** Watches every request and console error: all must stay on the page's origin. */
function watch(page) {
  const seen = { outside: [], errors: [], requests: 0 };
  page.on('request', (r) => {
    seen.requests += 1;
    const url = new URL(r.url());
    if (url.origin !== 'http://127.0.0.1:8765' && !(url.protocol === 'blob:' && r.url().startsWith('blob:http://127.0.0.1:8765/'))) seen.outside.push(r.url());
  });
  page.on('pageerror', (e) => seen.errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && seen.errors.push(m.text()));
  return seen;
}

async function runFile(page, file, { map, policyYear } = {}) {
  await page.locator('#register-file').setInputFiles(file);
  if (map) await page.locator('#map-file').setInputFiles(map);
  await page.locator('#as-of').fill(AS_OF);
  if (policyYear) {
    // The years come from the worker's wasm once the date is set.
    await expect(page.locator(`#policy-year option[value="${policyYear}"]:not([disabled])`)).toBeAttached();
    await page.locator('#policy-year').selectOption(policyYear);
  }
  await page.locator('#run').click();
}

async function download(page, id) {
  const [d] = await Promise.all([page.waitForEvent('download'), page.locator(`#${id}`).click()]);
  return fs.readFileSync(await d.path());
}

async function expectSameFiles(page, want) {
  await expect(page.locator('#done')).toBeVisible({ timeout: 60_000 });
  const results = await download(page, 'dl-results');
  expect(results.length).toBeGreaterThan(1000);
  expect(results.equals(want.results), 'results.csv is the command line\'s, byte for byte').toBe(true);
  expect((await download(page, 'dl-summary')).equals(want.summary), 'results.summary.csv byte for byte').toBe(true);
  expect(want.problems, 'the registers tested have bad cells').not.toBeNull();
  expect((await download(page, 'dl-problems')).equals(want.problems), 'results.problems.csv byte for byte').toBe(true);
}

test('a UTF-8 register in Chinese: the three files are the command line\'s, nothing leaves the origin', async ({ page }) => {
  const seen = watch(page);
  const input = path.join(ROOT, 'tests/registers/r300.csv');
  const want = cli(input);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.addInitScript(() => {
    window.violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto('/register/');
  // The app's strict policy, as a meta tag the build writes.
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(csp).toContain("connect-src 'self'");
  await expect(page.locator('h1')).toHaveText('企业名录批量匹配（免申即享）');
  await runFile(page, input);
  await expectSameFiles(page, want);
  await expect(page.locator('#counts')).toContainText('300 家企业');
  // The table is the summary file: its total row has the file's total amount.
  const total = want.summary.toString('utf8').trim().split('\n').at(-1).split(',');
  expect(total[0]).toBe('total');
  const shown = page.locator('#summary tr.total td').nth(3);
  await expect(shown).toHaveText(total[5].replace(/\.00$/, '').replace(/\B(?=(\d{3})+(?!\d))/g, ','));
  await expect(page.locator('#summary tbody tr, #needs-table tbody tr')).toHaveCount(want.summary.toString('utf8').trim().split('\n').length - 1);
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, 'register-zh-desktop.png'), fullPage: true });
  expect(seen.outside).toEqual([]);
  expect(seen.errors).toEqual([]);
  expect(await page.evaluate(() => window.violations)).toEqual([]);
  expect(seen.requests).toBeGreaterThan(4); // the page, its script, the worker, the wasm, rules.json
});

test('a GBK register in English on a phone: the notice, and the command line\'s bytes', async ({ page }) => {
  const seen = watch(page);
  const input = path.join(ROOT, 'tests/registers/r200-gbk.csv');
  const want = cli(input, { lang: 'en' });
  await page.setViewportSize({ width: 375, height: 800 });
  await page.goto('/register/');
  await page.locator('#lang-en').click();
  await expect(page.locator('h1')).toHaveText('Match a company register');
  await runFile(page, input);
  await expect(page.locator('#notices')).toContainText('the file is not UTF-8; it is read as GBK/GB18030');
  await expectSameFiles(page, want);
  await expect(page.locator('#counts')).toContainText('200 companies');
  await page.screenshot({ path: path.join(SHOTS, 'register-en-phone.png'), fullPage: true });
  // The page fits the phone's width (the table scrolls inside its box).
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  expect(seen.outside).toEqual([]);
  expect(seen.errors).toEqual([]);
});

test('an unknown column stops the run with what to do; a mapping file then maps it', async ({ page }) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huiqi-register-e2e-'));
  const input = path.join(dir, 'unknown.csv');
  // The committed register with one header renamed to something no fact is called.
  const text = fs.readFileSync(path.join(ROOT, 'tests/registers/r300.csv'), 'utf8').replace(',district,', ',所在区县,');
  fs.writeFileSync(input, text);
  await page.goto('/register/');
  await runFile(page, input);
  await expect(page.locator('#error')).toContainText('1 个表头无法识别：C列“所在区县”');
  await expect(page.locator('#error')).toContainText('映射文件');
  await expect(page.locator('#done')).toBeHidden();
  await page.locator('#lang-en').click();
  await expect(page.locator('#error')).toContainText('1 unknown column(s): column C “所在区县”');

  const map = path.join(dir, 'map.toml');
  fs.writeFileSync(map, '[columns]\n"所在区县" = "district"\n');
  const want = cli(input, { lang: 'en', columns: map });
  await runFile(page, input, { map });
  await expect(page.locator('#error')).toBeHidden();
  await expectSameFiles(page, want);
});

test('an empty file, a workbook and a UTF-16 file get a clear message in either language', async ({ page }) => {
  await page.goto('/register/');
  await page.locator('#as-of').fill(AS_OF);
  const cases = [
    [{ name: 'empty.csv', mimeType: 'text/csv', buffer: Buffer.alloc(0) }, '文件为空', 'the file is empty'],
    [{ name: 'r.xlsx', mimeType: 'application/octet-stream', buffer: Buffer.from('PK\x03\x04rest of a zip') }, '另存为', 'Save it as CSV'],
    [{ name: 'u.csv', mimeType: 'text/csv', buffer: Buffer.from([0xff, 0xfe, 0x61, 0x00]) }, 'UTF-16', 'UTF-16'],
  ];
  for (const [file, zh, en] of cases) {
    await page.locator('#lang-zh').click();
    await page.locator('#register-file').setInputFiles(file);
    await page.locator('#run').click();
    await expect(page.locator('#error')).toContainText(zh);
    await page.locator('#lang-en').click();
    await expect(page.locator('#error')).toContainText(en);
    await expect(page.locator('#done')).toBeHidden();
  }
  // A file dropped on the box is taken as a chosen one.
  await page.locator('#drop').evaluate((box) => {
    const data = new DataTransfer();
    data.items.add(new File(['统一社会信用代码,district\nC1,binjiang\n'], 'dropped.csv', { type: 'text/csv' }));
    box.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
  });
  await expect(page.locator('#file-name')).toContainText('dropped.csv');
  await page.locator('#run').click();
  await expect(page.locator('#counts')).toContainText('1 companies');
  await expect(page.locator('#error')).toBeHidden();
});

test('a large register shows its progress and can be cancelled; the next run works', async ({ page }) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huiqi-register-e2e-'));
  const input = path.join(dir, 'large.csv');
  const [header, ...rows] = fs.readFileSync(path.join(ROOT, 'tests/registers/r300.csv'), 'utf8').trimEnd().split('\n');
  // 300 × 200 rows, several slices of the worker's reading.
  fs.writeFileSync(input, [header, ...Array.from({ length: 200 }, () => rows).flat()].join('\n') + '\n');
  await page.goto('/register/');
  await runFile(page, input);
  await expect(page.locator('#progress-text')).toContainText(/已读 \d+%：[1-9][\d,]* 家企业，[1-9][\d,]* 个单元格有误/, { timeout: 30_000 });
  await page.locator('#cancel').click();
  await expect(page.locator('#progress-text')).toHaveText('已取消：没有生成结果文件。');
  await expect(page.locator('#done')).toBeHidden();
  await expect(page.locator('#cancel')).toBeHidden();
  await page.locator('#lang-en').click();
  await expect(page.locator('#progress-text')).toHaveText('Cancelled: no result files were made.');

  const small = path.join(ROOT, 'tests/registers/r300.csv');
  await runFile(page, small);
  await expectSameFiles(page, cli(small, { lang: 'en' }));
});

test('a policy year and the latest editions give the command line\'s --policy-year bytes', async ({ page }) => {
  const seen = watch(page);
  const input = path.join(ROOT, 'tests/registers/r300.csv');
  await page.goto('/register/');
  await page.locator('#as-of').fill(AS_OF);
  // The years offered are the rules' annual editions up to the day, latest first, as the
  // app lists them; "in force on the day" is the default, as for the command line.
  await expect(page.locator('#policy-year option[value="2024"]')).toBeAttached();
  const years = await page.locator('#policy-year option').evaluateAll((os) => os.map((o) => o.value));
  expect(years.slice(0, 2)).toEqual(['', 'latest']);
  const listed = years.slice(2).map(Number);
  expect(listed.length).toBeGreaterThan(0);
  expect(listed.every((y) => y <= 2025)).toBe(true);
  expect([...listed].sort((a, b) => b - a)).toEqual(listed);
  await expect(page.locator('#policy-year')).toHaveValue('');
  await expect(page.locator('#policy-year option[value="2024"]')).toHaveText('2024 年度');

  const want2024 = cli(input, { policyYear: '2024' });
  // The year changes the results (Binjiang's 2024 edition ended with 2024).
  expect(want2024.results.equals(cli(input).results)).toBe(false);
  await runFile(page, input, { policyYear: '2024' });
  await expectSameFiles(page, want2024);
  await expect(page.locator('#notes')).toContainText('按 2024 年度的政策匹配');
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, 'register-year-zh-desktop.png'), fullPage: true });

  await page.locator('#lang-en').click();
  await expect(page.locator('#policy-year option[value="latest"]')).toHaveText("Latest annual edition (per company's district)");
  await runFile(page, input, { policyYear: 'latest' });
  await expectSameFiles(page, cli(input, { policyYear: 'latest', lang: 'en' }));
  await expect(page.locator('#notes')).toContainText("Matched for the latest annual edition (per company's district).");
  // No stated application window has closed in these rules: those columns stay hidden.
  await expect(page.locator('#summary th.closed').first()).toBeHidden();

  // Before any annual edition, "latest" cannot be chosen and no year is offered.
  await page.locator('#as-of').fill('2015-06-30');
  await expect(page.locator('#policy-year option[value="latest"]')).toBeDisabled();
  await expect(page.locator('#policy-year option')).toHaveCount(2);
  await expect(page.locator('#policy-year')).toHaveValue('');
  expect(seen.outside).toEqual([]);
  expect(seen.errors).toEqual([]);
});

test('a register that lists companies twice: the count on the page, the command line\'s problems file', async ({ page }) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huiqi-register-e2e-'));
  const input = path.join(dir, 'repeats.csv');
  const [header, ...rows] = fs.readFileSync(path.join(ROOT, 'tests/registers/r300.csv'), 'utf8').trimEnd().split('\n');
  // The first five companies again at the end, and the third a third time.
  fs.writeFileSync(input, [header, ...rows, ...rows.slice(0, 5), rows[2]].join('\n') + '\n');
  const want = cli(input);
  expect(want.problems.toString('utf8')).toContain(`304,A,统一社会信用代码,${rows[2].split(',')[0]},与第 4 行的企业代码相同`);
  expect(want.problems.toString('utf8')).toContain(`307,A,统一社会信用代码,${rows[2].split(',')[0]},与第 4 行的企业代码相同`);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto('/register/');
  await runFile(page, input);
  await expectSameFiles(page, want);
  await expect(page.locator('#counts')).toContainText('306 家企业');
  await expect(page.locator('#notes')).toContainText('6 行的企业代码与前面某行相同：两行都已匹配，都计入汇总');
  await page.screenshot({ path: path.join(SHOTS, 'register-repeats-zh-desktop.png'), fullPage: true });
  await page.setViewportSize({ width: 375, height: 800 });
  await page.locator('#lang-en').click();
  await expect(page.locator('#notes')).toContainText("6 rows repeat an earlier row's company id: both were matched and both are counted in the totals");
  await page.screenshot({ path: path.join(SHOTS, 'register-repeats-en-phone.png'), fullPage: true });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
});

test.describe('offline', () => {
  test.use({ serviceWorkers: 'allow' });

  test('after one visit the page reloads and matches with the network off', async ({ page, context }) => {
    await page.goto('/register/');
    await expect(page.locator('body')).toHaveAttribute('data-offline', 'ready', { timeout: 30_000 });
    await context.setOffline(true);
    const failed = [];
    page.on('requestfailed', (r) => failed.push(`${r.url()} ${r.failure()?.errorText} sw:${r.serviceWorker() ? 1 : 0}`));
    await page.reload();
    await expect(page.locator('h1')).toHaveText('企业名录批量匹配（免申即享）');
    const input = path.join(ROOT, 'tests/registers/r300.csv');
    await runFile(page, input);
    await expectSameFiles(page, cli(input));
    expect(failed).toEqual([]);
  });
});
