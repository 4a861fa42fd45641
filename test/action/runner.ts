import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { parse } from 'yaml';
import { trackedCopy } from '../helpers/tracked-copy.js';

/** This repository: what `uses: owner/keyguard@v1` downloads. */
export { REPO_ROOT } from '../helpers/tracked-copy.js';

export interface ActionYml {
  inputs: Record<string, { default: string }>;
  outputs: Record<string, { description: string; value?: string }>;
  runs: { using: string; main: string; pre?: string; post?: string; steps?: unknown };
}

export interface ActionRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
}

/** The action as a runner gets it: see trackedCopy. */
export const actionCheckout = trackedCopy;

/**
 * For a test file: one action checkout for all its tests (`dir()`), and `cleanups` run after each test.
 */
export function useActionCheckout(): { dir: () => string; cleanups: Array<() => void> } {
  const cleanups: Array<() => void> = [];
  let checkout: ReturnType<typeof actionCheckout> | undefined;
  beforeAll(() => {
    checkout = actionCheckout();
  });
  afterAll(() => checkout?.remove());
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });
  return { dir: () => checkout!.dir, cleanups };
}

export function readActionYml(actionPath: string): ActionYml {
  return parse(readFileSync(join(actionPath, 'action.yml'), 'utf8')) as ActionYml;
}

/**
 * Runs a JavaScript action the way the runner does (`act` is not needed): its own Node runs
 * `runs.main` in the workspace, each input in `INPUT_<NAME>` (upper case, hyphens kept) with
 * action.yml's defaults for those not given, and the GITHUB_* variables of the event. Outputs
 * are read from GITHUB_OUTPUT for the names action.yml declares.
 */
export async function runAction(actionPath: string, workspace: string, event: string, payload: object, inputs: Record<string, string> = {}): Promise<ActionRun> {
  const action = readActionYml(actionPath);
  const runner = mkdtempSync(join(tmpdir(), 'keyguard-runner-'));
  try {
    writeFileSync(join(runner, 'event.json'), JSON.stringify(payload));
    writeFileSync(join(runner, 'output'), '');
    const values = { ...Object.fromEntries(Object.entries(action.inputs).map(([name, input]) => [name, input.default])), ...inputs };
    const env = {
      ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('INPUT_'))),
      ...Object.fromEntries(Object.entries(values).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value])),
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: workspace,
      GITHUB_EVENT_NAME: event,
      GITHUB_EVENT_PATH: join(runner, 'event.json'),
      GITHUB_OUTPUT: join(runner, 'output'),
    };
    const run = await new Promise<{ exitCode: number; stdout: string; stderr: string }>((done) => {
      execFile(process.execPath, [join(actionPath, action.runs.main)], { cwd: workspace, env }, (error, stdout, stderr) => {
        done({ exitCode: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      });
    });
    const written = readOutputs(join(runner, 'output'));
    const outputs = Object.fromEntries(Object.keys(action.outputs).filter((name) => name in written).map((name) => [name, written[name]!]));
    return { ...run, outputs };
  } finally {
    rmSync(runner, { recursive: true, force: true });
  }
}

function readOutputs(file: string): Record<string, string> {
  const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  return Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
}
