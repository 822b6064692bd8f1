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
