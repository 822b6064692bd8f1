// The weight budget of the home page, as a phone downloads it on a first visit: the brotli
// bytes of the WebAssembly and JavaScript that `/` loads (at most 120 KB), and of its HTML and
// CSS (at most 30 KB). Measured in the browser, so it counts what the page really fetches.
import { test, expect, type Page } from '@playwright/test';
import { open, jsEnabled } from './support';

const KB = 1000;

/** Encoded (on-the-wire) body bytes of every response of the page, by kind. */
async function weigh(page: Page, path: string, testInfo: Parameters<typeof open>[2]) {
  const responses: { url: string; kind: string; bytes: Promise<number>; encoding?: string }[] = [];
  page.on('response', (response) => {
    const url = response.url();
    const kind = url.endsWith('.wasm') ? 'wasm'
      : url.endsWith('.js') ? 'js'
      : url.endsWith('.css') ? 'css'
      : response.request().resourceType() === 'document' ? 'html' : 'other';
    // The live stream never ends (and is not page weight): only documents and assets count.
    if (kind === 'other') return;
    responses.push({
      url,
      kind,
      encoding: response.headers()['content-encoding'],
      bytes: response.request().sizes().then((s) => s.responseBodySize),
    });
  });
  await open(page, path, testInfo);
  await page.waitForLoadState('load');
  const sizes: Record<string, number> = { html: 0, css: 0, js: 0, wasm: 0 };
  for (const r of responses) sizes[r.kind] += await r.bytes;
  return { sizes, responses };
}

test('the home page stays within its weight budget', async ({ page }, testInfo) => {
  test.skip(!jsEnabled(testInfo) || testInfo.project.name !== 'js-on', 'measured once, with JavaScript');
  const { sizes, responses } = await weigh(page, '/', testInfo);
  // Every asset came compressed (brotli), as a phone that accepts it gets it.
  for (const r of responses.filter((r) => ['js', 'wasm', 'css'].includes(r.kind))) {
    expect(r.encoding, r.url).toBe('br');
  }
  expect(sizes.wasm, 'the home page hydrates its islands').toBeGreaterThan(0);
  console.log(`budget of /: html ${sizes.html} B, css ${sizes.css} B, js ${sizes.js} B, wasm ${sizes.wasm} B`);
  expect(sizes.wasm + sizes.js, 'WASM + JS of / (brotli)').toBeLessThanOrEqual(120 * KB);
  expect(sizes.html + sizes.css, 'HTML + CSS of / (brotli)').toBeLessThanOrEqual(30 * KB);
});

test('a page without islands loads no WebAssembly and no JavaScript glue', async ({ page }, testInfo) => {
  test.skip(!jsEnabled(testInfo) || testInfo.project.name !== 'js-on', 'measured once, with JavaScript');
  const { sizes } = await weigh(page, '/drills', testInfo);
  expect(sizes.wasm + sizes.js).toBe(0);
});

test('each page downloads the bundle of its own feature only', async ({ page, context }, testInfo) => {
  test.skip(!jsEnabled(testInfo) || testInfo.project.name !== 'js-on', 'measured once, with JavaScript');
  // With a saved place, the settings page shows the notifications switch (an island).
  await context.addCookies([{ name: 'sjdz_places', value: '360202000000', url: testInfo.project.use.baseURL! }]);
  const settings = await weigh(page, '/settings', testInfo);
  const fetched = settings.responses.filter((r) => r.kind === 'wasm').map((r) => new URL(r.url).pathname);
  expect(fetched).toHaveLength(1);
  expect(fetched[0]).toMatch(/^\/pkg\/notify_bg\.[0-9a-f]{16}\.wasm$/);
  const home = await weigh(page, '/', testInfo);
  expect(home.responses.filter((r) => r.kind === 'wasm').map((r) => new URL(r.url).pathname)[0]).toMatch(
    /^\/pkg\/warnings_bg\.[0-9a-f]{16}\.wasm$/,
  );
});
