import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/tracked-copy.js';
import { readmeBlock, run } from './project.js';

const emptyCache = mkdtempSync(join(tmpdir(), 'keyguard-npx-cache-'));
afterAll(() => rmSync(emptyCache, { recursive: true, force: true }));

// The README's quick start in a clone: `npm install && npx keyguard scan`. npx used to install the clone
// into its own cache and build it there (33-48 s of silence); now npm links the package's own bin into
// node_modules/.bin (package.json lists keyguard itself as a devDependency, "file:."), where npx finds it.
it("npx keyguard in this checkout runs its own bin at once, installing nothing (empty npx cache, --no-install)", () => {
  expect(readmeBlock('## Quick start', 'sh')).toContain('npm install && npx keyguard scan');

  const out = run(REPO_ROOT, 'npx', ['--no-install', 'keyguard', 'scan', 'README.md'], { npm_config_cache: emptyCache });

  expect(out.stderr).toBe('');
  expect(out.stdout).toMatch(/^✔ No keys or exposed \.env files in 1 file/);
  expect(out.status).toBe(0);
});
