import { teamScanOptions } from './config/scan-options.js';
import { KeyguardError } from './errors.js';
import type { Finding } from './findings.js';
import { redactText } from './findings.js';
import { printable } from './printable.js';
import { scan, sortFindings, type FailOn, type ScanSummary } from './scan.js';
import { gitSource } from './sources/git-sources.js';
import { verifyFindings } from './verify.js';

/** What to scan and with which settings: the `scan` command's flags, as the CLI, the hook and the Action give them. */
export interface ScanRequest {
  paths?: string[];
  staged?: boolean;
  range?: string;
  history?: boolean;
  pack?: boolean;
  noIgnore?: boolean;
  config?: string;
  baseline?: string;
  ignore?: string[];
  allow?: string[];
  failOn?: FailOn;
  verify?: string;
}

/** Where a scan runs, given by the caller (the bin's process, a test, the Action's runner). */
export interface ScanContext {
  cwd: string;
  env: Record<string, string | undefined>;
  /** Progress lines for a terminal, about four times a second on long scans. */
  progress?: (line: string) => void;
}

export interface ScanOutcome {
  findings: Finding[];
  summary: ScanSummary;
  failOn: FailOn;
  /** Lines for stderr (a named directory git ignores), control characters and keys masked. */
  warnings: string[];
}

/**
 * One scan as the CLI and the Action run it: the team's settings (config file and flags), the
 * source the flags choose, the scan, then `--verify` as a step of its own on what the scan
 * found (network calls never happen inside `scan()`). Formats nothing.
 */
export async function runScan(request: ScanRequest, context: ScanContext): Promise<ScanOutcome> {
  const { cwd, env } = context;
  if (request.pack && request.paths && request.paths.length > 0) {
    throw new KeyguardError(`--pack scans what npm would publish for the package here: drop the paths (${request.paths.join(' ')}), or scan them without --pack`);
  }
  let commits = 0;
  let progressShown = false;
  const warnings: string[] = [];
  const source = request.pack
    ? (await import('./sources/npm-pack.js')).packSource(cwd, env)
    : gitSource(cwd, { ...request, env, onCommit: (n) => (commits = n) });
  const team = await teamScanOptions(cwd, request);
  const scanned = await scan({
    ...team.options,
    cwd,
    env,
    paths: request.paths ?? [],
    noIgnore: request.noIgnore === true,
    onIgnoredDirectory: (dir) =>
      warnings.push(redactText(printable(`keyguard: warning: ${dir} is ignored by git, so files in it that git does not track were not scanned: add --no-ignore to scan them`))),
    ...(source && { source }),
    ...(context.progress && {
      onProgress: (stats) => {
        progressShown = true;
        context.progress?.(`keyguard: scanned ${commits > 0 ? `${commits} commits` : `${stats.files} files`}…`);
      },
    }),
  });
  if (progressShown) context.progress?.('');
  let { findings } = scanned;
  if (team.verify) {
    await verifyFindings(findings, team.verify);
    findings = sortFindings(findings); // keys verified live come first
  }
  return { findings, summary: scanned.summary, failOn: team.failOn, warnings };
}
