import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyOf, fakeKey } from '../helpers/keys.js';
import { startServe, type ServeProcess } from '../mock-server/helpers/serve-process.js';
import { START } from '../mock-server/helpers/world.js';
import { launchChromium, type Chromium } from './chromium.js';

// The Overview's Alerts panel end to end: keyguard serve on a frozen clock, Debian's Chromium.
const OUTPUT = fileURLToPath(new URL('../../test-output/dashboard/', import.meta.url));

let server: ServeProcess;
let browser: Chromium;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServe(['--now', START]), launchChromium(), mkdir(OUTPUT, { recursive: true })]);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const call = (path: string, key: string | undefined, init: RequestInit = {}) =>
  fetch(`${server.url}/v1${path}`, { ...init, headers: { ...(key ? { Authorization: `Bearer ${key}` } : {}), 'Content-Type': 'application/json' } });

describe('the Alerts panel on the Overview', () => {
  it('shows failed authentications and a spike, links each key to its events, at 375 and 1440 px', async () => {
    const admin = server.adminKey as string;
    const created = await call('/api-keys', admin, {
      method: 'POST',
      body: JSON.stringify({ name: 'Mobile App', plan: 'enterprise', rate_limit: { per_hour: 10_000, per_minute: 1_000 } }),
    });
    const app = (await created.json()) as { id: string; key: string };
    // Three failed authentications with a key the mock does not know.
    const stranger = fakeKey('test');
    for (let i = 0; i < 3; i++) expect((await call('/tasks', stranger)).status).toBe(401);
    // Two requests a minute for three minutes, then 15 in one minute: a spike.
    for (let minute = 0; minute < 3; minute++) {
      for (let i = 0; i < 2; i++) expect((await call('/tasks', app.key)).status).toBe(200);
      await server.control('clock', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ advance: '1m' }) });
    }
    for (let i = 0; i < 15; i++) expect((await call('/tasks', app.key)).status).toBe(200);

    const page = await browser.context.newPage();
    await page.goto(`${server.url}/`);
    await page.getByLabel('Admin API key').fill(admin);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const table = page.getByRole('table', { name: 'Alerts, last 24 hours' });
    await table.waitFor();

    const failed = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Failed authentication' }) });
    await expect(failed.textContent()).resolves.toContain('invalid_api_key');
    await expect(failed.getByRole('cell').nth(2).textContent()).resolves.toBe('3');
    const spike = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Spike' }) });
    await expect(spike.textContent()).resolves.toMatch(/Mobile App.*15 requests in a minute \(median 2\)/);
    expect(await page.content()).not.toContain(bodyOf(stranger));

    for (const width of [375, 1440]) {
      await page.setViewportSize({ width, height: 900 });
      await table.waitFor();
      await page.screenshot({ path: `${OUTPUT}alerts-${width}.png`, fullPage: true });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      await expect(spike.isVisible()).resolves.toBe(true);
      await expect(failed.isVisible()).resolves.toBe(true);
    }

    await spike.getByRole('link', { name: 'Events of Mobile App' }).click();
    const heading = page.getByRole('heading', { name: 'Events of Mobile App' });
    await heading.waitFor();
    await expect(page.locator('#alert-events li').first().textContent()).resolves.toContain('key.created');
    await page.close();
  });
});
