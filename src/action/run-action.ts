import { appendFile } from 'node:fs/promises';
import { failure, type CliResult } from '../cli/io.js';
import { deliverReport } from '../cli/report-output.js';
import { EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, KeyguardError } from '../errors.js';
import { readJsonFile } from '../json-text.js';
import { formatReport } from '../report/index.js';
import { runScan, type ScanOutcome, type ScanRequest } from '../run-scan.js';
import { failsAt, type FailOn } from '../scan.js';

/** The events whose payload names a pull request's base and head commits. */
const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target']);

/**
 * The GitHub Action's scan step (action.yml), as a function of the environment the runner
 * gives it: on a pull request, the commits it adds (`--range base..head`), otherwise the
 * checked-out tree. Scans once and formats twice: SARIF for code scanning, and when the job
 * fails, `::error` annotations so the job log says where the findings are. Sets the step
 * outputs `findings` and `sarif-file`. The exit code is the scan's: 1 fails the job on findings.
 */
export async function runAction(env: Record<string, string | undefined>, cwd: string): Promise<CliResult> {
  try {
    const sarif = env.KEYGUARD_SARIF_FILE || 'keyguard.sarif';
    if (/[\r\n]/.test(sarif)) throw new KeyguardError('the sarif-file input must be one line');
    const request = { ...(await sourceRequest(env)), ...settingRequest(env) };
    let outcome: ScanOutcome;
    try {
      outcome = await runScan(request, { cwd, env });
    } catch (error) {
      return failure(error); // the scan's own errors read as the CLI's
    }
    const { findings, summary } = outcome;
    const exitCode = failsAt(findings, outcome.failOn) ? EXIT_FINDINGS : EXIT_OK;
    const written = await deliverReport(formatReport('sarif', findings, { summary }), summary.findings, exitCode, sarif, cwd, outcome.warnings.map((line) => `${line}\n`).join(''));
    const stdout = exitCode === EXIT_FINDINGS ? formatReport('github', findings, { summary }) : '';
    await setOutputs(env, { findings: String(findings.length), 'sarif-file': sarif });
    return { ...written, stdout };
  } catch (error) {
    const message = error instanceof KeyguardError ? error.message : String(error);
    return { exitCode: EXIT_ERROR, stdout: '', stderr: `keyguard action: ${message}\n` };
  }
}

async function sourceRequest(env: Record<string, string | undefined>): Promise<ScanRequest> {
  if (!PULL_REQUEST_EVENTS.has(env.GITHUB_EVENT_NAME ?? '')) return {};
  const event = env.GITHUB_EVENT_PATH ? await readEvent(env.GITHUB_EVENT_PATH) : undefined;
  const base = event?.pull_request?.base?.sha;
  const head = event?.pull_request?.head?.sha;
  if (typeof base !== 'string' || typeof head !== 'string') {
    throw new KeyguardError(`the ${env.GITHUB_EVENT_NAME} event payload (GITHUB_EVENT_PATH) names no pull_request base and head sha`);
  }
  return { range: `${base}..${head}` };
}

interface PullRequestEvent {
  pull_request?: { base?: { sha?: unknown }; head?: { sha?: unknown } };
}

async function readEvent(path: string): Promise<PullRequestEvent | undefined> {
  const fix = 'the runner writes it: run keyguard as a step of a pull_request workflow';
  return (await readJsonFile(path, { name: `the event payload ${path}`, fix, missing: `does not exist: ${fix}` })) as PullRequestEvent | undefined;
}

/** The action's inputs, passed through the step's environment (never pasted into a script). */
function settingRequest(env: Record<string, string | undefined>): ScanRequest {
  const request: ScanRequest = {};
  if (env.KEYGUARD_FAIL_ON) request.failOn = failOn(env.KEYGUARD_FAIL_ON);
  if (env.KEYGUARD_CONFIG) request.config = env.KEYGUARD_CONFIG;
  if (env.KEYGUARD_BASELINE) request.baseline = env.KEYGUARD_BASELINE;
  return request;
}

function failOn(value: string): FailOn {
  if (value === 'live' || value === 'any') return value;
  throw new KeyguardError(`the fail-on input must be live or any; got '${value}'`);
}

/** Step outputs, in the runner's `name=value` lines (values here never hold a newline). */
async function setOutputs(env: Record<string, string | undefined>, outputs: Record<string, string>): Promise<void> {
  if (!env.GITHUB_OUTPUT) return;
  await appendFile(env.GITHUB_OUTPUT, Object.entries(outputs).map(([name, value]) => `${name}=${value}\n`).join(''));
}
