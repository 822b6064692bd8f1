// Shared steps: open a page and, with JavaScript on, wait until hydration has finished.
import { expect, type Page, type TestInfo } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

/** The bearer token the e2e server accepts on `POST /api/v1/cap` (set in playwright.config.ts). */
export const pushToken = 'e2e-push-token';

export const jsEnabled = (testInfo: TestInfo) => testInfo.project.use.javaScriptEnabled !== false;

/** Goes to `path`; with JavaScript on, resolves only once the WASM has hydrated the page. */
export async function open(page: Page, path: string, testInfo: TestInfo) {
  const response = await page.goto(path);
  if (jsEnabled(testInfo)) {
    await expect(page.locator('html[data-hydrated]')).toHaveCount(1, { timeout: 15_000 });
  }
  return response;
}

/** WCAG 2.2 AA checks by axe-core; fails with the list of violations. axe runs as a script in
 *  the page, so the JavaScript-off project leaves it to the others (same server HTML). */
export async function expectAccessible(page: Page, testInfo: TestInfo) {
  if (!jsEnabled(testInfo)) return;
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(summary).toEqual([]);
}

/** Installs the site's service worker (what turning on notifications on /settings does) and
 *  waits until it controls the page. */
export async function installServiceWorker(page: Page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.register('/sw.js');
    await navigator.serviceWorker.ready;
  });
  await expect.poll(() => page.evaluate(() => Boolean(navigator.serviceWorker.controller))).toBe(true);
}
