import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const bin = join(root, 'bin/keyguard.js');
const maxRss = join(root, 'test/helpers/max-rss.mjs');

export interface Outcome {
  status: number | null;
  stdout: string;
  stderr: string;
  /** Peak resident set size of the keyguard process, in MB. */
  rssMb: number;
}

export interface ProcessOptions {
  env?: Record<string, string | undefined>;
  /** Run without the capabilities that let root read anything, so file permissions hold as for any user. */
  unprivileged?: boolean;
}

const isRoot = process.getuid?.() === 0;
// As root, permissions bind only once the process has dropped CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH.
const DROP_READ_CAPABILITIES = ['setpriv', '--inh-caps=-dac_override,-dac_read_search', '--bounding-set=-dac_override,-dac_read_search'];

/** The built CLI as users run it (vitest's globalSetup builds the current sources first): its own process, exit code, both streams and peak memory. */
export function keyguardProcess(cwd: string, args: string[], options: ProcessOptions = {}): Outcome {
  const command = [process.execPath, '--import', maxRss, bin, ...args];
  const argv = options.unprivileged && isRoot ? [...DROP_READ_CAPABILITIES, ...command] : command;
  const out = spawnSync(argv[0] as string, argv.slice(1), {
    cwd,
    env: options.env ?? process.env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
  });
  if (out.error) throw out.error;
  return { status: out.status, stdout: out.stdout, stderr: out.stderr, rssMb: Number(out.output[3]) / 1024 };
}
