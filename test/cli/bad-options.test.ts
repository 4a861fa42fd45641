import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';
import { KEYGUARD_BIN, tempRepos } from '../git/repo.js';

const { repo } = tempRepos();

const cli = (cwd: string, ...argv: string[]) => run(argv, { cwd, env: process.env, stdoutIsTTY: false, stderrIsTTY: false });

/** Exit 2, nothing on stdout, and the given first line on stderr: never a stack or "internal error". */
function refused(out: { exitCode: number; stdout: string; stderr: string }, line: string): void {
  expect(out.exitCode).toBe(2);
  expect(out.stdout).toBe('');
  expect(out.stderr.split('\n')[0]).toBe(line);
  expect(out.stderr).not.toMatch(/internal error|\n\s+at /);
}

describe('keyguard serve refuses a bad option value with one line and exit 2, before it listens', () => {
  const PORT = (value: string) => `keyguard: --port ${value} is not a port: give a whole number from 0 to 65535 (0 picks a free one)`;

  it.each([['abc'], ['-1'], ['65536'], ['70000'], ['1.5'], ['0x10'], ['1e3'], [' 80']])('--port %j', async (value) => {
    refused(await cli(repo().dir, 'serve', '--port', value), PORT(value));
  });

  it('an empty --port, which yargs would read as 0 (a random port)', async () => {
    refused(await cli(repo().dir, 'serve', '--port', ''), PORT("''"));
  });

  it('a flag without its value, which used to start the server on the default', async () => {
    for (const flag of ['--port', '--host', '--env', '--plan']) {
      refused(await cli(repo().dir, 'serve', flag), `keyguard: Not enough arguments following: ${flag.slice(2)}`);
    }
  });

  it('an empty --host', async () => {
    refused(await cli(repo().dir, 'serve', '--host', ''), 'keyguard: --host is empty: give the address to bind, such as 127.0.0.1');
  });

  it('as a process too: the bin prints the line and exits 2', () => {
    const out = spawnSync(process.execPath, [KEYGUARD_BIN, 'serve', '--port', 'abc'], { encoding: 'utf8', timeout: 30_000 });
    expect({ status: out.status, stdout: out.stdout, stderr: out.stderr }).toEqual({ status: 2, stdout: '', stderr: `${PORT('abc')}\n` });
  });
});

describe('a flag that takes one value, given twice, is a usage error in every command', () => {
  it.each([
    [['serve', '--port', '80', '--port', '81'], '--port was given twice (80, 81): give it once'],
    [['serve', '--env', 'test', '--env', 'live'], '--env was given twice (test, live): give it once'],
    [['serve', '--host', '127.0.0.1', '--host', '127.0.0.2'], '--host was given twice (127.0.0.1, 127.0.0.2): give it once'],
    [['scan', '--format', 'json', '--format', 'sarif'], '--format was given twice (json, sarif): give it once'],
    [['scan', '--output', 'a', '--output', 'b', '--output', 'c'], '--output was given 3 times (a, b, c): give it once'],
    [['scan', '--config', 'a.json', '--config', 'b.json'], '--config was given twice (a.json, b.json): give it once'],
    [['baseline', '--baseline', 'a', '--baseline', 'b'], '--baseline was given twice (a, b): give it once'],
  ])('%j', async (argv, message) => {
    const out = await cli(repo().dir, ...argv);
    refused(out, `keyguard: ${message}`);
    expect(out.stderr).toBe(`keyguard: ${message}\nRun 'keyguard --help' for usage.\n`);
  });

  it('while the repeatable ones collect every value', async () => {
    const r = repo();
    r.write('a/x.ts', 'ok\n');
    r.write('b/y.ts', 'ok\n');

    const out = await cli(r.dir, 'scan', '--ignore', 'a/**', '--ignore', 'b/**', '--allow', '^sk_test_A', '--allow', '^sk_test_B');

    expect(out.exitCode).toBe(0);
    expect(out.stdout).toContain('in 0 files');
  });
});
