// The studio's preview shows the questionnaire's own result cards (its Yew `Results` and
// `BenefitCard`, compiled into the studio's wasm): the same card as the app for the same
// answers, and after a cap is edited in the editor, the card's amount and formula follow.
const { test, expect } = require('@playwright/test');
const path = require('path');
const fs = require('node:fs');

const FILE = 'rules/binjiang-2024.toml';
const ID = 'binjiang-2024-rd-increase-sme';
// R&D spend up by 9000万: 5% is 450万, above the 200万 cap, so the cap decides the amount.
const ANSWERS = { district: 'binjiang', tech_enterprise: true, tech_sme_scale: true, rd_spend: '9000万', rd_spend_prev: '0' };
const AS_OF = '2024-06-30';

// What the eye sees of an element, for comparing the app's card with the studio's.
const look = (e) => {
  const s = getComputedStyle(e);
  return { color: s.color, background: s.backgroundColor, font: `${s.fontSize} ${s.fontWeight}`, border: s.borderTopWidth + ' ' + s.borderTopStyle };
};

test('the preview card is the app\'s card, and follows a cap edited in the editor', async ({ page }) => {
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => m.type() === 'error' && problems.push(`${page.url()}: ${m.text()}`));

  // The questionnaire, opened with the answers as a share link carries them.
  // (A link holds each answer as typed: text.)
  const typed = Object.fromEntries(Object.entries(ANSWERS).map(([k, v]) => [k, String(v)]));
  const link = Buffer.from(JSON.stringify({ huiqi_answers: 1, as_of: AS_OF, lang: 'zh', answers: typed })).toString('base64url');
  await page.goto(`/#a=${link}`);
  const appCard = page.locator(`#benefit-${ID}`);
  await expect(appCard.locator('.amount')).toContainText('200万元');
  const app = {
    amount: await appCard.locator('.amount').textContent(),
    html: await appCard.evaluate((e) => e.outerHTML),
    formula: await appCard.locator('.formula').textContent(),
    total: await page.locator('#total-overall').textContent(),
    status: await appCard.locator('.status').evaluate(look),
    card: await appCard.evaluate(look),
  };
  expect(app.formula).toContain('200万');

  // The studio, the same answers and day ("open now": no policy year, as in the link).
  await page.goto('/studio/');
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true', { timeout: 20_000 });
  await page.fill('#profile', JSON.stringify(ANSWERS));
  await page.fill('#as-of', AS_OF);
  await page.click('#preview-form button[type=submit]');
  const card = page.locator(`#preview #benefit-${ID}`);
  await expect(card).toBeVisible();
  expect(await card.evaluate((e) => e.outerHTML)).toBe(app.html);
  await expect(page.locator('#preview #total-overall')).toHaveText(app.total);
  // Styled by the app's own stylesheet, inside the preview's shadow root.
  expect(await card.locator('.status').evaluate(look)).toEqual(app.status);
  expect(await card.evaluate(look)).toEqual(app.card);

  // Edit the cap in the editor: 200万 → 150万 on the benefit's `cap` line.
  await page.locator('#files button', { hasText: 'binjiang-2024.toml' }).first().click();
  await expect(page.locator('#file-name')).toHaveText(FILE);
  const lines = fs.readFileSync(path.join(__dirname, '../..', FILE), 'utf8').split('\n');
  const start = lines.findIndex((l) => l === `id = "${ID}"`);
  const capLine = start + lines.slice(start).findIndex((l) => l === 'cap = "200万"');
  expect(start).toBeGreaterThan(0);
  await page.locator('.cm-content').click();
  await page.keyboard.press('Control+Home');
  for (let i = 0; i < capLine; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('End');
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowLeft');
  for (let i = 0; i < 3; i++) await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.type('150');
  await expect(page.locator('.cm-line', { hasText: 'cap = "150万"' })).toHaveCount(1);
  await expect(page.locator('#check-summary')).toHaveClass('ok');

  // The card follows: the app's own wording, with the new cap.
  await expect(card.locator('.amount')).toHaveText(app.amount.replace('200万', '150万'));
  await expect(card.locator('.formula')).toHaveText(app.formula.replaceAll('200万', '150万'));
  // And the change log names it.
  await expect(page.locator('#change-log')).toContainText(`${ID}\n    cap: 200万\n       → 150万`);
  expect(problems).toEqual([]);
});

test('the preview says what is wrong with the answers, in zh and en, and keeps the cards', async ({ page }) => {
  await page.goto('/studio/');
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true', { timeout: 20_000 });
  await page.fill('#profile', '{"district": "gongshu", "setting_up_company": true}');
  await page.fill('#as-of', '2022-01-10');
  await page.click('#preview-form button[type=submit]');
  await expect(page.locator('#preview .benefit').first()).toBeVisible();
  const shown = await page.locator('#preview .benefit').count();
  for (const [profile, asOf, zh] of [['{"district": "gongshu"', '2022-01-10', '答案不是 JSON'], ['{"no_such_fact": 1}', '2022-01-10', 'no_such_fact'], ['{}', '2025-02-30', '不是日期']]) {
    await page.fill('#profile', profile);
    await page.fill('#as-of', asOf);
    await page.click('#preview-form button[type=submit]');
    await expect(page.locator('#preview-error')).toContainText(zh);
    await expect(page.locator('#preview .benefit')).toHaveCount(shown);
  }
  // English cards on request.
  await page.fill('#profile', '{"district": "gongshu", "setting_up_company": true}');
  await page.fill('#as-of', '2022-01-10');
  await page.selectOption('#preview-lang', 'en');
  await page.click('#preview-form button[type=submit]');
  await expect(page.locator('#preview-error')).toHaveText('');
  await expect(page.locator('#preview #results-title')).toHaveText('What you can claim');
});
