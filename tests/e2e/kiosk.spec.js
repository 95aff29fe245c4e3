// Exhibition (kiosk) mode: large type, no share links, a print button, and the answers
// cleared after the idle time with a visible countdown. The page clock is faked.
const { test, expect } = require('@playwright/test');

test('kiosk mode resets the answers after the idle time, with a countdown', async ({ page }) => {
  await page.clock.install();
  await page.goto('/?kiosk=1&idle=2'); // two minutes
  await expect(page.locator('.app.kiosk')).toBeVisible();
  await expect(page.locator('.kiosk-note')).toContainText('2 分钟无操作后自动清空回答');
  await expect(page.locator('.share')).toHaveCount(0);
  await expect(page.locator('button.print')).toBeVisible();
  await expect(page.locator('a[href^="http"], a[target="_blank"]')).toHaveCount(0);
  // Large type: the question labels are bigger than on the normal page.
  const kioskSize = parseFloat(await page.locator('label[for="q-district"]').evaluate((el) => getComputedStyle(el).fontSize));
  expect(kioskSize).toBeGreaterThanOrEqual(20);

  await page.selectOption('#q-district', 'binjiang');
  await page.selectOption('#q-tech_enterprise', 'true');
  await expect(page.locator('#kiosk-countdown')).toHaveCount(0);

  // After a minute idle the last minute is counted down on screen.
  await page.clock.runFor(65_000);
  await expect(page.locator('#kiosk-countdown')).toBeVisible();
  await expect(page.locator('#kiosk-countdown')).toContainText(/\d+ 秒后清空回答/);
  // A touch means someone is still there: the countdown goes, the answers stay.
  await page.locator('#kiosk-countdown button').click();
  await page.clock.runFor(2_000);
  await expect(page.locator('#kiosk-countdown')).toHaveCount(0);
  await expect(page.locator('#q-district')).toHaveValue('binjiang');

  // Two idle minutes: everything is cleared for the next visitor.
  await page.clock.runFor(125_000);
  await expect(page.locator('#q-district')).toHaveValue('');
  await expect(page.locator('#q-tech_enterprise')).toHaveCount(0);
  await expect(page.locator('#kiosk-countdown')).toHaveCount(0);
  // Saved state is cleared too, so a reload does not bring the answers back.
  await page.reload();
  await expect(page.locator('#q-district')).toHaveValue('');
});

test('the normal page has no kiosk timer', async ({ page }) => {
  await page.goto('/');
  await expect(page.locator('#q-district')).toBeVisible();
  await expect(page.locator('.app.kiosk, .kiosk-note')).toHaveCount(0);
  const size = parseFloat(await page.locator('label[for="q-district"]').evaluate((el) => getComputedStyle(el).fontSize));
  expect(size).toBe(16);
});
