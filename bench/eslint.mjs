#!/usr/bin/env node
// Benchmark: what keyguard/no-hardcoded-keys adds to a whole ESLint run, next to eslint-plugin-no-secrets.
//
//   npm run build && node bench/eslint.mjs [--rounds 3]
//
// Lints a real-world-sized JS/TS tree (sources copied from node_modules into bench/.corpus/eslint, with a
// few random keys planted) four ways in one run: no rules (the baseline), one empty rule (ESLint's own
// cost of running any rule), only our rule, only no-secrets/no-secrets. Each is a whole `eslint`
// process; configs alternate round by round, and each config is compared with the baseline run of the
// same round, in wall time and in the process's CPU time. A first run of each rule with TIMING=all
// gives ESLint's own time for it.
// Local only, bounded: 2 + 4 × rounds ESLint runs of 12–25 s each (4 to 6 minutes on a shared 2-core machine).
import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const corpus = join(root, 'bench/.corpus/eslint');
const work = join(root, 'bench/.work/eslint');
const roundsAt = process.argv.indexOf('--rounds');
const rounds = roundsAt === -1 ? 3 : Math.max(1, Number(process.argv[roundsAt + 1]) || 1);

/** Real sources: TypeScript from packages that ship theirs, JavaScript from ESLint, GraphQL, Hono and others. */
const SOURCES = [
  'zod/src',
  'msw/src',
  'ajv/lib',
  '@mswjs/interceptors/src',
  'headers-polyfill/src',
  'eslint/lib',
  '@typescript-eslint/typescript-estree/dist',
  '@typescript-eslint/scope-manager/dist',
  'graphql',
  'yaml/dist',
  'hono/dist',
  'picomatch/lib',
];
const EXTENSIONS = new Set(['.js', '.mjs', '.ts']);
/** Larger files are bundles, not hand-written source. */
const MAX_FILE_BYTES = 200_000;
/** One file in this many gets a key planted, in a string or in a comment. */
const PLANT_EVERY = 40;

const { KEY_TYPES } = await import(pathToFileURL(join(root, 'dist/src/detect/index.js')).href);

function randomKey() {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let body = '';
  for (let i = 0; i < 32; i++) body += alphabet[randomInt(alphabet.length)];
  return KEY_TYPES[randomInt(KEY_TYPES.length)].prefix + body;
}

function* walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') yield* walk(path);
    else if (entry.isFile()) yield path;
  }
}

function buildCorpus() {
  rmSync(corpus, { recursive: true, force: true });
  let files = 0;
  let bytes = 0;
  let planted = 0;
  for (const source of SOURCES) {
    const from = join(root, 'node_modules', source);
    for (const path of walk(from)) {
      if (!EXTENSIONS.has(extname(path)) || path.endsWith('.d.ts')) continue;
      const size = statSync(path).size;
      if (size > MAX_FILE_BYTES) continue;
      const to = join(corpus, source, relative(from, path));
      mkdirSync(dirname(to), { recursive: true });
      cpSync(path, to);
      files++;
      bytes += size;
      if (files % PLANT_EVERY === 0) {
        const key = randomKey();
        const line = planted % 2 ? `// rotated key: ${key}\n` : `var __benchKey${planted} = '${key}';\n`;
        writeFileSync(to, readFileSync(to, 'utf8') + `\n${line}`);
        planted++;
      }
    }
  }
  writeFileSync(join(corpus, 'stats.json'), JSON.stringify({ files, bytes, planted }));
}

function writeConfigs() {
  mkdirSync(work, { recursive: true });
  const resolve = createRequire(join(root, 'package.json')).resolve;
  const url = (path) => JSON.stringify(pathToFileURL(path).href);
  const base = `import tsParser from ${url(resolve('@typescript-eslint/parser'))};
export const base = [
  { files: ['**/*.{js,mjs,ts}'], linterOptions: { reportUnusedDisableDirectives: 'off' } },
  { files: ['**/*.ts'], languageOptions: { parser: tsParser } },
];
`;
  writeFileSync(join(work, 'base.mjs'), base);
  writeFileSync(join(work, 'none.config.mjs'), `import { base } from './base.mjs';\nexport default base;\n`);
  // A rule that does nothing: what ESLint itself spends on a file as soon as any rule is on.
  writeFileSync(
    join(work, 'empty.config.mjs'),
    `import { base } from './base.mjs';
const empty = { meta: { type: 'problem', schema: [] }, create: () => ({}) };
export default [...base, { plugins: { bench: { rules: { empty } } }, rules: { 'bench/empty': 'error' } }];
`,
  );
  writeFileSync(
    join(work, 'keyguard.config.mjs'),
    `import { base } from './base.mjs';
import keyguard from ${url(join(root, 'dist/rules/index.js'))};
export default [...base, keyguard.configs.recommended];
`,
  );
  writeFileSync(
    join(work, 'no-secrets.config.mjs'),
    `import { base } from './base.mjs';
import noSecrets from ${url(resolve('eslint-plugin-no-secrets'))};
export default [...base, { plugins: { 'no-secrets': noSecrets }, rules: { 'no-secrets/no-secrets': 'error' } }];
`,
  );
  // Reports the process's own CPU time, which other work on a shared machine disturbs far less than wall time.
  writeFileSync(
    join(work, 'cpu-time.cjs'),
    `process.on('exit', () => {
  const { user, system } = process.cpuUsage();
  process.stderr.write('\\ncpu-ms:' + (user + system) / 1000 + '\\n');
});
`,
  );
  // Prints counts only, so no configuration pays for formatting thousands of messages. Messages
  // without the measured rule (parse errors, directives naming rules the corpus's own config had) are
  // the same in every configuration.
  writeFileSync(
    join(work, 'count-formatter.cjs'),
    `module.exports = (results) => {
  const byRule = {};
  for (const r of results) for (const m of r.messages) byRule[m.ruleId] = (byRule[m.ruleId] ?? 0) + 1;
  return JSON.stringify({ files: results.length, fatal: results.reduce((n, r) => n + r.fatalErrorCount, 0), byRule });
};
`,
  );
}

/** One whole `eslint` process over the corpus: wall time, the process's own CPU time, what it printed. */
function runEslint(config, env = {}) {
  const started = process.hrtime.bigint();
  const child = spawnSync(
    process.execPath,
    [
      '--require',
      join(work, 'cpu-time.cjs'),
      join(root, 'node_modules/eslint/bin/eslint.js'),
      '--config',
      join(work, `${config}.config.mjs`),
      '--format',
      join(work, 'count-formatter.cjs'),
      '--no-warn-ignored',
      '.',
    ],
    { cwd: corpus, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 },
  );
  const wall = Number(process.hrtime.bigint() - started) / 1e6;
  if (child.status !== 0 && child.status !== 1) {
    throw new Error(`eslint (${config}) failed: ${child.stderr.split('\n').find((line) => line.trim())}`);
  }
  const cpu = Number(/cpu-ms:([\d.]+)/.exec(child.stderr)?.[1]);
  return { wall, cpu, stdout: child.stdout };
}

/** ESLint's own time for one rule, create() included: TIMING=all prints a table after the formatter. */
function ruleTime(config, ruleId) {
  const { stdout } = runEslint(config, { TIMING: 'all' });
  const row = stdout.split('\n').find((line) => line.trimStart().startsWith(ruleId));
  return Number(row?.split('|')[1]?.trim() ?? NaN);
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;
const percent = (part, whole) => `${part >= 0 ? '+' : ''}${((part / whole) * 100).toFixed(1)}%`;

if (!existsSync(join(root, 'dist/rules/index.js'))) throw new Error('build first: npm run build');
if (!existsSync(join(corpus, 'stats.json')) || process.argv.includes('--fresh')) buildCorpus();
writeConfigs();
const stats = JSON.parse(readFileSync(join(corpus, 'stats.json'), 'utf8'));
const eslintVersion = JSON.parse(readFileSync(join(root, 'node_modules/eslint/package.json'), 'utf8')).version;
console.log(
  `corpus: ${stats.files} JS/TS files, ${(stats.bytes / 1e6).toFixed(1)} MB, ${stats.planted} planted keys; ` +
    `ESLint ${eslintVersion}; ${rounds} rounds`,
);

const RULES = { keyguard: 'keyguard/no-hardcoded-keys', 'no-secrets': 'no-secrets/no-secrets' };
// These first runs also warm the file-system cache for the timed rounds.
const ruleTimes = Object.fromEntries(Object.entries(RULES).map(([config, ruleId]) => [config, ruleTime(config, ruleId)]));

const configs = ['none', 'empty', 'keyguard', 'no-secrets'];
const runs = Object.fromEntries(configs.map((c) => [c, []]));
const counts = {};
for (let round = 0; round < rounds; round++) {
  // Rotate the order so a busy moment on a shared machine does not always hit the same config.
  for (let i = 0; i < configs.length; i++) {
    const config = configs[(round + i) % configs.length];
    const run = runEslint(config);
    runs[config].push(run);
    counts[config] = JSON.parse(run.stdout);
  }
}

const baseline = {
  wall: median(runs.none.map((r) => r.wall)),
  cpu: median(runs.none.map((r) => r.cpu)),
};
/** Median over rounds of (config − baseline of the same round): runs close in time share the machine's load. */
const pairedDelta = (config, measure, against = 'none') =>
  median(runs[config].map((r, round) => r[measure] - runs[against][round][measure]));
console.log(
  `\n${'config'.padEnd(28)}${'wall (median)'.padStart(14)}${'added'.padStart(9)}` +
    `${'CPU (median)'.padStart(14)}${'added'.padStart(9)}${'rule (TIMING)'.padStart(15)}${'share'.padStart(9)}  findings`,
);
const LABELS = { none: 'no rules (baseline)', empty: 'an empty rule', ...RULES };
for (const config of configs) {
  const ruleId = RULES[config];
  const cells = ruleId
    ? [
        percent(pairedDelta(config, 'wall'), baseline.wall),
        percent(pairedDelta(config, 'cpu'), baseline.cpu),
        `${ruleTimes[config].toFixed(0)} ms`,
        percent(ruleTimes[config], baseline.cpu),
        String(counts[config].byRule[ruleId] ?? 0),
      ]
    : config === 'empty'
      ? [percent(pairedDelta(config, 'wall'), baseline.wall), percent(pairedDelta(config, 'cpu'), baseline.cpu), '', '', '']
      : ['', '', '', '', ''];
  console.log(
    `${LABELS[config].padEnd(28)}${seconds(median(runs[config].map((r) => r.wall))).padStart(14)}` +
      `${cells[0].padStart(9)}${seconds(median(runs[config].map((r) => r.cpu))).padStart(14)}${cells[1].padStart(9)}` +
      `${cells[2].padStart(15)}${cells[3].padStart(9)}  ${cells[4]}`,
  );
}
console.log(
  `\n"added" is the median of each round's difference to that round's baseline run; "share" is ESLint's own` +
    ` time for the rule (TIMING=all, create() included) over the baseline's CPU time.` +
    `\nwall time of each run: ${configs.map((c) => `${c} ${runs[c].map((r) => seconds(r.wall)).join(' / ')}`).join('; ')}` +
    `\nover the empty rule (CPU, paired): keyguard ${percent(pairedDelta('keyguard', 'cpu', 'empty'), baseline.cpu)}, ` +
    `no-secrets ${percent(pairedDelta('no-secrets', 'cpu', 'empty'), baseline.cpu)}` +
    `\nno-secrets spends ${(ruleTimes['no-secrets'] / ruleTimes.keyguard).toFixed(0)}x keyguard's rule time; ` +
    `keyguard found ${counts.keyguard.byRule[RULES.keyguard] ?? 0} of ${stats.planted} planted keys; ` +
    `${counts.none.fatal} files unparsable (the same in every config).`,
);
