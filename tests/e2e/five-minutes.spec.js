// The five-minute path: a policy year to assess, a first screen, a few questions at a
// time by what they can still settle, the rest folded away.
const { test, expect } = require('@playwright/test');
const { setAsOf } = require('./helpers');

test('a Binjiang company on 2026-12-05 is asked about its 2025 results, first screen first', async ({ page }) => {
  await page.goto('/');
  await setAsOf(page, '2026-12-05');
  await page.selectOption('#q-district', 'binjiang');
  // The latest year with editions for Binjiang is the default, and the banner says what it means.
  await expect(page.locator('#period')).toHaveValue('2025');
  await expect(page.locator('#period-banner')).toContainText('按 2025 年度业绩评估');

  // The first screen: its yes/no questions as one checklist, then size and R&D spend
  // (headcount and revenue change no Binjiang result, so they are not asked).
  const checklist = page.locator('#guided .checklist').first();
  await expect(checklist.locator('#q-tech_enterprise')).toBeVisible();
  await expect(page.locator('#guided #q-rd_spend')).toBeVisible();
  await expect(page.locator('#other-questions')).not.toHaveAttribute('open', '');
  await page.selectOption('#q-tech_enterprise', 'true');
  await checklist.getByRole('button', { name: /都没有/ }).click();
  await expect(page.locator('#q-tech_sme_scale')).toHaveValue('false');
  await page.selectOption('#q-size_class', 'small');
  await expect(page.locator('#q-employees')).toHaveCount(0);
  await page.fill('#q-rd_spend', '900万');
  await page.fill('#q-rd_spend_prev', '700万');

  // Then a few questions at a time, with what they can still settle.
  const hint = page.locator('#next-hint');
  await expect(hint).toContainText('最多可再确定');
  const before = await page.locator('#guided .question').count();
  await hint.getByRole('button').click();
  await expect.poll(() => page.locator('#guided .question').count()).toBeGreaterThan(before);
  await expect(page.locator('#summary')).toContainText('你们可能可以申请');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: 'test-results/five-minutes-zh.png' });

  // "Open now" is the other way in; the banner says so.
  await page.selectOption('#period', 'now');
  await expect(page.locator('#period-banner')).toContainText('按今天（2026-12-05）有效的政策评估');
});

test('the same on a phone, in English', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 800 });
  await page.goto('/');
  await page.getByRole('button', { name: 'English' }).click();
  await setAsOf(page, '2026-12-05');
  await page.selectOption('#q-district', 'yuhang');
  await expect(page.locator('#period-banner')).toContainText('Assessed for your results of 2025');
  await expect(page.locator('#next-hint, #guided .checklist').first()).toBeVisible();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(375);
  await page.screenshot({ path: 'test-results/five-minutes-en-phone.png' });
});

test('what ends within 90 days is listed for the district', async ({ page }) => {
  await page.goto('/');
  await setAsOf(page, '2025-10-02');
  await page.selectOption('#q-district', 'gongshu');
  const changes = page.locator('#changes');
  await changes.locator('summary').click();
  await expect(changes).toContainText('2025-12-31');
  // A Lin'an-only document is not listed for a Gongshu company.
  await expect(changes).not.toContainText('临安区');
  await changes.screenshot({ path: 'test-results/changes-zh.png' });
});
