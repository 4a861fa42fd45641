import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { KEYGUARD_BIN, tempRepos } from '../git/repo.js';

const { repo } = tempRepos();
const loadedFiles = join(dirname(fileURLToPath(import.meta.url)), '../helpers/loaded-files.mjs');

/** The built bin run as users run it: what it printed, and the text of every file it loaded. */
function keyguard(cwd: string, ...args: string[]): { status: number | null; stdout: string; loaded: string[] } {
  const out = spawnSync(process.execPath, ['--import', loadedFiles, KEYGUARD_BIN, ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
  const paths = String(out.output[3]).split('\n').filter(Boolean);
  return { status: out.status, stdout: out.stdout, loaded: paths.map((path) => readFileSync(path, 'utf8')) };
}

// What each part leaves in the bundle it is in: zod's error class, the mock server's import of node:http, --help's text.
const ZOD = 'ZodError';
const MOCK = 'from"node:http"';
const HELP = 'for the options of a command';

describe('a command line loads what it runs and nothing more (start-up: issues 13 and 15)', () => {
  it('the hook, scan --staged: no schemas, no mock, no help', () => {
    const r = repo();
    r.write('a.ts', 'ok\n');
    r.git('add', 'a.ts');
    const out = keyguard(r.dir, 'scan', '--staged');
    expect(out.status).toBe(0);
    for (const marker of [ZOD, MOCK, HELP]) expect(out.loaded.some((text) => text.includes(marker)), marker).toBe(false);
  });

  it('a tree scan without a config or baseline file loads no schemas', () => {
    const r = repo();
    r.write('a.ts', 'ok\n');
    const out = keyguard(r.dir, 'scan');
    expect(out.stdout).toMatch(/^✔ No keys/);
    for (const marker of [ZOD, MOCK, HELP]) expect(out.loaded.some((text) => text.includes(marker)), marker).toBe(false);
  });

  it('a config file is checked against its schema, so the schemas load then', () => {
    const r = repo();
    r.write('keyguard.config.json', '{"ignore": ["dist/**"]}\n');
    const out = keyguard(r.dir, 'scan');
    expect(out.status).toBe(0);
    expect(out.loaded.some((text) => text.includes(ZOD))).toBe(true);
  });

  it('--help loads its text, and no command', () => {
    const out = keyguard(repo().dir, '--help');
    expect(out.stdout).toContain(HELP);
    for (const marker of [ZOD, MOCK]) expect(out.loaded.some((text) => text.includes(marker)), marker).toBe(false);
  });
});
