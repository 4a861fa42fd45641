import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { KEYGUARD_BIN, tempRepos } from '../git/repo.js';
import { fakeKey } from '../helpers/keys.js';

const { repo } = tempRepos();
const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const HELP_LINE = "Run 'keyguard --help' for usage.";
const EPILOGUE = 'Exit codes: 0 no findings at or above --fail-on, 1 findings, 2 usage or runtime error.';

/** A usage error: exit 2, nothing on stdout, this one line and the pointer to --help on stderr. */
async function usageError(argv: string[], line: string): Promise<void> {
  const out = await repo().keyguard(...argv);
  expect({ exitCode: out.exitCode, stdout: out.stdout, stderr: out.stderr }, argv.join(' ')).toEqual({ exitCode: 2, stdout: '', stderr: `keyguard: ${line}\n${HELP_LINE}\n` });
}

describe('keyguard --help', () => {
  it('lists every command with what it does, and where each command lists its options', async () => {
    for (const argv of [['--help'], ['-h'], ['help']]) {
      const out = await repo().keyguard(...argv);
      expect(out.exitCode).toBe(0);
      expect(out.stdout).toMatch(/^keyguard <command> \[options\]\n/);
      for (const usage of ['scan [paths..]', 'baseline [paths..]', 'init', 'serve', 'audit', 'rotate <key-id>']) expect(out.stdout).toContain(`  keyguard ${usage} `);
      expect(out.stdout).toContain("Run 'keyguard <command> --help' for the options of a command.");
      expect(out.stdout.trimEnd().endsWith(EPILOGUE)).toBe(true);
    }
  });

  it("a command's help: its options with descriptions, types, choices, defaults and required marks, its examples and the exit codes", async () => {
    const serve = (await repo().keyguard('serve', '--help')).stdout;
    expect(serve).toMatch(/^keyguard serve\n\nStart the mock key API/);
    expect(serve).toMatch(/--port +Port to listen on, 0 to 65535; 0 picks a free one \(printed\)\s+\[string\]\s+\[default: "4010"\]/);
    expect(serve).toMatch(/--env +The environment this server is: its keys start sk_<env>_\s+\[choices: "live", "sandbox", "test"\] \[default: "test"\]/);
    expect(serve).toMatch(/--control +Test-control routes[^[]+\[boolean\] \[default: true\]/);
    expect(serve).toMatch(/--webhook +POST every event[^[]+\[array\] \[default: \[\]\]/);
    expect(serve).toContain('Examples:\n  keyguard serve --port 4010 --env test ');
    expect(serve.trimEnd().endsWith(EPILOGUE)).toBe(true);

    const rotate = (await repo().keyguard('rotate', '-h')).stdout;
    expect(rotate).toMatch(/Positionals:\n  key-id +The id of the key to rotate[^[]+\[string\] \[required\]/);
    expect(rotate).toMatch(/--env-file +The env file that holds the key; only its value changes +\[string\] \[required\]/);

    const audit = (await repo().keyguard('audit', '--help')).stdout;
    expect(audit).toMatch(/--unused-days +A key, or a permission, not used for this long is unused\s+\[number\]\s+\[default: 30\]/);
    expect(audit).toContain('KEYGUARD_API_KEY=sk_live_… keyguard audit --api https://api.example.com');
  });

  it('wraps at 100 columns, and --help wins wherever it stands, over mistakes too', async () => {
    const scan = (await repo().keyguard('scan', '--help')).stdout;
    for (const line of scan.split('\n').filter((text) => text.startsWith('  '))) expect(line.length, line).toBeLessThanOrEqual(100);
    expect((await repo().keyguard('--help', 'scan')).stdout).toBe(scan);
    expect((await repo().keyguard('scan', '--format', 'xml', '--frobnicate', '--help')).stdout).toBe(scan);
  });

  it('--version prints the version, from the bin as from any command line', async () => {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    expect(await repo().keyguard('--version')).toEqual({ exitCode: 0, stdout: `${version}\n`, stderr: '' });
    expect(await repo().keyguard('scan', '--version')).toEqual({ exitCode: 0, stdout: `${version}\n`, stderr: '' });
  });
});

describe('a command line that is wrong is one line on stderr and exit 2', () => {
  it('no command, or a word that is no command (with the one it was probably meant to be)', async () => {
    await usageError([], 'Name a command: keyguard scan, baseline, init, serve, audit or rotate (see keyguard --help).');
    await usageError(['--frob'], 'Unknown argument: frob. Name a command: keyguard scan, baseline, init, serve, audit or rotate (see keyguard --help).');
    await usageError(['sacn'], 'Unknown argument: sacn. Did you mean scan?');
    await usageError(['serve2'], 'Unknown argument: serve2. Did you mean serve?');
    await usageError(['adit'], 'Unknown argument: adit. Did you mean audit?');
    await usageError(['bogus'], 'Unknown argument: bogus');
  });

  it('an unknown option, or a word a command does not take', async () => {
    await usageError(['scan', '-x'], 'Unknown argument: x');
    await usageError(['scan', '--Format', 'json'], 'Unknown argument: Format');
    await usageError(['scan', '--no-staged'], 'Unknown argument: no-staged');
    await usageError(['init', '--foo', '--bar'], 'Unknown arguments: foo, bar');
    await usageError(['init', 'extra'], 'Unknown argument: extra');
    await usageError(['rotate', 'key_1', 'key_2', '--api', 'http://127.0.0.1:9', '--env-file', '.env', '--var', 'K'], 'Unknown argument: key_2');
  });

  it('an option without its value, a choices option included, and one followed by another option', async () => {
    await usageError(['scan', '--fail-on'], 'Not enough arguments following: fail-on');
    await usageError(['scan', '--output', '--format', 'json'], 'Not enough arguments following: output');
    await usageError(['scan', '--ignore'], 'Not enough arguments following: ignore');
    await usageError(['audit', '--api'], 'Not enough arguments following: api');
  });

  it('a value that is not a choice or not a number, and a flag given a value', async () => {
    await usageError(['scan', '--format=xml'], 'Invalid values: Argument: format, Given: "xml", Choices: "text", "json", "sarif", "github"');
    await usageError(['serve', '--env', 'prod'], 'Invalid values: Argument: env, Given: "prod", Choices: "live", "sandbox", "test"');
    await usageError(['serve', '--plan', 'enterprise', '--per-hour', 'abc', '--per-minute', '5'], "--per-hour takes a number; got 'abc'");
    await usageError(['audit', '--api', 'http://127.0.0.1:9', '--unused-days', ''], "--unused-days takes a number; got ''");
    await usageError(['scan', '--staged=yes'], "--staged is a flag: it takes no value (got 'yes')");
  });

  it("audit's day counts are whole numbers of at least 1: a usage error, not an internal one", async () => {
    await usageError(['audit', '--api', 'http://127.0.0.1:9', '--unused-days', '0'], '--unused-days takes a whole number of days, 1 or more; got 0');
    await usageError(['audit', '--api', 'http://127.0.0.1:9', '--rotation-days-live', '1.5'], '--rotation-days-live takes a whole number of days, 1 or more; got 1.5');
  });

  it('a missing required option or positional, and options that exclude each other', async () => {
    await usageError(['audit'], 'Missing required argument: api');
    await usageError(['rotate'], 'Missing required arguments: key-id, api, env-file, var');
    await usageError(['rotate', 'key_1', '--api', 'http://127.0.0.1:9'], 'Missing required arguments: env-file, var');
    await usageError(['scan', '--range', 'a..b', '--staged'], 'Arguments staged and range are mutually exclusive');
    await usageError(['baseline', '--history', '--range', 'a..b'], 'Arguments range and history are mutually exclusive');
    await usageError(['scan', '--no-ignore', '--pack'], 'Arguments pack and no-ignore are mutually exclusive');
  });

  it('a key typed where a command belongs is never printed whole', async () => {
    const key = fakeKey('live');
    const out = await repo().keyguard(key);
    expect(out.exitCode).toBe(2);
    expect(out.stderr).not.toContain(key);
    expect(out.stderr).toMatch(/^keyguard: Unknown argument: sk_live_\w{4}…\w{3}\n/);
  });

  it('keyguard serve with a word it does not take exits 2 at once, without listening', () => {
    // yargs printed the usage error and then started the server anyway, on the default port.
    const out = spawnSync(process.execPath, [KEYGUARD_BIN, 'serve', '--port', '0', 'extra'], { encoding: 'utf8', timeout: 20_000 });
    expect({ status: out.status, stdout: out.stdout, stderr: out.stderr }).toEqual({ status: 2, stdout: '', stderr: `keyguard: Unknown argument: extra\n${HELP_LINE}\n` });
  });
});

describe('what a command gets from its command line', () => {
  it('--opt=value and --opt value alike; a repeatable option collects every value; booleans take true and false', async () => {
    const r = repo();
    r.write('a/x.ts', `k = '${fakeKey('live')}'\n`);
    r.write('b/y.ts', `k = '${fakeKey('live')}'\n`);
    const files = (out: { stdout: string }): string[] => (JSON.parse(out.stdout) as { findings: Array<{ file: string }> }).findings.map((finding) => finding.file);

    const spaced = await r.keyguard('scan', '--format', 'json', '--ignore', 'a/**', '--ignore', 'b/**');
    const inline = await r.keyguard('scan', '--format=json', '--ignore=a/**', '--ignore=b/**', '--no-ignore=false');
    const one = await r.keyguard('scan', '--format=json', '--ignore=a/**');

    expect([spaced.exitCode, files(spaced)]).toEqual([0, []]);
    expect([inline.exitCode, files(inline)]).toEqual([0, []]);
    expect([one.exitCode, files(one)]).toEqual([1, ['b/y.ts']]);
  });

  it('words after -- are paths, even when they look like options', async () => {
    const out = await repo().keyguard('scan', '--', '--weird');
    expect(out).toMatchObject({ exitCode: 2, stderr: 'keyguard: path not found: --weird (pass a file or directory that exists)\n' });
  });

  it('scan --staged alone reports as the hook; with a path or any other flag it is an ordinary scan', async () => {
    const r = repo();
    r.write('a.ts', `k = '${fakeKey('live')}'\n`);
    r.git('add', 'a.ts');
    const blocked = 'Commit blocked: the staged changes add the findings above.';

    expect((await r.keyguard('scan', '--staged')).stdout).toContain(blocked);
    expect((await r.keyguard('scan', '--staged=true')).stdout).toContain(blocked);
    expect((await r.keyguard('scan', '--staged=false', '--staged')).stdout).toContain(blocked);
    expect((await r.keyguard('scan', '--staged', '--staged=false')).stdout).not.toContain(blocked);
    expect((await r.keyguard('scan', '--staged', '.')).stdout).not.toContain(blocked);
    expect((await r.keyguard('scan', '--staged', '--fail-on', 'live')).stdout).not.toContain(blocked);
    expect((await r.keyguard('scan')).stdout).not.toContain(blocked);
  });
});
