// The printed A4 report: answers, results with clauses, date, bundle version and hash.
const { test, expect } = require('@playwright/test');
const { answerBinjiangSme } = require('./helpers');

test('printing gives a clean report with answers, citations and the bundle hash', async ({ page }) => {
  await answerBinjiangSme(page);
  await expect(page.locator('#print-report')).toBeHidden();

  await page.emulateMedia({ media: 'print' });
  const report = page.locator('#print-report');
  await expect(report).toBeVisible();
  await expect(page.locator('.questions')).toBeHidden();
  await expect(page.locator('.share')).toBeHidden();
  await expect(report).toContainText('评估日期 2024-06-30；2024年度业绩适用的政策');
  await expect(report).toContainText('你们可能可以申请');
  await expect(report).toContainText(/内容哈希 [0-9a-f]{64}/);
  await expect(report).toContainText('研发投入增量补助');
  await expect(report).toContainText('最高 25万元');
  await expect(report).toContainText('對經營規模符合國家科技型中小企業認定標準');
  await expect(report).toContainText('政策年度研发投入额');
  await expect(report).toContainText('1500万');
  const pdf = await page.pdf({ path: 'test-results/report.pdf', format: 'A4' });
  expect(pdf.length).toBeGreaterThan(10_000);
});
