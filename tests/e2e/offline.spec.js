// Exhibitions: after one visit the app reloads and computes with the network off.
const { test, expect } = require('@playwright/test');
const { setAsOf } = require('./helpers');

test.use({ serviceWorkers: 'allow' });

test('offline after one visit: reload still works and computes', async ({ page, context }) => {
  await page.goto('/');
  await expect(page.locator('#q-district')).toBeVisible();
  // Wait until the service worker has precached everything and controls the page.
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
    }
  });

  await context.setOffline(true);
  const failed = [];
  page.on('requestfailed', (r) => failed.push(r.url()));
  await page.reload();
  await expect(page.locator('#q-district')).toBeVisible();
  await setAsOf(page, '2024-06-30');
  await page.selectOption('#q-district', 'binjiang');
  await page.selectOption('#q-tech_enterprise', 'true');
  await page.selectOption('#q-tech_sme_scale', 'true');
  await page.fill('#q-rd_spend', '1500万');
  await page.fill('#q-rd_spend_prev', '1000万');
  await expect(page.locator('#total-district')).toHaveText('25万元');

  // Kiosk mode is the same page with a query string: also there offline.
  await page.goto('/?kiosk=1');
  await expect(page.locator('.app.kiosk')).toBeVisible();
  // So are the files a portal uses.
  const names = ['rules.json', 'huiqi-element.js', 'engine/huiqi.js', 'engine/huiqi_engine.js', 'engine/huiqi_engine_bg.wasm', 'embed/index.html'];
  const fromCache = await page.evaluate(async (names) => Promise.all(names.map(async (n) => (await fetch(n)).status)), names);
  expect(fromCache).toEqual(names.map(() => 200));
  expect(failed).toEqual([]);
});
