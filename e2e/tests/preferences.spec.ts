// Language switching and settings, with and without JavaScript; they survive a reload.
import { test, expect } from '@playwright/test';
import { open } from './support';

test('the header switches language and the choice survives a reload', async ({ page }, testInfo) => {
  await open(page, '/shelters', testInfo);
  // A plain form post with and without JavaScript: the server sends the resident back to the
  // same page, now in the other language.
  await page.getByRole('button', { name: '切换语言：English' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Emergency shelters');
  await expect(page).toHaveURL(/\/shelters\??$/);
  await expect(page).toHaveTitle('Shelters · Safe Jingdezhen');
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('button', { name: 'Switch language: 中文' })).toBeVisible();
});

test('elderly mode and high contrast are saved and survive a reload', async ({ page }, testInfo) => {
  await open(page, '/settings', testInfo);
  await page.getByLabel('长辈模式（大字体、大按钮）').check();
  await page.getByLabel('高对比度').check();
  await page.getByRole('radio', { name: 'English' }).check();
  await page.getByRole('button', { name: '保存设置' }).click();
  await expect(page.locator('html')).toHaveAttribute('class', /text-large/);
  await expect(page.locator('html')).toHaveAttribute('class', /contrast-high/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  // The post answers with the settings page again, which says so.
  await expect(page).toHaveURL(/\/settings\?saved$/);
  await expect(page.getByRole('status').filter({ hasText: 'Settings saved.' })).toBeVisible();
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('class', 'text-large contrast-high');
  await expect(page.getByLabel('Elderly mode (large text, large buttons)')).toBeChecked();
  await expect(page.getByLabel('High contrast')).toBeChecked();
  // Elderly mode really enlarges the text.
  const size = await page.locator('body').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  expect(size).toBeGreaterThanOrEqual(20);
});
