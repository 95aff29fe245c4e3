// Shared steps of the browser tests.
const { expect } = require('@playwright/test');

/** Sets the as-of date the way a visitor does. */
async function setAsOf(page, date) {
  await page.locator('#as-of').fill(date);
  await page.locator('#as-of').dispatchEvent('change');
}

/**
 * Answers as the Binjiang technology SME of the rule engine issue (R&D spend 1000万 → 1500万),
 * on 2024-06-30, and waits for its 25万元 district total.
 */
async function answerBinjiangSme(page, { previous = '1000万' } = {}) {
  await page.goto('/');
  await setAsOf(page, '2024-06-30');
  await page.selectOption('#q-district', 'binjiang');
  await page.selectOption('#q-tech_enterprise', 'true');
  await page.selectOption('#q-tech_sme_scale', 'true');
  await page.fill('#q-rd_spend', '1500万');
  await page.fill('#q-rd_spend_prev', previous);
  await expect(page.locator('#total-district')).toHaveText('25万元');
}

/** Unfolds the "other questions", as a visitor does who wants to answer one of them. */
async function showOtherQuestions(page) {
  const other = page.locator('#other-questions');
  if (await other.count()) await other.evaluate((d) => { d.open = true; });
}

module.exports = { setAsOf, answerBinjiangSme, showOtherQuestions };
