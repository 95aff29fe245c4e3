// The policy library: every document and benefit, searchable, with clauses and dates.
const { test, expect } = require('@playwright/test');

test('the policy library lists every document and finds a clause by its text', async ({ page }) => {
  await page.goto('/');
  await page.click('#view-policies');
  await expect(page.locator('.policy-document')).toHaveCount(32);
  await page.fill('#policy-search', '安心寶');
  await expect(page.locator('#policy-count')).toContainText('1 份文件');
  await expect(page.locator('#policy-xiaoshan-anxinbao-2025-cooperation-grant')).toContainText('30%');
  await page.fill('#policy-search', 'no such words anywhere');
  await expect(page.locator('.policy-document')).toHaveCount(0);
  await page.getByRole('button', { name: 'English' }).click();
  await page.fill('#policy-search', 'R&D spend increase');
  await expect(page.locator('#policy-binjiang-2024-rd-increase-sme')).toBeVisible();
  await page.screenshot({ path: 'test-results/policies-en.png' });
  await page.click('#view-calculator');
  await expect(page.locator('#q-district')).toBeVisible();
});
