// Cumulative layout shift of pages while they load and hydrate, in Debian's Chromium at a 360 px
// phone viewport (as the e2e "phone" project), with JavaScript on. Layout shifts are summed
// from the browser's own `layout-shift` entries (excluding those after input) from navigation
// until 5 s after `load`, which covers hydration of every island. The network and CPU are
// throttled as Lighthouse's mobile profile does (150 ms RTT, 1.6 Mbit/s down, 750 kbit/s up,
// CPU 4x slower): on an unthrottled loopback the bundle arrives before the first paint, and
// a control that appears on hydration shifts nothing that was seen.
//   node bench/layout-shift.cjs [http://127.0.0.1:3000] [path…]
// Uses the Playwright of e2e/ (run `.ci/setup test` first).
const { chromium } = require('../e2e/node_modules/playwright-core');

const base = process.argv[2] ?? 'http://127.0.0.1:3000';
const paths = process.argv.length > 3 ? process.argv.slice(3) : ['/', '/alerts/2', '/settings'];

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  for (const path of paths) {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' });
    if (process.env.NO_PLACE === undefined) await context.addCookies([{ name: 'sjdz_places', value: '360202000000', url: base }]);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8,
    });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    await page.addInitScript(() => {
      window.__cls = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__cls += entry.value;
      }).observe({ type: 'layout-shift', buffered: true });
    });
    await page.goto(base + path, { waitUntil: 'load' });
    await page.waitForTimeout(5000);
    const cls = await page.evaluate(() => window.__cls);
    const hydrated = await page.evaluate(() => document.documentElement.hasAttribute('data-hydrated'));
    console.log(`${path.padEnd(14)} CLS ${cls.toFixed(3)}${hydrated ? '' : ' (no data-hydrated: an older build marks it only with its bundle)'}`);
    await context.close();
  }
  await browser.close();
})();
