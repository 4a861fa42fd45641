import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redact } from '../../src/findings.js';
import { bodyOf, fakeKey } from '../helpers/keys.js';
import { BundlerProject } from './project.js';

/**
 * esbuild's output is read back from disk in 64 KB windows (src/bundler/candidates.ts): a key
 * cut by a window's end must still fail the build. A real esbuild build places the key at each
 * offset around the first window's end, found from a build of the same app without it.
 */
const WINDOW = 64 * 1024;
const PAD = 'x'.repeat(WINDOW);

describe('keyguard/bundler reading back a large esbuild output', () => {
  let project: BundlerProject;
  let padAt: number;

  const build = (text: string) => {
    project.write({ 'src/main.js': `document.title = ${JSON.stringify(text)};\n` });
    return project.run('build.mjs');
  };

  beforeAll(async () => {
    project = await BundlerProject.create({
      'build.mjs': [
        "import { build } from 'esbuild';",
        "import { esbuild as keyguard } from 'keyguard/bundler';",
        "await build({ entryPoints: ['src/main.js'], bundle: true, minify: true, outdir: 'dist', plugins: [keyguard()] });",
        '',
      ].join('\n'),
    });
    expect(build(PAD).status).toBe(0);
    padAt = readFileSync(join(project.dir, 'dist/main.js'), 'latin1').indexOf(PAD);
    expect(padAt).toBeGreaterThan(0);
  });
  afterAll(() => project.remove());

  it('fails the build for a key at any offset across the first window’s end', () => {
    // The key's first `before` bytes end the first window, the rest start the second.
    for (let before = 0; before <= 12; before++) {
      const key = fakeKey('live');
      const out = build(`${PAD.slice(0, WINDOW - padAt - before - 1)}-${key}`);
      expect(out.status, `key starting ${before} bytes before the window's end`).not.toBe(0);
      expect(out.output).toContain(redact(key));
      expect(out.output).not.toContain(bodyOf(key));
      const output = readFileSync(join(project.dir, 'dist/main.js'), 'latin1');
      expect(output.indexOf(key)).toBe(WINDOW - before);
    }
  });
});
