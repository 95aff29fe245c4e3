// Several items of one kind (two forest-economy base projects): each assessed on its own.
const { test, expect } = require('@playwright/test');
const { setAsOf, showOtherQuestions } = require('./helpers');

test('a second project is added, assessed and capped on its own, kept on reload, and removed', async ({ page }) => {
  await page.goto('/');
  await setAsOf(page, '2025-06-30');
  await page.selectOption('#q-district', 'chunan');
  await showOtherQuestions(page);
  await page.fill('#q-forest_economy_base_investment', '3000万');
  const card = page.locator('#benefit-hangzhou-2025-forest-economy-base');
  await expect(card).toContainText('1000万元');

  await page.getByRole('button', { name: /再添加一项山林经济/ }).click();
  const second = page.locator('#q-forest_economy_base_investment-2');
  await expect(second).toBeVisible();
  // The new field is labelled by its item, and an empty one changes nothing.
  await expect(page.locator('label[for="q-forest_economy_base_investment-2"]')).toContainText('第2项');
  await expect(card).toContainText('1000万元');
  await second.fill('2000万');
  await expect(card.locator('summary .amount')).toContainText('1700万元');
  await expect(card.locator('.items li')).toHaveCount(2);
  await expect(card.locator('.items li').nth(1)).toContainText('700万元');

  // A bad second answer is named at its own field; the first stays.
  await second.fill('-5');
  await expect(page.locator('#q-forest_economy_base_investment-2-error')).toBeVisible();
  await expect(card.locator('summary .amount')).toContainText('1000万元');
  await second.fill('2000万');
  await expect(card.locator('summary .amount')).toContainText('1700万元');

  await page.reload();
  await showOtherQuestions(page);
  await expect(page.locator('#q-forest_economy_base_investment-2')).toHaveValue('2000万');
  await expect(card.locator('summary .amount')).toContainText('1700万元');
  await page.locator('fieldset:has(#q-forest_economy_base_investment)').screenshot({ path: 'test-results/items-questions-zh.png' });
  await card.screenshot({ path: 'test-results/items-card-zh.png' });

  await page.getByRole('button', { name: '删除第2项' }).click();
  await expect(page.locator('#q-forest_economy_base_investment-2')).toHaveCount(0);
  await expect(card.locator('summary .amount')).toContainText('1000万元');
});

test('a share link carries every item', async ({ page, browser }) => {
  await page.goto('/');
  await setAsOf(page, '2025-06-30');
  await page.selectOption('#q-district', 'chunan');
  await showOtherQuestions(page);
  await page.fill('#q-forest_economy_base_investment', '3000万');
  await page.getByRole('button', { name: /再添加一项山林经济/ }).click();
  await page.fill('#q-forest_economy_base_investment-2', '2000万');
  await page.click('#share-link');
  const url = await page.locator('#share-url').inputValue();

  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  await other.goto(url);
  await showOtherQuestions(other);
  await expect(other.locator('#q-forest_economy_base_investment-2')).toHaveValue('2000万');
  await expect(other.locator('#benefit-hangzhou-2025-forest-economy-base summary .amount')).toContainText('1700万元');
  await fresh.close();
});
