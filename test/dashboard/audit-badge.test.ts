import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';
import { hygieneSeed, useKeys } from '../audit/hygiene-seed.js';
import { startServe, type ServeProcess } from '../mock-server/helpers/serve-process.js';
import { launchChromium, type Chromium } from './chromium.js';

// The API Keys tab shows, per key, what `keyguard audit` says of it: the same rules, the same verdicts.
const dir = mkdtempSync(join(tmpdir(), 'keyguard-badge-'));
const scenario = hygieneSeed('live');
let server: ServeProcess;
let browser: Chromium;
let page: Page;

beforeAll(async () => {
  const seed = join(dir, 'seed.json');
  writeFileSync(seed, JSON.stringify(scenario.seed));
  [server, browser] = await Promise.all([startServe(['--env', 'live', '--seed', seed]), launchChromium()]);
  await useKeys(server.url, scenario.use);
  page = await browser.context.newPage();
  await page.goto(`${server.url}/`);
  await page.getByLabel('Admin API key').fill(scenario.adminKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('tab', { name: 'API Keys' }).click();
  await page.getByRole('table', { name: 'API keys' }).waitFor();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the dashboard\'s audit badges', () => {
  it('show each key\'s worst audit finding with its reason, as keyguard audit reports it', async () => {
    const out = await run(['audit', '--api', server.url, '--format', 'json'], { cwd: dir, env: { KEYGUARD_API_KEY: scenario.adminKey }, stdoutIsTTY: false, stderrIsTTY: false });
    const findings = (JSON.parse(out.stdout) as { findings: Array<{ ruleId: string; reason: string; apiKey: { id: string; name: string } }> }).findings;
    const rows = await page.getByRole('table', { name: 'API keys' }).locator('tbody tr').evaluateAll((trs) =>
      trs.map((tr) => ({
        id: (tr as HTMLElement).dataset.keyId,
        rule: tr.querySelector<HTMLElement>('[data-audit]')?.dataset.audit,
        badge: tr.querySelector('[data-label="Audit"] .badge')?.textContent,
        reason: tr.querySelector('[data-label="Audit"] .key-description')?.textContent ?? null,
      })),
    );
    expect(rows).toHaveLength(scenario.keys.length);
    for (const row of rows) {
      const cli = findings.filter((finding) => finding.apiKey.id === row.id);
      if (cli.length === 0) {
        expect(row).toMatchObject({ rule: 'ok', badge: 'OK', reason: null });
        continue;
      }
      // One rule per seeded key, so the worst is the only one.
      expect(row.rule).toBe(cli[0]?.ruleId);
      expect(row.reason).toBe(cli[0]?.reason);
    }
    const byName = await page.getByRole('row', { name: /Old live key/ }).locator('[data-label="Audit"]').textContent();
    expect(byName).toMatch(/^rotatecreated on \d{4}-\d\d-\d\d \(120 days ago\): live keys are rotated every 90 days$/);
    expect(await page.getByRole('row', { name: /Healthy/ }).locator('[data-label="Audit"]').textContent()).toBe('OK');
  });
});
