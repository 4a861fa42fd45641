import { dirname } from 'node:path';
import type { Argv } from 'yargs';
import { EXIT_OK } from '../../errors.js';
import type { Command } from '../command.js';
import { result } from '../io.js';
import { withSourceOptions, type SourceArgs } from '../source-options.js';

export interface BaselineArgs extends SourceArgs {
  paths?: string[];
  config?: string;
  baseline?: string;
  update?: boolean;
}

function baselineOptions(yargs: Argv): Argv<BaselineArgs> {
  return withSourceOptions(yargs, 'Record')
    .positional('paths', { type: 'string', array: true, describe: 'Files or directories to record (default: the whole tree under .)' })
    .option('update', { type: 'boolean', describe: 'Only drop entries no longer found (stale); never acknowledge a new finding' })
    .option('baseline', { type: 'string', requiresArg: true, describe: 'The file to write (default: the config\'s baseline, else .keyguard-baseline.json in the project root)' })
    .option('config', { type: 'string', requiresArg: true, describe: 'Read settings (ignore, allow, baseline) from this file' })
    .example('$0 baseline', 'Acknowledge every current finding: later scans report only new ones')
    .example('$0 baseline --update', 'Drop the entries whose finding is gone') as unknown as Argv<BaselineArgs>;
}

export const baselineCommand: Command<BaselineArgs> = {
  command: 'baseline [paths..]',
  describe: 'Record the current findings in .keyguard-baseline.json so scans report only new ones (--update drops stale entries)',
  builder: baselineOptions,
  async handler(args, io) {
    const { resolveSettings } = await import('../../config/settings.js');
    const { scan } = await import('../../scan.js');
    const { gitSource } = await import('../../sources/git-sources.js');
    const { baselineScope, nextEntries, readBaseline, serializeBaseline } = await import('../../baseline.js');
    const settings = await resolveSettings(io.cwd, args);
    const { path, name } = settings.baseline;
    const update = args.update === true;
    const previous = await readBaseline(path, name, update);
    const source = gitSource(io.cwd, { ...args, env: io.env });
    const { findings } = await scan({
      cwd: io.cwd,
      env: io.env,
      root: dirname(path),
      paths: args.paths ?? [],
      ...(source && { source }),
      ...(settings.exclude && { exclude: settings.exclude }),
      ...(settings.allowKey && { allowKey: settings.allowKey }),
    });
    const entries = nextEntries(previous, findings, io.cwd, dirname(path), baselineScope(args), update);
    const before = new Set(previous?.entries.map((entry) => entry.fingerprint));
    const after = new Set(entries.map((entry) => entry.fingerprint));
    const added = entries.filter((entry) => !before.has(entry.fingerprint)).length;
    const dropped = [...before].filter((id) => !after.has(id)).length;
    const counts = `${entries.length} ${entries.length === 1 ? 'entry' : 'entries'} (${added} new, ${dropped} dropped)`;
    if (previous && added === 0 && dropped === 0) {
      return result(EXIT_OK, `keyguard baseline: ${name} is up to date, ${counts}; not rewritten.\n`);
    }
    const { writeFileAtomic } = await import('../atomic-write.js');
    writeFileAtomic(path, serializeBaseline(entries), `baseline ${name}`);
    const lines = [`keyguard baseline: wrote ${name}, ${counts}.`];
    if (!update) {
      lines.push('Scans now hide these findings and report only new ones. Commit the file so CI and your team share it.');
      if (args.baseline !== undefined) lines.push(`Scans read it with --baseline ${args.baseline}, or set "baseline" in keyguard.config.json.`);
    }
    return result(EXIT_OK, `${lines.join('\n')}\n`);
  },
};
