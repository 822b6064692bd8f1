// The staff console: accounts made on the command line, the sign-in with a forced new password
// and (for roles that need it) an authenticator app, the admins' accounts page, and the
// hardened headers. Runs in every project: the console is plain forms, JavaScript or not.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { expectAccessible, jsEnabled, open } from './support';
import { addAccount, chooseNewPassword, signIn, totp } from './staff-support';

test('a teacher signs in with the temporary password and must choose their own', async ({ page }, testInfo) => {
  const name = `teacher.${testInfo.project.name}`;
  const temporary = addAccount(name, 'teacher');
  await signIn(page, name, 'not the password');
  await expect(page.getByRole('alert')).toHaveText('登录名或密码不正确。');
  await expect(page.getByLabel('登录名')).toHaveValue(name);
  await signIn(page, name, temporary);
  // (Too short a password the browser itself refuses: minlength.)
  await page.getByLabel('新密码', { exact: true }).fill('blue glaze at the kiln 2026');
  await page.getByLabel('再次输入新密码').fill('blue glaze at the kiln 2025');
  await page.getByRole('button', { name: '保存新密码' }).click();
  await expect(page.getByRole('alert')).toHaveText('两次输入的新密码不一致。');
  await chooseNewPassword(page, 'blue glaze at the kiln 2026');
  await expect(page).toHaveURL(/\/staff\?password-changed$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('工作人员后台');
  await expect(page.getByText('教师', { exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: '工作人员账号' })).toHaveCount(0);
  await expectAccessible(page, testInfo);
  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page).toHaveURL(/\/staff\/login$/);
  await page.goto('/staff');
  await expect(page).toHaveURL(/\/staff\/login$/);
});

test('an admin sets up an authenticator app, keeps recovery codes and adds an account', async ({ page }, testInfo) => {
  const name = `admin.${testInfo.project.name}`;
  await signIn(page, name.replace('admin', 'nobody'), 'whatever it is');
  await expect(page.getByRole('alert')).toHaveText('登录名或密码不正确。');
  const temporary = addAccount(name, 'admin');
  await signIn(page, name, temporary);
  await expect(page).toHaveURL(/\/staff\/enrol$/);
  await expect(page.locator('.staff-qr svg')).toBeVisible();
  const secret = (await page.locator('code.staff-secret').textContent())!;
  await page.getByLabel('应用显示的 6 位验证码').fill(totp(secret));
  await page.getByRole('button', { name: '确认' }).click();
  await expect(page).toHaveURL(/\/staff\/recovery-codes$/);
  await expect(page.locator('.staff-recovery-codes li')).toHaveCount(10);
  await page.getByRole('link', { name: '我已保存好，继续' }).click();
  await chooseNewPassword(page, 'celadon and cobalt 2026');
  await page.getByRole('link', { name: '工作人员账号' }).click();
  await expect(page.getByRole('link', { name, exact: true })).toBeVisible();
  await expectAccessible(page, testInfo);

  const added = `volunteer.${testInfo.project.name}`;
  await page.getByLabel('登录名').fill('Bad Name');
  await page.getByLabel('向其他工作人员显示的姓名').fill('陈静');
  await page.getByRole('checkbox', { name: '志愿者' }).check();
  await page.getByRole('button', { name: '添加账号' }).click();
  await expect(page.getByRole('alert')).toContainText('登录名为 3 至 32 个字符');
  await expect(page.getByLabel('向其他工作人员显示的姓名')).toHaveValue('陈静');
  await expect(page.getByRole('checkbox', { name: '志愿者' })).toBeChecked();
  await page.getByLabel('登录名').fill(added);
  await page.getByRole('button', { name: '添加账号' }).click();
  await expect(page.getByRole('status')).toContainText(added);
  await expect(page.locator('.notice--saved code.staff-secret')).toHaveText(/^[a-z2-9]{16}$/);

  await page.getByRole('link', { name: '审计日志' }).click();
  await expect(page.getByRole('cell', { name: `user:${added}` })).toBeVisible();
});

test('every page carries a nonce-based CSP and the islands still run under it', async ({ page }, testInfo) => {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) violations.push(message.text());
  });
  const response = await page.goto('/');
  const csp = response!.headers()['content-security-policy'];
  expect(csp).toMatch(/script-src 'nonce-[A-Za-z0-9+/=_-]+' 'strict-dynamic'/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(response!.headers()['permissions-policy']).toContain('geolocation=(self)');
  if (jsEnabled(testInfo)) {
    await expect(page.locator('html[data-hydrated]')).toHaveCount(1, { timeout: 15_000 });
  }
  expect(violations).toEqual([]);
  const staff = await page.goto('/staff/login');
  expect(staff!.headers()['cache-control']).toBe('no-store');
});

/** An account with `role` made on the command line and signed in all the way in a new context:
 *  temporary password, authenticator set-up, recovery codes, own password. */
async function staffPage(browser: Browser, name: string, role: string): Promise<Page> {
  const page = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await setUpStaff(page, name, role);
  return page;
}

/** A new account of `role` signed in on `page`: temporary password, authenticator, own password. */
async function setUpStaff(page: Page, name: string, role: string) {
  const temporary = addAccount(name, role);
  await signIn(page, name, temporary);
  await expect(page).toHaveURL(/\/staff\/enrol$/);
  const secret = (await page.locator('code.staff-secret').textContent())!;
  await page.getByLabel('应用显示的 6 位验证码').fill(totp(secret));
  await page.getByRole('button', { name: '确认' }).click();
  await page.getByRole('link', { name: '我已保存好，继续' }).click();
  await chooseNewPassword(page, `${name} kiln glaze 2026`);
  await expect(page).toHaveURL(/\/staff\?password-changed$/);
}

test('a red warning for one township goes out only when a second person approves it, and shows live there only', async ({ browser, page }, testInfo) => {
  test.setTimeout(90_000); // two staff accounts set up from scratch, three browsers
  // A township of its own per project, and another one for the resident elsewhere.
  const [code, township] = ({ 'js-off': ['360222106', '洪源镇'], 'js-on': ['360222107', '寿安镇'], phone: ['360222108', '三龙镇'] } as Record<string, string[]>)[testInfo.project.name];
  const elsewhere = '360222109';
  const headline = `【测试】${township}暴雨红色预警 ${testInfo.project.name}-${Date.now()}`;
  const publisher = await staffPage(browser, `pub.${testInfo.project.name}`, 'publisher');
  const approver = await staffPage(browser, `appr.${testInfo.project.name}`, 'approver');
  const residentElsewhere = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await open(page, `/?code=${code}`, testInfo);
  await open(residentElsewhere, `/?code=${elsewhere}`, testInfo);

  await publisher.locator('.staff-nav').getByRole('link', { name: '预警', exact: true }).click();
  await publisher.getByRole('link', { name: '撰写预警' }).click();
  await expect(publisher.locator('.mode-band')).toContainText('请选择');
  await publisher.getByRole('radio', { name: '正式预警' }).check();
  await publisher.getByLabel('灾害种类').selectOption('rainstorm');
  await publisher.getByRole('radio', { name: /红色/ }).check();
  await publisher.getByRole('checkbox', { name: township, exact: true }).check();
  await publisher.getByLabel('标题').first().fill(headline);
  await publisher.getByLabel('情况说明').first().fill('【测试】预计未来3小时降雨量将达100毫米以上。');
  await publisher.getByLabel('居民应当怎么做').first().fill('【测试】远离河道和低洼地带，不要涉水。');
  const expires = new Date(Date.now() + 8 * 3600_000 + 2 * 3600_000).toISOString().slice(0, 16);
  await publisher.getByLabel('截止时间（北京时间）').fill(expires);
  await publisher.getByRole('button', { name: '保存草稿并预览' }).click();
  await expect(publisher.locator('.mode-band--live')).toContainText('正式');
  await expect(publisher.locator('.compose-previews .warning-card.level-red')).toContainText(headline);
  await publisher.locator('#confirm-submit').fill('红色');
  await publisher.getByRole('button', { name: '提交正式预警，等待审核' }).click();
  await expect(publisher.locator('.compose-state')).toContainText('等待审核');
  const sheet = publisher.url().replace(/\?.*$/, '');

  // Nothing reaches residents before approval.
  await open(page, `/?code=${code}`, testInfo);
  await expect(page.getByText(headline)).toHaveCount(0);

  await approver.goto(sheet);
  await expect(approver.locator('.compose-previews')).toContainText(headline);
  await approver.locator('#confirm-approve').fill('red');
  await approver.getByRole('button', { name: '批准并发布正式预警' }).click();
  await expect(approver.locator('.compose-state')).toContainText('已发布');

  if (jsEnabled(testInfo)) {
    // The open page shows it without a reload.
    await expect(page.locator('section.warnings-mine').getByText(headline)).toBeVisible({ timeout: 5_000 });
  } else {
    await page.reload();
    await expect(page.locator('section.warnings-mine').getByText(headline)).toBeVisible();
  }
  await residentElsewhere.reload();
  await expect(residentElsewhere.locator('section.warnings-mine').getByText(headline)).toHaveCount(0);

  // Ending it takes one click, no approval.
  await publisher.goto(sheet);
  await publisher.getByRole('button', { name: '立即取消此预警' }).click();
  await expect(publisher.locator('.compose-state')).toContainText('已取消');
  await page.reload();
  await expect(page.locator('section.warnings-mine').getByText(headline)).toHaveCount(0);
});

test('a publisher draws the area on the city map, or types it without JavaScript, and it is kept', async ({ page }, testInfo) => {
  test.setTimeout(60_000); // an account set up from scratch
  await setUpStaff(page, `draw.${testInfo.project.name}`, 'publisher');
  await open(page, '/staff/warnings/new', testInfo);
  // The city's bounds (app/data/jingdezhen-districts.geojson): every drawn point falls inside.
  const inCity = (pair: string) => {
    const [lat, lon] = pair.split(',').map(Number);
    return lat > 28.71 && lat < 29.93 && lon > 116.95 && lon < 117.71;
  };
  const polygonField = page.locator('#f-polygon');
  let polygon: string;
  if (jsEnabled(testInfo)) {
    const map = page.locator('svg.area-drawing__overlay');
    const box = (await map.boundingBox())!;
    const at = (fx: number, fy: number) => ({ position: { x: box.width * fx, y: box.height * fy } });
    await map.click(at(0.4, 0.4));
    await map.click(at(0.6, 0.45));
    await expect(polygonField).toHaveValue('', { timeout: 1_000 }); // two corners are no area yet
    await map.click(at(0.5, 0.6));
    await expect(page.locator('svg.area-drawing__overlay circle.drawing-corner')).toHaveCount(3);
    polygon = await polygonField.inputValue();
    const points = polygon.split(' ');
    expect(points).toHaveLength(4);
    expect(points[3]).toBe(points[0]);
    expect(points.every(inCity)).toBe(true);
    // Left of the map is west, the top is north.
    const [first, second, third] = points.map((p) => p.split(',').map(Number));
    expect(second[1]).toBeGreaterThan(first[1]);
    expect(third[0]).toBeLessThan(first[0]);
    await page.getByRole('button', { name: '撤销上一点' }).click();
    await expect(polygonField).toHaveValue('');
    await map.click(at(0.5, 0.6));
    await expect(polygonField).toHaveValue(polygon);

    await page.getByRole('button', { name: '绘制圆形' }).click();
    await expect(page.getByRole('button', { name: '绘制圆形' })).toHaveAttribute('aria-pressed', 'true');
    await map.click(at(0.5, 0.5));
    await map.click(at(0.55, 0.5));
    const circle = await page.locator('#f-circle').inputValue();
    const [centre, radius] = circle.split(' ');
    expect(inCity(centre)).toBe(true);
    // A twentieth of the map's width: the city is about 73 km across, so a few km.
    expect(Number(radius)).toBeGreaterThan(2);
    expect(Number(radius)).toBeLessThan(6);
  } else {
    await expect(page.getByRole('button', { name: '绘制多边形' })).toBeHidden();
    polygon = '29.3000,117.1500 29.3500,117.2500 29.2500,117.3000 29.3000,117.1500';
    await polygonField.fill(polygon);
  }
  await page.getByRole('radio', { name: '测试' }).check();
  await page.getByLabel('灾害种类').selectOption('waterlogging');
  await page.getByRole('radio', { name: /黄色/ }).check();
  await page.getByLabel('标题').first().fill(`【测试】绘制范围 ${testInfo.project.name}`);
  await page.getByLabel('情况说明').first().fill('【测试】绘制范围的演示。');
  await page.getByLabel('居民应当怎么做').first().fill('【测试】无需采取行动。');
  await page.getByLabel('截止时间（北京时间）').fill(new Date(Date.now() + 10 * 3600_000).toISOString().slice(0, 16));
  await page.getByRole('button', { name: '保存草稿并预览' }).click();
  await expect(page.locator('.mode-band--test')).toBeVisible();
  // The saved draft keeps the polygon and draws it, with or without JavaScript.
  await expect(polygonField).toHaveValue(polygon);
  await expect(page.locator('svg.area-drawing__overlay path.map-area')).toHaveAttribute('d', /^M[\d. L]+Z$/);
  await expectAccessible(page, testInfo);
});
