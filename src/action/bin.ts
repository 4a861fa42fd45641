import { actionContext } from './inputs.js';
import { runAction } from './run-action.js';

// The action's only module that touches the process, like the CLI's bin: print, set the exit code.
const { env, cwd } = actionContext(process.env, process.cwd());
const outcome = await runAction(env, cwd);
if (outcome.stdout) process.stdout.write(outcome.stdout);
if (outcome.stderr) process.stderr.write(outcome.stderr);
process.exitCode = outcome.exitCode;
