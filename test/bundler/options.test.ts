import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prefixOf, PUBLISHED_EXAMPLE_KEYS } from '../../src/detect/index.js';
import { redact } from '../../src/findings.js';
import { bodyOf, fakeKey } from '../helpers/keys.js';
import { BundlerProject, cli } from './project.js';

/** A Rollup build whose only module holds `key`, with the plugin called as `rollup(<options>)`. */
function rollupConfig(options: string): Record<string, string> {
  return {
    'rollup.config.mjs': `import { rollup } from 'keyguard/bundler';\nexport default { input: 'src/main.js', output: { dir: 'dist', format: 'es' }, plugins: [rollup(${options})] };\n`,
  };
}

describe('keyguard/bundler options', () => {
  let project: BundlerProject;
  const testKey = fakeKey('test');
  const liveKey = fakeKey('live');

  beforeAll(async () => {
    project = await BundlerProject.create({ 'src/main.js': `console.log('${testKey}');\n` });
  });
  afterAll(() => project.remove());

  function build(options: string) {
    project.write(rollupConfig(options));
    const out = project.run(cli.rollup, ['-c']);
    expect(out.output).not.toContain(bodyOf(testKey));
    expect(out.output).not.toContain(bodyOf(liveKey));
    return out;
  }

  it('fails on a key of any type by default', () => {
    const out = build('');
    expect(out.status).not.toBe(0);
    expect(out.output).toContain(`dist/main.js:1:14  ${redact(testKey)} (test key)  written in src/main.js:1:14`);
  });

  it("failOn: ['live'] lets a test key through with a warning that still names it", () => {
    const out = build("{ failOn: ['live'] }");
    expect(out.status, out.output).toBe(0);
    expect(out.output).toContain('keyguard: 1 key in client output (not failing the build: their type is not in failOn)');
    expect(out.output).toContain(redact(testKey));
  });

  it("failOn: 'live' still fails on a live key", () => {
    project.write({ 'src/main.js': `console.log('${testKey}', '${liveKey}');\n` });
    const out = build("{ failOn: 'live' }");
    project.write({ 'src/main.js': `console.log('${testKey}');\n` });
    expect(out.status).not.toBe(0);
    expect(out.output).toContain(`${redact(liveKey)} (live key)`);
    expect(out.output).toContain('1 key in client output (not failing the build');
  });

  it('allow: a key matching a pattern is a placeholder', () => {
    const out = build(`{ allow: ['^${testKey.slice(0, 12)}'] }`);
    expect(out.status, out.output).toBe(0);
    expect(out.output).not.toContain('keyguard');
  });

  it("without allow, the project's keyguard.config.json allow list applies, as in keyguard scan", () => {
    project.write({ 'keyguard.config.json': JSON.stringify({ allow: [`^${testKey.slice(0, 12)}`] }) });
    const withConfig = build('');
    project.write({ 'keyguard.config.json': '{}' });
    expect(withConfig.status, withConfig.output).toBe(0);
  });

  it("a vendor's published example key is a warning that names it as one, never a failure; beside a real key the build still fails", () => {
    const example = prefixOf('test') + (PUBLISHED_EXAMPLE_KEYS[0]?.body as string);
    project.write({ 'src/main.js': `console.log('${example}');\n` });
    const alone = build('');
    project.write({ 'src/main.js': `console.log('${example}', '${testKey}');\n` });
    const beside = build('');
    project.write({ 'src/main.js': `console.log('${testKey}');\n` });

    expect(alone.status, alone.output).toBe(0);
    expect(alone.output).toContain("keyguard: 1 published example key in client output (not failing the build: vendors print them in their documentation, so they are no one's secret):");
    expect(alone.output).toContain(`dist/main.js:1:14  ${redact(example)} (test key published in Stripe's API reference)  written in src/main.js:1:14`);
    expect(alone.output).not.toContain('secret key');
    expect(beside.status).not.toBe(0);
    expect(beside.output).toContain(`keyguard: 1 secret key in client output`);
    expect(beside.output).toContain('1 published example key in client output');
  });

  it('a wrong failOn fails the build with a message naming the option', () => {
    const out = build("{ failOn: 'prod' }");
    expect(out.status).not.toBe(0);
    expect(out.output).toContain('keyguard/bundler: option failOn: unknown key type "prod"');
  });

  it('a bad allow pattern fails the build with a message naming it', () => {
    const out = build("{ allow: ['(?<=x)'] }");
    expect(out.status).not.toBe(0);
    expect(out.output).toContain('keyguard/bundler: option allow[0]: bad regular expression');
  });
});
