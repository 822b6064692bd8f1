// Shelters: a resident finds the nearest shelter with room and the way there, with JavaScript
// off (links and a GET form) and on ("Shelters near me" rounds the position on the phone).
// The register is the test fixture, imported with the CLI as the bureau would.
import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { expectAccessible, installServiceWorker, jsEnabled, open } from './support';
import { addAccount, chooseNewPassword, signIn } from './staff-support';

test.beforeAll(() => {
  for (const file of ['register.csv', 'register.geojson']) {
    execFileSync('../target/release/safejdz', ['shelters', 'import', `../server/tests/fixtures/shelters/${file}`], {
      env: { ...process.env, SAFEJDZ_DATA_DIR: process.env.E2E_DATA_DIR, SAFEJDZ_LOG_FILTER: 'error' },
    });
  }
});

test('the nearest shelters are listed with their state in words, filtered, and one opens with the way there', async ({ page }, testInfo) => {
  await open(page, '/shelters?at=29.30,117.21', testInfo);
  // The e2e server runs with --demo: the sample register is listed too; the order of the
  // fixture's three among them is what this checks.
  const items = page.locator('.shelter-list > li').filter({ hasText: '测试' });
  await expect(items.first()).toContainText('测试公园（示例）');
  await expect(items.nth(1)).toContainText('测试广场（示例）');
  await expect(items.nth(2)).toContainText('测试体育馆（示例）');
  await expect(page.getByRole('note').filter({ hasText: '示例数据' }).first()).toBeVisible();
  await expect(items.first()).toContainText('步行约');
  await expect(page.locator('.shelter-map svg')).toBeVisible();
  await expectAccessible(page, testInfo);

  await page.getByRole('checkbox', { name: '室内' }).check();
  await page.getByRole('button', { name: '显示避难场所' }).click();
  await expect(page).toHaveURL(/indoor=1/);
  await expect(page).toHaveURL(/at=29\.30%2C117\.21|at=29\.30,117\.21/);
  await expect(page.locator('.shelter-list > li')).toHaveCount(1);
  await expect(items.first()).toContainText('测试体育馆（示例）');

  await items.first().getByRole('link').click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('测试体育馆（示例）');
  await expect(page.getByRole('link', { name: '在高德地图中打开' })).toHaveAttribute('href', /^https:\/\/uri\.amap\.com\/navigation\?to=117\.\d+,29\.\d+,/);
  await expect(page.getByRole('link', { name: '在其他地图应用中打开' })).toHaveAttribute('href', /^geo:29\.310000,117\.190000\?q=/);
  await expectAccessible(page, testInfo);
});

test('"Shelters near me" lists the nearest first from a position rounded on the phone', async ({ page, context }, testInfo) => {
  test.skip(!jsEnabled(testInfo), 'the position needs JavaScript; without it the list is by name');
  await context.grantPermissions(['geolocation']);
  await context.setGeolocation({ latitude: 29.29512, longitude: 117.21187 });
  await open(page, '/shelters', testInfo);
  await page.getByRole('button', { name: '查找我附近的避难场所' }).click();
  // Only the rounded point (0.01°) leaves the phone.
  await expect(page).toHaveURL(/\/shelters\?at=29\.30,117\.21$/);
  await expect(page.locator('.shelter-list > li').first()).toContainText('测试公园（示例）');
});

test('a volunteer says a shelter is full in two taps, and a resident sees it', async ({ page, browser }, testInfo) => {
  test.setTimeout(60_000); // an account set up from scratch
  const name = `vol.${testInfo.project.name}`;
  const password = addAccount(name, 'volunteer');
  // A shelter of the fixture each project reports on, so the projects do not race; assigned
  // to the volunteer as an admin would, here from the command line.
  const [shelter, label, other] = ({
    'js-off': ['test-park', '测试公园（示例）', '测试体育馆（示例）'],
    'js-on': ['test-gym', '测试体育馆（示例）', '测试广场（示例）'],
    phone: ['test-square', '测试广场（示例）', '测试公园（示例）'],
  } as Record<string, string[]>)[testInfo.project.name];
  execFileSync('../target/release/safejdz', ['shelters', 'assign', shelter, name], {
    env: { ...process.env, SAFEJDZ_DATA_DIR: process.env.E2E_DATA_DIR, SAFEJDZ_LOG_FILTER: 'error' },
  });
  await signIn(page, name, password);
  await chooseNewPassword(page, `${name} kiln glaze 2026`);
  await expect(page).toHaveURL(/\/staff\?password-changed$/);
  await page.locator('.staff-nav').getByRole('link', { name: '避难场所状态' }).click();
  // A resident has the shelter's page open in another browser.
  const resident = await (await browser.newContext({ ...testInfo.project.use, locale: 'zh-CN' })).newPage();
  await open(resident, `/shelters/${shelter}`, testInfo);
  await expect(resident.locator('.shelter-state')).not.toContainText('已满');

  const item = page.locator('.report-item').filter({ hasText: label });
  // Only the volunteer's own shelter is listed.
  await expect(page.locator('.report-item')).toHaveCount(1);
  await expect(page.locator('.report-item').filter({ hasText: other })).toHaveCount(0);
  await item.getByRole('button', { name: '已满' }).click();
  await expect(page.getByRole('status')).toContainText('已保存');
  await expect(page.locator('.report-item').filter({ hasText: label })).toContainText(`报告人 ${name}`);
  await expectAccessible(page, testInfo);

  // With JavaScript the open page follows without a reload; without it, the next load shows it.
  if (!jsEnabled(testInfo)) await resident.reload();
  await expect(resident.locator('.shelter-state')).toContainText('已满', { timeout: 10_000 });
  // Put it back for the other tests of this run.
  await item.getByRole('button', { name: '开放' }).click();
  await expect(page.getByRole('status')).toContainText('已保存');
});

test('with the service worker installed, the shelter list opens without a connection and says its time', async ({ page, context }, testInfo) => {
  test.skip(!jsEnabled(testInfo), 'a service worker needs JavaScript');
  await open(page, '/shelters?at=29.30,117.21', testInfo);
  await installServiceWorker(page);
  await page.reload(); // through the worker: kept
  await context.setOffline(true);
  const offline = await page.reload();
  expect(offline?.fromServiceWorker()).toBe(true);
  await expect(page.locator('.shelter-list > li').first()).toContainText('测试公园（示例）');
  await expect(page.locator('.shelters-as-of')).toContainText('状态截至');
  // A shelter list never opened with this query: the list as last kept.
  await page.goto('/shelters?open=1');
  await expect(page.locator('.shelters-as-of')).toContainText('状态截至');
  await context.setOffline(false);
});
