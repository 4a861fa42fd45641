import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PATCH_ARGS, readPatch, type PatchEvent } from '../../src/sources/diff.js';
import { git } from '../../src/sources/git.js';
import { fakeKey } from '../helpers/keys.js';
import { TempRepo } from './repo.js';

let repo: TempRepo;
let patch: Buffer;

async function events(chunks: Buffer[]): Promise<PatchEvent[]> {
  const all: PatchEvent[] = [];
  for await (const event of readPatch((async function* () { yield* chunks; })())) all.push(event);
  return all;
}

beforeAll(async () => {
  repo = TempRepo.create();
  repo.write('a.ts', `// keyguard-ignore-next-line\nconst a = '${fakeKey('live')}';\n`);
  repo.write('dir with space/b.ts', `x\n${'long line '.repeat(500)}\nconst b = "${fakeKey('test')}";\n`);
  repo.commitUnchecked('one');
  repo.write('a.ts', `// keyguard-ignore-next-line\nconst a = process.env.A;\nconst c = '${fakeKey('sandbox')}';\n`);
  repo.write('é.ts', `export const e = '${fakeKey('live')}';\n`);
  repo.commitUnchecked('two');
  patch = await git(['log', '-p', '-U1', '--format=%x00%H%x00%an', ...PATCH_ARGS], { cwd: repo.dir });
});

afterAll(() => repo.remove());

describe('the patch reader', () => {
  it('finds each added key line with its line number and the line above', async () => {
    const files = (await events([patch])).flatMap((event) => (event.kind === 'file' ? [event.file] : []));
    const added = files.flatMap((file) => file.additions.map((addition) => [file.path, addition.line, addition.before?.slice(0, 12)]));

    expect(added).toEqual(
      expect.arrayContaining([
        ['a.ts', 3, 'const a = pr'],
        ['é.ts', 1, undefined],
        ['a.ts', 2, '// keyguard-'],
        ['dir with space/b.ts', 3, 'long line lo'],
      ]),
    );
    expect(added).toHaveLength(4);
  });

  it('reads the same patch the same way however the output is cut into chunks', async () => {
    const whole = await events([patch]);
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.integer({ min: 1, max: patch.length - 1 }), { maxLength: 40 }), async (cuts) => {
        const points = [0, ...cuts.sort((x, y) => x - y), patch.length];
        const chunks = points.slice(1).map((end, i) => patch.subarray(points[i], end));
        expect(await events(chunks)).toEqual(whole);
      }),
      { numRuns: 200 },
    );
  });
});
