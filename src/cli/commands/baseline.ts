import { dirname } from 'node:path';
import { baselineScope, nextEntries, readBaseline, serializeBaseline } from '../../baseline.js';
import { resolveSettings } from '../../config/settings.js';
import { EXIT_OK } from '../../errors.js';
import { scan } from '../../scan.js';
import { gitSource } from '../../sources/git-sources.js';
import { defineCommand, type Options } from '../command.js';
import { result } from '../io.js';
import { SOURCE_CONFLICTS, sourceOptions } from '../source-options.js';

const OPTIONS = {
  ...sourceOptions('Record'),
  update: { type: 'boolean', describe: 'Only drop entries no longer found (stale); never acknowledge a new finding' },
  baseline: { type: 'string', describe: 'The file to write (default: the config\'s baseline, else .keyguard-baseline.json in the project root)' },
  config: { type: 'string', describe: 'Read settings (ignore, allow, baseline) from this file' },
} as const satisfies Options;

export const baselineCommand = defineCommand({
  name: 'baseline',
  describe: 'Record the current findings in .keyguard-baseline.json so scans report only new ones (--update drops stale entries)',
  positional: { name: 'paths', list: true, describe: 'Files or directories to record (default: the whole tree under .)' },
  options: OPTIONS,
  conflicts: SOURCE_CONFLICTS,
  examples: [
    ['$0 baseline', 'Acknowledge every current finding: later scans report only new ones'],
    ['$0 baseline --update', 'Drop the entries whose finding is gone'],
  ],
  async handler(args, io) {
    const settings = await resolveSettings(io.cwd, args);
    const { path, name } = settings.baseline;
    const update = args.update === true;
    const previous = await readBaseline(path, name, update);
    const source = gitSource(io.cwd, { ...args, env: io.env });
    const { findings } = await scan({
      cwd: io.cwd,
      env: io.env,
      root: dirname(path),
      paths: args.paths,
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
});
