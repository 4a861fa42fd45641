import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { TempRepo } from '../git/repo.js';
import { fakeKey } from '../helpers/keys.js';
import { readActionYml, REPO_ROOT, runAction as runActionAt, useActionCheckout, type ActionRun } from './runner.js';

/** The action as a runner downloads it (`uses: owner/keyguard@v1`): made once for the file. */
const { dir: actionDir, cleanups } = useActionCheckout();

/** Runs the action in `workspace` as the runner would, for `event` with its payload. */
function runAction(workspace: string, event: string, payload: object, inputs: Record<string, string> = {}): Promise<ActionRun> {
  return runActionAt(actionDir(), workspace, event, payload, inputs);
}

interface SarifLog {
  runs: Array<{ results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }>; properties?: { commit?: string } }> }>;
}

describe('the GitHub Action (action.yml), run as the runner would', () => {
  const Ajv = AjvDraft04.default;
  const ajv = new Ajv({ strict: false });
  ajvFormats.default(ajv);
  const validSarif = ajv.compile(JSON.parse(readFileSync(join(REPO_ROOT, 'test/report/sarif-schema-2.1.0.json'), 'utf8')) as object);

  it('is a JavaScript action: the runner runs the committed bundle with its own Node, with nothing to install or build', () => {
    const action = readActionYml(actionDir());
    expect(action.runs).toEqual({ using: 'node20', main: 'dist-action/index.js' });
    expect(existsSync(join(actionDir(), 'node_modules'))).toBe(false);
    expect(existsSync(join(actionDir(), 'dist'))).toBe(false);
  });

  /** main holds an old test key; the branch `feature` is the pull request. */
  function project(): { repo: TempRepo; base: string } {
    const repo = TempRepo.create();
    cleanups.push(() => repo.remove());
    repo.write('src/legacy.ts', `export const key = '${fakeKey('test')}';\n`);
    repo.commitUnchecked('legacy');
    const base = repo.head()!;
    repo.git('switch', '-q', '-c', 'feature');
    return { repo, base };
  }

  it('on pull_request, scans only the commits the PR adds: fails the job, writes valid SARIF and annotates the new key', async () => {
    const { repo, base } = project();
    repo.write('docs/readme.md', 'docs\n');
    repo.commitUnchecked('docs');
    repo.write('src/pay.ts', `export const pay = '${fakeKey('live')}';\n`);
    repo.commitUnchecked('add pay');
    const head = repo.head()!;

    const result = await runAction(repo.dir, 'pull_request', { pull_request: { base: { sha: base }, head: { sha: head } } });

    expect(result.exitCode).toBe(1);
    const sarif = JSON.parse(readFileSync(join(repo.dir, 'keyguard.sarif'), 'utf8')) as SarifLog;
    expect(validSarif(sarif), ajv.errorsText(validSarif.errors)).toBe(true);
    expect(sarif.runs[0]!.results.map((r) => [r.locations[0]!.physicalLocation.artifactLocation.uri, r.properties?.commit])).toEqual([['src/pay.ts', head]]);
    expect(result.stdout).toMatch(/^::error file=src\/pay\.ts,line=1,col=\d+,.*title=keyguard hardcoded-key::Hardcoded live API key/m);
    expect(result.stdout).not.toContain('legacy.ts');
    expect(result.outputs).toEqual({ findings: '1', 'sarif-file': 'keyguard.sarif' });
    // Not a TTY: no progress line, only what was written where.
    expect(result.stderr).toBe('keyguard: wrote 1 finding to keyguard.sarif\n');
  });

  it('on a pull_request that adds no key, passes even though the tree holds an old one', async () => {
    const { repo, base } = project();
    repo.write('docs/readme.md', 'docs\n');
    repo.commitUnchecked('docs');

    const result = await runAction(repo.dir, 'pull_request', { pull_request: { base: { sha: base }, head: { sha: repo.head() } } });

    expect(result).toMatchObject({ exitCode: 0, stdout: '', outputs: { findings: '0', 'sarif-file': 'keyguard.sarif' } });
  });

  it('on push, scans the checked-out tree; the fail-on and sarif-file inputs apply', async () => {
    const { repo } = project();

    const failing = await runAction(repo.dir, 'push', {});
    expect(failing.exitCode).toBe(1);
    expect(failing.stdout).toMatch(/^::error file=src\/legacy\.ts,/m);

    const onlyLive = await runAction(repo.dir, 'push', {}, { 'fail-on': 'live', 'sarif-file': 'reports.sarif' });
    expect(onlyLive).toMatchObject({ exitCode: 0, outputs: { findings: '1', 'sarif-file': 'reports.sarif' } });
    expect(existsSync(join(repo.dir, 'reports.sarif'))).toBe(true);
  });

  it('on a shallow checkout of a pull request, fails with the fix (fetch-depth: 0) rather than passing', async () => {
    const { repo, base } = project();
    repo.write('src/pay.ts', `export const pay = '${fakeKey('live')}';\n`);
    repo.commitUnchecked('add pay');
    const head = repo.head()!;
    const shallow = mkdtempSync(join(tmpdir(), 'keyguard-shallow-'));
    cleanups.push(() => rmSync(shallow, { recursive: true, force: true }));
    repo.git('clone', '-q', '--depth', '1', '--branch', 'feature', `file://${repo.dir}`, shallow);

    const result = await runAction(shallow, 'pull_request', { pull_request: { base: { sha: base }, head: { sha: head } } });

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^keyguard: --range [0-9a-f]{40}\.\.[0-9a-f]{40}: .*\(in CI, fetch both ends first: actions\/checkout with fetch-depth: 0\)\n$/);
  });

  it('a pull_request payload without its shas is a clear error, exit 2', async () => {
    const { repo } = project();
    const result = await runAction(repo.dir, 'pull_request', { action: 'opened' });
    expect(result).toMatchObject({ exitCode: 2, stderr: 'keyguard action: the pull_request event payload (GITHUB_EVENT_PATH) names no pull_request base and head sha\n' });
  });
});
