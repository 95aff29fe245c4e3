// The chain rules → engine → WASM → page, checked in a real browser.
const { test, expect } = require('@playwright/test');
const { answerBinjiangSme } = require('./helpers');

test('a Binjiang tech SME sees the R&D increase subsidy of up to 25万元', async ({ page }) => {
  const foreign = [];
  page.on('request', (r) => {
    if (!r.url().startsWith('http://127.0.0.1:8765/')) foreign.push(r.url());
  });
  // Last year's spend in full-width digits, as typed with a Chinese IME.
  await answerBinjiangSme(page, { previous: '１０００万' });
  await expect(page.locator('.masthead h1')).toContainText('惠企');

  const card = page.locator('#benefit-binjiang-2024-rd-increase-sme');
  await expect(card).toContainText('可申请');
  await expect(card).toContainText('最高 25万元');
  await expect(card).toContainText('對經營規模符合國家科技型中小企業認定標準');
  await expect(page.locator('#total-district')).toHaveText('25万元');
  await page.screenshot({ path: 'test-results/first-page-zh.png', fullPage: false });

  // A bad value gets an inline message and the other answers stay.
  await page.fill('#q-rd_spend', '很多');
  await expect(page.locator('.question.has-error .error')).toContainText('不是有效数字');
  await expect(page.locator('#q-rd_spend_prev')).toHaveValue('１０００万');

  await page.fill('#q-rd_spend', '1500万');
  await page.getByRole('button', { name: 'English' }).click();
  await expect(card).toContainText('up to ¥250,000 (25万)');
  await page.screenshot({ path: 'test-results/first-page-en.png', fullPage: false });

  expect(foreign).toEqual([]);
});

test('no sideways scrolling on a 375 px phone, in Chinese and English', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 800 });
  await answerBinjiangSme(page);
  const width = () => page.evaluate(() => document.documentElement.scrollWidth);
  expect(await width()).toBeLessThanOrEqual(375);
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.locator('.masthead h1')).toContainText('Huiqi');
  expect(await width()).toBeLessThanOrEqual(375);
});
