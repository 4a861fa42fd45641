import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trackedCopy } from '../helpers/tracked-copy.js';
import { bodyOf, fakeKey } from '../helpers/keys.js';
import { Project, run } from './project.js';

// A repository that uses the pre-commit framework (Debian's `pre-commit` package; .ci/run installs it)
// with keyguard's hook, pointed at this repository by path and commit as a user points at its URL and tag.
describe('keyguard through the pre-commit framework', () => {
  let keyguardRepo: ReturnType<typeof trackedCopy>;
  let project: Project;

  beforeAll(() => {
    // This repository as pre-commit clones it: its tracked files at a commit, nothing installed or built.
    keyguardRepo = trackedCopy();
    for (const args of [['init', '-q', '-b', 'main'], ['add', '-A'], ['-c', 'user.name=K', '-c', 'user.email=k@example.test', 'commit', '-q', '-m', 'keyguard']]) {
      const out = run(keyguardRepo.dir, 'git', args);
      if (out.status !== 0) throw new Error(`git ${args.join(' ')} failed:\n${out.output}`);
    }
    const rev = run(keyguardRepo.dir, 'git', ['rev-parse', 'HEAD']).stdout.trim();

    project = new Project('pre-commit-user').gitInit();
    project.write('.pre-commit-config.yaml', `repos:\n  - repo: ${keyguardRepo.dir}\n    rev: ${rev}\n    hooks:\n      - id: keyguard\n`);
    project.env.PRE_COMMIT_HOME = join(project.dir, '..', 'pre-commit-home');
    const installed = project.run('pre-commit', ['install']);
    expect(installed.output).toContain('pre-commit installed at .git/hooks/pre-commit');
    project.git('add', '-A');
  }, 240_000);
  afterAll(() => keyguardRepo?.remove());

  it('lets a clean commit through, then blocks one that adds a key, showing it redacted', () => {
    const clean = project.git('commit', '-m', 'pre-commit config');
    expect(clean.output).toMatch(/keyguard \(API keys and \.env files in the staged changes\)\.+Passed/);
    expect(clean.status).toBe(0);

    const key = fakeKey('live');
    project.write('src/pay.js', `export const apiKey = '${key}';\n`).git('add', 'src/pay.js');
    const blocked = project.git('commit', '-m', 'add payments');

    expect(blocked.status).toBe(1);
    expect(blocked.output).toMatch(/keyguard \(API keys and \.env files in the staged changes\)\.+Failed/);
    expect(blocked.output).toMatch(/src\/pay\.js:1:24 .*hardcoded-key/);
    expect(blocked.output).not.toContain(bodyOf(key));
    expect(project.git('log', '--format=%s').stdout).toBe('pre-commit config\n');
  });
});
