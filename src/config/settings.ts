import { join, resolve } from 'node:path';
import { relativePosix } from '../posix-path.js';
import { BASELINE_FILE } from '../baseline.js';
import type { FailOn } from '../scan.js';
import { loadConfig } from './load.js';
import type { PathTest } from './patterns.js';

/** The options a user can set both in the config file and on the command line. */
export interface SettingFlags {
  config?: string;
  ignore?: string[];
  allow?: string[];
  failOn?: FailOn;
  baseline?: string;
}

export interface BaselineLocation {
  path: string;
  /** As shown to the user: relative to the current directory. */
  name: string;
  /** Named by a flag or the config: it must exist. The default file is used only when it does. */
  named: boolean;
}

/** What a scan runs with: the command line wins over the config, field by field. */
export interface Settings {
  failOn: FailOn;
  exclude?: PathTest;
  allowKey?: (key: string) => boolean;
  baseline: BaselineLocation;
}

export async function resolveSettings(cwd: string, flags: SettingFlags): Promise<Settings> {
  const { values, root, field } = await loadConfig(cwd, flags.config);
  const fromConfig = (name: string) => (index: number) => (field ? field(`${name}[${index}]`) : name);
  const settings: Settings = {
    failOn: flags.failOn ?? values.failOn ?? 'any',
    baseline: baselineLocation(cwd, root, flags.baseline, values.baseline),
  };
  const ignore = flags.ignore ?? values.ignore;
  const allow = flags.allow ?? values.allow;
  if (!ignore?.length && !allow?.length) return settings;
  // picomatch and RE2 load only for projects that use them: the pre-commit hook pays per commit.
  const { keyMatcher, pathMatcher } = await import('./patterns.js');
  if (flags.ignore) settings.exclude = pathMatcher(flags.ignore, cwd, cwd, () => '--ignore');
  else if (values.ignore && values.ignore.length > 0) settings.exclude = pathMatcher(values.ignore, root, cwd, fromConfig('ignore'));
  if (allow && allow.length > 0) settings.allowKey = await keyMatcher(allow, flags.allow ? () => '--allow' : fromConfig('allow'));
  return settings;
}

function baselineLocation(cwd: string, root: string, flag: string | undefined, configured: string | undefined): BaselineLocation {
  const path = flag !== undefined ? resolve(cwd, flag) : configured !== undefined ? resolve(root, configured) : join(root, BASELINE_FILE);
  const name = relativePosix(cwd, path) || path;
  return { path, name, named: flag !== undefined || configured !== undefined };
}
