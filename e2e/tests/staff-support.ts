// What the staff tests share: accounts made with the CLI against the e2e server's database, an
// authenticator's code (RFC 6238), signing in and choosing a new password.
import { expect, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';

/** `safejdz user add NAME --role ROLE` against the e2e server's database; its temporary password. */
export function addAccount(name: string, role: string): string {
  const out = execFileSync('../target/release/safejdz', ['user', 'add', name, '--role', role], {
    env: { ...process.env, SAFEJDZ_DATA_DIR: process.env.E2E_DATA_DIR, SAFEJDZ_LOG_FILTER: 'error' },
    encoding: 'utf8',
  });
  const match = out.match(/temporary password[^:]*: (\S+)/);
  if (!match) throw new Error(`no temporary password in: ${out}`);
  return match[1];
}

/** RFC 6238 with HMAC-SHA-1, 6 digits, 30 s: what an authenticator app shows now. */
export function totp(base32: string, at = Date.now()): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of base32.replace(/\s/g, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g)!.map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const digest = createHmac('sha1', key).update(counter).digest();
  const offset = digest[digest.length - 1] & 0x0f;
  const value = (digest.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return value.toString().padStart(6, '0');
}

export async function signIn(page: Page, name: string, password: string) {
  await page.goto('/staff/login');
  await page.getByLabel('登录名').fill(name);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await page.getByRole('button', { name: '登录' }).click();
}

export async function chooseNewPassword(page: Page, password: string) {
  await expect(page).toHaveURL(/\/staff\/password(\?|$)/);
  await page.getByLabel('新密码', { exact: true }).fill(password);
  await page.getByLabel('再次输入新密码').fill(password);
  await page.getByRole('button', { name: '保存新密码' }).click();
}

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
