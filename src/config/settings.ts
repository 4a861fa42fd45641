import { join, resolve } from 'node:path';
import { relativePosix } from '../posix-path.js';
import { BASELINE_FILE } from '../baseline.js';
import type { PlaceContext } from '../detect/index.js';
import type { FailOn } from '../scan.js';
import { loadConfig } from './load.js';
import type { ConfigValues } from './schema.js';
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
  /** Whether a path is a test or production file, made when first needed (a scan that finds no key never loads the glob matcher). */
  placeContext: () => Promise<(path: string) => PlaceContext | undefined>;
}

export async function resolveSettings(cwd: string, flags: SettingFlags): Promise<Settings> {
  const { values, root, field } = await loadConfig(cwd, flags.config);
  const fromConfig = (name: string) => (index: number) => (field ? field(`${name}[${index}]`) : name);
  const settings: Settings = {
    failOn: flags.failOn ?? values.failOn ?? 'any',
    baseline: baselineLocation(cwd, root, flags.baseline, values.baseline),
    placeContext: () => placeContext(cwd, root, values.environments, field),
  };
  // Configured globs are checked now, so a bad one is an error whether or not the scan finds a key.
  if (values.environments) await settings.placeContext();
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

/** The test and production globs: the config's, each list replacing its default, relative to the config's directory. */
async function placeContext(cwd: string, root: string, configured: ConfigValues['environments'], field: ((path: string) => string) | undefined): Promise<(path: string) => PlaceContext | undefined> {
  const { contextMatcher, DEFAULT_ENVIRONMENTS } = await import('./environments.js');
  const globs = { test: configured?.test ?? DEFAULT_ENVIRONMENTS.test, production: configured?.production ?? DEFAULT_ENVIRONMENTS.production };
  return contextMatcher(globs, root, cwd, (context) => (index) => (configured?.[context] && field ? field(`environments.${context}[${index}]`) : `environments.${context}`));
}

function baselineLocation(cwd: string, root: string, flag: string | undefined, configured: string | undefined): BaselineLocation {
  const path = flag !== undefined ? resolve(cwd, flag) : configured !== undefined ? resolve(root, configured) : join(root, BASELINE_FILE);
  const name = relativePosix(cwd, path) || path;
  return { path, name, named: flag !== undefined || configured !== undefined };
}
