import { existsSync, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bodyOf, fakeKey } from '../helpers/keys.js';
import { packedTarball, Project, README, readmeBlock, type Outcome } from './project.js';

/** Bytes under `dir` as `du -s --apparent-size` counts them: files, directories and symlinks themselves. */
function apparentSize(dir: string): number {
  let total = lstatSync(dir).size;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? apparentSize(path) : lstatSync(path).size;
  }
  return total;
}

// An ES module JavaScript project that installs keyguard and nothing else: what every first install is.
describe('keyguard installed into a plain JavaScript project (ES modules)', () => {
  const project = new Project('esm-app', { type: 'module' });
  let install: Outcome;

  beforeAll(() => {
    project.gitInit();
    install = project.install(packedTarball());
  }, 300_000);

  it('adds no ESLint and no TypeScript, and the packages and megabytes the README states', () => {
    const stated = /adds (\d+) packages and (\d+) MB/.exec(README.replace(/\s+/g, ' '));
    expect(stated, 'README: "Installing the packed tarball into an empty project adds N packages and M MB"').not.toBeNull();
    const [, packages, megabytes] = stated as RegExpExecArray;

    expect(install.output).toContain(`added ${packages} packages`);
    // Within a megabyte: a patch release of a dependency moves the size a little, not the figure a user plans with.
    expect(Math.abs(apparentSize(join(project.dir, 'node_modules')) / 1e6 - Number(megabytes))).toBeLessThan(1);
    for (const toolchain of ['eslint', 'typescript', '@typescript-eslint', '@eslint']) {
      expect(existsSync(join(project.dir, 'node_modules', toolchain)), toolchain).toBe(false);
    }
  });

  it('npx keyguard scan fails on a key in src/ and shows it redacted', () => {
    const key = fakeKey('live');
    project.write('src/pay.js', `export const apiKey = '${key}';\n`);

    const out = project.run('npx', ['keyguard', 'scan']);

    expect(out.status).toBe(1);
    expect(out.stdout).toMatch(/src\/pay\.js:1:24 .*hardcoded-key/);
    expect(out.output).not.toContain(bodyOf(key));
  });

  it("runs the README's programmatic example as it stands", () => {
    project.write('src/pay.js', `export const apiKey = '${fakeKey('test')}';\n`);
    project.write('report.mjs', readmeBlock('### Programmatic use', 'ts'));

    const out = project.run('node', ['report.mjs']);

    expect(out.stderr).toBe('');
    expect(out.stdout).toMatch(/src\/pay\.js:1:24 .*hardcoded-key {2}Hardcoded test API key sk_test_/);
  });

  it('serves the mock key API from keyguard/mock/server, with no msw installed', () => {
    project.write(
      'mock.mjs',
      [
        "import { startKeyApiServer } from 'keyguard/mock/server';",
        'const server = await startKeyApiServer({ port: 0 });',
        "const answer = await fetch(new URL('/v1/rate-limit', server.url), { headers: { Authorization: `Bearer ${server.bootstrapKey}` } });",
        'console.log(answer.status, (await answer.json()).limit);',
        'await server.close();',
        '',
      ].join('\n'),
    );

    const out = project.run('node', ['mock.mjs']);

    expect(out.stderr).toBe('');
    expect(out.stdout).toBe('200 1000\n');
  });
});
