import { KeyguardError } from '../errors.js';
import { gitStream } from './git.js';

export interface Blob {
  id: string;
  content: Buffer;
}

/**
 * Reads blobs from the object store through one `git cat-file --batch` process, streaming:
 * each blob is copied once into a buffer of its announced size, whatever the chunking.
 */
export async function* readBlobs(cwd: string, ids: readonly string[]): AsyncGenerator<Blob> {
  if (ids.length === 0) return;
  let header = Buffer.alloc(0);
  let current: { id: string; buffer: Buffer; filled: number } | undefined;
  for await (let chunk of gitStream(['cat-file', '--batch'], { cwd, input: `${ids.join('\n')}\n` })) {
    while (chunk.length > 0) {
      if (current) {
        const take = Math.min(current.buffer.length - current.filled, chunk.length);
        chunk.copy(current.buffer, current.filled, 0, take);
        current.filled += take;
        chunk = chunk.subarray(take);
        if (current.filled < current.buffer.length) break;
        yield { id: current.id, content: current.buffer.subarray(0, -1) };
        current = undefined;
        continue;
      }
      const end = chunk.indexOf(10);
      if (end === -1) {
        header = Buffer.concat([header, chunk]);
        break;
      }
      current = startObject(Buffer.concat([header, chunk.subarray(0, end)]).toString('utf8'));
      header = Buffer.alloc(0);
      chunk = chunk.subarray(end + 1);
    }
  }
}

/** `<id> <type> <size>` starts an object of `size` bytes followed by a newline (kept in the buffer). */
function startObject(line: string): { id: string; buffer: Buffer; filled: number } {
  const [id = '', type, size] = line.split(' ');
  if (type === 'missing' || size === undefined) {
    throw new KeyguardError(`git object ${id} is missing from the repository: run 'git fsck' to find the damage`);
  }
  return { id, buffer: Buffer.alloc(Number(size) + 1), filled: 0 };
}
