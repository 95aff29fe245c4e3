// The questionnaire: only relevant questions, answers kept across reloads, one-click clear.
const { test, expect } = require('@playwright/test');

test('asks only what can change a result, keeps answers on reload, clears on request', async ({ page }) => {
  await page.goto('/');
  await page.locator('#as-of').fill('2024-06-30');
  await page.locator('#as-of').dispatchEvent('change');

  // Before the district is known, that is the only question.
  await expect(page.locator('#q-district')).toBeVisible();
  await expect(page.locator('.question')).toHaveCount(1);
  await page.selectOption('#q-district', 'binjiang');

  // A Binjiang-only question appears once the district makes it relevant...
  await expect(page.locator('#q-tech_sme_scale')).toBeVisible();
  // ...and a question only Lin'an or Yuhang documents ask does not.
  await expect(page.locator('#q-anxinbao_agreement_amount')).toHaveCount(0);

  await page.selectOption('#q-tech_enterprise', 'true');
  await page.selectOption('#q-tech_sme_scale', 'true');
  await page.fill('#q-rd_spend', '1500万');
  await page.fill('#q-rd_spend_prev', '1000万');
  await expect(page.locator('#benefit-binjiang-2024-rd-increase-sme')).toContainText('最高 25万元');

  // A "needs answers" card links to the question that settles it.
  const link = page.locator('#benefit-binjiang-2024-competitive-project .settle a').first();
  await expect(link).toHaveAttribute('href', '#q-competitive_project_spend');

  await page.reload();
  await expect(page.locator('#q-rd_spend')).toHaveValue('1500万');
  await expect(page.locator('#as-of')).toHaveValue('2024-06-30');
  await expect(page.locator('#benefit-binjiang-2024-rd-increase-sme')).toContainText('最高 25万元');
  await page.screenshot({ path: 'test-results/questionnaire-zh.png', fullPage: true });

  page.once('dialog', (dialog) => dialog.accept());
  await page.getByRole('button', { name: '清空回答' }).click();
  await expect(page.locator('#q-district')).toHaveValue('');
  await expect(page.locator('.question')).toHaveCount(1);
  await expect(page.locator('#as-of')).toHaveValue('2024-06-30');
});

test('a corrupt saved entry is ignored, not fatal', async ({ page }) => {
  await page.goto('/');
  await page.evaluate(() => localStorage.setItem('huiqi.answers.v1', '{"lang": "xx", broken'));
  await page.reload();
  await expect(page.locator('#q-district')).toBeVisible();
  await expect(page.locator('.masthead h1')).toContainText('惠企');
});

test('benefits out of force on the date are listed as expired or not yet in force', async ({ page }) => {
  await page.goto('/');
  await page.locator('#as-of').fill('2026-06-30');
  await page.locator('#as-of').dispatchEvent('change');
  await page.selectOption('#q-district', 'yuhang');
  // By default the app assesses the latest year with editions (2025): Yuhang 2025 applies.
  await expect(page.locator('#period')).toHaveValue('2025');
  await expect(page.locator('#out-yuhang-2025-rd-spend-subsidy')).toHaveCount(0);
  // "Open now" assesses what is in force on the date.
  await page.selectOption('#period', 'now');
  const list = page.locator('#out-of-force');
  await expect(list).toContainText('不在有效期内');
  await expect(page.locator('#out-yuhang-2025-rd-spend-subsidy')).toContainText('已失效');
  // Another district's documents are not listed for a Yuhang company.
  await expect(page.locator('#out-linan-2025-high-tech-enterprise')).toHaveCount(0);
  // A money field shows its unit.
  await expect(page.locator('.with-unit .unit').first()).toHaveText('元');
});
