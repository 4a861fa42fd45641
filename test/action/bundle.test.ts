import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TempRepo } from '../git/repo.js';
import { fakeKey } from '../helpers/keys.js';
import { REPO_ROOT, runAction, useActionCheckout } from './runner.js';

const { dir: actionDir, cleanups } = useActionCheckout();

describe('the action bundle (dist-action/), run from a checkout with no node_modules', () => {
  it('scans the working-directory input with its config: the allow regexes run on the bundled RE2', async () => {
    const repo = TempRepo.create();
    cleanups.push(() => repo.remove());
    const allowed = fakeKey('test');
    repo.write('services/api/keyguard.config.json', `${JSON.stringify({ allow: [`^${allowed.slice(0, 16)}`] })}\n`);
    repo.write('services/api/src/fixture.ts', `export const demo = '${allowed}';\n`);
    repo.write('services/api/src/pay.ts', `export const pay = '${fakeKey('live')}';\n`);
    repo.write('web/src/other.ts', `export const other = '${fakeKey('live')}';\n`);
    repo.commitUnchecked('services');

    const result = await runAction(actionDir(), repo.dir, 'push', {}, { 'working-directory': 'services/api', 'sarif-file': 'out.sarif' });

    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/^::error file=src\/pay\.ts,/m);
    expect(result.stdout).not.toContain('fixture.ts');
    expect(result.stdout).not.toContain('other.ts');
    expect(result.outputs).toEqual({ findings: '1', 'sarif-file': 'out.sarif' });
    expect(JSON.parse(readFileSync(join(repo.dir, 'services/api/out.sarif'), 'utf8'))).toMatchObject({ version: '2.1.0' });
  });

  it('reports its own version in SARIF, as the CLI does', async () => {
    const repo = TempRepo.create();
    cleanups.push(() => repo.remove());
    repo.write('README.md', 'nothing here\n');
    repo.commitUnchecked('readme');

    const result = await runAction(actionDir(), repo.dir, 'push', {});

    expect(result).toMatchObject({ exitCode: 0, outputs: { findings: '0' } });
    const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    const sarif = JSON.parse(readFileSync(join(repo.dir, 'keyguard.sarif'), 'utf8')) as { runs: Array<{ tool: { driver: { semanticVersion: string } } }> };
    expect(sarif.runs[0]!.tool.driver.semanticVersion).toBe(version);
  });
});

describe('check-dist (node scripts/bundle.mjs action --check)', () => {
  const check = (dir: string) => spawnSync(process.execPath, [join(REPO_ROOT, 'scripts/bundle.mjs'), 'action', '--check', dir], { encoding: 'utf8' });

  it('passes on a bundle of the current sources, and fails with the fix when one byte differs', () => {
    const copy = mkdtempSync(join(tmpdir(), 'keyguard-dist-'));
    cleanups.push(() => rmSync(copy, { recursive: true, force: true }));
    cpSync(join(actionDir(), 'dist-action'), copy, { recursive: true });

    expect(check(copy)).toMatchObject({ status: 0, stdout: `${copy} matches a build of src/\n` });

    appendFileSync(join(copy, 'index.js'), ' ');
    const stale = check(copy);
    expect(stale.status).toBe(1);
    expect(stale.stderr).toBe(`bundle: ${copy} is stale (index.js differ from a build of src/): run \`npm run bundle:action\` and commit dist-action/\n`);
  });
});
