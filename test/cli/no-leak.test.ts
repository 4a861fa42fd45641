import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';
import { FORMATS } from '../../src/report/index.js';
import { TempRepo } from '../git/repo.js';
import { bodyOf, fakeKey } from '../helpers/keys.js';

const key = fakeKey('live');
const secret = bodyOf(key);
let repo: TempRepo;

/** Everything a user could see from one run: both streams, in any colour. */
async function seen(argv: string[], tty = false): Promise<string> {
  const out = await run(argv, { cwd: repo.dir, env: { PATH: process.env.PATH }, stdoutIsTTY: tty, stderrIsTTY: tty });
  return `${out.stdout}\n${out.stderr}`;
}

beforeAll(() => {
  repo = TempRepo.create();
  repo.write('src/config.ts', `export const apiKey = "${key}"; // and again: ${key}\n`);
  repo.write('.env', `API_KEY=${key}\n`);
  repo.write(`notes/${key}.txt`, `${key}\n`);
  repo.write('min.js', `var a=1;${'x=2;'.repeat(200)}k="${key}";${'y=3;'.repeat(200)}\n`);
});

afterAll(() => repo.remove());

describe('a planted key never leaves the process in full', () => {
  it.each(FORMATS)('not in the %s report', async (format) => {
    const output = await seen(['scan', '--format', format]);

    expect(output).toContain('sk_live_');
    expect(output).not.toContain(secret);
  });

  it('not in the coloured text report', async () => {
    expect(await seen(['scan'], true)).not.toContain(secret);
  });

  it.each(FORMATS)('not in a %s report written with --output', async (format) => {
    await seen(['scan', '--format', format, '--output', `report.${format}`]);

    expect(readFileSync(join(repo.dir, `report.${format}`), 'utf8')).not.toContain(secret);
  });

  it.each([
    ['a path argument', ['scan', `missing/${key}`]],
    ['a --format value', ['scan', '--format', key]],
    ['a --fail-on value', ['scan', '--fail-on', key]],
    ['an unknown flag', ['scan', `--${key}`]],
    ['an --output path', ['scan', '--output', `${key}/report.txt`]],
    ['an unknown command', [key]],
  ])('not in the error for %s', async (_name, argv) => {
    const output = await seen(argv);

    expect(output).toMatch(/keyguard: /);
    expect(output).not.toContain(secret);
  });
});
