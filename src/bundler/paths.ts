import { isAbsolute, relative } from 'node:path';

/** A path as the user finds it from the project directory, `/`-separated; absolute when outside it. */
export function shownPath(path: string, root: string): string {
  const rel = relative(root, path).split('\\').join('/');
  return rel === '' || rel.startsWith('../') || isAbsolute(rel) ? path : rel;
}
