// Answers survive a crashed tab, and a storage quota error is shown, never fatal.
const { test, expect } = require('@playwright/test');
const { answerBinjiangSme } = require('./helpers');

test('answers survive a crashed tab: saved on every change, not on unload', async ({ browser, context }) => {
  const page = await context.newPage();
  await answerBinjiangSme(page);
  // The browser's storage as it is this instant, as a crash would leave it: no unload
  // handler gets to run (there is none; each change is saved as it happens).
  const leftBehind = await context.storageState();
  const restarted = await browser.newContext({ storageState: leftBehind });
  const again = await restarted.newPage();
  await again.goto('/');
  await expect(again.locator('#q-district')).toHaveValue('binjiang');
  await expect(again.locator('#q-rd_spend')).toHaveValue('1500万');
  await expect(again.locator('#total-district')).toHaveText('25万元');
  await restarted.close();
});

test('a storage quota error is shown and the calculator keeps working', async ({ page }) => {
  await page.addInitScript(() => {
    Storage.prototype.setItem = function () {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
  });
  await answerBinjiangSme(page);
  await expect(page.getByRole('status').filter({ hasText: '浏览器不允许保存回答' })).toBeVisible();
  await expect(page.locator('#total-district')).toHaveText('25万元');
  // Still answering, still computing.
  await page.fill('#q-rd_spend', '1300万');
  await expect(page.locator('#total-district')).toHaveText('15万元');
});
