import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../../bin/keyguard.js', import.meta.url));

export interface ServeProcess {
  url: string;
  /** The bootstrap admin key, when the server printed one. */
  adminKey: string | undefined;
  /** The token /__keyguard routes want, when test control is on. */
  controlToken: string | undefined;
  /** `fetch` of a test-control route (`clock`, `reset`, `journal`) with the control token. */
  control: (path: string, init?: RequestInit) => Promise<Response>;
  stdout: string;
  /** What the server has written to stderr so far. */
  readonly stderr: string;
  child: ChildProcessWithoutNullStreams;
  /** Stops the server (SIGTERM unless told otherwise) and waits for it to exit. */
  stop: (signal?: NodeJS.Signals) => Promise<void>;
}

export interface ServeExit {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Starts `node bin/keyguard.js serve …` on 127.0.0.1 and waits for its start-up lines. */
export function startServe(args: string[], cwd?: string): Promise<ServeProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`keyguard serve did not start in time:\n${stdout}${stderr}`));
    }, 20_000);
    child.stdout.on('data', (text: string) => {
      stdout += text;
      // The last start-up line names the test-control routes.
      if (!stdout.includes('Test control')) return;
      clearTimeout(timer);
      const url = /listening on (http:\/\/\S+:\d+)/.exec(stdout)?.[1];
      if (!url) return reject(new Error(`no URL in keyguard serve's output:\n${stdout}`));
      const adminKey = /Bootstrap admin key \([^)]*\): (sk_\w+)/.exec(stdout)?.[1];
      const controlToken = /X-Keyguard-Control-Token: (kgc_\w+)/.exec(stdout)?.[1];
      resolve({
        url,
        adminKey,
        controlToken,
        control: (path, init = {}) =>
          fetch(`${url}/__keyguard/${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), 'X-Keyguard-Control-Token': controlToken ?? '' } }),
        stdout,
        get stderr() {
          return stderr;
        },
        child,
        stop: async (signal = 'SIGTERM') => {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          await exited;
        },
      });
    });
    child.stderr.on('data', (text: string) => (stderr += text));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`keyguard serve exited with ${code} before starting:\n${stdout}${stderr}`));
    });
  });
}

/** Runs `keyguard serve …` expecting it to fail at start-up; resolves with what it printed. */
export function serveFailure(args: string[]): Promise<ServeExit> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
