// A class drill session: a teacher opens it, three pupils join from their own browsers with the
// code and a nickname, answer, and the teacher's screen (live with JavaScript, on reload
// without) and the CSV show what each did; a pupil who reloads keeps their place; the
// exercise warning reaches the session's pupils as a drill banner.
import { expect, test, type Browser, type Page, type TestInfo } from '@playwright/test';
import { expectAccessible, jsEnabled } from './support';
import { addAccount, chooseNewPassword, signIn } from './staff-support';

// The right path of the classroom earthquake (server/data/drills/earthquake-classroom.toml).
const rightPath = ['listen', 'cover', 'stay', 'route', 'steady', 'stay-with-class', 'tell'];

async function pupil(browser: Browser, testInfo: TestInfo, code: string, nickname: string): Promise<Page> {
  const context = await browser.newContext({
    locale: 'zh-CN',
    javaScriptEnabled: jsEnabled(testInfo),
    viewport: { width: 360, height: 740 },
  });
  const page = await context.newPage();
  await page.goto(`/join?code=${code}`);
  await expect(page.getByLabel('代码')).toHaveValue(code);
  if (nickname === '小美') await expectAccessible(page, testInfo);
  await page.getByLabel('昵称').fill(nickname);
  await page.getByRole('button', { name: '加入' }).click();
  await expect(page).toHaveURL(/\/class$/);
  await expect(page.getByRole('heading', { level: 2, name: '第 1 步' })).toBeVisible();
  if (nickname === '小美') await expectAccessible(page, testInfo);
  return page;
}

const choose = (page: Page, id: string) => page.locator(`button[name="choice"][value="${id}"]`).click();

/** The teacher's screen, fresh: with JavaScript it updates itself; without, it is reloaded. */
async function teacherSees(teacher: Page, testInfo: TestInfo) {
  if (!jsEnabled(testInfo)) await teacher.reload();
}

test('a teacher runs a session with three pupils; the live view and the CSV match what they did', async ({ page: teacher, browser }, testInfo) => {
  test.setTimeout(120_000);
  const name = `class.teacher.${testInfo.project.name}`;
  const password = addAccount(name, 'teacher');
  await signIn(teacher, name, password);
  await chooseNewPassword(teacher, 'a long e2e passphrase for teachers');
  await teacher.goto('/staff/drills');
  await teacher.getByLabel('演练', { exact: true }).selectOption('earthquake-classroom');
  await teacher.getByLabel('学校或班组').fill('昌江区实验小学（e2e）');
  await teacher.getByRole('button', { name: '开始演练' }).click();
  await expect(teacher).toHaveURL(/\/staff\/drills\/\d{6}$/);
  const code = (await teacher.locator('.join-card__code').innerText()).replace(/\s/g, '');
  await expect(teacher.locator('.join-card__qr svg')).toHaveCount(1);
  if (jsEnabled(testInfo)) await expect(teacher.locator('html[data-hydrated]')).toHaveCount(1);

  const [mei, lei, fang] = [
    await pupil(browser, testInfo, code, '小美'),
    await pupil(browser, testInfo, code, '小雷'),
    await pupil(browser, testInfo, code, '小方'),
  ];
  await teacherSees(teacher, testInfo);
  await expect(teacher.locator('[data-pupil]')).toHaveCount(3);

  // First step: two right, one wrong.
  await choose(mei, 'listen');
  await choose(lei, 'window');
  await choose(fang, 'listen');
  await expect(lei.locator('.drill-feedback')).toContainText('✗ 不对');
  // 小雷 reloads mid-session (within the next step's 12 s): he is where he was.
  await lei.reload();
  await expect(lei.getByRole('heading', { level: 2, name: '第 2 步' })).toBeVisible();
  await expect(lei.locator('.class-who')).toContainText('小雷');
  await teacherSees(teacher, testInfo);
  await expect(teacher.locator('#teacher-tallies [data-choice="listen"]')).toHaveAttribute('data-count', '2');
  await expect(teacher.locator('#teacher-tallies [data-choice="window"]')).toHaveAttribute('data-count', '1');
  await expect(teacher.locator('[data-pupil="小美"] td').nth(1)).toHaveText('在第 2 步');
  await expectAccessible(teacher, testInfo);

  // The exercise warning: on the pupils' screens as a drill banner.
  await teacher.getByRole('button', { name: '发送演练预警' }).click();
  if (!jsEnabled(testInfo)) await fang.reload();
  await expect(fang.locator('.exercise-banner')).toContainText('演练 · 不是真实预警');
  await expect(fang.locator('.exercise-banner')).toContainText('演练：地震');
  await expectAccessible(fang, testInfo);

  // 小美 plays to the safe end.
  for (const id of rightPath.slice(1)) await choose(mei, id);
  await expect(mei.getByRole('heading', { level: 2, name: /你安全了/ })).toBeVisible();
  await teacherSees(teacher, testInfo);
  await expect(teacher.locator('[data-pupil="小美"] td').nth(1)).toHaveText('已完成：安全');
  await expect(teacher.locator('.session-result')).toContainText('3 人加入 · 1 人完成 · 1 人到达安全结局');

  // The projected results name nobody; the CSV has each pupil's answers.
  await teacher.goto(`/staff/drills/${code}/results`);
  await expect(teacher.locator('.tally').first()).toBeVisible();
  for (const nickname of ['小美', '小雷', '小方']) await expect(teacher.getByText(nickname)).toHaveCount(0);
  await expectAccessible(teacher, testInfo);
  const csv = await (await teacher.request.get(`/staff/drills/${code}/results.csv`)).text();
  const lines = csv.split('\r\n');
  expect(lines.filter((line) => line.startsWith('小美,'))).toHaveLength(7);
  expect(lines).toContain(lines.find((line) => line.startsWith('小美,7,')));
  expect(lines.find((line) => line.startsWith('小美,1,'))).toMatch(/^小美,1,[a-z0-9-]+,listen,yes,[\d.]+,true,safe,7,7,100$/);
  expect(lines.find((line) => line.startsWith('小雷,1,'))).toMatch(/^小雷,1,[a-z0-9-]+,window,no,/);
  expect(lines.find((line) => line.startsWith('小方,1,'))).toMatch(/^小方,1,[a-z0-9-]+,listen,yes,/);
  for (const page of [mei, lei, fang]) await page.context().close();
});
