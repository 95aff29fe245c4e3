// Share links and exported files carry the answers; damaged ones are refused politely.
const { test, expect } = require('@playwright/test');
const { answerBinjiangSme } = require('./helpers');

test('a share link opens the same answers in a fresh browser', async ({ page, browser }) => {
  await answerBinjiangSme(page);
  await page.click('#share-link');
  const url = await page.locator('#share-url').inputValue();
  expect(url).toContain('#a=');

  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  await other.goto(url);
  await expect(other.locator('#q-rd_spend')).toHaveValue('1500万');
  await expect(other.locator('#total-district')).toHaveText('25万元');
  // The fragment is cleared once read, so a reload keeps later edits.
  expect(other.url()).not.toContain('#a=');
  await fresh.close();
});

test('a damaged share link is refused and the saved answers stay', async ({ page }) => {
  await answerBinjiangSme(page);
  await page.goto('/#a=eyJodWlxaV9hbnN3ZXJzIjox');
  await page.reload();
  await expect(page.locator('#notice')).toContainText('当前回答未作改动');
  await expect(page.locator('#q-rd_spend')).toHaveValue('1500万');
});

test('answers exported to a file import again; a bad file is refused', async ({ page }) => {
  await answerBinjiangSme(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
  const path = await download.path();
  const text = require('fs').readFileSync(path, 'utf8');
  expect(JSON.parse(text).answers.rd_spend).toBe('1500万');

  page.once('dialog', (d) => d.accept());
  await page.getByRole('button', { name: '清空回答' }).click();
  await expect(page.locator('#q-district')).toHaveValue('');

  await page.setInputFiles('#import', { name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"oops": ') });
  await expect(page.locator('#notice')).toContainText('已损坏');
  await expect(page.locator('#q-district')).toHaveValue('');

  await page.setInputFiles('#import', { name: 'answers.json', mimeType: 'application/json', buffer: Buffer.from(text) });
  await expect(page.locator('#q-rd_spend')).toHaveValue('1500万');
  await expect(page.locator('#total-district')).toHaveText('25万元');
  await expect(page.locator('#notice')).toHaveCount(0);
});
