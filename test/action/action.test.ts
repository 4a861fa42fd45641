import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import AjvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { TempRepo } from '../git/repo.js';
import { fakeKey } from '../helpers/keys.js';

/** The action runs from this checkout, as `uses: ./` or `uses: owner/keyguard@v1` would. */
const ACTION_PATH = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

interface Step {
  name: string;
  id?: string;
  shell: string;
  run: string;
  env?: Record<string, string>;
  'working-directory'?: string;
}

interface ActionYml {
  inputs: Record<string, { default: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}

const action = parse(readFileSync(join(ACTION_PATH, 'action.yml'), 'utf8')) as ActionYml;

interface ActionRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
}

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/**
 * Runs action.yml's steps the way the runner does (`act` is not needed): each step's `run`
 * through `bash --noprofile --norc -eo pipefail`, in its working directory, with its `env`
 * after `${{ inputs.* }}` expansion and the GITHUB_* variables of the event; it stops at the
 * first failing step. Outputs are read from GITHUB_OUTPUT and mapped through `outputs:`.
 */
async function runAction(workspace: string, event: string, payload: object, inputs: Record<string, string> = {}): Promise<ActionRun> {
  const runner = mkdtempSync(join(tmpdir(), 'keyguard-runner-'));
  cleanups.push(() => rmSync(runner, { recursive: true, force: true }));
  writeFileSync(join(runner, 'event.json'), JSON.stringify(payload));
  writeFileSync(join(runner, 'output'), '');
  const values = { ...Object.fromEntries(Object.entries(action.inputs).map(([name, input]) => [name, input.default])), ...inputs };
  const context = { inputs: values, steps: {} as Record<string, { outputs: Record<string, string> }> };
  let last = { exitCode: 0, stdout: '', stderr: '' };
  for (const step of action.runs.steps) {
    expect(step.shell).toBe('bash');
    const env = {
      ...process.env,
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_ACTION_PATH: ACTION_PATH,
      GITHUB_WORKSPACE: workspace,
      GITHUB_EVENT_NAME: event,
      GITHUB_EVENT_PATH: join(runner, 'event.json'),
      GITHUB_OUTPUT: join(runner, 'output'),
      ...Object.fromEntries(Object.entries(step.env ?? {}).map(([name, value]) => [name, expand(value, context)])),
    };
    const cwd = resolve(workspace, expand(step['working-directory'] ?? '.', context));
    last = await bash(step.run, cwd, env);
    if (step.id) context.steps[step.id] = { outputs: readOutputs(join(runner, 'output')) };
    if (last.exitCode !== 0) break;
  }
  const outputs = Object.fromEntries(Object.entries(action.outputs).map(([name, output]) => [name, expand(output.value, context)]));
  return { ...last, outputs };
}

/** The expressions action.yml uses; anything else fails the test rather than being guessed. */
function expand(text: string, context: { inputs: Record<string, string>; steps: Record<string, { outputs: Record<string, string> }> }): string {
  return text.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_all, expression: string) => {
    const input = /^inputs\.([\w-]+)$/.exec(expression);
    if (input) return context.inputs[input[1]!] ?? '';
    const output = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expression);
    if (output) return context.steps[output[1]!]?.outputs[output[2]!] ?? '';
    throw new Error(`action.yml uses an expression this test does not know: ${expression}`);
  });
}

function bash(script: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], { cwd, env }, (error, stdout, stderr) => {
      done({ exitCode: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

function readOutputs(file: string): Record<string, string> {
  const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  return Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
}

interface SarifLog {
  runs: Array<{ results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }>; properties?: { commit?: string } }> }>;
}

describe('the GitHub Action (action.yml), its steps run as the runner would', () => {
  const Ajv = AjvDraft04.default;
  const ajv = new Ajv({ strict: false });
  ajvFormats.default(ajv);
  const validSarif = ajv.compile(JSON.parse(readFileSync(join(ACTION_PATH, 'test/report/sarif-schema-2.1.0.json'), 'utf8')) as object);

  beforeAll(() => {
    // Otherwise the build step would npm ci into this very checkout.
    expect(existsSync(join(ACTION_PATH, 'dist/src/action/bin.js')), 'build first: npm run build').toBe(true);
  });

  it('is a composite action whose inputs reach the scan through env, never pasted into a script', () => {
    expect(action.runs.using).toBe('composite');
    for (const step of action.runs.steps) expect(step.run).not.toMatch(/\$\{\{/);
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
