// With JavaScript on, every page hydrates without a console error (a mismatch logs one).
import { test, expect } from '@playwright/test';
import { open, jsEnabled } from './support';

for (const path of ['/', '/?code=360222101', '/alerts/1', '/shelters', '/drills', '/drills/earthquake-classroom', '/learn', '/settings', '/missing-page']) {
  test(`${path} hydrates without console errors`, async ({ page }, testInfo) => {
    test.skip(!jsEnabled(testInfo), 'hydration needs JavaScript');
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    await open(page, path, testInfo);
    // Not 'networkidle': the warnings page keeps its live-update stream open. Hydration is
    // over (open() waited for it); let effects that run right after it log, if they would.
    await page.waitForLoadState('load');
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 200))));
    // A 404 status is reported by Chromium as a console error about the document itself.
    expect(errors.filter((e) => !e.includes('status of 404'))).toEqual([]);
  });
}
