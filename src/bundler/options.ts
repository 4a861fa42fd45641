import { KEY_TYPES, type KeyType } from '../detect/key-types.js';
import { KeyguardError } from '../errors.js';

export interface BundlerOptions {
  /**
   * The key types that fail the build: `'any'` (the default), one type, or a list
   * (`['live']`). Keys of other types are reported as warnings.
   */
  failOn?: 'any' | KeyType | readonly KeyType[];
  /**
   * Keys matching one of these regular expressions (RE2 syntax, tested against the key
   * alone) are the project's placeholders, as `allow` in keyguard.config.json. Default:
   * the `allow` of the project's keyguard.config.json (or package.json "keyguard").
   */
  allow?: readonly string[];
}

/** What the build does with a key of each type found in its output. */
export interface Policy {
  fails: (keyType: KeyType) => boolean;
  allowKey: (key: string) => boolean;
}

const NAMES = KEY_TYPES.map((type) => type.keyType);

/** Checks `failOn` when the plugin is created, so a typo fails at once with a message naming the option. */
export function failingTypes(failOn: BundlerOptions['failOn'] = 'any'): (keyType: KeyType) => boolean {
  if (failOn === 'any') return () => true;
  const list: readonly unknown[] = Array.isArray(failOn) ? failOn : [failOn];
  const wrong = list.find((type) => !NAMES.includes(type as KeyType));
  if (wrong !== undefined || list.length === 0) {
    throw new KeyguardError(
      `keyguard/bundler: option failOn: ${list.length === 0 ? 'the list is empty' : `unknown key type ${JSON.stringify(wrong)}`} (use 'any', ${NAMES.map((name) => `'${name}'`).join(', ')} or a list of them)`,
    );
  }
  return (keyType) => list.includes(keyType);
}

/**
 * The build's policy: `failOn` from the options, the allow list from the options or else
 * the project's config (found from `root` as the CLI finds it), so the build and
 * `keyguard scan` agree on what a placeholder is. Resolved only for output that may hold a
 * key, so a clean build reads no config; RE2 loads only when there is a pattern.
 */
export async function resolvePolicy(options: BundlerOptions, root: string): Promise<Policy> {
  const fails = failingTypes(options.failOn);
  let patterns = options.allow;
  let where = (index: number): string => `keyguard/bundler: option allow[${index}]`;
  if (patterns === undefined) {
    const { loadConfig } = await import('../config/load.js');
    const config = await loadConfig(root);
    patterns = config.values.allow;
    const field = config.field;
    if (field) where = (index) => field(`allow[${index}]`);
  }
  if (!patterns?.length) return { fails, allowKey: () => false };
  const { keyMatcher } = await import('../config/patterns.js');
  return { fails, allowKey: await keyMatcher(patterns, where) };
}
