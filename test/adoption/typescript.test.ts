import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { packedTarball, Project, readmeBlock, run } from './project.js';

// A TypeScript project testing against the mock key API with msw and vitest, in both module systems:
// the README's msw example pasted as it stands into a test file of each. One install serves both (each
// subdirectory's package.json sets its module type, node_modules is shared above them).
describe("the README's msw example in TypeScript projects with msw and vitest", () => {
  const project = new Project('typescript-msw');
  const snippet = readmeBlock('**In process, with msw**', 'ts');
  const tsconfig = { compilerOptions: { module: 'nodenext', target: 'es2022', strict: true, noEmit: true, skipLibCheck: false, types: ['node'] } };

  beforeAll(() => {
    project.install(packedTarball(), 'typescript@7', 'msw@2', 'vitest@4', '@types/node@20');
    for (const type of ['commonjs', 'module']) {
      project.write(`${type}/package.json`, `${JSON.stringify({ type })}\n`);
      project.write(`${type}/tsconfig.json`, `${JSON.stringify(tsconfig)}\n`);
      project.write(`${type}/keys.test.ts`, snippet);
    }
  }, 300_000);

  it.each([
    ['CommonJS (module nodenext)', 'commonjs'],
    ['ES modules (module nodenext)', 'module'],
  ])('%s: it typechecks with tsc and passes under vitest', (_, type) => {
    const dir = join(project.dir, type);
    const tsc = run(dir, join(project.dir, 'node_modules/.bin/tsc'), ['-p', '.']);
    expect(tsc.output).toBe('');
    expect(tsc.status).toBe(0);

    const vitest = run(dir, join(project.dir, 'node_modules/.bin/vitest'), ['run']);
    expect(vitest.output).toMatch(/Tests {2}1 passed \(1\)/);
    expect(vitest.status).toBe(0);
  });
});
