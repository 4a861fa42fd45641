import { possibleKeyAt } from '../detect/prefilter.js';

/**
 * A streaming reader of git's unified patch output (`git diff -p`, `git log -p`), built for
 * speed: each chunk is searched as latin1 text (one character per byte: string searches, with
 * no call into a Buffer per line), and only added lines that may hold a key (the prefilter's
 * yes) are decoded as UTF-8. It detects nothing: the scan runs the detector once on each
 * addition, with its context (additions.ts).
 * Run git with `PATCH_ARGS` and `-U${CONTEXT_LINES}`.
 */

/** Options every patch read by `readPatch` is made with: stable prefixes, no user diff drivers, renames followed. */
export const PATCH_ARGS = ['--no-color', '--no-ext-diff', '--no-textconv', '--src-prefix=a/', '--dst-prefix=b/', '--no-relative', '-M'];

/** Lines of context around each change: the line above an addition, where `keyguard-ignore-next-line` may be. */
export const CONTEXT_LINES = 1;

/** An added line that may hold a key, suppressed or not (suppression needs the line above: the caller decides). */
export interface Addition {
  /** 1-based line number in the new version of the file. */
  line: number;
  text: string;
  /** The new-side line just above it, when the patch shows it (context or another addition). */
  before?: string;
}

/** One file of a patch. */
export interface FileChange {
  /** Path on the new side, relative to the repository's top level. */
  path: string;
  /** The path did not exist before: a new file, or the target of a rename or copy. */
  created: boolean;
  /** Git judged the content binary and showed no lines. */
  binary: boolean;
  additions: Addition[];
}

/** What the reader yields: files, and lines starting with NUL (`--format=%x00…` commit headers). */
export type PatchEvent = { kind: 'file'; file: FileChange } | { kind: 'marker'; fields: string[] };

const NEWLINE = '\n';
const NUL = 0;
const PLUS = 43;
const MINUS = 45;
const SPACE = 32;
const AT = 64;
const NULL_DEVICE = '/dev/null';

/** Reads a patch as it streams in; `onBytes` hears the size of each chunk, for scan statistics. */
export async function* readPatch(stream: AsyncIterable<Buffer>, onBytes?: (bytes: number) => void): AsyncGenerator<PatchEvent> {
  const parser = new PatchParser();
  // The start of a line that continues in a later chunk, in pieces: joined once, so a huge line costs linear time.
  let rest: Buffer[] = [];
  for await (const chunk of stream) {
    onBytes?.(chunk.length);
    let start = 0;
    if (rest.length > 0) {
      const end = chunk.indexOf(NEWLINE);
      if (end === -1) {
        rest.push(chunk);
        continue;
      }
      const joined = Buffer.concat([...rest, chunk.subarray(0, end)]);
      rest = [];
      parser.chunk(joined);
      parser.line(0, joined.length);
      start = end + 1;
    }
    const text = parser.chunk(chunk);
    let end = text.indexOf(NEWLINE, start);
    while (end !== -1) {
      parser.line(start, end);
      start = end + 1;
      end = text.indexOf(NEWLINE, start);
    }
    if (start < chunk.length) rest.push(chunk.subarray(start));
    yield* parser.drain();
  }
  if (rest.length > 0) {
    const last = Buffer.concat(rest);
    parser.chunk(last);
    parser.line(0, last.length);
  }
  parser.finish();
  yield* parser.drain();
}

type State = 'outside' | 'header' | 'hunk';

class PatchParser {
  private buf: Buffer = Buffer.alloc(0);
  /** `buf` as latin1: the same offsets. */
  private text = '';
  /** Offset of the next possible key in `buf`, searched for across lines rather than once per line. */
  private nextKey = -1;
  private state: State = 'outside';
  private file: FileChange | undefined;
  private newLine = 0;
  /** The previous new-side line of the current hunk, as a range of `buf` (or decoded, across chunks). */
  private prevStart = -1;
  private prevEnd = -1;
  private prevText: string | undefined;
  private readonly out: PatchEvent[] = [];

  /** Starts reading `buf`; returns it as latin1 text, to find its lines in. */
  chunk(buf: Buffer): string {
    if (this.prevStart !== -1) this.prevText = this.buf.toString('utf8', this.prevStart, this.prevEnd);
    this.prevStart = -1;
    this.buf = buf;
    this.text = buf.toString('latin1');
    this.nextKey = possibleKeyAt(this.text, 0);
    return this.text;
  }

  drain(): PatchEvent[] {
    return this.out.splice(0);
  }

  finish(): void {
    this.closeFile();
  }

  line(start: number, end: number): void {
    const buf = this.buf;
    const first = start < end ? (buf[start] as number) : -1;
    if (first === NUL) {
      this.closeFile();
      this.state = 'outside';
      this.out.push({ kind: 'marker', fields: buf.toString('utf8', start + 1, end).split('\0') });
      return;
    }
    if (this.state === 'hunk') {
      if (first === PLUS) return this.added(start, end);
      if (first === SPACE) return this.context(start, end);
      if (first === MINUS || first === 92 /* "\ No newline at end of file" */) return;
    }
    if (first === AT && this.state !== 'outside' && this.file) return this.hunkHeader(this.text.slice(start, end));
    if (first === 100 /* d */ && this.text.startsWith('diff --git ', start)) {
      this.closeFile();
      this.state = 'header';
      this.file = { path: '', created: false, binary: false, additions: [] };
      this.file.path = symmetricPath(buf.toString('utf8', start + 'diff --git '.length, end)) ?? '';
      return;
    }
    if (this.state === 'header' && this.file) this.headerLine(this.file, buf.toString('utf8', start, end));
  }

  private headerLine(file: FileChange, text: string): void {
    if (text.startsWith('+++ ')) {
      const path = patchPath(text.slice(4));
      if (path !== undefined) file.path = stripPrefix(path);
    } else if (text.startsWith('rename to ') || text.startsWith('copy to ')) {
      file.path = unquote(text.slice(text.indexOf(' to ') + 4));
      file.created = true;
    } else if (text.startsWith('new file mode ')) {
      file.created = true;
    } else if (text.startsWith('Binary files ')) {
      file.binary = true;
    }
  }

  private hunkHeader(text: string): void {
    // @@ -a[,b] +c[,d] @@ — c is the first new-side line of the hunk.
    const match = /^@@ -\d+(?:,\d+)? \+(\d+)/.exec(text);
    this.state = 'hunk';
    this.newLine = match ? Number(match[1]) : 0;
    this.prevStart = -1;
    this.prevText = undefined;
  }

  private added(start: number, end: number): void {
    if (this.nextKey !== -1 && this.nextKey < start) this.nextKey = possibleKeyAt(this.text, start);
    if (this.nextKey !== -1 && this.nextKey < end && this.file) {
      const addition: Addition = { line: this.newLine, text: this.buf.toString('utf8', start + 1, end) };
      const before = this.previousLine();
      if (before !== undefined) addition.before = before;
      this.file.additions.push(addition);
    }
    this.context(start, end);
  }

  private context(start: number, end: number): void {
    this.newLine++;
    this.prevStart = start + 1;
    this.prevEnd = end;
    this.prevText = undefined;
  }

  private previousLine(): string | undefined {
    if (this.prevStart !== -1) return this.buf.toString('utf8', this.prevStart, this.prevEnd);
    return this.prevText;
  }

  private closeFile(): void {
    if (this.file) this.out.push({ kind: 'file', file: this.file });
    this.file = undefined;
    this.state = 'outside';
    this.prevStart = -1;
    this.prevText = undefined;
  }
}

/** The path of a `---`/`+++` line, or undefined for `/dev/null`. Unquoted names with spaces end in a tab. */
function patchPath(raw: string): string | undefined {
  const path = raw.startsWith('"') ? unquote(raw) : raw.replace(/\t$/, '');
  return path === NULL_DEVICE ? undefined : path;
}

function stripPrefix(path: string): string {
  return path.startsWith('a/') || path.startsWith('b/') ? path.slice(2) : path;
}

/**
 * The path of a `diff --git a/<p> b/<p>` header when both sides name the same file (new,
 * deleted and changed files). Needed only for files without `+++` lines: empty or binary.
 */
function symmetricPath(rest: string): string | undefined {
  if (rest.startsWith('"')) {
    const end = quotedEnd(rest);
    return stripPrefix(unquote(rest.slice(0, end)));
  }
  if ((rest.length - 5) % 2 !== 0) return undefined;
  const length = (rest.length - 5) / 2;
  const a = rest.slice(2, 2 + length);
  return rest === `a/${a} b/${a}` ? a : undefined;
}

function quotedEnd(text: string): number {
  let at = 1;
  while (at < text.length && text[at] !== '"') at += text[at] === '\\' ? 2 : 1;
  return at + 1;
}

const ESCAPES: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };

/** Undoes git's C-style quoting of a path (`"dir/a\tb\303\251"`); escapes are bytes of UTF-8. */
export function unquote(text: string): string {
  if (!text.startsWith('"')) return text;
  const bytes: number[] = [];
  const end = quotedEnd(text) - 1;
  for (let at = 1; at < end; at++) {
    const ch = text[at] as string;
    if (ch !== '\\') {
      for (const byte of Buffer.from(ch, 'utf8')) bytes.push(byte);
      continue;
    }
    const next = text[at + 1] ?? '';
    if (/[0-7]/.test(next)) {
      bytes.push(parseInt(text.slice(at + 1, at + 4), 8));
      at += 3;
    } else {
      bytes.push(ESCAPES[next] ?? next.charCodeAt(0));
      at += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
