import { beforeAll, describe, expect, it } from 'vitest';
import { bodyOf, fakeKey } from '../helpers/keys.js';
import { packedTarball, Project, README } from './project.js';

/** The per-clone step the README gives for projects where npm runs no scripts. */
function documentedStep(): string[] {
  const step = /each clone activates the hook once with \*\*`([^`]+)`\*\*/.exec(README.replace(/\s+/g, ' '));
  if (!step) throw new Error('README.md no longer names the step that activates the hook in a clone under ignore-scripts');
  return (step[1] as string).split(' ');
}

// A repository whose .npmrc has ignore-scripts=true (express has one): npm install never runs `prepare`,
// so a teammate's clone gets no hook from installing. What the README documents must still protect it.
describe('keyguard in a repository whose .npmrc has ignore-scripts=true', () => {
  const owner = new Project('ignore-scripts-app', { type: 'module' });
  let teammate: Project;

  beforeAll(() => {
    owner.gitInit().write('.npmrc', 'ignore-scripts=true\n').write('.gitignore', 'node_modules/\n');
    owner.install('--save-dev', packedTarball());
    const init = owner.run('npx', ['keyguard', 'init']);
    expect(init.status).toBe(0);
    expect(init.output).toContain('ignore-scripts');
    owner.git('add', '-A');
    expect(owner.git('commit', '-m', 'keyguard').status).toBe(0);

    teammate = owner.clone('ignore-scripts-teammate');
    teammate.install();
  }, 300_000);

  it("a teammate's install brings no hook; the README's per-clone step does, and blocks the next key", () => {
    const first = fakeKey('live');
    teammate.write('src/a.js', `export const a = '${first}';\n`).git('add', '-A');
    expect(teammate.git('commit', '-m', 'through: no hook yet').status).toBe(0);

    const [command, ...args] = documentedStep() as [string, ...string[]];
    const step = teammate.run(command, args);
    expect(step.status, step.output).toBe(0);

    const second = fakeKey('live');
    teammate.write('src/b.js', `export const b = '${second}';\n`).git('add', '-A');
    const blocked = teammate.git('commit', '-m', 'blocked');
    expect(blocked.status).toBe(1);
    expect(blocked.output).toMatch(/src\/b\.js:1:19 .*hardcoded-key/);
    expect(blocked.output).not.toContain(bodyOf(second));
  });

  it('CI, which no local setting skips, fails on the key that went through', () => {
    const ci = teammate.run('npx', ['keyguard', 'scan']);

    expect(ci.status).toBe(1);
    expect(ci.stdout).toMatch(/src\/a\.js:1:19 .*hardcoded-key/);
  });
});
