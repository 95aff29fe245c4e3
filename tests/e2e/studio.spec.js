// The rule studio: open a document, break a condition, see the error at its line, fix
// it, run the cases, publish, and load the published bundle into the embed example page.
const { test, expect } = require('@playwright/test');
const path = require('path');
const fs = require('node:fs');

const DOC = 'rules/hangzhou-business-registration-2021.toml';

test('edit, check, run the cases, publish, and load the bundle in the embed page', async ({ page }) => {
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => m.type() === 'error' && problems.push(`${page.url()}: ${m.text()}`));

  await page.goto('/studio/');
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true', { timeout: 20_000 });
  await expect(page.locator('#check-summary')).toHaveClass('ok');
  await expect(page.locator('#cases-summary')).toContainText(' 0 failed');
  // Timings for the benchmark report: page start to ready, and one check of the whole
  // bundle (compile + load + validate) in wasm.
  const loadMs = Number(await page.locator('body').getAttribute('data-load-ms'));
  const checkMs = Number(await page.locator('body').getAttribute('data-check-ms'));
  expect(loadMs).toBeGreaterThan(0);
  console.log(`studio timing: load ${loadMs} ms, whole-bundle check ${checkMs} ms`);

  // Open the document from the list and break a condition: an unknown fact.
  await page.locator('#files button', { hasText: 'hangzhou-business-registration-2021.toml' }).first().click();
  await expect(page.locator('#file-name')).toHaveText(DOC);
  const line = page.locator('.cm-line', { hasText: 'when = ["setting_up_company"]' }).first();
  await line.click();
  await page.keyboard.press('End');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.type('x');
  await expect(page.locator('#check-summary')).toHaveClass('bad');
  const error = page.locator('#errors li').first();
  // The error sits at the line of the broken condition, whatever line that is today.
  const source = fs.readFileSync(path.join(__dirname, '../..', DOC), 'utf8');
  const lineNo = 1 + source.split('\n').findIndex((l) => l.includes('when = ["setting_up_company"]'));
  await expect(error).toContainText(`${DOC}:${lineNo}:10`);
  await expect(error).toContainText('没有名为 `setting_up_companyx` 的事实');
  await expect(error).toContainText('unknown fact `setting_up_companyx`');
  // The editor marks the line, and keeps the text as typed.
  await expect(page.locator('.cm-lintRange-error')).toHaveCount(1);
  await expect(page.locator('.cm-line', { hasText: 'setting_up_companyx' })).toHaveCount(1);
  await expect(page.locator('#publish')).toBeDisabled();

  // Fix it: the check passes and the cases run again.
  await page.keyboard.press('Backspace');
  await expect(page.locator('#check-summary')).toHaveClass('ok');
  await expect(page.locator('.cm-lintRange-error')).toHaveCount(0);
  await expect(page.locator('#cases-summary')).toContainText(' 0 failed');

  // A real edit, a second condition: the comparison with the published rules shows it.
  // (The editor closes a typed quote itself, and steps over it when typed again.)
  await line.click();
  await page.keyboard.press('End');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.type(', "tech_enterprise"');
  await expect(page.locator('.cm-line', { hasText: 'when = ["setting_up_company", "tech_enterprise"]' })).toHaveCount(1);
  await expect(page.locator('#check-summary')).toHaveClass('ok');
  await expect(page.locator('#change-log')).toContainText('修改 / Changed (1)');
  await expect(page.locator('#cases-summary')).toContainText('failed');
  // A case whose company was set up now lacks the new answer.
  await expect(page.locator('#case-diff li', { hasText: 'hangzhou-business-registration-2021-free-e-seal eligible → needs_answers' })).not.toHaveCount(0);

  // Preview: the cards for a typed profile.
  await page.fill('#profile', '{"district": "gongshu", "setting_up_company": true, "tech_enterprise": true}');
  await page.fill('#as-of', '2022-01-10');
  await page.click('#preview-form button[type=submit]');
  // (The questionnaire's own cards: tests/e2e/studio-preview.spec.js compares them.)
  await expect(page.locator('#preview #benefit-hangzhou-business-registration-2021-free-e-seal')).toContainText('开办企业区块链电子印章免费领用');

  // A pasted policy text: the e-seal clause is found verbatim, its paragraph encoded,
  // an unrelated one neither, and the tax UKey clause (not pasted) reported missing.
  await page.selectOption('#text-document', 'hangzhou-business-registration-2021');
  await page.fill('#policy-text', '持续推行区块链电子印章\n免费领用；\n完全无关的一段话。');
  await page.click('#text-form button[type=submit]');
  await expect(page.locator('#quotes')).toContainText('free-tax-ukey');
  await expect(page.locator('#quotes')).not.toContainText('free-e-seal');
  await expect(page.locator('#paragraphs li.neither')).toContainText('完全无关的一段话');

  // Publish: rules.json and its hash file.
  const [jsonDownload, shaDownload] = await Promise.all([
    page.waitForEvent('download', (d) => d.suggestedFilename() === 'rules.json'),
    page.waitForEvent('download', (d) => d.suggestedFilename() === 'rules.json.sha256'),
    page.click('#publish'),
  ]);
  const json = fs.readFileSync(await jsonDownload.path(), 'utf8');
  const sha = fs.readFileSync(await shaDownload.path(), 'utf8');
  expect(sha).toMatch(/^[0-9a-f]{64}  rules\.json\n$/);
  expect(json).toContain('"when":["setting_up_company","tech_enterprise"]');

  // The embed example page starts with its built-in rules, then loadBundle reads the
  // published files where a portal would host them (beside the build).
  await page.goto('/embed/');
  await expect(page.locator('#api-info')).toContainText('start()');
  await page.route('**/rules.json', (r) => r.fulfill({ body: json, contentType: 'application/json' }));
  await page.route('**/rules.json.sha256', (r) => r.fulfill({ body: sha, contentType: 'text/plain' }));
  await page.click('#load-bundle');
  await expect(page.locator('#api-info')).toContainText(`loadBundle: rules`);
  await expect(page.locator('#api-info')).toContainText(`sha256 ${sha.slice(0, 16)}`);
  await expect(page.locator('#api-error')).toHaveText('');
  expect(problems).toEqual([]);
});

test('bad input gets a clear message and the editor keeps the text', async ({ page }) => {
  await page.goto('/studio/');
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true', { timeout: 20_000 });
  await page.locator('#files button', { hasText: 'hangzhou-business-registration-2021.toml' }).first().click();
  // A truncated TOML: select all and type an unfinished table.
  await page.locator('.cm-content').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('[document]\nid = "x');
  await expect(page.locator('#errors li').first()).toContainText('TOML 语法错误');
  await expect(page.locator('#errors li').first()).toContainText(`${DOC}:2:`);
  await expect(page.locator('.cm-content')).toContainText('id = "x');
});

test('an impossible date and a 10 MB file get clear messages, and the text is kept', async ({ page }) => {
  await page.goto('/studio/');
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true', { timeout: 20_000 });
  await page.locator('#files button', { hasText: 'hangzhou-business-registration-2021.toml' }).first().click();

  // A date that does not exist: the loader's error, at the line, in both languages.
  const dateLine = page.locator('.cm-line', { hasText: 'valid_from = "2021-08-25"' });
  await dateLine.click();
  await page.keyboard.press('End');
  await page.keyboard.press('Shift+Home');
  await page.keyboard.type('valid_from = "2025-02-30');
  await expect(page.locator('.cm-line', { hasText: 'valid_from = "2025-02-30"' })).toHaveCount(1);
  const error = page.locator('#errors li', { hasText: '2025-02-30' }).first();
  await expect(error).toContainText(`${DOC}:11:`);
  await expect(error).toContainText('不是有效日期');
  await expect(error).toContainText('YYYY-MM-DD');

  // A 10 MB file is not opened: a clear message, and the edited text is still there.
  await page.setInputFiles('#open-files', { name: 'big.toml', mimeType: 'text/plain', buffer: Buffer.alloc(10 << 20, 'x') });
  await expect(page.locator('#status')).toContainText('超过规则文件上限');
  await expect(page.locator('#status')).toContainText("more than a rule file's limit");
  await expect(page.locator('#files')).not.toContainText('big.toml');
  await expect(page.locator('.cm-line', { hasText: 'valid_from = "2025-02-30"' })).toHaveCount(1);
});
