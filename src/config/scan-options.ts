import { baselineScope, readBaseline } from '../baseline.js';
import { dirname } from 'node:path';
import type { FailOn, ScanOptions } from '../scan.js';
import { verifyEndpoint, type VerifyOptions } from '../verify.js';
import { resolveSettings, type SettingFlags } from './settings.js';

export interface ScanFlags extends SettingFlags {
  paths?: string[];
  staged?: boolean;
  range?: string;
  history?: boolean;
  verify?: string;
  pack?: boolean;
}

export interface TeamScanOptions {
  failOn: FailOn;
  options: Pick<ScanOptions, 'exclude' | 'allowKey' | 'baseline' | 'root' | 'placeContext'>;
  /** `--verify`: a step after the scan. */
  verify?: VerifyOptions;
}

/**
 * The team workflows a scan runs with: config file and flags merged, the baseline read
 * (the default file only when it exists), `--verify` checked before any scanning starts.
 */
export async function teamScanOptions(cwd: string, flags: ScanFlags): Promise<TeamScanOptions> {
  const settings = await resolveSettings(cwd, flags);
  const { path, name, named } = settings.baseline;
  // Fingerprints are relative to where the baseline lives, so they match from any directory.
  const options: TeamScanOptions['options'] = { root: dirname(path), placeContext: settings.placeContext };
  if (settings.exclude) options.exclude = settings.exclude;
  if (settings.allowKey) options.allowKey = settings.allowKey;
  const team: TeamScanOptions = { failOn: settings.failOn, options };
  if (flags.verify !== undefined) team.verify = { endpoint: verifyEndpoint(flags.verify) };
  const baseline = await readBaseline(path, name, named);
  if (baseline) options.baseline = { baseline, scope: baselineScope(flags) };
  return team;
}
