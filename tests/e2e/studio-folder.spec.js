// Save into an opened folder (File System Access API): the studio writes the edited file
// back where it came from, after a confirmation. A native folder dialog cannot be driven
// headless, so the page's folder picker hands over an Origin Private File System folder
// (navigator.storage.getDirectory()): everything after the pick is the studio's own path.
const { test, expect } = require('@playwright/test');
const path = require('path');
const fs = require('node:fs');

const root = path.join(__dirname, '../..');
const DOC = 'hangzhou-business-registration-2021.toml';
const WHEN = 'when = ["setting_up_company"]';

/** The repository's rule files as the folder holds them: name under rules/ → text. */
function ruleFiles() {
  const names = [
    ...fs.readdirSync(path.join(root, 'rules')).filter((n) => n.endsWith('.toml')),
    ...fs.readdirSync(path.join(root, 'rules/facts')).filter((n) => n.endsWith('.toml')).map((n) => `facts/${n}`),
  ];
  return names.map((n) => [n, fs.readFileSync(path.join(root, 'rules', n), 'utf8')]);
}

/** The text of a file in the private folder `rules/`. */
const readBack = (page, name) => page.evaluate(async (name) => {
  let dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('rules');
  const parts = name.split('/');
  for (const p of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(p);
  return (await (await dir.getFileHandle(parts.at(-1))).getFile()).text();
}, name);

test.beforeEach(async ({ page }) => {
  await page.addInitScript(() => {
    window.showDirectoryPicker = async () => (await navigator.storage.getDirectory()).getDirectoryHandle('rules');
  });
  await page.goto('/studio/');
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true', { timeout: 20_000 });
  // The folder on "disk": a fresh copy of rules/ in the origin's private file system.
  await page.evaluate(async (files) => {
    const top = await navigator.storage.getDirectory();
    await top.removeEntry('rules', { recursive: true }).catch(() => {});
    const dir = await top.getDirectoryHandle('rules', { create: true });
    const facts = await dir.getDirectoryHandle('facts', { create: true });
    for (const [name, text] of files) {
      const into = name.startsWith('facts/') ? facts : dir;
      const file = await into.getFileHandle(name.replace(/^facts\//, ''), { create: true });
      const w = await file.createWritable();
      await w.write(text);
      await w.close();
    }
  }, ruleFiles());
});

test('Save writes the edited file back into the opened folder, after a confirmation', async ({ page }) => {
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.click('#open-folder');
  await expect(page.locator('#status')).toContainText('已打开文件夹“rules”');
  await expect(page.locator('#check-summary')).toHaveClass('ok');
  await page.locator('#files button', { hasText: DOC }).first().click();
  await expect(page.locator('#file-name')).toHaveText(`rules/${DOC}`);

  // An edit: a second condition.
  await page.locator('.cm-line', { hasText: WHEN }).first().click();
  await page.keyboard.press('End');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.type(', "tech_enterprise"');
  const edited = 'when = ["setting_up_company", "tech_enterprise"]';
  await expect(page.locator('.cm-line', { hasText: edited })).toHaveCount(1);

  // Cancelled: nothing is written, the edit stays in the editor.
  let asked = '';
  page.once('dialog', (d) => { asked = d.message(); d.dismiss(); });
  await page.click('#save-file');
  await expect(page.locator('#save-status')).toContainText('未保存');
  expect(asked).toContain(`rules/${DOC}`);
  expect(asked).toContain('Write the edited file back');
  expect(await readBack(page, DOC)).toContain(WHEN);
  await expect(page.locator('.cm-line', { hasText: edited })).toHaveCount(1);

  // Confirmed: the file in the folder is the edited text, the others are untouched.
  page.once('dialog', (d) => d.accept());
  await page.click('#save-file');
  await expect(page.locator('#save-status')).toContainText(`已保存到文件夹：rules/${DOC}`);
  const saved = await readBack(page, DOC);
  expect(saved).toContain(edited);
  expect(saved).toBe(fs.readFileSync(path.join(root, 'rules', DOC), 'utf8').replace(WHEN, edited));
  expect(await readBack(page, 'facts.toml')).toBe(fs.readFileSync(path.join(root, 'rules/facts.toml'), 'utf8'));

  // Opened again (a new visit): the folder gives back the saved text.
  await page.reload();
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true', { timeout: 20_000 });
  await page.click('#open-folder');
  await expect(page.locator('#status')).toContainText('已打开文件夹“rules”');
  await page.locator('#files button', { hasText: DOC }).first().click();
  await expect(page.locator('.cm-line', { hasText: edited })).toHaveCount(1);
  await expect(page.locator('#change-log')).toContainText('修改 / Changed (1)');
  expect(problems).toEqual([]);
});

test('a file saved into a facts/ folder goes back there; files not from a folder download', async ({ page }) => {
  await page.click('#open-folder');
  await expect(page.locator('#status')).toContainText('已打开文件夹“rules”');
  await page.locator('#files button', { hasText: 'facts/city-ai.toml' }).first().click();
  await page.locator('.cm-content').click();
  await page.keyboard.press('Control+Home');
  await page.keyboard.type('# edited in the studio\n');
  page.once('dialog', (d) => d.accept());
  await page.click('#save-file');
  await expect(page.locator('#save-status')).toContainText('已保存到文件夹：rules/facts/city-ai.toml');
  expect(await readBack(page, 'facts/city-ai.toml')).toMatch(/^# edited in the studio\n/);

  // The bundled rules (no folder opened): Save downloads the file, no question asked.
  await page.reload();
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true', { timeout: 20_000 });
  let asked = false;
  page.on('dialog', (d) => { asked = true; d.dismiss(); });
  await page.locator('#files button', { hasText: DOC }).first().click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save-file')]);
  expect(download.suggestedFilename()).toBe(DOC);
  expect(asked).toBe(false);
  await expect(page.locator('#save-status')).toContainText(`已下载 rules/${DOC}`);
});
