import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TempRepo } from '../git/repo.js';
import { fakeKey } from '../helpers/keys.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const bin = join(root, 'bin/keyguard.js');

interface Outcome {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The built CLI as users run it: a separate process, its exit code and both streams. */
function keyguard(cwd: string, ...args: string[]): Outcome {
  const out = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8' });
  return { status: out.status, stdout: out.stdout, stderr: out.stderr };
}

let repo: TempRepo;

beforeAll(() => {
  repo = TempRepo.create();
});

afterAll(() => repo.remove());

describe('the built keyguard bin', () => {
  it('exits 0 on a clean tree', () => {
    repo.write('src/app.ts', 'export const apiKey = process.env.API_KEY;\n');

    const out = keyguard(repo.dir, 'scan');

    expect(out).toMatchObject({ status: 0, stderr: '' });
    expect(out.stdout).toMatch(/^✔ No keys/);
  });

  it('exits 1 and reports the key when one is planted', () => {
    repo.write('src/leak.ts', `export const apiKey = '${fakeKey('live')}';\n`);

    const out = keyguard(repo.dir, 'scan', '--format', 'json');

    expect(out.status).toBe(1);
    expect(JSON.parse(out.stdout)).toMatchObject({
      version: 1,
      findings: [{ ruleId: 'hardcoded-key', keyType: 'live', file: 'src/leak.ts', line: 1, column: 24 }],
    });
  });

  it('exits 2 with one line and no stack trace on a bad path or a bad flag', () => {
    for (const args of [['scan', 'nope'], ['scan', '--format', 'yaml'], ['scan', '--wat']]) {
      const out = keyguard(repo.dir, ...args);
      expect(out.status, args.join(' ')).toBe(2);
      expect(out.stdout).toBe('');
      expect(out.stderr).toMatch(/^keyguard: [^\n]+\n(Run 'keyguard --help' for usage\.\n)?$/);
    }
  });

  it('prints its version and help', () => {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    expect(keyguard(repo.dir, '--version')).toEqual({ status: 0, stdout: `${version}\n`, stderr: '' });
    expect(keyguard(repo.dir, 'scan', '--help').stdout).toContain('--fail-on');
  });
});
