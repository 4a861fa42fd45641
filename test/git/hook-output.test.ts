import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeKey } from '../helpers/keys.js';
import { TempRepo } from './repo.js';

let repo: TempRepo;

beforeAll(() => {
  repo = TempRepo.create();
  repo.write('legacy.ts', `export const old = '${fakeKey('live')}';\n`);
  repo.commitUnchecked('a key from before keyguard');
  repo.write('new.ts', `export const fresh = '${fakeKey('test')}';\n// keyguard-ignore-next-line\nexport const sample = '${fakeKey('test')}';\n`);
  repo.write('.env.local', 'A=1\n');
  repo.git('add', '-f', '.');
});

afterAll(() => repo.remove());

const BLOCKED = 'Commit blocked: the staged changes add the findings above.';

describe('the hook report is asked for, never guessed', () => {
  it('keyguard scan --staged, the hook entry, reports the staged additions as a hook: what it found, then why the commit is blocked', async () => {
    const hook = await repo.keyguard('scan', '--staged');

    expect(hook.exitCode).toBe(1);
    expect(hook.stdout).toContain('new.ts:1:');
    expect(hook.stdout).toContain('.env.local');
    expect(hook.stdout).not.toContain('legacy.ts');
    expect(hook.stdout).toContain(BLOCKED);
  });

  it('--hook asks for it on any other command line, such as a hook that sets --fail-on', async () => {
    const hook = await repo.keyguard('scan', '--staged', '--hook', '--fail-on', 'live');

    expect(hook.exitCode).toBe(1); // the .env file counts as live
    expect(hook.stdout).toContain(BLOCKED);
  });

  it('--staged with a format is that report of the same findings, without the hook text', async () => {
    const text = await repo.keyguard('scan', '--staged', '--format', 'text');
    const json = await repo.keyguard('scan', '--staged', '--format', 'json');

    expect(text.exitCode).toBe(1);
    expect(text.stdout).toContain('new.ts:1:');
    expect(text.stdout).not.toContain(BLOCKED);
    expect((JSON.parse(json.stdout) as { findings: Array<{ file: string }> }).findings.map((finding) => finding.file)).toEqual(['.env.local', 'new.ts']);
  });

  it('--hook with --format is a usage error: the hook report is text', async () => {
    const out = await repo.keyguard('scan', '--staged', '--hook', '--format', 'json');

    expect(out.exitCode).toBe(2);
    expect(out.stderr).toMatch(/^keyguard: .*hook.*format/);
  });
});
