import { baseName } from './env-file.js';
import type { KeyMatch } from './keys.js';
import { LineIndex } from './position.js';
import type { TextRule } from './rule.js';

/**
 * Env variable prefixes a bundler inlines into client code, and who does it. Vite (`VITE_`),
 * Next.js (`NEXT_PUBLIC_`), Create React App (`REACT_APP_`), Expo (`EXPO_PUBLIC_`), Nuxt
 * (`NUXT_PUBLIC_`), Gatsby (`GATSBY_`), SvelteKit and Astro (`PUBLIC_`), Storybook (`STORYBOOK_`).
 */
export const PUBLIC_ENV_PREFIXES = [
  { prefix: 'VITE_', bundler: 'Vite' },
  { prefix: 'NEXT_PUBLIC_', bundler: 'Next.js' },
  { prefix: 'REACT_APP_', bundler: 'Create React App' },
  { prefix: 'EXPO_PUBLIC_', bundler: 'Expo' },
  { prefix: 'NUXT_PUBLIC_', bundler: 'Nuxt' },
  { prefix: 'GATSBY_', bundler: 'Gatsby' },
  { prefix: 'PUBLIC_', bundler: 'SvelteKit and Astro' },
  { prefix: 'STORYBOOK_', bundler: 'Storybook' },
] as const;

/** A key a bundler will inline into client code (the detector's own match), and the variable (or define) that carries it. */
export interface PublicEnvMatch {
  match: KeyMatch;
  variable: string;
  /** Who inlines it: `Vite`, `Next.js`… */
  bundler: string;
}

/** `.env`, `.env.local`, `.env.production`, `.env.example`…: every file a bundler loads, templates included. */
export function isEnvFileName(path: string): boolean {
  const name = baseName(path);
  return name === '.env' || (name.startsWith('.env.') && name.length > '.env.'.length);
}

/** The config files whose `define` (Vite) or `env` (Next.js) blocks are inlined into client code. */
const CONFIG_FILE = /^(vite|next)\.config\.[cm]?[jt]s$/;

/**
 * The keys of `text` (as the one detector found them) that a bundler inlines into client code:
 * values of public-prefixed variables in a `.env*` file, and keys in a `vite.config.*` `define`
 * or a `next.config.*` `env` block, or under a public-prefixed name there. A template's
 * placeholder (`VITE_KEY=sk_live_YOUR_KEY`) is no key to the detector, so no match. Pure: the
 * path only names the file kind.
 */
export function publicEnvKeys(path: string, text: string, keys: readonly KeyMatch[]): PublicEnvMatch[] {
  if (keys.length === 0) return [];
  const name = baseName(path);
  if (isEnvFileName(name)) return inEnvFile(text, keys);
  const config = CONFIG_FILE.exec(name);
  return config ? inConfigFile(text, keys, config[1] === 'vite' ? 'Vite' : 'Next.js') : [];
}

/** `public-env-key`: a key in a public env variable or an inlined define, with who inlines it. */
export const publicEnv: TextRule = (text, keys) =>
  // A vendor's published example key is public already: published-example-key says so.
  publicEnvKeys(text.path, text.text, keys.filter((match) => !match.publishedIn)).map(({ match, variable, bundler }) => ({
    ruleId: 'public-env-key',
    match,
    reason: `in ${variable}, which ${bundler} inlines into the client bundle every visitor downloads`,
  }));

/** `NAME=value`, `export NAME=value`, `NAME: value` (YAML-style dotenv) at the start of a line. */
const ASSIGNMENT = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*[=:]/;

function inEnvFile(text: string, matches: readonly KeyMatch[]): PublicEnvMatch[] {
  const lines = new LineIndex(text);
  const found: PublicEnvMatch[] = [];
  for (const match of matches) {
    const assignment = ASSIGNMENT.exec(lines.lineText(match.line));
    const variable = assignment?.[1];
    const bundler = variable && publicBundler(variable);
    if (variable && bundler) found.push({ match, variable, bundler });
  }
  return found;
}

/** A property name before the key on its line: `'import.meta.env.VITE_KEY': JSON.stringify('sk_…')`, `NEXT_PUBLIC_KEY: 'sk_…'`. */
const PROPERTY = /["'`]?([A-Za-z_$][\w$.]*)["'`]?\s*:[^:]*$/;

/** The name an object literal is assigned to: `define` in `define: { … }`. */
const BLOCK_NAME = /["']?([A-Za-z_$][\w$]*)["']?\s*[:=]\s*$/;

function inConfigFile(text: string, matches: readonly KeyMatch[], configBundler: 'Vite' | 'Next.js'): PublicEnvMatch[] {
  const lines = new LineIndex(text);
  const inlinedBlock = configBundler === 'Vite' ? 'define' : 'env';
  const found: PublicEnvMatch[] = [];
  for (const match of matches) {
    const before = lines.lineText(match.line).slice(0, match.column - 1);
    const property = PROPERTY.exec(before)?.[1];
    const prefixed = property && publicBundler(property.slice(property.lastIndexOf('.') + 1));
    if (property && prefixed) {
      found.push({ match, variable: property, bundler: prefixed });
      continue;
    }
    if (insideBlock(text, match.start, inlinedBlock)) found.push({ match, variable: property ?? inlinedBlock, bundler: configBundler });
  }
  return found;
}

/**
 * Whether `offset` sits, at any depth, in an object literal assigned to `name` (`define: { … }`),
 * walking back over balanced braces. Braces inside strings are rare in config files; a wrong guess
 * costs one finding's rule id, never a missed key (the key is a `hardcoded-key` finding either way).
 * Bounded: config files are small, and it looks back at most 64 KB.
 */
function insideBlock(text: string, offset: number, name: string): boolean {
  let depth = 0;
  const stop = Math.max(0, offset - 65_536);
  for (let at = offset - 1; at >= stop; at--) {
    const char = text.charCodeAt(at);
    if (char === 0x7d) depth++;
    else if (char === 0x7b) {
      if (depth > 0) depth--;
      else if (BLOCK_NAME.exec(text.slice(Math.max(0, at - 200), at))?.[1] === name) return true;
    }
  }
  return false;
}

function publicBundler(variable: string): string | undefined {
  return PUBLIC_ENV_PREFIXES.find((entry) => variable.startsWith(entry.prefix) && variable.length > entry.prefix.length)?.bundler;
}
