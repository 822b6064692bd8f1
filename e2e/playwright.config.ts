// Playwright against the release build of the real server, in Debian's Chromium.
// Three projects: JavaScript off, JavaScript on (waits for hydration), and a 360 px phone.
import { defineConfig, devices } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pushToken } from './tests/support';

const port = Number(process.env.E2E_PORT ?? 3100);
// Made once in the main process; workers inherit it, so tests can run `safejdz user add`
// against the server's own database.
const dataDir = (process.env.E2E_DATA_DIR ??= mkdtempSync(join(tmpdir(), 'safejdz-e2e-')));


const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  // Without these, Chromium keeps calling Google's hosts, which this network refuses.
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

export default defineConfig({
  testDir: './tests',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 2,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: chromium,
    locale: 'zh-CN',
    trace: 'retain-on-failure',
  },
  projects: [
    { name: 'js-off', use: { ...devices['Desktop Chrome'], launchOptions: chromium, javaScriptEnabled: false } },
    { name: 'js-on', use: { ...devices['Desktop Chrome'], launchOptions: chromium } },
    {
      name: 'phone',
      use: {
        launchOptions: chromium,
        viewport: { width: 360, height: 740 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
        userAgent: devices['Pixel 5'].userAgent,
      },
    },
  ],
  webServer: {
    // Demo mode: the sample warnings and the 演示 / DEMO banner are part of what is tested.
    command: '../target/release/safejdz serve --demo',
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      SAFEJDZ_BIND: `127.0.0.1:${port}`,
      SAFEJDZ_DATA_DIR: dataDir,
      SAFEJDZ_SITE_ROOT: '../target/site',
      SAFEJDZ_LOG_FILTER: 'warn',
      // The live-update tests push warnings as the city feed would.
      SAFEJDZ_PUSH_TOKEN: pushToken,
      // Web Push on, with a key made for these tests only (no push service is reachable here:
      // the tests see the settings panel and its failure message, delivery is tested in Rust).
      SAFEJDZ_VAPID_PRIVATE_KEY: 'KtRVmbuyHlomKD8YP22Vhc6Z_eABAEJxXwFhbvLfhuE',
      SAFEJDZ_VAPID_SUBJECT: 'mailto:e2e@example.org',
    },
  },
});
