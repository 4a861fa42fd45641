import { describe, expect, it } from 'vitest';
import { PUBLIC_ENV_PREFIXES } from '../../src/detect/index.js';
import { redact } from '../../src/findings.js';
import { tempRepos } from '../git/repo.js';
import { bodyOf, fakeKey } from '../helpers/keys.js';

const { repo } = tempRepos();

/** A JS project in a real repository that ignores .env files the usual way, templates kept. */
function project() {
  const r = repo();
  r.write('package.json', '{ "name": "web", "private": true }\n');
  r.write('.gitignore', '.env\n.env.*\n!.env.example\nnode_modules/\n');
  r.write('src/main.js', 'console.log(import.meta.env.VITE_API_URL);\n');
  r.commitUnchecked('app');
  return r;
}

interface JsonFinding {
  ruleId: string;
  file: string;
  line: number;
  column: number;
  keyType?: string;
  redacted?: string;
  reason?: string;
}

async function jsonFindings(r: ReturnType<typeof project>, ...args: string[]): Promise<{ exitCode: number; findings: JsonFinding[]; raw: string }> {
  const out = await r.keyguard('scan', '--format', 'json', ...args);
  // A live key in .env.local (a development file) is also a wrong-environment warning: test/scan/environments.test.ts covers that.
  const findings = (JSON.parse(out.stdout) as { findings: JsonFinding[] }).findings.filter((finding) => finding.ruleId !== 'wrong-environment');
  return { exitCode: out.exitCode, findings, raw: out.stdout + out.stderr };
}

describe('public-env-key: a key in a variable the bundler inlines into client code', () => {
  it.each(PUBLIC_ENV_PREFIXES.map((entry) => [entry.prefix, entry.bundler]))(
    'keyguard scan reports %s in an ignored .env.local (%s inlines it)',
    async (prefix, bundler) => {
      const r = project();
      const key = fakeKey('live');
      r.write('.env.local', `${prefix}PAYMENTS_KEY=${key}\nSERVER_ONLY_KEY=${fakeKey('live')}\n`);

      const { exitCode, findings, raw } = await jsonFindings(r);

      expect(exitCode).toBe(1);
      expect(findings).toEqual([
        expect.objectContaining({
          ruleId: 'public-env-key',
          file: '.env.local',
          line: 1,
          column: `${prefix}PAYMENTS_KEY=`.length + 1,
          keyType: 'live',
          redacted: redact(key),
          reason: `in ${prefix}PAYMENTS_KEY, which ${bundler} inlines into the client bundle every visitor downloads`,
        }),
      ]);
      expect(raw).not.toContain(bodyOf(key));
    },
  );

  it('a server-only key in an ignored .env is where a secret belongs: nothing to report', async () => {
    const r = project();
    r.write('.env', `STRIPE_SECRET_KEY=${fakeKey('live')}\n`);

    expect((await jsonFindings(r)).findings).toEqual([]);
  });

  it('a tracked .env.production: the key is reported once, by the public-env rule, beside the .env rule', async () => {
    const r = project();
    const key = fakeKey('live');
    r.write('.env.production', `NEXT_PUBLIC_STRIPE_KEY=${key}\n`);
    r.git('add', '-f', '.env.production');
    r.commitUnchecked('production env');

    const { findings } = await jsonFindings(r);

    expect(findings.map((finding) => finding.ruleId).sort()).toEqual(['env-tracked', 'public-env-key']);
  });

  it('a template .env.example: a placeholder is no finding, a real-looking key is', async () => {
    const r = project();
    r.write('.env.example', 'VITE_STRIPE_KEY=sk_live_YOUR_KEY_HERE\nVITE_OTHER=sk_test_xxxxxxxxxxxxxxxxxxxxxxxx\n');
    expect((await jsonFindings(r)).findings).toEqual([]);

    const key = fakeKey('test');
    r.write('.env.example', `VITE_STRIPE_KEY=${key}\n`);
    expect((await jsonFindings(r)).findings).toEqual([expect.objectContaining({ ruleId: 'public-env-key', file: '.env.example', redacted: redact(key) })]);
  });

  it('vite.config define and next.config env are inlined too', async () => {
    const r = project();
    const viteKey = fakeKey('live');
    const nextKey = fakeKey('sandbox');
    r.write('vite.config.ts', `export default {\n  define: {\n    'import.meta.env.VITE_KEY': JSON.stringify('${viteKey}'),\n  },\n};\n`);
    r.write('apps/site/next.config.mjs', `export default {\n  env: {\n    PAYMENTS_KEY: '${nextKey}',\n  },\n};\n`);

    const { findings } = await jsonFindings(r);

    expect(findings).toEqual([
      expect.objectContaining({ ruleId: 'public-env-key', file: 'apps/site/next.config.mjs', line: 3, reason: expect.stringContaining('in PAYMENTS_KEY, which Next.js inlines') }),
      expect.objectContaining({ ruleId: 'public-env-key', file: 'vite.config.ts', line: 3, reason: expect.stringContaining('in import.meta.env.VITE_KEY, which Vite inlines') }),
    ]);
  });

  it('ignored .env files are read beside every package.json of a monorepo, never inside ignored trees', async () => {
    const r = project();
    r.write('apps/web/package.json', '{ "name": "web-app" }\n');
    r.write('apps/web/.env.local', `VITE_KEY=${fakeKey('live')}\n`);
    r.write('node_modules/some-lib/package.json', '{ "name": "some-lib" }\n');
    r.write('node_modules/some-lib/.env', `VITE_KEY=${fakeKey('live')}\n`);

    const { findings } = await jsonFindings(r);

    expect(findings.map((finding) => finding.file)).toEqual(['apps/web/.env.local']);
  });

  it('the text report says what the bundler does and what to do instead', async () => {
    const r = project();
    const key = fakeKey('live');
    r.write('.env.local', `VITE_STRIPE_KEY=${key}\n`);

    const out = await r.keyguard('scan');

    expect(out.stdout).toContain(`.env.local:1:17  error  public-env-key  Public env variable holds a live API key ${redact(key)} in VITE_STRIPE_KEY, which Vite inlines into the client bundle every visitor downloads`);
    expect(out.stdout).toContain(`1 | VITE_STRIPE_KEY=${redact(key)}`); // the code frame, key masked
    expect(out.stdout).toContain('public-env-key: Keep the key server-side: drop the public prefix');
    expect(out.stdout).toMatch(/✖ 2 findings \(1 public env key, 1 wrong-environment key, 1 warning\)/);
    expect(out.stdout).not.toContain(bodyOf(key));
  });

  it('the pre-commit hook blocks a staged .env file that puts a key in a public variable', async () => {
    const r = project();
    const key = fakeKey('live');
    r.write('.env.staging', `REACT_APP_KEY=${key}\n`);
    r.git('add', '-f', '.env.staging');

    const out = await r.keyguard('scan', '--staged');

    expect(out.exitCode).toBe(1);
    expect(out.stdout).toContain(`.env.staging:1:15  error  public-env-key  Public env variable holds a live API key ${redact(key)} in REACT_APP_KEY, which Create React App inlines`);
    expect(out.stdout).toContain('Commit blocked');
    expect(out.stdout).not.toContain(bodyOf(key));
  });

  it('SARIF describes the rule for code scanning', async () => {
    const r = project();
    r.write('.env.local', `VITE_KEY=${fakeKey('live')}\n`);

    const out = await r.keyguard('scan', '--format', 'sarif');
    const run = (JSON.parse(out.stdout) as { runs: Array<{ tool: { driver: { rules: Array<{ id: string; help: { text: string } }> } }; results: Array<{ ruleId: string }> }> }).runs[0]!;

    expect(run.results.map((result) => result.ruleId)).toEqual(['public-env-key', 'wrong-environment']);
    expect(run.tool.driver.rules.find((rule) => rule.id === 'public-env-key')?.help.text).toContain('call the API from there');
  });
});
