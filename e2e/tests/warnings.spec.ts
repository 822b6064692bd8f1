// The home page: choose a place from the list, see its warnings first; save it; the level is
// words + icon + colour. Runs against `serve --demo` (labelled sample warnings).
import { test, expect } from '@playwright/test';
import { open, jsEnabled, expectAccessible, pushToken } from './support';

test('a place chosen from the list shows its warnings first, and can be saved', async ({ page, context }, testInfo) => {
  await context.clearCookies();
  await open(page, '/', testInfo);
  const mine = page.locator('section.warnings-mine');
  await expect(mine).toContainText('您还没有设置地点');
  await expect(page.locator('section.warnings-elsewhere')).toContainText('【演示样例】浮梁县发布地质灾害气象风险黄色预警');

  await page.getByLabel('选择地点（区县、乡镇或街道）').selectOption({ label: '鹅湖镇' });
  await page.getByRole('button', { name: '查看预警' }).click();
  await expect(page).toHaveURL(/\?code=360222/);
  await expect(mine.getByRole('heading', { level: 2 })).toHaveText('此地点的预警');
  await expect(mine).toContainText('浮梁县 · 鹅湖镇');
  const card = mine.locator('article.warning-card').first();
  await expect(card).toContainText('【演示样例】浮梁县发布地质灾害气象风险黄色预警');
  // The level in words, with an icon beside the colour band.
  await expect(card.locator('.warning-level')).toContainText('黄色预警');
  await expect(card.locator('.warning-level svg')).toHaveCount(1);
  // The rainstorm for 昌江区 and 珠山区 is elsewhere, not mine.
  await expect(mine).not.toContainText('暴雨');
  await expect(page.locator('section.warnings-elsewhere')).toContainText('暴雨');
  await expectAccessible(page, testInfo);

  await page.getByRole('button', { name: '保存为我的地点' }).click();
  await expect(mine.getByRole('button', { name: '移除' })).toBeVisible();
  await open(page, '/', testInfo);
  await expect(mine.getByRole('heading', { level: 2 })).toHaveText('我的地点的预警');
  await expect(mine).toContainText('【演示样例】浮梁县发布地质灾害气象风险黄色预警');
  if (jsEnabled(testInfo)) await expectAccessible(page, testInfo);
});

test('a lifted warning is not shown and the cancelled one is gone', async ({ page }, testInfo) => {
  await open(page, '/', testInfo);
  await expect(page.locator('main')).not.toContainText('大风蓝色预警');
  await expect(page.locator('main')).toContainText('预警信息更新于');
});

/** A CAP message for 乐平市 as the city feed would push it (other tests use 浮梁县). */
function cap(identifier: string, msgType: string, headline: string, references = '', place = ['360281000000', '乐平市']) {
  const sent = new Date().toISOString().replace(/\.\d+Z$/, '+00:00');
  const refs = references ? `<references>${references}</references>` : '';
  return {
    sent,
    xml: `<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>${identifier}</identifier>
  <sender>e2e@safejdz.test</sender><sent>${sent}</sent><status>Actual</status><msgType>${msgType}</msgType>
  <scope>Public</scope>${refs}<info><language>zh-CN</language><category>Met</category><event>冰雹</event>
  <urgency>Immediate</urgency><severity>橙色</severity><certainty>Likely</certainty><headline>${headline}</headline>
  <area><areaDesc>${place[1]}</areaDesc><geocode><valueName>CPEAS Geographic Code</valueName><value>${place[0]}</value></geocode></area>
  </info></alert>`,
  };
}

test('a pushed warning appears on the open page, an Update changes it, a Cancel removes it', async ({ page, request }, testInfo) => {
  test.skip(!jsEnabled(testInfo), 'live updates need JavaScript');
  const id = `e2e-${testInfo.project.name}-${Date.now()}`;
  await open(page, '/?code=360281', testInfo);
  const mine = page.locator('section.warnings-mine');
  const headers = { Authorization: `Bearer ${pushToken}`, 'Content-Type': 'application/cap+xml' };

  const first = cap(id, 'Alert', `【测试】${id} 冰雹橙色预警`);
  expect((await request.post('/api/v1/cap', { headers, data: first.xml })).status()).toBe(201);
  await expect(mine).toContainText(`【测试】${id} 冰雹橙色预警`, { timeout: 5_000 });
  await expect(page.getByRole('alert').filter({ hasText: '新预警，与您的地点有关' })).toBeVisible();

  const update = cap(`${id}-u`, 'Update', `【测试】${id} 冰雹红色预警`, `e2e@safejdz.test,${id},${first.sent}`);
  expect((await request.post('/api/v1/cap', { headers, data: update.xml })).status()).toBe(201);
  await expect(mine).toContainText(`【测试】${id} 冰雹红色预警`, { timeout: 5_000 });
  await expect(mine).not.toContainText(`【测试】${id} 冰雹橙色预警`);

  const cancel = cap(`${id}-c`, 'Cancel', `【测试】${id} 取消`, `e2e@safejdz.test,${id}-u,${update.sent}`);
  expect((await request.post('/api/v1/cap', { headers, data: cancel.xml })).status()).toBe(201);
  await expect(mine).not.toContainText(id, { timeout: 5_000 });
});

test('a warning opens on its own page with status, history and read-aloud', async ({ page }, testInfo) => {
  await open(page, '/?code=360202', testInfo);
  await page.locator('section.warnings-mine').getByRole('link', { name: /暴雨黄色预警信号升级为橙色/ }).click();
  await expect(page).toHaveURL(/\/alerts\/\d+$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('【演示样例】景德镇市气象台将暴雨黄色预警信号升级为橙色');
  await expect(page.getByRole('status').filter({ hasText: '状态：生效中' })).toBeVisible();
  await expect(page.getByRole('heading', { name: '预警过程' })).toBeVisible();
  // The offline map: the districts and the warning's area, described in words.
  await expect(page.getByRole('img', { name: /地图（示意，不可用于导航）/ })).toBeVisible();
  await expect(page.locator('.warning-map path.map-area').first()).toBeVisible();
  // The first version says it was updated and links the latest.
  await page.locator('.warning-history a').first().click();
  await expect(page.getByText('状态：已更新，此为旧版本。')).toBeVisible();
  await expect(page.getByRole('link', { name: '查看最新版本' })).toBeVisible();
  // Read aloud needs JavaScript: shown only when it can work.
  await expect(page.getByRole('button', { name: '朗读预警' })).toHaveCount(jsEnabled(testInfo) ? 1 : 0);
  await expectAccessible(page, testInfo);
});

test('"use my location" asks only on tap and sends a point rounded to about 1 km', async ({ page, context }, testInfo) => {
  test.skip(!jsEnabled(testInfo), 'geolocation needs JavaScript');
  await context.grantPermissions(['geolocation']);
  // 昌江区, more precisely than the server ever sees.
  await context.setGeolocation({ latitude: 29.273565, longitude: 117.18363 });
  await open(page, '/', testInfo);
  await page.getByRole('button', { name: '使用我的位置' }).click();
  await expect(page).toHaveURL(/\?at=29\.27,117\.18$/);
  const mine = page.locator('section.warnings-mine');
  await expect(mine).toContainText('昌江区附近 (29.27, 117.18)');
  await expect(mine).toContainText('暴雨');
});

test('with vibration turned on in Settings, a new warning for my place vibrates the phone', async ({ page, request }, testInfo) => {
  test.skip(!jsEnabled(testInfo), 'vibration needs JavaScript');
  // Record what the page asks of the vibration motor.
  await page.addInitScript(() => {
    (window as any).__vibrations = [];
    Object.defineProperty(navigator, 'vibrate', {
      value: (pattern: number | number[]) => ((window as any).__vibrations.push(pattern), true),
    });
  });
  await open(page, '/settings', testInfo);
  await page.getByLabel('振动（支持振动的手机）').check();
  await page.getByRole('button', { name: '保存设置' }).click();
  await expect(page.locator('html')).toHaveAttribute('class', /alert-vibrate/);
  await page.reload();
  await expect(page.getByLabel('振动（支持振动的手机）')).toBeChecked();
  await expect(page.getByLabel('播放提示音')).not.toBeChecked();

  const id = `e2e-vibrate-${testInfo.project.name}-${Date.now()}`;
  // A place of its own per project (a warning another test pushes meanwhile would vibrate too),
  // and one whose page no other test reads.
  const [code, name, link] = testInfo.project.name === 'phone'
    ? ['360202101000', '鲇鱼山镇', '360202101']
    : ['360203000000', '珠山区', '360203'];
  const place = [code, name];
  await open(page, `/?code=${link}`, testInfo);
  const headers = { Authorization: `Bearer ${pushToken}`, 'Content-Type': 'application/cap+xml' };
  const warning = cap(id, 'Alert', `【测试】${id} 冰雹橙色预警`, '', place);
  expect((await request.post('/api/v1/cap', { headers, data: warning.xml })).status()).toBe(201);
  await expect(page.getByRole('alert').filter({ hasText: '新预警，与您的地点有关' })).toBeVisible({ timeout: 5_000 });
  expect(await page.evaluate(() => (window as any).__vibrations)).toEqual([[400, 150, 400]]);
  // Leave the city as it was for the other tests.
  const cancel = cap(`${id}-c`, 'Cancel', `【测试】${id} 取消`, `e2e@safejdz.test,${id},${warning.sent}`, place);
  expect((await request.post('/api/v1/cap', { headers, data: cancel.xml })).status()).toBe(201);
});

test('a place that cannot be saved is refused in words, and nothing saved is lost', async ({ page, context }, testInfo) => {
  // Five saved places: the most there may be.
  const five = ['360202000000', '360203000000', '360222000000', '360281000000', '360222101000'];
  await context.addCookies([{ name: 'sjdz_places', value: five.join('~'), url: testInfo.project.use.baseURL! }]);
  await open(page, '/?code=360222102', testInfo);
  await page.locator('section.warnings-mine').getByRole('button', { name: '保存为我的地点' }).click();
  await expect(page).toHaveURL(/\?code=360222102&error=places-error-too-many$/);
  await expect(page.getByRole('alert').filter({ hasText: '最多保存 5 个地点。请先移除一个。' })).toBeVisible();
  const cookie = (await context.cookies()).find((c) => c.name === 'sjdz_places');
  expect(cookie?.value).toBe(five.join('~'));
  // A link cannot put words of its own into the notice: only error messages are shown.
  await open(page, '/?error=warnings-heading', testInfo);
  await expect(page.locator('main .notice--error')).toHaveCount(0);
});

test('an open warning page tells of a cancellation as it happens', async ({ page, request }, testInfo) => {
  test.skip(!jsEnabled(testInfo), 'live updates need JavaScript');
  const id = `e2e-page-${testInfo.project.name}-${Date.now()}`;
  const headers = { Authorization: `Bearer ${pushToken}`, 'Content-Type': 'application/cap+xml' };
  const first = cap(id, 'Alert', `【测试】${id} 冰雹橙色预警`);
  expect((await request.post('/api/v1/cap', { headers, data: first.xml })).status()).toBe(201);
  await open(page, '/?code=360281', testInfo);
  await page.locator('section.warnings-mine').getByRole('link', { name: `【测试】${id} 冰雹橙色预警` }).click();
  await expect(page).toHaveURL(/\/alerts\/\d+$/);
  await expect(page.locator('html[data-hydrated]')).toHaveCount(1);
  await expect(page.getByRole('status').filter({ hasText: '状态：生效中' })).toBeVisible();

  const cancel = cap(`${id}-c`, 'Cancel', `【测试】${id} 取消`, `e2e@safejdz.test,${id},${first.sent}`);
  expect((await request.post('/api/v1/cap', { headers, data: cancel.xml })).status()).toBe(201);
  await expect(page.getByRole('alert').filter({ hasText: '此预警有变化：' })).toContainText('已取消', { timeout: 5_000 });
  await expect(page.locator('#live-status')).toContainText('已取消');
  await expect(page.getByRole('heading', { name: '预警过程' })).toBeVisible();
});

test('the English warning page lists its history in English', async ({ browser }, testInfo) => {
  const context = await browser.newContext({ ...testInfo.project.use, locale: 'en-US' });
  const page = await context.newPage();
  await open(page, '/?code=360202', testInfo);
  await page.locator('section.warnings-mine').getByRole('link', { name: /raised from yellow to orange/ }).click();
  const history = page.locator('.warning-history');
  await expect(history.locator('li')).toHaveCount(2);
  await expect(history).not.toContainText('暴雨');
  await expect(history).toContainText('[DEMO SAMPLE]');
  await context.close();
});
