import { constants } from 'node:fs';
import { access, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Marks the line keyguard owns in a hook: present means installed. */
const SCAN_COMMAND = 'keyguard scan --staged';

/** The line that runs the project's own keyguard: the local bin, since `npx` adds ~270 ms to every commit. */
export function scanLine(bin: string): string {
  return `${bin} scan --staged`;
}

/**
 * Where git looked for hooks before husky took over, and how a husky hook calls one of them.
 * Git runs hooks from the top of the work tree, so relative paths are relative to it.
 */
export interface PreviousHooks {
  /** Absolute directory. */
  dir: string;
  /** Shell expression for the path of hook `name`, valid in every clone. */
  pathOf: (name: string) => string;
}

export interface HookChanges {
  /** Hooks in `.husky/` created or extended. */
  written: string[];
  /** Previous hooks that husky hooks now call. */
  kept: string[];
}

/**
 * Writes the husky hooks: `pre-commit` runs keyguard first, and every hook git ran before
 * (a `.git/hooks` script, another `core.hooksPath`) is called from its husky twin, since
 * moving `core.hooksPath` to husky would otherwise switch it off silently. Lines already
 * there are not added again, so a second run changes nothing.
 */
export async function writeHooks(huskyDir: string, bin: string, previous: PreviousHooks | undefined): Promise<HookChanges> {
  const changes: HookChanges = { written: [], kept: [] };
  await mkdir(huskyDir, { recursive: true });
  for (const name of previous ? await executableHooks(previous.dir) : []) {
    const path = (previous as PreviousHooks).pathOf(name);
    const line = `hook=${path}; if [ -x "$hook" ]; then "$hook" "$@"; fi`;
    const comment = `# The ${name} hook git ran before husky (kept by keyguard init)`;
    if (await ensureLines(join(huskyDir, name), [comment, line])) {
      changes.written.push(name);
      changes.kept.push(name);
    }
  }
  const comment = '# keyguard: block commits that add API keys or .env files (git commit --no-verify skips it once)';
  if (await ensureLines(join(huskyDir, 'pre-commit'), [comment, scanLine(bin)], SCAN_COMMAND)) {
    if (!changes.written.includes('pre-commit')) changes.written.push('pre-commit');
  }
  return changes;
}

/**
 * Puts `lines` at the top of a hook (after a `#!` line), unless the hook already has the last
 * of them (or a line containing `marker`). Top, not bottom: an `exit` later in an existing
 * hook must not skip them. Returns whether the file changed.
 */
async function ensureLines(file: string, lines: string[], marker?: string): Promise<boolean> {
  const text = await readOptional(file);
  const key = marker ?? (lines[lines.length - 1] as string);
  if (text.split('\n').some((line) => line.includes(key))) return false;
  const shebang = text.startsWith('#!') ? text.slice(0, text.indexOf('\n') + 1 || text.length) : '';
  const rest = text.slice(shebang.length);
  const body = `${shebang}${shebang && !shebang.endsWith('\n') ? '\n' : ''}${lines.join('\n')}\n${rest}`;
  await writeFile(file, body.endsWith('\n') ? body : `${body}\n`, { mode: 0o755 });
  return true;
}

async function executableHooks(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const hooks: string[] = [];
  for (const name of names.sort()) {
    if (name.endsWith('.sample') || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (!(await stat(path)).isFile()) continue;
    try {
      await access(path, constants.X_OK);
      hooks.push(name);
    } catch {
      // Git skips hooks that are not executable, so there is nothing to keep.
    }
  }
  return hooks;
}

async function readOptional(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
}
