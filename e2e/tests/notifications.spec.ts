// Notifications with the app closed (Web Push) on the settings page. No push service is
// reachable from here, so the browser side is tested up to the subscription, and the privacy
// note; encryption and delivery are tested in Rust against a local push receiver.
import { test, expect } from '@playwright/test';
import { open, jsEnabled, expectAccessible } from './support';

test('the settings page offers notifications and says what is stored where', async ({ page }, testInfo) => {
  await open(page, '/settings', testInfo);
  const panel = page.getByRole('region', { name: '预警通知' });
  await expect(panel).toContainText('本浏览器未开启通知。');
  if (jsEnabled(testInfo)) {
    await expect(panel.getByText('通知需要开启 JavaScript')).toBeHidden();
    // Notifications are for saved places: without one, the panel sends the resident to save one.
    await expect(panel.getByRole('link', { name: '请先在首页保存至少一个地点：通知只针对您的地点。' })).toBeVisible();
    await expect(panel.getByRole('button', { name: '开启通知' })).toHaveCount(0);
  } else {
    // Without JavaScript there is nothing to tap; the panel says why.
    await expect(panel.getByText('通知需要开启 JavaScript，并使用支持通知的浏览器。')).toBeVisible();
    await expect(panel.getByRole('button', { name: '开启通知' })).toHaveCount(0);
  }
  await expect(page.getByText('您的精确位置从不发送，也从不保存。')).toBeVisible();
  await expect(page.getByText('关闭通知即删除这些信息。')).toBeVisible();
  await expectAccessible(page, testInfo);
});

test('turning notifications on asks the browser and reports a refusal in words', async ({ page, context }, testInfo) => {
  test.skip(!jsEnabled(testInfo), 'needs JavaScript');
  await context.addCookies([{ name: 'sjdz_places', value: '360202000000', url: testInfo.project.use.baseURL! }]);
  await open(page, '/settings', testInfo);
  const panel = page.getByRole('region', { name: '预警通知' });
  await panel.getByRole('button', { name: '开启通知' }).click();
  // Headless Chromium without a granted permission refuses; with it, no push service answers.
  await expect(panel.getByRole('alert')).toHaveText(
    /浏览器没有允许通知|无法连接浏览器的推送服务|此浏览器无法接收通知/,
    { timeout: 20_000 },
  );
  await expect(panel).toContainText('本浏览器未开启通知。');
});

test('the service worker is served for the whole site', async ({ request }) => {
  const response = await request.get('/sw.js');
  expect(response.status()).toBe(200);
  expect(response.headers()['cache-control']).toBe('no-cache');
  expect(await response.text()).toContain('showNotification');
});
