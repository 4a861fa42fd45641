import { stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { KeyguardError } from '../errors.js';
import { fieldPath } from '../field-path.js';
import { readJsonFile } from '../json-text.js';
import { relativePosix } from '../posix-path.js';
import type { ConfigValues } from './schema.js';

export const CONFIG_FILE = 'keyguard.config.json';

export interface LoadedConfig {
  values: ConfigValues;
  /** The project root: the config's directory (its paths and globs are relative to it), else the repository root, else cwd. */
  root: string;
  /** Names a config field in a message: `keyguard.config.json: "allow[0]"`. Undefined without a config. */
  field?: (path: string) => string;
}

/**
 * The config of the project being scanned: `--config FILE` when given, else the nearest
 * `keyguard.config.json` or `package.json` with a `"keyguard"` field from `cwd` up to the
 * repository root (not beyond: a parent repository's config is not this one's). Anything wrong
 * is one KeyguardError naming the file and the field.
 */
export async function loadConfig(cwd: string, explicit?: string): Promise<LoadedConfig> {
  if (explicit !== undefined) return loadFile(cwd, resolve(cwd, explicit), `--config ${explicit}`);
  let dir = resolve(cwd);
  for (;;) {
    const found = await configIn(cwd, dir);
    if (found) return found;
    const top = await exists(join(dir, '.git'));
    const parent = dirname(dir);
    if (top || parent === dir) return { values: {}, root: top ? dir : resolve(cwd) };
    dir = parent;
  }
}

async function configIn(cwd: string, dir: string): Promise<LoadedConfig | undefined> {
  const file = join(dir, CONFIG_FILE);
  const pkgFile = join(dir, 'package.json');
  const [own, pkg] = await Promise.all([exists(file), readJson(cwd, pkgFile, false)]);
  const inPackage = isObject(pkg) && 'keyguard' in pkg;
  if (own && inPackage) {
    throw new KeyguardError(`${shown(cwd, file)} and the "keyguard" field of ${shown(cwd, pkgFile)} both configure keyguard: keep one of them`);
  }
  if (own) return loadFile(cwd, file);
  if (inPackage) return validate(pkg.keyguard, dir, (path) => `${shown(cwd, pkgFile)}: "keyguard${path ? `.${path}` : ''}"`);
  return undefined;
}

async function loadFile(cwd: string, file: string, flag?: string): Promise<LoadedConfig> {
  const name = flag ?? shown(cwd, file);
  const json = await readJson(cwd, file, true, name);
  return validate(json, dirname(file), (path) => (path ? `${name}: "${path}"` : name));
}

async function validate(json: unknown, root: string, field: (path: string) => string): Promise<LoadedConfig> {
  const { CONFIG_SCHEMA, CONFIG_FIELDS: FIELDS } = await import('./schema.js');
  const parsed = CONFIG_SCHEMA.safeParse(json);
  if (parsed.success) return { values: parsed.data, root, field };
  const issue = parsed.error.issues[0]!;
  const path = fieldPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const key = fieldPath([...issue.path, issue.keys[0] ?? '']);
    throw new KeyguardError(`${field(key)}: unknown field (keyguard reads ${FIELDS}): remove or rename it`);
  }
  if (issue.path.length === 0) throw new KeyguardError(`${field('')}: the config must be a JSON object with the fields ${FIELDS}`);
  throw new KeyguardError(`${field(path)}: ${issue.message}`);
}

function readJson(cwd: string, file: string, required: boolean, name = shown(cwd, file)): Promise<unknown> {
  return readJsonFile(file, { name, fix: 'fix the file', ...(required && { missing: 'does not exist: check the path' }) });
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A path as the user would type it from `cwd`. */
function shown(cwd: string, file: string): string {
  return relativePosix(cwd, file) || file;
}
