import { rmSync } from 'node:fs';
import { join } from 'node:path';
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

/** Durations differ from run to run; everything else must not. */
const stable = (text: string): string => text.replace(/ in \d+ ms/g, ' in N ms');

describe('keyguard scan --staged, the command line the hook runs', () => {
  it('gives exactly what the same scan parsed by the full command line gives', async () => {
    const hook = await repo.keyguard('scan', '--staged');
    const parsed = await repo.keyguard('scan', '--format', 'text', '--staged');

    expect(hook.exitCode).toBe(1);
    expect(hook.stdout).toContain('new.ts:1:');
    expect(hook.stdout).toContain('.env.local');
    expect(hook.stdout).not.toContain('legacy.ts');
    expect({ ...hook, stdout: stable(hook.stdout) }).toEqual({ ...parsed, stdout: stable(parsed.stdout) });
  });

  it('reads the repository config, as the parsed command line does', async () => {
    repo.write('keyguard.config.json', '{ "ignore": ["new.ts"] }\n');
    try {
      const hook = await repo.keyguard('scan', '--staged');
      const parsed = await repo.keyguard('scan', '--staged', '--format=text');

      expect(hook.stdout).not.toContain('new.ts');
      expect({ ...hook, stdout: stable(hook.stdout) }).toEqual({ ...parsed, stdout: stable(parsed.stdout) });
    } finally {
      rmSync(join(repo.dir, 'keyguard.config.json'));
    }
  });
});
