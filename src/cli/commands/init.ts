import { EXIT_OK } from '../../errors.js';
import { defineCommand } from '../command.js';
import { result } from '../io.js';

export const initCommand = defineCommand({
  name: 'init',
  describe: 'Set up the pre-commit hook (husky), ignore .env files and print the ESLint config; safe to run again',
  options: {},
  handler: async (_args, io) => {
    const { init } = await import('../../init/init.js');
    const { ESLINT_SNIPPET } = await import('../../init/eslint-snippet.js');
    const report = await init(io.cwd, io.env);
    const lines =
      report.changes.length > 0
        ? ['keyguard init:', ...report.changes.map((change) => `  ✔ ${change}`)]
        : ['keyguard init: already set up, nothing changed.'];
    for (const note of report.notes) lines.push(`  ! ${note}`);
    lines.push('', 'For keys flagged as you type, add the ESLint rule:', '', ESLINT_SNIPPET, '');
    return result(EXIT_OK, `${lines.join('\n')}\n`);
  },
});
