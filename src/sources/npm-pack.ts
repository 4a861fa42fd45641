import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { wantsFacts } from '../detect/index.js';
import { KeyguardError } from '../errors.js';
import { redactText } from '../findings.js';
import { scanFile, WINDOW_BYTES } from './read.js';
import type { Source } from './source.js';

/** What npm prints for `npm pack --dry-run --json`: one entry per package packed. */
interface PackEntry {
  files?: Array<{ path?: unknown }>;
}

/**
 * What `npm pack` would publish for the package in `cwd`: npm's own file list (`files`,
 * `.npmignore`, the files npm always adds or never adds), whatever git ignores. Every listed
 * file is read for keys, and each listed file a file rule applies to is described as packed
 * (a `.env` file in the list is `env-in-package`). Scripts do not run
 * (`--ignore-scripts`): the list is of what is on disk now, so a `prepublishOnly` that builds
 * first and then scans sees what will ship, and a `prepack` that scans cannot loop.
 */
export function packSource(cwd: string, env: Readonly<Record<string, string | undefined>>): Source {
  return {
    async *read(stats) {
      const listed = await npmPackFiles(cwd, env);
      const window = Buffer.allocUnsafe(WINDOW_BYTES);
      for (const path of listed) {
        if (wantsFacts(path)) yield { path, packed: true };
        yield* scanFile({ absolute: join(cwd, path), path }, window, stats);
      }
    },
  };
}

/** The paths npm would pack, relative to `cwd`, `/`-separated, in npm's order. */
export async function npmPackFiles(cwd: string, env: Readonly<Record<string, string | undefined>>): Promise<string[]> {
  if (!existsSync(join(cwd, 'package.json'))) {
    throw new KeyguardError('--pack scans the package in the current directory, and there is no package.json here: run it from the package\'s directory');
  }
  const out = await npm(['pack', '--dry-run', '--json', '--ignore-scripts'], cwd, env);
  let entries: PackEntry[];
  try {
    entries = JSON.parse(out) as PackEntry[];
  } catch {
    throw new KeyguardError('--pack: npm pack --dry-run --json printed something other than JSON: check that `npm pack --dry-run` works here');
  }
  const files = Array.isArray(entries) ? entries[0]?.files : undefined;
  if (!Array.isArray(files)) throw new KeyguardError('--pack: npm pack --dry-run --json listed no files: check that `npm pack --dry-run` works here');
  return files.map((file) => file.path).filter((path): path is string => typeof path === 'string');
}

/**
 * Runs npm: the one that runs this script when keyguard runs from an npm script (`npm_execpath`,
 * so `prepublishOnly` asks the same npm that publishes), else `npm` on PATH.
 */
function npm(args: string[], cwd: string, env: Readonly<Record<string, string | undefined>>): Promise<string> {
  const execPath = env.npm_execpath;
  const viaNode = execPath !== undefined && /npm-cli\.c?js$/.test(execPath);
  const [command, argv] = viaNode ? [process.execPath, [execPath, ...args]] : ['npm', args];
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { cwd, env: { ...env }, stdio: ['ignore', 'pipe', 'pipe'], shell: !viaNode && process.platform === 'win32' });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      if (stderr.length < 8192) stderr += text;
    });
    child.once('error', (error: NodeJS.ErrnoException) => {
      reject(new KeyguardError(error.code === 'ENOENT' ? '--pack asks npm which files it would publish, and npm is not on PATH: install npm, or run keyguard from an npm script' : `--pack: cannot run npm (${error.message})`));
    });
    child.once('close', (code) => {
      if (code === 0) return resolve(stdout);
      const reason = stderr.split('\n').find((line) => /npm (error|ERR!)/.test(line) && !/A complete log/.test(line)) ?? `exit code ${code ?? 'unknown'}`;
      reject(new KeyguardError(`--pack: npm pack --dry-run failed: ${redactText(reason.replace(/^npm (error|ERR!)\s*/, ''))}`));
    });
  });
}
