// Results a person can act on: ordered by worth, a "settle it" link to the item that lacks
// the answer, and the print report's application checklist (only the materials a text names).
const { test, expect } = require('@playwright/test');
const { setAsOf, showOtherQuestions } = require('./helpers');

async function answerXiaoshanAnxinbao(page) {
  await page.goto('/');
  await setAsOf(page, '2025-06-30');
  await page.selectOption('#q-district', 'xiaoshan');
  await showOtherQuestions(page);
  await page.selectOption('#q-anxinbao_project_approved', 'true');
  await page.fill('#q-anxinbao_agreement_amount', '500万');
  await page.fill('#q-anxinbao_agreement_equipment', '0');
  await page.fill('#q-anxinbao_cooperation_spend', '600万');
  await page.fill('#q-anxinbao_insurance_payout', '100万');
  await page.fill('#q-anxinbao_insurance_premium', '20万');
  await expect(page.locator('#benefit-xiaoshan-anxinbao-2025-cooperation-grant')).toContainText('150万元');
}

test('eligible benefits come largest first, whatever the order of the rule file', async ({ page }) => {
  await answerXiaoshanAnxinbao(page);
  // The file lists the 16万 premium subsidy (三、4) before the 150万 grant (三、5).
  const ids = await page.locator('.benefit-list.eligible > article').evaluateAll((cards) => cards.map((c) => c.id));
  const grant = ids.indexOf('benefit-xiaoshan-anxinbao-2025-cooperation-grant');
  const premium = ids.indexOf('benefit-xiaoshan-anxinbao-2025-insurance-premium');
  expect(grant).toBeGreaterThanOrEqual(0);
  expect(premium).toBeGreaterThan(grant);
});

test('the print report lists the materials each text names, and says so where it names none', async ({ page }) => {
  await answerXiaoshanAnxinbao(page);
  await page.emulateMedia({ media: 'print' });
  const checklist = page.locator('#print-checklist');
  await expect(checklist).toBeVisible();
  const grant = checklist.locator('li', { hasText: '“安心宝”合作经费30%资助' }).first();
  await expect(grant).toContainText('☐ 合作方案');
  await expect(grant).toContainText('☐ 合作协议');
  await expect(grant).toContainText('依据：原文第13行');
  await expect(grant).toContainText('將合作方案及合作協議提交至區科技局');
  // A benefit whose text names no materials sends the company to its authority.
  await expect(checklist).toContainText('政策原文未列明申报材料，请向');
  await page.locator('#print-report').screenshot({ path: 'test-results/print-checklist-zh.png' });
  const pdf = await page.pdf({ path: 'test-results/report-checklist.pdf', format: 'A4' });
  expect(pdf.length).toBeGreaterThan(10_000);
});

test('a settle-it link goes to the item that still lacks the answer', async ({ page }) => {
  await page.goto('/');
  await setAsOf(page, '2025-06-30');
  await page.selectOption('#q-district', 'shangcheng');
  await showOtherQuestions(page);
  await page.selectOption('#q-concert_top_tier', 'true');
  await page.fill('#q-concert_tickets_sold', '12000');
  await page.getByRole('button', { name: /再添加一项主办的大型演唱会/ }).click();
  await page.fill('#q-concert_tickets_sold-2', '20000');
  const card = page.locator('#benefit-hangzhou-2025-large-concerts');
  const link = card.locator('.settle a');
  await expect(link).toHaveAttribute('href', '#q-concert_top_tier-2');
  await expect(link).toContainText('第2项');
  await card.locator('summary').click();
  await link.click();
  await expect(page.locator('#q-concert_top_tier-2')).toBeFocused();
});
