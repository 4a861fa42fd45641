import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CONFIG = join(root, '.dependency-cruiser.cjs');
const DEPCRUISE = join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

/**
 * dependency-cruiser run as CI runs it (`npm run check:architecture`), from `cwd`: its exit code
 * and the rules its report names (`error <rule>: <from> → <to>`).
 */
function cruise(cwd: string, folders: string[]): { status: number | null; rules: string[]; violations: string[]; output: string } {
  const out = spawnSync(process.execPath, [DEPCRUISE, ...folders, '--config', CONFIG], { cwd, encoding: 'utf8' });
  const rules = [...out.stdout.matchAll(/^\s*error (\S+):/gm)].map((match) => match[1] as string);
  const violations = [...out.stdout.matchAll(/^\s*error (\S+: \S+ → \S+)/gm)].map((match) => match[1] as string);
  return { status: out.status, rules, violations, output: out.stdout + out.stderr };
}

const temps: string[] = [];
afterAll(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A project laid out like this one, holding `files`. */
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'keyguard-arch-'));
  temps.push(dir);
  const all = { 'tsconfig.json': '{ "compilerOptions": { "module": "NodeNext", "moduleResolution": "NodeNext", "strict": true } }\n', ...files };
  for (const [path, text] of Object.entries(all)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe('the architecture rules (.dependency-cruiser.cjs)', () => {
  it('hold for this repository', () => {
    const { status, output } = cruise(root, ['src', 'rules', 'mock-server']);

    expect(output).toContain('no dependency violations found');
    expect(status).toBe(0);
  });

  it('fail, each by name, on a tree that breaks every one of them on purpose', () => {
    const broken = project({
      // The detector reads a file, and imports the finding type from above it.
      'src/detect/keys.ts': "import { readFileSync } from 'node:fs';\nimport type { Finding } from '../findings.js';\nexport const read: (f: Finding) => string = (f) => readFileSync(f.file, 'utf8');\n",
      'src/findings.ts': 'export interface Finding { file: string }\n',
      // A formatter loads the config (and its I/O) and reads package.json.
      'src/report/sarif.ts': "import { readFileSync } from 'node:fs';\nimport { loadConfig } from '../config/load.js';\nexport const version = [readFileSync('package.json', 'utf8'), loadConfig];\n",
      'src/config/load.ts': 'export const loadConfig = 1;\n',
      // The scan imports the CLI; a source reads the process and spawns a process of its own.
      'src/scan.ts': "import { run } from './cli/run.js';\nexport const r = run;\n",
      'src/cli/run.ts': 'export const run = 1;\n',
      'src/sources/staged.ts': "import { spawn } from 'node:child_process';\nimport { env } from 'node:process';\nexport const s = [spawn, env];\n",
      // Two sources that need each other, through types alone.
      'src/sources/tree.ts': "import type { Rules } from './ignore.js';\nexport interface TreeFile { rules?: Rules }\n",
      'src/sources/ignore.ts': "import type { TreeFile } from './tree.js';\nexport interface Rules { files?: TreeFile[] }\n",
    });

    const { status, rules } = cruise(broken, ['src']);

    expect(new Set(rules)).toEqual(
      new Set([
        'detector-is-pure',
        'pure-core-does-no-io',
        'pure-core-stays-pure',
        'nothing-imports-the-cli',
        'only-bins-touch-the-process',
        'git-runs-in-one-module',
        'no-circular',
      ]),
    );
    expect(status).not.toBe(0);
  });

  it("fail when the mock's core imports HTTP, Hono or the CLI", () => {
    const broken = project({
      // The core parses a header with the HTTP layer's helper, builds a Hono response and throws the CLI's error type.
      'mock-server/core/auth.ts': "import { readCredential } from '../http/credential.js';\nexport const auth = readCredential;\n",
      'mock-server/http/credential.ts': 'export const readCredential = 1;\n',
      'mock-server/core/rate-limit.ts': "import { HTTPException } from 'hono/http-exception';\nexport const refuse = () => new HTTPException(429);\n",
      'mock-server/core/clock.ts': "import { KeyguardError } from '../../src/errors.js';\nexport const bad = () => new KeyguardError('--now');\n",
      'src/errors.ts': 'export class KeyguardError extends Error {}\n',
      // An installed Hono, as small as it gets.
      'node_modules/hono/package.json': '{ "name": "hono", "type": "module", "exports": { "./http-exception": "./http-exception.js" } }\n',
      'node_modules/hono/http-exception.js': 'export class HTTPException extends Error {}\n',
      // The HTTP layer may use the core: not a violation.
      'mock-server/http/guard.ts': "import { auth } from '../core/auth.js';\nexport const guard = auth;\n",
    });

    const { status, violations } = cruise(broken, ['mock-server']);

    expect(violations.sort()).toEqual([
      'mock-core-knows-no-http: mock-server/core/auth.ts → mock-server/http/credential.ts',
      'mock-core-knows-no-http: mock-server/core/clock.ts → src/errors.ts',
      'mock-core-knows-no-http: mock-server/core/rate-limit.ts → node_modules/hono/http-exception.js',
    ]);
    expect(status).not.toBe(0);
  });
});
