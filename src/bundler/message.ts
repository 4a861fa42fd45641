import { redact } from '../findings.js';
import type { Origin } from './emitted.js';
import type { Leak } from './leaks.js';

export interface TracedLeak {
  leak: Leak;
  origin: Origin;
}

const ADVICE =
  'Keep secret keys on a server: call the API from a server route that reads the key from a non-public env variable (no VITE_, NEXT_PUBLIC_ or other public prefix), and rotate any key that was deployed. For a placeholder, add a pattern to the allow option.';

/** The build error (or warning) for leaked keys: one line per key, every key redacted. */
export function leakMessage(traced: readonly TracedLeak[], failing: boolean): string {
  const n = traced.length;
  const head = failing
    ? `keyguard: ${n} secret key${n === 1 ? '' : 's'} in client output, which the bundler ships to every visitor:`
    : `keyguard: ${n} key${n === 1 ? '' : 's'} in client output (not failing the build: their type is not in failOn):`;
  return [head, ...traced.map(line), ADVICE].join('\n');
}

function line({ leak, origin }: TracedLeak): string {
  const { match, file } = leak;
  const where = `${file.name}:${match.line}:${match.column}`;
  return `  ${where}  ${redact(match.key)} (${match.keyType} key)${from(origin)}`;
}

function from({ place, written, variable }: Origin): string {
  const at = place && `${place.file}:${place.line}:${place.column}`;
  if (variable && at) return `  from ${variable} in ${at}`;
  if (variable) return `  from ${variable}`;
  if (at) return `  ${written ? 'written in' : 'from'} ${at}`;
  return '';
}
