// Portals: the custom element under a sub-path on a page with hostile CSS, the iframe,
// and the JS API from a plain page (the example host page in www/embed/).
const { test, expect } = require('@playwright/test');

const PORTAL = 'http://127.0.0.1:8766/';

/** Records requests that leave `origin`. */
function foreignRequests(page, origin) {
  const foreign = [];
  page.on('request', (r) => { if (!r.url().startsWith(origin)) foreign.push(r.url()); });
  return foreign;
}

test('<huiqi-calculator> mounts under a sub-path, keeps the host CSS out and its own in', async ({ page }) => {
  const foreign = foreignRequests(page, PORTAL);
  await page.goto(PORTAL);
  const calculator = page.locator('huiqi-calculator');
  // lang="en" district="yuhang" from the attributes; CSS locators pierce the open shadow root.
  await expect(calculator.locator('.masthead h1')).toHaveText('Huiqi · Hangzhou subsidy calculator');
  await expect(calculator.locator('#q-district')).toHaveValue('yuhang');
  await expect(calculator.locator('.benefit').first()).toBeVisible();

  // It computes: answering changes the results inside the element.
  await calculator.locator('#as-of').fill('2025-06-30');
  await calculator.locator('#as-of').dispatchEvent('change');
  await calculator.locator('#q-district').selectOption('binjiang');
  await expect(calculator.locator('#q-district')).toHaveValue('binjiang');
  await expect(calculator.locator('#total-overall')).toBeVisible();

  // "Answer these to settle it" links reach their question inside the shadow root.
  const needs = calculator.locator('.benefit.needs_answers').first();
  await needs.locator('summary').click();
  const link = needs.locator('.settle a').first();
  const target = (await link.getAttribute('href')).slice(1);
  await link.click();
  expect(await page.evaluate(() => document.querySelector('huiqi-calculator').shadowRoot.activeElement?.id)).toBe(target);
  expect(new URL(page.url()).hash).toBe('');

  // The host's rules do not reach in: not the !important ones, not the inherited ones,
  // not html { font-size } through rem.
  const inside = await calculator.locator('.masthead h1').evaluate((el) => {
    const s = getComputedStyle(el);
    return { color: s.color, font: s.fontFamily, transform: s.textTransform, display: s.display };
  });
  expect(inside.color).toBe('rgb(26, 26, 26)');
  expect(inside.font).not.toContain('Georgia');
  expect(inside.transform).toBe('none');
  expect(inside.display).toBe('block');
  const label = await calculator.locator('label[for="q-district"]').evaluate((el) => getComputedStyle(el).fontSize);
  expect(label).toBe('16px');

  // And ours do not reach out: the portal's own elements keep the portal's look.
  await expect(page.locator('#portal-title')).toHaveCSS('color', 'rgb(0, 128, 0)');
  await expect(page.locator('#portal-button')).toHaveCSS('background-color', 'rgb(255, 0, 255)');
  await expect(page.locator('body > p.app')).toBeHidden();

  expect(foreign).toEqual([]);
});

test('the example host page: element, iframe and the JS API, all from a sub-path', async ({ page }) => {
  const foreign = foreignRequests(page, PORTAL);
  await page.goto(PORTAL + 'apps/huiqi/embed/index.html');
  await expect(page.locator('huiqi-calculator #q-district')).toHaveValue('binjiang');

  const frame = page.frameLocator('iframe');
  await page.locator('iframe').scrollIntoViewIfNeeded();
  await expect(frame.locator('#q-district')).toBeVisible();

  // The JS API, driven from the page's own form.
  await expect(page.locator('#api-info')).toContainText('built-in');
  await page.locator('#api-form select[name=district]').selectOption('binjiang');
  await page.locator('#api-form textarea').fill('{"tech_enterprise": true, "tech_sme_scale": true, "rd_spend": "1500万", "rd_spend_prev": "1000万"}');
  await page.locator('#api-form input[name=asOf]').fill('2024-06-30');
  await page.getByRole('button', { name: 'evaluate()' }).click();
  await expect(page.locator('#api-results')).toContainText('25万元');
  await expect(page.locator('#api-error')).toHaveText('');

  // Bad input: a thrown HuiqiError naming the field, shown by the page.
  await page.locator('#api-form textarea').fill('{"rd_spend": "-5"}');
  await page.getByRole('button', { name: 'evaluate()' }).click();
  await expect(page.locator('#api-error')).toContainText('HuiqiError: profile.rd_spend');

  // A bundle checked against its published hash: here the same rules.json, so still the built-in rules.
  await page.getByRole('button', { name: 'loadBundle(rules.json)' }).click();
  await expect(page.locator('#api-info')).toContainText('loadBundle: rules');
  await expect(page.locator('#api-info')).toContainText('built-in');

  expect(foreign).toEqual([]);
});

test('the JS API in a plain page: bad input throws, a bad bundle is refused', async ({ page }) => {
  await page.goto(PORTAL + 'index.html');
  const result = await page.evaluate(async () => {
    const api = await import('/apps/huiqi/engine/huiqi.js');
    await api.default(); // start(): the wasm, then ../rules.json beside it
    const fields = [];
    for (const call of [
      () => api.evaluate({ rd_spend: NaN }),
      () => api.evaluate({ rd_spend: Infinity }),
      () => api.evaluate({}, { asOf: '2025-13-01' }),
      () => api.nextQuestions('nope'),
      () => api.bundleInfo({ lang: 'xx' }),
      () => api.loadBundle('{"truncated":'),
    ]) {
      try { call(); fields.push('no error'); } catch (e) { fields.push(`${e.name} ${e.field}`); }
    }
    return { fields, source: api.bundleInfo().source, eligible: api.evaluate({ district: 'binjiang' }).benefits.length };
  });
  expect(result.fields).toEqual([
    'HuiqiError profile.rd_spend', 'HuiqiError profile.rd_spend', 'HuiqiError options.asOf',
    'HuiqiError profile', 'HuiqiError options.lang', 'HuiqiError bundle',
  ]);
  expect(result.source).toBe('built-in');
  expect(result.eligible).toBeGreaterThan(0);
});
