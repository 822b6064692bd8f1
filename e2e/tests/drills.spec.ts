// Drills: a resident plays a scenario to its end. With JavaScript off each choice is a form
// button and the server renders the next step; with it on, the player island moves in place,
// counts a timed step down, keeps the place in the address and the result on the device.
import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, jsEnabled, open } from './support';

// The right path of the classroom earthquake: seven decisions (server/data/drills).
const rightPath = ['listen', 'cover', 'stay', 'route', 'steady', 'stay-with-class', 'tell'];

const pick = (page: Page, id: string) => page.locator(`button[name="pick"][value="${id}"]`).click();

test('the list offers the seven drills and a drill plays to a safe end', async ({ page }, testInfo) => {
  await open(page, '/drills', testInfo);
  await expect(page.locator('.drill-card')).toHaveCount(7);
  await expectAccessible(page, testInfo);
  await page.getByRole('link', { name: '课堂上的地震' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('课堂上的地震');
  if (jsEnabled(testInfo)) await expect(page.locator('html[data-hydrated]')).toHaveCount(1);
  await expect(page.getByRole('heading', { level: 2, name: '第 1 步' })).toBeVisible();
  await expectAccessible(page, testInfo);

  await pick(page, rightPath[0]);
  await expect(page.getByRole('heading', { level: 2, name: '第 2 步' })).toBeVisible();
  await expect(page.getByRole('status')).toContainText('✓ 做对了');
  // The timed step: a countdown with JavaScript, the limit in words without.
  await expect(page.getByRole('timer')).toContainText(jsEnabled(testInfo) ? /还剩 \d+ 秒/ : '本步限时 12 秒');

  // Step 3 shows its picture, with words for those who do not see it, loaded from the site.
  await pick(page, rightPath[1]);
  const picture = page.getByRole('img', { name: /课桌下/ });
  await expect(picture).toBeVisible();
  await expect(picture).toHaveAttribute('src', '/illustrations/earthquake-under-desk.svg');
  await expect.poll(() => picture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);

  for (const id of rightPath.slice(2)) await pick(page, id);
  await expect(page.getByRole('heading', { level: 2, name: /你安全了/ })).toBeVisible();
  await expect(page.locator('.drill-score')).toHaveText('做对 7 / 7 个决定');
  await expect(page.locator('.drill-remember > li')).toHaveCount(3);
  await expect(page.locator('.drill-review > li')).toHaveCount(7);
  await expectAccessible(page, testInfo);
  // Without JavaScript the path is in the address; with it, the player kept it there too.
  await expect(page).toHaveURL(/path=listen/);
});

test('a wrong choice says why, and a dangerous one ends in a lesson', async ({ page }, testInfo) => {
  await open(page, '/drills/earthquake-classroom', testInfo);
  await pick(page, 'window');
  await expect(page.getByRole('status')).toContainText('✗ 不对');
  await pick(page, 'cover');
  await pick(page, 'jump');
  await expect(page.getByRole('heading', { level: 2, name: /这次没有做好/ })).toBeVisible();
  await expect(page.locator('.drill-score')).toHaveText('做对 1 / 3 个决定');
});

test('with JavaScript the player moves without loading pages and the time can run out', async ({ page }, testInfo) => {
  test.skip(!jsEnabled(testInfo), 'the countdown needs JavaScript');
  await page.clock.install();
  await open(page, '/drills/earthquake-classroom', testInfo);
  await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
  await pick(page, 'listen');
  await expect(page.getByRole('timer')).toContainText('还剩 12 秒');
  await page.clock.fastForward(5_000);
  await expect(page.getByRole('timer')).toContainText('还剩 7 秒');
  await page.clock.fastForward(8_000);
  await expect(page.getByRole('status')).toContainText('时间到');
  await expect(page.getByRole('heading', { level: 2, name: /这次没有做好/ })).toBeVisible();
  // No page load happened: the marker set in the page is still there.
  expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
  await expect(page).toHaveURL(/path=listen\._$/);
});

test('a reload keeps the place, and the last result is kept on the phone', async ({ page }, testInfo) => {
  test.skip(!jsEnabled(testInfo), 'the player keeps both with JavaScript');
  await open(page, '/drills/school-fire', testInfo);
  const first = await page.locator('button[name="pick"]').first().getAttribute('value');
  await page.locator('button[name="pick"]').first().click();
  await expect(page.getByRole('heading', { level: 2, name: '第 2 步' })).toBeVisible();
  await page.reload();
  await expect(page.locator('html[data-hydrated]')).toHaveCount(1);
  await expect(page.getByRole('heading', { level: 2, name: '第 2 步' })).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`path=${first}$`));

  await open(page, '/drills/earthquake-classroom', testInfo);
  for (const id of rightPath) await pick(page, id);
  await expect(page.locator('.drill-score')).toHaveText('做对 7 / 7 个决定');
  await open(page, '/drills/earthquake-classroom', testInfo);
  await expect(page.locator('.drill-last-time')).toHaveText('上次在这台手机上：做对 7 / 7 个');
});
