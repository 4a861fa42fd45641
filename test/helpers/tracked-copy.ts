import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** This repository. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * This repository as someone who clones it gets it (a runner for the action, the pre-commit framework
 * for its hook): the tracked files only (as they are in this work tree), in a temp directory (no
 * node_modules, nothing built), with dist-action/ bundled from the current sources, as CI's check-dist
 * guarantees the committed one is. Returns its directory and a cleanup.
 */
export function trackedCopy(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'keyguard-checkout-'));
  const tracked = spawnSync('git', ['ls-files', '-z'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (tracked.status !== 0) throw new Error(`git ls-files failed: ${tracked.stderr}`);
  for (const path of tracked.stdout.split('\0').filter(Boolean)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    try {
      cpSync(join(REPO_ROOT, path), join(dir, path), { verbatimSymlinks: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error; // deleted in this work tree
    }
  }
  const built = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts/bundle.mjs'), 'action', '--out', join(dir, 'dist-action')], { encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`bundling dist-action failed:\n${built.stdout}${built.stderr}`);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
