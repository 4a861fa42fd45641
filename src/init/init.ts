import { existsSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { KeyguardError } from '../errors.js';
import { git, gitTopLevel } from '../sources/git.js';
import { ensureEnvIgnored } from './gitignore.js';
import { installHusky } from './husky.js';
import { ignoredScripts, type IgnoreScriptsSource } from './npm-config.js';
import { writeHooks, type PreviousHooks } from './hooks.js';
import { ensurePrepareRunsHusky } from './package-json.js';

/** What `keyguard init` did, for the command to print. Empty `changes`: it was already set up. */
export interface InitReport {
  changes: string[];
  /** Things the user must know or do. */
  notes: string[];
}

/**
 * Sets up the pre-commit hook in the project at `cwd` (the directory of its package.json,
 * possibly below the top of the repository): husky through `prepare`, `.husky/pre-commit`
 * running the local keyguard bin, `.env` files ignored. Idempotent, and it never removes a
 * hook the repository already had.
 */
export async function init(cwd: string, env: Record<string, string | undefined>): Promise<InitReport> {
  const root = await realpath(cwd);
  const manifest = join(root, 'package.json');
  if (!existsSync(manifest)) {
    throw new KeyguardError(`no package.json in ${root}: run keyguard init in your project's root (npm init -y creates one)`);
  }
  const top = await gitTopLevel(root);
  if (top === undefined) throw new KeyguardError(`${root} is not in a git repository: run git init first, then keyguard init`);

  // Paths as git and the hooks see them: relative to the top of the work tree.
  const project = relative(top, root).split('\\').join('/');
  const inProject = (path: string): string => (project ? `${project}/${path}` : path);
  const huskyDir = inProject('.husky');
  const bin = inProject('node_modules/.bin/keyguard');
  const report: InitReport = { changes: [], notes: [] };

  const huskyCommand = project ? `cd ${relative(root, top).split('\\').join('/')} && husky ${huskyDir}` : 'husky';
  const scriptsIgnored = await ignoredScripts(root, env);
  if (await writing('package.json', () => ensurePrepareRunsHusky(manifest, huskyCommand))) {
    const keeps = scriptsIgnored ? 'npm run prepare activates the hook' : 'every npm install keeps the hook active';
    report.changes.push(`package.json: the "prepare" script runs ${huskyCommand}, so ${keeps}`);
  }
  if (scriptsIgnored) report.notes.push(...ignoreScriptsNotes(scriptsIgnored));

  const hooksPath = (await git(['config', '--get', 'core.hooksPath'], { cwd: top, okExitCodes: [1] })).toString('utf8').trim();
  const active = hooksPath === `${huskyDir}/_` && existsSync(join(top, huskyDir, '_', 'h'));
  const previous = hooksPath === `${huskyDir}/_` || hooksPath === huskyDir ? undefined : await previousHooks(top, hooksPath);
  const hooks = await writing(`${huskyDir}/`, () => writeHooks(join(top, huskyDir), bin, previous));
  for (const name of hooks.written) {
    const runs = [name === 'pre-commit' ? `${bin} scan --staged` : '', hooks.kept.includes(name) ? `the ${name} hook git ran before` : ''];
    report.changes.push(`${huskyDir}/${name}: runs ${runs.filter(Boolean).join(', then ')}`);
  }
  if (!active) {
    const skipped = await installHusky(top, huskyDir, env);
    if (skipped) report.notes.push(skipped);
    else report.changes.push(`git config core.hooksPath ${huskyDir}/_: the hook is active now`);
  }

  const ignored = await writing('.gitignore', () => ensureEnvIgnored(join(top, '.gitignore')));
  if (ignored.length > 0) report.changes.push(`.gitignore: added ${ignored.join(', ')}`);

  if (!existsSync(join(top, bin))) {
    report.notes.push(`${bin} is missing, and the hook blocks every commit until it exists: npm install --save-dev keyguard`);
  }
  return report;
}

/**
 * Under npm's ignore-scripts, `npm install` never runs `prepare`: a clone gets no hook unless someone
 * runs it. Said plainly, with what still protects the repository.
 */
function ignoreScriptsNotes(source: IgnoreScriptsSource): string[] {
  const who =
    source === '.npmrc'
      ? "this project's .npmrc sets ignore-scripts=true: npm install never runs \"prepare\", so teammates who clone and install get no pre-commit hook and their key commits go through"
      : `ignore-scripts is true in ${source}: npm install skips "prepare", so a clone installed with it gets no pre-commit hook and its key commits go through`;
  return [
    who,
    'each clone activates the hook once with: npm run prepare (npm runs a script you name even under ignore-scripts; put that step in your README), and CI should run npx keyguard scan, which no local setting skips',
  ];
}

/** The hooks git runs today, unless husky already runs them. */
async function previousHooks(top: string, hooksPath: string): Promise<PreviousHooks> {
  if (hooksPath) {
    const dir = resolve(top, hooksPath);
    return { dir, pathOf: (name) => shellQuote(isAbsolute(hooksPath) ? join(dir, name) : `${hooksPath}/${name}`) };
  }
  const common = (await git(['rev-parse', '--git-common-dir'], { cwd: top })).toString('utf8').trim();
  // Not `--git-path hooks`: under husky that answers with husky's own directory.
  return { dir: join(resolve(top, common), 'hooks'), pathOf: (name) => `"$(git rev-parse --git-common-dir)/hooks/${name}"` };
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Runs a file change, turning a file-system error into a message that names the file. */
async function writing<T>(file: string, change: () => Promise<T>): Promise<T> {
  try {
    return await change();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === undefined) throw error;
    throw new KeyguardError(`cannot update ${file} (${code}): check its permissions, then run keyguard init again`);
  }
}
