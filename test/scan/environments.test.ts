import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_ENVIRONMENTS } from '../../src/config/environments.js';
import { prefixOf, PUBLISHED_EXAMPLE_KEYS } from '../../src/detect/index.js';
import { TempRepo } from '../git/repo.js';
import { bodyOf, fakeKey } from '../helpers/keys.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function repo(files: Record<string, string> = {}): TempRepo {
  const made = TempRepo.create();
  cleanups.push(() => made.remove());
  // .env files are ignored, as they should be: only the rules of this file report on them.
  made.write('.gitignore', '.env\n.env.*\n');
  for (const [path, content] of Object.entries(files)) made.write(path, content);
  return made;
}

interface JsonFinding {
  ruleId: string;
  severity: string;
  file: string;
  line: number;
  redacted?: string;
  reason?: string;
  fingerprint: string;
}

async function findings(r: TempRepo, ...args: string[]): Promise<JsonFinding[]> {
  const out = await r.keyguard('scan', '--format', 'json', ...args);
  expect(out.stderr).toBe('');
  return (JSON.parse(out.stdout) as { findings: JsonFinding[] }).findings;
}

const ruled = (list: JsonFinding[], ruleId: string) => list.filter((finding) => finding.ruleId === ruleId);

/** A file at `path` for each default glob: what a project would name it. */
function example(glob: string): string {
  const name = glob.replace('*_test.*', 'pay_test.go').replace('test_*.py', 'test_pay.py').replace(/\*/g, 'pay');
  // A directory glob covers the files in it; a file glob matches at any depth.
  return /\.[a-z]+$|^\.env|compose/.test(name.split('/').at(-1) as string) ? `app/${name}`.replace('app/.github', '.github') : `${name}/pay.json`;
}

describe('wrong-environment: every default context, both sides', () => {
  it.each(DEFAULT_ENVIRONMENTS.test.map((glob) => [glob, example(glob)]))('test context %s (%s): a live key is reported, a test key is not', async (_glob, path) => {
    const live = fakeKey('live');
    const r = repo({ [path]: `KEY=${live}\n`, 'other.txt': `KEY=${fakeKey('test')}\n` });
    const found = await findings(r, '--no-ignore');

    expect(ruled(found, 'wrong-environment')).toMatchObject([
      { file: path, severity: 'warning', redacted: expect.stringMatching(/^sk_live_/), reason: 'a live key in a test or development file, which should hold test or sandbox keys' },
    ]);
    r.write(path, `KEY=${fakeKey('test')}\nOTHER=${fakeKey('sandbox')}\n`);
    expect(ruled(await findings(r, '--no-ignore'), 'wrong-environment')).toEqual([]);
  });

  it.each(DEFAULT_ENVIRONMENTS.production.map((glob) => [glob, example(glob)]))('production context %s (%s): test and sandbox keys are reported, a live key is not', async (_glob, path) => {
    const r = repo({ [path]: `A=${fakeKey('test')}\nB=${fakeKey('sandbox')}\n` });
    const found = ruled(await findings(r, '--no-ignore'), 'wrong-environment');

    expect(found.map((finding) => [finding.file, finding.line, finding.reason])).toEqual([
      [path, 1, 'a test key in a production file, which should hold live keys'],
      [path, 2, 'a sandbox key in a production file, which should hold live keys'],
    ]);
    r.write(path, `A=${fakeKey('live')}\n`);
    expect(ruled(await findings(r, '--no-ignore'), 'wrong-environment')).toEqual([]);
  });

  it('a live key in an ignored .env.local (which dev servers load) is reported without --no-ignore; a test key there is not', async () => {
    const live = fakeKey('live');
    const r = repo({ 'package.json': '{ "name": "shop" }\n', '.env.local': `# dev\nSTRIPE_KEY=${live}\n`, '.env.test': `STRIPE_KEY=${fakeKey('test')}\n` });
    const found = await findings(r);

    expect(found.map((finding) => [finding.ruleId, finding.file, finding.line, finding.severity])).toEqual([['wrong-environment', '.env.local', 2, 'warning']]);
    expect(found[0]?.redacted).toMatch(/^sk_live_\w{4}…\w{3}$/);
    expect(JSON.stringify(found)).not.toContain(bodyOf(live));

    // keyguard baseline records it as the scan finds it; the next scan hides it.
    expect((await r.keyguard('baseline')).exitCode).toBe(0);
    expect(await findings(r)).toEqual([]);
  });

  it('a key in an ordinary source file is in no context', async () => {
    const r = repo({ 'src/pay.ts': `k = '${fakeKey('live')}'; t = '${fakeKey('test')}'\n` });
    expect(ruled(await findings(r), 'wrong-environment')).toEqual([]);
  });

  it('is a warning: --fail-on live passes on a test key in a production manifest, any fails; the text names both environments', async () => {
    const r = repo({ 'deploy/production/values.yaml': `apiKey: ${fakeKey('test')}\n` });

    expect((await r.keyguard('scan', '--fail-on', 'live')).exitCode).toBe(0);
    const text = await r.keyguard('scan', '--fail-on', 'any');
    expect(text.exitCode).toBe(1);
    expect(text.stdout).toMatch(/deploy\/production\/values\.yaml:1:9 {2}warning {2}wrong-environment {2}Key in the wrong environment sk_test_\w{4}…\w{3}: a test key in a production file/);
  });

  it('"environments" in keyguard.config.json replaces a default list, relative to the config', async () => {
    const live = fakeKey('live');
    const r = repo({ 'qa/pay.json': `{"key": "${live}"}\n`, 'test/pay.json': `{"key": "${live}"}\n` });
    r.write('keyguard.config.json', JSON.stringify({ environments: { test: ['qa'] } }));

    expect(ruled(await findings(r), 'wrong-environment').map((finding) => finding.file)).toEqual(['qa/pay.json']);
  });

  it('a bad glob there is one line and exit 2, even when no key is found', async () => {
    const r = repo({ 'a.ts': 'ok\n' });
    r.write('keyguard.config.json', JSON.stringify({ environments: { production: ['/abs'] } }));
    const out = await r.keyguard('scan');

    expect(out.exitCode).toBe(2);
    expect(out.stderr).toMatch(/^keyguard: keyguard\.config\.json: "environments\.production\[0\]": bad glob "\/abs"/);
    expect(out.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('keyguard-ignore on the line suppresses it; a baseline hides it', async () => {
    const r = repo({ 'test/a.ts': `k = '${fakeKey('live')}'; // keyguard-ignore\n`, 'test/b.ts': `k = '${fakeKey('live')}';\n` });
    expect(ruled(await findings(r), 'wrong-environment').map((finding) => finding.file)).toEqual(['test/b.ts']);

    expect((await r.keyguard('baseline')).exitCode).toBe(0);
    expect(await findings(r)).toEqual([]);
  });
});

describe('key-reuse: one key in the env files of two environments or two packages', () => {
  it('across two .env files of one package: reported once, at the first place, listing the other', async () => {
    const key = fakeKey('live');
    const r = repo({ '.env.production': `KEY=${key}\n`, '.env.staging': `# staging\nKEY=${key}\n`, 'src/a.ts': 'ok\n' });
    const reuse = ruled(await findings(r, '--no-ignore'), 'key-reuse');

    expect(reuse).toMatchObject([
      { file: '.env.production', line: 1, severity: 'warning', reason: 'the same key is also in .env.staging: give each environment and package its own key' },
    ]);
    expect(JSON.stringify(reuse)).not.toContain(bodyOf(key));
  });

  it('across two packages of a monorepo, three places in one finding', async () => {
    const key = fakeKey('test');
    const r = repo({ 'apps/web/.env': `KEY=${key}\n`, 'apps/api/.env': `KEY=${key}\n`, 'packages/jobs/.env.local': `KEY=${key}\n` });
    const reuse = ruled(await findings(r, '--no-ignore'), 'key-reuse');

    expect(reuse.map((finding) => [finding.file, finding.reason])).toEqual([
      ['apps/api/.env', 'the same key is also in apps/web/.env, packages/jobs/.env.local: give each environment and package its own key'],
    ]);
  });

  it('not for different keys, a key used in one env file and in code, or a key twice in one file', async () => {
    const key = fakeKey('live');
    const r = repo({ '.env.production': `KEY=${key}\nAGAIN=${key}\n`, 'src/pay.ts': `k = '${key}'\n`, '.env.staging': `KEY=${fakeKey('live')}\n` });
    expect(ruled(await findings(r, '--no-ignore'), 'key-reuse')).toEqual([]);
  });

  it('in --history: env files committed in different commits', async () => {
    const key = fakeKey('live');
    const r = TempRepo.create();
    cleanups.push(() => r.remove());
    r.write('apps/web/.env', `KEY=${key}\n`);
    r.commitUnchecked('web env');
    r.write('apps/api/.env', `KEY=${key}\n`);
    r.commitUnchecked('api env');
    r.git('rm', '-q', 'apps/web/.env', 'apps/api/.env');
    r.commitUnchecked('remove them');

    expect(ruled(await findings(r), 'key-reuse')).toEqual([]);
    const reuse = ruled(await findings(r, '--history'), 'key-reuse');
    expect(reuse.map((finding) => [finding.file, finding.reason])).toEqual([['apps/api/.env', 'the same key is also in apps/web/.env: give each environment and package its own key']]);
  });

  it('in ignored env files, which report nothing of their own: across two .env files of a package and across two packages of a monorepo, without --no-ignore', async () => {
    const shared = fakeKey('live');
    const acrossPackages = fakeKey('test');
    const r = repo({
      'package.json': '{ "name": "shop", "private": true, "workspaces": ["apps/*"] }\n',
      '.env.production': `API_KEY=${shared}\n`,
      '.env.staging': `# staging\nAPI_KEY=${shared}\n`,
      'apps/web/package.json': '{ "name": "web" }\n',
      'apps/web/.env': `API_KEY=${acrossPackages}\n`,
      'apps/api/package.json': '{ "name": "api" }\n',
      'apps/api/.env': `KEY=${acrossPackages}\nOWN=${fakeKey('test')}\n`,
    });
    const found = await findings(r);

    expect(ruled(found, 'hardcoded-key')).toEqual([]);
    expect(ruled(found, 'key-reuse').map((finding) => [finding.file, finding.line, finding.severity, finding.reason])).toEqual([
      ['.env.production', 1, 'warning', 'the same key is also in .env.staging: give each environment and package its own key'],
      ['apps/api/.env', 1, 'warning', 'the same key is also in apps/web/.env: give each environment and package its own key'],
    ]);
    expect(JSON.stringify(found)).not.toContain(bodyOf(shared));
    expect(JSON.stringify(found)).not.toContain(bodyOf(acrossPackages));
  });

  it('not in ignored env files holding different keys, a key allowed by the config, or a line marked keyguard-ignore', async () => {
    const allowed = fakeKey('live');
    const marked = fakeKey('live');
    const r = repo({
      'package.json': '{ "name": "shop" }\n',
      '.env.production': `A=${fakeKey('live')}\nB=${allowed}\nC=${marked}\n`,
      '.env.staging': `A=${fakeKey('live')}\nB=${allowed}\nC=${marked} # keyguard-ignore\n`,
    });
    r.write('keyguard.config.json', JSON.stringify({ allow: [`^${allowed}$`] }));
    expect(ruled(await findings(r), 'key-reuse')).toEqual([]);
  });

  it('in --history, across two .env files of one package; not for two packages holding different keys', async () => {
    const shared = fakeKey('test');
    const r = TempRepo.create();
    cleanups.push(() => r.remove());
    r.write('apps/web/.env', `KEY=${fakeKey('live')}\n`);
    r.write('apps/api/.env', `KEY=${fakeKey('live')}\n`);
    r.write('apps/api/.env.development', `KEY=${shared}\n`);
    r.commitUnchecked('env files');
    r.write('apps/api/.env.staging', `# staging\nKEY=${shared}\n`);
    r.commitUnchecked('staging');

    const reuse = ruled(await findings(r, '--history'), 'key-reuse');
    expect(reuse.map((finding) => [finding.file, finding.line, finding.reason])).toEqual([
      ['apps/api/.env.development', 1, 'the same key is also in apps/api/.env.staging: give each environment and package its own key'],
    ]);
  });

  it('keyguard-ignore on one place drops it from the reuse; a baseline hides the finding', async () => {
    const key = fakeKey('live');
    const r = repo({ 'a/.env': `KEY=${key} # keyguard-ignore\n`, 'b/.env': `KEY=${key}\n` });
    expect(ruled(await findings(r, '--no-ignore'), 'key-reuse')).toEqual([]);

    r.write('a/.env', `KEY=${key}\n`);
    expect(ruled(await findings(r, '--no-ignore'), 'key-reuse')).toHaveLength(1);
    // Named files are scanned though git ignores them.
    expect((await r.keyguard('baseline', 'a/.env', 'b/.env')).exitCode).toBe(0);
    expect(await findings(r, 'a/.env', 'b/.env')).toEqual([]);
  });
});

describe('published-example-key: suppression, the allow list and the baseline apply', () => {
  const example = prefixOf('test') + (PUBLISHED_EXAMPLE_KEYS[1]?.body as string);

  it('a warning that --fail-on live passes; keyguard-ignore drops it; the config allow list drops it; a baseline hides it', async () => {
    const r = repo({ 'docs/quickstart.md': `curl -u ${example}: https://api.stripe.com/v1/charges\n`, 'src/demo.ts': `const k = '${example}'; // keyguard-ignore: the vendor's demo key\n` });

    expect(ruled(await findings(r), 'published-example-key').map((finding) => [finding.file, finding.severity])).toEqual([['docs/quickstart.md', 'warning']]);
    expect((await r.keyguard('scan', '--fail-on', 'live')).exitCode).toBe(0);

    r.write('keyguard.config.json', JSON.stringify({ allow: [`^${example}$`] }));
    expect(await findings(r)).toEqual([]);
    r.write('keyguard.config.json', '{}');

    expect((await r.keyguard('baseline')).exitCode).toBe(0);
    expect(await findings(r)).toEqual([]);
    expect((await r.keyguard('scan', '--fail-on', 'any')).exitCode).toBe(0);
  });
});
