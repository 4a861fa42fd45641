import { VERSION } from '../version.js';

// The only module that touches the process: it prints what `run` returns and sets the exit code.
// `--version` alone is answered before the rest of the CLI loads (the line the parser in run.ts gives for it): it is most of its start-up.
if (process.argv.length === 3 && process.argv[2] === '--version') {
  process.stdout.write(`${VERSION}\n`);
} else {
  await main();
}

/**
 * In a function, not at module scope: what `run` returned is dropped once written, so a key in
 * it (keyguard serve's bootstrap key, shown once) does not stay in the heap of a long-running serve.
 */
async function main(): Promise<void> {
  const { run } = await import('./run.js');
  const outcome = await run(process.argv.slice(2), {
    cwd: process.cwd(),
    env: process.env,
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    progress: process.stderr.isTTY ? (line) => process.stderr.write(`\r\x1b[2K${line}`) : undefined,
  });
  if (outcome.stdout) process.stdout.write(outcome.stdout);
  if (outcome.stderr) process.stderr.write(outcome.stderr);
  process.exitCode = outcome.exitCode;
}
