// Learn: a resident searches the library, reads an article and takes its quiz. With JavaScript
// off the search is a plain GET form and the quiz is sent to its result page; with it on, the
// quiz island scores in place and keeps the score on the phone.
import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, installServiceWorker, jsEnabled, open } from './support';

// The earthquake article's quiz: the right answer of each question, read from the page's API.
async function answers(page: Page): Promise<{ id: string; answer: string; wrong: string }[]> {
  const response = await page.request.get('/api/v1/articles/earthquake?lang=zh-CN');
  expect(response.ok()).toBe(true);
  const article = await response.json();
  return article.quiz.map((q: { id: string; answer: string; choices: { id: string }[] }) => ({
    id: q.id,
    answer: q.answer,
    wrong: q.choices.find((c) => c.id !== q.answer)!.id,
  }));
}

const choose = (page: Page, question: string, choice: string) =>
  page.locator(`input[type="radio"][name="${question}"][value="${choice}"]`).check();

test('the library searches Chinese and marks the words, and an article reads with its contents', async ({ page }, testInfo) => {
  await open(page, '/learn', testInfo);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('安全科普');
  expect(await page.locator('.article-card').count()).toBeGreaterThanOrEqual(20);
  await expectAccessible(page, testInfo);

  await page.getByRole('searchbox', { name: '搜索科普文章' }).fill('地震');
  await page.getByRole('button', { name: '搜索' }).click();
  await expect(page).toHaveURL(/\/learn\?q=/);
  const first = page.locator('.learn-result').first();
  await expect(first.getByRole('link')).toHaveAttribute('href', '/learn/earthquake');
  await expect(first.locator('mark').first()).toHaveText('地震');

  await first.getByRole('link').click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('地震');
  await expect(page.locator('.article-body h2#urgent')).toBeVisible();
  await page.getByRole('navigation', { name: '目录' }).getByRole('link').first().click();
  await expect(page).toHaveURL(/#urgent$/);
  await expectAccessible(page, testInfo);
});

test('the quiz scores with one wrong answer and says why', async ({ page }, testInfo) => {
  await open(page, '/learn/earthquake', testInfo);
  const quiz = await answers(page);
  await choose(page, quiz[0].id, quiz[0].wrong);
  for (const q of quiz.slice(1)) await choose(page, q.id, q.answer);
  await page.getByRole('button', { name: '看看我答对了吗' }).click();
  await expect(page.locator('.quiz-score')).toHaveText(`答对 ${quiz.length - 1} / ${quiz.length} 题`);
  await expect(page.locator('.quiz-mark[data-correct="no"]')).toHaveCount(1);
  await expect(page.locator('.quiz-mark[data-correct="no"]')).toContainText('正确答案：');
  if (jsEnabled(testInfo)) {
    // Scored in place: no page load, and the score is kept for next time.
    await expect(page).toHaveURL(/\/learn\/earthquake$/);
    await page.reload();
    await expect(page.locator('html[data-hydrated]')).toHaveCount(1);
    await expect(page.locator('.quiz-last-time')).toHaveText(`上次在这台手机上：答对 ${quiz.length - 1} / ${quiz.length} 题`);
  } else {
    await expect(page).toHaveURL(/\/learn\/earthquake\/quiz\?/);
  }
  await expectAccessible(page, testInfo);
});

test('in English a title match comes first and the topic quiz mixes articles', async ({ browser }, testInfo) => {
  const context = await browser.newContext({ ...testInfo.project.use, locale: 'en-US' });
  const page = await context.newPage();
  await open(page, '/learn?q=lightning', testInfo);
  await expect(page.locator('.learn-result').first().getByRole('link')).toHaveAttribute('href', '/learn/thunderstorm-lightning');
  await open(page, '/learn/quiz/weather', testInfo);
  expect(await page.locator('fieldset.quiz-question').count()).toBe(10);
  await page.getByRole('button', { name: 'Check my answers' }).click();
  await expect(page.locator('.quiz-score')).toHaveText('0 of 10 right');
  await context.close();
});

test('with the service worker installed, an article read once opens without a connection', async ({ page, context }, testInfo) => {
  test.skip(!jsEnabled(testInfo), 'a service worker needs JavaScript');
  await open(page, '/learn/floods-waterlogging', testInfo);
  await installServiceWorker(page);
  await page.reload(); // through the worker: kept
  await context.setOffline(true);
  const offline = await page.reload();
  expect(offline?.fromServiceWorker()).toBe(true);
  await expect(page.locator('.article-body h2#urgent')).toBeVisible();
  await context.setOffline(false);
});
