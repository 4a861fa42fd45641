import { relative, sep } from 'node:path';

/** `path` with `/` separators: how keyguard shows, matches and fingerprints paths on every OS. */
export function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

/** The path from `base` to `target`, with `/` separators. */
export function relativePosix(base: string, target: string): string {
  return toPosix(relative(base, target));
}
