// The chart: total subsidy against one number, with the thresholds marked.
const { test, expect } = require('@playwright/test');
const { answerBinjiangSme } = require('./helpers');

test('the chart shows the total along R&D spend with its thresholds', async ({ page }) => {
  await answerBinjiangSme(page);
  await expect(page.locator('#chart-svg')).toHaveCount(0); // computed only when opened
  await page.click('#chart-toggle');
  const svg = page.locator('#chart-svg');
  await expect(svg).toBeVisible();
  await expect(svg).toHaveAttribute('aria-label', /政策年度研发投入额.*阈值：.*1亿/);
  expect(await svg.locator('.threshold').count()).toBeGreaterThan(0);
  await expect(svg.locator('circle.current')).toHaveCount(1);
  await svg.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/chart-zh.png' });
});
