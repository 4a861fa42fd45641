import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import plugin from '../../rules/index.js';
import { run } from '../../src/cli/run.js';
import { FORMATS } from '../../src/report/index.js';
import { TempRepo } from '../git/repo.js';
import { keyguardProcess } from '../helpers/keyguard-process.js';
import { bodyOf, fakeKey } from '../helpers/keys.js';
import { serveFailure, startServe, type ServeProcess } from '../mock-server/helpers/serve-process.js';

/**
 * One suite for the product's promise that no full key ever leaves it: keys are planted
 * everywhere keyguard looks, then every surface a person or a log can see is collected
 * (reports in every format, on stdout and on disk, baselines, every error path, the hook's
 * blocking message, init, ESLint's messages, the mock server's output, answers, journal
 * and state file) and searched for the body of every key planted or issued.
 */
const known = new Set<string>();
function plant(key: string): string {
  known.add(key);
  return key;
}

const keys = {
  inSource: plant(fakeKey('live')),
  inEnvFile: plant(fakeKey('live')),
  inFileName: plant(fakeKey('live')),
  onLongLine: plant(fakeKey('sandbox')),
  inUtf16: plant(fakeKey('test')),
  inHistory: plant(fakeKey('sandbox')),
  staged: plant(fakeKey('test')),
  inError: plant(fakeKey('live')),
  otherEnvironment: plant(fakeKey('live')),
  neverIssued: plant(fakeKey('test')),
};

/** Fails naming the surface and which key, without printing the key (a failing test's log is a surface too). */
function expectNoKey(text: string, surface: string, except: readonly string[] = []): void {
  for (const key of known) {
    if (except.includes(key)) continue;
    expect(text.includes(bodyOf(key)), `${surface} holds the full ${key.slice(0, key.indexOf('_', 3) + 1)} key planted as #${[...known].indexOf(key)}`).toBe(false);
  }
}

const both = (out: { stdout: string; stderr: string }): string => `${out.stdout}\n${out.stderr}`;

let repo: TempRepo;
const temp = mkdtempSync(join(tmpdir(), 'keyguard-leaks-'));

beforeAll(() => {
  repo = TempRepo.project();
  repo.write('src/config.ts', `export const apiKey = "${keys.inSource}"; // and again: ${keys.inSource}\n`);
  repo.write('.env', `API_KEY=${keys.inEnvFile}\n`);
  repo.write(`notes/${keys.inFileName}.txt`, `${keys.inFileName}\n`);
  repo.write('dist/min.js', `var a=1;${'x=2;'.repeat(5000)}k="${keys.onLongLine}";${'y=3;'.repeat(5000)}\n`);
  repo.write('win/settings.ini', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`key=${keys.inUtf16}\r\n`, 'utf16le')]));
  repo.write('old.ts', `const k = '${keys.inHistory}';\n`);
  repo.commitUnchecked('a key that is removed again');
  repo.write('old.ts', 'const k = process.env.K;\n');
  repo.commitUnchecked('removed');
});

afterAll(() => {
  repo.remove();
  rmSync(temp, { recursive: true, force: true });
});

describe('scan reports', () => {
  it.each(FORMATS)('%s, for the working tree, --history and --staged', async (format) => {
    repo.write('staged.ts', `k = '${keys.staged}'\n`);
    repo.git('add', 'staged.ts');
    for (const mode of [[], ['--history'], ['--range', 'HEAD~1..HEAD'], ['--staged']]) {
      const out = await repo.keyguard('scan', '--format', format, ...mode);
      expect(out.exitCode, `${format} ${mode.join(' ')}: ${out.stderr}`).toBeLessThan(2);
      expectNoKey(both(out), `scan --format ${format} ${mode.join(' ')}`);
    }
    repo.git('rm', '-q', '--cached', 'staged.ts');
    rmSync(join(repo.dir, 'staged.ts'));
  });

  it('the text report in colour, on a terminal', async () => {
    const out = await run(['scan'], { cwd: repo.dir, env: process.env, stdoutIsTTY: true, stderrIsTTY: true });

    expect(out.stdout).toContain('\u001b[');
    expectNoKey(both(out), 'the coloured text report');
  });

  it.each(FORMATS)('%s written with --output, and the note saying so', async (format) => {
    const out = await repo.keyguard('scan', '--format', format, '--output', `report.${format}`);

    expectNoKey(both(out), `--output ${format}`);
    expectNoKey(readFileSync(join(repo.dir, `report.${format}`), 'utf8'), `report.${format} on disk`);
    rmSync(join(repo.dir, `report.${format}`));
  });

  it('keyguard baseline: its output, its file, and scans against it', async () => {
    const written = await repo.keyguard('baseline', '--history');
    const scanned = await repo.keyguard('scan', '--history', '--baseline', '.keyguard-baseline.json', '--format', 'json');

    expect(written.exitCode, written.stderr).toBe(0);
    expectNoKey(both(written), 'keyguard baseline');
    expectNoKey(readFileSync(join(repo.dir, '.keyguard-baseline.json'), 'utf8'), '.keyguard-baseline.json');
    expectNoKey(both(scanned), 'scan --baseline');
    rmSync(join(repo.dir, '.keyguard-baseline.json'));
  });
});

describe('error paths', () => {
  const errorKey = keys.inError;

  it.each([
    ['a path argument', ['scan', `missing/${errorKey}.ts`]],
    ['an unknown command', [errorKey]],
    ['an unknown flag', ['scan', `--${errorKey}`]],
    ['a --format value', ['scan', '--format', errorKey]],
    ['an --output path in a missing directory', ['scan', '--output', `${errorKey}/report.json`]],
    ['a --range', ['scan', '--range', `${errorKey}..HEAD`]],
    ['a --verify URL', ['scan', '--verify', `ftp://${errorKey}`]],
    ['a --config path', ['scan', '--config', `${errorKey}.json`]],
    ['a --baseline path', ['scan', '--baseline', `${errorKey}.json`]],
  ])('a key in %s: the error names it redacted', async (_name, argv) => {
    const out = await repo.keyguard(...argv);

    expect(out.exitCode).toBe(2);
    expect(out.stderr).toMatch(/^keyguard: /);
    expectNoKey(both(out), `the error for ${argv.join(' ')}`);
  });

  it.each([
    ['an allow pattern that is not a regex', `{ "allow": ["${errorKey}("] }`],
    ['an unknown field named with a key', `{ "${errorKey}": true }`],
    ['a bad glob', `{ "ignore": ["${errorKey}[" ] }`],
    ['JSON that does not parse, starting with a key', `${errorKey} is not JSON`],
    ['JSON that does not parse, a key at the error', `{ "allow": [ ${errorKey} ] }`],
  ])('a config with %s: one line naming the field, no key', async (_name, config) => {
    const r = TempRepo.create();
    try {
      r.write('keyguard.config.json', config);

      const scanned = await r.keyguard('scan');
      const hooked = await r.keyguard('scan', '--staged');

      expect(scanned.exitCode).toBe(2);
      expectNoKey(both(scanned), 'a config error');
      expectNoKey(both(hooked), 'the hook failing closed on a config error');
    } finally {
      r.remove();
    }
  });

  it('a baseline file that is not JSON, starting with a key', async () => {
    repo.write('bad-baseline.json', `${errorKey}\n`);

    const out = await repo.keyguard('scan', '--baseline', 'bad-baseline.json');

    expect(out.exitCode).toBe(2);
    expectNoKey(both(out), 'a baseline error');
    rmSync(join(repo.dir, 'bad-baseline.json'));
  });

  it('an unreadable file named with a key, next to a file holding one', () => {
    const r = TempRepo.create();
    try {
      r.write('a.ts', `k = "${keys.inSource}"\n`);
      r.write(`${errorKey}.ts`, `k = "${errorKey}"\n`);
      chmodSync(join(r.dir, `${errorKey}.ts`), 0o000);

      const out = keyguardProcess(r.dir, ['scan'], { unprivileged: true });

      expect(out.stderr).toMatch(/^keyguard: cannot read sk_live_\w{4}…\w{3}\.ts: permission denied/);
      expectNoKey(both(out), 'the unreadable-file error');
    } finally {
      r.remove();
    }
  });

  it('an unreadable directory and a corrupt repository, both named with a key', () => {
    const dir = join(temp, errorKey);
    mkdirSync(join(dir, 'repo', 'locked'), { recursive: true });
    chmodSync(join(dir, 'repo', 'locked'), 0o000);
    writeFileSync(join(dir, 'repo', '.git'), 'gitdir: /nonexistent\n');

    const unreadable = keyguardProcess(temp, ['scan', errorKey], { unprivileged: true });
    const corrupt = keyguardProcess(join(dir, 'repo'), ['scan']);

    expect(unreadable.stderr).toMatch(/^keyguard: cannot read sk_live_\w{4}…\w{3}\/repo\/locked\/: permission denied/);
    expect(corrupt.stderr).toMatch(/^keyguard: \S*sk_live_\w{4}…\w{3}\/repo\/\.git is not a repository git can read/);
    expectNoKey(both(unreadable), 'the unreadable-directory error');
    expectNoKey(both(corrupt), 'the corrupt-repository error');
    chmodSync(join(dir, 'repo', 'locked'), 0o755);
  });
});

describe('the pre-commit hook and init', () => {
  it('init says nothing of the keys in the scripts, hooks and .gitignore it finds; the hook blocks a key in a file and in a file name without printing either', async () => {
    const project = TempRepo.project();
    try {
      const initKey = plant(fakeKey('live'));
      project.write('package.json', JSON.stringify({ name: 'app', private: true, scripts: { prepare: `echo ${initKey}` } }, null, 2));
      project.write('.git/hooks/pre-commit', `#!/bin/sh\n# deploy with ${initKey}\nexit 0\n`);
      chmodSync(join(project.dir, '.git/hooks/pre-commit'), 0o755);
      project.write('.gitignore', `${initKey}\n`);

      const first = await project.keyguard('init');
      const again = await project.keyguard('init');
      expect(first.exitCode, first.stderr).toBe(0);
      expectNoKey(both(first), 'keyguard init');
      expectNoKey(both(again), 'keyguard init run again');

      const blockedKey = plant(fakeKey('live'));
      project.write('src/pay.ts', `export const k = '${blockedKey}';\n`);
      project.write(`fixtures/${blockedKey}.json`, '{}\n');
      project.git('add', 'src', 'fixtures');
      const commit = project.commit('add payments');

      expect(commit.status).not.toBe(0);
      expect(commit.output).toContain('src/pay.ts:1:');
      expectNoKey(commit.output, 'the blocked commit');
    } finally {
      project.remove();
    }
  });
});

describe('ESLint', () => {
  it('the rule\'s messages, suggestions and the formatted report', async () => {
    const eslintKeys = [plant(fakeKey('live')), plant(fakeKey('sandbox')), plant(fakeKey('test'))];
    const code = [
      `const a = '${eslintKeys[0]}';`,
      `const b = \`Bearer ${eslintKeys[1]}\`;`,
      `// the old one: ${eslintKeys[2]}`,
      `const c = { key: "${eslintKeys[0]}", other: '${eslintKeys[2]}' };`,
    ].join('\n');
    const eslint = new ESLint({ cwd: temp, overrideConfigFile: true, overrideConfig: plugin.configs.recommended });

    const [result] = await eslint.lintText(code, { filePath: join(temp, 'pay.js') });
    const formatted = await (await eslint.loadFormatter('stylish')).format([result!]);

    expect(result?.messages.length).toBe(5);
    for (const message of result?.messages ?? []) {
      expectNoKey(message.message, 'an ESLint message');
      for (const suggestion of message.suggestions ?? []) expectNoKey(`${suggestion.desc} ${suggestion.fix.text}`, 'an ESLint suggestion');
    }
    expectNoKey(formatted, 'the stylish ESLint report');
  });
});

describe('the mock key API', () => {
  let server: ServeProcess;
  const state = join(temp, 'mock-state.json');
  /** Every answer the server gave that is not one of the two that show a new key once. */
  const answers: string[] = [];
  /** Keys the server issued: its bootstrap key, and those create and regenerate answered with. */
  const issued: string[] = [];

  async function call(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<{ status: number; text: string }> {
    const response = await fetch(`${server.url}${path}`, { method, headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers }, body });
    const text = `${response.status} ${JSON.stringify([...response.headers])}\n${await response.text()}`;
    return { status: response.status, text };
  }
  const bearer = (key: string): Record<string, string> => ({ authorization: `Bearer ${key}` });

  beforeAll(async () => {
    server = await startServe(['--env', 'test', '--state', state]);
    issued.push(plant(server.adminKey as string));
  });
  afterAll(() => server.stop('SIGKILL'));

  it('answers, errors and the journal hold no key beyond the two answers that show a new key once', async () => {
    const admin = bearer(server.adminKey as string);
    const created = await call('POST', '/v1/api-keys', admin, JSON.stringify({ name: 'ci', permissions: ['tasks:read'] }));
    const first = JSON.parse(created.text.slice(created.text.indexOf('\n') + 1)) as { id: string; key: string };
    issued.push(plant(first.key));
    const regenerated = await call('POST', `/v1/api-keys/${first.id}/regenerate`, admin);
    const second = JSON.parse(regenerated.text.slice(regenerated.text.indexOf('\n') + 1)) as { id: string; key: string };
    issued.push(plant(second.key));
    expect([created.status, regenerated.status]).toEqual([201, 200]);
    expect(created.text).toContain(first.key);

    const control = { 'X-Keyguard-Control-Token': server.controlToken as string };
    const requests: Array<[string, string, Record<string, string>, string?]> = [
      ['GET', '/v1/api-keys', admin],
      ['GET', `/v1/api-keys/${second.id}`, admin],
      ['GET', '/v1/tasks', bearer(first.key)], // replaced by the regenerated key
      ['GET', '/v1/tasks', bearer(second.key)],
      ['PATCH', `/v1/api-keys/${second.id}`, admin, '{"active": false}'],
      ['GET', '/v1/tasks', bearer(second.key)], // deactivated
      ['DELETE', `/v1/api-keys/${second.id}`, admin],
      ['GET', '/v1/tasks', bearer(second.key)], // deleted
      ['GET', '/v1/tasks', bearer(keys.otherEnvironment)],
      ['GET', '/v1/tasks', bearer(keys.neverIssued)],
      ['GET', '/v1/tasks', { authorization: keys.neverIssued }], // no Bearer scheme
      ['GET', '/v1/tasks', { 'x-api-key': `${keys.neverIssued} trailing` }],
      ['GET', `/v1/api-keys/${keys.neverIssued}`, admin],
      ['GET', `/v1/${keys.neverIssued}`, admin],
      ['PUT', `/v1/api-keys?key=${keys.neverIssued}`, admin],
      ['POST', '/v1/api-keys', admin, `{"name": "${keys.neverIssued}`],
      ['POST', '/v1/api-keys', admin, JSON.stringify({ [keys.neverIssued]: 1, name: 'x' })],
      ['POST', '/v1/api-keys', admin, JSON.stringify({ name: 'x', permissions: [keys.neverIssued] })],
      ['POST', '/v1/tasks', admin, JSON.stringify({ title: 1, [keys.neverIssued]: keys.neverIssued })],
      ['GET', '/v1/rate-limit', admin],
      ['GET', '/v1/usage', admin],
      ['GET', '/__keyguard/journal', control],
      ['POST', '/__keyguard/clock', control, JSON.stringify({ advance: keys.neverIssued })],
    ];
    for (const [method, path, headers, body] of requests) answers.push((await call(method, path, headers, body)).text);

    expect(answers.some((answer) => answer.startsWith('401 '))).toBe(true);
    answers.forEach((answer, i) => expectNoKey(answer, `the answer to ${requests[i]?.[0]} ${requests[i]?.[1]}`));
    expectNoKey(regenerated.text, 'the regenerate answer', [second.key]);
    expectNoKey(created.text, 'the create answer', [first.key]);
  });

  it('its output shows the bootstrap key once, on its own line; the state file holds hashes only, also after a restart', async () => {
    await server.stop('SIGTERM');
    const admin = server.adminKey as string;
    const lines = server.stdout.split('\n');
    expect(lines.filter((line) => line.includes(bodyOf(admin)))).toEqual([`Bootstrap admin key (admin:*, shown once): ${admin}`]);
    expectNoKey(lines.filter((line) => !line.includes(bodyOf(admin))).join('\n'), 'keyguard serve\'s other output');
    const files = readdirSync(temp).filter((name) => name.startsWith('mock-state'));
    for (const name of files) expectNoKey(readFileSync(join(temp, name), 'utf8'), `the state file ${name}`);
    expect(readFileSync(state, 'utf8')).toMatch(/[0-9a-f]{64}/);

    server = await startServe(['--env', 'test', '--state', state]);
    expect(server.adminKey).toBeUndefined();
    expectNoKey(server.stdout, 'keyguard serve restarted from its state file');
  });

  it('start-up errors: a seed or state file holding a key in bad JSON, a seed key of another environment', async () => {
    const seedKey = plant(fakeKey('live'));
    writeFileSync(join(temp, 'bad-seed.json'), `${seedKey} {`);
    writeFileSync(join(temp, 'live-seed.json'), JSON.stringify({ keys: [{ key: seedKey, name: 'x', permissions: ['admin:*'] }] }));
    writeFileSync(join(temp, 'bad-state.json'), `{"keys": [${seedKey}`);

    for (const args of [['--seed', join(temp, 'bad-seed.json')], ['--env', 'test', '--seed', join(temp, 'live-seed.json')], ['--state', join(temp, 'bad-state.json')]]) {
      const out = await serveFailure(args);
      expect(out.code, args.join(' ')).toBe(2);
      expect(out.stderr).toMatch(/^keyguard: [^\n]+\n$/);
      expectNoKey(both(out), `keyguard serve ${args.join(' ')}`);
    }
  });

  it('scan --verify against it: the report holds no key, the verified one included', async () => {
    const r = TempRepo.create();
    try {
      r.write('a.ts', `const admin = '${server.adminKey ?? issued[0]}';\nconst other = '${keys.neverIssued}';\n`);

      const out = await r.keyguard('scan', '--verify', server.url, '--format', 'json');

      expect(out.stdout).toContain('"verified"');
      expectNoKey(both(out), 'scan --verify');
    } finally {
      r.remove();
    }
  });
});
