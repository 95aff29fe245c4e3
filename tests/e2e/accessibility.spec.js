// An automated accessibility check (axe) of the page as a visitor uses it.
const { test, expect } = require('@playwright/test');
const { AxeBuilder } = require('@axe-core/playwright');

async function violations(page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}

test('no axe violations, empty and answered, in Chinese and English', async ({ page }) => {
  test.setTimeout(90_000); // three full axe runs over a long page, on a 2-core machine
  await page.goto('/');
  await expect(page.locator('#q-district')).toBeVisible();
  expect(await violations(page)).toEqual([]);

  await page.locator('#as-of').fill('2024-06-30');
  await page.locator('#as-of').dispatchEvent('change');
  await page.selectOption('#q-district', 'binjiang');
  await page.selectOption('#q-tech_enterprise', 'true');
  await page.fill('#q-rd_spend', '很多'); // an inline error is on the page too
  await expect(page.locator('.question.has-error')).toHaveCount(1);
  expect(await violations(page)).toEqual([]);

  await page.getByRole('button', { name: 'English' }).click();
  expect(await violations(page)).toEqual([]);
});

test('the questionnaire works from the keyboard alone', async ({ page }) => {
  await page.goto('/');
  await page.locator('#q-district').focus();
  await page.keyboard.press('ArrowDown'); // choose the first district in the list
  await page.keyboard.press('Tab');
  await expect(page.locator('#q-district')).not.toHaveValue('');
  // Focus is visible: the focus ring style applies to the focused control.
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  expect(outline).not.toBe('none');
});
