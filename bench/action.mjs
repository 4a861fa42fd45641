#!/usr/bin/env node
// The GitHub Action from a fresh clone, as a runner starts it: the time from the start of the action to
// its last line, on a push that scans a clone of this repository (the workspace), no node_modules and
// nothing built in the action's checkout. With --compare REF, also the action as it was at REF when that
// was the composite action that built itself on first use (npm ci + tsc), side by side.
//
//   node bench/action.mjs [--compare REF] [--runs N]
//
// Each run clones again (the clone is not timed). The composite path needs the npm registry (npm ci).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const valueOf = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const compare = valueOf('--compare');
const runs = Number(valueOf('--runs', 3));

const scratch = mkdtempSync(join(tmpdir(), 'keyguard-action-bench-'));
const results = { now: [], before: [] };
try {
  const workspace = join(scratch, 'workspace');
  execFileSync('git', ['clone', '-q', root, workspace]);
  for (let round = 0; round < runs; round++) {
    results.now.push(timeAction(clone('HEAD')));
    if (compare) results.before.push(timeAction(clone(compare)));
  }

  /** A fresh clone of this repository at `ref`, as the runner downloads the action. */
  function clone(ref) {
    const dir = mkdtempSync(join(scratch, 'action-'));
    execFileSync('git', ['clone', '-q', root, dir]);
    execFileSync('git', ['checkout', '-q', ref], { cwd: dir });
    return dir;
  }

  /** Runs the action at `actionPath` on a push of `workspace` as the runner would; seconds from its start to its end. */
  function timeAction(actionPath) {
    const action = parse(readFileSync(join(actionPath, 'action.yml'), 'utf8'));
    writeFileSync(join(scratch, 'output'), '');
    writeFileSync(join(scratch, 'event.json'), '{}');
    const env = {
      ...process.env,
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_ACTION_PATH: actionPath,
      GITHUB_WORKSPACE: workspace,
      GITHUB_EVENT_NAME: 'push',
      GITHUB_EVENT_PATH: join(scratch, 'event.json'),
      GITHUB_OUTPUT: join(scratch, 'output'),
    };
    for (const [name, input] of Object.entries(action.inputs)) env[`INPUT_${name.toUpperCase()}`] = input.default;
    const started = performance.now();
    if (action.runs.using === 'composite') {
      // The steps as they were: each `run` through bash; the scan step's env as action.yml mapped it.
      for (const step of action.runs.steps) {
        const stepEnv = { ...env, KEYGUARD_SARIF_FILE: 'keyguard.sarif' };
        const out = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run], { cwd: workspace, env: stepEnv, encoding: 'utf8' });
        if (out.status !== 0 && out.status !== 1) throw new Error(`${step.name} failed: ${out.stderr}`);
      }
    } else {
      const out = spawnSync(process.execPath, [join(actionPath, action.runs.main)], { cwd: workspace, env, encoding: 'utf8' });
      if (out.status !== 0 && out.status !== 1) throw new Error(`the action failed: ${out.stderr}`);
    }
    const seconds = (performance.now() - started) / 1000;
    rmSync(actionPath, { recursive: true, force: true });
    return seconds;
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const show = (values) => `median ${median(values).toFixed(2)} s (runs ${values.map((s) => s.toFixed(2)).join(' ')})`;
console.log(`the action on a push of a clone of this repository, from a fresh clone of the action, ${runs} runs`);
console.log(`now (${execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root }).toString().trim()}): ${show(results.now)}  (target <= 15 s)`);
if (compare) console.log(`${compare}: ${show(results.before)}`);
