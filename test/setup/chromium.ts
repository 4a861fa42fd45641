import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Where test/dashboard/chromium.ts launches Chromium from: Debian's package. */
const CHROMIUM = '/usr/bin/chromium';
const INSTALL = [
  ['apt-get', 'update'],
  ['apt-get', 'install', '-y', '--no-install-recommends', 'chromium'],
];

/**
 * vitest globalSetup: the dashboard's end-to-end tests drive a real Chromium, so a machine without
 * one gets Debian's package here, once, rather than a failing run and a manual step. As root through
 * apt-get, otherwise through `sudo -n` when that needs no password; else one line saying what to run.
 * (Playwright's and Puppeteer's browser downloads come from their own CDNs, not from npm.)
 */
export default function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  const sudo = process.getuid?.() === 0 ? [] : spawnSync('sudo', ['-n', 'true']).status === 0 ? ['sudo', '-n'] : undefined;
  if (!sudo) throw new Error(`Chromium is missing at ${CHROMIUM}: run \`sudo apt-get install -y chromium\` once, then the tests again`);
  process.stderr.write(`Chromium is missing at ${CHROMIUM}: installing Debian's chromium package for the dashboard tests (once)\n`);
  for (const command of INSTALL) {
    const [program, ...args] = [...sudo, ...command] as [string, ...string[]];
    const run = spawnSync(program, args, { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`\`${[program, ...args].join(' ')}\` failed:\n${run.stdout ?? ''}${run.stderr ?? ''}${run.error?.message ?? ''}`);
  }
  if (!existsSync(CHROMIUM)) throw new Error(`Debian's chromium package is installed but ${CHROMIUM} is still missing`);
}
