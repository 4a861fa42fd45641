import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const copy = mkdtempSync(join(tmpdir(), 'keyguard-current-sources-'));
afterAll(() => rmSync(copy, { recursive: true, force: true }));

// No VITEST_* or worker variables of this run: the run inside the copy is a fresh `vitest run`.
const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST') && name !== 'NODE_ENV'));

it('a source edited after the last build is what the next vitest run tests, with no manual build', () => {
  // This checkout as it is (its dist/ and build info, so the build there is incremental as here).
  for (const path of ['src', 'rules', 'mock-server', 'bin', 'dist', 'scripts', 'test/setup', 'package.json', 'tsconfig.json', 'tsconfig.build.json', 'vitest.config.ts']) {
    cpSync(join(root, path), join(copy, path), { recursive: true, preserveTimestamps: true });
  }
  symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'));
  writeFileSync(join(copy, 'src/version.ts'), "export const VERSION: string = 'edited-after-the-build';\n");
  writeFileSync(
    join(copy, 'test/probe.test.ts'),
    [
      "import { execFileSync } from 'node:child_process';",
      "import { expect, it } from 'vitest';",
      "it('runs the built bin', () => {",
      "  expect(execFileSync(process.execPath, ['bin/keyguard.js', '--version'], { encoding: 'utf8' }).trim()).toBe('edited-after-the-build');",
      '});',
      '',
    ].join('\n'),
  );

  const run = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', 'test/probe.test.ts'], { cwd: copy, env, encoding: 'utf8' });

  expect(run.stdout + run.stderr).toMatch(/1 passed/);
  expect(run.status).toBe(0);
}, 240_000);
