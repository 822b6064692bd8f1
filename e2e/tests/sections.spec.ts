// Every section page is rendered by the server in zh-CN and in en, and passes axe.
import { test, expect } from '@playwright/test';
import { open, expectAccessible } from './support';

const sections = [
  { path: '/', zh: '当前预警', en: 'Current warnings', nav: '预警' },
  { path: '/shelters', zh: '应急避难场所', en: 'Emergency shelters', nav: '避难场所' },
  { path: '/drills', zh: '安全演练', en: 'Safety drills', nav: '演练' },
  { path: '/learn', zh: '安全科普', en: 'Safety knowledge', nav: '科普' },
  { path: '/settings', zh: '设置', en: 'Settings', nav: null },
];

for (const section of sections) {
  test(`${section.path} renders in Chinese by default`, async ({ page }, testInfo) => {
    await open(page, section.path, testInfo);
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(section.zh);
    await expect(page.getByRole('banner')).toContainText('平安瓷都');
    await expect(page.getByRole('banner')).toContainText('Safe Jingdezhen');
    if (section.nav) {
      const current = page.getByRole('navigation', { name: '主导航' }).locator('a[aria-current="page"]');
      await expect(current).toHaveText(section.nav);
    }
    await expectAccessible(page, testInfo);
  });

  test(`${section.path} renders in English for an English browser`, async ({ browser }, testInfo) => {
    const context = await browser.newContext({ ...testInfo.project.use, locale: 'en-US' });
    const page = await context.newPage();
    await open(page, section.path, testInfo);
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(section.en);
    await expectAccessible(page, testInfo);
    await context.close();
  });
}

test('the server sends the content itself, not an empty shell', async ({ request }) => {
  const html = await (await request.get('/shelters', { headers: { 'Accept-Language': 'en' } })).text();
  expect(html).toContain('<html lang="en"');
  expect(html).toContain('Emergency shelters');
});

test('an unknown path gets the app 404 page with status 404', async ({ page }, testInfo) => {
  const response = await open(page, '/this/does/not/exist', testInfo);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('找不到这个页面');
  await page.getByRole('link', { name: '返回预警首页' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('当前预警');
});

test('the section navigation moves between pages', async ({ page }, testInfo) => {
  await open(page, '/', testInfo);
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '科普' }).click();
  await expect(page).toHaveURL(/\/learn$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('安全科普');
});

test('in demo mode every page says so in both languages', async ({ page }, testInfo) => {
  for (const path of ['/', '/shelters', '/drills', '/learn', '/settings']) {
    await open(page, path, testInfo);
    const banner = page.getByRole('note').filter({ hasText: 'DEMO' });
    await expect(banner).toBeVisible();
    await expect(banner).toContainText('演示');
    await expect(banner).toContainText('不是真实预警');
  }
});
