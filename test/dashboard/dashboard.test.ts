import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { detect } from '../../src/detect/index.js';
import { fakeKey } from '../helpers/keys.js';
import { startServe, type ServeProcess } from '../mock-server/helpers/serve-process.js';
import { launchChromium, type Chromium } from './chromium.js';

// The dashboard end to end: the published bin serving it, Debian's Chromium driving it.
const OUTPUT = fileURLToPath(new URL('../../test-output/dashboard/', import.meta.url));

interface Server {
  url: string;
  adminKey: string;
  /** Everything the server printed so far, start-up lines included. */
  output: () => string;
  control: ServeProcess['control'];
  stop: () => Promise<void>;
}

let server: Server;
let browser: Chromium;
const pages: Page[] = [];

/** The published bin, `keyguard serve --port 0`, with its URL and bootstrap admin key read from its output. */
async function serve(): Promise<Server> {
  const started = await startServe([]);
  let later = '';
  started.child.stdout.on('data', (text: string) => (later += text));
  started.child.stderr.on('data', (text: string) => (later += text));
  if (!started.adminKey) throw new Error(`keyguard serve printed no admin key:\n${started.stdout}`);
  return { url: started.url, adminKey: started.adminKey, output: () => started.stdout + later, control: started.control, stop: () => started.stop() };
}

beforeAll(async () => {
  [server, browser] = await Promise.all([serve(), launchChromium(), mkdir(OUTPUT, { recursive: true })]);
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
});

afterEach(async () => {
  await Promise.all(pages.splice(0).map((page) => page.close()));
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function openDashboard(): Promise<Page> {
  const page = await browser.context.newPage();
  pages.push(page);
  await page.goto(`${server.url}/`);
  return page;
}

async function signIn(key = server.adminKey): Promise<Page> {
  const page = await openDashboard();
  await page.getByLabel('Admin API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('tab', { name: 'Overview', selected: true }).waitFor();
  return page;
}

async function openKeysTab(page: Page): Promise<void> {
  await page.getByRole('tab', { name: 'API Keys' }).click();
  await page.getByRole('table', { name: 'API keys' }).waitFor();
}

/** A request to the API as a script would make it. */
function call(path: string, key: string, init: RequestInit = {}): Promise<Response> {
  const headers = { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' };
  return fetch(`${server.url}/v1${path}`, { ...init, headers });
}

/** Creates a key through the API with the admin key; returns its id and the full key. */
async function createKey(name: string, permissions = ['tasks:read']): Promise<{ id: string; key: string }> {
  const response = await call('/api-keys', server.adminKey, { method: 'POST', body: JSON.stringify({ name, permissions }) });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; key: string };
}

function keyRow(page: Page, name: string) {
  return page.getByRole('row').filter({ has: page.getByRole('rowheader', { name }) });
}

/** Reads the key from the "shown once" modal, then closes it. */
async function takeRevealedKey(page: Page): Promise<string> {
  const dialog = page.getByRole('dialog', { name: 'Your new API key' });
  await dialog.waitFor();
  const key = await dialog.getByRole('textbox').inputValue();
  await dialog.getByRole('button', { name: 'I have saved it' }).click();
  await dialog.waitFor({ state: 'hidden' });
  return key;
}

async function statusOf(key: string): Promise<{ status: number; code?: string }> {
  const response = await call('/tasks', key);
  const body = (await response.json()) as { code?: string };
  return { status: response.status, code: body.code };
}

describe('the dashboard served by keyguard serve', () => {
  it('is served at / on the API origin and loads nothing from anywhere else', async () => {
    const page = await browser.context.newPage();
    pages.push(page);
    const requested: string[] = [];
    const problems: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
    page.on('pageerror', (error) => problems.push(error.message));

    const response = await page.goto(`${server.url}/`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("connect-src 'self'");
    await page.getByLabel('Admin API key').fill(server.adminKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('img', { name: /Request volume over the last hour/ }).waitFor();

    expect(await page.title()).toBe('keyguard · Developer Dashboard');
    expect(requested.length).toBeGreaterThan(3);
    expect(requested.filter((url) => !url.startsWith(`${server.url}/`))).toEqual([]);
    expect(problems).toEqual([]);
  });

  it("keeps the admin key in this tab's sessionStorage only: not in the URL, storage, cookies or the server's output", async () => {
    const page = await signIn();
    expect(await page.evaluate(() => sessionStorage.getItem('keyguard.adminKey'))).toBe(server.adminKey);
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
    expect(await browser.context.cookies()).toEqual([]);
    expect(page.url()).toBe(`${server.url}/`);
    // Printed once at start-up, and never again however much the dashboard talks to the server.
    expect(server.output().split(server.adminKey)).toHaveLength(2);

    await page.reload();
    await page.getByRole('tab', { name: 'Overview', selected: true }).waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Admin API key').waitFor();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
  });

  it("shows the API's own message when the key is unknown or lacks admin:*", async () => {
    const reader = await createKey('Read-only sign-in attempt', ['tasks:read']);
    for (const key of [reader.key, fakeKey('test')]) {
      const expected = ((await (await call('/usage', key)).json()) as { message: string }).message;
      const page = await openDashboard();
      await page.getByLabel('Admin API key').fill(key);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect.poll(() => page.getByRole('alert').first().textContent()).toContain(expected);
      expect(await page.getByRole('tab', { name: 'Overview' }).isVisible()).toBe(false);
    }
  });

  it('creates a key from the form, shows it once in a modal that copies it, and lists it', async () => {
    const page = await signIn();
    await openKeysTab(page);
    await page.getByRole('button', { name: '+ Create API Key' }).click();
    const form = page.getByRole('dialog', { name: 'Create API Key' });
    await form.getByLabel('Key name').fill('Nightly CI');
    await form.getByLabel('Description').fill('Runs the integration suite');
    await form.getByRole('checkbox', { name: 'tasks:read' }).check();
    await form.getByRole('checkbox', { name: 'tasks:write' }).check();
    await form.getByLabel('Rate limit plan').selectOption('professional');
    await form.getByRole('button', { name: 'Generate Key' }).click();

    const reveal = page.getByRole('dialog', { name: 'Your new API key' });
    await reveal.waitFor();
    const key = await reveal.getByRole('textbox').inputValue();
    expect(detect(key).map((match) => match.keyType)).toEqual(['test']);
    await reveal.getByRole('button', { name: 'Copy' }).click();
    await reveal.getByText('Copied to the clipboard.').waitFor();
    expect((await page.evaluate(() => navigator.clipboard.readText())) === key).toBe(true);
    await reveal.getByRole('button', { name: 'I have saved it' }).click();
    await reveal.waitFor({ state: 'hidden' });

    // Shown once: once the modal is closed the page holds no trace of the key.
    await expect.poll(async () => (await page.locator('#reveal-key').inputValue()).length).toBe(0);
    expect((await page.evaluate(() => document.body.innerText)).includes(key)).toBe(false);
    const row = keyRow(page, 'Nightly CI');
    await row.waitFor();
    const prefix = (await row.locator('td[data-label="Prefix"]').textContent()) ?? '';
    expect(key.startsWith(prefix.replace(/\.\.\.$/, ''))).toBe(true);
    expect(await row.textContent()).toContain('Runs the integration suite');
    expect(await row.locator('td[data-label="Permissions"] code').allTextContents()).toEqual(['tasks:read', 'tasks:write']);
    expect(await statusOf(key)).toEqual({ status: 200, code: undefined });
  });

  it("shows the API's validation message in the form and keeps it open", async () => {
    const page = await signIn();
    await openKeysTab(page);
    await page.getByRole('button', { name: '+ Create API Key' }).click();
    const form = page.getByRole('dialog', { name: 'Create API Key' });
    await form.getByLabel('Key name').fill('Wrong environment');
    await form.getByLabel('Environment').selectOption('live');
    await form.getByRole('button', { name: 'Generate Key' }).click();

    await expect
      .poll(() => form.getByRole('alert').textContent())
      .toContain('422 (validation_failed): Invalid request: environment: this server issues test keys');
    expect(await form.isVisible()).toBe(true);
  });

  it("moves the key's request counter and the Overview's figures as a script uses the key", async () => {
    const { key } = await createKey('Counter check', ['tasks:read']);
    const page = await signIn();
    await openKeysTab(page);
    const counter = keyRow(page, 'Counter check').locator('td[data-label="Requests"]');
    expect(await counter.textContent()).toBe('0 (0 today)');

    for (let i = 0; i < 3; i++) expect((await call('/tasks', key)).status).toBe(200);
    expect((await call('/tasks', key, { method: 'POST', body: '{"title":"x"}' })).status).toBe(403);

    // No reload, no click: the page polls and the counter moves.
    await expect.poll(() => counter.textContent(), { timeout: 12_000, interval: 250 }).toBe('4 (4 today)');

    await page.getByRole('tab', { name: 'Overview' }).click();
    const perKey = page.getByRole('table', { name: 'Error rate per key' }).getByRole('row').filter({ hasText: 'Counter check' });
    await perKey.waitFor();
    expect(await perKey.locator('td').allTextContents()).toEqual([expect.stringMatching(/^sk_test_/), '4', '1', '25%']);
    const chart = page.getByRole('img', { name: /Request volume over the last hour/ });
    expect(await chart.getAttribute('aria-label')).toMatch(/: \d+ requests, [1-9]\d* failed\.$/);
    await page.getByRole('radio', { name: 'Last 24 hours' }).check();
    const daily = page.getByRole('img', { name: /Request volume over the last 24 hours/ });
    expect(await daily.locator('rect.bar-ok').count()).toBe(24);
  });

  it('regenerates a key only after confirming, shows the new key once, and the old key stops working', async () => {
    const old = await createKey('Rotate me');
    const page = await signIn();
    await openKeysTab(page);
    const row = keyRow(page, 'Rotate me');
    const confirm = page.getByRole('dialog', { name: 'Regenerate “Rotate me”?' });

    await row.getByRole('button', { name: 'Regenerate Rotate me' }).click();
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    expect(await statusOf(old.key)).toEqual({ status: 200, code: undefined });

    await row.getByRole('button', { name: 'Regenerate Rotate me' }).click();
    await confirm.getByRole('button', { name: 'Regenerate key' }).click();
    const fresh = await takeRevealedKey(page);

    expect(fresh === old.key).toBe(false);
    expect(await statusOf(old.key)).toEqual({ status: 401, code: 'revoked_api_key' });
    expect(await statusOf(fresh)).toEqual({ status: 200, code: undefined });
    const prefix = (await row.locator('td[data-label="Prefix"]').textContent()) ?? '';
    expect(fresh.startsWith(prefix.replace(/\.\.\.$/, ''))).toBe(true);
    expect(await row.getByRole('button', { name: 'Regenerate Rotate me' }).evaluate((b) => b === document.activeElement)).toBe(true);
  });

  it('takes a confirmation given right after cancelling another for what it is', async () => {
    const { key } = await createKey('Quick hands');
    const page = await signIn();
    await openKeysTab(page);
    await keyRow(page, 'Quick hands').getByRole('button', { name: 'Delete Quick hands' }).click();
    // Cancel and ask again in one go, so the first dialog's (queued) close event arrives after the second opened.
    await page.evaluate(() => {
      document.querySelector<HTMLButtonElement>('#confirm-dialog button[value="cancel"]')?.click();
      const row = [...document.querySelectorAll('tr')].find((tr) => tr.querySelector('th')?.textContent?.startsWith('Quick hands'));
      row?.querySelector<HTMLButtonElement>('button[data-action="delete"]')?.click();
    });
    await page.getByRole('dialog', { name: 'Delete “Quick hands”?' }).getByRole('button', { name: 'Delete key' }).click();
    await keyRow(page, 'Quick hands').waitFor({ state: 'detached', timeout: 5_000 });
    expect(await statusOf(key)).toEqual({ status: 401, code: 'revoked_api_key' });
  });

  it('the active switch deactivates a key and turns it back on', async () => {
    const { key } = await createKey('Toggle me');
    const page = await signIn();
    await openKeysTab(page);
    const toggle = page.getByRole('switch', { name: 'Active: Toggle me' });
    expect(await toggle.isChecked()).toBe(true);

    await toggle.uncheck();
    await keyRow(page, 'Toggle me').getByText('Inactive').waitFor();
    expect(await statusOf(key)).toEqual({ status: 401, code: 'inactive_api_key' });

    await page.getByRole('switch', { name: 'Active: Toggle me' }).check();
    await keyRow(page, 'Toggle me').getByText('Active', { exact: true }).waitFor();
    expect(await statusOf(key)).toEqual({ status: 200, code: undefined });
  });

  it('deletes a key only after confirming, and requests with it fail at once', async () => {
    const { key } = await createKey('Delete me');
    const page = await signIn();
    await openKeysTab(page);
    const confirm = page.getByRole('dialog', { name: 'Delete “Delete me”?' });

    await keyRow(page, 'Delete me').getByRole('button', { name: 'Delete Delete me' }).click();
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    expect(await keyRow(page, 'Delete me').count()).toBe(1);
    expect(await statusOf(key)).toEqual({ status: 200, code: undefined });

    await keyRow(page, 'Delete me').getByRole('button', { name: 'Delete Delete me' }).click();
    await confirm.getByRole('button', { name: 'Delete key' }).click();
    await keyRow(page, 'Delete me').waitFor({ state: 'detached' });
    expect(await statusOf(key)).toEqual({ status: 401, code: 'revoked_api_key' });
  });

  it('asks before deactivating the key it is signed in with, then signs out with the API\'s reason', async () => {
    const { key } = await createKey('Second admin', ['admin:*']);
    const page = await signIn(key);
    await openKeysTab(page);
    const row = keyRow(page, 'Second admin');
    expect(await row.getByText('signed in', { exact: true }).count()).toBe(1);

    await page.getByRole('switch', { name: 'Active: Second admin' }).uncheck();
    const confirm = page.getByRole('dialog', { name: 'Deactivate “Second admin”?' });
    expect(await confirm.textContent()).toContain('The dashboard is signed in with this key and will sign out.');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => page.getByRole('switch', { name: 'Active: Second admin' }).isChecked()).toBe(true);
    expect(await statusOf(key)).toEqual({ status: 200, code: undefined });

    await page.getByRole('switch', { name: 'Active: Second admin' }).uncheck();
    await confirm.getByRole('button', { name: 'Deactivate key' }).click();
    await page.getByLabel('Admin API key').waitFor();
    expect(await page.getByRole('alert').first().textContent()).toMatch(/^Signed out: 401 \(inactive_api_key\): /);
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
  });

  it('works from the keyboard alone, with every control labelled', async () => {
    const page = await openDashboard();
    await page.getByLabel('Admin API key').focus();
    await page.keyboard.type(server.adminKey);
    await page.keyboard.press('Enter');
    const overview = page.getByRole('tab', { name: 'Overview', selected: true });
    await overview.waitFor();

    await overview.focus();
    await page.keyboard.press('ArrowRight');
    const keysTab = page.getByRole('tab', { name: 'API Keys', selected: true });
    await keysTab.waitFor();
    expect(await keysTab.evaluate((tab) => tab === document.activeElement)).toBe(true);

    // Tab from the tab list into the panel reaches "Create API Key"; Enter opens the form on the name field.
    const create = page.getByRole('button', { name: '+ Create API Key' });
    for (let presses = 0; presses < 5 && !(await create.evaluate((button) => button === document.activeElement)); presses++) {
      await page.keyboard.press('Tab');
    }
    await page.keyboard.press('Enter');
    const form = page.getByRole('dialog', { name: 'Create API Key' });
    await form.waitFor();
    expect(await form.getByLabel('Key name').evaluate((input) => input === document.activeElement)).toBe(true);
    await page.keyboard.press('Escape');
    await form.waitFor({ state: 'hidden' });
    expect(await create.evaluate((button) => button === document.activeElement)).toBe(true);

    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('button, input, select, textarea')]
        .filter((control) => {
          const labelled = control instanceof HTMLButtonElement ? control.textContent?.trim() : undefined;
          const labels = 'labels' in control ? (control.labels as NodeListOf<HTMLLabelElement> | null)?.length : 0;
          return !labelled && !labels && !control.getAttribute('aria-label');
        })
        .map((control) => control.outerHTML),
    );
    expect(unlabelled).toEqual([]);
  });

  it('reads well at 375 and 1440 pixels wide, without sideways scrolling', async () => {
    const page = await signIn();
    for (const width of [375, 1440]) {
      await page.setViewportSize({ width, height: 900 });
      for (const [tab, file] of [
        ['Overview', 'overview'],
        ['API Keys', 'api-keys'],
      ] as const) {
        await page.getByRole('tab', { name: tab }).click();
        await page.getByRole('tab', { name: tab, selected: true }).waitFor();
        await page.waitForLoadState('networkidle');
        await page.screenshot({ path: `${OUTPUT}${file}-${width}.png`, fullPage: true });
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      }
    }
  });

  it('shows the empty state when the only key is the one signed in with, marked as such', async () => {
    expect((await server.control('reset', { method: 'POST' })).status).toBe(200);
    const page = await signIn();
    await page.getByRole('tab', { name: 'API Keys' }).click();
    await page.getByText('No API keys yet besides the one you signed in with.').waitFor();
    expect(await page.getByRole('row').filter({ hasText: 'signed in' }).count()).toBe(1);

    await page.getByRole('button', { name: 'Create a key' }).click();
    await page.getByRole('dialog', { name: 'Create API Key' }).waitFor();
  });
});
