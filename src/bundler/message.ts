import { redact } from '../findings.js';
import type { Origin } from './emitted.js';
import type { Leak } from './leaks.js';

export interface TracedLeak {
  leak: Leak;
  origin: Origin;
}

const ADVICE =
  'Keep secret keys on a server: call the API from a server route that reads the key from a non-public env variable (no VITE_, NEXT_PUBLIC_ or other public prefix), and rotate any key that was deployed. For a placeholder, add a pattern to the allow option.';

const PUBLISHED_ADVICE = "Use your own test key, read on a server: whatever is sent with a vendor's demo key is visible to everyone using it.";

/** Keys that fail the build, keys of a type not in failOn, keys vendors publish as examples (never failing). */
export type LeakGroup = 'failing' | 'tolerated' | 'published';

/** The build error (or warning) for one group of leaked keys: one line per key, every key redacted. */
export function leakMessage(traced: readonly TracedLeak[], group: LeakGroup): string {
  const n = traced.length;
  const s = n === 1 ? '' : 's';
  const head = {
    failing: `keyguard: ${n} secret key${s} in client output, which the bundler ships to every visitor:`,
    tolerated: `keyguard: ${n} key${s} in client output (not failing the build: their type is not in failOn):`,
    published: `keyguard: ${n} published example key${s} in client output (not failing the build: vendors print them in their documentation, so they are no one's secret):`,
  }[group];
  return [head, ...traced.map(line), group === 'published' ? PUBLISHED_ADVICE : ADVICE].join('\n');
}

function line({ leak, origin }: TracedLeak): string {
  const { match, file } = leak;
  const where = `${file.name}:${match.line}:${match.column}`;
  const what = match.publishedIn ? `${match.keyType} key published in ${match.publishedIn}` : `${match.keyType} key`;
  return `  ${where}  ${redact(match.key)} (${what})${from(origin)}`;
}

function from({ place, written, variable }: Origin): string {
  const at = place && `${place.file}:${place.line}:${place.column}`;
  if (variable && at) return `  from ${variable} in ${at}`;
  if (variable) return `  from ${variable}`;
  if (at) return `  ${written ? 'written in' : 'from'} ${at}`;
  return '';
}
