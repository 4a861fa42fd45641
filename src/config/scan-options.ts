import { baselineScope, readBaseline } from '../baseline.js';
import type { FailOn, ScanOptions } from '../scan.js';
import { verifyEndpoint } from '../verify.js';
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
  options: Pick<ScanOptions, 'exclude' | 'allowKey' | 'baseline' | 'verify'>;
}

/**
 * The team workflows a scan runs with: config file and flags merged, the baseline read
 * (the default file only when it exists), `--verify` checked before any scanning starts.
 */
export async function teamScanOptions(cwd: string, flags: ScanFlags): Promise<TeamScanOptions> {
  const settings = await resolveSettings(cwd, flags);
  const options: TeamScanOptions['options'] = {};
  if (settings.exclude) options.exclude = settings.exclude;
  if (settings.allowKey) options.allowKey = settings.allowKey;
  if (flags.verify !== undefined) options.verify = { endpoint: verifyEndpoint(flags.verify) };
  const { path, name, named } = settings.baseline;
  const baseline = await readBaseline(path, name, named);
  if (baseline) options.baseline = { baseline, scope: baselineScope(flags) };
  return { failOn: settings.failOn, options };
}
