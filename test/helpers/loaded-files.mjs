// Preloaded into a keyguard process with `node --import`: writes the path of every file module it
// loads to file descriptor 3, one a line, for tests of what a command line loads (start-up cost).
import { register } from 'node:module';

const hooks = `
import { writeSync } from 'node:fs';
export async function load(url, context, next) {
  if (url.startsWith('file:')) writeSync(3, new URL(url).pathname + '\\n');
  return next(url, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);
