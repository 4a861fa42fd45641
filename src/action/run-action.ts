import { appendFile, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { run } from '../cli/run.js';
import type { CliResult } from '../cli/io.js';
import { EXIT_ERROR, KeyguardError } from '../errors.js';

/** The events whose payload names a pull request's base and head commits. */
const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target']);

/**
 * The GitHub Action's scan step (action.yml), as a function of the environment the runner
 * gives it: on a pull request, the commits it adds (`--range base..head`), otherwise the
 * checked-out tree. Writes SARIF for code scanning; when there are findings, scans again
 * for `::error` annotations so the job log says where they are. Sets the step outputs
 * `findings` and `sarif-file`. The exit code is the scan's: 1 fails the job on findings.
 */
export async function runAction(env: Record<string, string | undefined>, cwd: string): Promise<CliResult> {
  try {
    const sarif = env.KEYGUARD_SARIF_FILE || 'keyguard.sarif';
    if (/[\r\n]/.test(sarif)) throw new KeyguardError('the sarif-file input must be one line');
    const scanArgs = ['scan', ...(await sourceArgs(env)), ...settingArgs(env)];
    const io = { cwd, env, stdoutIsTTY: false, stderrIsTTY: false };
    const scanned = await run([...scanArgs, '--format', 'sarif', '--output', sarif], io);
    let stdout = '';
    if (scanned.exitCode === 1) stdout = (await run([...scanArgs, '--format', 'github'], io)).stdout;
    if (scanned.exitCode <= 1) await setOutputs(env, { findings: String(await countResults(resolve(cwd, sarif))), 'sarif-file': sarif });
    return { exitCode: scanned.exitCode, stdout, stderr: scanned.stderr };
  } catch (error) {
    const message = error instanceof KeyguardError ? error.message : String(error);
    return { exitCode: EXIT_ERROR, stdout: '', stderr: `keyguard action: ${message}\n` };
  }
}

async function sourceArgs(env: Record<string, string | undefined>): Promise<string[]> {
  if (!PULL_REQUEST_EVENTS.has(env.GITHUB_EVENT_NAME ?? '')) return [];
  const event = env.GITHUB_EVENT_PATH ? await readEvent(env.GITHUB_EVENT_PATH) : undefined;
  const base = event?.pull_request?.base?.sha;
  const head = event?.pull_request?.head?.sha;
  if (typeof base !== 'string' || typeof head !== 'string') {
    throw new KeyguardError(`the ${env.GITHUB_EVENT_NAME} event payload (GITHUB_EVENT_PATH) names no pull_request base and head sha`);
  }
  return ['--range', `${base}..${head}`];
}

interface PullRequestEvent {
  pull_request?: { base?: { sha?: unknown }; head?: { sha?: unknown } };
}

async function readEvent(path: string): Promise<PullRequestEvent | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as PullRequestEvent;
  } catch (error) {
    throw new KeyguardError(`cannot read the event payload ${path}: ${(error as Error).message}`);
  }
}

/** The action's inputs, passed through the step's environment (never pasted into a script). */
function settingArgs(env: Record<string, string | undefined>): string[] {
  const args: string[] = [];
  if (env.KEYGUARD_FAIL_ON) args.push('--fail-on', env.KEYGUARD_FAIL_ON);
  if (env.KEYGUARD_CONFIG) args.push('--config', env.KEYGUARD_CONFIG);
  if (env.KEYGUARD_BASELINE) args.push('--baseline', env.KEYGUARD_BASELINE);
  return args;
}

async function countResults(sarifPath: string): Promise<number> {
  const log = JSON.parse(await readFile(sarifPath, 'utf8')) as { runs: Array<{ results: unknown[] }> };
  return log.runs.reduce((total, run) => total + run.results.length, 0);
}

/** Step outputs, in the runner's `name=value` lines (values here never hold a newline). */
async function setOutputs(env: Record<string, string | undefined>, outputs: Record<string, string>): Promise<void> {
  if (!env.GITHUB_OUTPUT) return;
  await appendFile(env.GITHUB_OUTPUT, Object.entries(outputs).map(([name, value]) => `${name}=${value}\n`).join(''));
}
